// The Overview's dashboard (issue 7): members per tier, RFM segment and
// lifecycle stage, active vs dormant over the last 12 weeks, and the top of
// today's follow-ups. Charts are @shopify/polaris-viz, which measures the
// browser's layout: they are drawn once the page runs in the browser, and the
// server renders the same numbers as one line of text under each (an
// accessible summary, not a second table), so the counts are there before
// (and without) the chart.
import { Link } from "@remix-run/react";
import { BlockStack, Box, DataTable, InlineGrid, Text } from "@shopify/polaris";
import { LineChart, PolarisVizProvider, SimpleBarChart } from "@shopify/polaris-viz";
import type { TrendPoint } from "~/domain/dashboard";
import { formatDay, formatNumber, useLocale, useT } from "~/i18n";
import { ClientChart } from "./ClientChart";
import { SectionCard } from "./SectionCard";

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

export interface FollowUpRow {
  id: string;
  customerShopifyId: string;
  customer: string | null;
  reason: string;
  dueOn: string;
  overdue: boolean;
}

function CountsCard({ id, title, rows, empty, series }: { id: string; title: string; rows: CountRow[]; empty: string; series: string }) {
  const locale = useLocale();
  const t = useT();
  const shown = rows.filter((row) => row.count > 0);
  return (
    <div id={id}>
      <SectionCard title={title}>
        {shown.length === 0 ? (
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        ) : (
          <BlockStack gap="200">
            <ClientChart height={Math.max(140, shown.length * 56 + 40)}>
              <SimpleBarChart
                data={[
                  {
                    name: series,
                    data: shown.map((row) => ({
                      key: row.label,
                      value: row.count,
                    })),
                  },
                ]}
                showLegend={false}
                xAxisOptions={{
                  labelFormatter: (value) => formatNumber(Number(value), locale),
                }}
              />
            </ClientChart>
            {/* The chart is drawn in the browser; its figures in one line for every reader (and before it draws). */}
            <div data-chart-summary>
              <Text as="p" tone="subdued" variant="bodySm">
                {shown.map((row) => t("overview.chartSummary", { label: row.label, count: formatNumber(row.count, locale) })).join(" · ")}
              </Text>
            </div>
          </BlockStack>
        )}
      </SectionCard>
    </div>
  );
}

export interface DashboardProps {
  tiers: CountRow[];
  segments: CountRow[];
  stages: CountRow[];
  trend: TrendPoint[];
  followUps: {
    tasks: FollowUpRow[];
    /** On today's list (at most the team's daily capacity). */
    today: number;
    /** Open in all, and of them not on today's list. */
    total: number;
    waiting: number;
    capacity: number;
    reasonText(row: FollowUpRow): string;
  };
}

export function Dashboard({ tiers, segments, stages, trend, followUps }: DashboardProps) {
  const t = useT();
  const locale = useLocale();
  const hasTrend = trend.some((point) => point.active !== null);
  const members = t("dashboard.series.members");
  return (
    <PolarisVizProvider defaultTheme="Light">
      <BlockStack gap="400">
        <div id="dashboard-follow-ups">
          <SectionCard title={t("dashboard.followUps.heading")}>
            {followUps.tasks.length === 0 ? (
              <Text as="p" tone="subdued">
                {t("dashboard.followUps.empty")}
              </Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text"]}
                headings={[t("dashboard.followUps.customer"), t("dashboard.followUps.reason"), t("dashboard.followUps.due")]}
                rows={followUps.tasks.map((task) => [
                  <Link key={task.id} to={`/app/members/${task.customerShopifyId}`}>
                    {task.customer ?? `#${task.customerShopifyId}`}
                  </Link>,
                  followUps.reasonText(task),
                  task.overdue ? t("dashboard.followUps.overdue", { date: formatDay(task.dueOn, locale) }) : formatDay(task.dueOn, locale),
                ])}
              />
            )}
            {followUps.total > 0 ? (
              <Text as="p" tone="subdued">
                {t(followUps.waiting > 0 ? "dashboard.followUps.summaryWaiting" : "dashboard.followUps.summary", {
                  today: formatNumber(followUps.today, locale),
                  total: formatNumber(followUps.total, locale),
                  waiting: formatNumber(followUps.waiting, locale),
                  capacity: formatNumber(followUps.capacity, locale),
                })}
              </Text>
            ) : null}
            <Link to="/app/follow-ups">
              {t("dashboard.followUps.all", {
                count: formatNumber(followUps.total, locale),
              })}
            </Link>
          </SectionCard>
        </div>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <CountsCard id="dashboard-tiers" title={t("dashboard.tiers.heading")} rows={tiers} empty={t("dashboard.tiers.empty")} series={members} />
          <CountsCard id="dashboard-stages" title={t("dashboard.stages.heading")} rows={stages} empty={t("dashboard.unclassified")} series={members} />
        </InlineGrid>
        <CountsCard id="dashboard-segments" title={t("dashboard.segments.heading")} rows={segments} empty={t("dashboard.unclassified")} series={members} />
        <div id="dashboard-trend">
          <SectionCard title={t("dashboard.trend.heading")}>
            {hasTrend ? (
              <BlockStack gap="200">
                <ClientChart height={260}>
                  <LineChart
                    data={[
                      {
                        name: t("dashboard.trend.active"),
                        data: trend.map((point) => ({
                          key: point.weekEnding,
                          value: point.active,
                        })),
                      },
                      {
                        name: t("dashboard.trend.dormant"),
                        data: trend.map((point) => ({
                          key: point.weekEnding,
                          value: point.dormant,
                        })),
                      },
                    ]}
                  />
                </ClientChart>
                <Box>
                  <Text as="p" tone="subdued">
                    {t("dashboard.trend.help")}
                  </Text>
                </Box>
              </BlockStack>
            ) : (
              <Text as="p" tone="subdued">
                {t("dashboard.trend.empty")}
              </Text>
            )}
          </SectionCard>
        </div>
      </BlockStack>
    </PolarisVizProvider>
  );
}
