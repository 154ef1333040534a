// Customer intelligence storage (issue 7): what the classification reads per
// page of customers, the shop's settings and learned intervals, and the
// set-based writes of the results. Every function takes `shop`.
import db from "~/db.server";
import { CLASSIFICATION_SECTIONS, DEFAULT_INTELLIGENCE_SETTINGS, parseIntelligenceSettings, type IntelligenceSettings, type ProductInterval, type ShopInterval } from "~/domain/intelligence";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { distinctList, empty, epochMs, join, jsonField, jsonRows, raw, sql, stringAgg, typed } from "./sql.server";

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
 * Stores valid settings and, when a threshold the classification reads
 * changed, clears the nightly claim, so the next sweep reclassifies the whole
 * shop with them (quintile-free parts of a member change at their next order
 * anyway). The follow-up list's settings alone (the team's daily capacity,
 * say) do not make a 200,000-customer shop be classified again.
 */
export async function saveIntelligenceSettings(shop: string, settings: IntelligenceSettings): Promise<void> {
  const intelSettings = JSON.stringify(settings);
  const before = (await getIntelligenceContext(shop)).settings;
  const reclassify = CLASSIFICATION_SECTIONS.some((section) => JSON.stringify(before[section]) !== JSON.stringify(settings[section]));
  await db.shop.upsert({ where: { shop }, create: { shop, intelSettings }, update: { intelSettings, ...(reclassify ? { intelClassifiedAt: null } : {}) } });
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

/**
 * What the classification needs of one customer, as SQL aggregates give it
 * (no object per order): member facts' counted orders (not cancelled, not
 * voided, something left after refunds, or free) and what derives from them.
 */
export interface ClassificationFacts {
  /** Counted orders' processed times (ms), in member facts' order: time, then id. */
  orderTimesMs: number[];
  /** Counted orders in the RFM window (start, end], their net spend and the last one (NaN: none). */
  windowOrders: number;
  windowSpendMinor: number;
  windowLastMs: number;
  /** The first counted order's earliest delivery (NaN: not delivered). */
  firstDeliveredMs: number;
  /** One entry per counted order and product on it (gift cards and lines without a product left out): the product and the order's time. */
  purchaseProducts: string[];
  purchaseTimesMs: number[];
}

/** A page of customers: a keyset range of Shopify ids (whole-shop run), or a list of at most MAX_IN_LIST ids. */
export type CustomerPage = { first: string; last: string } | { ids: string[] };

/**
 * Customers per page of the whole-shop run (read as one range of ids, so not
 * held to MAX_IN_LIST; written as one UPDATE): big enough that a page's
 * statements cost far more than their round trips.
 */
export const CLASSIFICATION_PAGE = 2000;

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

const BIGINT = (value: number) => sql`CAST(${value} AS BIGINT)`;

const numbers = (list: unknown): number[] => (typeof list === "string" && list !== "" ? list.split(",").map(Number) : []);
const msOrNaN = (value: unknown) => (value === null || value === undefined ? NaN : Number(value));

/**
 * Everything the classification needs about a page of customers, in one
 * aggregate statement with one row per customer, lists as joined text. Every
 * customer of a list page is in the result; a range page's customers without
 * counted orders are not. The RFM window is (windowStartMs, windowEndMs].
 *
 * The page's orders come by range or list on the order index's
 * (shop, customerShopifyId) prefix; orders of customers outside the page in
 * that range (deleted ones) come too and are dropped by the caller. `counted`
 * is materialised: SQLite would otherwise copy the refunds subquery into both
 * places `net` is used.
 */
export async function classificationFacts(shop: string, page: CustomerPage, windowStartMs: number, windowEndMs: number): Promise<Map<string, ClassificationFacts>> {
  const facts = new Map<string, ClassificationFacts>();
  const entry = (customer: string) => {
    let f = facts.get(customer);
    if (!f) facts.set(customer, (f = { orderTimesMs: [], windowOrders: 0, windowSpendMinor: 0, windowLastMs: NaN, firstDeliveredMs: NaN, purchaseProducts: [], purchaseTimesMs: [] }));
    return f;
  };
  if ("ids" in page) {
    if (page.ids.length === 0) return facts;
    for (const id of page.ids) entry(id);
  }
  const customers = "ids" in page ? sql`o."customerShopifyId" IN (${join(page.ids)})` : sql`o."customerShopifyId" >= ${page.first} AND o."customerShopifyId" <= ${page.last}`;
  const inWindow = sql`"at" > ${BIGINT(windowStartMs)} AND "at" <= ${BIGINT(windowEndMs)}`;
  // Per counted order: its products, each once (an order may hold one on
  // several lines; gift cards and lines the order no longer holds after an
  // edit or a return left out, lines without a product skipped by
  // the aggregate), and its earliest delivery. Neither subquery filters on
  // "not null": SQLite without statistics would answer that by walking the
  // (shop, productShopifyId) or (shop, deliveredAt) index instead of looking
  // the order up (bench:intel), which is also why the delivery's MIN is over
  // an expression.
  const rows = await db.$queryRaw<Array<Record<string, unknown>>>`
    WITH counted AS MATERIALIZED (
      SELECT o."id" AS "orderId", o."shopifyId" AS "id", o."customerShopifyId" AS "customer", ${epochMs(sql`o."processedAt"`)} AS "at", o."netSpendMinor" AS "net"
      FROM "Order" o
      WHERE o."shop" = ${shop} AND ${customers} AND o."countsAsPurchase" = ${true}
    ), ranked AS (
      SELECT counted.*, ROW_NUMBER() OVER (PARTITION BY "customer" ORDER BY "at", "id") AS "nth",
             (SELECT ${distinctList(sql`l."productShopifyId"`)} FROM "OrderLine" l WHERE l."orderId" = counted."orderId" AND l."giftCard" = false AND COALESCE(l."currentQuantity", l."quantity") > 0) AS "products"
      FROM counted
    )
    SELECT "customer",
           ${stringAgg(sql`CAST("at" AS TEXT)`, ",", sql`"at", "id"`)} AS "times",
           SUM(CASE WHEN ${inWindow} THEN 1 ELSE 0 END) AS "windowOrders",
           SUM(CASE WHEN ${inWindow} AND "net" > 0 THEN "net" ELSE 0 END) AS "windowSpend",
           MAX(CASE WHEN ${inWindow} THEN "at" END) AS "windowLast",
           MIN(CASE WHEN "nth" = 1 THEN (SELECT MIN(${epochMs(sql`f."deliveredAt"`)}) FROM "Fulfillment" f WHERE f."shop" = ${shop} AND f."orderShopifyId" = ranked."id") END) AS "firstDelivered",
           ${stringAgg(sql`CAST("at" AS TEXT) || ':' || "products"`, ";")} AS "purchases"
    FROM ranked GROUP BY "customer"`;
  for (const row of rows) {
    const f = entry(String(row.customer));
    f.orderTimesMs = numbers(row.times);
    f.windowOrders = Number(row.windowOrders);
    f.windowSpendMinor = Number(row.windowSpend);
    f.windowLastMs = msOrNaN(row.windowLast);
    f.firstDeliveredMs = msOrNaN(row.firstDelivered);
    // "time:product,product;time:product…": products are Shopify ids (digits).
    if (typeof row.purchases !== "string") continue;
    for (const order of row.purchases.split(";")) {
      const colon = order.indexOf(":");
      const at = Number(order.slice(0, colon));
      for (const product of order.slice(colon + 1).split(",")) {
        f.purchaseProducts.push(product);
        f.purchaseTimesMs.push(at);
      }
    }
  }
  return facts;
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
 * Stores classifications set-based: one UPDATE per chunk of rows, joined to
 * the rows as one JSON parameter (an UPDATE ... FROM, on both databases), so
 * a chunk is one statement with three parameters whatever its size. With
 * `rfm` rows (the nightly run) the scores and `classifiedAt` are written too;
 * without, they are left as the last nightly run set them.
 */
export async function saveClassifications(shop: string, rows: Array<MemberLifecycleRow | (MemberLifecycleRow & MemberRfmRow)>, now: Date, { rfm }: { rfm: boolean }): Promise<void> {
  const columns = (rfm ? [...LIFECYCLE_COLUMNS, ...RFM_COLUMNS] : LIFECYCLE_COLUMNS) as Array<Column<MemberLifecycleRow & MemberRfmRow>>;
  const sets = columns.map(([column, type], i) => sql`${raw(`"${column}"`)} = ${jsonField("row", i + 2, type)}`);
  for (const part of chunks(rows as Array<MemberLifecycleRow & MemberRfmRow>, ROWS_PER_UPDATE)) {
    const values = part.map((row) => [shop, row.customerShopifyId, ...columns.map(([, , value]) => value(row))]);
    // Each row carries the shop, and the Customer is matched on both of its
    // unique index's columns from the row: SQLite (without statistics)
    // otherwise walks the shop's customers and scans the JSON for each,
    // quadratic in the chunk; this way it reads the rows and looks each
    // customer up. The shop is still checked against the caller's.
    await db.$executeRaw`UPDATE "Customer" SET ${join(sets, ", ")}, "lifecycleAt" = ${now}${rfm ? sql`, "classifiedAt" = ${now}` : empty}
      FROM ${jsonRows(values, "row")}
      WHERE "Customer"."shop" = ${jsonField("row", 0, "TEXT")} AND "Customer"."shopifyId" = ${jsonField("row", 1, "TEXT")}
        AND ${jsonField("row", 0, "TEXT")} = ${shop} AND "Customer"."deletedAt" IS NULL`;
  }
}

// Rows per UPDATE: a page of the whole-shop run, one JSON parameter of a few hundred KB.
const ROWS_PER_UPDATE = CLASSIFICATION_PAGE;

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
