/**
 * Member facts: what one customer's order history says about them. Pure: it
 * takes the customer's projected orders, each with the purchase ledger's answer
 * stored on it (app/domain/purchase-ledger.ts: whether it counts and its net
 * merchandise spend), and returns the facts; the caller stores them on the
 * Customer row. The rule of what counts lives in the ledger alone.
 *
 * - the order count is the orders that count as purchases (a free order too);
 * - net spend is the sum of their net merchandise spend, shop money minor units;
 * - gaps are the days between consecutive counted orders, by processed time.
 */
export interface FactOrder {
  shopifyId: string;
  processedAt: Date;
  currencyCode: string;
  countsAsPurchase: boolean;
  netSpendMinor: number;
}

export interface MemberFacts {
  orderCount: number;
  netSpentMinor: number;
  currencyCode: string | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  orderGapsDays: number[];
  medianGapDays: number | null;
}

const DAY_MS = 86_400_000;

export function computeMemberFacts(orders: FactOrder[]): MemberFacts {
  const counted = orders
    .filter((order) => order.countsAsPurchase)
    .sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || a.shopifyId.localeCompare(b.shopifyId));
  const netSpentMinor = counted.reduce((sum, order) => sum + order.netSpendMinor, 0);
  const gaps = orderGapsDays(counted.map((order) => order.processedAt.getTime()));
  return {
    orderCount: counted.length,
    netSpentMinor,
    currencyCode: orders[0]?.currencyCode ?? null,
    firstOrderAt: counted[0]?.processedAt ?? null,
    lastOrderAt: counted.at(-1)?.processedAt ?? null,
    orderGapsDays: gaps,
    medianGapDays: median(gaps),
  };
}

/** Days between consecutive counted orders (their processed times in ms, in order), to one decimal. */
export function orderGapsDays(timesMs: ArrayLike<number>): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < timesMs.length; i++) gaps.push(Math.round(((timesMs[i] - timesMs[i - 1]) / DAY_MS) * 10) / 10);
  return gaps;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
