/**
 * The activity summary (issue 9) as the Results page, the campaign report and
 * the CSV export show it: one row per flow or campaign. Pure. The CSV is
 * built from the same rows the page shows, so the two cannot disagree.
 */
import type { ActivityResult, Interval } from "./attribution";
import { minorToAmount } from "../money";
import { csvDocument } from "../csv";

export interface ActivityCounts {
  /** Distinct customers in the activity (contacted and held out). */
  audience: number;
  contacted: number;
  heldOut: number;
  sent: number;
  deferred: number;
  blocked: number;
  failed: number;
  expired: number;
  cancelled: number;
  /** Opens are not tracked (no pixel in care mail): null, shown as "not known". */
  opened: number | null;
}

export interface ActivitySummary {
  kind: "flow" | "campaign";
  id: string;
  name: string;
  currencyCode: string;
  counts: ActivityCounts;
  result: ActivityResult;
  /** Orders can still arrive inside the window of the latest exposure: figures will move. */
  windowOpen: boolean;
}

export const CSV_COLUMNS = [
  "kind",
  "id",
  "name",
  "currency",
  "audience",
  "contacted",
  "held_out",
  "sent",
  "deferred",
  "blocked",
  "failed",
  "expired",
  "cancelled",
  "opened",
  "orders_contacted",
  "orders_held_out",
  "conversion_contacted",
  "conversion_held_out",
  "revenue_per_member_contacted",
  "revenue_per_member_held_out",
  "incremental_revenue",
  "incremental_revenue_low",
  "incremental_revenue_high",
  "attributed_revenue_not_incremental",
  "costs",
  "roi",
  "roi_low",
  "roi_high",
  "window_days",
  "window_open",
] as const;

const ratio = (value: number | null | undefined, digits = 4) => (value === null || value === undefined ? "" : value.toFixed(digits));
const bound = (interval: Interval | null, key: keyof Interval, format: (n: number) => string) => (interval ? format(interval[key]) : "");

/** One CSV row's values, in CSV_COLUMNS order. Money as a decimal amount in the row's currency, with that currency's own digits (USD 2, JPY 0, KWD 3). */
export function summaryValues(row: ActivitySummary): string[] {
  const { counts, result } = row;
  const money = (minor: number | null | undefined) => (minor === null || minor === undefined ? "" : minorToAmount(minor, row.currencyCode));
  return [
    row.kind,
    row.id,
    row.name,
    row.currencyCode,
    String(counts.audience),
    String(counts.contacted),
    String(counts.heldOut),
    String(counts.sent),
    String(counts.deferred),
    String(counts.blocked),
    String(counts.failed),
    String(counts.expired),
    String(counts.cancelled),
    counts.opened === null ? "" : String(counts.opened),
    String(result.contacted.orders),
    String(result.holdout.orders),
    ratio(result.contacted.conversionRate),
    ratio(result.holdout.conversionRate),
    money(result.contacted.revenuePerMember),
    money(result.holdout.revenuePerMember),
    bound(result.incrementalRevenue, "estimate", money),
    bound(result.incrementalRevenue, "low", money),
    bound(result.incrementalRevenue, "high", money),
    money(result.attributedRevenueMinor),
    money(result.costsMinor),
    bound(result.roi, "estimate", (n) => ratio(n)),
    bound(result.roi, "low", (n) => ratio(n)),
    bound(result.roi, "high", (n) => ratio(n)),
    String(result.windowDays),
    row.windowOpen ? "yes" : "no",
  ];
}

/** The columns that hold merchant-named or free text: always formula-guarded (app/domain/csv.ts); the rest are counts, amounts and ratios. */
const TEXT_COLUMNS: ReadonlySet<(typeof CSV_COLUMNS)[number]> = new Set(["kind", "id", "name", "currency", "window_open"]);

export function summariesCsv(rows: ActivitySummary[]): string {
  const columns = CSV_COLUMNS.map((name) => ({ name, type: TEXT_COLUMNS.has(name) ? ("text" as const) : ("number" as const) }));
  return csvDocument(columns, rows.map(summaryValues));
}
