// Customer intelligence storage (issue 7): what the classification reads per
// page of customers, the shop's settings and learned intervals, and the
// set-based writes of the results. Every function takes `shop`.
import db from "~/db.server";
import type { FactOrder, FactRefund } from "~/domain/member-facts";
import { DEFAULT_INTELLIGENCE_SETTINGS, parseIntelligenceSettings, type IntelligenceSettings, type ProductInterval, type ShopInterval } from "~/domain/intelligence";
import { factInputs } from "./orders.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { empty, join, raw, sql, typed } from "./sql.server";

// ------------------------------------------------------------- settings and the shop

export interface IntelligenceContext {
  settings: IntelligenceSettings;
  /** Settings stored but no longer valid (a bound changed): defaults are used, and this says so. */
  settingsInvalid: boolean;
  shopInterval: ShopInterval;
  classifiedAt: Date | null;
  timeZone: string;
}

export async function getIntelligenceContext(shop: string): Promise<IntelligenceContext> {
  const row = await db.shop.findUnique({
    where: { shop },
    select: { intelSettings: true, intelClassifiedAt: true, intelShopIntervalDays: true, intelShopIntervalGaps: true, ianaTimezone: true },
  });
  let settings: IntelligenceSettings = DEFAULT_INTELLIGENCE_SETTINGS;
  let settingsInvalid = false;
  if (row?.intelSettings) {
    let stored: unknown = null;
    try {
      stored = JSON.parse(row.intelSettings);
    } catch {
      stored = undefined;
    }
    const parsed = stored === undefined ? null : parseIntelligenceSettings(stored);
    if (parsed?.ok) settings = parsed.settings;
    else settingsInvalid = true;
  }
  return {
    settings,
    settingsInvalid,
    shopInterval: { days: row?.intelShopIntervalDays ?? null, gaps: row?.intelShopIntervalGaps ?? 0 },
    classifiedAt: row?.intelClassifiedAt ?? null,
    timeZone: row?.ianaTimezone ?? "UTC",
  };
}

/**
 * Stores valid settings and clears the nightly claim, so the next sweep
 * reclassifies the whole shop with them (quintile-free parts of a member
 * change at their next order anyway).
 */
export async function saveIntelligenceSettings(shop: string, settings: IntelligenceSettings): Promise<void> {
  const intelSettings = JSON.stringify(settings);
  await db.shop.upsert({ where: { shop }, create: { shop, intelSettings }, update: { intelSettings, intelClassifiedAt: null } });
}

/** Asks for a whole-shop classification at the next sweep (after a history import, say), whatever the day. */
export async function requestClassification(shop: string): Promise<void> {
  await db.shop.updateMany({ where: { shop }, data: { intelClassifiedAt: null } });
}

/** Installed shops and when each was last classified, for the nightly sweep. */
export async function listShopsForClassification(): Promise<Array<{ shop: string; timeZone: string; classifiedAt: Date | null }>> {
  const rows = await db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true, ianaTimezone: true, intelClassifiedAt: true }, orderBy: { shop: "asc" } });
  return rows.map((row) => ({ shop: row.shop, timeZone: row.ianaTimezone, classifiedAt: row.intelClassifiedAt }));
}

/** Takes tonight's run for the caller: compare-and-set on the last run's time, so of several workers one classifies a shop. */
export async function claimClassification(shop: string, classifiedAt: Date | null, now: Date): Promise<boolean> {
  const { count } = await db.shop.updateMany({ where: { shop, intelClassifiedAt: classifiedAt }, data: { intelClassifiedAt: now } });
  return count === 1;
}

export async function saveShopInterval(shop: string, interval: ShopInterval): Promise<void> {
  await db.shop.updateMany({ where: { shop }, data: { intelShopIntervalDays: interval.days, intelShopIntervalGaps: interval.gaps } });
}

// ------------------------------------------------------------- product intervals

export async function productIntervals(shop: string): Promise<Map<string, ProductInterval>> {
  const rows = await db.productInterval.findMany({ where: { shop } });
  return new Map(rows.map((row) => [row.productShopifyId, { days: row.days, gaps: row.gaps, customers: row.customers }]));
}

/** Replaces the shop's learned intervals with this run's. */
export async function replaceProductIntervals(shop: string, intervals: Map<string, ProductInterval>, now: Date): Promise<void> {
  const rows = [...intervals].map(([productShopifyId, interval]) => ({ shop, productShopifyId, ...interval, updatedAt: now }));
  // One batch transaction: a per-order refresh never sees the shop without intervals.
  await db.$transaction([
    db.productInterval.deleteMany({ where: { shop } }),
    ...chunks(rows, PRODUCT_INTERVALS_PER_INSERT).map((part) => db.productInterval.createMany({ data: part })),
  ]);
}

