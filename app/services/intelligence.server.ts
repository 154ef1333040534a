/**
 * Customer intelligence (issue 7): classification per shop, recomputed nightly
 * and on each order event.
 *
 * - `classifyShop` (nightly, and after a settings change): RFM scores and
 *   segments, value classes, product and shop intervals, cadence and lifecycle
 *   for every customer of the shop. Quintiles and revenue shares are relative to
 *   the whole shop, so they need every customer at once: the shop is read page
 *   by page into typed-array columns (a few dozen bytes per customer and per
 *   purchase, so 200,000 customers take tens of MB), scored by the pure batch
 *   functions, and written back in chunks.
 * - `classifyMembers` (after each inbox batch, inside the member refresh):
 *   cadence, lifecycle and first delivery of the given customers only, with the
 *   intervals the last nightly run learned. Their RFM scores and value class
 *   stay as the night set them: re-scoring one customer against the others'
 *   night-old values would mix two moments, and re-scoring everyone on each
 *   order would cost a whole-shop pass per webhook. A new order shows at once
 *   in the stage and the next expected order; the scores follow that night.
 */
import {
  classifyValueBatch,
  customerCadence,
  customerPrior,
  learnProductIntervals,
  learnShopInterval,
  lifecycleStage,
  nextStageChange,
  scoreRfmBatch,
  rfmScoreAt,
  unscoredSegment,
  valueClassAt,
  type IntelligenceSettings,
  type ProductInterval,
  type ShopInterval,
} from "~/domain/intelligence";
import { localDate } from "~/domain/local-time";
import { orderGapsDays } from "~/domain/member-facts";
import { DAY_MS } from "~/domain/intelligence/shared";
import {
  CLASSIFICATION_PAGE,
  classificationFacts,
  getIntelligenceContext,
  liveCustomerIdPages,
  membersRefreshedSince,
  productIntervals,
  replaceProductIntervals,
  saveClassifications,
  saveShopInterval,
  type ClassificationFacts,
  type MemberLifecycleRow,
  type MemberRfmRow,
} from "~/models/intelligence.server";
import { classificationCounts, saveIntelSnapshot } from "~/models/dashboard.server";
import { withShopLock } from "~/models/locks.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";

// ------------------------------------------------------------- one customer, compact

/** What the classification keeps of one customer: no order objects. */
interface Compact {
  orderCount: number;
  firstOrderAtMs: number; // NaN: none
  lastOrderAtMs: number;
  gapsDays: number[];
  window: { orders: number; spendMinor: number; lastAtMs: number };
  firstDeliveredAtMs: number;
}

/** Member facts' order count, first and last order and gaps, and the RFM window's values, from the page's aggregates. */
function compactOf(facts: ClassificationFacts): Compact {
  const times = facts.orderTimesMs;
  return {
    orderCount: times.length,
    firstOrderAtMs: times.length ? times[0] : NaN,
    lastOrderAtMs: times.length ? times[times.length - 1] : NaN,
    gapsDays: orderGapsDays(times),
    window: { orders: facts.windowOrders, spendMinor: facts.windowSpendMinor, lastAtMs: facts.windowOrders > 0 ? facts.windowLastMs : NaN },
    firstDeliveredAtMs: facts.firstDeliveredMs,
  };
}

/** The RFM window ending at `now`, (now - windowDays, now], in ms (see `inWindow`). */
const rfmWindow = (now: Date, settings: IntelligenceSettings): [number, number] => [+now - settings.rfm.windowDays * DAY_MS, +now];

const dateOf = (ms: number) => (Number.isNaN(ms) ? null : new Date(ms));

/** Cadence and lifecycle of one customer from their compact facts and the shop's learned intervals. */
function lifecycleRow(
  customerShopifyId: string,
  c: { orderCount: number; firstOrderAtMs: number; lastOrderAtMs: number; gapsDays: ArrayLike<number>; firstDeliveredAtMs: number; productCounts: Map<string | number, number> },
  products: ReadonlyMap<string | number, ProductInterval>,
  shopInterval: ShopInterval,
  settings: IntelligenceSettings,
  now: Date,
): MemberLifecycleRow {
  const lastOrderAt = dateOf(c.lastOrderAtMs);
  const firstDeliveredAt = dateOf(c.firstDeliveredAtMs);
  if (c.orderCount === 0 || !lastOrderAt) {
    return { customerShopifyId, cadenceDays: null, nextOrderAt: null, reminderAt: null, lifecycleStage: "prospect", stageChangesAt: null, nextStage: null, firstDeliveredAt };
  }
  const prior = customerPrior(c.productCounts, products, shopInterval, settings.cadence);
  const cadence = customerCadence({ gapsDays: c.gapsDays, lastOrderAt }, prior, settings.cadence);
  const facts = { orderCount: c.orderCount, firstOrderAt: dateOf(c.firstOrderAtMs), lastOrderAt, firstDeliveredAt, intervalDays: cadence.intervalDays };
  const next = nextStageChange(facts, now, settings.lifecycle);
  return {
    customerShopifyId,
    cadenceDays: cadence.intervalDays,
    nextOrderAt: cadence.nextOrderAt,
    reminderAt: cadence.reminderAt,
    lifecycleStage: lifecycleStage(facts, now, settings.lifecycle),
    stageChangesAt: next?.at ?? null,
    nextStage: next?.stage ?? null,
    firstDeliveredAt,
  };
}

