// The Messages log (issues 8 and 20): every care and campaign message with its
// customer, flow or campaign, channel, status and the reason in words, times
// in the shop's zone. An IndexTable with IndexFilters: search by the
// customer's name or email, statuses as pills, channel, flow or campaign and
// a date range (the shop's calendar days), saved views (all, waiting, sent,
// not sent), header sort by last change or by date, the count that matches
// and keyset pages both ways, all in the URL (a link keeps its view). Each
// row opens its own decision history under it ("why"), titled with whose
// message it is, and links to the message's words as its customer got them.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  EmptySearchResult,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { Fragment, useMemo, useState } from "react";
import { ListFilters, type BuiltInView } from "~/components/lists/ListFilters";
import { useListUrl } from "~/components/lists/useListUrl";
import { DecisionHistory, reasonText, sourceText } from "~/components/MessageDecisions";
import { CARE_FLOWS, CHANNELS, MESSAGE_STATUSES } from "~/domain/care/types";
import { MESSAGE_PAGE_SIZE, MESSAGE_SORTS, MESSAGE_VIEW_NAMES, MESSAGE_VIEWS, messageViewOf, parseMessageListQuery } from "~/domain/list-query";
import { localMidnight } from "~/domain/local-time";
import { formatDateTime, formatDay, useLocale, useT, type MessageKey } from "~/i18n";
import { flowNameKey } from "~/i18n/glossary";
import { listCampaigns } from "~/models/campaigns.server";
import { getCareContext } from "~/models/care-settings.server";
import { listSavedViews } from "~/models/saved-list-views.server";
import { messagesLogPage } from "~/services/messages-log.server";
import { authenticate } from "~/shopify.server";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The first instant of a calendar day (YYYY-MM-DD) in the shop's zone, `plusDays` later. */
const dayStart = (day: string, timeZone: string, plusDays = 0) => {
  const [year, month, date] = day.split("-").map(Number);
  return localMidnight(year!, month!, date! + plusDays, timeZone);
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  // Unknown filter values are ignored rather than refused: the URL is the merchant's to edit.
  const query = parseMessageListQuery(new URL(request.url).searchParams);
  const [care, campaigns, savedViews] = await Promise.all([getCareContext(session.shop), listCampaigns(session.shop), listSavedViews(session.shop, "messages")]);
  const page = await messagesLogPage(session.shop, {
    search: query.q || undefined,
    status: query.statuses,
    channel: query.channel ?? undefined,
    source: query.source ?? undefined,
    flow: query.flow ?? undefined,
    from: query.from ? dayStart(query.from, care.timeZone) : undefined,
    // "To" is the last day shown, whole.
    to: query.to ? dayStart(query.to, care.timeZone, 1) : undefined,
    sort: query.sort,
    direction: query.direction,
    cursor: query.cursor,
    before: query.before,
    limit: MESSAGE_PAGE_SIZE,
  });
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return json({
    query,
    savedViews,
    timeZone: page.timeZone,
    count: page.count,
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    campaigns: campaigns.filter((campaign) => campaign.status !== "draft").map((campaign) => ({ id: campaign.id, name: campaign.name })),
    entries: page.entries.map((entry) => ({
      id: entry.id,
      customerShopifyId: entry.customerShopifyId,
      customerName: entry.customerName ?? entry.customerEmail,
      source: entry.source,
      sourceId: entry.sourceId,
      campaignName: entry.campaignName,
      step: entry.step,
      channel: entry.channel,
      messageClass: entry.messageClass,
      status: entry.status,
      lastReason: entry.lastReason,
      plannedAt: entry.plannedAt.toISOString(),
      availableAt: entry.availableAt.toISOString(),
      sentAt: iso(entry.sentAt),
      updatedAt: entry.updatedAt.toISOString(),
      decisions: entry.decisions.map((decision) => ({ id: decision.id, decision: decision.decision, reason: decision.reason, detail: decision.detail, at: decision.at.toISOString() })),
    })),
  });
}

type Entry = ReturnType<typeof useLoaderData<typeof loader>>["entries"][number];

const STATUS_TONE: Partial<Record<string, "success" | "attention" | "critical" | "info" | "warning">> = {
  sent: "success",
  deferred: "attention",
  paused: "warning",
  blocked: "critical",
  failed: "critical",
  expired: "warning",
  heldOut: "info",
};

