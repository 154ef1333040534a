// The dispatcher's reads and writes on Message rows (issue 8,
// docs/decisions/0008-care-dispatch.md): claiming due rows with a lease,
// the per-customer transaction in which the frequency cap is read and a
// message marked "sending", and the moves after the channel answers. Every
// write checks the claim's lease owner, so a dispatcher that lost its lease
// (it stalled past it and another took the row over) changes nothing.
import type { Prisma } from "@prisma/client";
import db from "~/db.server";
import { claim, releaseUnstarted, settle, type QueueTable } from "~/jobs/queue.server";
import type { Channel, Decision, DecisionReason, MessageClass, MessageStatus } from "~/domain/care/types";
import { lockInTransaction } from "./locks.server";
import { logDecisions, type MessageRow } from "./messages.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

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
}

/** What the policy and the templates need about the customers of a batch. */
export async function dispatchCustomers(shop: string, customerShopifyIds: string[]): Promise<Map<string, DispatchCustomer>> {
  const found = new Map<string, DispatchCustomer>();
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const rows = await db.customer.findMany({
      where: { shop, shopifyId: { in: ids } },
      select: { shopifyId: true, email: true, phone: true, firstName: true, lastName: true, locale: true, timeZone: true, emailConsentState: true, smsConsentState: true, membershipEmailOptOutAt: true, deletedAt: true },
    });
    for (const row of rows) found.set(row.shopifyId, row);
  }
  return found;
}

type Tx = Prisma.TransactionClient;

/** Longest the per-customer transaction may wait for its lock or run. */
const CUSTOMER_TX_MS = 30_000;

/**
 * Runs `work` in one transaction for a customer's message: on PostgreSQL under
 * a per-customer advisory lock (two dispatchers never both read the cap's
 * count and both take the last slot); on SQLite the first statement `work`
 * runs must be a write (holdLease), which takes the database's one write lock
 * before the cap is read, so no other writer slips in between.
 */
export async function withCustomerTransaction<T>(shop: string, customerShopifyId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await lockInTransaction(tx, `care-cap:${shop}:${customerShopifyId}`);
      return work(tx);
    },
    { maxWait: CUSTOMER_TX_MS, timeout: CUSTOMER_TX_MS },
  );
}

type Held = Pick<ClaimedMessage, "id" | "shop" | "leaseOwner">;

/** Renews the claim's lease if it still holds it and the message is still waiting for a decision; false when it was lost (cancelled, taken over). */
export async function holdLease(tx: Tx, message: Held, leaseUntil: Date): Promise<boolean> {
  return settle(MESSAGE_QUEUE, message, { leaseUntil }, { from: MESSAGE_QUEUE.waiting, tx, keepLease: true });
}

/**
 * The customer's sends the caps count, from `since` on: messages sent, and
 * messages being sent (their availableAt is the moment they were marked), of
 * the marketing class, or of every class when the shop caps transactional too.
 */
export async function countedSends(tx: Tx, shop: string, customerShopifyId: string, since: Date, allClasses: boolean): Promise<Date[]> {
  const rows = await tx.message.findMany({
    where: {
      shop,
      customerShopifyId,
      ...(allClasses ? {} : { messageClass: "marketing" }),
      OR: [
        { status: "sent", sentAt: { gt: since } },
        { status: "sending", availableAt: { gt: since } },
      ],
    },
    select: { status: true, sentAt: true, availableAt: true },
  });
  return rows.map((row) => (row.status === "sent" && row.sentAt ? row.sentAt : row.availableAt));
}

/** The policy said send: the message is "sending" from `now` (counted by the cap from then), its attempt counted. */
export async function markSending(tx: Tx, message: Held, now: Date, leaseUntil: Date): Promise<boolean> {
  return settle(MESSAGE_QUEUE, message, { status: "sending", availableAt: now, leaseUntil, attempts: { increment: 1 }, lastReason: "allowed", updatedAt: now }, { from: MESSAGE_QUEUE.waiting, tx, keepLease: true });
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
    },
    { from, tx },
  );
  if (!settled) return false;
  await logDecisions(message.shop, [{ messageId: message.id, customerShopifyId: message.customerShopifyId, decision: settlement.decision, reason: settlement.reason, detail: settlement.detail }], now, tx);
  return true;
}

/**
 * Gives back a claim's leases on rows it did not get to: due again at once
 * (a stop mid-batch), or at `availableAt` (their channel timed out for their
 * shop in this pass: they wait for the retry instead of each waiting out the deadline).
 */
export async function releaseClaim(claimToken: string, ids: string[], availableAt?: Date): Promise<void> {
  await releaseUnstarted(MESSAGE_QUEUE, claimToken, ids, availableAt);
}
