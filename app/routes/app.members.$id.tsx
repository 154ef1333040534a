import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Button, DataTable, FormLayout, InlineStack, Layout, Link as PolarisLink, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { useActionToast } from "~/components/admin/useActionToast";
import { MemberTimeline } from "~/components/member/MemberTimeline";
import { staffIdOf, useStaffLabel } from "~/components/member/staff-label";
import { TierWhyCard } from "~/components/member/TierWhyCard";
import { qualifyingLabel } from "~/components/QualifyingLabel";
import { z } from "zod";
import { CustomerFileEditor } from "~/components/CustomerFileEditor";
import { IssueReward } from "~/components/IssueReward";
import { SectionCard } from "~/components/SectionCard";
import { explainLifecycle, explainRfm, explainValueClass, segmentDescription, segmentName, stageName, type LifecycleStage, type RfmSegment, type ValueClass } from "~/domain/intelligence";
import { membershipValueSchema } from "~/domain/membership";
import { byRank, systemReason } from "~/domain/tiers";
import { formatDateTime, formatDay, formatMoney, formatNumber, useLocale, useT, type MessageKey } from "~/i18n";
import { memberFile } from "~/models/members.server";
import { getShop } from "~/models/shops.server";
import { memberWarning } from "~/models/tier-warnings.server";
import { getTierProgram } from "~/models/tiers.server";
import { authenticate } from "~/shopify.server";
import { memberInsight, memberStanding } from "~/services/member-page.server";
import { knownStaffNames } from "~/models/staff-members.server";
import { rewardPanel } from "~/services/rewards.server";
import { PinRefused, pinMember } from "~/services/tiers.server";
import { customerExists } from "~/models/customer-file.server";
import { systemClock } from "~/services/clock.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = systemClock.now();
  const [file, shop, program] = await Promise.all([memberFile(session.shop, params.id ?? ""), getShop(session.shop), getTierProgram(session.shop)]);
  if (!file) throw new Response("Not found", { status: 404 });
  const [insight, rewards, warning, standing] = await Promise.all([
    memberInsight(session.shop, file.customer.shopifyId, now),
    rewardPanel(session.shop, file.customer.shopifyId),
    memberWarning(session.shop, file.customer.shopifyId),
    memberStanding(session.shop, file.customer.shopifyId, now),
  ]);
  const membership = file.tier?.membershipValue ? membershipValueSchema.safeParse(JSON.parse(file.tier.membershipValue)) : null;
  // Every staff member the page mentions, named once (models/staff-members.server.ts).
  const staffIds = [
    ...insight.timeline.map((entry) => staffIdOf(entry.detail.staffId as string | null)),
    ...file.history.map((change) => staffIdOf(change.actor)),
    staffIdOf(file.tier?.pinnedBy),
    ...rewards.rewards.map((reward) => staffIdOf(reward.issuedById)),
  ];
  const staffNames = Object.fromEntries(await knownStaffNames(session.shop, staffIds));
  return json({
    ...file,
    ...insight,
    rewards,
    warning,
    standing,
    staffNames,
    programWindow: program?.window ?? null,
    now: now.toISOString(),
    membership: membership?.success ? membership.data : null,
    tiers: program ? byRank(program.tiers).map((tier) => ({ handle: tier.handle, name: tier.name })) : [],
    currencyCode: shop?.currencyCode ?? "USD",
    timeZone: shop?.ianaTimezone ?? "UTC",
  });
}

const pinForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("pin"),
    handle: z.string().min(1),
    until: z.iso.date(),
    reason: z.string().trim().min(1),
  }),
  z.object({ intent: z.literal("unpin"), reason: z.string().trim().default("") }),
]);

