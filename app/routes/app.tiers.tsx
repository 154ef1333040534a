import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, DataTable, InlineStack, Layout, List, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { ListEmptyState } from "~/components/admin/ListEmptyState";
import { isDirty, SaveBarForm } from "~/components/admin/SaveBarForm";
import { useActionToast } from "~/components/admin/useActionToast";
import { ApplyModeChoice, TierEditor, type EditableProgram } from "~/components/TierEditor";
import { SectionCard } from "~/components/SectionCard";
import { MEMBER_DISCOUNT_TITLE } from "~/domain/member-discount";
import { checkoutSizeErrors } from "~/domain/membership";
import { programSizeErrors } from "~/domain/program-metafield";
import { byRank, perkGradientWarnings, starterProgram, storedProgramSchema, validateProgram, type ProgramIssue, type TierRule } from "~/domain/tiers";
import { formatDateTime, formatMoney, formatNumber, useLocale, useT } from "~/i18n";
import { listGifts } from "~/models/gifts.server";
import { getShop } from "~/models/shops.server";
import { authenticate } from "~/shopify.server";
import { requestBackfill } from "~/services/backfill.server";
import { saveProgram, tiersOverview } from "~/services/tiers.server";
import { previewProgram, type ProgramPreview } from "~/services/tier-preview.server";
import { TierPreview } from "~/components/TierPreview";
import { systemClock } from "~/services/clock.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [overview, shop, gifts] = await Promise.all([tiersOverview(session.shop), getShop(session.shop), listGifts(session.shop)]);
  // Tier perks name gifts from the Gift list (issue 20).
  const giftChoices = gifts.map((gift) => ({ name: gift.name, active: gift.active, kinds: gift.kinds, tierHandles: gift.tierHandles }));
  return json({ ...overview, currencyCode: shop?.currencyCode ?? "USD", timeZone: shop?.ianaTimezone ?? "UTC", gifts: giftChoices });
}

type ActionResult =
  | { intent: "preview"; preview: ProgramPreview; errors: null }
  | { intent: "save"; appliedAt: string; members: number; pending: boolean; errors: null }
  | { intent: "backfill"; errors: null }
  | { intent: string; errors: Record<string, ProgramIssue> };

/** The posted program: its shape first (a broken form), then the merchant's rules. */
function readProgram(form: FormData): { program: EditableProgram } | { errors: Record<string, ProgramIssue> } {
  let raw: unknown;
  try {
    raw = JSON.parse(String(form.get("program") ?? ""));
  } catch {
    return { errors: { form: { key: "tiers.errors.shape" } } };
  }
  const parsed = storedProgramSchema.safeParse(raw);
  if (!parsed.success) return { errors: { form: { key: "tiers.errors.shape" } } };
  const program = { ...parsed.data, timeZone: "UTC" };
  const errors = { ...checkoutSizeErrors(program), ...programSizeErrors(program), ...validateProgram(program) };
  return Object.keys(errors).length > 0 ? { errors } : { program: parsed.data };
}

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const now = systemClock.now();
  if (intent === "backfill") {
    await requestBackfill(session.shop, now);
    return json<ActionResult>({ intent, errors: null });
  }
  if (intent !== "preview" && intent !== "save") return json<ActionResult>({ intent, errors: { form: { key: "tiers.errors.shape" } } }, { status: 422 });
  const read = readProgram(form);
  if ("errors" in read) return json<ActionResult>({ intent, errors: read.errors }, { status: 422 });
  if (intent === "preview") return json<ActionResult>({ intent, preview: await previewProgram(session.shop, read.program, now), errors: null });
  const mode = form.get("mode") === "nextEvaluation" ? "nextEvaluation" : "now";
  const saved = await saveProgram(session.shop, read.program, mode, now);
  return json<ActionResult>({ intent, appliedAt: saved.appliedAt.toISOString(), members: saved.members, pending: saved.appliedAt > now, errors: null });
}

