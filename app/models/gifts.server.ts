// The merchant's gift list and the gifts that went into parcels (issue 10).
// Every function takes `shop` and filters on it.
import type { Prisma } from "@prisma/client";
import db from "~/db.server";
import { parseStringList, type GiftInput, type GiftKind, type GiftReason } from "~/domain/gifts";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

export interface GiftRow {
  id: string;
  name: string;
  sku: string | null;
  kinds: GiftKind[];
  tierHandles: string[];
  costMinor: number;
  active: boolean;
  position: number;
}

type Stored = { id: string; name: string; sku: string | null; kinds: string; tierHandles: string; costMinor: number; active: boolean; position: number };
const SELECT = { id: true, name: true, sku: true, kinds: true, tierHandles: true, costMinor: true, active: true, position: true } as const;

const toRow = (row: Stored): GiftRow => ({ ...row, kinds: parseStringList(row.kinds) as GiftKind[], tierHandles: parseStringList(row.tierHandles) });

/** The shop's gifts in the merchant's order (active and not). */
export async function listGifts(shop: string): Promise<GiftRow[]> {
  const rows = await db.gift.findMany({ where: { shop }, orderBy: [{ position: "asc" }, { id: "asc" }], select: SELECT });
  return rows.map(toRow);
}

/** Adds a gift at the end of the list. */
export async function createGift(shop: string, gift: GiftInput, now: Date): Promise<GiftRow> {
  const last = await db.gift.aggregate({ where: { shop }, _max: { position: true } });
  const row = await db.gift.create({
    data: { shop, ...stored(gift), position: (last._max.position ?? 0) + 1, createdAt: now, updatedAt: now },
    select: SELECT,
  });
  return toRow(row);
}

/** Changes a gift of this shop; false when the shop has no such gift. */
export async function updateGift(shop: string, id: string, gift: GiftInput, now: Date): Promise<boolean> {
  const { count } = await db.gift.updateMany({ where: { shop, id }, data: { ...stored(gift), updatedAt: now } });
  return count === 1;
}

/** Deactivates (or reactivates) a gift; gifts are never deleted, so the history keeps naming them. */
export async function setGiftActive(shop: string, id: string, active: boolean, now: Date): Promise<boolean> {
  const { count } = await db.gift.updateMany({ where: { shop, id }, data: { active, updatedAt: now } });
  return count === 1;
}

const stored = (gift: GiftInput) => ({
  name: gift.name,
  sku: gift.sku,
  kinds: JSON.stringify(gift.kinds),
  tierHandles: JSON.stringify(gift.tierHandles),
  costMinor: gift.costMinor,
  active: gift.active,
});

// ------------------------------------------------------------- gifts given

export interface GiftGivenRow {
  id: number;
  giftId: string;
  giftName: string;
  costMinor: number;
  orderShopifyId: string;
  reason: GiftReason;
  dueKey: string;
  rewardId: string | null;
  givenAt: Date;
  noteWrittenAt: Date | null;
  noteError: string | null;
}

const GIVEN_SELECT = { id: true, giftId: true, giftName: true, costMinor: true, orderShopifyId: true, reason: true, dueKey: true, rewardId: true, givenAt: true, noteWrittenAt: true, noteError: true } as const;

/** A member's gifts, newest first (rotation history, the timeline). */
export async function giftsGiven(shop: string, customerShopifyId: string, client: Prisma.TransactionClient = db): Promise<GiftGivenRow[]> {
  const rows = await client.giftGiven.findMany({ where: { shop, customerShopifyId }, orderBy: [{ givenAt: "desc" }, { id: "desc" }], select: GIVEN_SELECT });
  return rows.map((row) => ({ ...row, reason: row.reason as GiftReason }));
}

/** The gifts that went into one order's parcel. */
export async function giftsForOrder(shop: string, orderShopifyId: string): Promise<GiftGivenRow[]> {
  const rows = await db.giftGiven.findMany({ where: { shop, orderShopifyId }, orderBy: { id: "asc" }, select: GIVEN_SELECT });
  return rows.map((row) => ({ ...row, reason: row.reason as GiftReason }));
}

/**
 * Records a gift for an order and a due thing. False when that due thing was
 * already given (a redelivered webhook) or that gift is already in that order:
 * the unique keys decide, so two workers cannot both give it.
 */
