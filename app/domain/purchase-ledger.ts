/**
 * The purchase ledger: what one Shopify order counts for. This is the one
 * definition behind a member's order count and net spend, tier qualification,
 * RFM, cadence and lifecycle, "bought product X" audiences, gifts and Results
 * (docs/decisions/0012-purchase-ledger.md). Pure: the caller gives the order as
 * stored, its refunds and any edit not yet reflected in it, and stores the
 * answer on the Order row (countsAsPurchase, netSpendMinor), so every query
 * reads the same two columns instead of re-deriving the rule.
 *
 * It follows Shopify's net sales (shopify.dev, ShopifyQL `sales`: gross sales
 * less discounts and returns; shipping, taxes, duties and tips are not sales,
 * and gift card sales are not sales until the card is redeemed):
 * - spend is merchandise after its discounts, in shop money (multi-currency
 *   orders count in the shop's currency, never the buyer's);
 * - gift card lines are not spend, and refunding one gives none back;
 * - an order edit counts as the order now stands: a unit removed by an edit is
 *   not spend (line `current_quantity` excludes units removed and refunded);
 * - a refund takes back the merchandise of its refund lines and the money it
 *   returned that no line accounts for (a refund_discrepancy order adjustment:
 *   a goodwill refund); a shipping-only refund takes back nothing;
 * - test orders, cancelled orders, voided and fully refunded orders count for
 *   nothing; a free order (everything discounted to zero) counts, with zero spend;
 * - POS and draft-order sales are sales like any other.
 */

export interface LedgerLine {
  shopifyId: string;
  /** Units ordered originally. */
  quantity: number;
  /** Units still on the order after edits and refunds (Shopify's `current_quantity`). */
  currentQuantity: number;
  unitPriceMinor: number;
  /** The discounts allocated to the whole line as ordered. */
  discountMinor: number;
  giftCard: boolean;
}

export interface LedgerOrder {
  /** The shop's currency, every amount's. */
  currencyCode?: string;
  test: boolean;
  cancelledAt: Date | null;
  financialStatus: string | null;
  lines: LedgerLine[];
}

export interface LedgerRefund {
  lines: Array<{ lineShopifyId: string | null; quantity: number; subtotalMinor: number }>;
  /** Money returned beyond what the refund's lines and shipping account for (goodwill); negative when less was returned (a fee kept). */
  unallocatedMinor: number;
  /**
   * The currency of unallocatedMinor: a refund known only by its transactions
   * may carry the buyer's currency, which is not the shop's; such money is
   * left out rather than counted at the wrong scale.
   */
  currencyCode?: string;
}

/** Units an order edit removed from a line, for an edit the stored order does not reflect yet (orders/edited before orders/updated). */
export interface LedgerEdit {
  removals: Array<{ lineShopifyId: string; quantity: number }>;
}

export interface PurchaseLedger {
  /** Does the order count as a purchase (order count, recency, cadence, audiences, gifts, Results)? */
  countsAsPurchase: boolean;
  /** Net merchandise spend, shop money minor units; 0 when it does not count. */
  netSpendMinor: number;
}

export const NOT_A_PURCHASE: PurchaseLedger = { countsAsPurchase: false, netSpendMinor: 0 };

// Financial statuses of an order whose money is gone: the authorization was
// voided, or everything was refunded (Shopify's display statuses, lower case).
const NOTHING_SOLD = new Set(["voided", "refunded"]);

export function purchaseLedger(order: LedgerOrder, refunds: LedgerRefund[], edits: LedgerEdit[] = []): PurchaseLedger {
  if (order.test || order.cancelledAt || NOTHING_SOLD.has((order.financialStatus ?? "").toLowerCase())) return NOT_A_PURCHASE;

  const refundedUnits = new Map<string, number>();
  const refundedMinor = new Map<string | null, number>();
  for (const refund of refunds) {
    for (const line of refund.lines) {
      if (line.lineShopifyId) refundedUnits.set(line.lineShopifyId, (refundedUnits.get(line.lineShopifyId) ?? 0) + line.quantity);
      refundedMinor.set(line.lineShopifyId, (refundedMinor.get(line.lineShopifyId) ?? 0) + line.subtotalMinor);
    }
  }
  const removedByPendingEdits = new Map<string, number>();
  for (const edit of edits) {
    for (const removal of edit.removals) removedByPendingEdits.set(removal.lineShopifyId, (removedByPendingEdits.get(removal.lineShopifyId) ?? 0) + removal.quantity);
  }

  let soldMinor = 0; // merchandise as the order now stands, before refunds
  let soldUnits = 0;
  let returnedMinor = 0;
  let returnedUnits = 0;
  const known = new Set<string>();
  for (const line of order.lines) {
    known.add(line.shopifyId);
    if (line.giftCard) continue;
    const refunded = refundedUnits.get(line.shopifyId) ?? 0;
    const current = Math.max(0, line.currentQuantity - (removedByPendingEdits.get(line.shopifyId) ?? 0));
    // current_quantity leaves out refunded units as well as removed ones; a
    // refund's units are taken back through the refund (whichever arrives
    // first), so only the rest of the gap is an edit's removal.
    const removed = Math.min(line.quantity, Math.max(0, line.quantity - current - refunded));
    const kept = line.quantity - removed;
    const discount = line.quantity === 0 ? 0 : Math.round((line.discountMinor * kept) / line.quantity);
    soldMinor += line.unitPriceMinor * kept - discount;
    soldUnits += kept;
    returnedMinor += refundedMinor.get(line.shopifyId) ?? 0;
    returnedUnits += Math.min(kept, refunded);
  }
  // A refund line the order does not list (or without a line id) is taken as
  // merchandise: better to under-count spend than to let a refund go unseen.
  for (const [lineId, minor] of refundedMinor) if (lineId === null || !known.has(lineId)) returnedMinor += minor;
  const unallocated = refunds
    .filter((refund) => !order.currencyCode || !refund.currencyCode || refund.currencyCode === order.currencyCode)
    .reduce((sum, refund) => sum + refund.unallocatedMinor, 0);

  // Nothing sold: every unit removed by edits, or only gift cards bought.
  if (soldUnits === 0) return NOT_A_PURCHASE;
  // Free order: units kept and nothing paid for them; it counts, with no
  // spend, until its units are returned.
  if (soldMinor === 0) return soldUnits - returnedUnits > 0 ? { countsAsPurchase: true, netSpendMinor: 0 } : NOT_A_PURCHASE;
  const net = soldMinor - returnedMinor - unallocated;
  // All the money for the merchandise went back: fully refunded.
  if (net <= 0) return NOT_A_PURCHASE;
  return { countsAsPurchase: true, netSpendMinor: net };
}