/** Who did it, from the session token of the staff member using the admin. */
const staffActor = (sub: string | undefined) => (sub ? `staff ${sub}` : "staff");

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  // Only a customer of this shop can be pinned (issue 18): any other id is 404 and nothing is written.
  const id = params.id ?? "";
  if (!(await customerExists(session.shop, id))) throw new Response("Not found", { status: 404 });
  const parsed = pinForm.safeParse(Object.fromEntries(await request.formData()));
  const now = systemClock.now();
  if (!parsed.success) {
    const fields = z.flattenError(parsed.error).fieldErrors as Record<string, string[] | undefined>;
    return json({ ok: false, errors: { reason: fields.reason ? "member.pin.errors.reason" : null, until: fields.until ? "member.pin.errors.until" : null } }, { status: 422 });
  }
  const form = parsed.data;
  const until = form.intent === "pin" ? new Date(`${form.until}T23:59:59Z`) : null;
  if (until && until <= now) return json({ ok: false, errors: { reason: null, until: "member.pin.errors.until" } }, { status: 422 });
  try {
    await pinMember(session.shop, id, { handle: form.intent === "pin" ? form.handle : null, until, reason: form.reason || "pin removed", actor: staffActor(sessionToken?.sub) }, now);
  } catch (error) {
    if (!(error instanceof PinRefused)) throw error;
    // The page offers only the program's tiers: another handle is a forged request, refused, not a 500.
    throw new Response(error.reason === "noCustomer" ? "Not found" : `Bad request: ${error.message}`, { status: error.reason === "noCustomer" ? 404 : 400 });
  }
  return json({ ok: true, errors: null });
}

/** A local date (YYYY-MM-DD) as the admin writes dates, without a time. */

