import type { Prisma } from "@prisma/client";
import db, { dialect } from "~/db.server";
import { empty, join, sql } from "./sql.server";

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

const claimable = (now: Date, excludeShops: string[] = []): Prisma.OutboxEffectWhereInput => ({
  OR: [
    { status: "pending", availableAt: { lte: now } },
    { status: "processing", leaseUntil: { lt: now } },
  ],
  ...(excludeShops.length > 0 ? { shop: { notIn: excludeShops } } : {}),
});

/**
 * Claims up to `limit` due effects for `claimToken` (unique per call); expired leases are taken over.
 * `excludeShops`: shops whose work this process is still running (shop-lanes.server.ts), left unclaimed.
 */
export async function claimEffects({ claimToken, limit, now, leaseMs, excludeShops = [] }: { claimToken: string; limit: number; now: Date; leaseMs: number; excludeShops?: string[] }): Promise<ClaimedEffect[]> {
  const notExcluded = excludeShops.length > 0 ? sql`AND "shop" NOT IN (${join(excludeShops)})` : empty;
  if (dialect() === "postgresql") {
    // One statement, locked rows skipped (see claimInboxEvents).
    const rows = await db.$queryRaw<Array<Omit<ClaimedEffect, "leaseOwner">>>`
      UPDATE "OutboxEffect" SET "status" = 'processing', "leaseOwner" = ${claimToken}, "leaseUntil" = ${new Date(now.getTime() + leaseMs)}, "attempts" = "attempts" + 1, "rerun" = false
      WHERE "id" IN (
        SELECT "id" FROM "OutboxEffect"
        WHERE (("status" = 'pending' AND "availableAt" <= ${now}) OR ("status" = 'processing' AND "leaseUntil" < ${now})) ${notExcluded}
        ORDER BY "availableAt" LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING "id", "shop", "kind", "payload", "attempts"`;
    return rows.sort((a, b) => a.id - b.id).map((row) => ({ ...row, leaseOwner: claimToken }));
  }
  const candidates = await db.outboxEffect.findMany({ where: claimable(now, excludeShops), orderBy: { availableAt: "asc" }, take: limit, select: { id: true } });
  if (candidates.length === 0) return [];
  await db.outboxEffect.updateMany({
    where: { id: { in: candidates.map((row) => row.id) }, ...claimable(now) },
    data: { status: "processing", leaseOwner: claimToken, leaseUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 }, rerun: false },
  });
  const claimed = await db.outboxEffect.findMany({
    where: { leaseOwner: claimToken, status: "processing" },
    orderBy: { id: "asc" },
    select: { id: true, shop: true, kind: true, payload: true, attempts: true },
  });
  return claimed.map((row) => ({ ...row, leaseOwner: claimToken }));
}

type Held = Pick<ClaimedEffect, "id" | "shop" | "leaseOwner">;
const held = (effect: Held): Prisma.OutboxEffectWhereInput => ({ id: effect.id, shop: effect.shop, leaseOwner: effect.leaseOwner, status: "processing" });

/** Done, unless it was asked for again meanwhile: then it is due again at once. */
export async function completeEffect(effect: Held, now: Date): Promise<void> {
  await db.outboxEffect.updateMany({ where: { ...held(effect), rerun: true }, data: { status: "pending", availableAt: now, attempts: 0, leaseOwner: null, leaseUntil: null, rerun: false, lastError: null } });
  await db.outboxEffect.updateMany({ where: held(effect), data: { status: "done", doneAt: now, leaseOwner: null, leaseUntil: null, lastError: null } });
}

/** Put off until `at`: a throttle back-off or more work left (`countAttempt: false`), or a retry after an error. */
export async function postponeEffect(effect: Held, at: Date, { reason = null, countAttempt }: { reason?: string | null; countAttempt: boolean }): Promise<void> {
  await db.outboxEffect.updateMany({
    where: held(effect),
    data: { status: "pending", availableAt: at, leaseOwner: null, leaseUntil: null, lastError: reason, ...(countAttempt ? {} : { attempts: { decrement: 1 } }) },
  });
}

/** Given up after its attempts: kept, with the reason, until asked for again or retried by an operator. */
export async function failEffect(effect: Held, reason: string, now: Date): Promise<void> {
  await db.outboxEffect.updateMany({ where: held(effect), data: { status: "failed", lastError: reason, doneAt: now, leaseOwner: null, leaseUntil: null } });
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
