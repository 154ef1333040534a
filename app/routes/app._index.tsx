import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css";
import { z } from "zod";
import { Dashboard, type CountRow, type FollowUpRow } from "~/components/DashboardCharts";
import { FailedWebhooksTable } from "~/components/FailedWebhooksTable";
import { InboxHealthCard } from "~/components/InboxHealthCard";
import { MemberSummaryCard } from "~/components/MemberSummaryCard";
import { trendStart, weeklyTrend } from "~/domain/dashboard";
import { FOLLOW_UP_REASONS } from "~/domain/follow-ups";
import { LIFECYCLE_STAGES, RFM_SEGMENTS, segmentName, stageName } from "~/domain/intelligence";
import { useLocale, useT, type MessageKey } from "~/i18n";
import { memberSummary } from "~/models/customers.server";
import { classificationCounts, intelSnapshotsSince } from "~/models/dashboard.server";
import { inboxStatusCounts, listFailedInboxEvents, retryInboxEvents } from "~/models/inbox.server";
import { getShop } from "~/models/shops.server";
import { getTierProgram, membersPerTier } from "~/models/tiers.server";
import { systemClock } from "~/services/clock.server";
import { todaysFollowUps } from "~/services/follow-ups.server";
import { authenticate } from "~/shopify.server";

// The dashboard lives on the Overview, the page the app opens on: members by
// tier, segment and stage, the 12-week trend and today's follow-ups are what a
// merchant looks at first, and a separate page would repeat the member summary.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const TREND_WEEKS = 12;
const FOLLOW_UPS_SHOWN = 5;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = systemClock.now();
  const [members, inbox, failed, shop, tierCounts, program, classified, followUps] = await Promise.all([
    memberSummary(session.shop),
    inboxStatusCounts(session.shop),
    listFailedInboxEvents(session.shop, 20),
    getShop(session.shop),
    membersPerTier(session.shop),
    getTierProgram(session.shop),
    classificationCounts(session.shop),
    todaysFollowUps(session.shop, now),
  ]);
  const snapshots = await intelSnapshotsSince(session.shop, trendStart(followUps.today, TREND_WEEKS));
  return json({
    members,
    inbox,
    failed,
    timeZone: shop?.ianaTimezone ?? "UTC",
    dashboard: {
      // Tiers in the program's order, each with its names; a handle no longer in the program last.
      tiers: [
        ...(program?.tiers ?? []).map((tier) => ({ key: tier.handle, name: tier.name as Record<string, string> | null, count: tierCounts.get(tier.handle) ?? 0 })),
        ...[...tierCounts].filter(([handle]) => !program?.tiers.some((tier) => tier.handle === handle)).map(([handle, count]) => ({ key: handle, name: null, count })),
      ],
      segments: classified.segments,
      stages: classified.stages,
      trend: weeklyTrend(snapshots, followUps.today, TREND_WEEKS),
      // The same counts as the Follow-ups page (todaysFollowUps): today's list
      // (the team's capacity, most valuable first), all open, and waiting.
      followUps: {
        today: followUps.tasks.length,
        total: followUps.open,
        waiting: followUps.waiting,
        capacity: followUps.capacity,
        tasks: followUps.tasks.slice(0, FOLLOW_UPS_SHOWN).map((task) => ({
          id: task.id,
          customerShopifyId: task.customerShopifyId,
          customer: task.customer ? [task.customer.firstName, task.customer.lastName].filter(Boolean).join(" ") || task.customer.email || null : null,
          reason: task.reason,
          detail: JSON.parse(task.detail) as Record<string, unknown>,
          dueOn: task.dueOn,
          overdue: task.overdue,
        })),
      },
    },
  });
}

// The page's retry button sends only `intent`; `id` fields narrow it to chosen rows.
const retryForm = z.object({
  intent: z.literal("retry"),
  ids: z.array(z.coerce.number().int().positive()).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const ids = form.getAll("id");
  const parsed = retryForm.safeParse({ intent: form.get("intent"), ids: ids.length ? ids : undefined });
  if (!parsed.success) {
    return json({ retried: null, fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 422 });
  }
  const retried = await retryInboxEvents(session.shop, parsed.data.ids);
  return json({ retried, fieldErrors: null });
}

export default function Overview() {
  const { members, inbox, failed, timeZone, dashboard } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const tiers: CountRow[] = dashboard.tiers.map((tier) => ({ key: tier.key, label: tier.name?.[locale] || tier.name?.en || tier.key, count: tier.count }));
  const segments: CountRow[] = RFM_SEGMENTS.map((segment) => ({ key: segment, label: t(segmentName(segment).key), count: dashboard.segments[segment] ?? 0 }));
  const stages: CountRow[] = LIFECYCLE_STAGES.map((stage) => ({ key: stage, label: t(stageName(stage).key), count: dashboard.stages[stage] ?? 0 }));
  const details = new Map(dashboard.followUps.tasks.map((task) => [task.id, task.detail]));
  const reasonText = (task: FollowUpRow) => {
    if (!(FOLLOW_UP_REASONS as readonly string[]).includes(task.reason)) return task.reason;
    const detail = details.get(task.id) ?? {};
    return t(`followUps.reason.${task.reason}` as MessageKey, { date: String(detail.on ?? ""), score: String(detail.completeness ?? 0) });
  };
  return (
    <Page title={t("overview.title")}>
      <Layout>
        {result?.retried !== null && result?.retried !== undefined ? (
          <Layout.Section>
            <Banner tone="success">{t("overview.failed.retried", { count: result.retried })}</Banner>
          </Layout.Section>
        ) : null}
        {result?.fieldErrors ? (
          <Layout.Section>
            <Banner tone="critical">{t("errors.invalidRequest")}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <MemberSummaryCard summary={members} timeZone={timeZone} />
            <Dashboard tiers={tiers} segments={segments} stages={stages} trend={dashboard.trend} followUps={{ ...dashboard.followUps, reasonText }} />
            <InboxHealthCard counts={inbox} />
            <FailedWebhooksTable events={failed} total={inbox.failed} timeZone={timeZone} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
