// One care flow (issue 8): switch it on, its channel, holdout share, each
// step's delay and switch, its wording per language, and whether a
// transactional flow may go without marketing consent; 422 with the field
// errors and nothing saved on bad input. Beside it, the journey of a sample
// customer of the shop: each step's planned time on their clock and its
// content rendered as they would read it.
// Shopify's patterns (issue 20): the title bar with a breadcrumb back to the
// flows, the save bar while the flow differs from what is saved (leaving asks
// first), a toast once saved, and a modal before a save that turns the flow off.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, Divider, FormLayout, InlineStack, Layout, Page, Select, Tabs, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { isDirty, PageSaveBar } from "~/components/admin/SaveBarForm";
import { useActionToast } from "~/components/admin/useActionToast";
import { z } from "zod";
import { FLOW_CATALOG, flowClasses, isCareFlow, submittedFlowConfig, type FlowConfig } from "~/domain/care/flows";
import { CHANNELS, type CareFlowKey } from "~/domain/care/types";
import { LOCALES, resolveLocale, useT, type Locale, type MessageKey } from "~/i18n";
import { getFlowSettings, saveFlowSettings } from "~/models/care-flows.server";
import { staffMember } from "~/models/customer-file.server";
import { systemClock } from "~/services/clock.server";
import { flowJourney } from "~/services/flow-preview.server";
import { authenticate } from "~/shopify.server";

function flowParam(value: string | undefined): CareFlowKey {
  if (!value || !isCareFlow(value)) throw new Response("Not found", { status: 404 });
  return value;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const flow = flowParam(params.flow);
  const setting = (await getFlowSettings(session.shop))[flow];
  const journey = await flowJourney(session.shop, flow, setting.config, systemClock.now(), resolveLocale(request));
  const def = FLOW_CATALOG[flow];
  return json({
    flow,
    config: setting.config,
    invalid: setting.invalid,
    classes: flowClasses(flow),
    marketingOnly: def.messageClass === "marketing",
    membership: def.membership === true,
    bounds: Object.fromEntries(def.steps.map((s) => [s.step, s.delay])),
    defaults: def.templates,
    journey,
  });
}

