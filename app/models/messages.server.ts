// Care messages (issue 8; campaigns in issue 9): the rows the care planner
// writes before anything is sent, the cancellations, pauses and erasures that
// move unsent rows, and the Messages log. Every function takes `shop`. The
// dispatcher's own reads and writes (claims, leases, the cap) are in
// ./message-dispatch.server.ts. Rows first (docs/decisions/0008-care-dispatch.md):
// a message exists with its idempotency key before any channel sees it, and
// every move of its status writes a MessageDecision with the reason.
import { randomUUID } from "node:crypto";
import type { Message } from "@prisma/client";
import db from "~/db.server";
import type { Channel, Decision, DecisionReason, MessageClass, MessageStatus } from "~/domain/care/types";
import type { MessageSort } from "~/domain/list-query";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { empty, join, sql, storedDateText } from "./sql.server";

/**
 * A stored Message row, with the columns the schema keeps as text typed as the
 * domain names them (app/domain/care/types.ts; only this module and
 * ./message-dispatch.server.ts write them). The one description of a message
 * row: the dispatcher's claim, the Messages log, the results and the delivery
 * hook each pick the columns they read from it.
 */
export type MessageRow = Omit<Message, "channel" | "messageClass" | "status" | "lastReason"> & {
  channel: Channel;
  messageClass: MessageClass;
  status: MessageStatus;
  lastReason: DecisionReason | null;
};

export interface PlannedMessage {
  customerShopifyId: string;
  /** Names what the message is for, per shop (`postDelivery:deliveryCheck:<fulfillment>`); planning it again does nothing. */
  idempotencyKey: string;
  source: "flow" | "campaign";
  /** The flow (CARE_FLOWS) or the campaign's id. */
  sourceId: string;
  step: string;
  channel: Channel;
  messageClass: MessageClass;
  /** Lower goes first when several of a customer's messages are due at once. */
  priority: number;
  orderShopifyId?: string | null;
  fulfillmentShopifyId?: string | null;
  /** Fixed when planned: what the template fills in (product, tier, amount needed, ...). */
  variables: Record<string, string | number | null>;
  plannedAt: Date;
  expiresAt: Date;
  /** Issue 9: eligible but kept back for comparison; stored as heldOut, never sent. */
  holdout?: boolean;
}

/** Statuses a message can still leave without being sent: cancellation and erasure move these. */
export const UNSENT_STATUSES = ["scheduled", "deferred", "paused"] as const satisfies readonly MessageStatus[];

/**
 * A UUID whose first 48 bits are the time (version 7, as MemberTier ids in
 * ./tiers.server.ts): a plan's rows land side by side in the primary-key index
 * and ties in the log's order (updatedAt, id) fall in insertion order.
 */
