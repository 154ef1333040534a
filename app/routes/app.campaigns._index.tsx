// Campaigns (issues 9, 20): every campaign with its status, channel, audience
// size and send date. Views by status with their counts (all, drafts,
// scheduled, sending, done, cancelled), filters by status and channel, search
// by name, sort by creation or send date, 25 or 50 a page, all on the server
// through the URL (app/domain/list-query.ts). "Create campaign" is the title
// bar's primary action. Duplicate opens the new draft; cancelling asks to
// confirm first and keeps what already went.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Button, Card, ChoiceList, IndexTable, InlineStack, Layout, Page, Select, Text, type IndexFiltersProps } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { ListEmptyState } from "~/components/admin/ListEmptyState";
import { useActionToast } from "~/components/admin/useActionToast";
import { CampaignStatusBadge } from "~/components/CampaignEditor";
import { ListFilters, type BuiltInView } from "~/components/lists/ListFilters";
import { useListUrl } from "~/components/lists/useListUrl";
import { CAMPAIGN_LIST_CHANNELS, CAMPAIGN_LIST_STATUSES, PAGE_SIZES, pageInfo, parseCampaignListQuery, sortParams } from "~/domain/list-query";
import { formatDate, formatDay, formatNumber, useLocale, useT, type MessageKey } from "~/i18n";
import { campaignListPage } from "~/models/campaigns.server";
import { listSavedViews } from "~/models/saved-list-views.server";
import { getShop } from "~/models/shops.server";
import { cancelCampaign, duplicateCampaign } from "~/services/campaigns.server";
import { systemClock } from "~/services/clock.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const query = parseCampaignListQuery(new URL(request.url).searchParams);
  const [{ rows, total, counts }, shop, savedViews] = await Promise.all([campaignListPage(session.shop, query), getShop(session.shop), listSavedViews(session.shop, "campaigns")]);
  return json({
    query,
    savedViews,
    page: pageInfo(query, total),
    counts,
    all: Object.values(counts).reduce((sum, count) => sum + count, 0),
    timeZone: shop?.ianaTimezone ?? "UTC",
    campaigns: rows.map((row) => ({
      id: row.id,
      name: row.name,
      status: row.status,
      channel: row.channel,
      // Fixed when it is scheduled; a draft's is counted live in the editor.
      audienceCount: row.audienceCount,
      sendOn: row.sendOn,
      sendHour: row.sendHour,
      createdAt: row.createdAt.toISOString(),
    })),
  });
}

const listForm = z.object({ intent: z.enum(["duplicate", "cancel"]), id: z.string().min(1).max(64) });
type ActionData = { ok: true; intent: "cancel"; error: null } | { ok: false; error: MessageKey };

export async function action({ request }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const now = systemClock.now();
  const parsed = listForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json<ActionData>({ ok: false, error: "campaigns.errors.form" }, { status: 422 });
  const { intent, id } = parsed.data;
  if (intent === "duplicate") {
    const copy = await duplicateCampaign(session.shop, id, sessionToken?.sub ?? null, now);
    return copy ? redirect(`/app/campaigns/${copy}`) : json<ActionData>({ ok: false, error: "campaigns.errors.notFound" }, { status: 404 });
  }
  return (await cancelCampaign(session.shop, id, now)) ? json<ActionData>({ ok: true, intent, error: null }) : json<ActionData>({ ok: false, error: "campaigns.errors.notCancellable" }, { status: 409 });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["campaigns"][number];

function Actions({ row, onCancel, busy }: { row: Row; onCancel(): void; busy: boolean }) {
  const t = useT();
  const fetcher = useFetcher<ActionData>();
  return (
    <InlineStack gap="200" wrap={false}>
      <Button size="slim" disabled={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "duplicate", id: row.id }, { method: "post" })}>
        {t("campaigns.action.duplicate")}
      </Button>
      {row.status === "scheduled" || row.status === "sending" ? (
        <Button size="slim" tone="critical" disabled={busy} onClick={onCancel}>
          {t("campaigns.action.cancel")}
        </Button>
      ) : null}
    </InlineStack>
  );
}

const VIEWS = [null, ...CAMPAIGN_LIST_STATUSES] as const;

const CAMPAIGN_DEFAULT_SORT = "created desc";

