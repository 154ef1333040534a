// Orders inserted straight into the database (tests that do not go through
// webhooks) carry the purchase ledger's columns as the projector would store
// them: the domain rule is run on the few fields such a test states.
import { purchaseLedger, type PurchaseLedger } from "~/domain/purchase-ledger";

export interface SimpleOrder {
  subtotalMinor: number;
  test?: boolean;
  cancelledAt?: Date | null;
  financialStatus?: string | null;
  /** Merchandise refunded, on the order's one line. */
  refundMinor?: number;
}

/** countsAsPurchase and netSpendMinor for an order of one line worth its subtotal. */
export function ledgerColumns(order: SimpleOrder): PurchaseLedger {
  return purchaseLedger(
    {
      test: order.test ?? false,
      cancelledAt: order.cancelledAt ?? null,
      financialStatus: order.financialStatus ?? "paid",
      lines: [{ shopifyId: "1", quantity: 1, currentQuantity: 1, unitPriceMinor: order.subtotalMinor, discountMinor: 0, giftCard: false }],
    },
    order.refundMinor ? [{ lines: [{ lineShopifyId: "1", quantity: 1, subtotalMinor: order.refundMinor }], unallocatedMinor: 0 }] : [],
  );
}