function productCountsOf(purchases: Iterable<string | number>): Map<string | number, number> {
  const counts = new Map<string | number, number>();
  for (const product of purchases) counts.set(product, (counts.get(product) ?? 0) + 1);
  return counts;
}

// ------------------------------------------------------------- after order events

/**
 * Recomputes cadence, lifecycle and first delivery for these customers, with
 * the product and shop intervals the last nightly run learned; RFM and value
 * class are left as the night set them (see the top of this file). Called by
 * the member refresh inside its shop lock: it takes no lock itself.
 */
export async function classifyMembers(shop: string, customerShopifyIds: Iterable<string>, now: Date): Promise<number> {
  const ids = [...new Set(customerShopifyIds)];
  if (ids.length === 0) return 0;
  const [context, products] = await Promise.all([getIntelligenceContext(shop), productIntervals(shop)]);
  let written = 0;
  for (const page of chunks(ids, MAX_IN_LIST)) {
    const facts = await classificationFacts(shop, { ids: page }, ...rfmWindow(now, context.settings));
    const rows = [...facts].map(([id, f]) => lifecycleRow(id, { ...compactOf(f), productCounts: productCountsOf(f.purchaseProducts) }, products, context.shopInterval, context.settings, now));
    await saveClassifications(shop, rows, now, { rfm: false });
    written += rows.length;
  }
  return written;
}

// ------------------------------------------------------------- the whole shop

