import { purchaseLedger, type LedgerLine, type LedgerOrder, type LedgerRefund } from "./purchase-ledger";

const line = (id: string, unitPriceMinor: number, quantity = 1, extra: Partial<LedgerLine> = {}): LedgerLine => ({
  shopifyId: id,
  quantity,
  currentQuantity: quantity,
  unitPriceMinor,
  discountMinor: 0,
  giftCard: false,
  ...extra,
});
const order = (lines: LedgerLine[], extra: Partial<LedgerOrder> = {}): LedgerOrder => ({ test: false, cancelledAt: null, financialStatus: "paid", lines, ...extra });
const refundOf = (lines: LedgerRefund["lines"], unallocatedMinor = 0): LedgerRefund => ({ lines, unallocatedMinor });

describe("purchaseLedger", () => {
  it("counts merchandise after its discounts", () => {
    expect(purchaseLedger(order([line("1", 1900, 2, { discountMinor: 380 }), line("2", 8900)]), [])).toEqual({ countsAsPurchase: true, netSpendMinor: 3420 + 8900 });
  });

  it("counts nothing for test, cancelled, voided and refunded orders", () => {
    const lines = [line("1", 5000)];
    for (const extra of [{ test: true }, { cancelledAt: new Date("2026-10-02T00:00:00Z") }, { financialStatus: "voided" }, { financialStatus: "refunded" }, { financialStatus: "REFUNDED" }]) {
      expect(purchaseLedger(order(lines, extra), []), JSON.stringify(extra)).toEqual({ countsAsPurchase: false, netSpendMinor: 0 });
    }
  });

  it("leaves gift cards out of spend, refunding one gives nothing back, and gift cards alone are no purchase", () => {
    const lines = [line("1", 2000), line("2", 5000, 1, { giftCard: true })];
    expect(purchaseLedger(order(lines), [])).toEqual({ countsAsPurchase: true, netSpendMinor: 2000 });
    expect(purchaseLedger(order(lines), [refundOf([{ lineShopifyId: "2", quantity: 1, subtotalMinor: 5000 }])])).toEqual({ countsAsPurchase: true, netSpendMinor: 2000 });
    expect(purchaseLedger(order([line("2", 5000, 3, { giftCard: true })]), [])).toEqual({ countsAsPurchase: false, netSpendMinor: 0 });
  });

  it("counts an edited order as it now stands, with its discount share, and never subtracts a refund twice", () => {
    const edited = order([line("1", 1000, 3, { currentQuantity: 1, discountMinor: 300 }), line("2", 4000)]);
    expect(purchaseLedger(edited, [])).toEqual({ countsAsPurchase: true, netSpendMinor: 900 + 4000 });
    // An orders/edited removal the stored order does not show yet.
    expect(purchaseLedger(order([line("1", 1000, 3, { discountMinor: 300 }), line("2", 4000)]), [], [{ removals: [{ lineShopifyId: "1", quantity: 2 }] }])).toEqual({ countsAsPurchase: true, netSpendMinor: 900 + 4000 });
    // A refund of two units: the same whether the order's current quantity already shows it or not.
    const refund = refundOf([{ lineShopifyId: "1", quantity: 2, subtotalMinor: 1800 }]);
    const before = purchaseLedger(order([line("1", 1000, 3, { discountMinor: 300 }), line("2", 4000)]), [refund]);
    const after = purchaseLedger(order([line("1", 1000, 3, { currentQuantity: 1, discountMinor: 300 }), line("2", 4000)]), [refund]);
    expect(before).toEqual({ countsAsPurchase: true, netSpendMinor: 2700 - 1800 + 4000 });
    expect(after).toEqual(before);
    // Every unit removed: nothing was bought.
    expect(purchaseLedger(order([line("1", 1000, 2, { currentQuantity: 0 })]), [])).toEqual({ countsAsPurchase: false, netSpendMinor: 0 });
  });

  it("takes back goodwill money returned without lines, adds back a fee kept, and ignores shipping-only refunds", () => {
    const placed = order([line("1", 8900)]);
    expect(purchaseLedger(placed, [refundOf([], 2000)])).toEqual({ countsAsPurchase: true, netSpendMinor: 6900 });
    expect(purchaseLedger(placed, [refundOf([{ lineShopifyId: "1", quantity: 1, subtotalMinor: 8900 }], -500)])).toEqual({ countsAsPurchase: true, netSpendMinor: 500 });
    expect(purchaseLedger(placed, [refundOf([])])).toEqual({ countsAsPurchase: true, netSpendMinor: 8900 });
    expect(purchaseLedger(placed, [refundOf([], 8900)])).toEqual({ countsAsPurchase: false, netSpendMinor: 0 });
    // Money known only in the buyer's currency is not taken at the shop currency's scale.
    const inDollars = { ...placed, currencyCode: "USD" };
    expect(purchaseLedger(inDollars, [{ ...refundOf([], 1500), currencyCode: "JPY" }])).toEqual({ countsAsPurchase: true, netSpendMinor: 8900 });
    expect(purchaseLedger(inDollars, [{ ...refundOf([], 1500), currencyCode: "USD" }])).toEqual({ countsAsPurchase: true, netSpendMinor: 7400 });
  });

  it("counts a free order with no spend until its units are returned", () => {
    const free = order([line("1", 1900, 1, { discountMinor: 1900 })]);
    expect(purchaseLedger(free, [])).toEqual({ countsAsPurchase: true, netSpendMinor: 0 });
    expect(purchaseLedger(free, [refundOf([{ lineShopifyId: "1", quantity: 1, subtotalMinor: 0 }])])).toEqual({ countsAsPurchase: false, netSpendMinor: 0 });
  });

  it("takes a refund line the order does not list as merchandise returned", () => {
    expect(purchaseLedger(order([line("1", 5000)]), [refundOf([{ lineShopifyId: null, quantity: 0, subtotalMinor: 1200 }])])).toEqual({ countsAsPurchase: true, netSpendMinor: 3800 });
  });
});
