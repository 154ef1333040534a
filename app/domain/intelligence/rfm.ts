/**
 * RFM: recency, frequency and monetary scores 1 to 5, by quintile of the shop's
 * customers, over a window (default 365 days) ending at `now`.
 *
 * Values (what member facts count as an order, ../member-facts.ts: not
 * cancelled, not voided, not fully refunded; money is net merchandise in shop
 * currency minor units):
 * - recency: whole days since the customer's last counted order (fewer = better);
 * - frequency: counted orders in the window;
 * - monetary: net spend on the window's counted orders.
 *
 * Who is scored: customers with at least one counted order in the window; the
 * quintiles are taken over them alone. A customer without one has no scores
 * (null): segment `lost` when they ordered before the window, and no segment
 * (a prospect) when they never ordered.
 *
 * Quintile rule (rank-based, ties explicit, stable for small shops): for a
 * customer with value v among the n scored customers, let `below` be how many
 * of the others have a strictly worse value. Then
 *
 *     score = min(5, 1 + floor(5 * below / (n - 1)))
 *
 * i.e. the share of the other customers they beat, cut in fifths.
 * - The worst value always scores 1 and, when values differ, the best scores 5.
 * - Equal values get equal scores: the score of the group's lowest position,
 *   so a big group of equals (the many one-time buyers) is never lifted above
 *   customers who beat it: one order is F 1, not F 2.
 * - n distinct values spread evenly: 100 customers with 1..100 give 20 per
 *   score; 5 customers give 1, 2, 3, 4, 5; 2 customers give 1 and 5.
 * - When every scored customer has the same value (one customer, or everyone
 *   bought exactly once) the value ranks no one: all get the middle score 3.
 *
 * Segments come from R and FM = floor((F + M) / 2) (a customer earns the
 * loyal and champion badges on frequency and spend together), on the grid in
 * SEGMENT_GRID below: the widely used R x F segment map (Champions, Loyal,
 * Potential loyalists, New, Promising, Needs attention, About to sleep, At risk,
 * Can't lose, Hibernating) with Lost carved out of Hibernating at R 1, FM 1.
 *
 * The batch works on columns (one entry per customer, the same index in each)
 * so a shop of 200,000 customers is scored from three arrays in O(n log n),
 * with no object per order or per customer.
 */
import { computeMemberFacts, type FactOrder } from "../member-facts";
import { DEFAULT_INTELLIGENCE_SETTINGS, type RfmSettings } from "./settings";
import { DAY_MS, lowerBound, text, wholeDaysBetween, type IntelText } from "./shared";

export type Score = 1 | 2 | 3 | 4 | 5;

export const RFM_SEGMENTS = ["champions", "loyal", "potentialLoyalist", "new", "promising", "needsAttention", "aboutToSleep", "atRisk", "cantLose", "hibernating", "lost"] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * Segment by R (rows, 5 at the top) and FM (columns 1..5), FM = floor((F+M)/2).
 *
 *            FM 1            FM 2               FM 3               FM 4        FM 5
 *   R 5      new             potentialLoyalist  potentialLoyalist  champions   champions
 *   R 4      promising       potentialLoyalist  potentialLoyalist  loyal       loyal
 *   R 3      aboutToSleep    aboutToSleep       needsAttention     loyal       loyal
 *   R 2      hibernating     hibernating        atRisk             atRisk      cantLose
 *   R 1      lost            hibernating        atRisk             atRisk      cantLose
 */
export const SEGMENT_GRID: Record<Score, readonly [RfmSegment, RfmSegment, RfmSegment, RfmSegment, RfmSegment]> = {
  5: ["new", "potentialLoyalist", "potentialLoyalist", "champions", "champions"],
  4: ["promising", "potentialLoyalist", "potentialLoyalist", "loyal", "loyal"],
  3: ["aboutToSleep", "aboutToSleep", "needsAttention", "loyal", "loyal"],
  2: ["hibernating", "hibernating", "atRisk", "atRisk", "cantLose"],
  1: ["lost", "hibernating", "atRisk", "atRisk", "cantLose"],
};

