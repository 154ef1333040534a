import { claim, complete, fail, postpone, type QueueTable } from "~/jobs/queue.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import db, { dialect, placeholder, writeStatement, writeTransaction } from "~/db.server";
import { join, raw, sql } from "./sql.server";

/**
 * The webhook inbox. Rows are claimed by workers with a lease through the one
 * job queue (app/jobs/queue.server.ts), so two workers (or processes) never
 * hold the same row, and a dead worker's rows return once its lease expires.
 */
/** What replaces a raw body that must not be kept. */
export const REDACTED_BODY = JSON.stringify({ redacted: true });

export type InboxStatus = "pending" | "processing" | "done" | "failed" | "skipped";
export const INBOX_STATUSES: InboxStatus[] = ["pending", "processing", "done", "failed", "skipped"];

export interface NewInboxEvent {
  shop: string;
  webhookId: string;
  topic: string;
  apiVersion: string | null;
  eventId: string | null;
  triggeredAt: Date | null;
  body: string;
  receivedAt: Date;
}

/** Stores one delivery (storeInboxEvents with one event); a repeat of the same webhook id is not stored again. */
export async function storeInboxEvent(event: NewInboxEvent): Promise<{ stored: boolean }> {
  return { stored: (await storeInboxEvents([event])).has(event.webhookId) };
}

/** Deliveries storeInboxEvents takes at once: 8 parameters a row (3 for its body), under the driver adapter's 999. */
export const INBOX_INSERT_ROWS = 100;

const EVENT_COLUMNS = `"shop", "webhookId", "topic", "apiVersion", "eventId", "triggeredAt", "receivedAt", "availableAt"`;

/**
 * Stores several deliveries at once, so acknowledgements that wait together
 * share one write transaction (group commit, ADR 0023): each event's queue row
 * and its body (InboxBody, ADR 0038). Returns the webhook ids it stored; an id
 * already in the inbox, or repeated in `events`, is stored once (the first).
 * Portable: ON CONFLICT DO NOTHING and RETURNING are in both SQLite (3.35+) and
 * PostgreSQL.
 */
export async function storeInboxEvents(events: NewInboxEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  if (events.length > INBOX_INSERT_ROWS) throw new RangeError(`storeInboxEvents takes at most ${INBOX_INSERT_ROWS} events at once`);
  const byWebhook = new Map<string, NewInboxEvent>();
  for (const event of events) if (!byWebhook.has(event.webhookId)) byWebhook.set(event.webhookId, event);
  const unique = [...byWebhook.values()];
  const args: unknown[] = [];
  const row = (values: unknown[]) => {
    const first = args.length;
    args.push(...values);
    return `(${values.map((_, i) => placeholder(first + i + 1)).join(", ")})`;
  };
  const eventRows = unique.map((event) => row([event.shop, event.webhookId, event.topic, event.apiVersion, event.eventId, event.triggeredAt, event.receivedAt, event.receivedAt])).join(", ");
  const insertEvents = `INSERT INTO "InboxEvent" (${EVENT_COLUMNS}) VALUES ${eventRows} ON CONFLICT ("webhookId") DO NOTHING`;
  // Outside Prisma (db.server.ts writeStatement, ADR 0035).
  if (dialect() === "postgresql") {
    // One statement: the events, then the bodies of those it stored.
    const bodyRows = unique.map((event) => row([event.webhookId, event.body])).join(", ");
    const stored = await writeStatement<{ webhookId: string }>(
      `WITH stored AS (${insertEvents} RETURNING "id", "shop", "webhookId"),
      bodies AS (
        INSERT INTO "InboxBody" ("inboxEventId", "shop", "body")
        SELECT stored."id", stored."shop", sent."body" FROM stored JOIN (VALUES ${bodyRows}) AS sent ("webhookId", "body") ON sent."webhookId" = stored."webhookId"
      )
      SELECT "webhookId" FROM stored`,
      args,
    );
    return new Set(stored.map((each) => each.webhookId));
  }
  return writeTransaction(async (run) => {
    const stored = await run<{ id: number; webhookId: string }>(`${insertEvents} RETURNING "id", "webhookId"`, args);
    if (stored.length > 0) {
      const bodyArgs: unknown[] = [];
      for (const { id, webhookId } of stored) {
        const event = byWebhook.get(webhookId)!;
        bodyArgs.push(id, event.shop, event.body);
      }
      await run(`INSERT INTO "InboxBody" ("inboxEventId", "shop", "body") VALUES ${stored.map(() => "(?, ?, ?)").join(", ")}`, bodyArgs);
    }
    return new Set(stored.map((each) => each.webhookId));
  });
}

