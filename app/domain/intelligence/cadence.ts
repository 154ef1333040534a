/**
 * Purchase cadence: each customer's typical interval between orders, the date
 * their next order is expected, and when a replenishment reminder is due.
 *
 * 1. Gaps are member facts' gaps (days between consecutive counted orders,
 *    ../member-facts.ts). Orders less than `minGapDays` (1) apart are one buying
 *    occasion (a forgotten item, a split order): such a gap is added to the
 *    next one instead of counting on its own.
 * 2. A customer's own interval is the median of their gaps, robust to pauses:
 *    with 3 gaps or more, a gap longer than `outlierFactor` (3) times the median
 *    of the other gaps is left out. Only long gaps are left out (a holiday, a
 *    lapse); short ones cannot drag a median far. With 1 or 2 gaps there is too
 *    little to judge an outlier by, and shrinkage (3) does the work instead.
 * 3. Shrinkage toward a prior, empirical-Bayes style, weighted by the number n
 *    of gaps kept, with k = `shrinkWeight` (2):
 *        interval = (n * ownMedian + k * prior) / (n + k)
 *    1 order (n = 0): the prior; 2 orders (n = 1): 1/3 own, 2/3 prior; 10
 *    orders (n = 9): 82% own. Small shops work from their first repeat order.
 * 4. The prior is what the customer buys: the mean of their products' learned
 *    intervals, weighted by how many of their orders held each product; else
 *    the shop-wide median gap; else `defaultIntervalDays` (60) while the shop
 *    has too little repeat history (fewer than `shopMinGaps` gaps).
 * 5. A product's replenishment interval is learned from repeat purchases of
 *    that product by the same customer across the shop: the median of those
 *    gaps, known once there are `productMinGaps` (5) gaps from at least
 *    `productMinCustomers` (2) customers (so one heavy buyer does not set it).
 * 6. The next order is expected at last order + interval; the replenishment
 *    reminder point is last order + `reminderPercent` (75%) of the interval.
 *
 * Intervals are reported to one decimal of a day; dates follow from that value.
 */
import { DEFAULT_INTELLIGENCE_SETTINGS, type CadenceSettings } from "./settings";
import { DAY_MS, addDays, sortedMedian, tenth, text, type IntelText } from "./shared";

// ------------------------------------------------------------- gaps

/** Gaps with sub-`minGapDays` ones merged into the next gap (a trailing one is dropped: same occasion as the last). */
export function effectiveGaps(gapsDays: ArrayLike<number>, minGapDays: number = DEFAULT_INTELLIGENCE_SETTINGS.cadence.minGapDays): number[] {
  const out: number[] = [];
  let carry = 0;
  for (let i = 0; i < gapsDays.length; i++) {
    carry += gapsDays[i];
    if (carry >= minGapDays && carry > 0) {
      out.push(carry);
      carry = 0;
    }
  }
  return out;
}

export interface RobustMedian {
  /** Null without gaps. */
  medianDays: number | null;
  kept: number;
  /** The gaps left out as outliers, ascending. */
  trimmed: number[];
}

/** The median of the gaps after leaving out long outliers (see step 2 above). */
export function robustMedianGap(gapsDays: ArrayLike<number>, outlierFactor: number = DEFAULT_INTELLIGENCE_SETTINGS.cadence.outlierFactor): RobustMedian {
  const sorted = Float64Array.from(gapsDays).sort();
  const n = sorted.length;
  if (n < 3) return { medianDays: sortedMedian(sorted), kept: n, trimmed: [] };
  // The median of the others, for the gap at sorted index j, without copying.
  const others = (j: number) => {
    const m = n - 1;
    const at = (r: number) => (r < j ? sorted[r] : sorted[r + 1]);
    return m % 2 ? at((m - 1) / 2) : (at(m / 2 - 1) + at(m / 2)) / 2;
  };
  const kept: number[] = [];
  const trimmed: number[] = [];
  for (let j = 0; j < n; j++) (sorted[j] > outlierFactor * others(j) ? trimmed : kept).push(sorted[j]);
  return { medianDays: sortedMedian(kept), kept: kept.length, trimmed };
}