export interface RfmScore {
  recency: Score;
  frequency: Score;
  monetary: Score;
  segment: RfmSegment;
}

export function rfmSegment(recency: Score, frequency: Score, monetary: Score): RfmSegment {
  return SEGMENT_GRID[recency][Math.floor((frequency + monetary) / 2) - 1];
}

/** The segment of a customer without scores: lost if they ordered before the window, none (a prospect) if never. */
export function unscoredSegment(everOrdered: boolean): RfmSegment | null {
  return everOrdered ? "lost" : null;
}

// ------------------------------------------------------------- values

/** One customer's RFM values over the window. */
export interface RfmValues {
  /** The last counted order in the window (null: none in the window). */
  lastOrderAt: Date | null;
  ordersInWindow: number;
  netSpendInWindowMinor: number;
}

/** Is `at` inside the window ending at `now`: (now - windowDays, now]? */
export function inWindow(at: Date | number, now: Date, windowDays: number): boolean {
  const t = +at;
  return t <= +now && t > +now - windowDays * DAY_MS;
}

/** One customer's values from their orders (with the purchase ledger's answer stored on each), with member facts' definitions. */
export function rfmValues(orders: FactOrder[], now: Date, settings: RfmSettings = DEFAULT_INTELLIGENCE_SETTINGS.rfm): RfmValues {
  const facts = computeMemberFacts(orders.filter((order) => inWindow(order.processedAt, now, settings.windowDays)));
  return { lastOrderAt: facts.lastOrderAt, ordersInWindow: facts.orderCount, netSpendInWindowMinor: facts.netSpentMinor };
}

// ------------------------------------------------------------- batch

/** A shop's customers as columns: entry i of each array is customer i. */
export interface RfmColumns {
  /** The last counted order in the window, ms since the epoch (ignored when ordersInWindow is 0). */
  lastOrderAtMs: ArrayLike<number>;
  ordersInWindow: ArrayLike<number>;
  netSpendInWindowMinor: ArrayLike<number>;
}

export interface RfmBatch {
  /** Customers scored (those with an order in the window). */
  scored: number;
  /** Whole days since the last order; -1 for customers without a score. */
  recencyDays: Int32Array;
  /** Scores 1..5; 0 for customers without a score. */
  recency: Uint8Array;
  frequency: Uint8Array;
  monetary: Uint8Array;
  /** 1 + index in RFM_SEGMENTS; 0 for customers without a score. */
  segment: Uint8Array;
}

/**
 * Quintile scores for `values` (higher = better), written to `out` at the
 * positions in `at`. See the rule at the top of this file.
 */
function quintiles(values: Float64Array, at: Uint32Array, out: Uint8Array): void {
  const n = values.length;
  if (n === 0) return;
  const sorted = values.slice().sort();
  if (sorted[0] === sorted[n - 1]) {
    for (let i = 0; i < n; i++) out[at[i]] = 3;
    return;
  }
  for (let i = 0; i < n; i++) {
    const below = lowerBound(sorted, values[i]);
    out[at[i]] = Math.min(5, 1 + Math.floor((5 * below) / (n - 1)));
  }
}

/** Scores every customer of a shop at `now`. O(n log n) in the number of customers. */
export function scoreRfmBatch(columns: RfmColumns, now: Date, settings: RfmSettings = DEFAULT_INTELLIGENCE_SETTINGS.rfm): RfmBatch {
  const count = columns.ordersInWindow.length;
  if (columns.lastOrderAtMs.length !== count || columns.netSpendInWindowMinor.length !== count) {
    throw new Error("RFM columns must have one entry per customer each");
  }
  const recencyDays = new Int32Array(count).fill(-1);
  const at: number[] = [];
  for (let i = 0; i < count; i++) {
    if (columns.ordersInWindow[i] > 0) {
      at.push(i);
      recencyDays[i] = Math.min(settings.windowDays, Math.max(0, wholeDaysBetween(columns.lastOrderAtMs[i], now)));
    }
  }
  const index = Uint32Array.from(at);
  const scored = index.length;
  const r = new Float64Array(scored);
  const f = new Float64Array(scored);
  const m = new Float64Array(scored);
  for (let j = 0; j < scored; j++) {
    const i = index[j];
    r[j] = -recencyDays[i];
    f[j] = columns.ordersInWindow[i];
    m[j] = columns.netSpendInWindowMinor[i];
  }
  const batch: RfmBatch = { scored, recencyDays, recency: new Uint8Array(count), frequency: new Uint8Array(count), monetary: new Uint8Array(count), segment: new Uint8Array(count) };
  quintiles(r, index, batch.recency);
  quintiles(f, index, batch.frequency);
  quintiles(m, index, batch.monetary);
  for (let j = 0; j < scored; j++) {
    const i = index[j];
    const segment = rfmSegment(batch.recency[i] as Score, batch.frequency[i] as Score, batch.monetary[i] as Score);
    batch.segment[i] = RFM_SEGMENTS.indexOf(segment) + 1;
  }
  return batch;
}

