// Shipments in trouble (issues 8, 20): each shipment with an open anomaly, one
// row however many kinds of trouble it has: its kinds, days since it shipped,
// the carrier and tracking number as a link to the carrier's tracking page,
// the last carrier event, order and customer links, the staff follow-up it
// opened and whether the customer's note was planned. Filters by kind and by
// days since shipped, search by order, tracking number or customer, sort by
// newest trouble or longest on the way, 25 or 50 a page, all on the server
// through the URL (app/domain/list-query.ts). Staff select shipments and mark
// them resolved after confirming: every open kind of each closes (resolvedBy
// is the staff member) and the orders' care messages resume. Bad input: 422.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  ChoiceList,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  useIndexResourceState,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { ListEmptyState } from "~/components/admin/ListEmptyState";
import { useActionToast } from "~/components/admin/useActionToast";
import { ListFilters } from "~/components/lists/ListFilters";
import { useListUrl } from "~/components/lists/useListUrl";
import { ANOMALY_KINDS } from "~/domain/care/types";
import { PAGE_SIZES, pageInfo, parseShipmentListQuery, SHIPMENT_AGES } from "~/domain/list-query";
import { formatDateTime, formatDay, formatNumber, resolveLocale, useLocale, useT, type MessageKey } from "~/i18n";
import { getCareContext } from "~/models/care-settings.server";
import { listSavedViews } from "~/models/saved-list-views.server";
import { staffNames } from "~/models/staff-members.server";
import { resolveShipmentsByStaff, shipmentsPage } from "~/services/anomalies.server";
import { systemClock } from "~/services/clock.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const query = parseShipmentListQuery(new URL(request.url).searchParams);
  const [{ shipments, total }, context, savedViews] = await Promise.all([shipmentsPage(session.shop, query, systemClock.now()), getCareContext(session.shop), listSavedViews(session.shop, "shipments")]);
  const names = await staffNames(session.shop, shipments.map((row) => row.followUp?.assignee), resolveLocale(request));
  return json({
    query,
    savedViews,
    page: pageInfo(query, total),
    timeZone: context.timeZone,
    shipments: shipments.map((row) => ({
      anomalyId: row.anomalyId,
      fulfillmentShopifyId: row.fulfillmentShopifyId,
      kinds: row.kinds,
      detectedAt: row.detectedAt.toISOString(),
      daysInTransit: row.daysInTransit,
      carrier: row.carrier,
      trackingNumber: row.trackingNumber,
      // Only a web address is a link (a stored value is the carrier's, as Shopify sent it).
      trackingUrl: row.trackingUrl && /^https?:\/\//i.test(row.trackingUrl) ? row.trackingUrl : null,
      lastEventStatus: row.lastEventStatus,
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
      orderShopifyId: row.orderShopifyId,
      orderName: row.orderName,
      customerShopifyId: row.customerShopifyId,
      customer: row.customer ? [row.customer.firstName, row.customer.lastName].filter(Boolean).join(" ") || row.customer.email || null : null,
      followUp: row.followUp
        ? { status: row.followUp.status, assignee: row.followUp.assignee ? (names.get(row.followUp.assignee) ?? row.followUp.assigneeName ?? row.followUp.assignee) : null, dueOn: row.followUp.dueOn }
        : null,
      notePlanned: row.noticeMessageId !== null,
    })),
  });
}

const resolveForm = z.object({ intent: z.literal("resolve"), id: z.array(z.string().min(1).max(100)).min(1).max(100) });
type ActionData = { ok: true; resolved: number; asked: number; error: null } | { ok: false; error: MessageKey };

export async function action({ request }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const data = await request.formData();
  const parsed = resolveForm.safeParse({ ...Object.fromEntries(data), id: data.getAll("id") });
  if (!parsed.success) return json<ActionData>({ ok: false, error: "care.anomalies.errors.form" }, { status: 422 });
  const resolved = await resolveShipmentsByStaff(session.shop, parsed.data.id, sessionToken?.sub ?? null, systemClock.now());
  if (resolved === 0) return json<ActionData>({ ok: false, error: "care.anomalies.errors.notFound" }, { status: 404 });
  return json<ActionData>({ ok: true, resolved, asked: new Set(parsed.data.id).size, error: null });
}

/** Carrier statuses as Shopify's fulfillment events name them. */
const CARRIER_STATUSES: readonly string[] = ["label_printed", "label_purchased", "confirmed", "carrier_picked_up", "picked_up", "in_transit", "out_for_delivery", "ready_for_pickup", "attempted_delivery", "delayed", "failure"];

type Shipment = ReturnType<typeof useLoaderData<typeof loader>>["shipments"][number];

function Tracking({ shipment }: { shipment: Shipment }) {
  const t = useT();
  const text = [shipment.carrier, shipment.trackingNumber].filter(Boolean).join(" ");
  if (!text && !shipment.trackingUrl) return <Text as="span" tone="subdued">{t("care.anomalies.untracked")}</Text>;
  if (!shipment.trackingUrl) return <Text as="span">{text}</Text>;
  return (
    // The carrier's page, in a new tab (it is not part of the admin).
    <a href={shipment.trackingUrl} target="_blank" rel="noreferrer noopener" onClick={(event) => event.stopPropagation()}>
      {text || t("care.anomalies.trackingLink")}
    </a>
  );
}