export default function MessagesLog() {
  const { entries, count, nextCursor, previousCursor, timeZone, campaigns, query, savedViews } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const list = useListUrl();
  const { params } = list;
  // A link that arrives searched or filtered opens with its search and pills showing.
  const filtered = ["q", "status", "flow", "channel", "source", "from", "to"].some((name) => params.get(name));
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, timeZone) : "—");
  const customerOf = (entry: Entry) => entry.customerName ?? t("care.messages.unknownCustomer", { id: entry.customerShopifyId });

  // Every change of the view goes to the URL and starts again at the first page (useListUrl drops the cursor).
  const go = list.update;

  const statuses = query.statuses;
  const shownView = messageViewOf(statuses);
  const builtIns: BuiltInView[] = MESSAGE_VIEW_NAMES.map((view) => ({ id: `messages-${view}`, label: t(`care.messages.view.${view}` as MessageKey), changes: { status: MESSAGE_VIEWS[view].join(",") || null } }));

  const { sort, direction } = query;
  const sortOptions: IndexFiltersProps["sortOptions"] = MESSAGE_SORTS.flatMap((key) =>
    (["asc", "desc"] as const).map((dir) => ({
      label: t(`care.messages.sort.${key}` as MessageKey),
      value: `${key} ${dir}` as const,
      directionLabel: t(dir === "desc" ? "care.messages.sort.newest" : "care.messages.sort.oldest"),
    })),
  );

  const flowChoices = [
    ...CARE_FLOWS.map((flow) => ({ label: t(flowNameKey(flow)), value: flow })),
    ...campaigns.map((campaign) => ({ label: t("care.messages.campaign", { name: campaign.name }), value: campaign.id })),
  ];
  const channelLabel = (channel: string) => t(`care.settings.channels.${channel}` as MessageKey);
  const statusLabel = (status: string) => ((MESSAGE_STATUSES as readonly string[]).includes(status) ? t(`care.status.${status}` as MessageKey) : status);
  const dayLabel = (day: string) => formatDay(day, locale);

  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const filterList: IndexFiltersProps["filters"] = [
    {
      key: "status",
      label: t("care.messages.filter.status"),
      filter: (
        <ChoiceList
          title={t("care.messages.filter.status")}
          titleHidden
          allowMultiple
          choices={MESSAGE_STATUSES.map((status) => ({ label: statusLabel(status), value: status }))}
          selected={statuses}
          onChange={(values) => go({ status: values.join(",") || null })}
        />
      ),
      shortcut: true,
    },
    {
      key: "flow",
      label: t("care.messages.filter.flow"),
      filter: <ChoiceList title={t("care.messages.filter.flow")} titleHidden choices={flowChoices} selected={params.get("flow") ? [params.get("flow")!] : []} onChange={([value]) => go({ flow: value ?? null })} />,
      shortcut: true,
    },
    {
      key: "channel",
      label: t("care.messages.filter.channel"),
      filter: <ChoiceList title={t("care.messages.filter.channel")} titleHidden choices={CHANNELS.map((channel) => ({ label: channelLabel(channel), value: channel }))} selected={params.get("channel") ? [params.get("channel")!] : []} onChange={([value]) => go({ channel: value ?? null })} />,
    },
    {
      key: "source",
      label: t("care.messages.filter.source"),
      filter: (
        <ChoiceList
          title={t("care.messages.filter.source")}
          titleHidden
          choices={(["flow", "campaign"] as const).map((source) => ({ label: t(`care.messages.source.${source}`), value: source }))}
          selected={params.get("source") ? [params.get("source")!] : []}
          onChange={([value]) => go({ source: value ?? null })}
        />
      ),
    },
    {
      key: "date",
      label: t("care.messages.filter.date"),
      filter: (
        <BlockStack gap="200">
          <TextField label={t("care.messages.filter.from")} type="date" autoComplete="off" value={from} max={to || undefined} onChange={(value) => go({ from: DAY.test(value) ? value : null })} />
          <TextField label={t("care.messages.filter.to")} type="date" autoComplete="off" value={to} min={from || undefined} onChange={(value) => go({ to: DAY.test(value) ? value : null })} />
          <Text as="p" tone="subdued" variant="bodySm">
            {t("care.messages.filter.dateHelp")}
          </Text>
        </BlockStack>
      ),
      shortcut: true,
    },
  ];

  const flowParam = params.get("flow");
  const applied: IndexFiltersProps["appliedFilters"] = [
    ...(statuses.length && shownView === null ? [{ key: "status", label: `${t("care.messages.filter.status")}: ${statuses.map(statusLabel).join(", ")}`, onRemove: () => go({ status: null }) }] : []),
    ...(flowParam ? [{ key: "flow", label: flowChoices.find((choice) => choice.value === flowParam)?.label ?? flowParam, onRemove: () => go({ flow: null }) }] : []),
    ...(params.get("channel") ? [{ key: "channel", label: channelLabel(params.get("channel")!), onRemove: () => go({ channel: null }) }] : []),
    ...(params.get("source") ? [{ key: "source", label: t(`care.messages.source.${params.get("source") === "campaign" ? "campaign" : "flow"}`), onRemove: () => go({ source: null }) }] : []),
    ...(from || to
      ? [
          {
            key: "date",
            label: from && to ? t("care.messages.filter.between", { from: dayLabel(from), to: dayLabel(to) }) : from ? t("care.messages.filter.since", { date: dayLabel(from) }) : t("care.messages.filter.until", { date: dayLabel(to) }),
            onRemove: () => go({ from: null, to: null }),
          },
        ]
      : []),
  ];

  // The rows whose history is open: the one a link named (`message`), then the merchant's clicks.
  const [open, setOpen] = useState<Set<string>>(() => new Set(params.get("message") ? [params.get("message")!] : []));
  const toggle = (id: string) => setOpen((current) => {
    const next = new Set(current);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  const headings = useMemo(
    () =>
      [
        { title: t("care.messages.column.customer") },
        { title: t("care.messages.column.source") },
        { title: t("care.messages.column.channel") },
        { title: t("care.messages.column.status") },
        { title: t("care.messages.column.reason") },
        { title: t("care.messages.column.when") },
        { title: t("care.messages.read"), hidden: true },
      ] as [{ title: string }, ...Array<{ title: string; hidden?: boolean }>],
    [t],
  );

  const rows = entries.map((entry, index) => {
    const customer = customerOf(entry);
    const source = sourceText(t, entry);
    const expanded = open.has(entry.id);
    return (
      <Fragment key={entry.id}>
        <IndexTable.Row id={entry.id} position={index}>
          <IndexTable.Cell>
            <Link to={`/app/members/${entry.customerShopifyId}`}>{customer}</Link>
          </IndexTable.Cell>
          <IndexTable.Cell>{source}</IndexTable.Cell>
          <IndexTable.Cell>{channelLabel(entry.channel)}</IndexTable.Cell>
          <IndexTable.Cell>
            <Badge tone={STATUS_TONE[entry.status]}>{statusLabel(entry.status)}</Badge>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <Text as="span">{reasonText(t, entry.lastReason)}</Text>
              <Button
                variant="plain"
                disclosure={expanded ? "up" : "down"}
                onClick={() => toggle(entry.id)}
                accessibilityLabel={expanded ? t("care.messages.hideWhy") : t("care.messages.whyLabel", { customer, source })}
                ariaExpanded={expanded}
                ariaControls={`why-${entry.id}`}
              >
                {expanded ? t("care.messages.hideWhy") : t("care.messages.why")}
              </Button>
            </InlineStack>
          </IndexTable.Cell>
          <IndexTable.Cell>
            {entry.sentAt
              ? t("care.messages.when.sent", { at: when(entry.sentAt) })
              : entry.status === "deferred" || entry.status === "scheduled"
                ? t("care.messages.next", { at: when(entry.availableAt) })
                : t("care.messages.when.planned", { at: when(entry.plannedAt) })}
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Link to={`/app/messages/${entry.id}`} aria-label={t("care.messages.readLabel", { customer, source })}>
              {t("care.messages.read")}
            </Link>
          </IndexTable.Cell>
        </IndexTable.Row>
        {expanded ? (
          <IndexTable.Row id={`${entry.id}-why`} position={index} rowType="child">
            <IndexTable.Cell colSpan={headings.length}>
              <Box paddingBlock="200" paddingInlineStart="400">
                <DecisionHistory id={`why-${entry.id}`} title={t("care.messages.decisionsFor", { customer, source })} decisions={entry.decisions} timeZone={timeZone} />
              </Box>
            </IndexTable.Cell>
          </IndexTable.Row>
        ) : null}
      </Fragment>
    );
  });

  return (
    <Page>
      <TitleBar title={t("care.messages.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card padding="0">
              <ListFilters
                list={list}
                listKey="messages"
                savedViews={savedViews}
                builtIns={builtIns}
                builtInSelected={shownView ? MESSAGE_VIEW_NAMES.indexOf(shownView) : 0}
                startFiltering={filtered}
                queryPlaceholder={t("care.messages.search")}
                filters={filterList}
                appliedFilters={applied}
                onClearAll={() => go({ status: null, flow: null, channel: null, source: null, from: null, to: null, q: null })}
                sortOptions={sortOptions}
                sorted={`${sort} ${direction}`}
                defaultSort="updated desc"
              />
              <Box paddingInline="400" paddingBlock="200">
                <Text as="p" tone="subdued" id="messages-count">
                  {count === 1 ? t("care.messages.count.one") : t("care.messages.count", { count: count.toLocaleString(locale) })}
                </Text>
              </Box>
              <IndexTable
                resourceName={{ singular: t("care.messages.resource.singular"), plural: t("care.messages.resource.plural") }}
                itemCount={entries.length}
                headings={headings}
                selectable={false}
                emptyState={<EmptySearchResult title={t("care.messages.empty")} withIllustration />}
                pagination={{
                  hasPrevious: previousCursor !== null,
                  onPrevious: () => go({ before: previousCursor, cursor: null }),
                  hasNext: nextCursor !== null,
                  onNext: () => go({ cursor: nextCursor, before: null }),
                }}
              >
                {rows}
              </IndexTable>
            </Card>
            <Text as="p" tone="subdued">
              {t("care.messages.timeZone", { zone: timeZone })}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
