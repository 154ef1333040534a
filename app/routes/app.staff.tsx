// Staff performance (issues 7 and 21): per staff member and per store, over a
// chosen period, the customer files they registered, kept and completed, how
// complete and current those are, the members they brought in (a registered
// file, or a first purchase rung up at their POS) and those members' net
// spend in their first 90 days. The figures are app/domain/staff-performance.ts's;
// staff by name (models/staff-members.server.ts), stores by the name Shopify
// gives them (models/shop-locations.server.ts; "Store <id>" until the app has
// read the shop's locations, or when the shop has not granted read_locations).
// A store picker narrows the staff table to what each did at that store.
// Both tables are one
// PerformanceTable; under App Bridge's title bar, each says how it fills when
// the period has nothing (issue 20).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, IndexTable, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { ListEmptyState } from "~/components/admin/ListEmptyState";
import { COMPLETE_AT, DEFAULT_STALE_MONTHS } from "~/domain/customer-file";
import { DEFAULT_PERIOD, FIRST_DAYS, isPerformancePeriod, PERFORMANCE_PERIODS, periodStart, storeParam, type PerformanceRow } from "~/domain/staff-performance";
import { formatMoney, formatNumber, useLocale, useT, type MessageKey } from "~/i18n";
import { staffPerformanceOf } from "~/models/staff-performance.server";
import { knownLocations } from "~/models/shop-locations.server";
import { knownStaffNames } from "~/models/staff-members.server";
import { systemClock } from "~/services/clock.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const search = new URL(request.url).searchParams;
  const asked = search.get("period");
  const period = isPerformancePeriod(asked) ? asked : DEFAULT_PERIOD;
  const store = storeParam(search.get("store"));
  const now = systemClock.now();
  const performance = await staffPerformanceOf(session.shop, periodStart(period, now), now, store);
  // The picker offers the stores of the period, and the chosen one even when it has nothing in it.
  const storeIds = [...new Set([...performance.locations.map((row) => row.locationId), ...(store ? [store] : [])])];
  const [names, stores] = await Promise.all([knownStaffNames(session.shop, performance.staff.map((row) => row.staffId)), knownLocations(session.shop, storeIds)]);
  return json({
    period,
    store,
    staff: performance.staff.map((row) => ({ ...row, name: names.get(row.staffId) ?? null })),
    // The label is made in the browser, in the admin's language (an unnamed store is "Store <id>").
    locations: performance.locations.map((row) => ({ ...row, store: stores.get(row.locationId) ?? null })),
    stores: storeIds.map((locationId) => ({ locationId, store: stores.get(locationId) ?? null })),
    currencyCode: performance.currencyCode,
    threshold: COMPLETE_AT,
    staleMonths: DEFAULT_STALE_MONTHS,
  });
}

type Row = PerformanceRow & { key: string; label: string };

