// The dispatcher's reads and writes on Message rows (issue 8,
// docs/decisions/0008-care-dispatch.md): claiming due rows with a lease,
// the per-customer transaction in which the frequency cap is read and a
// message marked "sending", and the moves after the channel answers. Every
// write checks the claim's lease owner, so a dispatcher that lost its lease
// (it stalled past it and another took the row over) changes nothing.
import type { Prisma } from "@prisma/client";
import db from "~/db.server";
import { claim, releaseUnstarted, settle, type QueueTable } from "~/jobs/queue.server";
import { readContactPreferences, type ContactPreferences } from "~/domain/care/customer-preferences";
import type { SentWords } from "~/domain/care/templates";
import type { Channel, Decision, DecisionReason, MessageStatus } from "~/domain/care/types";
import { lockAllInTransaction } from "./locks.server";
import { logDecisions, type MessageRow } from "./messages.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { join, raw, sql, typed } from "./sql.server";

/** A claimed message: its row's columns the dispatcher reads (one row type: ./messages.server.ts), held by `leaseOwner`. */
export type ClaimedMessage = Pick<
  MessageRow,
  "id" | "shop" | "customerShopifyId" | "idempotencyKey" | "source" | "sourceId" | "step" | "channel" | "messageClass" | "priority" | "orderShopifyId" | "fulfillmentShopifyId" | "variables" | "plannedAt" | "availableAt" | "expiresAt" | "attempts"
> & {
  /** scheduled or deferred: due for a decision; sending: in doubt (a dispatcher died mid-send), to be sent again with the same key. */
  status: MessageRow["status"];
  leaseOwner: string;
};

/**
 * Messages as the job queue sees them (app/jobs/queue.server.ts). Due:
 * scheduled or deferred with availableAt reached and no live lease (a
 * dispatcher that claimed it and died frees it when its lease ends); or
 * "sending" with an expired lease: the provider may or may not have taken it.
 * A claim changes only the lease: the status moves, and an attempt is
 * counted, when the policy lets the message through (markSending).
 */
export const MESSAGE_QUEUE: QueueTable = {
  name: "dispatcher",
  table: "Message",
  model: "message",
  columns: ["id", "shop", "customerShopifyId", "idempotencyKey", "source", "sourceId", "step", "channel", "messageClass", "priority", "orderShopifyId", "fulfillmentShopifyId", "variables", "plannedAt", "availableAt", "expiresAt", "status", "attempts"],
  order: "availableAt",
  waiting: ["scheduled", "deferred"],
  running: "sending",
  onClaim: { countAttempt: false },
  reasonColumn: "lastReason",
  finishedColumn: "updatedAt",
  failedStatus: "failed",
  doneStatus: "sent",
};

/**
 * Claims up to `limit` due messages for `claimToken` (unique per call), across shops, oldest due first.
 * `excludeShops`: shops whose messages this process is still sending (shop-lanes.server.ts), left unclaimed.
 */
export async function claimDueMessages(options: { claimToken: string; limit: number; now: Date; leaseMs: number; excludeShops?: string[] }): Promise<ClaimedMessage[]> {
  return claim<Omit<ClaimedMessage, "leaseOwner">>(MESSAGE_QUEUE, options);
}

export interface DispatchCustomer {
  shopifyId: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  timeZone: string | null;
  emailConsentState: string | null;
  smsConsentState: string | null;
  membershipEmailOptOutAt: Date | null;
  deletedAt: Date | null;
  /** What staff recorded about contacting them (issue 21): null when they have no customer file. */
  file: ContactPreferences | null;
}

/** What the policy and the templates need about the customers of a batch. */
export async function dispatchCustomers(shop: string, customerShopifyIds: string[]): Promise<Map<string, DispatchCustomer>> {
  const found = new Map<string, DispatchCustomer>();
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const rows = await db.customer.findMany({
      where: { shop, shopifyId: { in: ids } },
      select: { shopifyId: true, email: true, phone: true, firstName: true, lastName: true, locale: true, timeZone: true, emailConsentState: true, smsConsentState: true, membershipEmailOptOutAt: true, deletedAt: true },
    });
    for (const row of rows) found.set(row.shopifyId, { ...row, file: null });
    // The contact policy reads the file on every message (issue 21): the three fields, in the same pass.
    const files = await db.customerFile.findMany({ where: { shop, customerShopifyId: { in: ids } }, select: { customerShopifyId: true, preferredChannel: true, preferredContactTime: true, acceptsPromotions: true } });
    for (const file of files) {
      const customer = found.get(file.customerShopifyId);
      if (customer) customer.file = readContactPreferences(file);
    }
  }
  return found;
}

