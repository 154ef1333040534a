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
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { empty, join, sql } from "./sql.server";

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
>;

export interface MessagesLogQuery {
  status?: MessageStatus;
  /** The flow (or campaign id): Message.sourceId. */
  flow?: string;
  customerShopifyId?: string;
  channel?: Channel;
  source?: "flow" | "campaign";
  /** From a previous page's nextCursor. */
  cursor?: string | null;
  limit: number;
}

const encodeCursor = (row: { updatedAt: Date; id: string }) => `${row.updatedAt.toISOString()}_${row.id}`;

function decodeCursor(cursor: string): { updatedAt: Date; id: string } | null {
  const at = cursor.indexOf("_");
  if (at < 0) return null;
  const updatedAt = new Date(cursor.slice(0, at));
  return Number.isNaN(updatedAt.getTime()) ? null : { updatedAt, id: cursor.slice(at + 1) };
}

/**
 * The shop's messages, most recently changed first, a page at a time: the
 * cursor is the last row's (updatedAt, id), so a page costs the same deep in
 * the log. A malformed cursor reads from the top.
 */
export async function messagesLog(shop: string, query: MessagesLogQuery): Promise<{ entries: MessageLogEntry[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const limit = Math.max(1, Math.min(200, Math.floor(query.limit)));
  const rows = await db.message.findMany({
    where: {
      shop,
      ...(query.status ? { status: query.status } : {}),
      ...(query.flow ? { sourceId: query.flow } : {}),
      ...(query.customerShopifyId ? { customerShopifyId: query.customerShopifyId } : {}),
      ...(query.channel ? { channel: query.channel } : {}),
      ...(query.source ? { source: query.source } : {}),
      ...(after ? { OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      customerShopifyId: true,
      idempotencyKey: true,
      source: true,
      sourceId: true,
      step: true,
      channel: true,
      messageClass: true,
      priority: true,
      orderShopifyId: true,
      status: true,
      lastReason: true,
      attempts: true,
      plannedAt: true,
      availableAt: true,
      expiresAt: true,
      sentAt: true,
      updatedAt: true,
      holdout: true,
    },
  });
  const page = rows.slice(0, limit) as MessageLogEntry[];
  return { entries: page, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
}

export interface MessageDecisionEntry {
  id: number;
  decision: Decision;
  reason: DecisionReason;
  detail: Record<string, unknown>;
  at: Date;
}

/** One message's decisions, in the order they were taken (empty for another shop's message). */
export async function messageDecisions(shop: string, messageId: string): Promise<MessageDecisionEntry[]> {
  const rows = await db.messageDecision.findMany({ where: { shop, messageId }, orderBy: { id: "asc" } });
  return rows.map((row) => {
    let detail: Record<string, unknown> = {};
    try {
      detail = JSON.parse(row.detail) as Record<string, unknown>;
    } catch {
      detail = {};
    }
    return { id: row.id, decision: row.decision as Decision, reason: row.reason as DecisionReason, detail, at: row.at };
  });
}

/** One message, for the log's detail view (null for another shop's id). */
/** A message deferred for `reason` is due now (what it waited for is settled): the next dispatcher pass decides it. */
export async function wakeDeferred(shop: string, id: string, reason: DecisionReason, now: Date): Promise<boolean> {
  return (await db.message.updateMany({ where: { shop, id, status: "deferred", lastReason: reason, availableAt: { gt: now } }, data: { availableAt: now } })).count === 1;
}

export async function getMessage(shop: string, id: string) {
  return db.message.findFirst({ where: { shop, id } });
}
