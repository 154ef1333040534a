import { claim, complete, fail, postpone, type QueueTable } from "~/jobs/queue.server";
import { chunks } from "./sql-limits.server";
import db, { placeholder, writeStatement } from "~/db.server";
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

/**
 * Stores a delivery once; a repeat of the same webhook id is acknowledged and
 * not stored again. This is the acknowledgement hot path, so it is one
 * statement (portable: SQLite and PostgreSQL both have ON CONFLICT DO NOTHING)
 * rather than a Prisma create, which costs about three times as much here.
 */
export async function storeInboxEvent(event: NewInboxEvent): Promise<{ stored: boolean }> {
  const inserted = await db.$executeRaw`
    INSERT INTO "InboxEvent" ("shop", "webhookId", "topic", "apiVersion", "eventId", "triggeredAt", "receivedAt", "availableAt", "body")
    VALUES (${event.shop}, ${event.webhookId}, ${event.topic}, ${event.apiVersion}, ${event.eventId}, ${event.triggeredAt},
            ${event.receivedAt}, ${event.receivedAt}, ${event.body})
    ON CONFLICT ("webhookId") DO NOTHING`;
  return { stored: inserted === 1 };
}

/** Deliveries storeInboxEvents takes at once: 9 parameters a row, under the driver adapter's 999. */
export const INBOX_INSERT_ROWS = 100;

/**
 * Stores several deliveries in one statement, so acknowledgements that wait
 * together share one write transaction (group commit, ADR 0023). Returns the
 * webhook ids it stored; an id already in the inbox, or repeated in `events`,
 * is stored once. Portable: ON CONFLICT DO NOTHING and RETURNING are in both
 * SQLite (3.35+) and PostgreSQL.
 */
export async function storeInboxEvents(events: NewInboxEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  if (events.length > INBOX_INSERT_ROWS) throw new RangeError(`storeInboxEvents takes at most ${INBOX_INSERT_ROWS} events at once`);
  const args: unknown[] = [];
  const rows = events.map((event) => {
    const values = [event.shop, event.webhookId, event.topic, event.apiVersion, event.eventId, event.triggeredAt, event.receivedAt, event.receivedAt, event.body];
    const first = args.length;
    args.push(...values);
    return `(${values.map((_, i) => placeholder(first + i + 1)).join(", ")})`;
  });
  // The acknowledgement's one statement, outside Prisma (db.server.ts writeStatement, ADR 0035).
  const stored = await writeStatement<{ webhookId: string }>(
    `INSERT INTO "InboxEvent" ("shop", "webhookId", "topic", "apiVersion", "eventId", "triggeredAt", "receivedAt", "availableAt", "body")
    VALUES ${rows.join(", ")}
    ON CONFLICT ("webhookId") DO NOTHING
    RETURNING "webhookId"`,
    args,
  );
  return new Set(stored.map((row) => row.webhookId));
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
  columns: ["id", "shop", "webhookId", "topic", "apiVersion", "triggeredAt", "receivedAt", "body", "attempts"],
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
  return claim<Omit<ClaimedInboxEvent, "leaseOwner">>(INBOX_QUEUE, { claimToken, limit, now, leaseMs });
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
  return complete(INBOX_QUEUE, event, outcome.now, {
    status: outcome.status,
    lastError: outcome.note ?? null,
    subjectCustomerId: outcome.subjectCustomerId ?? null,
    subjectOrderId: outcome.subjectOrderId ?? null,
    ...(outcome.scrubBody ? { body: REDACTED_BODY } : {}),
  });
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