export function messageId(): string {
  const time = Date.now().toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

export interface DecisionRow {
  messageId: string;
  customerShopifyId: string;
  decision: Decision;
  reason: DecisionReason;
  detail?: Record<string, unknown>;
}

// Rows per statement, under libsql's 999 bound parameters: Message 21 parameters a row, MessageDecision 7.
const MESSAGES_PER_INSERT = 45;
const DECISIONS_PER_INSERT = 130;

type Executor = Pick<typeof db, "$executeRaw" | "$queryRaw">;

/** Appends decisions to the log (multi-row inserts). */
export async function logDecisions(shop: string, decisions: DecisionRow[], at: Date, executor: Executor = db): Promise<void> {
  for (const rows of chunks(decisions, DECISIONS_PER_INSERT)) {
    await executor.$executeRaw`
      INSERT INTO "MessageDecision" ("shop", "messageId", "customerShopifyId", "decision", "reason", "detail", "at")
      VALUES ${join(rows.map((row) => sql`(${shop}, ${row.messageId}, ${row.customerShopifyId}, ${row.decision}, ${row.reason}, ${JSON.stringify(row.detail ?? {})}, ${at})`))}`;
  }
}

/**
 * Inserts the planned messages that are new (a key already planned, in any
 * status, is left alone: planning again is harmless) and logs "planned" for
 * each, or "heldOut" for a holdout. Returns how many were new.
 */
export async function planMessages(shop: string, messages: PlannedMessage[], now: Date): Promise<number> {
  let inserted = 0;
  for (const rows of chunks(messages, MESSAGES_PER_INSERT)) {
    const values = rows.map((message) => {
      const holdout = message.holdout === true;
      const status: MessageStatus = holdout ? "heldOut" : "scheduled";
      return sql`(${messageId()}, ${shop}, ${message.customerShopifyId}, ${message.idempotencyKey}, ${message.source}, ${message.sourceId}, ${message.step},
        ${message.channel}, ${message.messageClass}, ${message.priority}, ${message.orderShopifyId ?? null}, ${message.fulfillmentShopifyId ?? null},
        ${JSON.stringify(message.variables)}, ${message.plannedAt}, ${message.plannedAt}, ${message.expiresAt}, ${status}, ${holdout ? "holdout" : "flowPlanned"}, ${holdout}, ${now}, ${now})`;
    });
    // RETURNING gives back only the rows actually inserted (both databases), so
    // a repeat plan logs nothing twice.
    const created = await db.$queryRaw<Array<{ id: string; customerShopifyId: string; status: string }>>`
      INSERT INTO "Message" ("id", "shop", "customerShopifyId", "idempotencyKey", "source", "sourceId", "step", "channel", "messageClass", "priority",
        "orderShopifyId", "fulfillmentShopifyId", "variables", "plannedAt", "availableAt", "expiresAt", "status", "lastReason", "holdout", "createdAt", "updatedAt")
      VALUES ${join(values)}
      ON CONFLICT ("shop", "idempotencyKey") DO NOTHING
      RETURNING "id", "customerShopifyId", "status"`;
    inserted += created.length;
    await logDecisions(
      shop,
      created.map((row) =>
        row.status === "heldOut"
          ? { messageId: row.id, customerShopifyId: row.customerShopifyId, decision: "heldOut", reason: "holdout" }
          : { messageId: row.id, customerShopifyId: row.customerShopifyId, decision: "planned", reason: "flowPlanned" },
      ),
      now,
    );
  }
  return inserted;
}

export interface MessageFilter {
  customerShopifyId?: string;
  orderShopifyId?: string;
  sourceId?: string;
  step?: string;
  messageClass?: MessageClass;
  channel?: Channel;
  idempotencyKeys?: string[];
}

/**
 * Moves the matching rows in `from` to `to`, logging `decision`/`reason` for
 * each row actually moved. The status is checked again in the UPDATE itself,
 * so a row a dispatcher took meanwhile ("sending") is never touched, and two
 * callers never both log the same move.
 */
async function moveMessages(
  shop: string,
  where: ReturnType<typeof sql>,
  from: readonly MessageStatus[],
  to: MessageStatus,
  decision: Decision,
  reason: DecisionReason,
  now: Date,
  availableAt: "keep" | "plannedOrNow" = "keep",
): Promise<number> {
  const candidates = await db.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "Message" WHERE "shop" = ${shop} AND "status" IN (${join([...from])}) AND ${where}`;
  let moved = 0;
  for (const ids of chunks(candidates.map((row) => row.id), MAX_IN_LIST)) {
    const setAvailable =
      availableAt === "plannedOrNow" ? sql`, "availableAt" = CASE WHEN "plannedAt" > ${now} THEN "plannedAt" ELSE ${now} END` : empty;
    const rows = await db.$queryRaw<Array<{ id: string; customerShopifyId: string }>>`
      UPDATE "Message" SET "status" = ${to}, "lastReason" = ${reason}, "updatedAt" = ${now}, "leaseOwner" = NULL, "leaseUntil" = NULL ${setAvailable}
      WHERE "shop" = ${shop} AND "id" IN (${join(ids)}) AND "status" IN (${join([...from])})
      RETURNING "id", "customerShopifyId"`;
    moved += rows.length;
    await logDecisions(shop, rows.map((row) => ({ messageId: row.id, customerShopifyId: row.customerShopifyId, decision, reason })), now);
  }
  return moved;
}

function filterSql(filter: MessageFilter) {
  const parts = [sql`1 = 1`];
  if (filter.customerShopifyId !== undefined) parts.push(sql`"customerShopifyId" = ${filter.customerShopifyId}`);
  if (filter.orderShopifyId !== undefined) parts.push(sql`"orderShopifyId" = ${filter.orderShopifyId}`);
  if (filter.sourceId !== undefined) parts.push(sql`"sourceId" = ${filter.sourceId}`);
  if (filter.step !== undefined) parts.push(sql`"step" = ${filter.step}`);
  if (filter.messageClass !== undefined) parts.push(sql`"messageClass" = ${filter.messageClass}`);
  if (filter.channel !== undefined) parts.push(sql`"channel" = ${filter.channel}`);
  return join(parts, " AND ");
}

/**
 * Cancels the shop's unsent messages (scheduled, deferred, paused) matching
 * every given field of `filter`, each with a "cancelled" decision and the
 * reason (orderCancelled, reordered, unsubscribed, ...). A message being sent
 * right now is left to finish. Returns how many were cancelled.
 */
export async function cancelMessages(shop: string, filter: MessageFilter, reason: DecisionReason, now: Date): Promise<number> {
  if (filter.idempotencyKeys === undefined) return moveMessages(shop, filterSql(filter), UNSENT_STATUSES, "cancelled", "cancelled", reason, now);
  let cancelled = 0;
  for (const keys of chunks(filter.idempotencyKeys, MAX_IN_LIST)) {
    cancelled += await moveMessages(shop, sql`${filterSql(filter)} AND "idempotencyKey" IN (${join(keys)})`, UNSENT_STATUSES, "cancelled", "cancelled", reason, now);
  }
  return cancelled;
}

/**
 * A shipment in trouble: the order's pending care messages wait (paused) until
 * it is resolved. The "we are on it" note (flow shipmentNotice) is about the
 * trouble itself, so a second anomaly on the order never pauses it.
 */
export async function pauseOrderMessages(shop: string, orderShopifyId: string, reason: DecisionReason, now: Date): Promise<number> {
  return moveMessages(shop, sql`"orderShopifyId" = ${orderShopifyId} AND "source" = 'flow' AND "sourceId" <> 'shipmentNotice'`, ["scheduled", "deferred"], "paused", "paused", reason, now);
}

/**
 * The shipment is resolved: the order's paused care messages are scheduled
 * again, due at their planned time or now if that has passed (the dispatcher
 * expires those past their validity window).
 */
export async function resumeOrderMessages(shop: string, orderShopifyId: string, now: Date): Promise<number> {
  return moveMessages(shop, sql`"orderShopifyId" = ${orderShopifyId} AND "source" = 'flow'`, ["paused"], "scheduled", "resumed", "shipmentResolved", now, "plannedOrNow");
}

/** app/uninstalled: nothing more goes out for the shop. */
export async function cancelShopMessages(shop: string, now: Date): Promise<number> {
  return moveMessages(shop, sql`1 = 1`, UNSENT_STATUSES, "cancelled", "cancelled", "shopUninstalled", now);
}

/** customers/redact: the customer's messages and their log are erased (variables hold names and products). */
export async function eraseCustomerMessages(shop: string, customerShopifyId: string): Promise<number> {
  await db.messageDecision.deleteMany({ where: { shop, customerShopifyId } });
  const { count } = await db.message.deleteMany({ where: { shop, customerShopifyId } });
  return count;
}

/** shop/redact: every message and decision of the shop. */
export async function eraseShopMessages(shop: string): Promise<number> {
  const decisions = await db.messageDecision.deleteMany({ where: { shop } });
  const messages = await db.message.deleteMany({ where: { shop } });
  return decisions.count + messages.count;
}

/** customers/data_request: the customer's messages with their decisions, oldest first. */
export async function customerMessagesExport(shop: string, customerShopifyId: string) {
  const [messages, decisions] = await Promise.all([
    db.message.findMany({ where: { shop, customerShopifyId }, orderBy: { createdAt: "asc" } }),
    db.messageDecision.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "asc" } }),
  ]);
  return { messages, messageDecisions: decisions };
}

// ------------------------------------------------------------- the Messages log

export type MessageLogEntry = Pick<
  MessageRow,
  "id" | "customerShopifyId" | "idempotencyKey" | "source" | "sourceId" | "step" | "channel" | "messageClass" | "priority" | "orderShopifyId" | "status" | "lastReason" | "attempts" | "plannedAt" | "availableAt" | "expiresAt" | "sentAt" | "updatedAt" | "holdout"
> & {
  /** The customer's name ("First Last"), or null when the shop has neither (or the customer is not known). */
  customerName: string | null;
  customerEmail: string | null;
};

/** How the log is ordered: by last change (what happened most recently) or by the message's date (sent, else planned): the list's sorts (app/domain/list-query.ts). */
export type MessageLogSort = MessageSort;

export interface MessagesLogQuery {
  /** One message (its own page shows it as its row in the log does). */
  id?: string;
  /** One status, or several (the list's status pills). */
  status?: MessageStatus | MessageStatus[];
  /** The flow (or campaign id): Message.sourceId. */
  flow?: string;
  customerShopifyId?: string;
  channel?: Channel;
  source?: "flow" | "campaign";
  /** Part of the customer's name or email, any case. */
  search?: string;
  /** The message's date (sent, else planned) at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
  sort?: MessageLogSort;
  /** Newest first (desc, the default) or oldest first. */
  direction?: "asc" | "desc";
  /** From a page's nextCursor: the page after it. */
  cursor?: string | null;
  /** From a page's previousCursor: the page before it. */
  before?: string | null;
  limit: number;
}

/**
 * Where a page ends: its edge row's sort value exactly as the database
 * returned it (SQLite keeps dates as text, and an instant written differently
 * would not compare equal) and its id.
 */
interface LogCursor {
  v: string;
  id: string;
}
const encodeCursor = (cursor: LogCursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");
function decodeCursor(value: string | null | undefined): LogCursor | null {
  if (!value) return null;
  try {
    const cursor = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as LogCursor;
    return typeof cursor.v === "string" && typeof cursor.id === "string" ? cursor : null;
  } catch {
    return null;
  }
}

type Fragment = ReturnType<typeof sql>;

// The message's date: when it went, else when its flow or campaign wanted it to go.
const SORT_VALUE: Record<MessageLogSort, Fragment> = {
  updated: sql`m."updatedAt"`,
  date: sql`COALESCE(m."sentAt", m."plannedAt")`,
};

// LIKE's wildcards in what the merchant typed match themselves.
const likeContaining = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The conditions every page and the count share (no cursor). */
function logConditions(shop: string, query: MessagesLogQuery): Fragment[] {
  const statuses = query.status === undefined ? [] : Array.isArray(query.status) ? query.status : [query.status];
  const search = query.search?.trim();
  const date = SORT_VALUE.date;
  return [
    sql`m."shop" = ${shop}`,
    query.id !== undefined ? sql`m."id" = ${query.id}` : empty,
    statuses.length ? sql`m."status" IN (${join(statuses)})` : empty,
    query.flow ? sql`m."sourceId" = ${query.flow}` : empty,
    query.customerShopifyId ? sql`m."customerShopifyId" = ${query.customerShopifyId}` : empty,
    query.channel ? sql`m."channel" = ${query.channel}` : empty,
    query.source ? sql`m."source" = ${query.source}` : empty,
    // Customers whose email or "first last" name holds the text, or whose Shopify id it is.
    search
      ? sql`m."customerShopifyId" IN (SELECT c."shopifyId" FROM "Customer" c WHERE c."shop" = ${shop} AND (
          LOWER(COALESCE(c."email", '')) LIKE ${likeContaining(search)} ESCAPE '\\'
          OR LOWER(COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", '')) LIKE ${likeContaining(search)} ESCAPE '\\'
          OR c."shopifyId" = ${search}))`
      : empty,
    query.from ? sql`${date} >= ${storedDateText(query.from)}` : empty,
    query.to ? sql`${date} < ${storedDateText(query.to)}` : empty,
  ].filter((condition) => condition !== empty);
}

type RawLogRow = Omit<MessageLogEntry, "plannedAt" | "availableAt" | "expiresAt" | "sentAt" | "updatedAt" | "attempts" | "priority" | "holdout"> & {
  sortKey: string | Date;
  plannedAt: string | Date;
  availableAt: string | Date;
  expiresAt: string | Date;
  sentAt: string | Date | null;
  updatedAt: string | Date;
  attempts: number | bigint;
  priority: number | bigint;
  holdout: boolean | number | bigint;
  firstName: string | null;
  lastName: string | null;
};

/**
 * The shop's messages a page at a time, filtered (status, flow, channel,
 * source, customer name or email, date range) and sorted by last change or by
 * the message's date, either way. Keyset pages both ways: the cursor is the
 * edge row's (sort value, id), so a page costs the same deep in the log, and
 * messages that change while the merchant pages neither repeat nor vanish
 * from a page. A malformed cursor reads from the first page.
 */
export async function messagesLog(shop: string, query: MessagesLogQuery): Promise<{ entries: MessageLogEntry[]; nextCursor: string | null; previousCursor: string | null }> {
  const limit = Math.max(1, Math.min(200, Math.floor(query.limit)));
  const column = SORT_VALUE[query.sort ?? "updated"];
  const descending = (query.direction ?? "desc") === "desc";
  const after = decodeCursor(query.cursor);
  const before = after ? null : decodeCursor(query.before);
  // A page before the cursor is read the other way round from it, then turned back.
  const forward = before === null;
  const down = forward === descending;
  const edge = after ?? before;
  const keyset = edge ? (down ? sql`(${column} < ${edge.v} OR (${column} = ${edge.v} AND m."id" < ${edge.id}))` : sql`(${column} > ${edge.v} OR (${column} = ${edge.v} AND m."id" > ${edge.id}))`) : empty;
  const conditions = [...logConditions(shop, query), keyset].filter((condition) => condition !== empty);
  const order = down ? sql`${column} DESC, m."id" DESC` : sql`${column} ASC, m."id" ASC`;
  const rows = await db.$queryRaw<RawLogRow[]>`
    SELECT ${column} AS "sortKey", m."id", m."customerShopifyId", m."idempotencyKey", m."source", m."sourceId", m."step", m."channel", m."messageClass", m."priority",
           m."orderShopifyId", m."status", m."lastReason", m."attempts", m."plannedAt", m."availableAt", m."expiresAt", m."sentAt", m."updatedAt", m."holdout",
           c."firstName", c."lastName", c."email" AS "customerEmail"
    FROM "Message" m
    LEFT JOIN "Customer" c ON c."shop" = m."shop" AND c."shopifyId" = m."customerShopifyId"
    WHERE ${join(conditions, " AND ")}
    ORDER BY ${order}
    LIMIT ${limit + 1}`;
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (!forward) page.reverse();
  const cursorOf = (row: RawLogRow | undefined) => (row ? encodeCursor({ v: row.sortKey instanceof Date ? storedDateText(row.sortKey) : String(row.sortKey), id: row.id }) : null);
  const toDate = (value: string | Date) => new Date(value);
  const entries: MessageLogEntry[] = page.map(({ sortKey: _sortKey, firstName, lastName, ...row }) => ({
    ...row,
    customerName: [firstName, lastName].filter(Boolean).join(" ") || null,
    priority: Number(row.priority),
    attempts: Number(row.attempts),
    holdout: Boolean(Number(row.holdout)),
    plannedAt: toDate(row.plannedAt),
    availableAt: toDate(row.availableAt),
    expiresAt: toDate(row.expiresAt),
    sentAt: row.sentAt === null ? null : toDate(row.sentAt),
    updatedAt: toDate(row.updatedAt),
  }));
  // Going forward, there is a page before when we came from one; going back, there is one after.
  const hasNext = forward ? more : true;
  const hasPrevious = forward ? edge !== null : more;
  return { entries, nextCursor: hasNext && page.length ? cursorOf(page.at(-1)) : null, previousCursor: hasPrevious && page.length ? cursorOf(page[0]) : null };
}

/** How many of the shop's messages match the log's filters (all pages). */
export async function messagesLogCount(shop: string, query: Omit<MessagesLogQuery, "limit" | "cursor" | "before" | "sort" | "direction">): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ count: number | bigint }>>`SELECT COUNT(*) AS "count" FROM "Message" m WHERE ${join(logConditions(shop, { ...query, limit: 1 }), " AND ")}`;
  return Number(row?.count ?? 0);
}

export interface MessageDecisionEntry {
  id: number;
  decision: Decision;
  reason: DecisionReason;
  detail: Record<string, unknown>;
  at: Date;
}

function decisionEntry(row: { id: number; decision: string; reason: string; detail: string; at: Date }): MessageDecisionEntry {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(row.detail) as Record<string, unknown>;
  } catch {
    detail = {};
  }
  return { id: row.id, decision: row.decision as Decision, reason: row.reason as DecisionReason, detail, at: row.at };
}

/** One message's decisions, in the order they were taken (empty for another shop's message). */
export async function messageDecisions(shop: string, messageId: string): Promise<MessageDecisionEntry[]> {
  const rows = await db.messageDecision.findMany({ where: { shop, messageId }, orderBy: { id: "asc" } });
  return rows.map(decisionEntry);
}

/** The decisions of a page of messages, by message, each oldest first (another shop's ids find none). */
export async function messageDecisionsFor(shop: string, messageIds: string[]): Promise<Map<string, MessageDecisionEntry[]>> {
  const byMessage = new Map<string, MessageDecisionEntry[]>();
  for (const ids of chunks([...new Set(messageIds)], MAX_IN_LIST)) {
    const rows = await db.messageDecision.findMany({ where: { shop, messageId: { in: ids } }, orderBy: { id: "asc" } });
    for (const row of rows) byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), decisionEntry(row)]);
  }
  return byMessage;
}

/** One message, for the log's detail view (null for another shop's id). */
/** A message deferred for `reason` is due now (what it waited for is settled): the next dispatcher pass decides it. */
export async function wakeDeferred(shop: string, id: string, reason: DecisionReason, now: Date): Promise<boolean> {
  return (await db.message.updateMany({ where: { shop, id, status: "deferred", lastReason: reason, availableAt: { gt: now } }, data: { availableAt: now } })).count === 1;
}

export async function getMessage(shop: string, id: string) {
  return db.message.findFirst({ where: { shop, id } });
}