export interface ClaimedInboxEvent {
  id: number;
  shop: string;
  webhookId: string;
  topic: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  receivedAt: Date;
  body: string;
  attempts: number;
  leaseOwner: string;
}

/** The inbox as the job queue sees it (app/jobs/queue.server.ts). */
export const INBOX_QUEUE: QueueTable = {
  name: "inbox",
  table: "InboxEvent",
  model: "inboxEvent",
  columns: ["id", "shop", "webhookId", "topic", "apiVersion", "triggeredAt", "receivedAt", "attempts"],
  // Deliveries are projected in the order they arrived.
  order: "id",
  waiting: ["pending"],
  running: "processing",
  onClaim: { status: "processing", countAttempt: true },
  reasonColumn: "lastError",
  finishedColumn: "processedAt",
  failedStatus: "failed",
  doneStatus: "done",
};

/**
 * Claims up to `limit` due rows for `claimToken` (unique per call). Rows whose
 * lease expired (a worker died holding them) are claimable again.
 */
export async function claimInboxEvents(
  { claimToken, limit, now, leaseMs }: { claimToken: string; limit: number; now: Date; leaseMs: number },
): Promise<ClaimedInboxEvent[]> {
  const events = await claim<Omit<ClaimedInboxEvent, "leaseOwner" | "body">>(INBOX_QUEUE, { claimToken, limit, now, leaseMs });
  if (events.length === 0) return [];
  // The bodies, read after the claim (outside its write): InboxBody, ADR 0038.
  const bodies = new Map<number, string>();
  for (const part of chunks(events.map((event) => event.id), MAX_IN_LIST)) {
    const rows = await db.$queryRaw<Array<{ id: number; body: string }>>`SELECT "inboxEventId" AS "id", "body" FROM "InboxBody" WHERE "inboxEventId" IN (${join(part)})`;
    for (const row of rows) bodies.set(Number(row.id), row.body);
  }
  // Every stored event has its body; one without would be a fault, kept as
  // such: an empty body fails projection as a payload that is not JSON.
  return events.map((event) => ({ ...event, body: bodies.get(event.id) ?? "" }));
}

/** Marks a claimed row done, only if the claim is still ours (a lease taken over is not). */
export async function completeInboxEvent(
  event: Pick<ClaimedInboxEvent, "id" | "leaseOwner" | "shop">,
  outcome: {
    status: "done" | "skipped";
    now: Date;
    subjectCustomerId?: string | null;
    subjectOrderId?: string | null;
    note?: string | null;
    scrubBody?: boolean;
  },
): Promise<boolean> {
  const data = {
    status: outcome.status,
    lastError: outcome.note ?? null,
    subjectCustomerId: outcome.subjectCustomerId ?? null,
    subjectOrderId: outcome.subjectOrderId ?? null,
  };
  if (!outcome.scrubBody) return complete(INBOX_QUEUE, event, outcome.now, data);
  // Done and its body gone together: a row marked done keeps no body it must not.
  return db.$transaction(async (tx) => {
    const completed = await complete(INBOX_QUEUE, event, outcome.now, data, { tx });
    if (completed) await scrubInboxBodies(event.shop, [event.id], tx);
    return completed;
  });
}

/** Replaces the raw bodies of these inbox rows with REDACTED_BODY (an erasure, or a body that must not be kept). */
export async function scrubInboxBodies(shop: string, ids: number[], client: Pick<typeof db, "inboxBody"> = db): Promise<number> {
  let count = 0;
  for (const part of chunks(ids, MAX_IN_LIST)) {
    count += (await client.inboxBody.updateMany({ where: { shop, inboxEventId: { in: part } }, data: { body: REDACTED_BODY } })).count;
  }
  return count;
}

