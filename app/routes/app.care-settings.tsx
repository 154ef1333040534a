// Care settings (issue 8): quiet hours, frequency caps, sender, channels, the
// SMS number, the shipment-anomaly thresholds and the default validity, read
// and validated by app/domain/care/settings.ts. Invalid input: 422 with an
// error on each field, nothing saved. A new From address is used only once
// confirmed through a link mailed to it (issue 18): saving one mails the link,
// the page shows whether it waits or is confirmed, and can resend it.
// Message costs are typed and shown in the shop's currency (issue 20: "0.02",
// not cents) and kept in minor units as before. Shopify's patterns: the title
// bar, the save bar while a field differs from what is saved, a toast on save.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Checkbox, FormLayout, InlineGrid, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useMemo, useRef, useState } from "react";
import { isDirty, PageSaveBar } from "~/components/admin/SaveBarForm";
import { useActionToast } from "~/components/admin/useActionToast";
import { SectionCard } from "~/components/SectionCard";
import { sameAddress } from "~/domain/care/sender";
import { CARE_SETTING_BOUNDS, MAX_CAPS, validateCareSettings, type CareSettingsErrors } from "~/domain/care/settings";
import { currencyDigits, minorToAmount, MoneyFormatError, toMinorUnits } from "~/domain/money";
import { appMailFrom } from "~/env.server";
import { formatDateTime, useLocale, useT, type MessageKey, type MessageVars } from "~/i18n";
import { getCareContext, saveCareSettings } from "~/models/care-settings.server";
import { getShop } from "~/models/shops.server";
import { systemClock } from "~/services/clock.server";
import { requestSenderConfirmation, type SenderLinkRequest } from "~/services/sender-verification.server";
import { authenticate } from "~/shopify.server";

const ANOMALY_FIELDS = ["domesticTransitDays", "internationalTransitDays", "noUpdateDays", "untrackedDeliveryDays"] as const;
const CHANNEL_FIELDS = ["email", "sms", "flow"] as const;
const COST_FIELDS = ["email", "sms"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [context, shop] = await Promise.all([getCareContext(session.shop), getShop(session.shop)]);
  const { confirmedEmail, pendingEmail, pendingSentAt } = context.sender;
  const requested = context.settings.sender.fromEmail;
  // An address saved before confirmation existed has no link yet: it waits all the same.
  const waiting = pendingEmail ?? (requested && !sameAddress(requested, confirmedEmail) ? requested : null);
  return json({
    settings: context.settings,
    settingsInvalid: context.settingsInvalid,
    shopName: context.shopName,
    // Times on the page (when a confirmation link may be sent again) are the shop's.
    timeZone: context.timeZone,
    currencyCode: shop?.currencyCode ?? "USD",
    sender: { appFrom: appMailFrom(), confirmedEmail: sameAddress(requested, confirmedEmail) ? confirmedEmail : null, pendingEmail: waiting, linkSent: pendingEmail !== null && pendingSentAt !== null },
  });
}

/** A number field as typed: empty is "not given" (the default), anything else a number (NaN is refused by the schema). */
const numberField = (value: FormDataEntryValue | null): number | undefined => {
  const text = String(value ?? "").trim();
  return text === "" ? undefined : Number(text.replace(",", "."));
};

/**
 * The form as the settings schema reads it. Cap rows with both fields empty are
 * dropped; `capIndex` maps each kept row back to its row on the form, so an
 * error lands on the field the merchant typed in.
 */
