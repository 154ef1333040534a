// Today's follow-ups (issue 7): whom to contact and why, as many as the team
// can take a day (the dailyCapacity setting), most valuable first, with how
// many more are waiting (issue 17: never a silent cap); overdue ones marked;
// staff assign a task to themselves, snooze it to a later day or complete it
// with an outcome. Below, the tasks that closed by themselves this week and
// why. Bad input: 422 with field errors.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { SectionCard } from "~/components/SectionCard";
import { CLOSE_REASONS, FOLLOW_UP_OUTCOMES, FOLLOW_UP_REASONS } from "~/domain/follow-ups";
import { formatDateTime, formatNumber, useLocale, useT, type MessageKey } from "~/i18n";
import { staffMember } from "~/models/customer-file.server";
import { assignFollowUp, completeFollowUp, snoozeFollowUp } from "~/models/follow-ups.server";
import { getShop } from "~/models/shops.server";
import { systemClock } from "~/services/clock.server";
import { recentlyClosedFollowUps, shopToday, todaysFollowUps } from "~/services/follow-ups.server";
import { authenticate } from "~/shopify.server";

type NameParts = { firstName: string | null; lastName: string | null; email: string | null } | null;
const displayName = (customer: NameParts) => (customer ? [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || null : null);

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const now = systemClock.now();
  const [list, closed, shop] = await Promise.all([todaysFollowUps(session.shop, now), recentlyClosedFollowUps(session.shop, now), getShop(session.shop)]);
  return json({
    today: list.today,
    capacity: list.capacity,
    open: list.open,
    waiting: list.waiting,
    overdue: list.overdue,
    timeZone: shop?.ianaTimezone ?? "UTC",
    me: sessionToken?.sub ?? null,
    tasks: list.tasks.map((task) => ({
      id: task.id,
      customerShopifyId: task.customerShopifyId,
      customer: displayName(task.customer),
      reason: task.reason,
      priority: task.priority,
      detail: JSON.parse(task.detail) as Record<string, unknown>,
      dueOn: task.dueOn,
      overdue: task.overdue,
      assignee: task.assignee,
      assigneeName: task.assigneeName,
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

const taskForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assign"), id: z.string().min(1) }),
  z.object({ intent: z.literal("snooze"), id: z.string().min(1), until: z.iso.date() }),
  z.object({
    intent: z.literal("complete"),
    id: z.string().min(1),
    outcome: z.enum(FOLLOW_UP_OUTCOMES),
    note: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? null : typeof value === "string" ? value.trim() : value), z.string().max(500).nullable().default(null)),
  }),
]);

type Errors = Partial<Record<"intent" | "id" | "until" | "outcome" | "note", MessageKey>>;
const ERROR_KEYS: Record<string, MessageKey> = { intent: "followUps.errors.intent", id: "followUps.errors.notFound", until: "followUps.errors.until", outcome: "followUps.errors.outcome", note: "followUps.errors.note" };

export async function action({ request }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const now = systemClock.now();
  const parsed = taskForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const errors: Errors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "intent");
      errors[field as keyof Errors] = ERROR_KEYS[field] ?? "followUps.errors.intent";
    }
    return json({ ok: false, errors }, { status: 422 });
  }
  const form = parsed.data;
  const shop = session.shop;
  const staff = await staffMember(shop, sessionToken?.sub);
  let changed: boolean;
  if (form.intent === "assign") changed = await assignFollowUp(shop, form.id, staff, now);
  else if (form.intent === "snooze") {
    if (form.until <= (await shopToday(shop, now))) return json({ ok: false, errors: { until: "followUps.errors.until" } satisfies Errors }, { status: 422 });
    changed = await snoozeFollowUp(shop, form.id, form.until, now);
  } else changed = await completeFollowUp(shop, form.id, { outcome: form.outcome, note: form.note }, staff, now);
  if (!changed) return json({ ok: false, errors: { id: "followUps.errors.notFound" } satisfies Errors }, { status: 404 });
  return json({ ok: true, errors: null });
}

type Task = ReturnType<typeof useLoaderData<typeof loader>>["tasks"][number];

function reasonText(t: ReturnType<typeof useT>, task: { reason: string; detail: Record<string, unknown> }): string {
  if (!(FOLLOW_UP_REASONS as readonly string[]).includes(task.reason)) return task.reason;
  return t(`followUps.reason.${task.reason}` as MessageKey, { date: String(task.detail.on ?? ""), score: String(task.detail.completeness ?? 0) });
}