export default function Campaigns() {
  const { campaigns, query, page, counts, all, timeZone, savedViews } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  const navigate = useNavigate();
  const list = useListUrl();
  const fetcher = useFetcher<ActionData>();
  const [cancelling, setCancelling] = useState<Row | null>(null);
  useActionToast(fetcher.state === "idle" ? fetcher.data : undefined, (data) => (data.ok ? { message: t("campaigns.toast.cancelled") } : { message: t(data.error), isError: true }));

  // A view is one status (or all); choosing several statuses in the filter selects none of them.
  const viewIndex = query.statuses.length === 0 ? 0 : query.statuses.length === 1 ? VIEWS.indexOf(query.statuses[0]) : -1;
  const builtIns: BuiltInView[] = VIEWS.map((status) => ({
    id: `status-${status ?? "all"}`,
    label: `${status ? t(`campaigns.view.${status}` as MessageKey) : t("campaigns.view.all")} (${n(status ? counts[status] : all)})`,
    changes: { status: status ?? null },
  }));
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "status",
      label: t("campaigns.column.status"),
      pinned: true,
      filter: (
        <ChoiceList
          title={t("campaigns.column.status")}
          titleHidden
          allowMultiple
          choices={CAMPAIGN_LIST_STATUSES.map((status) => ({ label: t(`campaigns.status.${status}` as MessageKey), value: status }))}
          selected={query.statuses}
          onChange={(value) => list.update({ status: value })}
        />
      ),
    },
    {
      key: "channel",
      label: t("campaigns.column.channel"),
      pinned: true,
      filter: (
        <ChoiceList
          title={t("campaigns.column.channel")}
          titleHidden
          allowMultiple
          choices={CAMPAIGN_LIST_CHANNELS.map((channel) => ({ label: t(`campaigns.channel.${channel}` as MessageKey), value: channel }))}
          selected={query.channels}
          onChange={(value) => list.update({ channel: value })}
        />
      ),
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [];
  if (query.statuses.length)
    appliedFilters.push({ key: "status", label: `${t("campaigns.column.status")}: ${query.statuses.map((status) => t(`campaigns.status.${status}` as MessageKey)).join(", ")}`, onRemove: () => list.update({ status: null }) });
  if (query.channels.length)
    appliedFilters.push({ key: "channel", label: `${t("campaigns.column.channel")}: ${query.channels.map((channel) => t(`campaigns.channel.${channel}` as MessageKey)).join(", ")}`, onRemove: () => list.update({ channel: null }) });
  const sortOptions: IndexFiltersProps["sortOptions"] = [
    { label: t("campaigns.sort.created"), value: "created desc", directionLabel: t("campaigns.sort.newest") },
    { label: t("campaigns.sort.created"), value: "created asc", directionLabel: t("campaigns.sort.oldest") },
    { label: t("campaigns.column.sendOn"), value: "sendOn desc", directionLabel: t("campaigns.sort.latest") },
    { label: t("campaigns.column.sendOn"), value: "sendOn asc", directionLabel: t("campaigns.sort.soonest") },
  ];
  const filtered = query.q !== "" || appliedFilters.length > 0;
  const busy = fetcher.state !== "idle";

  return (
    <Page title={t("campaigns.title")} fullWidth>
      <TitleBar title={t("campaigns.title")}>
        <button variant="primary" onClick={() => navigate("/app/campaigns/new")}>
          {t("campaigns.create")}
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Banner tone="info">{t("campaigns.list.help")}</Banner>
            <Card padding="0">
              <div id="campaigns-list">
                <ListFilters
                  list={list}
                  listKey="campaigns"
                  savedViews={savedViews}
                  builtIns={builtIns}
                  builtInSelected={viewIndex}
                  queryPlaceholder={t("campaigns.search")}
                  sortOptions={sortOptions}
                  sorted={`${query.sort} ${query.direction}`}
                  defaultSort={CAMPAIGN_DEFAULT_SORT}
                  filters={filters}
                  appliedFilters={appliedFilters}
                  onClearAll={() => list.update({ status: null, channel: null, q: null })}
                />
                <IndexTable
                  resourceName={{ singular: t("campaigns.resource.singular"), plural: t("campaigns.resource.plural") }}
                  itemCount={campaigns.length}
                  selectable={false}
                  headings={[
                    { title: t("campaigns.column.name") },
                    { title: t("campaigns.column.status") },
                    { title: t("campaigns.column.channel") },
                    { title: t("campaigns.column.audience"), alignment: "end" },
                    { title: t("campaigns.column.sendOn") },
                    { title: t("campaigns.column.created") },
                    { title: t("campaigns.column.actions") },
                  ]}
                  sortable={[false, false, false, false, true, true, false]}
                  sortColumnIndex={query.sort === "sendOn" ? 4 : 5}
                  sortDirection={query.direction === "asc" ? "ascending" : "descending"}
                  defaultSortDirection="descending"
                  onSort={(index, direction) => list.update(sortParams(`${index === 4 ? "sendOn" : "created"} ${direction === "ascending" ? "asc" : "desc"}`, CAMPAIGN_DEFAULT_SORT))}
                  loading={list.loading}
                  emptyState={
                    filtered ? (
                      <ListEmptyState heading={t("campaigns.emptyFiltered.heading")} body={t("campaigns.emptyFiltered.body")} />
                    ) : (
                      <div id="campaigns-empty">
                        <ListEmptyState heading={t("campaigns.empty.heading")} body={t("campaigns.empty.body")} action={{ content: t("campaigns.create"), url: "/app/campaigns/new" }} />
                      </div>
                    )
                  }
                  pagination={list.pagination(page, query.page)}
                >
                  {campaigns.map((row, index) => (
                    <IndexTable.Row id={row.id} key={row.id} position={index}>
                      <IndexTable.Cell>
                        <Link to={`/app/campaigns/${row.id}`}>{row.name}</Link>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <CampaignStatusBadge status={row.status} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>{t(`campaigns.channel.${row.channel}` as MessageKey)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {row.audienceCount === null ? t("campaigns.audience.notFixed") : formatNumber(row.audienceCount, locale)}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{row.sendOn ? t("campaigns.sendAt", { date: formatDay(row.sendOn, locale), hour: `${String(row.sendHour).padStart(2, "0")}:00` }) : t("campaigns.noDate")}</IndexTable.Cell>
                      <IndexTable.Cell>{formatDate(row.createdAt, locale, timeZone)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Actions row={row} busy={busy} onCancel={() => setCancelling(row)} />
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
        id="campaign-cancel-confirm"
        open={cancelling !== null}
        title={t("campaigns.cancelConfirm.title", { name: cancelling?.name ?? "" })}
        body={t("campaigns.cancelConfirm.body")}
        confirmLabel={t("campaigns.action.cancel")}
        cancelLabel={t("campaigns.cancelConfirm.keep")}
        loading={busy}
        onConfirm={() => {
          if (cancelling) fetcher.submit({ intent: "cancel", id: cancelling.id }, { method: "post" });
          setCancelling(null);
        }}
        onCancel={() => setCancelling(null)}
      />
    </Page>
  );
}