export async function recordGiftGiven(
  shop: string,
  given: { customerShopifyId: string; giftId: string; giftName: string; costMinor: number; orderShopifyId: string; reason: GiftReason; dueKey: string; rewardId: string | null; givenAt: Date },
  tx: Prisma.TransactionClient = db,
): Promise<boolean> {
  const count = await tx.$executeRaw`
    INSERT INTO "GiftGiven" ("shop", "customerShopifyId", "giftId", "giftName", "costMinor", "orderShopifyId", "reason", "dueKey", "rewardId", "givenAt")
    VALUES (${shop}, ${given.customerShopifyId}, ${given.giftId}, ${given.giftName}, ${given.costMinor}, ${given.orderShopifyId}, ${given.reason}, ${given.dueKey}, ${given.rewardId}, ${given.givenAt})
    ON CONFLICT DO NOTHING`;
  return count === 1;
}

/** The packing note is on the Shopify order (or Shopify refused it, with its reason). */
export async function markGiftNotes(shop: string, orderShopifyId: string, outcome: { writtenAt: Date } | { error: string }): Promise<void> {
  await db.giftGiven.updateMany({
    where: { shop, orderShopifyId },
    data: "writtenAt" in outcome ? { noteWrittenAt: outcome.writtenAt, noteError: null } : { noteError: outcome.error.slice(0, 500) },
  });
}

// ------------------------------------------------------------- what members are due, for the order hook

export interface GiftCandidate {
  customerShopifyId: string;
  order: { shopifyId: string; processedAt: Date };
  timeZone: string | null;
  tierHandle: string | null;
  birthday: string | null;
  lastUpgrade: { id: number; toHandle: string; at: Date } | null;
  pendingGiftRewards: Array<{ id: string; giftId: string | null }>;
}

const OPEN_WITHIN_MS = 30 * 86_400_000;

/**
 * For each of these customers, their newest open order (not cancelled, not a
 * test, not yet fulfilled, placed in the last 30 days: its parcel is still to
 * be packed) and what decides the gifts it carries. Customers without one are
 * left out. A few set-based reads per batch.
 */
export async function giftCandidates(shop: string, customerShopifyIds: string[], now: Date): Promise<GiftCandidate[]> {
  // A chunk at a time: a refresh of many members at once (a history import)
  // would pass SQLite's limit of bound values in one IN list.
  const found: GiftCandidate[] = [];
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) found.push(...(await giftCandidatesAmong(shop, ids, now)));
  return found;
}

async function giftCandidatesAmong(shop: string, customerShopifyIds: string[], now: Date): Promise<GiftCandidate[]> {
  if (customerShopifyIds.length === 0) return [];
  const orders = await db.order.findMany({
    where: {
      shop,
      customerShopifyId: { in: customerShopifyIds },
      countsAsPurchase: true,
      processedAt: { gte: new Date(now.getTime() - OPEN_WITHIN_MS) },
      OR: [{ fulfillmentStatus: null }, { fulfillmentStatus: { in: ["unfulfilled", "partial", "UNFULFILLED", "PARTIALLY_FULFILLED"] } }],
    },
    orderBy: [{ processedAt: "desc" }, { shopifyId: "desc" }],
    select: { shopifyId: true, customerShopifyId: true, processedAt: true },
  });
  const newest = new Map<string, { shopifyId: string; processedAt: Date }>();
  for (const order of orders) if (order.customerShopifyId && !newest.has(order.customerShopifyId)) newest.set(order.customerShopifyId, order);
  const ids = [...newest.keys()];
  if (ids.length === 0) return [];
  const [customers, tiers, files, upgrades, rewards] = await Promise.all([
    db.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, timeZone: true } }),
    db.memberTier.findMany({ where: { shop, customerShopifyId: { in: ids } }, select: { customerShopifyId: true, tierHandle: true } }),
    db.customerFile.findMany({ where: { shop, customerShopifyId: { in: ids } }, select: { customerShopifyId: true, birthday: true } }),
    db.tierChange.findMany({ where: { shop, customerShopifyId: { in: ids }, action: "upgrade" }, orderBy: { id: "desc" }, select: { id: true, customerShopifyId: true, toHandle: true, at: true } }),
    db.reward.findMany({ where: { shop, customerShopifyId: { in: ids }, kind: "gift", status: "pending" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, customerShopifyId: true, giftId: true } }),
  ]);
  const by = <T extends { customerShopifyId: string }>(rows: T[]) => {
    const map = new Map<string, T>();
    for (const row of rows) if (!map.has(row.customerShopifyId)) map.set(row.customerShopifyId, row);
    return map;
  };
  const zones = new Map(customers.map((row) => [row.shopifyId, row.timeZone]));
  const tierOf = by(tiers);
  const fileOf = by(files);
  const upgradeOf = by(upgrades);
  return ids.map((customerShopifyId) => ({
    customerShopifyId,
    order: newest.get(customerShopifyId)!,
    timeZone: zones.get(customerShopifyId) ?? null,
    tierHandle: tierOf.get(customerShopifyId)?.tierHandle ?? null,
    birthday: fileOf.get(customerShopifyId)?.birthday ?? null,
    lastUpgrade: upgradeOf.get(customerShopifyId) ?? null,
    pendingGiftRewards: rewards.filter((reward) => reward.customerShopifyId === customerShopifyId).map((reward) => ({ id: reward.id, giftId: reward.giftId })),
  }));
}