const form = z.object({ config: z.string().max(100_000) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const flow = flowParam(params.flow);
  const parsed = form.safeParse(Object.fromEntries(await request.formData()));
  let input: unknown = null;
  try {
    input = parsed.success ? JSON.parse(parsed.data.config) : null;
  } catch {
    input = null;
  }
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    return json({ ok: false as const, errors: { config: { key: "care.flows.errors.invalid" as MessageKey } } as Record<string, { key: MessageKey; vars?: Record<string, string | number> }> }, { status: 422 });
  }
  const staff = await staffMember(session.shop, sessionToken?.sub);
  const result = await saveFlowSettings(session.shop, flow, submittedFlowConfig(flow, input as Record<string, unknown>), staff.id, systemClock.now());
  if (!result.ok) return json({ ok: false as const, errors: result.errors }, { status: 422 });
  return json({ ok: true as const, errors: null });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Timeline({ journey, flow }: { journey: Data["journey"]; flow: CareFlowKey }) {
  const t = useT();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("flows.preview.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t(journey.customer.sample ? "flows.preview.sampleCustomer" : "flows.preview.customer", { name: journey.customer.name, zone: journey.customer.timeZone })}
        </Text>
        <div id="flow-timeline">
          <BlockStack gap="0">
            {journey.steps.map((step, index) => (
              <InlineStack key={step.step} gap="300" wrap={false} blockAlign="stretch">
                <BlockStack gap="0" inlineAlign="center">
                  <Box background={step.enabled ? "bg-fill-success" : "bg-fill-disabled"} borderRadius="full" minWidth="16px" minHeight="16px" />
                  {index < journey.steps.length - 1 ? <Box background="bg-fill-tertiary" width="2px" minHeight="100%" /> : null}
                </BlockStack>
                <Box paddingBlockEnd="400" width="100%">
                  <BlockStack gap="150">
                    <InlineStack gap="200" blockAlign="center">
                      <Badge tone={step.enabled ? "success" : undefined}>{step.delayDays === 0 ? t("flows.preview.atTrigger") : t("flows.preview.day", { day: step.delayDays })}</Badge>
                      <Text as="h3" variant="headingSm">
                        {t(`flows.step.${step.step}` as MessageKey)}
                      </Text>
                      {!step.enabled ? <Badge>{t("flows.status.off")}</Badge> : null}
                      <Badge tone={step.messageClass === "marketing" ? "attention" : "info"}>{t(`flows.class.${step.messageClass}` as MessageKey)}</Badge>
                    </InlineStack>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {t(flow === "birthday" ? "flows.preview.plannedBirthday" : "flows.preview.planned", { time: step.localTime })}
                    </Text>
                    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
                      <BlockStack gap="100">
                        <Text as="p" fontWeight="semibold">
                          {step.rendered.subject}
                        </Text>
                        <div style={{ whiteSpace: "pre-wrap" }}>
                          <Text as="p">{step.rendered.text}</Text>
                        </div>
                        <Divider />
                        <Text as="p" tone="subdued" variant="bodySm">
                          {t("flows.preview.sms", { text: step.rendered.sms })}
                        </Text>
                      </BlockStack>
                    </Box>
                  </BlockStack>
                </Box>
              </InlineStack>
            ))}
          </BlockStack>
        </div>
      </BlockStack>
    </Card>
  );
}

export default function FlowEditor() {
  const data = useLoaderData<typeof loader>();
  const { flow, bounds, defaults } = data;
  const t = useT();
  const navigate = useNavigate();
  const fetcher = useFetcher<typeof action>();
  // What is saved, as the editor shows it (the wording in use: the merchant's, else the default); the save bar shows while the draft differs.
  const [saved, setSaved] = useState<FlowConfig>(() => {
    const templates: FlowConfig["templates"] = {};
    for (const [step, locales] of Object.entries(defaults)) templates[step] = { ...locales, ...(data.config.templates[step] ?? {}) };
    return { ...(data.config as FlowConfig), templates };
  });
  const [config, setConfig] = useState<FlowConfig>(saved);
  const [confirmingOff, setConfirmingOff] = useState(false);
  const submitted = useRef<FlowConfig | null>(null);
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer?.ok && submitted.current) setSaved(submitted.current);
  }, [answer]);
  useActionToast(answer, (result) => (result.ok ? { message: t("flows.saved") } : { message: t("flows.notSaved"), isError: true }));
  const [tab, setTab] = useState(0);
  const locale: Locale = LOCALES[tab] ?? "en";
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const error = (path: string) => {
    const found = errors[path];
    return found ? t(found.key, found.vars) : undefined;
  };
  const setStep = (step: string, patch: Partial<FlowConfig["steps"][string]>) => setConfig((current) => ({ ...current, steps: { ...current.steps, [step]: { ...current.steps[step]!, ...patch } } }));
  const setWording = (step: string, field: "subject" | "body" | "sms", value: string) =>
    setConfig((current) => {
      const existing = current.templates[step]?.[locale] ?? { subject: "", body: "", sms: "" };
      return { ...current, templates: { ...current.templates, [step]: { ...current.templates[step], [locale]: { ...existing, [field]: value } } } };
    });
  const setTip = (index: number, patch: (tip: FlowConfig["tips"][number]) => FlowConfig["tips"][number]) =>
    setConfig((current) => ({ ...current, tips: current.tips.map((tip, i) => (i === index ? patch(tip) : tip)) }));
  const setTipWording = (index: number, field: "subject" | "body" | "sms", value: string) =>
    setTip(index, (tip) => ({ ...tip, templates: { ...tip.templates, [locale]: { ...(tip.templates[locale] ?? { subject: "", body: "", sms: "" }), [field]: value } } }));
  const submit = () => {
    submitted.current = config;
    fetcher.submit({ config: JSON.stringify(config) }, { method: "post" });
  };
  // A save that turns a running flow off asks first: its planned messages stop going out.
  const save = () => (saved.enabled && !config.enabled ? setConfirmingOff(true) : submit());
  const flowName = t(`results.flow.${flow}` as MessageKey);
  return (
    <Page>
      <TitleBar title={flowName}>
        <button type="button" variant="breadcrumb" onClick={() => navigate("/app/flows")}>
          {t("flows.title")}
        </button>
      </TitleBar>
      <PageSaveBar id="flow-editor" dirty={isDirty(config, saved)} saving={fetcher.state !== "idle"} onSave={save} onDiscard={() => setConfig(saved)} />
      <ConfirmModal
        id="confirm-flow-off"
        open={confirmingOff}
        title={t("flows.offConfirm.title", { flow: flowName })}
        body={t("flows.offConfirm.body")}
        confirmLabel={t("flows.offConfirm.confirm")}
        cancelLabel={t("flows.offConfirm.keep")}
        onConfirm={() => {
          setConfirmingOff(false);
          submit();
        }}
        onCancel={() => setConfirmingOff(false)}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {data.invalid ? <Banner tone="warning">{t("flows.invalidStored")}</Banner> : null}
            {fetcher.data && !fetcher.data.ok ? <Banner tone="critical">{t("flows.notSaved")}</Banner> : null}
            <Card>
              <FormLayout>
                <Text as="p" tone="subdued">
                  {t(`flows.description.${flow}` as MessageKey)}
                </Text>
                <Checkbox label={t("flows.field.enabled")} checked={config.enabled} onChange={(enabled) => setConfig((c) => ({ ...c, enabled }))} />
                <InlineStack gap="100">
                  {data.classes.map((messageClass) => (
                    <Badge key={messageClass} tone={messageClass === "marketing" ? "attention" : "info"}>
                      {t(`flows.class.${messageClass}` as MessageKey)}
                    </Badge>
                  ))}
                  {data.membership ? <Badge tone="success">{t("flows.class.membership")}</Badge> : null}
                </InlineStack>
                {data.membership ? (
                  <Text as="p" id="membership-consent">
                    {t(config.allowWithoutConsent ? "flows.consent.membershipWaived" : "flows.consent.membershipRequired")}
                  </Text>
                ) : null}
                <Select
                  label={t("flows.field.channel")}
                  options={CHANNELS.map((channel) => ({ label: t(`campaigns.channel.${channel}` as MessageKey), value: channel }))}
                  value={config.channel}
                  onChange={(channel) => setConfig((c) => ({ ...c, channel: channel as FlowConfig["channel"] }))}
                  error={error("channel")}
                />
                <Checkbox
                  label={t("flows.field.preferredChannel")}
                  helpText={t("flows.field.preferredChannelHelp")}
                  checked={config.preferredChannel}
                  onChange={(preferredChannel) => setConfig((c) => ({ ...c, preferredChannel }))}
                  error={error("preferredChannel")}
                />
                <TextField
                  label={t("flows.field.holdout")}
                  type="number"
                  suffix="%"
                  value={String(config.holdoutPercent)}
                  onChange={(value) => setConfig((c) => ({ ...c, holdoutPercent: value === "" ? Number.NaN : Number(value) }))}
                  helpText={t("flows.field.holdoutHelp")}
                  error={error("holdoutPercent")}
                  autoComplete="off"
                />
                <Checkbox
                  label={t(data.membership ? "flows.field.allowWithoutConsentMembership" : "flows.field.allowWithoutConsent")}
                  helpText={t(data.marketingOnly ? "flows.field.allowWithoutConsentMarketing" : data.membership ? "flows.field.allowWithoutConsentMembershipHelp" : "flows.field.allowWithoutConsentHelp")}
                  checked={config.allowWithoutConsent}
                  disabled={data.marketingOnly}
                  onChange={(allowWithoutConsent) => setConfig((c) => ({ ...c, allowWithoutConsent }))}
                  error={error("allowWithoutConsent")}
                />
                <Checkbox
                  label={t("flows.field.activeHours")}
                  helpText={t("flows.field.activeHoursHelp")}
                  checked={config.activeHours}
                  onChange={(activeHours) => setConfig((c) => ({ ...c, activeHours }))}
                  error={error("activeHours")}
                />
              </FormLayout>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("flows.steps.title")}
                </Text>
                <Tabs tabs={LOCALES.map((code) => ({ id: `wording-${code}`, content: t(`flows.locale.${code}` as MessageKey) }))} selected={tab} onSelect={setTab} />
                {Object.keys(bounds).map((step) => {
                  const bound = bounds[step]!;
                  const wording = config.templates[step]?.[locale] ?? { subject: "", body: "", sms: "" };
                  const base = `templates.${step}.${locale}`;
                  return (
                    <BlockStack key={step} gap="200">
                      <Divider />
                      <Text as="h3" variant="headingSm">
                        {t(`flows.step.${step}` as MessageKey)}
                      </Text>
                      <FormLayout>
                        <FormLayout.Group>
                          <Checkbox label={t("flows.field.stepEnabled")} checked={config.steps[step]?.enabled ?? true} onChange={(enabled) => setStep(step, { enabled })} />
                          <TextField
                            label={t("flows.field.delay")}
                            type="number"
                            value={String(config.steps[step]?.delayDays ?? bound.default)}
                            onChange={(value) => setStep(step, { delayDays: value === "" ? Number.NaN : Number(value) })}
                            helpText={t("flows.field.delayHelp", { min: bound.min, max: bound.max, default: bound.default })}
                            error={error(`steps.${step}.delayDays`)}
                            autoComplete="off"
                          />
                        </FormLayout.Group>
                        <TextField label={t("flows.field.subject")} value={wording.subject} onChange={(value) => setWording(step, "subject", value)} error={error(`${base}.subject`)} autoComplete="off" />
                        <TextField label={t("flows.field.body")} value={wording.body} multiline={4} onChange={(value) => setWording(step, "body", value)} error={error(`${base}.body`)} autoComplete="off" />
                        <TextField label={t("flows.field.sms")} value={wording.sms} onChange={(value) => setWording(step, "sms", value)} error={error(`${base}.sms`)} autoComplete="off" />
                      </FormLayout>
                      {step === "usageTips" ? (
                        <div id="flow-tips">
                          <Box paddingInlineStart="400" borderInlineStartWidth="025" borderColor="border">
                            <BlockStack gap="200">
                              <Text as="h4" variant="headingSm">
                                {t("flows.tips.title")}
                              </Text>
                              <Text as="p" tone="subdued" variant="bodySm">
                                {t("flows.tips.help")}
                              </Text>
                              {error("tips") ? (
                                <Text as="p" tone="critical">
                                  {error("tips")}
                                </Text>
                              ) : null}
                              {config.tips.map((tip, index) => {
                                const tipWording = tip.templates[locale] ?? { subject: "", body: "", sms: "" };
                                const tipBase = `tips.${index}.templates.${locale}`;
                                return (
                                  <BlockStack key={index} gap="200">
                                    <TextField
                                      label={t("flows.tips.match")}
                                      value={tip.match}
                                      onChange={(value) => setTip(index, (current) => ({ ...current, match: value }))}
                                      error={error(`tips.${index}.match`) ?? error(`tips.${index}.templates`)}
                                      autoComplete="off"
                                    />
                                    <TextField label={t("flows.field.subject")} value={tipWording.subject} onChange={(value) => setTipWording(index, "subject", value)} error={error(`${tipBase}.subject`)} helpText={t("flows.tips.emptyLocale")} autoComplete="off" />
                                    <TextField label={t("flows.field.body")} value={tipWording.body} multiline={3} onChange={(value) => setTipWording(index, "body", value)} error={error(`${tipBase}.body`)} autoComplete="off" />
                                    <TextField label={t("flows.field.sms")} value={tipWording.sms} onChange={(value) => setTipWording(index, "sms", value)} error={error(`${tipBase}.sms`)} autoComplete="off" />
                                    <InlineStack>
                                      <Button tone="critical" variant="plain" onClick={() => setConfig((current) => ({ ...current, tips: current.tips.filter((_, i) => i !== index) }))}>
                                        {t("flows.tips.remove")}
                                      </Button>
                                    </InlineStack>
                                  </BlockStack>
                                );
                              })}
                              <InlineStack>
                                <Button onClick={() => setConfig((current) => ({ ...current, tips: [...current.tips, { match: "", templates: {} }] }))}>{t("flows.tips.add")}</Button>
                              </InlineStack>
                            </BlockStack>
                          </Box>
                        </div>
                      ) : null}
                    </BlockStack>
                  );
                })}
                <Text as="p" tone="subdued" variant="bodySm">
                  {t("flows.field.variablesHelp")}
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Timeline journey={data.journey} flow={flow} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
