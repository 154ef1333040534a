// The report of one activity against its holdout (issue 9): what happened to
// its messages, how the contacted group and the holdout bought in the window,
// and what that is worth. The incremental figure (contacted minus holdout) is
// the one that says what the activity earned; the attributed revenue beside it
// is every window order of the contacted group and is labelled as not
// incremental, because it counts orders that would have come anyway. The
// chart is @shopify/polaris-viz, drawn in the browser only (it measures the
// layout); the tables carry every number on the server-rendered page.
import { Banner, BlockStack, Box, DataTable, InlineGrid, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { MIN_GROUP_FOR_INTERVAL, type Interval } from "~/domain/results/attribution";
import type { ActivitySummary } from "~/domain/results/report";
import { formatMoney, formatNumber, useLocale, useT, type Locale, type MessageKey } from "~/i18n";
import { ClientChart } from "./ClientChart";
import { SectionCard } from "./SectionCard";

export function formatPercent(value: number, locale: Locale, digits = 1): string {
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 0, maximumFractionDigits: digits }).format(value);
}

/** How the report and the Results page write an activity's figures, in the shop's currency and the merchant's language. */
export function useFigures(currencyCode: string) {
  const t = useT();
  const locale = useLocale();
  const money = (minor: number) => formatMoney(minor, currencyCode, locale);
  const percent = (value: number) => formatPercent(value, locale);
  const range = (interval: Interval | null, format: (n: number) => string) =>
    interval ? t("results.interval", { estimate: format(interval.estimate), low: format(interval.low), high: format(interval.high) }) : t("results.noInterval");
  return { t, locale, money, percent, range, number: (n: number) => formatNumber(n, locale) };
}

/** Contacted vs held out on one measure: two bars, a legend naming the groups, and the difference with its 95% interval beneath (a bar chart has no error bars). */
function GroupChart({ title, metric, contacted, holdout, format, difference, noOrders }: { title: string; metric: string; contacted: number; holdout: number; format: (n: number) => string; difference: string; noOrders: boolean }) {
  const t = useT();
  const label = (value: string | number | null) => format(Number(value ?? 0));
  // Two empty bars on a 0–100% axis read as a measured zero; with no order in either group nothing has been measured yet.
  if (noOrders) {
    return (
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <Text as="p" tone="subdued">
          {t("results.chart.noOrders")}
        </Text>
      </BlockStack>
    );
  }
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <ClientChart height={240}>
        <BarChart
          data={[
            { name: t("results.group.contacted"), data: [{ key: metric, value: contacted }] },
            { name: t("results.group.holdout"), data: [{ key: metric, value: holdout }] },
          ]}
          yAxisOptions={{ labelFormatter: label }}
          tooltipOptions={{ valueFormatter: label }}
        />
      </ClientChart>
      <Text as="p" tone="subdued">
        {t("results.difference", { value: difference })}
      </Text>
    </BlockStack>
  );
}

const COUNTS = ["audience", "contacted", "heldOut", "sent", "deferred", "blocked", "failed", "expired", "cancelled", "opened"] as const;

export function CampaignReport({ summary }: { summary: ActivitySummary }) {
  const { t, money, percent, range, number } = useFigures(summary.currencyCode);
  const { counts, result } = summary;
  const { contacted, holdout } = result;
  const roi = (value: number) => percent(value);
  const noOrders = contacted.orders + holdout.orders === 0;
  return (
    <PolarisVizProvider defaultTheme="Light">
      <BlockStack gap="400">
        {summary.windowOpen ? (
          <Banner tone="info" title={t("results.windowOpen.title")}>
            {t("results.windowOpen.body", { days: result.windowDays })}
          </Banner>
        ) : null}
        <div id="report-counts">
          <SectionCard title={t("results.counts.heading")}>
            <DataTable
              columnContentTypes={["text", "numeric"]}
              headings={[]}
              rows={COUNTS.map((key) => [t(`results.count.${key}` as MessageKey), key === "opened" && counts.opened === null ? t("results.notKnown") : number(counts[key] ?? 0)])}
            />
            <Text as="p" tone="subdued">
              {t("results.counts.help")}
            </Text>
          </SectionCard>
        </div>
        <div id="report-groups">
          <SectionCard title={t("results.groups.heading", { days: result.windowDays })}>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <GroupChart title={t("results.conversion")} metric={t("results.conversion")} contacted={contacted.conversionRate} holdout={holdout.conversionRate} format={percent} difference={range(result.conversionLift, percent)} noOrders={noOrders} />
              <GroupChart title={t("results.revenuePerMember")} metric={t("results.revenuePerMember")} contacted={contacted.revenuePerMember} holdout={holdout.revenuePerMember} format={money} difference={range(result.revenuePerMemberLift, money)} noOrders={noOrders} />
            </InlineGrid>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["", t("results.group.contacted"), t("results.group.holdout")]}
              rows={[
                [t("results.group.members"), number(contacted.members), number(holdout.members)],
                [t("results.group.converters"), number(contacted.converters), number(holdout.converters)],
                [t("results.group.orders"), number(contacted.orders), number(holdout.orders)],
                [t("results.conversion"), percent(contacted.conversionRate), percent(holdout.conversionRate)],
                [t("results.group.revenue"), money(contacted.revenueMinor), money(holdout.revenueMinor)],
                [t("results.revenuePerMember"), money(contacted.revenuePerMember), money(holdout.revenuePerMember)],
              ]}
            />
          </SectionCard>
        </div>
        <div id="report-value">
          <SectionCard title={t("results.value.heading")}>
            <DataTable
              columnContentTypes={["text", "numeric"]}
              headings={[]}
              rows={[
                [t("results.conversionLift"), range(result.conversionLift, percent)],
                [t("results.incrementalRevenue"), range(result.incrementalRevenue, money)],
                [t("results.attributedRevenue"), money(result.attributedRevenueMinor)],
                [t("results.costs"), money(result.costsMinor)],
                [t("results.roi"), result.roi ? range(result.roi, roi) : t(result.incrementalRevenue ? "results.roi.noCosts" : "results.noInterval")],
              ]}
            />
            <Box>
              <BlockStack gap="100">
                <Text as="p" tone="subdued">
                  {t("results.incrementalRevenue.help")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("results.attributedRevenue.help")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("results.costs.help")}
                </Text>
                {result.incrementalRevenue ? null : (
                  <Text as="p" tone="subdued">
                    {t("results.noInterval.help", { min: MIN_GROUP_FOR_INTERVAL })}
                  </Text>
                )}
              </BlockStack>
            </Box>
          </SectionCard>
        </div>
      </BlockStack>
    </PolarisVizProvider>
  );
}
