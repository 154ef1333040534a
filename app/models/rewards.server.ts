// Staff-issued rewards (issue 10): the shop's reward settings, the Reward rows
// and the figures a reward's limits and cost are read from. Every function
// takes `shop` and filters on it.
import type { Prisma } from "@prisma/client";
import db from "~/db.server";
import { checkRewardLimits, readStoredRewardSettings, validateRewardSettings, type LimitVerdict, type RewardSettings, type RewardSettingsResult } from "~/domain/rewards";
import { lockInTransaction } from "./locks.server";

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
        const others = { shop, status: COUNTED, id: { not: created.id } };
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
