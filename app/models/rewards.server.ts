// Staff-issued rewards (issue 10): the shop's reward settings, the Reward rows
// and the figures a reward's limits and cost are read from. Every function
// takes `shop` and filters on it.
import type { Prisma } from "@prisma/client";
import db from "~/db.server";
import { checkRewardLimits, readStoredRewardSettings, validateRewardSettings, type LimitVerdict, type RewardSettings, type RewardSettingsResult } from "~/domain/rewards";
import { lockInTransaction } from "./locks.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

export interface RewardContext {
  settings: RewardSettings;
  /** Stored settings that no longer parse: the defaults are in use, and the settings page says so. */
  settingsInvalid: boolean;
  timeZone: string;
  currencyCode: string;
}

export async function getRewardContext(shop: string): Promise<RewardContext> {
  const row = await db.shop.findUnique({ where: { shop }, select: { rewardSettings: true, ianaTimezone: true, currencyCode: true } });
  const { settings, invalid } = readStoredRewardSettings(row?.rewardSettings ?? null);
  return { settings, settingsInvalid: invalid, timeZone: row?.ianaTimezone ?? "UTC", currencyCode: row?.currencyCode ?? "USD" };
}

/** Validates and stores the merchant's reward settings; with any field error nothing is saved. */
export async function saveRewardSettings(shop: string, input: unknown): Promise<RewardSettingsResult> {
  const result = validateRewardSettings(input);
  if (!result.ok) return result;
  const rewardSettings = JSON.stringify(result.settings);
  await db.shop.upsert({ where: { shop }, create: { shop, rewardSettings }, update: { rewardSettings } });
  return result;
}

/** Rewards that count toward the limits: everything but those Shopify refused or staff cancelled. */
const COUNTED = { notIn: ["failed", "cancelled"] };

export interface NewReward {
  customerShopifyId: string;
  kind: "code" | "gift";
  issuedBy: string;
  issuedByName: string | null;
  reason: string;
  valueType: "percent" | "amount" | null;
  value: number | null;
  costMinor: number;
  currencyCode: string;
  code: string | null;
  expiresAt: Date | null;
  giftId: string | null;
}

export type Reward = NonNullable<Awaited<ReturnType<typeof db.reward.findFirst>>>;

/** Longest the reserving transaction may wait for the shop's lock or run. */
const RESERVE_TX_MS = 30_000;

class LimitRefused extends Error {
  constructor(readonly verdict: Extract<LimitVerdict, { ok: false }>) {
    super("reward limit reached");
  }
}

/**
 * Records a reward as pending if it fits the limits, in one transaction, so two
 * staff issuing at once cannot both take the last slot. On PostgreSQL a
 * shop-wide advisory lock serializes issuing (a rare, human-paced act); on
 * SQLite the row's INSERT comes first, which takes the database's one write
 * lock before anything is counted. The new row is then counted with the
 * others; over a limit, the transaction rolls back and nothing is recorded.
 */
export async function reserveReward(
  shop: string,
  reward: NewReward,
  { settings, monthStart, customerSince, now }: { settings: RewardSettings; monthStart: Date; customerSince: Date; now: Date },
): Promise<{ ok: true; reward: Reward } | Extract<LimitVerdict, { ok: false }>> {
  try {
    const row = await db.$transaction(
      async (tx) => {
        await lockInTransaction(tx, `rewards:${shop}`);
        const created = await tx.reward.create({ data: { shop, ...reward, status: "pending", createdAt: now, updatedAt: now } });
        // A care message's offer code (issue 17) is the flow's, not staff's: it counts toward no limit.
        const others = { shop, status: COUNTED, id: { not: created.id }, messageId: null };
        const [staffThisMonth, customerRows] = await Promise.all([
          tx.reward.count({ where: { ...others, issuedBy: reward.issuedBy, createdAt: { gte: monthStart } } }),
          tx.reward.findMany({ where: { ...others, customerShopifyId: reward.customerShopifyId, createdAt: { gt: customerSince } }, select: { createdAt: true } }),
        ]);
        const verdict = checkRewardLimits(settings, reward.issuedBy, { staffThisMonth, customerInPeriod: customerRows.map((r) => r.createdAt) });
        if (!verdict.ok) throw new LimitRefused(verdict);
        return created;
      },
      { maxWait: RESERVE_TX_MS, timeout: RESERVE_TX_MS },
    );
    return { ok: true, reward: row };
  } catch (error) {
    if (error instanceof LimitRefused) return error.verdict;
    throw error;
  }
}

