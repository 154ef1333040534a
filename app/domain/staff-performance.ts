/**
 * Staff performance in the sources' terms (issue 21), pure: per staff member
 * and per store (Shopify location), over a chosen period, what the staff page
 * shows:
 *
 * - files created: customer files a staff member registered in the period
 *   (CustomerFile.registered*: the admin's session user, or at the POS the
 *   staff member pinned in, and the POS location);
 * - files completed, and their quality: the files whose last save in the
 *   period was theirs (credit moves with the latest work on a file), how many
 *   are complete (COMPLETE_AT), their average completeness and their
 *   freshness (the share of filled fields confirmed with the customer within
 *   the staleness window), both at `now`, as the member page computes them
 *   (./customer-file.ts);
 * - field edits they made in the period (at the POS: the location's);
 * - new members: customers a staff member brought in during the period, by
 *   registering their file, or, for customers without a registered file, by
 *   ringing up their first purchase at the POS (Shopify's order webhook names
 *   the POS user who processed it, `user_id`, and the location,
 *   `location_id`: ../../shared/reference/platform-facts-2.md, "POS
 *   webhook"). A registration wins over the till: it is the act the sources
 *   count;
 * - those members' first-90-day revenue: their net spend as the purchase
 *   ledger counts it (Order.countsAsPurchase and netSpendMinor: ADR 0012,
 *   ./purchase-ledger.ts) over the 90 days from the start of the shop's local
 *   day they joined (a purchase rung up minutes before the file was
 *   registered at the same counter counts). A member who joined less than 90
 *   days ago shows what they have spent so far.
 *
 * With a store chosen, the staff table counts only what each staff member
 * did at that store (registrations, saves and edits at its POS, members
 * brought in there); what they did in the admin or at other stores is left
 * out. The stores' table stays whole: it compares the stores.
 *
 * No I/O, no clock: the model reads the rows, callers pass `now`.
 */
import { completeness, COMPLETE_AT, DEFAULT_STALE_MONTHS, FILE_FIELDS, isFilled, type ConfirmedAt, type CustomerFileValues } from "./customer-file";
import { localDate, localMidnight } from "./local-time";

export const PERFORMANCE_PERIODS = ["30d", "90d", "365d", "all"] as const;
export type PerformancePeriod = (typeof PERFORMANCE_PERIODS)[number];
export const DEFAULT_PERIOD: PerformancePeriod = "90d";
export const FIRST_DAYS = 90;
const DAY_MS = 86_400_000;

export const isPerformancePeriod = (value: unknown): value is PerformancePeriod => typeof value === "string" && (PERFORMANCE_PERIODS as readonly string[]).includes(value);

/** The period's first instant (null: since the beginning). */
export function periodStart(period: PerformancePeriod, now: Date): Date | null {
  if (period === "all") return null;
  return new Date(now.getTime() - Number.parseInt(period, 10) * DAY_MS);
}

export interface FileFact {
  customerShopifyId: string;
  createdAt: Date;
  updatedAt: Date;
  registeredBy: string | null;
  registeredLocationId: string | null;
  updatedBy: string | null;
  /** Where the file was last saved at the POS (null: never, or last in the admin). */
  posLocationId: string | null;
  values: CustomerFileValues;
  confirmedAt: ConfirmedAt;
}

export interface EditFact {
  staffId: string | null;
  locationId: string | null;
  at: Date;
}

export interface OrderFact {
  customerShopifyId: string;
  processedAt: Date;
  /** The purchase ledger's answer for the order. */
  countsAsPurchase: boolean;
  netSpendMinor: number;
  sourceName: string | null;
  posUserId: string | null;
  posLocationId: string | null;
}

export interface PerformanceRow {
  filesCreated: number;
  /** Files last saved by them (by this store's POS) in the period. */
  filesKept: number;
  filesCompleted: number;
  /** Average completeness of the files kept, whole percent (null: none kept). */
  averageCompleteness: number | null;
  /** Share of the kept files' filled fields confirmed within the staleness window, whole percent (null: none filled). */
  freshness: number | null;
  edits: number;
  newMembers: number;
  /** The new members' net spend in their first 90 days, shop money minor units. */
  newMemberRevenueMinor: number;
}

export interface NewMember {
  customerShopifyId: string;
  staffId: string | null;
  locationId: string | null;
  joinedAt: Date;
  via: "registration" | "firstPosPurchase";
}

const emptyRow = (): PerformanceRow => ({ filesCreated: 0, filesKept: 0, filesCompleted: 0, averageCompleteness: null, freshness: null, edits: 0, newMembers: 0, newMemberRevenueMinor: 0 });

/**
 * Who brought each customer in, and when: a file registered by a staff member,
 * else a first counted purchase at the POS rung up by one (a POS order with a
 * user id). Customers neither applies to are nobody's new member.
 */
export function newMembers(files: readonly FileFact[], orders: readonly OrderFact[]): NewMember[] {
  const found = new Map<string, NewMember>();
  for (const file of files) {
    if (!file.registeredBy) continue;
    found.set(file.customerShopifyId, { customerShopifyId: file.customerShopifyId, staffId: file.registeredBy, locationId: file.registeredLocationId, joinedAt: file.createdAt, via: "registration" });
  }
  const first = new Map<string, OrderFact>();
  for (const order of orders) {
    if (!order.countsAsPurchase) continue;
    const current = first.get(order.customerShopifyId);
    if (!current || order.processedAt < current.processedAt) first.set(order.customerShopifyId, order);
  }
  for (const [customer, order] of first) {
    if (found.has(customer) || order.sourceName !== "pos" || !order.posUserId) continue;
    found.set(customer, { customerShopifyId: customer, staffId: order.posUserId, locationId: order.posLocationId, joinedAt: order.processedAt, via: "firstPosPurchase" });
  }
  return [...found.values()];
}