// ------------------------------------------------------------- shop and products

export interface ProductInterval {
  /** Median days between repeat purchases; null until there are enough of them. */
  days: number | null;
  gaps: number;
  customers: number;
}

/**
 * Purchases as columns: entry i is one product on one counted order of one
 * customer (one entry per order and product is enough; more are harmless).
 * Ids may be Shopify ids (strings) or numbers.
 */
export interface PurchaseColumns {
  customer: ArrayLike<string | number>;
  product: ArrayLike<string | number>;
  atMs: ArrayLike<number>;
}

function intern(keys: ArrayLike<string | number>): { codes: Uint32Array; names: Array<string | number> } {
  const map = new Map<string | number, number>();
  const names: Array<string | number> = [];
  const codes = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let code = map.get(keys[i]);
    if (code === undefined) {
      code = names.length;
      map.set(keys[i], code);
      names.push(keys[i]);
    }
    codes[i] = code;
  }
  return { codes, names };
}

/** Every product bought again by the same customer, with its learned interval (step 5). O(m log m) in purchases. */
export function learnProductIntervals(purchases: PurchaseColumns, settings: CadenceSettings = DEFAULT_INTELLIGENCE_SETTINGS.cadence): Map<string | number, ProductInterval> {
  const m = purchases.atMs.length;
  if (purchases.customer.length !== m || purchases.product.length !== m) throw new Error("Purchase columns must have one entry per purchase each");
  const product = intern(purchases.product);
  const customer = intern(purchases.customer).codes;
  const at = purchases.atMs;
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((a, b) => product.codes[a] - product.codes[b] || customer[a] - customer[b] || at[a] - at[b]);

  const gapsByProduct = new Map<number, { gaps: number[]; customers: number }>();
  let i = 0;
  while (i < m) {
    const p = product.codes[order[i]];
    const c = customer[order[i]];
    let last = at[order[i]];
    let j = i + 1;
    let gaps = 0;
    for (; j < m && product.codes[order[j]] === p && customer[order[j]] === c; j++) {
      const gap = (at[order[j]] - last) / DAY_MS;
      if (gap < settings.minGapDays || gap <= 0) continue; // the same buying occasion
      let entry = gapsByProduct.get(p);
      if (!entry) gapsByProduct.set(p, (entry = { gaps: [], customers: 0 }));
      entry.gaps.push(gap);
      if (gaps++ === 0) entry.customers++;
      last = at[order[j]];
    }
    i = j;
  }

  const result = new Map<string | number, ProductInterval>();
  for (const [p, { gaps, customers }] of gapsByProduct) {
    const enough = gaps.length >= settings.productMinGaps && customers >= settings.productMinCustomers;
    const median = enough ? sortedMedian(Float64Array.from(gaps).sort()) : null;
    result.set(product.names[p], { days: median === null ? null : tenth(median), gaps: gaps.length, customers });
  }
  return result;
}

export interface ShopInterval {
  /** The median of all customers' gaps; null with fewer than `shopMinGaps` of them. */
  days: number | null;
  gaps: number;
}

/** The shop-wide median gap, pooled over customers' gaps (member facts' `orderGapsDays`). */
export function learnShopInterval(gapLists: Iterable<ArrayLike<number>>, settings: CadenceSettings = DEFAULT_INTELLIGENCE_SETTINGS.cadence): ShopInterval {
  const pooled: number[] = [];
  for (const gaps of gapLists) for (const gap of effectiveGaps(gaps, settings.minGapDays)) pooled.push(gap);
  if (pooled.length < settings.shopMinGaps) return { days: null, gaps: pooled.length };
  return { days: tenth(sortedMedian(Float64Array.from(pooled).sort())!), gaps: pooled.length };
}

// ------------------------------------------------------------- the customer

export type PriorSource = "products" | "shop" | "default";

