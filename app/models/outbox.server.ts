import db from "~/db.server";
import { claim, complete, fail, postpone, type QueueTable } from "~/jobs/queue.server";

/**
 * The outbox: effects on the outside world (Shopify writes, later messages)
 * recorded before they are attempted, claimed by workers with a lease, retried
 * until done, and never lost. An effect is keyed per shop; asking again for one
 * that is done makes it due again, and asking for one a worker holds makes the
 * worker run it once more when it finishes, so no request is swallowed.
 */
export async function requestEffect(shop: string, kind: string, idempotencyKey: string, now: Date, payload: unknown = {}, customerShopifyId: string | null = null): Promise<void> {
  // customerShopifyId: an effect about one customer (an unsubscribe), so a data
  // request exports it and customers/redact cancels and blanks it.
  await db.$executeRaw`
    INSERT INTO "OutboxEffect" ("shop", "kind", "idempotencyKey", "payload", "status", "attempts", "availableAt", "rerun", "createdAt", "customerShopifyId")
    VALUES (${shop}, ${kind}, ${idempotencyKey}, ${JSON.stringify(payload)}, 'pending', 0, ${now}, false, ${now}, ${customerShopifyId})
    ON CONFLICT ("shop", "idempotencyKey") DO UPDATE SET
      "payload" = excluded."payload",
      "rerun" = CASE WHEN "OutboxEffect"."status" = 'processing' THEN true ELSE false END,
      "attempts" = CASE WHEN "OutboxEffect"."status" IN ('done', 'failed', 'cancelled') THEN 0 ELSE "OutboxEffect"."attempts" END,
      -- A pending effect keeps a later time it was put off to (a throttle back-off).
      "availableAt" = CASE WHEN "OutboxEffect"."status" = 'pending' AND "OutboxEffect"."availableAt" > excluded."availableAt" THEN "OutboxEffect"."availableAt" ELSE excluded."availableAt" END,
      "status" = CASE WHEN "OutboxEffect"."status" = 'processing' THEN 'processing' ELSE 'pending' END`;
}

/** After tier changes: the shop's membership values (and tags) are due for Shopify. */
export const requestMembershipSync = (shop: string, now: Date) => requestEffect(shop, "membership.sync", "membership.sync", now);
/** After the tier list changed with segments on: the per-tier segments are due. */
export const requestSegmentSync = (shop: string, now: Date) => requestEffect(shop, "segments.sync", "segments.sync", now);
/** After the rules in force changed: the shop's member discount in Shopify is brought in line. */
export const requestDiscountSync = (shop: string, now: Date) => requestEffect(shop, "discount.sync", "discount.sync", now);

export interface ClaimedEffect {
  id: number;
  shop: string;
  kind: string;
  payload: string;
  attempts: number;
  leaseOwner: string;
}

/** The outbox as the job queue sees it (app/jobs/queue.server.ts). */
export const OUTBOX_QUEUE: QueueTable = {
  name: "outbox",
  table: "OutboxEffect",
  model: "outboxEffect",
  columns: ["id", "shop", "kind", "payload", "attempts"],
  // Effects put off (a throttle) wait behind those due earlier.
  order: "availableAt",
  waiting: ["pending"],
  running: "processing",
  // A claim starts a run that covers every request made so far.
  onClaim: { status: "processing", countAttempt: true, reset: { rerun: false } },
  reasonColumn: "lastError",
  finishedColumn: "doneAt",
  failedStatus: "failed",
  doneStatus: "done",
};

/**
 * Claims up to `limit` due effects for `claimToken` (unique per call); expired leases are taken over.
 * `excludeShops`: shops whose work this process is still running (shop-lanes.server.ts), left unclaimed.
 */
export async function claimEffects(options: { claimToken: string; limit: number; now: Date; leaseMs: number; excludeShops?: string[] }): Promise<ClaimedEffect[]> {
  return claim<Omit<ClaimedEffect, "leaseOwner">>(OUTBOX_QUEUE, options);
}

type Held = Pick<ClaimedEffect, "id" | "shop" | "leaseOwner">;

/** Done, unless it was asked for again meanwhile: then it is due again at once. */
export async function completeEffect(effect: Held, now: Date): Promise<void> {
  await db.outboxEffect.updateMany({ where: { id: effect.id, shop: effect.shop, leaseOwner: effect.leaseOwner, status: OUTBOX_QUEUE.running, rerun: true }, data: { status: "pending", availableAt: now, attempts: 0, leaseOwner: null, leaseUntil: null, rerun: false, lastError: null } });
  await complete(OUTBOX_QUEUE, effect, now, { lastError: null });
}

/** Put off until `at`: a throttle back-off or more work left (`countAttempt: false`), or a retry after an error. */
export async function postponeEffect(effect: Held, at: Date, { reason = null, countAttempt }: { reason?: string | null; countAttempt: boolean }): Promise<void> {
  await postpone(OUTBOX_QUEUE, effect, at, { reason, countAttempt });
}

/**
 * A failed attempt: retried after the queue's back-off while attempts remain,
 * kept as failed with the reason after the last (until asked for again or
 * retried by an operator). Returns when it is retried, null when it failed.
 */
export async function failEffect(effect: Held & { attempts: number }, reason: string, now: Date, maxAttempts: number): Promise<Date | null> {
  return fail(OUTBOX_QUEUE, effect, { reason, now, maxAttempts });
}

/** app/uninstalled: nothing more is sent for the shop (a reinstall asks again). */
export async function cancelShopEffects(shop: string, now: Date): Promise<void> {
  await db.outboxEffect.updateMany({ where: { shop, status: { in: ["pending", "processing"] } }, data: { status: "cancelled", doneAt: now, leaseOwner: null, leaseUntil: null } });
}

/** The state of one of the shop's effects, for the admin (null when never asked for). */
export async function effectStatus(shop: string, idempotencyKey: string) {
  return db.outboxEffect.findUnique({
    where: { shop_idempotencyKey: { shop, idempotencyKey } },
    select: { status: true, attempts: true, availableAt: true, lastError: true, doneAt: true },
  });
}