type Tx = Prisma.TransactionClient;

/** Longest the decision transaction may wait for its locks or run. */
const DECIDE_TX_MS = 30_000;

/**
 * Runs `work` in one transaction for a batch of a shop's customers: on
 * PostgreSQL under each customer's advisory lock (taken in one statement, in
 * one order for every dispatcher, so two never deadlock), so two dispatchers
 * never both read a customer's cap count and both take the last slot; on
 * SQLite the first statement `work` runs must be a write (holdLeases), which
 * takes the database's one write lock before the caps are read, so no other
 * writer slips in between.
 */
export async function withCustomersTransaction<T>(shop: string, customerShopifyIds: string[], work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await lockAllInTransaction(tx, customerShopifyIds.map((id) => `care-cap:${shop}:${id}`));
      return work(tx);
    },
    { maxWait: DECIDE_TX_MS, timeout: DECIDE_TX_MS },
  );
}

/** Several of the writes below in one transaction (one BEGIN and COMMIT for a group of them). */
export async function withTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: DECIDE_TX_MS, timeout: DECIDE_TX_MS });
}

type Held = Pick<ClaimedMessage, "id" | "shop" | "leaseOwner">;

/** The ids, of those given, that `claimToken` holds and that are in one of `from`, after an UPDATE ... RETURNING of `set`. */
async function updateHeld(executor: Tx | typeof db, shop: string, claimToken: string, ids: string[], from: readonly MessageStatus[], set: ReturnType<typeof sql>): Promise<Set<string>> {
  const held = new Set<string>();
  for (const part of chunks(ids, MAX_IN_LIST)) {
    const rows = await executor.$queryRaw<Array<{ id: string }>>`
      UPDATE "Message" SET ${set}
      WHERE "shop" = ${shop} AND "leaseOwner" = ${claimToken} AND "status" IN (${join([...from])}) AND "id" IN (${join(part)})
      RETURNING "id"`;
    for (const row of rows) held.add(row.id);
  }
  return held;
}

/** Renews the claim's lease on the messages it still holds that still wait for a decision; the ids held (the others were cancelled or taken over). One statement. */
export async function holdLeases(tx: Tx, shop: string, claimToken: string, ids: string[], leaseUntil: Date): Promise<Set<string>> {
  return updateHeld(tx, shop, claimToken, ids, ["scheduled", "deferred"], sql`"leaseUntil" = ${typed(sql`${leaseUntil}`, "TIMESTAMP(3)")}`);
}

/**
 * The sends the caps count, per customer of `customerShopifyIds`, from `since`
 * on, in one read: messages sent; messages being sent (their availableAt is the
 * moment they were marked); and messages another pass has allowed and not yet
 * handed to their channel (reserved: waiting, lastReason "allowed", a live
 * lease; availableAt the moment they were allowed). A reservation whose
 * dispatcher died ends with its lease. Of the marketing class, or of every
 * class when the shop caps transactional too. `exceptIds`: the batch being
 * decided (its own earlier reservations are decided again).
 */
export async function countedSendsOf(tx: Tx, shop: string, customerShopifyIds: string[], since: Date, now: Date, allClasses: boolean, exceptIds: string[]): Promise<Map<string, Date[]>> {
  const sends = new Map<string, Date[]>();
  const except = new Set(exceptIds);
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const rows = await tx.message.findMany({
      where: {
        shop,
        customerShopifyId: { in: ids },
        ...(allClasses ? {} : { messageClass: "marketing" }),
        OR: [
          { status: "sent", sentAt: { gt: since } },
          { status: "sending", availableAt: { gt: since } },
          { status: { in: ["scheduled", "deferred"] }, lastReason: "allowed", leaseOwner: { not: null }, leaseUntil: { gt: now }, availableAt: { gt: since } },
        ],
      },
      select: { id: true, customerShopifyId: true, status: true, sentAt: true, availableAt: true },
    });
    for (const row of rows) {
      if (except.has(row.id)) continue;
      const at = row.status === "sent" && row.sentAt ? row.sentAt : row.availableAt;
      sends.set(row.customerShopifyId, [...(sends.get(row.customerShopifyId) ?? []), at]);
    }
  }
  return sends;
}