export interface Prior {
  days: number;
  source: PriorSource;
}

/**
 * What a customer's interval is shrunk toward (step 4). `productCounts`: the
 * customer's products and how many of their orders held each.
 */
export function customerPrior(
  productCounts: Iterable<readonly [string | number, number]>,
  products: ReadonlyMap<string | number, ProductInterval>,
  shop: ShopInterval,
  settings: CadenceSettings = DEFAULT_INTELLIGENCE_SETTINGS.cadence,
): Prior {
  let weighted = 0;
  let weight = 0;
  for (const [product, count] of productCounts) {
    const days = products.get(product)?.days;
    if (days == null || !(count > 0)) continue;
    weighted += days * count;
    weight += count;
  }
  if (weight > 0) return { days: tenth(weighted / weight), source: "products" };
  if (shop.days !== null) return { days: shop.days, source: "shop" };
  return { days: settings.defaultIntervalDays, source: "default" };
}

export interface Cadence {
  /** The typical interval this customer is expected to keep, days. */
  intervalDays: number;
  /** The robust median of their own gaps (null: a single order). */
  ownMedianDays: number | null;
  /** Gaps the median used, and those left out as outliers. */
  gapsUsed: number;
  gapsTrimmed: number[];
  /** n / (n + k): how much of the interval is the customer's own. */
  ownWeight: number;
  prior: Prior;
  /** Last order + interval; null without orders. */
  nextOrderAt: Date | null;
  /** Last order + reminderPercent of the interval: when the replenishment reminder is due. */
  reminderAt: Date | null;
}

export interface CadenceInput {
  /** Member facts' gaps between consecutive counted orders, in order. */
  gapsDays: ArrayLike<number>;
  lastOrderAt: Date | null;
}

export function customerCadence(input: CadenceInput, prior: Prior, settings: CadenceSettings = DEFAULT_INTELLIGENCE_SETTINGS.cadence): Cadence {
  const robust = robustMedianGap(effectiveGaps(input.gapsDays, settings.minGapDays), settings.outlierFactor);
  const n = robust.medianDays === null ? 0 : robust.kept;
  const k = settings.shrinkWeight;
  const own = robust.medianDays;
  const intervalDays = tenth(n === 0 ? prior.days : (n * own! + k * prior.days) / (n + k));
  return {
    intervalDays,
    ownMedianDays: own === null ? null : tenth(own),
    gapsUsed: n,
    gapsTrimmed: robust.trimmed.map(tenth),
    ownWeight: n === 0 ? 0 : n / (n + k),
    prior,
    nextOrderAt: input.lastOrderAt ? addDays(input.lastOrderAt, intervalDays) : null,
    reminderAt: input.lastOrderAt ? reminderPoint(input.lastOrderAt, intervalDays, settings) : null,
  };
}

/** When a reminder is due for something bought at `from` that lasts `intervalDays` (the customer's cadence or a product's interval). */
export function reminderPoint(from: Date, intervalDays: number, settings: CadenceSettings = DEFAULT_INTELLIGENCE_SETTINGS.cadence): Date {
  return addDays(from, (intervalDays * settings.reminderPercent) / 100);
}

/** Why the interval is what it is, a sentence per ingredient. */
export function explainCadence(cadence: Cadence): IntelText[] {
  const lines = [text("intel.cadence.explain.interval", { days: cadence.intervalDays })];
  if (cadence.ownMedianDays !== null) {
    lines.push(text("intel.cadence.explain.own", { own: cadence.ownMedianDays, gaps: cadence.gapsUsed, weight: Math.round(cadence.ownWeight * 100) }));
  }
  if (cadence.gapsTrimmed.length) lines.push(text("intel.cadence.explain.trimmed", { count: cadence.gapsTrimmed.length, gaps: cadence.gapsTrimmed.join(", ") }));
  if (cadence.ownWeight < 1) lines.push(text(`intel.cadence.explain.prior.${cadence.prior.source}`, { prior: cadence.prior.days }));
  return lines;
}
