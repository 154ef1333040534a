// The Overview (issues 7 and 20), the page the app opens on, for the
// merchant: the program's KPIs over the period they pick (the last 30, 90 or
// 365 days, in the URL), the day's follow-ups, and members by tier, stage and
// segment with the 12-week trend. The webhook inbox and job health are on the
// Status page (app.status.tsx). A shop with no member yet gets an empty state
// that says how the program fills.
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css";
import { ListEmptyState } from "~/components/admin/ListEmptyState";
import { Dashboard, type CountRow, type FollowUpRow } from "~/components/DashboardCharts";
import { MemberSummaryCard } from "~/components/MemberSummaryCard";
import { ProgramKpiCards } from "~/components/ProgramKpis";
import { trendStart, weeklyTrend } from "~/domain/dashboard";
import { FOLLOW_UP_REASONS } from "~/domain/follow-ups";
import { LIFECYCLE_STAGES, RFM_SEGMENTS, segmentName, stageName } from "~/domain/intelligence";
import { KPI_PERIODS, type KpiPeriod } from "~/domain/program-kpis";
import { formatDate, formatDay, useLocale, useT, type MessageKey } from "~/i18n";
import { memberSummary } from "~/models/customers.server";
import { classificationCounts, intelSnapshotsSince } from "~/models/dashboard.server";
import { getShop } from "~/models/shops.server";
import { getTierProgram, membersPerTier } from "~/models/tiers.server";
import { systemClock } from "~/services/clock.server";
import { todaysFollowUps } from "~/services/follow-ups.server";
import { programOverview } from "~/services/overview.server";
import { authenticate } from "~/shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const TREND_WEEKS = 12;
const FOLLOW_UPS_SHOWN = 5;

/** The period in the URL (`?period=90`); anything else reads the last 30 days. */
const periodOf = (value: string | null): KpiPeriod => KPI_PERIODS.find((days) => String(days) === value) ?? 30;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = systemClock.now();
  const period = periodOf(new URL(request.url).searchParams.get("period"));
  const shop = await getShop(session.shop);
  const timeZone = shop?.ianaTimezone ?? "UTC";
  const [members, tierCounts, program, classified, followUps, kpis] = await Promise.all([
    memberSummary(session.shop),
    membersPerTier(session.shop),
    getTierProgram(session.shop),
    classificationCounts(session.shop),
    todaysFollowUps(session.shop, now),
    programOverview(session.shop, period, now, timeZone),
  ]);
  const snapshots = await intelSnapshotsSince(session.shop, trendStart(followUps.today, TREND_WEEKS));
  const tierName = new Map((program?.tiers ?? []).map((tier) => [tier.handle, tier.name as Record<string, string> | null]));
  return json({
    members,
    timeZone,
    currencyCode: shop?.currencyCode ?? members.currencyCode ?? "USD",
    period,
    kpis: {
      ...kpis,
      from: kpis.from.toISOString(),
      to: kpis.to.toISOString(),
      repeatByTier: kpis.repeatByTier.map((tier) => ({ ...tier, names: tierName.get(tier.tierHandle) ?? null })),
    },
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

export default function Overview() {
  const { members, timeZone, currencyCode, period, kpis, dashboard } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  // Only a change of period on this page reloads the figures; another page's loading shows the app's skeleton.
  const reloading = navigation.state === "loading" && navigation.location?.pathname === "/app" && navigation.location.search !== `?${params.toString()}`;
  const nameOf = (names: Record<string, string> | null, fallback: string) => names?.[locale] || names?.en || fallback;
  const tiers: CountRow[] = dashboard.tiers.map((tier) => ({ key: tier.key, label: nameOf(tier.name, tier.key), count: tier.count }));
  const segments: CountRow[] = RFM_SEGMENTS.map((segment) => ({ key: segment, label: t(segmentName(segment).key), count: dashboard.segments[segment] ?? 0 }));
  const stages: CountRow[] = LIFECYCLE_STAGES.map((stage) => ({ key: stage, label: t(stageName(stage).key), count: dashboard.stages[stage] ?? 0 }));
  const details = new Map(dashboard.followUps.tasks.map((task) => [task.id, task.detail]));
  const reasonText = (task: FollowUpRow) => {
    if (!(FOLLOW_UP_REASONS as readonly string[]).includes(task.reason)) return task.reason;
    const detail = details.get(task.id) ?? {};
    return t(`followUps.reason.${task.reason}` as MessageKey, { date: typeof detail.on === "string" ? formatDay(detail.on, locale) : String(detail.on ?? ""), score: String(detail.completeness ?? 0) });
  };
  const fresh = members.members === 0 && dashboard.tiers.every((tier) => tier.count === 0);

  return (
    <Page>
      <TitleBar title={t("overview.title")} />
      <Layout>
        {fresh ? (
          <Layout.Section>
            <Card>
              <ListEmptyState heading={t("overview.empty.heading")} body={t("overview.empty.body")} action={{ content: t("overview.empty.action"), url: "/app/tiers" }} />
            </Card>
          </Layout.Section>
        ) : (
          <Layout.Section>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="end" gap="400">
                <Text as="h2" variant="headingLg" id="kpi-heading">
                  {t("overview.kpi.heading", { from: formatDate(kpis.from, locale, timeZone), to: formatDate(kpis.to, locale, timeZone) })}
                </Text>
                <div style={{ minWidth: "12rem" }}>
                  <Select
                    label={t("overview.period.label")}
                    options={KPI_PERIODS.map((days) => ({ label: t(`overview.period.${days}` as MessageKey), value: String(days) }))}
                    value={String(period)}
                    onChange={(value) => submit({ period: value }, { method: "get", preventScrollReset: true, replace: true })}
                  />
                </div>
              </InlineStack>
              <ProgramKpiCards kpis={{ ...kpis, repeatByTier: kpis.repeatByTier.map((tier) => ({ ...tier, name: nameOf(tier.names, tier.tierHandle) })) }} currencyCode={currencyCode} loading={reloading} />
              <Dashboard tiers={tiers} segments={segments} stages={stages} trend={dashboard.trend} followUps={{ ...dashboard.followUps, reasonText }} />
              <MemberSummaryCard summary={members} timeZone={timeZone} />
            </BlockStack>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