/**
 * The policy said send: the messages are reserved (counted by the caps from
 * `now`, see countedSendsOf) and stay waiting under this claim until each is
 * marked "sending" just before its channel gets it. One statement.
 */
export async function reserveSends(tx: Tx, shop: string, claimToken: string, ids: string[], now: Date, leaseUntil: Date): Promise<Set<string>> {
  return updateHeld(
    tx,
    shop,
    claimToken,
    ids,
    ["scheduled", "deferred"],
    sql`"lastReason" = 'allowed', "availableAt" = ${typed(sql`${now}`, "TIMESTAMP(3)")}, "leaseUntil" = ${typed(sql`${leaseUntil}`, "TIMESTAMP(3)")}, "updatedAt" = ${typed(sql`${now}`, "TIMESTAMP(3)")}`,
  );
}

/**
 * The policy chose another channel than the planned one (the customer's
 * preferred channel, issue 21): the row says where it goes before it is
 * marked sending, so a resend after a crash and the Messages log agree with
 * what was sent. One statement per channel; the ids still held.
 */
export async function setChannels(tx: Tx, shop: string, claimToken: string, changes: Array<{ id: string; channel: Channel }>): Promise<Set<string>> {
  const held = new Set<string>();
  for (const channel of new Set(changes.map((change) => change.channel))) {
    const ids = changes.filter((change) => change.channel === channel).map((change) => change.id);
    for (const id of await updateHeld(tx, shop, claimToken, ids, ["scheduled", "deferred"], sql`"channel" = ${typed(sql`${channel}`, "TEXT")}`)) held.add(id);
  }
  return held;
}

/**
 * Reserved messages go to their channel now: "sending" (each in doubt if this
 * process dies before its answer is recorded), an attempt counted. One
 * statement for the group; the ids still held under the claim.
 */
export async function markSending(shop: string, claimToken: string, ids: string[], now: Date, leaseUntil: Date, executor: Tx | typeof db = db): Promise<Set<string>> {
  return updateHeld(
    executor,
    shop,
    claimToken,
    ids,
    ["scheduled", "deferred"],
    sql`"status" = 'sending', "attempts" = "attempts" + 1, "leaseUntil" = ${typed(sql`${leaseUntil}`, "TIMESTAMP(3)")}, "updatedAt" = ${typed(sql`${now}`, "TIMESTAMP(3)")}`,
  );
}

/** An in-doubt message is sent again: a new attempt under this claim's lease. */
export async function markResending(message: Held, now: Date, leaseUntil: Date): Promise<boolean> {
  return settle(MESSAGE_QUEUE, message, { leaseUntil, attempts: { increment: 1 }, updatedAt: now }, { keepLease: true });
}

export interface Settlement {
  status: MessageStatus;
  decision: Decision;
  reason: DecisionReason;
  detail?: Record<string, unknown>;
  /** For deferred and retried messages: when to look again. */
  availableAt?: Date;
  sentAt?: Date;
  providerMessageId?: string;
  /** For sent messages: the words the channel got, kept on the row in the same write (ADR 0032). */
  words?: SentWords;
}

/**
 * Moves a claimed message on (deferred, blocked, expired, sent, failed, back
 * to scheduled for a retry) and logs the decision, releasing the lease. Only
 * from `from` and only under the claim's lease; false when either no longer
 * holds (nothing is written then).
 */