/** A growable typed column. */
class Column<T extends Float64Array | Uint32Array> {
  length = 0;
  constructor(public data: T) {}
  push(value: number) {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
const f64 = (n = 1024) => new Column(new Float64Array(n));
const u32 = (n = 1024) => new Column(new Uint32Array(n));

export interface ShopClassification {
  shop: string;
  customers: number;
  scored: number;
  segments: Record<string, number>;
  valueClasses: Record<string, number>;
  stages: Record<string, number>;
  productIntervals: number;
  shopInterval: ShopInterval;
  /** Members refreshed by order events while the run was reading, classified again at its end. */
  reclassified: number;
}

const NO_ORDERS: ClassificationFacts = { orderTimesMs: [], windowOrders: 0, windowSpendMinor: 0, windowLastMs: NaN, firstDeliveredMs: NaN, purchaseProducts: [], purchaseTimesMs: [] };

const tally = (counts: Record<string, number>, key: string | null) => {
  if (key !== null) counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Classifies every live customer of the shop at `now`. The caller holds the
 * night's claim (the sweep) or asked explicitly (the CLI). Runs without the
 * members lock, so order events keep flowing; a member refreshed while it read
 * is classified again from fresh rows at the end, under the lock.
 */
export async function classifyShop(shop: string, now: Date): Promise<ShopClassification> {
  const context = await getIntelligenceContext(shop);
  const { settings } = context;

  // 1. Read the shop page by page into columns: per page of customers (a
  // keyset range of ids), two aggregate statements, one row per customer.
  const ids: string[] = [];
  const orderCount = u32(), firstOrderAt = f64(), lastOrderAt = f64(), firstDeliveredAt = f64();
  const winOrders = u32(), winSpend = f64(), winLast = f64();
  const gapStart = u32(), gaps = f64();
  const purchaseStart = u32(), purchaseCustomer = u32(), purchaseProduct = u32(), purchaseAt = f64();
  const productCode = new Map<string, number>();
  const productNames: string[] = [];
  const [windowStart, windowEnd] = rfmWindow(now, settings);
  for await (const page of liveCustomerIdPages(shop, CLASSIFICATION_PAGE)) {
    const facts = await classificationFacts(shop, { first: page[0], last: page[page.length - 1] }, windowStart, windowEnd);
    for (const id of page) {
      const f = facts.get(id) ?? NO_ORDERS;
      const c = compactOf(f);
      const index = ids.length;
      ids.push(id);
      orderCount.push(c.orderCount);
      firstOrderAt.push(c.firstOrderAtMs);
      lastOrderAt.push(c.lastOrderAtMs);
      firstDeliveredAt.push(c.firstDeliveredAtMs);
      winOrders.push(c.window.orders);
      winSpend.push(c.window.spendMinor);
      winLast.push(c.window.lastAtMs);
      gapStart.push(gaps.length);
      for (const gap of c.gapsDays) gaps.push(gap);
      purchaseStart.push(purchaseAt.length);
      for (let k = 0; k < f.purchaseProducts.length; k++) {
        const product = f.purchaseProducts[k];
        let code = productCode.get(product);
        if (code === undefined) {
          code = productNames.length;
          productCode.set(product, code);
          productNames.push(product);
        }
        purchaseCustomer.push(index);
        purchaseProduct.push(code);
        purchaseAt.push(f.purchaseTimesMs[k]);
      }
    }
  }
  gapStart.push(gaps.length);
  purchaseStart.push(purchaseAt.length);
  const n = ids.length;
  const gapsOf = (i: number) => gaps.data.subarray(gapStart.data[i], gapStart.data[i + 1]);

  // 2. Learn the shop's intervals and score the shop.
  const byCode = learnProductIntervals({ customer: purchaseCustomer.view(), product: purchaseProduct.view(), atMs: purchaseAt.view() }, settings.cadence);
  function* gapLists() {
    for (let i = 0; i < n; i++) yield gapsOf(i);
  }
  const shopInterval = learnShopInterval(gapLists(), settings.cadence);
  const rfmColumns = { lastOrderAtMs: winLast.view(), ordersInWindow: winOrders.view(), netSpendInWindowMinor: winSpend.view() };
  const rfm = scoreRfmBatch(rfmColumns, now, settings.rfm);
  const values = classifyValueBatch(rfmColumns, settings.valueClass);

  // 3. Write back in chunks, each customer's row built only for its chunk.
  const summary: ShopClassification = { shop, customers: n, scored: rfm.scored, segments: {}, valueClasses: {}, stages: {}, productIntervals: 0, shopInterval, reclassified: 0 };
  const WRITE_CHUNK = CLASSIFICATION_PAGE;
  for (let from = 0; from < n; from += WRITE_CHUNK) {
    const rows: Array<MemberLifecycleRow & MemberRfmRow> = [];
    for (let i = from; i < Math.min(n, from + WRITE_CHUNK); i++) {
      const products = purchaseProduct.data.subarray(purchaseStart.data[i], purchaseStart.data[i + 1]);
      const life = lifecycleRow(
        ids[i],
        { orderCount: orderCount.data[i], firstOrderAtMs: firstOrderAt.data[i], lastOrderAtMs: lastOrderAt.data[i], gapsDays: gapsOf(i), firstDeliveredAtMs: firstDeliveredAt.data[i], productCounts: productCountsOf(products) },
        byCode,
        shopInterval,
        settings,
        now,
      );
      const score = rfmScoreAt(rfm, i);
      const segment = score?.segment ?? unscoredSegment(orderCount.data[i] > 0);
      const valueClass = valueClassAt(values, i);
      tally(summary.segments, segment);
      tally(summary.valueClasses, valueClass);
      tally(summary.stages, life.lifecycleStage);
      rows.push({ ...life, rfmRecency: score?.recency ?? null, rfmFrequency: score?.frequency ?? null, rfmMonetary: score?.monetary ?? null, rfmSegment: segment, valueClass });
    }
    await saveClassifications(shop, rows, now, { rfm: true });
  }

  const learned = new Map<string, ProductInterval>();
  for (const [code, interval] of byCode) learned.set(productNames[code as number], interval);
  await replaceProductIntervals(shop, learned, now);
  await saveShopInterval(shop, shopInterval);
  summary.productIntervals = [...learned.values()].filter((interval) => interval.days !== null).length;

  // 4. Members whose facts changed while this run read: again, from fresh rows.
  summary.reclassified = await withShopLock("members", shop, async () => classifyMembers(shop, await membersRefreshedSince(shop, now), now));

  // 5. The day's members per stage, as they stand after step 4, for the dashboard's trend.
  await saveIntelSnapshot(shop, localDate(now, context.timeZone), (await classificationCounts(shop)).stages, now);
  return summary;
}

