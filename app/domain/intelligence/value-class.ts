/**
 * Value class (ABC by share of revenue): key, main and regular customers, so
 * staff know whom to treat personally.
 *
 * Over the same window and the same net spend as RFM (./rfm.ts), customers
 * are ranked by revenue, highest first, and revenue is added up down the list:
 * - key (A): the customers who together make the first `keyPercent` of the
 *   window's revenue (default 60%); the customer who crosses the line is key;
 * - main (B): the next `mainPercent` (default 25%, so up to 85%);
 * - regular (C): the rest, including customers whose orders were free.
 * Customers without an order in the window have no class (null), as they have
 * no RFM score.
 *
 * Ties: customers with equal revenue share one class, decided by the revenue
 * of everyone above the whole group (where the group starts), so the class
 * never depends on the order customers are listed in. Formally, with `above`
 * the revenue of customers who spent strictly more and `total` the window's
 * revenue: key when above < keyPercent% of total, main when above <
 * (keyPercent + mainPercent)% of total, else regular.
 *
 * Works on columns in O(n log n): one sort of the revenues, suffix sums, and a
 * binary search per customer.
 */
import type { RfmColumns } from "./rfm";
import { DEFAULT_INTELLIGENCE_SETTINGS, type ValueClassSettings } from "./settings";
import { text, upperBound, type IntelText } from "./shared";

export const VALUE_CLASSES = ["key", "main", "regular"] as const;
export type ValueClass = (typeof VALUE_CLASSES)[number];

export interface ValueClassBatch {
  /** 1 key, 2 main, 3 regular; 0 for customers without an order in the window. */
  classes: Uint8Array;
  counts: Record<ValueClass, number>;
  /** The window's revenue over classified customers, minor units. */
  totalMinor: number;
  /** The least a key (main) customer spent: "key customers spent at least ...". Null when the class is empty. */
  keyMinMinor: number | null;
  mainMinMinor: number | null;
}

/** Classifies every customer (the same columns the RFM batch takes; only orders and spend are read). */
export function classifyValueBatch(columns: Pick<RfmColumns, "ordersInWindow" | "netSpendInWindowMinor">, settings: ValueClassSettings = DEFAULT_INTELLIGENCE_SETTINGS.valueClass): ValueClassBatch {
  const count = columns.ordersInWindow.length;
  if (columns.netSpendInWindowMinor.length !== count) throw new Error("Value class columns must have one entry per customer each");
  const revenue: number[] = [];
  for (let i = 0; i < count; i++) if (columns.ordersInWindow[i] > 0) revenue.push(Math.max(0, columns.netSpendInWindowMinor[i]));
  const sorted = Float64Array.from(revenue).sort();
  // above[k] = revenue of sorted[k..], so the revenue strictly above v is above[upperBound(v)].
  const above = new Float64Array(sorted.length + 1);
  for (let k = sorted.length - 1; k >= 0; k--) above[k] = above[k + 1] + sorted[k];
  const totalMinor = above[0];
  const keyLine = settings.keyPercent * totalMinor;
  const mainLine = (settings.keyPercent + settings.mainPercent) * totalMinor;

  const batch: ValueClassBatch = { classes: new Uint8Array(count), counts: { key: 0, main: 0, regular: 0 }, totalMinor, keyMinMinor: null, mainMinMinor: null };
  for (let i = 0; i < count; i++) {
    if (!(columns.ordersInWindow[i] > 0)) continue;
    const v = Math.max(0, columns.netSpendInWindowMinor[i]);
    const before = above[upperBound(sorted, v)] * 100;
    const cls: ValueClass = before < keyLine ? "key" : before < mainLine ? "main" : "regular";
    batch.classes[i] = VALUE_CLASSES.indexOf(cls) + 1;
    batch.counts[cls]++;
    if (cls === "key") batch.keyMinMinor = Math.min(batch.keyMinMinor ?? v, v);
    if (cls === "main") batch.mainMinMinor = Math.min(batch.mainMinMinor ?? v, v);
  }
  return batch;
}

/** Customer i's class from a batch (null: no order in the window). */
export function valueClassAt(batch: ValueClassBatch, i: number): ValueClass | null {
  return batch.classes[i] ? VALUE_CLASSES[batch.classes[i] - 1] : null;
}

/** For customers as objects (small shops, tests): one class per customer, in order. */
export function classifyValue(customers: Array<{ ordersInWindow: number; netSpendInWindowMinor: number }>, settings: ValueClassSettings = DEFAULT_INTELLIGENCE_SETTINGS.valueClass): Array<ValueClass | null> {
  const batch = classifyValueBatch(
    { ordersInWindow: customers.map((c) => c.ordersInWindow), netSpendInWindowMinor: customers.map((c) => c.netSpendInWindowMinor) },
    settings,
  );
  return customers.map((_, i) => valueClassAt(batch, i));
}

export function valueClassName(cls: ValueClass): IntelText {
  return text(`intel.value.${cls}`);
}

/** What the class means with the shop's thresholds ("among the customers who make the top 60% of revenue"). */
export function explainValueClass(cls: ValueClass | null, settings: ValueClassSettings = DEFAULT_INTELLIGENCE_SETTINGS.valueClass, windowDays = DEFAULT_INTELLIGENCE_SETTINGS.rfm.windowDays): IntelText {
  const { keyPercent, mainPercent } = settings;
  switch (cls) {
    case "key":
      return text("intel.value.explain.key", { share: keyPercent, windowDays });
    case "main":
      return text("intel.value.explain.main", { from: keyPercent, to: keyPercent + mainPercent, windowDays });
    case "regular":
      return text("intel.value.explain.regular", { share: Math.max(0, 100 - keyPercent - mainPercent), windowDays });
    default:
      return text("intel.value.explain.none", { windowDays });
  }
}