/** The start of the shop's local day `at` falls on. */
function localDayStart(at: Date, timeZone: string): Date {
  const [year, month, day] = localDate(at, timeZone).split("-").map(Number);
  return localMidnight(year, month, day, timeZone);
}

/** A member's net spend (ledger) in the FIRST_DAYS from the start of the local day they joined. */
export function firstDaysRevenue(orders: readonly OrderFact[], joinedAt: Date, timeZone: string, days = FIRST_DAYS): number {
  const from = localDayStart(joinedAt, timeZone).getTime();
  const until = from + days * DAY_MS;
  return orders.reduce((sum, order) => (order.countsAsPurchase && order.processedAt.getTime() >= from && order.processedAt.getTime() < until ? sum + order.netSpendMinor : sum), 0);
}

export interface StaffPerformance {
  staff: Array<{ staffId: string } & PerformanceRow>;
  locations: Array<{ locationId: string } & PerformanceRow>;
}

/** A store id as Shopify gives it (a location's numeric id), or null for anything else. */
export const storeParam = (value: string | null): string | null => (value && /^\d{1,20}$/.test(value) ? value : null);

/**
 * The Staff page's two tables for the period [from, now] (from null: all
 * time), the staff's at `store` only when one is given. Staff ordered by new
 * members, then completed files, then revenue; stores the same.
 */
export function staffPerformance(input: { files: readonly FileFact[]; edits: readonly EditFact[]; orders: readonly OrderFact[]; from: Date | null; now: Date; timeZone: string; staleMonths?: number; store?: string | null }): StaffPerformance {
  const { from, now, timeZone } = input;
  const store = input.store ?? null;
  const inPeriod = (at: Date) => (from === null || at >= from) && at <= now;
  /** Whether an act at this location counts in the staff table. */
  const atStore = (locationId: string | null) => store === null || locationId === store;
  const staff = new Map<string, PerformanceRow & { scores: number[]; fresh: number; filled: number }>();
  const locations = new Map<string, PerformanceRow & { scores: number[]; fresh: number; filled: number }>();
  const rowOf = (map: typeof staff, key: string) => {
    let row = map.get(key);
    if (!row) map.set(key, (row = { ...emptyRow(), scores: [], fresh: 0, filled: 0 }));
    return row;
  };

  for (const file of input.files) {
    if (inPeriod(file.createdAt) && file.registeredBy) {
      if (atStore(file.registeredLocationId)) rowOf(staff, file.registeredBy).filesCreated++;
      if (file.registeredLocationId) rowOf(locations, file.registeredLocationId).filesCreated++;
    }
    if (!inPeriod(file.updatedAt)) continue;
    const keepers = [...(file.updatedBy && atStore(file.posLocationId) ? [rowOf(staff, file.updatedBy)] : []), ...(file.posLocationId ? [rowOf(locations, file.posLocationId)] : [])];
    if (keepers.length === 0) continue;
    const score = completeness(file.values, file.confirmedAt, now, { staleMonths: input.staleMonths ?? DEFAULT_STALE_MONTHS });
    const filled = FILE_FIELDS.filter((field) => isFilled(file.values, field)).length;
    for (const row of keepers) {
      row.filesKept++;
      if (score.score >= COMPLETE_AT) row.filesCompleted++;
      row.scores.push(score.score);
      row.filled += filled;
      row.fresh += filled - score.stale.length;
    }
  }

  for (const edit of input.edits) {
    if (!inPeriod(edit.at)) continue;
    if (edit.staffId && atStore(edit.locationId)) rowOf(staff, edit.staffId).edits++;
    if (edit.locationId) rowOf(locations, edit.locationId).edits++;
  }

  const ordersOf = new Map<string, OrderFact[]>();
  for (const order of input.orders) ordersOf.set(order.customerShopifyId, [...(ordersOf.get(order.customerShopifyId) ?? []), order]);
  for (const member of newMembers(input.files, input.orders)) {
    if (!inPeriod(member.joinedAt)) continue;
    const revenue = firstDaysRevenue(ordersOf.get(member.customerShopifyId) ?? [], member.joinedAt, timeZone);
    for (const row of [...(member.staffId && atStore(member.locationId) ? [rowOf(staff, member.staffId)] : []), ...(member.locationId ? [rowOf(locations, member.locationId)] : [])]) {
      row.newMembers++;
      row.newMemberRevenueMinor += revenue;
    }
  }

  const finish = ({ scores, fresh, filled, ...row }: PerformanceRow & { scores: number[]; fresh: number; filled: number }): PerformanceRow => ({
    ...row,
    averageCompleteness: scores.length ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
    freshness: filled ? Math.round((100 * fresh) / filled) : null,
  });
  const order = (a: PerformanceRow, b: PerformanceRow) => b.newMembers - a.newMembers || b.filesCompleted - a.filesCompleted || b.newMemberRevenueMinor - a.newMemberRevenueMinor || b.filesCreated - a.filesCreated || b.edits - a.edits;
  return {
    staff: [...staff].map(([staffId, row]) => ({ staffId, ...finish(row) })).sort((a, b) => order(a, b) || (a.staffId < b.staffId ? -1 : 1)),
    locations: [...locations].map(([locationId, row]) => ({ locationId, ...finish(row) })).sort((a, b) => order(a, b) || (a.locationId < b.locationId ? -1 : 1)),
  };
}