/** What Shopify answered for a pending code: created (its discount id), refused (in plain words), or not known (kept pending with why). */
export async function settleReward(shop: string, id: string, outcome: { status: "issued"; discountId: string } | { status: "failed"; error: string } | { status: "pending"; error: string }, now: Date): Promise<Reward> {
  const data: Prisma.RewardUpdateManyMutationInput =
    outcome.status === "issued" ? { status: "issued", discountId: outcome.discountId, error: null, updatedAt: now } : { status: outcome.status, error: outcome.error, updatedAt: now };
  await db.reward.updateMany({ where: { shop, id }, data });
  return db.reward.findFirstOrThrow({ where: { shop, id } });
}

/** A new code for a pending reward whose first one Shopify found taken. */
export async function changeRewardCode(shop: string, id: string, code: string, now: Date) {
  await db.reward.updateMany({ where: { shop, id, status: "pending" }, data: { code, updatedAt: now } });
}

export async function getReward(shop: string, id: string): Promise<Reward | null> {
  return db.reward.findFirst({ where: { shop, id } });
}

/** A member's rewards, newest first (timeline, member page). */
export async function customerRewards(shop: string, customerShopifyId: string, limit = 100): Promise<Reward[]> {
  return db.reward.findMany({ where: { shop, customerShopifyId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
}

/** Pending codes whose answer never came (the outbox or an operator retries them). */
export async function pendingCodeRewards(shop: string, before: Date): Promise<Reward[]> {
  return db.reward.findMany({ where: { shop, kind: "code", status: "pending", updatedAt: { lt: before } }, orderBy: { createdAt: "asc" } });
}

/** The customer's average order in shop money (net spend over orders), else the shop's, else 0. */
export async function averageOrderMinor(shop: string, customerShopifyId: string): Promise<number> {
  const customer = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { orderCount: true, netSpentMinor: true } });
  if (customer && customer.orderCount > 0) return Math.max(0, Math.round(customer.netSpentMinor / customer.orderCount));
  const all = await db.customer.aggregate({ where: { shop, orderCount: { gt: 0 }, deletedAt: null }, _sum: { netSpentMinor: true, orderCount: true } });
  const orders = all._sum.orderCount ?? 0;
  return orders > 0 ? Math.max(0, Math.round((all._sum.netSpentMinor ?? 0) / orders)) : 0;
}

/** The merchant's active gifts, in their order, with their costs (the issue form and the cost of a gift reward). */
export async function activeGifts(shop: string): Promise<Array<{ id: string; name: string; costMinor: number }>> {
  return db.gift.findMany({ where: { shop, active: true }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, name: true, costMinor: true } });
}

/** Whether the member is a live customer of this shop (not another shop's, not redacted). */
export async function rewardableCustomer(shop: string, customerShopifyId: string): Promise<boolean> {
  const customer = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { deletedAt: true } });
  return customer !== null && customer.deletedAt === null;
}

/**
 * The cost of rewards members received between `from` and `to`, per member,
 * split into codes (estimated; once redeemed, the discount is on the order
 * too) and gifts (a real cost no order shows). Restricted to `customerShopifyIds`
 * when given.
 */
export async function rewardCostsByMember(shop: string, from: Date, to: Date, customerShopifyIds?: string[]): Promise<Map<string, { codesMinor: number; giftsMinor: number }>> {
  const rows = await db.reward.groupBy({
    by: ["customerShopifyId", "kind"],
    where: { shop, status: COUNTED, createdAt: { gte: from, lt: to }, ...(customerShopifyIds ? { customerShopifyId: { in: customerShopifyIds } } : {}) },
    _sum: { costMinor: true },
  });
  const totals = new Map<string, { codesMinor: number; giftsMinor: number }>();
  for (const row of rows) {
    const entry = totals.get(row.customerShopifyId) ?? { codesMinor: 0, giftsMinor: 0 };
    if (row.kind === "gift") entry.giftsMinor += row._sum.costMinor ?? 0;
    else entry.codesMinor += row._sum.costMinor ?? 0;
    totals.set(row.customerShopifyId, entry);
  }
  return totals;
}

/**
 * The cost of rewards given to an activity's contacted group (members with a
 * message from it that was not held back) between `from` and `to`, split into
 * codes and gifts. The audience is joined, not listed, as in audienceOrders.
 */