export default function Anomalies() {
  const { shipments, timeZone, query, page, savedViews } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  const list = useListUrl();
  const fetcher = useFetcher<ActionData>();
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const rows = shipments.map((shipment) => ({ ...shipment, id: shipment.anomalyId }));
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows);
  useEffect(() => {
    clearSelection();
    // a new page or view starts with nothing selected
  }, [shipments]);

  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useActionToast(answer, (data) =>
    data.ok
      ? { message: `${t("care.anomalies.toast.resolved", { count: n(data.resolved) })}${data.resolved < data.asked ? ` ${t("care.anomalies.toast.skipped", { count: n(data.asked - data.resolved) })}` : ""}` }
      : { message: t(data.error), isError: true },
  );

  const lastEvent = (shipment: Shipment) =>
    shipment.lastEventStatus
      ? t("care.anomalies.lastEvent", {
          status: CARRIER_STATUSES.includes(shipment.lastEventStatus) ? t(`care.anomalies.event.${shipment.lastEventStatus}` as MessageKey) : shipment.lastEventStatus.replace(/_/g, " "),
          at: shipment.lastEventAt ? formatDateTime(shipment.lastEventAt, locale, timeZone) : "—",
        })
      : t("care.anomalies.noEvents");

  const filters: IndexFiltersProps["filters"] = [
    {
      key: "kind",
      label: t("care.anomalies.filter.kind"),
      pinned: true,
      filter: (
        <ChoiceList
          title={t("care.anomalies.filter.kind")}
          titleHidden
          allowMultiple
          choices={ANOMALY_KINDS.map((kind) => ({ label: t(`care.anomalies.kind.${kind}` as MessageKey), value: kind }))}
          selected={query.kinds}
          onChange={(value) => list.update({ kind: value })}
        />
      ),
    },
    {
      key: "age",
      label: t("care.anomalies.filter.age"),
      pinned: true,
      filter: (
        <ChoiceList
          title={t("care.anomalies.filter.age")}
          titleHidden
          choices={SHIPMENT_AGES.map((age) => ({ label: t(`care.anomalies.age.${age}` as MessageKey), value: age }))}
          selected={query.age ? [query.age] : []}
          onChange={(value) => list.update({ age: value[0] ?? null })}
        />
      ),
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [];
  if (query.kinds.length)
    appliedFilters.push({ key: "kind", label: `${t("care.anomalies.filter.kind")}: ${query.kinds.map((kind) => t(`care.anomalies.kind.${kind}` as MessageKey)).join(", ")}`, onRemove: () => list.update({ kind: null }) });
  if (query.age) appliedFilters.push({ key: "age", label: `${t("care.anomalies.filter.age")}: ${t(`care.anomalies.age.${query.age}` as MessageKey)}`, onRemove: () => list.update({ age: null }) });
  const sortOptions: IndexFiltersProps["sortOptions"] = [
    { label: t("care.anomalies.sort.detected"), value: "detected desc", directionLabel: t("care.anomalies.sort.newest") },
    { label: t("care.anomalies.sort.detected"), value: "detected asc", directionLabel: t("care.anomalies.sort.oldest") },
    { label: t("care.anomalies.sort.shipped"), value: "shipped asc", directionLabel: t("care.anomalies.sort.longest") },
    { label: t("care.anomalies.sort.shipped"), value: "shipped desc", directionLabel: t("care.anomalies.sort.shortest") },
  ];
  const selectedIds = allResourcesSelected ? rows.map((row) => row.id) : selectedResources;
  const filtered = query.q !== "" || appliedFilters.length > 0;
  const busy = fetcher.state !== "idle";

  return (
    <Page title={t("care.anomalies.title")} fullWidth>
      <TitleBar title={t("care.anomalies.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              {t("care.anomalies.intro")} <Link to="/app/care-settings">{t("care.anomalies.thresholds")}</Link>
            </Text>
            <Card padding="0">
              <div id="anomalies-list">
                <ListFilters
                  list={list}
                  listKey="shipments"
                  savedViews={savedViews}
                  builtIns={[{ id: "shipments-open", label: t("care.anomalies.view.open"), changes: {} }]}
                  builtInSelected={0}
                  queryPlaceholder={t("care.anomalies.search")}
                  sortOptions={sortOptions}
                  sorted={`${query.sort} ${query.direction}`}
                  defaultSort="detected desc"
                  filters={filters}
                  appliedFilters={appliedFilters}
                  onClearAll={() => list.update({ kind: null, age: null, q: null })}
                />
                <IndexTable
                  resourceName={{ singular: t("care.anomalies.resource.singular"), plural: t("care.anomalies.resource.plural") }}
                  itemCount={rows.length}
                  selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                  onSelectionChange={handleSelectionChange}
                  promotedBulkActions={[{ content: t("care.anomalies.resolve"), onAction: () => setConfirming(selectedIds) }]}
                  headings={[
                    { title: t("care.anomalies.column.order") },
                    { title: t("care.anomalies.column.trouble") },
                    { title: t("care.anomalies.column.customer") },
                    { title: t("care.anomalies.column.shipped"), alignment: "end" },
                    { title: t("care.anomalies.column.tracking") },
                    { title: t("care.anomalies.column.lastEvent") },
                    { title: t("care.anomalies.column.followUp") },
                  ]}
                  sortable={[false, false, false, true, false, false, false]}
                  sortColumnIndex={query.sort === "shipped" ? 3 : undefined}
                  sortDirection={query.direction === "asc" ? "ascending" : "descending"}
                  onSort={(_index, direction) => list.update({ sort: "shipped", dir: direction === "ascending" ? "asc" : "desc" })}
                  loading={list.loading || busy}
                  emptyState={<ListEmptyState heading={t(filtered ? "care.anomalies.emptyFiltered.heading" : "care.anomalies.empty")} body={t(filtered ? "care.anomalies.emptyFiltered.body" : "care.anomalies.emptyBody")} />}
                  pagination={list.pagination(page, query.page)}
                >
                  {rows.map((shipment, index) => (
                    <IndexTable.Row id={shipment.id} key={shipment.id} position={index} selected={selectedResources.includes(shipment.id)}>
                      <IndexTable.Cell>
                        {/* The order in Shopify admin (App Bridge opens shopify://admin links in the admin, outside the app's frame). */}
                        <a href={`shopify://admin/orders/${shipment.orderShopifyId}`} target="_top" onClick={(event) => event.stopPropagation()}>
                          {t("care.anomalies.order", { name: shipment.orderName ?? `#${shipment.orderShopifyId}` })}
                        </a>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <InlineStack gap="100">
                          {shipment.kinds.map((kind) => (
                            <Badge key={kind} tone={kind === "failure" ? "critical" : "attention"}>
                              {(ANOMALY_KINDS as readonly string[]).includes(kind) ? t(`care.anomalies.kind.${kind}` as MessageKey) : kind}
                            </Badge>
                          ))}
                        </InlineStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {shipment.customerShopifyId ? (
                          <Link to={`/app/members/${shipment.customerShopifyId}`} onClick={(event) => event.stopPropagation()}>
                            {shipment.customer ?? `#${shipment.customerShopifyId}`}
                          </Link>
                        ) : (
                          <Text as="span" tone="subdued">{t("care.anomalies.guest")}</Text>
                        )}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {shipment.daysInTransit !== null ? t("care.anomalies.daysShort", { days: n(shipment.daysInTransit) }) : "—"}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Tracking shipment={shipment} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <div style={{ whiteSpace: "normal", minWidth: "12rem" }}>
                          <Text as="span">{lastEvent(shipment)}</Text>
                          <br />
                          <Text as="span" tone="subdued">
                            {t("care.anomalies.detected", { at: formatDateTime(shipment.detectedAt, locale, timeZone) })}
                          </Text>
                        </div>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <div style={{ whiteSpace: "normal", minWidth: "12rem" }}>
                          {shipment.followUp ? (
                            <Link to="/app/follow-ups?reason=deliveryProblem&view=all" onClick={(event) => event.stopPropagation()}>
                              {t("care.anomalies.followUp", {
                                status: t(`care.anomalies.followUpStatus.${shipment.followUp.status}` as MessageKey),
                                due: formatDay(shipment.followUp.dueOn, locale),
                                assignee: shipment.followUp.assignee ?? t("followUps.unassigned"),
                              })}
                            </Link>
                          ) : (
                            t("care.anomalies.noFollowUp")
                          )}
                          <br />
                          <Text as="span" tone="subdued">
                            {shipment.notePlanned ? t("care.anomalies.notePlanned") : t("care.anomalies.noNote")}
                          </Text>
                        </div>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              </div>
            </Card>
            <InlineStack align="end">
              <Box minWidth="12rem">
                <Select label={t("lists.pageSize")} labelInline options={PAGE_SIZES.map((size) => ({ label: n(size), value: String(size) }))} value={String(query.pageSize)} onChange={(value) => list.update({ size: value === String(PAGE_SIZES[0]) ? null : value })} />
              </Box>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <ConfirmModal
        id="anomalies-resolve-confirm"
        open={confirming !== null}
        title={t("care.anomalies.confirm.title", { count: n(confirming?.length ?? 0) })}
        body={t("care.anomalies.confirm.body", { count: n(confirming?.length ?? 0) })}
        confirmLabel={t("care.anomalies.resolve")}
        cancelLabel={t("followUps.bulk.cancel")}
        loading={busy}
        onConfirm={() => {
          const body = new FormData();
          body.append("intent", "resolve");
          for (const id of confirming ?? []) body.append("id", id);
          setConfirming(null);
          fetcher.submit(body, { method: "post" });
        }}
        onCancel={() => setConfirming(null)}
      />
    </Page>
  );
}
