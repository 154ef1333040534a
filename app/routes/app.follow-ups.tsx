// Follow-ups (issues 7, 17, 20): whom to contact and why, as a list a team
// works. The view is in the URL (app/domain/list-query.ts): the tabs are the
// day's list (as many as the team takes a day, the dailyCapacity setting, most
// valuable first), every task on the list, the staff member's own, and the
// snoozed ones; filters by reason, assignee and due; search by customer;
// sort by value, due, last order or name; 25 or 50 a page, filtered, sorted
// and paged on the server. Each row has what staff need to act: phone or
// email as links, tier, last order, and why now. Staff select rows and assign
// them (to themselves or a colleague), snooze them to a later day or
// complete them: completing asks for the outcome with nothing chosen, then
// to confirm. Below, the tasks that closed by themselves this week and why.
// Bad input: 422 with the field's error, nothing changed.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  DataTable,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
  useIndexResourceState,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { z } from "zod";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { ListEmptyState } from "~/components/admin/ListEmptyState";
import { useActionToast } from "~/components/admin/useActionToast";
import { ListFilters, type BuiltInView } from "~/components/lists/ListFilters";
import { useListUrl } from "~/components/lists/useListUrl";
import { CLOSE_REASONS, FOLLOW_UP_OUTCOMES, FOLLOW_UP_REASONS, type FollowUpOutcome } from "~/domain/follow-ups";
import { FOLLOW_UP_DUE, FOLLOW_UP_VIEWS, PAGE_SIZES, pageInfo, parseFollowUpListQuery, sortParams, type FollowUpSort } from "~/domain/list-query";
import { formatDate, formatDateTime, formatDay, formatNumber, resolveLocale, useLocale, useT, type MessageKey } from "~/i18n";
import { staffMember } from "~/models/customer-file.server";
import { assignFollowUps, completeFollowUps, snoozeFollowUps, staffToAssign } from "~/models/follow-ups.server";
import { listSavedViews } from "~/models/saved-list-views.server";
import { staffNames } from "~/models/staff-members.server";
import { systemClock } from "~/services/clock.server";
import { followUpsPage, recentlyClosedFollowUps, shopToday } from "~/services/follow-ups.server";
import { authenticate } from "~/shopify.server";

type NameParts = { firstName: string | null; lastName: string | null; email: string | null } | null;
const displayName = (customer: NameParts) => (customer ? [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || null : null);

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const now = systemClock.now();
  const me = sessionToken?.sub ?? null;
  const query = parseFollowUpListQuery(new URL(request.url).searchParams);
  const [page, closed, staff, savedViews] = await Promise.all([followUpsPage(session.shop, query, now, me), recentlyClosedFollowUps(session.shop, now), staffToAssign(session.shop), listSavedViews(session.shop, "followUps")]);
  // Staff by name (members20's staff records), whoever the rows name and whoever may be assigned.
  const names = await staffNames(session.shop, [me, ...staff, ...page.rows.map((row) => row.assignee)], resolveLocale(request));
  const info = pageInfo(query, page.total);
  return json({
    query,
    savedViews,
    page: info,
    today: page.today,
    timeZone: page.timeZone,
    capacity: page.capacity,
    counts: page.counts,
    // The day's summary (issue 17): how many the list holds, how many of them today's list shows.
    open: page.counts.onList,
    waiting: page.counts.onList - page.counts.today,
    overdue: page.counts.overdue,
    me,
    staff: [...new Set([...(me ? [me] : []), ...staff])].map((id) => ({ id, name: names.get(id) ?? id })),
    tasks: page.rows.map((task) => ({
      id: task.id,
      customerShopifyId: task.customerShopifyId,
      customer: displayName(task),
      phone: task.phone,
      email: task.email,
      tier: task.tierHandle ? (page.tiers.find((tier) => tier.handle === task.tierHandle)?.name ?? null) : null,
      lastOrderAt: task.lastOrderAt?.toISOString() ?? null,
      reason: task.reason,
      priority: task.priority,
      detail: JSON.parse(task.detail) as Record<string, unknown>,
      dueOn: task.dueOn,
      snoozedUntil: task.status === "snoozed" ? task.snoozedUntil : null,
      overdue: task.overdue,
      assignee: task.assignee,
      assigneeName: task.assignee ? (names.get(task.assignee) ?? task.assigneeName ?? task.assignee) : null,
    })),
    closed: {
      days: closed.days,
      total: closed.total,
      tasks: closed.tasks.map((task) => ({
        id: task.id,
        customerShopifyId: task.customerShopifyId,
        customer: displayName(task.customer),
        reason: task.reason,
        detail: JSON.parse(task.detail) as Record<string, unknown>,
        closedReason: task.closedReason,
        closedAt: task.completedAt?.toISOString() ?? null,
      })),
    },
  });
}