/** The order's place among the member's purchases (orders the purchase ledger counts), by when they were placed. */
export async function orderNumber(shop: string, customerShopifyId: string, order: { shopifyId: string; processedAt: Date }): Promise<number> {
  return db.order.count({ where: { shop, customerShopifyId, countsAsPurchase: true, processedAt: { lte: order.processedAt } } });
}

/** A staff gift went into a parcel: the reward is issued (only from pending, so a cancelled one stays cancelled). */
export async function markGiftRewardIssued(shop: string, rewardId: string, now: Date): Promise<void> {
  await db.reward.updateMany({ where: { shop, id: rewardId, status: "pending" }, data: { status: "issued", updatedAt: now } });
}

/** Whether any gift of this order still waits for its packing note. */
export async function orderHasUnwrittenGiftNote(shop: string, orderShopifyId: string): Promise<boolean> {
  return (await db.giftGiven.count({ where: { shop, orderShopifyId, noteWrittenAt: null, noteError: null } })) > 0;
}

// ------------------------------------------------------------- privacy

/** A data request: the gifts that went into the customer's parcels. */
export async function customerGiftsExport(shop: string, customerShopifyId: string) {
  return db.giftGiven.findMany({ where: { shop, customerShopifyId }, orderBy: [{ givenAt: "asc" }, { id: "asc" }] });
}

/** customers/redact: which gifts a person got (a birthday among them) goes with them. */
export async function eraseCustomerGifts(shop: string, customerShopifyId: string): Promise<number> {
  return (await db.giftGiven.deleteMany({ where: { shop, customerShopifyId } })).count;
}

/** shop/redact: the gift list and every gift given. */
export async function eraseShopGifts(shop: string): Promise<number> {
  const given = await db.giftGiven.deleteMany({ where: { shop } });
  await db.gift.deleteMany({ where: { shop } });
  return given.count;
}

/**
 * Gifts of these customers' orders cancelled before they were packed (in the
 * last 30 days) are taken back: the member is due them again, so the next
 * order carries them, and a staff gift waits again. Returns how many.
 */
export async function releaseGiftsOfCancelledOrders(shop: string, customerShopifyIds: string[], now: Date): Promise<number> {
  if (customerShopifyIds.length === 0) return 0;
  const cancelled = await db.order.findMany({
    where: { shop, customerShopifyId: { in: customerShopifyIds }, cancelledAt: { not: null }, processedAt: { gte: new Date(now.getTime() - OPEN_WITHIN_MS) } },
    select: { shopifyId: true },
  });
  if (cancelled.length === 0) return 0;
  const given = await db.giftGiven.findMany({ where: { shop, orderShopifyId: { in: cancelled.map((order) => order.shopifyId) } }, select: { id: true, rewardId: true } });
  if (given.length === 0) return 0;
  await db.giftGiven.deleteMany({ where: { shop, id: { in: given.map((row) => row.id) } } });
  const rewardIds = given.flatMap((row) => (row.rewardId ? [row.rewardId] : []));
  if (rewardIds.length > 0) await db.reward.updateMany({ where: { shop, id: { in: rewardIds }, status: "issued" }, data: { status: "pending", updatedAt: now } });
  return given.length;
}
