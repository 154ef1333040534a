/**
 * The one leased queue (issue 19, docs/decisions/0025-one-job-system.md).
 *
 * The inbox, the outbox and the care messages are three tables with their own
 * payloads and idempotency keys, but one way of being worked: a worker claims
 * due rows with a lease (leaseOwner, leaseUntil), and then completes,
 * postpones or fails each, only while the lease is still its own. A worker
 * that dies frees its rows when the lease runs out. Each table is DESCRIBED
 * here (a QueueTable), not re-implemented.
 *
 * A claim is one UPDATE of the due rows, WHERE id IN (SELECT the due ids):
 *   - PostgreSQL: the SELECT takes its rows FOR UPDATE SKIP LOCKED, so workers
 *     skip each other's rows instead of queueing behind them.
 *   - SQLite (one writer at a time): the statement runs under the write lock,
 *     so no other claim comes between its read and its write; then what this
 *     claim holds is read back. "Claimed nothing" means nothing was due, never
 *     "lost a race" (before issue 19 only the message claim made sure of that;
 *     the inbox and outbox claims returned empty and their loops idled for a
 *     second with work waiting). Until the drain was profiled (issue 19, ADR
 *     0036) this was a Prisma read of the candidates and an updateMany
 *     repeating the claimable condition: the same compare-and-set in two
 *     statements, whose query compilation cost ~30 ms per claim of 200 rows.
 *
 * Every row-level write goes through `settle`, which checks the lease owner
 * and the statuses the caller expects the row in: a worker that stalled past
 * its lease, and whose row another worker took over, changes nothing.
 */
import db, { dialect } from "~/db.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";
import { empty, join, raw, sql } from "~/models/sql.server";

export interface QueueTable {
  /** The job this table feeds (registry name). */
  name: string;
  table: "InboxEvent" | "OutboxEffect" | "Message";
  /** The Prisma delegate of the table. */
  model: "inboxEvent" | "outboxEffect" | "message";
  /** Columns a claim returns (besides leaseOwner, which is the claim's token). */
  columns: readonly string[];
  /** Which due rows go first. */
  order: "id" | "availableAt";
  /** Statuses a row waits in until its availableAt. The first is where a postponed row goes. */
  waiting: readonly string[];
  /** The status of a row a worker holds; such a row whose lease ran out is claimable again (its worker died). */
  running: string;
  /** What a claim changes besides the lease: the status it moves to (none: unchanged), whether it counts an attempt, boolean flags reset. */
  onClaim: { status?: string; countAttempt: boolean; reset?: Record<string, boolean> };
  /** Where a row keeps why it was put off or failed. */
  reasonColumn: "lastError" | "lastReason";
  /** Where a row keeps when it finished (done or failed for good). */
  finishedColumn: "processedAt" | "doneAt" | "updatedAt";
  /** The status of a row given up on. */
  failedStatus: string;
  /** The status of a row done. */
  doneStatus: string;
}

export interface ClaimOptions {
  /** Unique per claim: what this claim's rows are held under. */
  claimToken: string;
  limit: number;
  now: Date;
  leaseMs: number;
  /** Shops whose work this process is still running (app/services/shop-lanes.server.ts): left unclaimed. */
  excludeShops?: string[];
}

export type Claimed<Row> = Row & { leaseOwner: string };
export type Held = { id: number | string; shop: string; leaseOwner: string };

/**
 * The one back-off policy of every queue (before issue 19 the inbox and the
 * outbox waited 2 s, 8 s, 32 s ... up to 15 minutes and the dispatcher 1, 2,
 * 4 ... minutes): 1, 2, 4, 8 ... minutes, at most an hour. A locked database
 * or a deploy is over within the first minute; eight attempts span about two
 * hours of a provider's or Shopify's outage, six (the inbox's default
 * WORKER_MAX_ATTEMPTS) about half an hour.
 */
export function backoffMs(attempt: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempt - 1), 60 * 60_000);
}

// Any of the three delegates: they share the columns the queue touches.
type Delegate = {
  findMany(args: unknown): Promise<Array<Record<string, unknown>>>;
  updateMany(args: unknown): Promise<{ count: number }>;
};
type Client = typeof db | Parameters<Parameters<typeof db.$transaction>[0]>[0];
const delegate = (q: QueueTable, client: Client = db) => (client as unknown as Record<string, Delegate>)[q.model];