function closedText(t: ReturnType<typeof useT>, reason: string | null): string {
  return reason && (CLOSE_REASONS as readonly string[]).includes(reason) ? t(`followUps.closed.reason.${reason}` as MessageKey) : (reason ?? "");
}

function TaskCard({ task, me }: { task: Task; me: string | null }) {
  const t = useT();
  const fetcher = useFetcher<typeof action>();
  const [until, setUntil] = useState("");
  const [outcome, setOutcome] = useState<string>(FOLLOW_UP_OUTCOMES[0]);
  const [note, setNote] = useState("");
  const errors = (fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {}) as Errors;
  const busy = fetcher.state !== "idle";
  const tone = task.priority === 1 ? "critical" : task.priority === 2 ? "attention" : "info";
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            <Link to={`/app/members/${task.customerShopifyId}`}>{task.customer ?? `#${task.customerShopifyId}`}</Link>
          </Text>
          <Badge tone={tone}>{t(`followUps.priority.${task.priority}` as MessageKey)}</Badge>
          {task.overdue ? <Badge tone="critical">{t("followUps.overdue")}</Badge> : null}
        </InlineStack>
        <Text as="p">{reasonText(t, task)}</Text>
        <Text as="p" tone={task.overdue ? "critical" : "subdued"}>
          {t("followUps.column.due")}: {task.dueOn} · {t("followUps.column.assignee")}: {task.assigneeName ?? task.assignee ?? t("followUps.unassigned")}
        </Text>
        {errors.id ? <Text as="p" tone="critical">{t(errors.id)}</Text> : null}
        <InlineStack gap="300" blockAlign="end" wrap>
          {task.assignee !== me ? (
            <Button loading={busy} onClick={() => fetcher.submit({ intent: "assign", id: task.id }, { method: "post" })}>
              {t("followUps.assignToMe")}
            </Button>
          ) : null}
          <TextField label={t("followUps.snoozeUntil")} type="date" value={until} onChange={setUntil} autoComplete="off" error={errors.until ? t(errors.until) : undefined} />
          <Button loading={busy} onClick={() => fetcher.submit({ intent: "snooze", id: task.id, until }, { method: "post" })}>
            {t("followUps.snooze")}
          </Button>
          <Select label={t("followUps.outcome")} options={FOLLOW_UP_OUTCOMES.map((value) => ({ label: t(`followUps.outcome.${value}` as MessageKey), value }))} value={outcome} onChange={setOutcome} error={errors.outcome ? t(errors.outcome) : undefined} />
          <TextField label={t("followUps.outcomeNote")} value={note} onChange={setNote} autoComplete="off" error={errors.note ? t(errors.note) : undefined} />
          <Button variant="primary" loading={busy} onClick={() => fetcher.submit({ intent: "complete", id: task.id, outcome, note }, { method: "post" })}>
            {t("followUps.complete")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function FollowUps() {
  const { today, tasks, me, capacity, open, waiting, overdue, closed, timeZone } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  return (
    <Page title={t("followUps.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="p" variant="headingMd">
              {t("followUps.today", { date: today, count: n(tasks.length) })}
            </Text>
            {open > 0 ? (
              <Text as="p" id="follow-ups-counts">
                {t(waiting > 0 ? "followUps.counts.waiting" : "followUps.counts.all", { shown: n(tasks.length), open: n(open), waiting: n(waiting), capacity: n(capacity) })}
                {overdue > 0 ? ` ${t("followUps.counts.overdue", { overdue: n(overdue) })}` : ""}
              </Text>
            ) : null}
            <Text as="p" tone="subdued">
              {t("followUps.valuable")} <Link to="/app/settings">{t("followUps.capacitySetting")}</Link>
            </Text>
            {tasks.length === 0 ? <Text as="p">{t("followUps.empty")}</Text> : tasks.map((task) => <TaskCard key={task.id} task={task} me={me} />)}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <div id="follow-ups-closed">
            <SectionCard title={t("followUps.closed.heading")}>
              <BlockStack gap="200">
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
                      reasonText(t, task),
                      closedText(t, task.closedReason),
                      task.closedAt ? formatDateTime(task.closedAt, locale, timeZone) : "",
                    ])}
                  />
                ) : null}
              </BlockStack>
            </SectionCard>
          </div>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
