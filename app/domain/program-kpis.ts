/**
 * The program's KPIs over a period the merchant picks (issue 20's Overview).
 * Pure: the callers pass the period's buyers (one row per customer and the
 * tier they are in now, with their counting orders and net spend in the
 * period, as the purchase ledger counts them; guest orders as one row without
 * a customer), the tier moves of the period and the Results of the flows and
 * campaigns exposed in it (app/services/results.server.ts: one definition of
 * incremental revenue and cost).
 *
 * - Members' share of revenue: net spend of members' orders over the net
 *   spend of every counting order, guests included. A member is a customer
 *   in a tier now (MemberTier); the app keeps no tier-at-order-time.
 * - Repeat-purchase rate by tier: of a tier's members who bought in the
 *   period, the share who bought at least twice in it.
 * - Incremental revenue: the sum of the activities' estimates that have one
 *   (an activity too small on either side for an interval has none, and is
 *   counted apart rather than guessed); costs: every activity's costs.
 * - Members moving up and down: tier upgrades and downgrades in the period.
 */
import type { ActivitySummary } from "./results/report";

export const KPI_PERIODS = [30, 90, 365] as const;
export type KpiPeriod = (typeof KPI_PERIODS)[number];

export interface PeriodBuyer {
  /** Null for orders without a customer (guest checkouts). */
  customerShopifyId: string | null;
  /** The tier the customer is in now; null for a customer in none (or a guest). */
  tierHandle: string | null;
  orders: number;
  netSpendMinor: number;
}

export interface TierRepeat {
  tierHandle: string;
  buyers: number;
  repeatBuyers: number;
  /** repeatBuyers / buyers. */
  rate: number;
}

export interface ProgramKpis {
  revenue: { totalMinor: number; membersMinor: number; orders: number; memberOrders: number; memberShare: number | null };
  repeatByTier: TierRepeat[];
  results: { incrementalMinor: number; withEstimate: number; withoutEstimate: number; costsMinor: number; attributedMinor: number };
  moves: { up: number; down: number };
}

export function programKpis(input: { buyers: readonly PeriodBuyer[]; tierOrder: readonly string[]; moves: { up: number; down: number }; activities: readonly ActivitySummary[] }): ProgramKpis {
  let totalMinor = 0;
  let membersMinor = 0;
  let orders = 0;
  let memberOrders = 0;
  const tiers = new Map<string, { buyers: number; repeatBuyers: number }>();
  for (const buyer of input.buyers) {
    totalMinor += buyer.netSpendMinor;
    orders += buyer.orders;
    if (buyer.customerShopifyId === null || buyer.tierHandle === null) continue;
    membersMinor += buyer.netSpendMinor;
    memberOrders += buyer.orders;
    if (buyer.orders < 1) continue;
    const tier = tiers.get(buyer.tierHandle) ?? { buyers: 0, repeatBuyers: 0 };
    tier.buyers += 1;
    if (buyer.orders >= 2) tier.repeatBuyers += 1;
    tiers.set(buyer.tierHandle, tier);
  }
  // The program's order first (lowest rank first, as the caller gives it), a tier no longer in it after.
  const rank = (handle: string) => {
    const at = input.tierOrder.indexOf(handle);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  const repeatByTier = [...tiers]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([tierHandle, tier]) => ({ tierHandle, ...tier, rate: tier.repeatBuyers / tier.buyers }));
  let incrementalMinor = 0;
  let withEstimate = 0;
  let costsMinor = 0;
  let attributedMinor = 0;
  for (const activity of input.activities) {
    costsMinor += activity.result.costsMinor;
    attributedMinor += activity.result.attributedRevenueMinor;
    if (activity.result.incrementalRevenue) {
      incrementalMinor += activity.result.incrementalRevenue.estimate;
      withEstimate += 1;
    }
  }
  return {
    revenue: { totalMinor, membersMinor, orders, memberOrders, memberShare: totalMinor > 0 ? membersMinor / totalMinor : null },
    repeatByTier,
    results: { incrementalMinor: Math.round(incrementalMinor), withEstimate, withoutEstimate: input.activities.length - withEstimate, costsMinor, attributedMinor },
    moves: input.moves,
  };
}