// One task (`id`) or many (`id` repeated): the page sends the selected rows.
const ids = z.array(z.string().min(1).max(64)).min(1).max(100);
const taskForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assign"), id: ids, assignee: z.string().trim().min(1).max(64).default("me") }),
  z.object({ intent: z.literal("snooze"), id: ids, until: z.iso.date() }),
  z.object({
    intent: z.literal("complete"),
    id: ids,
    outcome: z.enum(FOLLOW_UP_OUTCOMES),
    note: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? null : typeof value === "string" ? value.trim() : value), z.string().max(500).nullable().default(null)),
  }),
]);

type Errors = Partial<Record<"intent" | "id" | "until" | "outcome" | "note" | "assignee", MessageKey>>;
const ERROR_KEYS: Record<string, MessageKey> = {
  intent: "followUps.errors.intent",
  id: "followUps.errors.notFound",
  until: "followUps.errors.until",
  outcome: "followUps.errors.outcome",
  note: "followUps.errors.note",
  assignee: "followUps.errors.assignee",
};
type ActionData = { ok: true; intent: "assign" | "snooze" | "complete"; changed: number; asked: number; errors: null } | { ok: false; errors: Errors };

export async function action({ request }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const now = systemClock.now();
  const data = await request.formData();
  const parsed = taskForm.safeParse({ ...Object.fromEntries(data), id: data.getAll("id") });
  if (!parsed.success) {
    const errors: Errors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "intent");
      errors[field as keyof Errors] = ERROR_KEYS[field] ?? "followUps.errors.intent";
    }
    return json<ActionData>({ ok: false, errors }, { status: 422 });
  }
  const form = parsed.data;
  const shop = session.shop;
  const me = await staffMember(shop, sessionToken?.sub);
  let changed: number;
  if (form.intent === "assign") {
    let staff = me;
    if (form.assignee !== "me" && form.assignee !== me.id) {
      // Only someone the app knows as the shop's staff: an id typed into the request is not a person.
      if (!(await staffToAssign(shop)).includes(form.assignee)) return json<ActionData>({ ok: false, errors: { assignee: "followUps.errors.assignee" } }, { status: 422 });
      staff = { id: form.assignee, name: (await staffNames(shop, [form.assignee], resolveLocale(request))).get(form.assignee) ?? null };
    } else if (me.id) staff = { id: me.id, name: (await staffNames(shop, [me.id], resolveLocale(request))).get(me.id) ?? me.name };
    changed = await assignFollowUps(shop, form.id, staff, now);
  } else if (form.intent === "snooze") {
    if (form.until <= (await shopToday(shop, now))) return json<ActionData>({ ok: false, errors: { until: "followUps.errors.until" } }, { status: 422 });
    changed = await snoozeFollowUps(shop, form.id, form.until, now);
  } else changed = await completeFollowUps(shop, form.id, { outcome: form.outcome, note: form.note }, me, now);
  if (changed === 0) return json<ActionData>({ ok: false, errors: { id: "followUps.errors.notFound" } }, { status: 404 });
  return json<ActionData>({ ok: true, intent: form.intent, changed, asked: new Set(form.id).size, errors: null });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Task = LoaderData["tasks"][number];
type T = ReturnType<typeof useT>;

function reasonText(t: T, task: { reason: string; detail: Record<string, unknown> }, locale: ReturnType<typeof useLocale>): string {
  if (!(FOLLOW_UP_REASONS as readonly string[]).includes(task.reason)) return task.reason;
  return t(`followUps.reason.${task.reason}` as MessageKey, { date: formatDay(String(task.detail.on ?? ""), locale), score: String(task.detail.completeness ?? 0) });
}