/** Due: waiting with its time reached and no live lease, or held by a worker whose lease ran out. */
function claimableWhere(q: QueueTable, now: Date, excludeShops: string[]) {
  return {
    OR: [
      { status: { in: [...q.waiting] }, availableAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      { status: q.running, leaseUntil: { lt: now } },
    ],
    ...(excludeShops.length > 0 ? { shop: { notIn: excludeShops } } : {}),
  };
}

const byId = (a: { id: unknown }, b: { id: unknown }) => (typeof a.id === "number" ? (a.id as number) - (b.id as number) : String(a.id).localeCompare(String(b.id)));

/** Claims up to `limit` due rows for `claimToken`, oldest first by the table's order; returned in id order. */
export async function claim<Row extends { id: number | string; shop: string }>(q: QueueTable, options: ClaimOptions): Promise<Array<Claimed<Row>>> {
  const { claimToken, limit, now, leaseMs, excludeShops = [] } = options;
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const column = (name: string) => raw(`"${name}"`);
  const sets = [
    sql`"leaseOwner" = ${claimToken}`,
    sql`"leaseUntil" = ${leaseUntil}`,
    ...(q.onClaim.status ? [sql`"status" = ${q.onClaim.status}`] : []),
    ...(q.onClaim.countAttempt ? [sql`"attempts" = "attempts" + 1`] : []),
    ...Object.entries(q.onClaim.reset ?? {}).map(([name, value]) => sql`${column(name)} = ${raw(value ? "true" : "false")}`),
  ];
  const notExcluded = excludeShops.length > 0 ? sql`AND "shop" NOT IN (${join(excludeShops)})` : empty;
  const due = sql`
    SELECT "id" FROM ${column(q.table)}
    WHERE (("status" IN (${join([...q.waiting])}) AND "availableAt" <= ${now} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now}))
       OR ("status" = ${q.running} AND "leaseUntil" < ${now})) ${notExcluded}
    ORDER BY ${column(q.order)} LIMIT ${limit}`;
  if (dialect() === "postgresql") {
    const rows = await db.$queryRaw<Row[]>`
      UPDATE ${column(q.table)} SET ${join(sets, ", ")}
      WHERE "id" IN (${due} FOR UPDATE SKIP LOCKED)
      RETURNING ${join(q.columns.map(column), ", ")}`;
    return rows.sort(byId).map((row) => ({ ...row, leaseOwner: claimToken }));
  }
  // One statement: SQLite runs it under its one write lock, so no other
  // worker's claim can come between the read of the due rows and their update.
  await db.$executeRaw`UPDATE ${column(q.table)} SET ${join(sets, ", ")} WHERE "id" IN (${due})`;
  // Read back through Prisma, which gives the columns their types (dates as Dates).
  const select = Object.fromEntries(q.columns.map((name) => [name, true]));
  const rows = (await delegate(q).findMany({ where: { leaseOwner: claimToken }, select })) as unknown as Row[];
  return rows.sort(byId).map((row) => ({ ...row, leaseOwner: claimToken }));
}

/** The row, only while this claim holds it and it is in one of `from` (default: the running status). */
export const heldWhere = (q: QueueTable, row: Held, from: readonly string[] = [q.running]) => ({
  id: row.id,
  shop: row.shop,
  leaseOwner: row.leaseOwner,
  status: { in: [...from] },
});

/** Writes `data` to a held row (and gives its lease back unless `keepLease`); false when the claim no longer holds it. */
export async function settle(
  q: QueueTable,
  row: Held,
  data: Record<string, unknown>,
  { from, tx, keepLease = false }: { from?: readonly string[]; tx?: Client; keepLease?: boolean } = {},
): Promise<boolean> {
  const { count } = await delegate(q, tx).updateMany({
    where: heldWhere(q, row, from),
    data: keepLease ? data : { ...data, leaseOwner: null, leaseUntil: null },
  });
  return count === 1;
}

/** Done (or another final status such as the inbox's "skipped"). */
export const complete = (q: QueueTable, row: Held, now: Date, data: Record<string, unknown> = {}, options: { from?: readonly string[]; tx?: Client } = {}) =>
  settle(q, row, { status: q.doneStatus, [q.finishedColumn]: now, ...data }, options);

/**
 * Back to waiting until `until`. `countAttempt: false` gives back the attempt
 * the claim counted: waiting (a throttle, an install not recorded yet, more
 * work left) is not failing.
 */
export const postpone = (q: QueueTable, row: Held, until: Date, { reason = null, countAttempt }: { reason?: string | null; countAttempt: boolean }) =>
  settle(q, row, { status: q.waiting[0], availableAt: until, [q.reasonColumn]: reason, ...(countAttempt ? {} : { attempts: { decrement: 1 } }) });

/** Given up on, with the reason. */
export const giveUp = (q: QueueTable, row: Held, reason: string, now: Date, options: { from?: readonly string[]; tx?: Client } = {}) =>
  settle(q, row, { status: q.failedStatus, [q.reasonColumn]: reason, [q.finishedColumn]: now }, options);

/**
 * A failed attempt: retried after the back-off while attempts remain, else
 * given up on. `permanent`: an input no retry can fix (fails at once).
 * Returns when it is retried (null: failed for good).
 */
export async function fail(
  q: QueueTable,
  row: Held & { attempts: number },
  { reason, now, maxAttempts, permanent = false }: { reason: string; now: Date; maxAttempts: number; permanent?: boolean },
): Promise<Date | null> {
  if (permanent || row.attempts >= maxAttempts) {
    await giveUp(q, row, reason, now);
    return null;
  }
  const retryAt = new Date(now.getTime() + backoffMs(row.attempts));
  await postpone(q, row, retryAt, { reason, countAttempt: true });
  return retryAt;
}

/**
 * Gives back a claim's leases on rows still waiting that it did not get to:
 * due again at once (a stop mid-batch), or at `availableAt`.
 */
export async function releaseUnstarted(q: QueueTable, claimToken: string, ids: Array<number | string>, availableAt?: Date): Promise<void> {
  for (const part of chunks(ids, MAX_IN_LIST)) {
    await delegate(q).updateMany({
      where: { id: { in: part }, leaseOwner: claimToken, status: { in: [...q.waiting] } },
      data: { leaseOwner: null, leaseUntil: null, ...(availableAt ? { availableAt } : {}) },
    });
  }
}

export interface QueueStatus {
  /** Rows whose time has come and that no live lease holds. */
  due: number;
  /** Rows a worker holds under a live lease. */
  running: number;
  /** Rows given up on, kept with their reason. */
  failed: number;
  /** How long the oldest due row has waited past its time (0 when none). */
  lagMs: number;
  /** When a row last finished. */
  lastRunAt: Date | null;
  /** The reason kept by the row that failed last. */
  lastError: string | null;
}

/** A queue's state across shops, for `cli jobs status` (an operator's view, not a tenant's). */
export async function queueStatus(q: QueueTable, now: Date): Promise<QueueStatus> {
  const table = delegate(q) as Delegate & { count(args: unknown): Promise<number>; findFirst(args: unknown): Promise<Record<string, unknown> | null> };
  const dueWhere = claimableWhere(q, now, []);
  const [due, running, failed, oldest, last, lastFailed] = await Promise.all([
    table.count({ where: dueWhere }),
    table.count({ where: { leaseOwner: { not: null }, leaseUntil: { gte: now } } }),
    table.count({ where: { status: q.failedStatus } }),
    table.findFirst({ where: dueWhere, orderBy: { availableAt: "asc" }, select: { availableAt: true } }),
    table.findFirst({ where: { status: { in: [q.doneStatus, q.failedStatus] } }, orderBy: { [q.finishedColumn]: "desc" }, select: { [q.finishedColumn]: true } }),
    table.findFirst({ where: { status: q.failedStatus }, orderBy: { [q.finishedColumn]: "desc" }, select: { [q.reasonColumn]: true } }),
  ]);
  const oldestAt = oldest?.availableAt as Date | undefined;
  return {
    due,
    running,
    failed,
    lagMs: oldestAt ? Math.max(0, now.getTime() - oldestAt.getTime()) : 0,
    lastRunAt: (last?.[q.finishedColumn] as Date | null | undefined) ?? null,
    lastError: (lastFailed?.[q.reasonColumn] as string | null | undefined) ?? null,
  };
}