// 6 parameters per row.
const PRODUCT_INTERVALS_PER_INSERT = 150;

// ------------------------------------------------------------- what a page of customers reads

export interface ClassificationInput {
  orders: FactOrder[];
  refunds: FactRefund[];
  /** Per order, the products on it (gift cards left out), each once. */
  productsByOrder: Map<string, string[]>;
  /** Per order, its earliest delivery (orders never delivered are absent). */
  deliveredByOrder: Map<string, Date>;
}

/** The shop's live customers in pages of Shopify ids, in id order (keyset paging). */
export async function* liveCustomerIdPages(shop: string, size = MAX_IN_LIST): AsyncGenerator<string[]> {
  let after = "";
  for (;;) {
    const rows = await db.customer.findMany({ where: { shop, deletedAt: null, shopifyId: { gt: after } }, orderBy: { shopifyId: "asc" }, take: size, select: { shopifyId: true } });
    if (rows.length === 0) return;
    yield rows.map((row) => row.shopifyId);
    after = rows.at(-1)!.shopifyId;
  }
}

/**
 * Everything the classification needs about a page of customers (at most
 * MAX_IN_LIST): their orders and refunds (as member facts read them), the
 * products on each order and each order's delivery. Four queries a page; the
 * objects live only while the page is turned into compact columns.
 */
export async function classificationInputs(shop: string, customerShopifyIds: string[]): Promise<Map<string, ClassificationInput>> {
  const facts = await factInputs(shop, customerShopifyIds);
  const inputs = new Map<string, ClassificationInput>();
  const customerOfOrder = new Map<string, string>();
  for (const [id, { orders, refunds }] of facts) {
    inputs.set(id, { orders, refunds, productsByOrder: new Map(), deliveredByOrder: new Map() });
    for (const order of orders) customerOfOrder.set(order.shopifyId, id);
  }
  for (const orderIds of chunks([...customerOfOrder.keys()], MAX_IN_LIST)) {
    // No "not null" on productShopifyId or deliveredAt in these filters (lines
    // without a product and undelivered fulfillments are skipped below): on
    // SQLite without statistics it makes the planner range-scan the
    // (shop, productShopifyId) and (shop, deliveredAt) indexes, the whole
    // shop's lines or deliveries once per page, instead of looking the page's
    // orders up (bench:intel).
    const [lines, fulfillments] = await Promise.all([
      db.orderLine.findMany({
        where: { shop, giftCard: false, order: { shop, shopifyId: { in: orderIds } } },
        select: { productShopifyId: true, order: { select: { shopifyId: true } } },
      }),
      db.fulfillment.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, select: { orderShopifyId: true, deliveredAt: true } }),
    ]);
    for (const line of lines) {
      if (line.productShopifyId === null) continue;
      const input = inputs.get(customerOfOrder.get(line.order.shopifyId)!)!;
      const products = input.productsByOrder.get(line.order.shopifyId) ?? [];
      if (!products.includes(line.productShopifyId!)) products.push(line.productShopifyId!);
      input.productsByOrder.set(line.order.shopifyId, products);
    }
    for (const fulfillment of fulfillments) {
      if (fulfillment.deliveredAt === null) continue;
      const input = inputs.get(customerOfOrder.get(fulfillment.orderShopifyId)!)!;
      const current = input.deliveredByOrder.get(fulfillment.orderShopifyId);
      if (!current || fulfillment.deliveredAt! < current) input.deliveredByOrder.set(fulfillment.orderShopifyId, fulfillment.deliveredAt!);
    }
  }
  return inputs;
}

/** Customers whose member facts were refreshed at or after `since` (refreshed while a nightly run was reading). */
export async function membersRefreshedSince(shop: string, since: Date): Promise<string[]> {
  const rows = await db.customer.findMany({ where: { shop, deletedAt: null, factsComputedAt: { gte: since } }, select: { shopifyId: true } });
  return rows.map((row) => row.shopifyId);
}

// ------------------------------------------------------------- writes

/** Cadence, lifecycle and first delivery: per customer, written on every classification. */
export interface MemberLifecycleRow {
  customerShopifyId: string;
  cadenceDays: number | null;
  nextOrderAt: Date | null;
  reminderAt: Date | null;
  lifecycleStage: string;
  stageChangesAt: Date | null;
  nextStage: string | null;
  firstDeliveredAt: Date | null;
}