export default function Member() {
  const { customer, tier, history, membership, tiers, currencyCode, timeZone, classification, rfm, settings, file, timeline, now, rewards, warning, standing, staffNames, programWindow } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<typeof action>();
  const [handle, setHandle] = useState(tier?.pinnedHandle ?? tiers.at(-1)?.handle ?? "");
  const [until, setUntil] = useState("");
  const [reason, setReason] = useState("");
  const [confirmUnpin, setConfirmUnpin] = useState(false);
  const staff = useStaffLabel(staffNames);
  const tierName = (value: string | null) => (value ? (tiers.find((t_) => t_.handle === value)?.name[locale] ?? value) : "");
  const reasonText = (reason: string) => {
    const known = systemReason(reason);
    return known ? t(known.key, known.vars) : reason;
  };
  const date = (value: string) => formatDateTime(value, locale, timeZone);
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || `#${customer.shopifyId}`;
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : null;
  const progress = membership?.progress;
  useActionToast(fetcher.state === "idle" ? fetcher.data : undefined, (data) => (data.ok ? { message: t("member.pin.saved") } : null));
  // The customer in Shopify's admin (App Bridge's shopify: protocol, shopify.dev/docs/api/app-home/apis/navigation).
  const adminUrl = `shopify://admin/customers/${customer.shopifyId}`;
  return (
    <Page>
      <TitleBar title={name}>
        <a variant="breadcrumb" href="/app/members">
          {t("members.title")}
        </a>
        <a href={adminUrl} target="_top">
          {t("member.openInShopify")}
        </a>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {standing && programWindow ? <TierWhyCard standing={standing} window={programWindow} currencyCode={currencyCode} date={date} day={(value) => formatDay(value, locale)} /> : null}

            <MemberTimeline timeline={timeline} staffNames={staffNames} currencyCode={currencyCode} date={date} tierName={tierName} />

            <SectionCard title={t("member.history.heading")}>
              {history.length === 0 ? (
                <Text as="p">{t("member.history.empty")}</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={[t("member.history.when"), t("member.history.change"), t("member.history.why"), t("member.history.who")]}
                  rows={history.map((change) => [
                    date(change.at),
                    t(`member.history.action.${change.action}` as MessageKey, { from: tierName(change.fromHandle), to: tierName(change.toHandle) }),
                    reasonText(change.reason),
                    change.actor ? staff(change.actor) : t("member.history.app"),
                  ])}
                />
              )}
            </SectionCard>

            <SectionCard title={t("member.scores.heading")}>
              <MemberScores classification={classification} rfm={rfm} settings={settings} now={now} currencyCode={currencyCode} timeZone={timeZone} />
            </SectionCard>

            <CustomerFileEditor customerShopifyId={customer.shopifyId} file={file} timeZone={timeZone} />

            <IssueReward customerShopifyId={customer.shopifyId} panel={rewards} currencyCode={currencyCode} timeZone={timeZone} staffNames={staffNames} />
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SectionCard title={t("member.summary.heading")}>
              <div id="member-summary">
                <BlockStack gap="200">
                  {tier ? (
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="p" variant="headingMd">
                        {tierName(tier.tierHandle)}
                      </Text>
                      {tier.downgradeOn ? <Badge tone="warning">{t("members.underReview")}</Badge> : null}
                    </InlineStack>
                  ) : (
                    <Text as="p">{t("member.tier.none")}</Text>
                  )}
                  {tier ? (
                    <Text as="p" tone="subdued">
                      {t("member.tier.since", { tier: tierName(tier.tierHandle), date: date(tier.since) })}
                    </Text>
                  ) : null}
                  {standing && programWindow ? (
                    <Text as="p">
                      {t("member.summary.qualifying", { label: qualifyingLabel(t, programWindow, "spend"), amount: formatMoney(standing.totals.netSpendMinor, currencyCode, locale) })}
                    </Text>
                  ) : null}
                  <Text as="p">{t("member.summary.lifetime", { orders: formatNumber(customer.orderCount, locale), spend: formatMoney(customer.netSpentMinor, currencyCode, locale) })}</Text>
                  {!standing && progress?.spendNeededMinor ? <Text as="p">{t("member.tier.progress", { amount: formatMoney(progress.spendNeededMinor, progress.currencyCode, locale), tier: progress.next.name[locale] })}</Text> : null}
                  {tier?.downgradeOn ? (
                    <Text as="p" tone="caution">
                      {t("member.tier.downgradeOn", { date: date(tier.downgradeOn) })}
                    </Text>
                  ) : null}
                  {/* Where the warning reached them (ADR 0011): no downgrade before it has. */}
                  {warning ? (
                    <Text as="p" tone="subdued">
                      {warning.firstWarnedAt
                        ? t("member.tier.warned", {
                            date: date(warning.firstWarnedAt),
                            channels: (["email", "sms", "account", "flow"] as const)
                              .filter((channel) => warning[({ email: "emailAt", sms: "smsAt", account: "publishedAt", flow: "flowAt" } as const)[channel]])
                              .map((channel) => t(`tiers.review.channel.${channel}`))
                              .join(locale === "zh-CN" ? "、" : "; "),
                          })
                        : t("member.tier.notWarned")}
                    </Text>
                  ) : null}
                  {tier?.pinnedHandle && tier.pinnedUntil ? (
                    <Text as="p" tone="subdued">
                      {t("member.tier.pinned", { tier: tierName(tier.pinnedHandle), date: date(tier.pinnedUntil), actor: staff(tier.pinnedBy), reason: tier.pinnedReason ?? "" })}
                    </Text>
                  ) : null}
                </BlockStack>
              </div>
            </SectionCard>

            <SectionCard title={t("member.contact.heading")}>
              <BlockStack gap="100">
                {customer.email ? <Text as="p">{customer.email}</Text> : null}
                {customer.phone ? <Text as="p">{customer.phone}</Text> : null}
                <PolarisLink url={adminUrl} target="_top" id="member-admin-link">
                  {t("member.openInShopify")}
                </PolarisLink>
              </BlockStack>
            </SectionCard>

            {tiers.length > 0 ? (
              <SectionCard title={t("member.pin.heading")}>
                <fetcher.Form method="post">
                  <FormLayout>
                    <Select label={t("member.pin.tier")} name="handle" options={tiers.map((option) => ({ label: option.name[locale], value: option.handle }))} value={handle} onChange={setHandle} />
                    <TextField label={t("member.pin.until")} type="date" name="until" value={until} onChange={setUntil} autoComplete="off" error={errors?.until ? t(errors.until as MessageKey) : undefined} />
                    <TextField label={t("member.pin.reason")} name="reason" value={reason} onChange={setReason} autoComplete="off" error={errors?.reason ? t(errors.reason as MessageKey) : undefined} />
                    <InlineStack gap="200">
                      <Button submit variant="primary" loading={fetcher.state !== "idle"}>
                        {t("member.pin.submit")}
                      </Button>
                      {tier?.pinnedHandle ? (
                        <Button tone="critical" onClick={() => setConfirmUnpin(true)}>
                          {t("member.pin.remove")}
                        </Button>
                      ) : null}
                    </InlineStack>
                    <input type="hidden" name="intent" value="pin" />
                  </FormLayout>
                </fetcher.Form>
                <ConfirmModal
                  id="member-unpin"
                  open={confirmUnpin}
                  title={t("member.pin.removeTitle")}
                  body={t("member.pin.removeBody", { tier: tierName(tier?.pinnedHandle ?? null) })}
                  confirmLabel={t("member.pin.remove")}
                  cancelLabel={t("member.pin.keep")}
                  onConfirm={() => {
                    setConfirmUnpin(false);
                    fetcher.submit({ intent: "unpin", reason }, { method: "post" });
                  }}
                  onCancel={() => setConfirmUnpin(false)}
                />
              </SectionCard>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** The member's scores, each with the sentence that explains it ("R 4: last order 18 days ago"). */
function MemberScores({ classification, rfm, settings, now, currencyCode, timeZone }: Pick<Loaded, "classification" | "rfm" | "settings" | "now" | "currencyCode" | "timeZone">) {
  const t = useT();
  const locale = useLocale();
  if (!classification?.lifecycleStage) return <Text as="p">{t("member.scores.none")}</Text>;
  const at = new Date(now);
  const dateOf = (value: string | null) => (value ? new Date(value) : null);
  const score =
    classification.rfmSegment && classification.rfmRecency && classification.rfmFrequency && classification.rfmMonetary
      ? { recency: classification.rfmRecency, frequency: classification.rfmFrequency, monetary: classification.rfmMonetary, segment: classification.rfmSegment as RfmSegment }
      : null;
  const lines = explainRfm(score as Parameters<typeof explainRfm>[0], { ...rfm, lastOrderAt: dateOf(rfm.lastOrderAt) }, at, (minor) => formatMoney(minor, currencyCode, locale), settings.rfm);
  const lifecycle = explainLifecycle(
    {
      orderCount: classification.orderCount,
      firstOrderAt: dateOf(classification.firstOrderAt),
      lastOrderAt: dateOf(classification.lastOrderAt),
      firstDeliveredAt: dateOf(classification.firstDeliveredAt),
      intervalDays: classification.cadenceDays ?? settings.cadence.defaultIntervalDays,
    },
    at,
    settings.lifecycle,
  );
  const value = explainValueClass(classification.valueClass as ValueClass | null, settings.valueClass, settings.rfm.windowDays);
  return (
    <BlockStack gap="200">
      <InlineStack gap="200">
        {classification.rfmSegment ? <Badge tone="info">{t(segmentName(classification.rfmSegment as RfmSegment).key)}</Badge> : null}
        <Badge tone={classification.lifecycleStage === "atRisk" ? "warning" : undefined}>{t(stageName(classification.lifecycleStage as LifecycleStage).key)}</Badge>
      </InlineStack>
      {classification.rfmSegment ? (
        <Text as="p" tone="subdued">
          {t(segmentDescription(classification.rfmSegment as RfmSegment).key)}
        </Text>
      ) : null}
      {[...lines, lifecycle, value].map((line, index) => (
        <Text key={index} as="p">
          {t(line.key as MessageKey, line.vars as Record<string, string | number>)}
        </Text>
      ))}
      {classification.cadenceDays ? (
        <Text as="p">
          {t("member.scores.cadence", {
            days: Math.round(classification.cadenceDays),
            next: classification.nextOrderAt ? formatDateTime(classification.nextOrderAt, locale, timeZone) : "—",
            reminder: classification.reminderAt ? formatDateTime(classification.reminderAt, locale, timeZone) : "—",
          })}
        </Text>
      ) : null}
    </BlockStack>
  );
}
