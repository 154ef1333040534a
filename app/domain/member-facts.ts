/**
 * Member facts: what one customer's order history says about them. Pure: it
 * takes the customer's projected orders and refunds and returns the facts; the
 * caller stores them on the Customer row.
 *
 * Definitions (what the tiers, RFM and cadence build on):
 * - an order counts when it is not cancelled, not voided, and not fully refunded;
 * - net spend is merchandise after discounts (order subtotal) minus refunded
 *   merchandise, in shop currency minor units; shipping and tax are not spend;
 * - gaps are the days between consecutive counted orders, by processed time.
 */
export interface FactOrder {
  shopifyId: string;
  processedAt: Date;
  subtotalMinor: number;
  currencyCode: string;
  cancelledAt: Date | null;
  financialStatus: string | null;
}

export interface FactRefund {
  orderShopifyId: string;
  amountMinor: number;
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

export function orderNetMinor(order: FactOrder, refundedMinor: number): number {
  if (order.cancelledAt || order.financialStatus === "voided") return 0;
  return Math.max(0, order.subtotalMinor - refundedMinor);
}

/** Does the order count (not cancelled, not voided, not fully refunded; a free order counts)? */
export function countsAsOrder(order: FactOrder, refundedMinor: number): boolean {
  if (order.cancelledAt || order.financialStatus === "voided") return false;
  // A free order (subtotal 0) still counts as a purchase; a fully refunded one does not.
  return order.subtotalMinor === 0 || orderNetMinor(order, refundedMinor) > 0;
}

export function computeMemberFacts(orders: FactOrder[], refunds: FactRefund[]): MemberFacts {
  const refundedByOrder = new Map<string, number>();
  for (const refund of refunds) {
    refundedByOrder.set(refund.orderShopifyId, (refundedByOrder.get(refund.orderShopifyId) ?? 0) + refund.amountMinor);
  }

  const counted = orders
    .filter((order) => countsAsOrder(order, refundedByOrder.get(order.shopifyId) ?? 0))
    .sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || a.shopifyId.localeCompare(b.shopifyId));

  const netSpentMinor = counted.reduce(
    (sum, order) => sum + orderNetMinor(order, refundedByOrder.get(order.shopifyId) ?? 0),
    0,
  );

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