/** Scores relative to the whole shop: written by the nightly run only. */
export interface MemberRfmRow {
  rfmRecency: number | null;
  rfmFrequency: number | null;
  rfmMonetary: number | null;
  rfmSegment: string | null;
  valueClass: string | null;
}

type Column<R> = [string, Parameters<typeof typed>[1], (row: R) => unknown];

const LIFECYCLE_COLUMNS: Array<Column<MemberLifecycleRow>> = [
  ["cadenceDays", "DOUBLE PRECISION", (r) => r.cadenceDays],
  ["nextOrderAt", "TIMESTAMP(3)", (r) => r.nextOrderAt],
  ["reminderAt", "TIMESTAMP(3)", (r) => r.reminderAt],
  ["lifecycleStage", "TEXT", (r) => r.lifecycleStage],
  ["stageChangesAt", "TIMESTAMP(3)", (r) => r.stageChangesAt],
  ["nextStage", "TEXT", (r) => r.nextStage],
  ["firstDeliveredAt", "TIMESTAMP(3)", (r) => r.firstDeliveredAt],
];

const RFM_COLUMNS: Array<Column<MemberLifecycleRow & MemberRfmRow>> = [
  ["rfmRecency", "INTEGER", (r) => r.rfmRecency],
  ["rfmFrequency", "INTEGER", (r) => r.rfmFrequency],
  ["rfmMonetary", "INTEGER", (r) => r.rfmMonetary],
  ["rfmSegment", "TEXT", (r) => r.rfmSegment],
  ["valueClass", "TEXT", (r) => r.valueClass],
];

/**
 * Stores classifications in one statement per chunk, a CASE per column keyed
 * by Shopify id (as saveMemberFacts). With `rfm` rows (the nightly run) the
 * scores and `classifiedAt` are written too; without, they are left as the
 * last nightly run set them.
 */
export async function saveClassifications(shop: string, rows: Array<MemberLifecycleRow | (MemberLifecycleRow & MemberRfmRow)>, now: Date, { rfm }: { rfm: boolean }): Promise<void> {
  const columns = (rfm ? [...LIFECYCLE_COLUMNS, ...RFM_COLUMNS] : LIFECYCLE_COLUMNS) as Array<Column<MemberLifecycleRow & MemberRfmRow>>;
  const perUpdate = Math.floor(MAX_PARAMETERS / (2 * columns.length + 1));
  for (const part of chunks(rows as Array<MemberLifecycleRow & MemberRfmRow>, perUpdate)) {
    const sets = columns.map(
      ([column, type, value]) => sql`${raw(`"${column}"`)} = ${typed(sql`CASE "shopifyId" ${join(part.map((row) => sql`WHEN ${row.customerShopifyId} THEN ${value(row)}`), " ")} END`, type)}`,
    );
    await db.$executeRaw`UPDATE "Customer" SET ${join(sets, ", ")}, "lifecycleAt" = ${now}${rfm ? sql`, "classifiedAt" = ${now}` : empty}
      WHERE "shop" = ${shop} AND "deletedAt" IS NULL AND "shopifyId" IN (${join(part.map((row) => row.customerShopifyId))})`;
  }
}

// Parameters per statement, under the SQLite adapter's 999 with room for the fixed ones.
const MAX_PARAMETERS = 990;

/** One member's stored classification (CLI, member page). */
export async function memberClassification(shop: string, customerShopifyId: string) {
  return db.customer.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } },
    select: {
      shopifyId: true, orderCount: true, netSpentMinor: true, firstOrderAt: true, lastOrderAt: true, orderGapsDays: true,
      rfmRecency: true, rfmFrequency: true, rfmMonetary: true, rfmSegment: true, valueClass: true, classifiedAt: true,
      cadenceDays: true, nextOrderAt: true, reminderAt: true, lifecycleStage: true, stageChangesAt: true, nextStage: true, firstDeliveredAt: true, lifecycleAt: true,
    },
  });
}

/**
 * customers/redact: the classification is a profile of the person (segment,
 * value to the shop, expected next order), so it goes with their personal
 * data. The tombstone is never classified again (deleted customers are skipped).
 */
export const ERASED_CLASSIFICATION = {
  rfmRecency: null,
  rfmFrequency: null,
  rfmMonetary: null,
  rfmSegment: null,
  valueClass: null,
  classifiedAt: null,
  cadenceDays: null,
  nextOrderAt: null,
  reminderAt: null,
  lifecycleStage: null,
  stageChangesAt: null,
  nextStage: null,
  firstDeliveredAt: null,
  lifecycleAt: null,
} as const;