function PerformanceTable({ id, rows, firstColumn, currencyCode, empty }: { id: string; rows: Row[]; firstColumn: string; currencyCode: string; empty: { heading: string; body: string } }) {
  const t = useT();
  const locale = useLocale();
  const number = (value: number) => formatNumber(value, locale);
  const percent = (value: number | null) => (value === null ? "—" : `${formatNumber(value, locale)}%`);
  const end = (text: string) => (
    <Text as="span" alignment="end" numeric>
      {text}
    </Text>
  );
  return (
    <div id={id}>
      <IndexTable
        resourceName={{ singular: t("staff.resource.singular"), plural: t("staff.resource.plural") }}
        itemCount={rows.length}
        selectable={false}
        emptyState={<ListEmptyState heading={empty.heading} body={empty.body} />}
        headings={[
          { title: firstColumn },
          { title: t("staff.column.newMembers"), alignment: "end" },
          { title: t("staff.column.revenue", { days: FIRST_DAYS }), alignment: "end" },
          { title: t("staff.column.created"), alignment: "end" },
          { title: t("staff.column.completed"), alignment: "end" },
          { title: t("staff.column.average"), alignment: "end" },
          { title: t("staff.column.freshness"), alignment: "end" },
          { title: t("staff.column.edits"), alignment: "end" },
        ]}
      >
        {rows.map((row, index) => (
          <IndexTable.Row id={row.key} key={row.key} position={index}>
            <IndexTable.Cell>
              <Text as="span" fontWeight="semibold">
                {row.label}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{end(number(row.newMembers))}</IndexTable.Cell>
            <IndexTable.Cell>{end(formatMoney(row.newMemberRevenueMinor, currencyCode, locale))}</IndexTable.Cell>
            <IndexTable.Cell>{end(number(row.filesCreated))}</IndexTable.Cell>
            <IndexTable.Cell>{end(t("staff.completedOf", { completed: number(row.filesCompleted), kept: number(row.filesKept) }))}</IndexTable.Cell>
            <IndexTable.Cell>{end(percent(row.averageCompleteness))}</IndexTable.Cell>
            <IndexTable.Cell>{end(percent(row.freshness))}</IndexTable.Cell>
            <IndexTable.Cell>{end(number(row.edits))}</IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </div>
  );
}

export default function Staff() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const choose = (name: "period" | "store", value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(`?${next}`);
  };
  const staffRows: Row[] = data.staff.map((row) => ({ ...row, key: `staff-${row.staffId}`, label: row.name ?? t("staff.unknown", { id: row.staffId }) }));
  const storeLabel = (row: (typeof data.stores)[number]) => (!row.store ? t("staff.location", { id: row.locationId }) : row.store.active ? row.store.name : t("staff.locationInactive", { name: row.store.name }));
  const locationRows: Row[] = data.locations.map((row) => ({ ...row, key: `location-${row.locationId}`, label: storeLabel(row) }));
  const chosenStore = data.stores.find((row) => row.locationId === data.store);
  return (
    <Page>
      <TitleBar title={t("staff.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="end" gap="400">
                  <Text as="p" tone="subdued">
                    {t("staff.help21", { threshold: data.threshold, months: data.staleMonths, days: FIRST_DAYS })}
                  </Text>
                  <InlineStack gap="400">
                    <Select
                      label={t("staff.store")}
                      labelInline
                      options={[{ value: "", label: t("staff.store.all") }, ...data.stores.map((row) => ({ value: row.locationId, label: storeLabel(row) }))]}
                      value={data.store ?? ""}
                      onChange={(value) => choose("store", value)}
                    />
                    <Select
                      label={t("staff.period")}
                      labelInline
                      options={PERFORMANCE_PERIODS.map((period) => ({ value: period, label: t(`staff.period.${period}` as MessageKey) }))}
                      value={data.period}
                      onChange={(value) => choose("period", value)}
                    />
                  </InlineStack>
                </InlineStack>
              </BlockStack>
            </Card>
            <Card padding="0">
              <BlockStack gap="0">
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="h2" variant="headingMd">
                    {chosenStore ? t("staff.byStaffAt", { store: storeLabel(chosenStore) }) : t("staff.byStaff")}
                  </Text>
                </div>
                <PerformanceTable id="staff-leaderboard" rows={staffRows} firstColumn={t("staff.column.staff")} currencyCode={data.currencyCode} empty={{ heading: t("staff.emptyPeriod"), body: t("staff.emptyPeriodBody") }} />
              </BlockStack>
            </Card>
            <Card padding="0">
              <BlockStack gap="0">
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="h2" variant="headingMd">
                    {t("staff.byLocation")}
                  </Text>
                </div>
                <PerformanceTable id="location-leaderboard" rows={locationRows} firstColumn={t("staff.column.location")} currencyCode={data.currencyCode} empty={{ heading: t("staff.noLocations"), body: t("staff.noLocationsBody") }} />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