export interface InboxCompletion {
  id: number;
  status: "done" | "skipped";
  subjectCustomerId?: string | null;
  subjectOrderId?: string | null;
  note?: string | null;
}

/**
 * Marks many claimed rows done in one statement per chunk (a CASE per column,
 * portable SQL), only where the claim is still ours.
 */
export async function completeInboxEvents(shop: string, claimToken: string, completions: InboxCompletion[], now: Date): Promise<number> {
  let count = 0;
  for (const part of chunks(completions, COMPLETIONS_PER_UPDATE)) {
    const column = (name: string, value: (c: InboxCompletion) => unknown) =>
      sql`${raw(`"${name}"`)} = CASE "id" ${join(part.map((c) => sql`WHEN ${c.id} THEN ${value(c)}`), " ")} END`;
    count += await db.$executeRaw`UPDATE "InboxEvent" SET
        ${column("status", (c) => c.status)},
        ${column("subjectCustomerId", (c) => c.subjectCustomerId ?? null)},
        ${column("subjectOrderId", (c) => c.subjectOrderId ?? null)},
        ${column("lastError", (c) => c.note ?? null)},
        "processedAt" = ${now}, "leaseOwner" = NULL, "leaseUntil" = NULL
      WHERE "shop" = ${shop} AND "leaseOwner" = ${claimToken} AND "status" = 'processing'
        AND "id" IN (${join(part.map((c) => c.id))})`;
  }
  return count;
}

// Nine parameters per row, under the adapter's 999.
const COMPLETIONS_PER_UPDATE = 100;

/**
 * A failed attempt: retried after the queue's back-off while attempts remain,
 * failed for good with its reason after the last (or at once when `permanent`).
 * Returns when it is retried, null when it failed for good.
 */
export async function failInboxEvent(
  event: Pick<ClaimedInboxEvent, "id" | "leaseOwner" | "shop" | "attempts">,
  { reason, now, maxAttempts, permanent }: { reason: string; now: Date; maxAttempts: number; permanent: boolean },
): Promise<Date | null> {
  return fail(INBOX_QUEUE, event, { reason, now, maxAttempts, permanent });
}

export async function inboxStatusCounts(shop: string): Promise<Record<InboxStatus, number>> {
  const groups = await db.inboxEvent.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const counts = Object.fromEntries(INBOX_STATUSES.map((status) => [status, 0])) as Record<InboxStatus, number>;
  for (const group of groups) counts[group.status as InboxStatus] = group._count._all;
  return counts;
}

export async function listFailedInboxEvents(shop: string, take = 20) {
  return db.inboxEvent.findMany({
    where: { shop, status: "failed" },
    orderBy: { id: "desc" },
    take,
    select: { id: true, topic: true, webhookId: true, receivedAt: true, attempts: true, lastError: true },
  });
}

/** Re-queues failed rows (all of the shop's, or the given ids) for another round of attempts. */
export async function retryInboxEvents(shop: string, ids?: number[], now = new Date()): Promise<number> {
  const result = await db.inboxEvent.updateMany({
    where: { shop, status: "failed", ...(ids ? { id: { in: ids } } : {}) },
    data: { status: "pending", attempts: 0, availableAt: now, lastError: null, processedAt: null },
  });
  return result.count;
}

/** Oldest due row's age: the worker's lag, for monitoring. */
export async function inboxLag(shop: string | null, now: Date): Promise<number> {
  const oldest = await db.inboxEvent.findFirst({
    where: { ...(shop ? { shop } : {}), status: { in: ["pending", "processing"] } },
    orderBy: { id: "asc" },
    select: { receivedAt: true },
  });
  return oldest ? Math.max(0, now.getTime() - oldest.receivedAt.getTime()) : 0;
}

/**
 * Puts a claimed row back to wait until `until` without spending an attempt
 * (a webhook of a shop whose install is not recorded yet, issue 18): waiting is
 * not failing, so the row keeps all its retries for when it is projected.
 */
export async function postponeInboxEvent(
  event: Pick<ClaimedInboxEvent, "id" | "leaseOwner" | "shop">,
  { until, note }: { until: Date; note: string },
): Promise<void> {
  await postpone(INBOX_QUEUE, event, until, { reason: note, countAttempt: false });
}
