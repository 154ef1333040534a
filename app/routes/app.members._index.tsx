// The Members list (issue 20): Polaris IndexTable with IndexFilters. Search
// (name, email, phone), filters as pills, the saved views as tabs, header sort,
// the count and pagination both ways all live in the URL and run on the server
// (app/domain/member-list.ts, models/members.server.ts), so a list of 10,000
// members sends one page and a link keeps its view. Each row shows the amount
// the member's tier is decided on (net spend in the program's window), labelled
// with that window, not lifetime spend. Selected rows or the whole filtered
// list export as CSV (app.members[.]csv.tsx).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Card,
  ChoiceList,
  EmptyState,
  IndexTable,
  Layout,
  Page,
  Text,
  TextField,
  useIndexResourceState,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { LIFECYCLE_STAGES, RFM_SEGMENTS, segmentName, stageName, VALUE_CLASSES, valueClassName, type LifecycleStage, type RfmSegment, type ValueClass } from "~/domain/intelligence";
import { ListFilters, type BuiltInView } from "~/components/lists/ListFilters";
import { useListUrl } from "~/components/lists/useListUrl";
import { MEMBER_PAGE_SIZE, MEMBER_SORTS, MEMBER_VIEWS, pageInfo, parseMemberListQuery, sortParams, type MemberSort } from "~/domain/list-query";
import { viewQuery } from "~/domain/list-views";
import { byRank } from "~/domain/tiers";
import { formatDateTime, formatMoney, formatNumber, useLocale, useT } from "~/i18n";
import { listMembers } from "~/models/members.server";
import { listSavedViews } from "~/models/saved-list-views.server";
import { getShop } from "~/models/shops.server";
import { systemClock } from "~/services/clock.server";
import { qualifyingWindowOf } from "~/services/member-page.server";
import { useDownload } from "~/components/useDownload";
import { QualifyingNote, qualifyingLabel } from "~/components/QualifyingLabel";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const view = parseMemberListQuery(new URL(request.url).searchParams);
  const now = systemClock.now();
  const [{ window, program }, shop, savedViews] = await Promise.all([qualifyingWindowOf(session.shop, now), getShop(session.shop), listSavedViews(session.shop, "members")]);
  const page = await listMembers(session.shop, view, window);
  return json({
    ...page,
    view,
    savedViews,
    programWindow: program?.window ?? null,
    currencyCode: shop?.currencyCode ?? "USD",
    timeZone: shop?.ianaTimezone ?? "UTC",
    tiers: program ? byRank(program.tiers).map((tier) => ({ handle: tier.handle, name: tier.name })) : [],
  });
}

const MEMBER_DEFAULT_SORT = "qualifying desc";