export async function audienceRewardCosts(shop: string, sourceId: string, from: Date, to: Date): Promise<{ codesMinor: number; giftsMinor: number }> {
  const rows = await db.$queryRaw<Array<{ kind: string; costMinor: number | bigint | null }>>`
    SELECT r."kind", SUM(r."costMinor") AS "costMinor"
    FROM "Reward" r
    WHERE r."shop" = ${shop} AND r."status" NOT IN ('failed', 'cancelled') AND r."createdAt" >= ${from} AND r."createdAt" < ${to}
      AND r."customerShopifyId" IN (SELECT DISTINCT m."customerShopifyId" FROM "Message" m WHERE m."shop" = ${shop} AND m."sourceId" = ${sourceId} AND m."holdout" = ${false})
    GROUP BY r."kind"`;
  const total = { codesMinor: 0, giftsMinor: 0 };
  for (const row of rows) total[row.kind === "gift" ? "giftsMinor" : "codesMinor"] += Number(row.costMinor ?? 0);
  return total;
}

/** The customer's rewards for customers/data_request. */
export async function customerRewardsExport(shop: string, customerShopifyId: string) {
  return db.reward.findMany({ where: { shop, customerShopifyId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** customers/redact: a reward's reason is a staff note about the person, so the rows go. */
export async function eraseCustomerRewards(shop: string, customerShopifyId: string): Promise<number> {
  return (await db.reward.deleteMany({ where: { shop, customerShopifyId } })).count;
}

/** shop/redact. */
export async function eraseShopRewards(shop: string): Promise<number> {
  return (await db.reward.deleteMany({ where: { shop } })).count;
}

// ---------------------------------------------------------------------------
// Issue 17: an offer is a code. A care message that offers a discount carries a
// code made the way staff rewards are (one Reward row of kind "code", created
// in Shopify by the reward.code outbox effect), tied to the message.

/** The code of a care message's offer; null until the dispatcher asked for one. */
export async function messageOfferCode(shop: string, messageId: string): Promise<Reward | null> {
  return db.reward.findFirst({ where: { shop, messageId } });
}

/**
 * Records the pending code of a message's offer; one per message (a second
 * dispatcher asking at the same time gets the first one's row).
 */
export async function reserveOfferCode(shop: string, messageId: string, reward: NewReward, now: Date): Promise<Reward> {
  try {
    return await db.reward.create({ data: { shop, ...reward, messageId, status: "pending", createdAt: now, updatedAt: now } });
  } catch (error) {
    const existing = await messageOfferCode(shop, messageId);
    if (existing) return existing;
    throw error;
  }
}

/**
 * Codes redeemed by an order (its discount_codes), matched without regard to
 * case as Shopify matches them: each becomes `used` with the order, what it
 * took off (shop money) and when. A later version of the same order (an edit)
 * rewrites the amount; a code another order already used is left alone.
 */
export async function markCodesUsed(shop: string, order: { shopifyId: string; customerShopifyId: string | null; at: Date }, codes: Array<{ code: string; amountMinor: number }>, now: Date): Promise<number> {
  if (codes.length === 0) return 0;
  const wanted = new Map(codes.map((entry) => [entry.code.toUpperCase(), entry.amountMinor]));
  // Our codes are upper case (rewardCode); an order may carry them as typed.
  const rows = await db.reward.findMany({ where: { shop, kind: "code", code: { in: [...new Set([...wanted.keys(), ...codes.map((entry) => entry.code)])] } }, select: { id: true, code: true, customerShopifyId: true, usedOrderShopifyId: true } });
  let marked = 0;
  for (const row of rows) {
    const amountMinor = wanted.get((row.code ?? "").toUpperCase());
    if (amountMinor === undefined) continue;
    if (row.usedOrderShopifyId && row.usedOrderShopifyId !== order.shopifyId) continue;
    const { count } = await db.reward.updateMany({
      where: { shop, id: row.id, status: { in: ["issued", "pending", "expiring", "expired", "used"] } },
      data: { status: "used", usedOrderShopifyId: order.shopifyId, usedAmountMinor: amountMinor, usedAt: order.at, updatedAt: now },
    });
    marked += count;
  }
  return marked;
}

/** A pending code nobody will be given (its message will never go): cancelled before Shopify is asked, with why. */
export async function cancelPendingCode(shop: string, id: string, reason: string, now: Date): Promise<boolean> {
  return (await db.reward.updateMany({ where: { shop, id, status: "pending" }, data: { status: "cancelled", error: reason, updatedAt: now } })).count === 1;
}

/** The shop's issued codes whose expiry has passed, unused, oldest first: due to be deactivated in Shopify. */
export async function expiredUnusedCodes(shop: string, now: Date, limit: number): Promise<Array<Pick<Reward, "id" | "shop" | "customerShopifyId" | "discountId" | "code">>> {
  return db.reward.findMany({
    where: { shop, kind: "code", status: "issued", expiresAt: { lte: now } },
    orderBy: { expiresAt: "asc" },
    take: limit,
    select: { id: true, shop: true, customerShopifyId: true, discountId: true, code: true },
  });
}

/** An expired code is being deactivated (only from issued: a code used meanwhile stays used). */
export async function markCodeExpiring(shop: string, id: string, now: Date): Promise<boolean> {
  return (await db.reward.updateMany({ where: { shop, id, status: "issued" }, data: { status: "expiring", updatedAt: now } })).count === 1;
}

/** Shopify deactivated the code (or it was not there to deactivate). */
export async function markCodeExpired(shop: string, id: string, now: Date, error: string | null = null): Promise<void> {
  await db.reward.updateMany({ where: { shop, id, status: "expiring" }, data: { status: "expired", error, updatedAt: now } });
}

/**
 * What an activity's offer codes cost: the discount its codes took off the
 * orders that redeemed them (shop money), for codes sent in the activity's
 * messages. Only orders the purchase ledger counts, as for revenue.
 */
export async function activityOfferCosts(shop: string, sourceId: string): Promise<{ redeemed: number; redeemedMinor: number; sent: number }> {
  const rows = await db.$queryRaw<Array<{ redeemed: number | bigint; redeemedMinor: number | bigint | null; sent: number | bigint }>>`
    SELECT
      COUNT(CASE WHEN o."shopifyId" IS NOT NULL THEN 1 END) AS "redeemed",
      SUM(CASE WHEN o."shopifyId" IS NOT NULL THEN r."usedAmountMinor" END) AS "redeemedMinor",
      COUNT(CASE WHEN m."status" = 'sent' THEN 1 END) AS "sent"
    FROM "Reward" r
    JOIN "Message" m ON m."shop" = r."shop" AND m."id" = r."messageId"
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."shopifyId" = r."usedOrderShopifyId" AND o."countsAsPurchase" = ${true}
    WHERE r."shop" = ${shop} AND m."sourceId" = ${sourceId} AND r."messageId" IS NOT NULL`;
  const row = rows[0];
  return { redeemed: Number(row?.redeemed ?? 0), redeemedMinor: Number(row?.redeemedMinor ?? 0), sent: Number(row?.sent ?? 0) };
}

/** The discounts of our offer codes on each of these orders (shop money), so they are not counted twice among an activity's costs. */
export async function offerDiscountsOnOrders(shop: string, orderShopifyIds: string[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const ids of chunks(orderShopifyIds, MAX_IN_LIST)) {
    const rows = await db.reward.findMany({ where: { shop, messageId: { not: null }, usedOrderShopifyId: { in: ids } }, select: { usedOrderShopifyId: true, usedAmountMinor: true } });
    for (const row of rows) totals.set(row.usedOrderShopifyId!, (totals.get(row.usedOrderShopifyId!) ?? 0) + (row.usedAmountMinor ?? 0));
  }
  return totals;
}

/**
 * Messages sent that name an offer but went without a code made for them: a
 * sent message planned with an offer (its variables carry discountPercent)
 * and no code of ours created in Shopify for it. Zero is the promise kept; the
 * demo's summary prints it.
 */
export async function sentOffersWithoutCode(shop: string): Promise<number> {
  const rows = await db.$queryRaw<Array<{ count: number | bigint }>>`
    SELECT COUNT(*) AS "count" FROM "Message" m
    WHERE m."shop" = ${shop} AND m."status" = 'sent' AND m."variables" LIKE ${'%"discountPercent"%'}
      AND NOT EXISTS (
        SELECT 1 FROM "Reward" r WHERE r."shop" = m."shop" AND r."messageId" = m."id" AND r."discountId" IS NOT NULL
          AND r."status" IN ('issued', 'used', 'expiring', 'expired'))`;
  return Number(rows[0]?.count ?? 0);
}