function closedText(t: T, reason: string | null): string {
  return reason && (CLOSE_REASONS as readonly string[]).includes(reason) ? t(`followUps.closed.reason.${reason}` as MessageKey) : (reason ?? "");
}

type BulkKind = "assign" | "snooze" | "complete";

/**
 * What the chosen bulk action needs before it can run, inline above the
 * list: whom to assign to, the day to snooze to, or the outcome (nothing
 * chosen until staff choose; completing then asks to confirm).
 */
function BulkPanel({ kind, ids, staff, today, onDone, onCancel }: { kind: BulkKind; ids: string[]; staff: LoaderData["staff"]; today: string; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<ActionData>();
  const [confirming, setConfirming] = useState(false);
  const [assignee, setAssignee] = useState("");
  const [until, setUntil] = useState("");
  const [outcome, setOutcome] = useState<FollowUpOutcome[]>([]);
  const [note, setNote] = useState("");
  const errors: Errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const busy = fetcher.state !== "idle";
  const count = formatNumber(ids.length, locale);
  const submit = (fields: Record<string, string>) => {
    const body = new FormData();
    for (const id of ids) body.append("id", id);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    fetcher.submit(body, { method: "post" });
  };
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useActionToast(answer, (data) => {
    if (!data.ok) return data.errors.id ? { message: t(data.errors.id), isError: true } : null;
    const done = t(`followUps.toast.${data.intent}` as MessageKey, { count: formatNumber(data.changed, locale) });
    return { message: data.changed < data.asked ? `${done} ${t("followUps.toast.skipped", { count: formatNumber(data.asked - data.changed, locale) })}` : done };
  });
  // The panel's job is done once its action succeeded.
  useEffect(() => {
    if (answer?.ok) onDone();
    // once per answer
  }, [answer]);

  const outcomeLabel = outcome[0] ? t(`followUps.outcome.${outcome[0]}` as MessageKey) : "";
  return (
    <Card>
      <div id="follow-ups-bulk">
        <BlockStack gap="300">
          <Text as="h2" variant="headingSm">
            {t(`followUps.bulk.${kind}.heading` as MessageKey, { count })}
          </Text>
          {kind === "assign" ? (
            <Select
              label={t("followUps.bulk.assign.to")}
              options={[{ label: t("followUps.bulk.assign.choose"), value: "", disabled: true }, ...staff.map((member) => ({ label: member.name, value: member.id }))]}
              value={assignee}
              onChange={setAssignee}
              error={errors.assignee ? t(errors.assignee) : undefined}
            />
          ) : null}
          {kind === "snooze" ? <TextField label={t("followUps.snoozeUntil")} type="date" min={today} value={until} onChange={setUntil} autoComplete="off" error={errors.until ? t(errors.until) : undefined} /> : null}
          {kind === "complete" ? (
            <>
              <ChoiceList
                title={t("followUps.outcome")}
                choices={FOLLOW_UP_OUTCOMES.map((value) => ({ label: t(`followUps.outcome.${value}` as MessageKey), value }))}
                selected={outcome}
                onChange={(value) => setOutcome(value as FollowUpOutcome[])}
                error={errors.outcome ? t(errors.outcome) : undefined}
              />
              <TextField label={t("followUps.outcomeNote")} value={note} onChange={setNote} autoComplete="off" maxLength={500} error={errors.note ? t(errors.note) : undefined} />
            </>
          ) : null}
          <InlineStack gap="200">
            {kind === "assign" ? (
              <Button variant="primary" loading={busy} disabled={!assignee} onClick={() => submit({ intent: "assign", assignee })}>
                {t("followUps.bulk.assign.submit", { count })}
              </Button>
            ) : null}
            {kind === "snooze" ? (
              <Button variant="primary" loading={busy} disabled={!until} onClick={() => submit({ intent: "snooze", until })}>
                {t("followUps.bulk.snooze.submit", { count })}
              </Button>
            ) : null}
            {kind === "complete" ? (
              <Button variant="primary" loading={busy} disabled={outcome.length === 0} onClick={() => setConfirming(true)}>
                {t("followUps.bulk.complete.submit", { count })}
              </Button>
            ) : null}
            <Button onClick={onCancel}>{t("followUps.bulk.cancel")}</Button>
          </InlineStack>
        </BlockStack>
      </div>
      {kind === "complete" ? (
        <ConfirmModal
          id="follow-ups-complete-confirm"
          open={confirming}
          title={t("followUps.bulk.complete.confirmTitle", { count })}
          body={t("followUps.bulk.complete.confirm", { count, outcome: outcomeLabel })}
          confirmLabel={t("followUps.bulk.complete.confirmAction")}
          cancelLabel={t("followUps.bulk.cancel")}
          destructive={false}
          loading={busy}
          onConfirm={() => {
            setConfirming(false);
            submit({ intent: "complete", outcome: outcome[0] ?? "", note });
          }}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </Card>
  );
}

function Contact({ task }: { task: Task }) {
  if (!task.phone && !task.email) return <Text as="span" tone="subdued">—</Text>;
  return (
    <BlockStack gap="050">
      {task.phone ? <a href={`tel:${task.phone.replace(/[^\d+]/g, "")}`}>{task.phone}</a> : null}
      {task.email ? <a href={`mailto:${task.email}`}>{task.email}</a> : null}
    </BlockStack>
  );
}

const FOLLOW_UP_DEFAULT_SORT = "value asc";
// Sortable columns, in the headings' order (null: not sortable).
const COLUMN_SORTS: Array<FollowUpSort | null> = ["customer", null, null, "lastOrder", "value", "due", null];

export default function FollowUps() {
  const data = useLoaderData<typeof loader>();
  const { query, page, tasks, staff, counts, capacity, open, waiting, overdue, closed, timeZone, today, savedViews } = data;
  const t = useT();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  const list = useListUrl();
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const rows = useMemo(() => tasks.map((task) => ({ ...task, id: task.id })), [tasks]);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows);
  // A new page or view starts with nothing selected.
  useEffect(() => {
    clearSelection();
    setBulk(null);
    // on a new set of rows
  }, [tasks]);

  const viewCount: Record<(typeof FOLLOW_UP_VIEWS)[number], number> = { today: counts.today, all: counts.onList, mine: counts.mine, snoozed: counts.snoozed };
  const builtIns: BuiltInView[] = FOLLOW_UP_VIEWS.map((view) => ({
    id: view,
    label: `${t(`followUps.view.${view}` as MessageKey)} (${n(viewCount[view])})`,
    accessibilityLabel: t(`followUps.view.${view}` as MessageKey),
    changes: { view: view === "today" ? null : view },
  }));
  const sortOptions: IndexFiltersProps["sortOptions"] = [
    { label: t("followUps.sort.value"), value: "value asc", directionLabel: t("followUps.sort.mostValuable") },
    { label: t("followUps.sort.value"), value: "value desc", directionLabel: t("followUps.sort.leastValuable") },
    { label: t("followUps.column.due"), value: "due asc", directionLabel: t("followUps.sort.soonest") },
    { label: t("followUps.column.due"), value: "due desc", directionLabel: t("followUps.sort.latest") },
    { label: t("followUps.column.lastOrder"), value: "lastOrder desc", directionLabel: t("followUps.sort.newest") },
    { label: t("followUps.column.lastOrder"), value: "lastOrder asc", directionLabel: t("followUps.sort.oldest") },
    { label: t("followUps.column.customer"), value: "customer asc", directionLabel: "A–Z" },
    { label: t("followUps.column.customer"), value: "customer desc", directionLabel: "Z–A" },
  ];
  const assigneeChoices = [
    { label: t("followUps.filter.assignee.me"), value: "me" },
    { label: t("followUps.filter.assignee.none"), value: "none" },
    ...staff.filter((member) => member.id !== data.me).map((member) => ({ label: member.name, value: member.id })),
  ];
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "reason",
      label: t("followUps.filter.reason"),
      pinned: true,
      filter: (
        <ChoiceList
          title={t("followUps.filter.reason")}
          titleHidden
          allowMultiple
          choices={FOLLOW_UP_REASONS.map((reason) => ({ label: t(`followUps.reasonName.${reason}` as MessageKey), value: reason }))}
          selected={query.reasons}
          onChange={(value) => list.update({ reason: value })}
        />
      ),
    },
    {
      key: "assignee",
      label: t("followUps.filter.assignee"),
      pinned: true,
      filter: <ChoiceList title={t("followUps.filter.assignee")} titleHidden choices={assigneeChoices} selected={query.assignee ? [query.assignee] : []} onChange={(value) => list.update({ assignee: value[0] ?? null })} />,
    },
    {
      key: "due",
      label: t("followUps.filter.due"),
      pinned: true,
      filter: (
        <ChoiceList
          title={t("followUps.filter.due")}
          titleHidden
          choices={FOLLOW_UP_DUE.map((due) => ({ label: t(`followUps.due.${due}` as MessageKey), value: due }))}
          selected={query.due ? [query.due] : []}
          onChange={(value) => list.update({ due: value[0] ?? null })}
        />
      ),
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [];
  if (query.reasons.length)
    appliedFilters.push({ key: "reason", label: `${t("followUps.filter.reason")}: ${query.reasons.map((reason) => t(`followUps.reasonName.${reason}` as MessageKey)).join(", ")}`, onRemove: () => list.update({ reason: null }) });
  if (query.assignee)
    appliedFilters.push({ key: "assignee", label: `${t("followUps.filter.assignee")}: ${assigneeChoices.find((choice) => choice.value === query.assignee)?.label ?? query.assignee}`, onRemove: () => list.update({ assignee: null }) });
  if (query.due) appliedFilters.push({ key: "due", label: `${t("followUps.filter.due")}: ${t(`followUps.due.${query.due}` as MessageKey)}`, onRemove: () => list.update({ due: null }) });

  const headings = [
    t("followUps.column.customer"),
    t("followUps.column.contact"),
    t("followUps.column.tier"),
    t("followUps.column.lastOrder"),
    t("followUps.column.reason"),
    t("followUps.column.due"),
    t("followUps.column.assignee"),
  ].map((title) => ({ title })) as [{ title: string }, ...Array<{ title: string }>];
  const sortColumnIndex = COLUMN_SORTS.indexOf(query.sort);
  const selectedIds = allResourcesSelected ? tasks.map((task) => task.id) : selectedResources;
  const filtered = query.q !== "" || appliedFilters.length > 0;

  return (
    <Page title={t("followUps.title")} fullWidth>
      <TitleBar title={t("followUps.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="p" variant="headingMd">
              {t("followUps.today", { date: formatDay(today, locale), count: n(counts.today) })}
            </Text>
            {open > 0 ? (
              <Text as="p" id="follow-ups-counts">
                {t(waiting > 0 ? "followUps.counts.waiting" : "followUps.counts.all", { shown: n(counts.today), open: n(open), waiting: n(waiting), capacity: n(capacity) })}
                {overdue > 0 ? ` ${t("followUps.counts.overdue", { overdue: n(overdue) })}` : ""}
              </Text>
            ) : null}
            <Text as="p" tone="subdued">
              {t("followUps.valuable")} <Link to="/app/settings">{t("followUps.capacitySetting")}</Link>
            </Text>
            {bulk && selectedIds.length ? (
              <BulkPanel
                kind={bulk}
                ids={selectedIds}
                staff={staff}
                today={today}
                onCancel={() => setBulk(null)}
                onDone={() => {
                  setBulk(null);
                  clearSelection();
                }}
              />
            ) : null}
            <Card padding="0">
              <div id="follow-ups-list">
                <ListFilters
                  list={list}
                  listKey="followUps"
                  savedViews={savedViews}
                  builtIns={builtIns}
                  builtInSelected={FOLLOW_UP_VIEWS.indexOf(query.view)}
                  queryPlaceholder={t("followUps.search")}
                  sortOptions={sortOptions}
                  sorted={`${query.sort} ${query.direction}`}
                  defaultSort={FOLLOW_UP_DEFAULT_SORT}
                  filters={filters}
                  appliedFilters={appliedFilters}
                  onClearAll={() => list.update({ reason: null, assignee: null, due: null, q: null })}
                />
                <IndexTable
                  resourceName={{ singular: t("followUps.resource.singular"), plural: t("followUps.resource.plural") }}
                  itemCount={tasks.length}
                  selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                  onSelectionChange={handleSelectionChange}
                  promotedBulkActions={[
                    { content: t("followUps.bulk.assign.action"), onAction: () => setBulk("assign") },
                    { content: t("followUps.bulk.snooze.action"), onAction: () => setBulk("snooze") },
                    { content: t("followUps.bulk.complete.action"), onAction: () => setBulk("complete") },
                  ]}
                  headings={headings}
                  sortable={COLUMN_SORTS.map((sort) => sort !== null)}
                  sortColumnIndex={sortColumnIndex >= 0 ? sortColumnIndex : undefined}
                  sortDirection={query.direction === "asc" ? "ascending" : "descending"}
                  defaultSortDirection="ascending"
                  onSort={(index, direction) => {
                    const sort = COLUMN_SORTS[index];
                    if (sort) list.update(sortParams(`${sort} ${direction === "ascending" ? "asc" : "desc"}`, FOLLOW_UP_DEFAULT_SORT));
                  }}
                  loading={list.loading}
                  emptyState={<ListEmptyState heading={t(filtered ? "followUps.emptyFiltered.heading" : "followUps.empty")} body={t(filtered ? "followUps.emptyFiltered.body" : "followUps.emptyBody")} />}
                  pagination={list.pagination(page, query.page)}
                >
                  {tasks.map((task, index) => (
                    <IndexTable.Row id={task.id} key={task.id} position={index} selected={selectedResources.includes(task.id)}>
                      <IndexTable.Cell>
                        <BlockStack gap="050">
                          <Link to={`/app/members/${task.customerShopifyId}`} onClick={(event) => event.stopPropagation()}>
                            {task.customer ?? `#${task.customerShopifyId}`}
                          </Link>
                          {task.priority === 1 ? <Badge tone="critical">{t("followUps.priority.1")}</Badge> : null}
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <div onClick={(event) => event.stopPropagation()}>
                          <Contact task={task} />
                        </div>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{task.tier ? task.tier[locale] : <Text as="span" tone="subdued">{t("followUps.noTier")}</Text>}</IndexTable.Cell>
                      <IndexTable.Cell>{task.lastOrderAt ? formatDate(task.lastOrderAt, locale, timeZone) : <Text as="span" tone="subdued">{t("followUps.noOrder")}</Text>}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <div style={{ whiteSpace: "normal", minWidth: "14rem" }}>{reasonText(t, task, locale)}</div>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <InlineStack gap="100" blockAlign="center" wrap={false}>
                          <Text as="span" tone={task.overdue ? "critical" : undefined}>
                            {formatDay(task.dueOn, locale)}
                          </Text>
                          {task.overdue ? <Badge tone="critical">{t("followUps.overdue")}</Badge> : null}
                          {task.snoozedUntil ? <Badge>{t("followUps.snoozedTo", { date: formatDay(task.snoozedUntil, locale) })}</Badge> : null}
                        </InlineStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{task.assigneeName ?? <Text as="span" tone="subdued">{t("followUps.unassigned")}</Text>}</IndexTable.Cell>
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
        <Layout.Section>
          <div id="follow-ups-closed">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("followUps.closed.heading")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("followUps.closed.count", { count: n(closed.total), days: closed.days })}
                </Text>
                {closed.tasks.length ? (
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text"]}
                    headings={[t("followUps.column.customer"), t("followUps.column.reason"), t("followUps.closed.why"), t("followUps.closed.when")]}
                    rows={closed.tasks.map((task) => [
                      <Link key={task.id} to={`/app/members/${task.customerShopifyId}`}>
                        {task.customer ?? `#${task.customerShopifyId}`}
                      </Link>,
                      reasonText(t, task, locale),
                      closedText(t, task.closedReason),
                      task.closedAt ? formatDateTime(task.closedAt, locale, timeZone) : "",
                    ])}
                  />
                ) : null}
              </BlockStack>
            </Card>
          </div>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
