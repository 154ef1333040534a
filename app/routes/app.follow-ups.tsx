// Today's follow-ups (issue 7): whom to contact and why, most urgent first,
// overdue ones marked; staff assign a task to themselves, snooze it to a later
// day or complete it with an outcome. Bad input: 422 with field errors.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { FOLLOW_UP_OUTCOMES, FOLLOW_UP_REASONS } from "~/domain/follow-ups";
import { useT, type MessageKey } from "~/i18n";
import { staffMember } from "~/models/customer-file.server";
import { assignFollowUp, completeFollowUp, snoozeFollowUp } from "~/models/follow-ups.server";
import { systemClock } from "~/services/clock.server";
import { shopToday, todaysFollowUps } from "~/services/follow-ups.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const { today, tasks } = await todaysFollowUps(session.shop, systemClock.now());
  return json({
    today,
    me: sessionToken?.sub ?? null,
    tasks: tasks.map((task) => ({
      id: task.id,
      customerShopifyId: task.customerShopifyId,
      customer: task.customer ? [task.customer.firstName, task.customer.lastName].filter(Boolean).join(" ") || task.customer.email || null : null,
      reason: task.reason,
      priority: task.priority,
      detail: JSON.parse(task.detail) as Record<string, unknown>,
      dueOn: task.dueOn,
      overdue: task.overdue,
      assignee: task.assignee,
      assigneeName: task.assigneeName,
    })),
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

function reasonText(t: ReturnType<typeof useT>, task: Task): string {
  if (!(FOLLOW_UP_REASONS as readonly string[]).includes(task.reason)) return task.reason;
  return t(`followUps.reason.${task.reason}` as MessageKey, { date: String(task.detail.on ?? ""), score: String(task.detail.completeness ?? 0) });
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
  const { today, tasks, me } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <Page title={t("followUps.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="p" variant="headingMd">
              {t("followUps.today", { date: today, count: tasks.length })}
            </Text>
            {tasks.length === 0 ? <Text as="p">{t("followUps.empty")}</Text> : tasks.map((task) => <TaskCard key={task.id} task={task} me={me} />)}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