/** Customer i's scores from a batch (null: no order in the window). */
export function rfmScoreAt(batch: RfmBatch, i: number): RfmScore | null {
  if (!batch.segment[i]) return null;
  return { recency: batch.recency[i] as Score, frequency: batch.frequency[i] as Score, monetary: batch.monetary[i] as Score, segment: RFM_SEGMENTS[batch.segment[i] - 1] };
}

/** The batch for customers as objects (small shops, tests): one result per customer, in order. */
export function scoreRfm(customers: RfmValues[], now: Date, settings: RfmSettings = DEFAULT_INTELLIGENCE_SETTINGS.rfm): Array<RfmScore | null> {
  const batch = scoreRfmBatch(
    {
      lastOrderAtMs: customers.map((c) => (c.lastOrderAt ? +c.lastOrderAt : NaN)),
      ordersInWindow: customers.map((c) => (c.lastOrderAt ? c.ordersInWindow : 0)),
      netSpendInWindowMinor: customers.map((c) => c.netSpendInWindowMinor),
    },
    now,
    settings,
  );
  return customers.map((_, i) => rfmScoreAt(batch, i));
}

// ------------------------------------------------------------- explanation

export function segmentName(segment: RfmSegment): IntelText {
  return text(`intel.rfm.segment.${segment}`);
}

/** One line that says who the segment is and what to do, for the UI's segment list. */
export function segmentDescription(segment: RfmSegment): IntelText {
  return text(`intel.rfm.segment.${segment}.description`);
}

export interface RfmExplainInput {
  /** The last counted order at all (in the window or before it); null if never. */
  lastOrderAt: Date | null;
  ordersInWindow: number;
  netSpendInWindowMinor: number;
}

/**
 * Why the member has their scores, one sentence per score ("R 4: last order
 * 18 days ago"), or why they have none. `formatAmount` turns minor units into
 * the shop's money in the reader's locale (the page passes `formatMoney`).
 */
export function explainRfm(score: RfmScore | null, values: RfmExplainInput, now: Date, formatAmount: (minor: number) => string, settings: RfmSettings = DEFAULT_INTELLIGENCE_SETTINGS.rfm): IntelText[] {
  const windowDays = settings.windowDays;
  const days = values.lastOrderAt ? Math.max(0, wholeDaysBetween(values.lastOrderAt, now)) : null;
  if (!score) {
    if (days === null) return [text("intel.rfm.explain.noOrders")];
    return [text("intel.rfm.explain.outsideWindow", { windowDays, days })];
  }
  const recency =
    days === 0 ? text("intel.rfm.explain.recencyToday", { score: score.recency })
    : days === 1 ? text("intel.rfm.explain.recencyYesterday", { score: score.recency })
    : text("intel.rfm.explain.recency", { score: score.recency, days: days ?? 0 });
  const frequency =
    values.ordersInWindow === 1 ? text("intel.rfm.explain.frequencyOne", { score: score.frequency, windowDays })
    : text("intel.rfm.explain.frequency", { score: score.frequency, orders: values.ordersInWindow, windowDays });
  const monetary = text("intel.rfm.explain.monetary", { score: score.monetary, amount: formatAmount(values.netSpendInWindowMinor), windowDays });
  return [recency, frequency, monetary];
}