export default function Tiers() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<typeof action>();
  // What is saved (the pending program once one waits to take effect): the save bar shows while the draft differs.
  const saved = useMemo(() => data.pending?.program ?? data.program ?? starterProgram(), [data.pending, data.program]);
  const [program, setProgram] = useState<EditableProgram>(saved);
  // A tier the merchant asked to remove, waiting for their confirmation (the draft without it).
  const [removal, setRemoval] = useState<{ name: string; members: number; next: EditableProgram } | null>(null);
  const [confirmingBackfill, setConfirmingBackfill] = useState(false);
  const [mode, setMode] = useState<"now" | "nextEvaluation">("now");
  const result = fetcher.data as ActionResult | undefined;
  const errors = useMemo(() => Object.fromEntries(Object.entries(result?.errors ?? {}).map(([field, issue]) => [field, t(issue.key, issue.vars)])), [result, t]);
  const warnings = perkGradientWarnings({ ...program, timeZone: "UTC" });
  const money = (minor: number) => formatMoney(minor, data.currencyCode, locale);
  const date = (value: string | Date) => formatDateTime(value, locale, data.timeZone);
  const submit = (intent: string) => fetcher.submit({ intent, program: JSON.stringify(program), mode }, { method: "post" });
  useEffect(() => {
    if (result && "preview" in result) document.getElementById("tier-preview")?.scrollIntoView?.({ behavior: "smooth" });
  }, [result]);
  // Once a save is answered and the page's data reloaded, the saved program is the new starting point.
  const savedOk = fetcher.state === "idle" && result?.intent === "save" && !result.errors;
  useEffect(() => {
    if (savedOk) setProgram(saved);
  }, [saved, savedOk]);
  useActionToast(fetcher.state === "idle" ? result : undefined, (answer) => {
    if (answer.errors) return answer.intent === "save" ? { message: t("tiers.editor.invalid"), isError: true } : null;
    if (answer.intent === "save" && "appliedAt" in answer) return { message: answer.pending ? t("tiers.editor.savedPending", { date: date(answer.appliedAt) }) : t("tiers.editor.saved", { count: formatNumber(answer.members, locale) }) };
    if (answer.intent === "backfill") return { message: t("tiers.backfill.startedToast") };
    return null;
  });
  const dirty = isDirty(program, saved);
  const saving = fetcher.state !== "idle" && fetcher.formData?.get("intent") === "save";
  // Removing a tier from the editor asks first: its members move when the program is saved.
  const changeProgram = (next: EditableProgram) => {
    const removed = program.tiers.find((tier) => !next.tiers.includes(tier));
    if (next.tiers.length < program.tiers.length && removed) setRemoval({ name: removed.name[locale] || removed.name.en, members: data.counts[removed.handle] ?? 0, next });
    else setProgram(next);
  };

  return (
    <Page>
      <TitleBar title={t("tiers.title")}>
        <button type="button" onClick={() => setConfirmingBackfill(true)}>
          {t("tiers.backfill.start")}
        </button>
        <button type="button" variant="primary" onClick={() => submit("preview")}>
          {t("tiers.editor.preview")}
        </button>
      </TitleBar>
      <ConfirmModal
        id="confirm-remove-tier"
        open={removal !== null}
        title={t("tiers.remove.title", { name: removal?.name ?? "" })}
        body={t("tiers.remove.body", { name: removal?.name ?? "", count: formatNumber(removal?.members ?? 0, locale) })}
        confirmLabel={t("tiers.editor.remove")}
        cancelLabel={t("tiers.remove.keep")}
        onConfirm={() => {
          if (removal) setProgram(removal.next);
          setRemoval(null);
        }}
        onCancel={() => setRemoval(null)}
      />
      <ConfirmModal
        id="confirm-backfill"
        open={confirmingBackfill}
        title={t("tiers.backfill.confirm.title")}
        body={t("tiers.backfill.confirm.body")}
        confirmLabel={t("tiers.backfill.confirm.confirm")}
        cancelLabel={t("tiers.backfill.confirm.cancel")}
        destructive={false}
        onConfirm={() => {
          setConfirmingBackfill(false);
          fetcher.submit({ intent: "backfill" }, { method: "post" });
        }}
        onCancel={() => setConfirmingBackfill(false)}
      />
      <Layout>
        {data.historySource === "customerTotals" ? (
          <Layout.Section>
            <Banner tone="warning">{t("tiers.history.customerTotals")}</Banner>
          </Layout.Section>
        ) : null}
        {data.pending ? (
          <Layout.Section>
            <Banner tone="info">{t("tiers.pending", { date: date(data.pending.from) })}</Banner>
          </Layout.Section>
        ) : null}
        {result?.errors ? (
          <Layout.Section>
            <Banner tone="critical">{errors.form ?? t("tiers.editor.invalid")}</Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <BlockStack gap="400">
            <SectionCard title={t("tiers.list.heading")}>
              {data.program ? <TierList tiers={data.program.tiers} counts={data.counts} money={money} /> : <ListEmptyState heading={t("tiers.empty.heading")} body={t("tiers.none")} />}
              {data.program ? (
                <Text as="p" tone="subdued">
                  {data.program.window.kind === "rolling"
                    ? t("tiers.window.rolling", { months: data.program.window.months, grace: data.program.graceDays })
                    : t(data.program.window.kind === "lifetime" ? "tiers.window.lifetime" : "tiers.window.calendarYear", { grace: data.program.graceDays })}
                </Text>
              ) : null}
            </SectionCard>

            <BackfillCard backfill={data.backfill} date={date} onStart={() => setConfirmingBackfill(true)} busy={fetcher.state !== "idle" && fetcher.formData?.get("intent") === "backfill"} />
            {data.program ? <SyncCard sync={data.sync} effect={data.syncEffect} /> : null}
            {data.program ? <ReviewCard review={data.review} /> : null}
            {data.discount ? <DiscountCard discount={data.discount} date={date} /> : null}
            {data.storefront ? <StorefrontCard storefront={data.storefront} date={date} /> : null}

            <SectionCard title={t("tiers.editor.heading")}>
              <SaveBarForm id="tier-program" dirty={dirty} saving={saving} onSave={() => submit("save")} onDiscard={() => setProgram(saved)}>
              <TierEditor program={program} onChange={changeProgram} errors={errors} currencyCode={data.currencyCode} gifts={data.gifts} />
              {warnings.length > 0 ? (
                <Banner tone="warning" title={t("tiers.warnings.heading")}>
                  <List>
                    {warnings.map((warning, i) => (
                      <List.Item key={i}>{t(warning.key, warning.vars)}</List.Item>
                    ))}
                  </List>
                </Banner>
              ) : null}
              {data.program ? <ApplyModeChoice value={mode} onChange={setMode} /> : null}
              {/* Saving is the save bar's (it shows while the draft differs from what is saved); previewing stays here, beside the fields. */}
              <InlineStack gap="200">
                <Button onClick={() => submit("preview")} loading={fetcher.state !== "idle" && fetcher.formData?.get("intent") === "preview"}>
                  {t("tiers.editor.preview")}
                </Button>
              </InlineStack>
              </SaveBarForm>
            </SectionCard>

            {result && "preview" in result ? <TierPreview preview={result.preview} tiers={program.tiers} money={(minor) => formatMoney(minor, result.preview.currencyCode, locale)} timeZone={data.timeZone} /> : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function TierList({ tiers, counts, money }: { tiers: TierRule[]; counts: Record<string, number>; money(minor: number): string }) {
  const t = useT();
  const locale = useLocale();
  const qualifies = (tier: TierRule) => {
    const spend = tier.minNetSpendMinor === null ? null : t("tiers.list.spend", { amount: money(tier.minNetSpendMinor) });
    const orders = tier.minOrders === null ? null : t("tiers.list.orders", { count: tier.minOrders });
    if (spend && orders) return t(tier.qualifyBy === "both" ? "tiers.list.both" : "tiers.list.either", { spend, orders });
    return spend ?? orders ?? t("tiers.list.entry");
  };
  const perks = (tier: TierRule) =>
    [
      tier.perks.discountPercent > 0 ? t("tiers.list.discount", { percent: tier.perks.discountPercent }) : null,
      tier.perks.freeShipping ? t("tiers.list.freeShipping") : null,
      tier.perks.birthdayGift ? t("tiers.list.birthdayGift", { gift: tier.perks.birthdayGift }) : null,
      ...tier.perks.notes.map((note) => note[locale]),
    ]
      .filter(Boolean)
      .join(" · ");
  return (
    <DataTable
      columnContentTypes={["text", "text", "text", "numeric"]}
      headings={[t("tiers.list.name"), t("tiers.list.qualifies"), t("tiers.list.perks"), t("tiers.list.members")]}
      rows={byRank(tiers)
        .reverse()
        .map((tier) => [tier.name[locale] || tier.name.en, qualifies(tier), perks(tier), formatNumber(counts[tier.handle] ?? 0, locale)])}
    />
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function BackfillCard({ backfill, date, onStart, busy }: { backfill: LoaderData["backfill"]; date(value: string): string; onStart(): void; busy: boolean }) {
  const t = useT();
  const locale = useLocale();
  const n = (value: number | null) => (value === null ? "…" : formatNumber(value, locale));
  const active = backfill && !["done", "failed"].includes(backfill.status);
  const progress = backfill?.ordersTotal ? Math.min(100, Math.round(((backfill.customersApplied + backfill.ordersApplied) / ((backfill.customersTotal ?? 0) + backfill.ordersTotal)) * 100)) : 0;
  return (
    <SectionCard title={t("tiers.backfill.heading")}>
      {backfill ? (
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={backfill.status === "done" ? "success" : backfill.status === "failed" ? "critical" : "info"}>{t(`tiers.backfill.status.${backfill.status as "done"}`)}</Badge>
            <Text as="span" tone="subdued">
              {backfill.finishedAt ? t("tiers.backfill.finished", { date: date(backfill.finishedAt) }) : t("tiers.backfill.started", { date: date(backfill.startedAt) })}
            </Text>
          </InlineStack>
          {active ? <ProgressBar progress={backfill.status === "placing" ? 100 : progress} size="small" /> : null}
          <Text as="p">
            {t("tiers.backfill.progress", { customers: n(backfill.customersApplied), customersTotal: n(backfill.customersTotal), orders: n(backfill.ordersApplied), ordersTotal: n(backfill.ordersTotal), placed: n(backfill.placed) })}
          </Text>
          {backfill.error ? (
            <Text as="p" tone="critical">
              {backfill.error}
            </Text>
          ) : null}
          {backfill.skippedLines > 0 ? (
            <Text as="p" tone="caution">
              {t("tiers.backfill.skipped", { count: formatNumber(backfill.skippedLines, locale), reason: backfill.skipReason ?? "" })}
            </Text>
          ) : null}
        </BlockStack>
      ) : (
        <Text as="p">{t("tiers.backfill.none")}</Text>
      )}
      <InlineStack>
        <Button onClick={onStart} disabled={Boolean(active)} loading={busy}>
          {t("tiers.backfill.start")}
        </Button>
      </InlineStack>
    </SectionCard>
  );
}

function SyncCard({ sync, effect }: { sync: LoaderData["sync"]; effect: LoaderData["syncEffect"] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <SectionCard title={t("tiers.sync.heading")}>
      <Text as="p" tone="subdued">
        {t("tiers.sync.help")}
      </Text>
      <Text as="p">{t("tiers.sync.progress", { synced: formatNumber(sync.synced, locale), members: formatNumber(sync.members, locale) })}</Text>
      {sync.rejected > 0 ? (
        <Text as="p" tone="critical">
          {t("tiers.sync.rejected", { count: formatNumber(sync.rejected, locale) })}
        </Text>
      ) : null}
      {effect && effect.status !== "done" && effect.lastError ? (
        <Text as="p" tone="subdued">
          {t("tiers.sync.waiting", { reason: effect.lastError })}
        </Text>
      ) : null}
    </SectionCard>
  );
}

/** The current review (ADR 0011): members under review, where their warning reached them, who no message reached. */
function ReviewCard({ review }: { review: LoaderData["review"] }) {
  const t = useT();
  const locale = useLocale();
  const n = (count: number) => formatNumber(count, locale);
  return (
    <SectionCard title={t("tiers.review.heading")}>
      <div id="tier-review">
        <BlockStack gap="200">
          <Text as="p" tone="subdued">
            {t("tiers.review.help")}
          </Text>
          {review.underReview === 0 ? (
            <Text as="p">{t("tiers.review.none")}</Text>
          ) : (
            <>
              <Text as="p">{t("tiers.review.summary", { members: n(review.underReview), warned: n(review.warned) })}</Text>
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={[t("tiers.review.column.channel"), t("tiers.review.column.members")]}
                rows={[
                  [t("tiers.review.channel.email"), n(review.byChannel.email)],
                  [t("tiers.review.channel.sms"), n(review.byChannel.sms)],
                  [t("tiers.review.channel.account"), n(review.byChannel.account)],
                  [t("tiers.review.channel.flow"), n(review.byChannel.flow)],
                  [t("tiers.review.noMessage"), n(review.noMessage)],
                  [t("tiers.review.notYetWarned"), n(review.notYetWarned)],
                ]}
              />
            </>
          )}
        </BlockStack>
      </div>
    </SectionCard>
  );
}

/** The program as the storefront's blocks and the account page have it (`$app:program`, app/services/program-publish.server.ts). */
function StorefrontCard({ storefront, date }: { storefront: NonNullable<LoaderData["storefront"]>; date(value: string): string }) {
  const t = useT();
  return (
    <SectionCard title={t("tiers.storefront.heading")}>
      <Text as="p" tone="subdued">
        {t("tiers.storefront.help")}
      </Text>
      {storefront.error ? (
        <Banner tone="critical">
          <Text as="p">{t("tiers.storefront.refused", { detail: storefront.error })}</Text>
        </Banner>
      ) : null}
      {storefront.pending ? (
        <Text as="p">{t("tiers.storefront.pending")}</Text>
      ) : storefront.publishedAt ? (
        <Text as="p">{t("tiers.storefront.published", { when: date(storefront.publishedAt) })}</Text>
      ) : (
        <Text as="p">{t("tiers.storefront.never")}</Text>
      )}
    </SectionCard>
  );
}

function DiscountCard({ discount, date }: { discount: NonNullable<LoaderData["discount"]>; date(value: string): string }) {
  const t = useT();
  return (
    <SectionCard title={t("tiers.discount.heading")}>
      <Text as="p" tone="subdued">
        {t("tiers.discount.help")}
      </Text>
      {discount.errorKey ? (
        <Banner tone="critical">
          <BlockStack gap="100">
            <Text as="p">{t(discount.errorKey)}</Text>
            {discount.errorDetail ? <Text as="p">{t("tiers.discount.errors.detail", { detail: discount.errorDetail })}</Text> : null}
          </BlockStack>
        </Banner>
      ) : !discount.needed ? (
        <Text as="p">{t("tiers.discount.none")}</Text>
      ) : discount.active && discount.syncedAt && !discount.pending ? (
        <Text as="p">{t("tiers.discount.active", { title: MEMBER_DISCOUNT_TITLE, when: date(discount.syncedAt) })}</Text>
      ) : (
        <Text as="p">{t("tiers.discount.pending")}</Text>
      )}
      {discount.lastError ? (
        <Text as="p" tone="critical">
          {t("tiers.sync.waiting", { reason: discount.lastError })}
        </Text>
      ) : null}
    </SectionCard>
  );
}