export async function settleMessage(message: Held & { customerShopifyId: string }, from: readonly MessageStatus[], settlement: Settlement, now: Date, tx: Tx | typeof db = db): Promise<boolean> {
  const settled = await settle(
    MESSAGE_QUEUE,
    message,
    {
      status: settlement.status,
      lastReason: settlement.reason,
      updatedAt: now,
      ...(settlement.availableAt ? { availableAt: settlement.availableAt } : {}),
      ...(settlement.sentAt ? { sentAt: settlement.sentAt } : {}),
      ...(settlement.providerMessageId ? { providerMessageId: settlement.providerMessageId } : {}),
      ...(settlement.words ? { sentSubject: settlement.words.subject, sentText: settlement.words.text, sentHtml: settlement.words.html } : {}),
    },
    { from, tx },
  );
  if (!settled) return false;
  await logDecisions(message.shop, [{ messageId: message.id, customerShopifyId: message.customerShopifyId, decision: settlement.decision, reason: settlement.reason, detail: settlement.detail }], now, tx);
  return true;
}

/** A message and what became of it, for settleMessages. */
export interface SettledMessage {
  message: Held & { customerShopifyId: string };
  settlement: Settlement;
}

/**
 * settleMessage for many messages of one shop and one claim, from `from`: one
 * UPDATE for all of them (each row's own status, reason and times) and one
 * INSERT of their decisions. Returns the ids settled; the others had left the
 * claim or `from` (nothing written for them).
 */
export async function settleMessages(shop: string, claimToken: string, from: readonly MessageStatus[], settled: SettledMessage[], now: Date, executor: Tx | typeof db = db): Promise<Set<string>> {
  const done = new Set<string>();
  if (settled.length === 0) return done;
  // Up to 8 columns of two parameters per row, and its id in the IN list: 55 rows stay under the driver's 999.
  for (const part of chunks(settled, Math.floor(MAX_IN_LIST / 9))) {
    const time = (value: Date) => typed(sql`${value}`, "TIMESTAMP(3)");
    const text = (value: string) => typed(sql`${value}`, "TEXT");
    const column = (name: string, value: (row: SettledMessage) => ReturnType<typeof sql> | null) => {
      const cases = part.flatMap((row) => {
        const fragment = value(row);
        return fragment ? [sql`WHEN ${row.message.id} THEN ${fragment}`] : [];
      });
      return cases.length > 0 ? sql`${raw(`"${name}"`)} = CASE "id" ${join(cases, " ")} ELSE ${raw(`"${name}"`)} END` : null;
    };
    const sets = [
      column("status", (row) => text(row.settlement.status)),
      column("lastReason", (row) => text(row.settlement.reason)),
      column("availableAt", (row) => (row.settlement.availableAt ? time(row.settlement.availableAt) : null)),
      column("sentAt", (row) => (row.settlement.sentAt ? time(row.settlement.sentAt) : null)),
      column("providerMessageId", (row) => (row.settlement.providerMessageId ? text(row.settlement.providerMessageId) : null)),
      column("sentSubject", (row) => (row.settlement.words?.subject != null ? text(row.settlement.words.subject) : null)),
      column("sentText", (row) => (row.settlement.words ? text(row.settlement.words.text) : null)),
      column("sentHtml", (row) => (row.settlement.words?.html != null ? text(row.settlement.words.html) : null)),
    ].filter((set): set is ReturnType<typeof sql> => set !== null);
    const ids = await updateHeld(executor, shop, claimToken, part.map((row) => row.message.id), from, sql`${join(sets)}, "leaseOwner" = NULL, "leaseUntil" = NULL, "updatedAt" = ${time(now)}`);
    const logged = part.filter((row) => ids.has(row.message.id));
    await logDecisions(
      shop,
      logged.map((row) => ({ messageId: row.message.id, customerShopifyId: row.message.customerShopifyId, decision: row.settlement.decision, reason: row.settlement.reason, detail: row.settlement.detail })),
      now,
      executor,
    );
    for (const id of ids) done.add(id);
  }
  return done;
}

/**
 * Gives back a claim's leases on rows it did not get to: due again at once
 * (a stop mid-batch), or at `availableAt` (their channel timed out for their
 * shop in this pass: they wait for the retry instead of each waiting out the deadline).
 */
export async function releaseClaim(claimToken: string, ids: string[], availableAt?: Date): Promise<void> {
  await releaseUnstarted(MESSAGE_QUEUE, claimToken, ids, availableAt);
}