export default function Members() {
  const { members, total, view, programWindow, currencyCode, timeZone, tiers, savedViews } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const list = useListUrl();
  const go = list.update;

  const tierName = (handle: string | null) => (handle ? (tiers.find((tier) => tier.handle === handle)?.name[locale] ?? handle) : null);
  const name = (m: (typeof members)[number]) => [m.firstName, m.lastName].filter(Boolean).join(" ") || m.email || `#${m.shopifyId}`;
  const money = (minor: number) => formatMoney(minor, currencyCode, locale);
  const spendHeading = qualifyingLabel(t, programWindow, "spend");
  const ordersHeading = qualifyingLabel(t, programWindow, "orders");

  const rows = members.map((member) => ({ ...member, id: member.shopifyId }));
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows);
  useEffect(() => clearSelection(), [members, clearSelection]);

  const csvParams = (ids?: string[]) => {
    // The list's view as the page shows it (its filters, search and sort), every page of it.
    const params = new URLSearchParams(viewQuery(list.params));
    params.set("locale", locale);
    for (const id of ids ?? []) params.append("id", id);
    return params;
  };
  const exportAll = useDownload(`/app/members.csv?${csvParams()}`, "membercare-members.csv");
  const exportSelected = useDownload(`/app/members.csv?${csvParams(allResourcesSelected ? undefined : selectedResources)}`, "membercare-members-selected.csv");
  const shopify = useAppBridge();
  const exportFailed = exportAll.failed || exportSelected.failed;
  useEffect(() => {
    if (exportFailed) shopify.toast.show(t("members.exportFailed"), { isError: true });
  }, [exportFailed, shopify, t]);

  const builtIns: BuiltInView[] = MEMBER_VIEWS.map((id) => ({ id: `members-${id}`, label: t(`members.view.${id}`), changes: { view: id === "all" ? null : id } }));
  const sortOptions: IndexFiltersProps["sortOptions"] = MEMBER_SORTS.flatMap((sort) => [
    { label: t(`members.sort.${sort}`), value: `${sort} desc` as const, directionLabel: t(sort === "recent" ? "members.sort.newest" : "members.sort.highest") },
    { label: t(`members.sort.${sort}`), value: `${sort} asc` as const, directionLabel: t(sort === "recent" ? "members.sort.oldest" : "members.sort.lowest") },
  ]);
  const choice = <T extends string>(key: "tier" | "stage" | "valueClass" | "segment", label: string, choices: Array<{ label: string; value: T }>, selected: T | null) => ({
    key,
    label,
    // Tier, stage and value class stay in the filter bar as pills; the rest are a click away ("Add filter").
    pinned: key === "tier" || key === "stage" || key === "valueClass",
    filter: <ChoiceList title={label} titleHidden choices={choices} selected={selected ? [selected] : []} onChange={([value]) => go({ [key]: value ?? null })} />,
  });
  const filters: IndexFiltersProps["filters"] = [
    ...(tiers.length > 0 ? [choice("tier", t("members.filter.tier"), tiers.map((tier) => ({ label: tier.name[locale], value: tier.handle })), view.tier)] : []),
    choice("stage", t("members.filter.stage"), LIFECYCLE_STAGES.map((stage) => ({ label: t(stageName(stage).key), value: stage })), view.stage),
    choice("valueClass", t("members.filter.valueClass"), VALUE_CLASSES.map((cls) => ({ label: t(valueClassName(cls).key), value: cls })), view.valueClass),
    choice("segment", t("members.filter.segment"), RFM_SEGMENTS.map((segment) => ({ label: t(segmentName(segment).key), value: segment })), view.segment),
    { key: "tag", label: t("members.filter.tag"), filter: <DeferredText label={t("members.filter.tag")} value={view.tag} onCommit={(tag) => go({ tag })} /> },
    { key: "country", label: t("members.filter.country"), filter: <DeferredText label={t("members.filter.country")} value={view.country} maxLength={2} onCommit={(country) => go({ country: country.toUpperCase() })} /> },
  ];
  const applied: IndexFiltersProps["appliedFilters"] = [];
  if (view.tier) applied.push({ key: "tier", label: t("members.pill.tier", { value: tierName(view.tier) ?? view.tier }), onRemove: () => go({ tier: null }) });
  if (view.stage) applied.push({ key: "stage", label: t("members.pill.stage", { value: t(stageName(view.stage).key) }), onRemove: () => go({ stage: null }) });
  if (view.valueClass) applied.push({ key: "valueClass", label: t("members.pill.valueClass", { value: t(valueClassName(view.valueClass).key) }), onRemove: () => go({ valueClass: null }) });
  if (view.segment) applied.push({ key: "segment", label: t("members.pill.segment", { value: t(segmentName(view.segment).key) }), onRemove: () => go({ segment: null }) });
  if (view.tag) applied.push({ key: "tag", label: t("members.pill.tag", { value: view.tag }), onRemove: () => go({ tag: null }) });
  if (view.country) applied.push({ key: "country", label: t("members.pill.country", { value: view.country }), onRemove: () => go({ country: null }) });

  const info = pageInfo({ page: view.page, pageSize: MEMBER_PAGE_SIZE }, total);
  const sortColumn: Record<MemberSort, number> = { qualifying: 2, orders: 3, recent: 4 };
  const columnSort: Array<MemberSort | null> = [null, null, "qualifying", "orders", "recent", null];
  const filtered = view.query !== "" || applied.length > 0 || view.view !== "all";

  return (
    <Page fullWidth>
      <TitleBar title={t("members.title")}>
        <button variant="primary" onClick={exportAll.download} disabled={exportAll.busy}>
          {t("members.export")}
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <div id="members-list">
              <ListFilters
                list={list}
                listKey="members"
                savedViews={savedViews}
                builtIns={builtIns}
                builtInSelected={MEMBER_VIEWS.indexOf(view.view)}
                queryPlaceholder={t("members.search")}
                sortOptions={sortOptions}
                sorted={`${view.sort} ${view.direction}`}
                defaultSort={MEMBER_DEFAULT_SORT}
                filters={filters}
                appliedFilters={applied}
                onClearAll={() => go({ tier: null, stage: null, valueClass: null, segment: null, tag: null, country: null })}
              />
              <IndexTable
                resourceName={{ singular: t("members.resource.singular"), plural: t("members.resource.plural") }}
                itemCount={members.length}
                selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                promotedBulkActions={[{ content: t("members.exportSelected"), onAction: exportSelected.download }]}
                headings={[
                  { title: t("members.column.name") },
                  { title: t("members.column.tier") },
                  { title: spendHeading, alignment: "end" },
                  { title: ordersHeading, alignment: "end" },
                  { title: t("members.column.lastOrder") },
                  { title: t("members.column.stage") },
                ]}
                sortable={columnSort.map(Boolean)}
                sortColumnIndex={sortColumn[view.sort]}
                sortDirection={view.direction === "asc" ? "ascending" : "descending"}
                onSort={(index, direction) => {
                  const sort = columnSort[index];
                  if (sort) go(sortParams(`${sort} ${direction === "ascending" ? "asc" : "desc"}`, MEMBER_DEFAULT_SORT));
                }}
                loading={list.loading}
                emptyState={
                  <EmptyState heading={t(filtered ? "members.empty.filtered" : "members.empty.heading")} image="" action={filtered ? { content: t("members.filter.clear"), url: "/app/members" } : undefined}>
                    <Text as="p" tone="subdued">
                      {t(filtered ? "members.empty.filteredBody" : "members.empty.body")}
                    </Text>
                  </EmptyState>
                }
                pagination={{ ...list.pagination(info, view.page), label: t("members.range", { from: formatNumber(info.from, locale), to: formatNumber(info.to, locale), total: formatNumber(total, locale) }) }}
              >
                {rows.map((member, index) => (
                  <IndexTable.Row id={member.id} key={member.id} position={index} selected={selectedResources.includes(member.id)}>
                    <IndexTable.Cell>
                      <Link to={`/app/members/${member.shopifyId}`} onClick={(event) => event.stopPropagation()} data-primary-link>
                        <Text as="span" fontWeight="semibold">
                          {name(member)}
                        </Text>
                      </Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {tierName(member.tierHandle) ?? "—"}
                      {member.downgradeOn ? (
                        <>
                          {" "}
                          <Badge tone="warning">{t("members.underReview")}</Badge>
                        </>
                      ) : null}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {money(member.qualifyingSpendMinor)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatNumber(member.qualifyingOrders, locale)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{member.lastOrderAt ? formatDateTime(member.lastOrderAt, locale, timeZone) : "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {member.lifecycleStage ? <Badge tone={member.lifecycleStage === "atRisk" ? "warning" : undefined}>{t(stageName(member.lifecycleStage as LifecycleStage).key)}</Badge> : "—"}
                      {member.valueClass === "key" ? (
                        <>
                          {" "}
                          <Badge tone="success">{t(valueClassName(member.valueClass as ValueClass).key)}</Badge>
                        </>
                      ) : null}
                      {member.rfmSegment ? (
                        <Text as="span" tone="subdued">
                          {" "}
                          {t(segmentName(member.rfmSegment as RfmSegment).key)}
                        </Text>
                      ) : null}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </div>
          </Card>
          <QualifyingNote window={programWindow} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** A text filter sent when the merchant presses Enter or leaves the field (not on every key). */
function DeferredText({ label, value, maxLength, onCommit }: { label: string; value: string; maxLength?: number; onCommit(value: string): void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text.trim() !== value) onCommit(text.trim());
  };
  return (
    <div onKeyDown={(event) => (event.key === "Enter" ? commit() : undefined)}>
      <TextField label={label} labelHidden value={text} onChange={setText} onBlur={commit} autoComplete="off" maxLength={maxLength} />
    </div>
  );
}