function readForm(form: FormData, currencyCode: string) {
  const { costs, moneyErrors } = readCosts(form, currencyCode);
  const capIndex: number[] = [];
  const caps: Array<{ messages?: number; hours?: number }> = [];
  for (let row = 0; row < MAX_CAPS + 1; row++) {
    const messages = numberField(form.get(`caps.${row}.messages`));
    const hours = numberField(form.get(`caps.${row}.hours`));
    if (messages === undefined && hours === undefined) continue;
    capIndex.push(row);
    caps.push({ ...(messages !== undefined ? { messages } : {}), ...(hours !== undefined ? { hours } : {}) });
  }
  const text = (name: string) => String(form.get(name) ?? "");
  const checked = (name: string) => form.get(name) === "on";
  const input = {
    quietHours: { start: text("quietHours.start").trim(), end: text("quietHours.end").trim() },
    caps,
    capTransactional: checked("capTransactional"),
    sender: { fromName: text("sender.fromName"), fromEmail: text("sender.fromEmail"), replyTo: text("sender.replyTo") },
    channels: Object.fromEntries(CHANNEL_FIELDS.map((channel) => [channel, checked(`channels.${channel}`)])),
    sms: { fromNumber: text("sms.fromNumber") },
    anomalies: {
      ...Object.fromEntries(ANOMALY_FIELDS.flatMap((field) => (numberField(form.get(`anomalies.${field}`)) === undefined ? [] : [[field, numberField(form.get(`anomalies.${field}`))]]))),
      notifyCustomer: checked("anomalies.notifyCustomer"),
    },
    ...(numberField(form.get("validityDefaultDays")) !== undefined ? { validityDefaultDays: numberField(form.get("validityDefaultDays")) } : {}),
    messageCosts: Object.fromEntries(COST_FIELDS.flatMap((channel) => (moneyErrors[channel] || costs[channel] === undefined ? [] : [[channel, costs[channel]]]))),
  };
  return { input, capIndex, moneyErrors };
}

/**
 * A message cost as typed, in the currency's major unit ("0.05", "0,05"), to
 * minor units; empty is "not given". Anything else is the field's own error.
 */
function readCosts(form: FormData, currencyCode: string) {
  const costs: Partial<Record<(typeof COST_FIELDS)[number], number>> = {};
  const moneyErrors: Partial<Record<(typeof COST_FIELDS)[number], true>> = {};
  for (const channel of COST_FIELDS) {
    const text = String(form.get(`messageCosts.${channel}`) ?? "").trim().replace(",", ".");
    if (text === "") continue;
    try {
      const minor = toMinorUnits(text, currencyCode);
      if (minor < 0) moneyErrors[channel] = true;
      else costs[channel] = minor;
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      moneyErrors[channel] = true;
    }
  }
  return { costs, moneyErrors };
}

/** What became of a confirmation mail, for the page: sent, refused for now, or failed (a 5xx/unreachable SMTP). */
const linkAnswer = (answer: SenderLinkRequest) => (answer.status === "limited" ? { status: answer.status, retryAt: answer.retryAt.toISOString() } : answer.status === "nothing" ? null : { status: answer.status, email: answer.email });

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") === "resendSenderLink") {
    const context = await getCareContext(session.shop);
    // An address saved before confirmation existed has no link armed: saving the stored settings again arms one.
    if (!context.sender.pendingEmail) await saveCareSettings(session.shop, context.settings);
    const answer = linkAnswer(await requestSenderConfirmation(session.shop, systemClock.now()));
    return json({ ok: true as const, errors: null, senderLink: answer, resent: true }, { status: answer?.status === "limited" ? 429 : 200 });
  }
  const currencyCode = (await getShop(session.shop))?.currencyCode ?? "USD";
  const { input, capIndex, moneyErrors } = readForm(form, currencyCode);
  // An amount that is no amount is the field's error, in the currency's words (the largest cost too, not in cents).
  const moneyError = () => ({ key: "care.settings.errors.money" as const, vars: { example: minorToAmount(5 * 10 ** Math.max(0, currencyDigits(currencyCode) - 2), currencyCode), max: minorToAmount(CARE_SETTING_BOUNDS.messageCost.max, currencyCode) } });
  // A section this form does not show (added later) keeps its stored value rather than falling back to its default.
  const stored = (await getCareContext(session.shop)).settings;
  // With an unreadable amount nothing is saved, and the other fields are still checked so every error shows at once.
  const unreadable = Object.keys(moneyErrors).length > 0;
  const checked = unreadable ? validateCareSettings({ ...stored, ...input }) : null;
  const result = checked ? { ok: false as const, errors: checked.ok ? {} : checked.errors } : await saveCareSettings(session.shop, { ...stored, ...input });
  if (!result.ok) {
    const errors: CareSettingsErrors = {};
    for (const [path, error] of Object.entries(result.errors)) {
      const match = /^caps\.(\d+)\.(.+)$/.exec(path);
      errors[match ? `caps.${capIndex[Number(match[1])] ?? match[1]}.${match[2]}` : path] = path.startsWith("messageCosts.") ? moneyError() : error;
    }
    for (const channel of Object.keys(moneyErrors)) errors[`messageCosts.${channel}`] = moneyError();
    return json({ ok: false as const, errors }, { status: 422 });
  }
  // Saved first: the new address is the Reply-To from now on, whether or not its link goes out.
  const senderLink = result.senderNeedsLink ? linkAnswer(await requestSenderConfirmation(session.shop, systemClock.now())) : null;
  return json({ ok: true as const, errors: null, senderLink, resent: false });
}

