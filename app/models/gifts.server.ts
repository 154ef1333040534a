// The merchant's gift list and the gifts that went into parcels (issue 10).
// Every function takes `shop` and filters on it.
import type { Prisma } from "@prisma/client";
import db from "~/db.server";
import { parseStringList, type GiftInput, type GiftKind, type GiftReason } from "~/domain/gifts";

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
  tx: Prisma.TransactionClient,
  shop: string,
  given: { customerShopifyId: string; giftId: string; giftName: string; costMinor: number; orderShopifyId: string; reason: GiftReason; dueKey: string; rewardId: string | null; givenAt: Date },
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