export default function CareSettingsPage() {
  const { settings, settingsInvalid, shopName, sender, currencyCode } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const resend = useFetcher<typeof action>();
  const t = useT();
  const errors: CareSettingsErrors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const errorOf = (name: string) => (errors[name] ? t(errors[name].key, errors[name].vars as MessageVars | undefined) : undefined);

  const savedValues = useMemo<Record<string, string>>(() => ({
    "quietHours.start": settings.quietHours.start,
    "quietHours.end": settings.quietHours.end,
    "sender.fromName": settings.sender.fromName ?? "",
    "sender.fromEmail": settings.sender.fromEmail ?? "",
    "sender.replyTo": settings.sender.replyTo ?? "",
    "sms.fromNumber": settings.sms.fromNumber ?? "",
    validityDefaultDays: String(settings.validityDefaultDays),
    ...Object.fromEntries(ANOMALY_FIELDS.map((field) => [`anomalies.${field}`, String(settings.anomalies[field])])),
    ...Object.fromEntries(COST_FIELDS.map((channel) => [`messageCosts.${channel}`, minorToAmount(settings.messageCosts[channel], currencyCode)])),
    ...Object.fromEntries(settings.caps.flatMap((cap, row) => [[`caps.${row}.messages`, String(cap.messages)], [`caps.${row}.hours`, String(cap.hours)]])),
  }), [settings, currencyCode]);
  const savedFlags = useMemo<Record<string, boolean>>(() => ({
    capTransactional: settings.capTransactional,
    "anomalies.notifyCustomer": settings.anomalies.notifyCustomer,
    ...Object.fromEntries(CHANNEL_FIELDS.map((channel) => [`channels.${channel}`, settings.channels[channel]])),
  }), [settings]);
  const [values, setValues] = useState(savedValues);
  const [flags, setFlags] = useState(savedFlags);
  const [capRows, setCapRows] = useState(Math.max(1, settings.caps.length));
  const formRef = useRef<HTMLFormElement>(null);
  // The save bar shows while a field differs from what is saved; a saved form starts again from what was saved.
  const [savedFrom, setSavedFrom] = useState(settings);
  if (savedFrom !== settings && fetcher.state === "idle" && fetcher.data?.ok) {
    setSavedFrom(settings);
    setValues(savedValues);
    setFlags(savedFlags);
  }
  const dirty = isDirty(values, savedValues) || isDirty(flags, savedFlags);
  const discard = () => {
    setValues(savedValues);
    setFlags(savedFlags);
    setCapRows(Math.max(1, settings.caps.length));
  };
  useActionToast(fetcher.state === "idle" ? fetcher.data : undefined, (data) => (data.ok ? { message: t("care.settings.saved") } : { message: t("care.settings.fixErrors"), isError: true }));

  const field = (name: string, label: MessageKey, options: { type?: "text" | "number" | "email" | "time"; help?: string; prefix?: string } = {}) => (
    <TextField
      key={name}
      label={t(label)}
      name={name}
      type={options.type ?? "text"}
      value={values[name] ?? ""}
      onChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
      helpText={options.help}
      prefix={options.prefix}
      inputMode={options.prefix ? "decimal" : undefined}
      error={errorOf(name)}
      autoComplete="off"
    />
  );
  const check = (name: string, label: MessageKey) => (
    <Checkbox key={name} label={t(label)} checked={flags[name] ?? false} onChange={(value) => setFlags((current) => ({ ...current, [name]: value }))} error={errorOf(name)} />
  );
  const range = (bound: { min: number; max: number; default: number }) => t("settings.range", { min: bound.min, max: bound.max, default: bound.default });

  return (
    <Page>
      <TitleBar title={t("care.settings.title")} />
      <Layout>
        <Layout.Section>
          <PageSaveBar id="care-settings" dirty={dirty} saving={fetcher.state !== "idle"} onSave={() => formRef.current && fetcher.submit(formRef.current, { method: "post" })} onDiscard={discard} />
          <fetcher.Form method="post" ref={formRef}>
            {/* Checkboxes post only when ticked: hidden mirrors keep the form's meaning exact. */}
            {Object.entries(flags).map(([name, on]) => (on ? <input key={name} type="hidden" name={name} value="on" /> : null))}
            <BlockStack gap="400">
              {settingsInvalid ? <Banner tone="warning">{t("care.settings.invalidStored")}</Banner> : null}
              {fetcher.data && !fetcher.data.ok ? <Banner tone="critical">{t("care.settings.fixErrors")}</Banner> : null}

              <SectionCard title={t("care.settings.quietHours.title")}>
                <Text as="p" tone="subdued">
                  {t("care.settings.quietHours.help")}
                </Text>
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                  {field("quietHours.start", "care.settings.quietHours.start", { type: "time" })}
                  {field("quietHours.end", "care.settings.quietHours.end", { type: "time" })}
                </InlineGrid>
              </SectionCard>

              <SectionCard title={t("care.settings.caps.title")}>
                <Text as="p" tone="subdued">
                  {t("care.settings.caps.help")}
                </Text>
                {Array.from({ length: capRows }, (_, row) => (
                  <InlineGrid key={row} columns={{ xs: 1, md: 2 }} gap="300">
                    {field(`caps.${row}.messages`, "care.settings.caps.messages", { type: "number", help: range(CARE_SETTING_BOUNDS.cap.messages) })}
                    {field(`caps.${row}.hours`, "care.settings.caps.hours", { type: "number", help: range(CARE_SETTING_BOUNDS.cap.hours) })}
                  </InlineGrid>
                ))}
                {errorOf("caps") ? (
                  <Text as="p" tone="critical">
                    {errorOf("caps")}
                  </Text>
                ) : null}
                <InlineStack gap="300">
                  {capRows < MAX_CAPS ? <Button onClick={() => setCapRows(capRows + 1)}>{t("care.settings.caps.add")}</Button> : null}
                  <Text as="p" tone="subdued">
                    {t("care.settings.caps.emptyHelp")}
                  </Text>
                </InlineStack>
                {check("capTransactional", "care.settings.capTransactional")}
              </SectionCard>

              <SectionCard title={t("care.settings.sender.title")}>
                <FormLayout>
                  {field("sender.fromName", "care.settings.sender.fromName", { help: `${t("care.settings.sender.fromNameHelp")} (${shopName})` })}
                  {field("sender.fromEmail", "care.settings.sender.fromEmail", { type: "email", help: t("care.settings.sender.fromEmailHelp") })}
                  {field("sender.replyTo", "care.settings.sender.replyTo", { type: "email" })}
                </FormLayout>
                <SenderStatus sender={sender} fromName={settings.sender.fromName ?? shopName} replyTo={settings.sender.replyTo ?? settings.sender.fromEmail} resend={resend} saved={fetcher.data && fetcher.data.ok ? fetcher.data.senderLink : null} />
              </SectionCard>

              <SectionCard title={t("care.settings.channels.title")}>
                <BlockStack gap="200">
                  {CHANNEL_FIELDS.map((channel) => check(`channels.${channel}`, `care.settings.channels.${channel}` as MessageKey))}
                  {field("sms.fromNumber", "care.settings.sms.fromNumber", { help: t("care.settings.sms.fromNumberHelp") })}
                </BlockStack>
              </SectionCard>

              <SectionCard title={t("care.settings.anomalies.title")}>
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                  {ANOMALY_FIELDS.map((name) => field(`anomalies.${name}`, `care.settings.anomalies.${name}` as MessageKey, { type: "number", help: range(CARE_SETTING_BOUNDS.anomalies[name]) }))}
                </InlineGrid>
                {check("anomalies.notifyCustomer", "care.settings.anomalies.notifyCustomer")}
              </SectionCard>

              <SectionCard title={t("care.settings.validity.title")}>
                {field("validityDefaultDays", "care.settings.validityDefaultDays", { type: "number", help: range(CARE_SETTING_BOUNDS.validityDefaultDays) })}
              </SectionCard>

              <SectionCard title={t("care.settings.messageCosts.title")}>
                <Text as="p" tone="subdued">
                  {t("care.settings.messageCosts.help")}
                </Text>
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                  {COST_FIELDS.map((channel) => field(`messageCosts.${channel}`, `care.settings.messageCosts.${channel}` as MessageKey, { prefix: currencyCode, help: t("care.settings.messageCosts.fieldHelp", { currency: currencyCode }) }))}
                </InlineGrid>
              </SectionCard>

            </BlockStack>
          </fetcher.Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type SenderLinkAnswer = { status: "sent" | "failed"; email: string } | { status: "limited"; retryAt: string } | null;

/** The sender's state under its fields: which address mail goes from now, a link that waits, and what the last send did. */
function SenderStatus({
  sender,
  fromName,
  replyTo,
  resend,
  saved,
}: {
  sender: { appFrom: string; confirmedEmail: string | null; pendingEmail: string | null; linkSent: boolean };
  fromName: string;
  replyTo: string | null;
  resend: ReturnType<typeof useFetcher<typeof action>>;
  /** What saving the form did about a link (null: nothing). */
  saved: SenderLinkAnswer | undefined;
}) {
  const t = useT();
  const locale = useLocale();
  const { timeZone } = useLoaderData<typeof loader>();
  const resent = resend.data && resend.data.ok ? (resend.data.senderLink as SenderLinkAnswer) : null;
  const last = resent ?? saved ?? null;
  const lastNote =
    last?.status === "limited"
      ? t("care.settings.sender.limited", { time: formatDateTime(last.retryAt, locale, timeZone) })
      : last?.status === "failed"
        ? t("care.settings.sender.sendFailed", { email: last.email })
        : last?.status === "sent" && resend.data
          ? t("care.settings.sender.resent", { email: last.email })
          : null;
  return (
    <BlockStack gap="200">
      {sender.confirmedEmail && !sender.pendingEmail ? (
        <InlineStack gap="200" blockAlign="center">
          <Badge tone="success">{t("care.settings.sender.confirmed")}</Badge>
          <Text as="span">{t("care.settings.sender.confirmedBody", { email: sender.confirmedEmail })}</Text>
        </InlineStack>
      ) : sender.pendingEmail ? (
        <Banner tone={sender.linkSent ? "info" : "warning"}>
          <BlockStack gap="200">
            <Text as="p">{t(sender.linkSent ? "care.settings.sender.pending" : "care.settings.sender.pendingNotSent", { email: sender.pendingEmail, appFrom: sender.appFrom })}</Text>
            {/* Inside the settings form, so not a form of its own (forms do not nest): the fetcher posts it. */}
            <div>
              <Button onClick={() => resend.submit({ intent: "resendSenderLink" }, { method: "post" })} loading={resend.state !== "idle"}>
                {t(sender.linkSent ? "care.settings.sender.resend" : "care.settings.sender.send")}
              </Button>
            </div>
          </BlockStack>
        </Banner>
      ) : (
        <Text as="p" tone="subdued">
          {t("care.settings.sender.statusApp", { appFrom: sender.appFrom, name: fromName })}
          {replyTo ? ` ${t("care.settings.sender.replyNote", { replyTo })}` : null}
        </Text>
      )}
      {lastNote ? <Banner tone={last?.status === "sent" ? "success" : "critical"}>{lastNote}</Banner> : null}
    </BlockStack>
  );
}
