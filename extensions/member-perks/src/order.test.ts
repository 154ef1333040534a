// What a cart or placed order means for a member: spend as the ledger counts it,
// what the member discount took off, and whether the order reaches the next tier.
// The carts are written as Shopify's APIs hand them over (major units, the
// Function's messages as allocation titles), not in this module's terms.
import { goldMember } from "../tests/support";
import { memberSavings, orderProgress, qualifyingSpend, type AllocationLike, type OrderFacts } from "./order";

const usd = (amount: number, currencyCode = "USD") => ({ amount, currencyCode });
const line = (amount: number, allocations: AllocationLike[] = [], currencyCode = "USD") => ({ cost: { totalAmount: usd(amount, currencyCode) }, discountAllocations: allocations });
const custom = (title: string, amount: number, currencyCode = "USD"): AllocationLike => ({ type: "custom", title, discountedAmount: usd(amount, currencyCode) });
const cart = (lines: OrderFacts["lines"], discountAllocations: AllocationLike[] = []): OrderFacts => ({ lines, discountAllocations });

describe("qualifyingSpend", () => {
  it("is the lines after their discounts less the order-level discounts, in minor units", () => {
    // $30 + $15.50 of items, the member's 10% off the subtotal ($4.55) and a $5 code.
    const spend = qualifyingSpend(cart([line(30), line(15.5)], [custom("Gold member · 10% off", 4.55), { type: "code", code: "WELCOME5", discountedAmount: usd(5) }]));
    expect(spend).toEqual({ amountMinor: 3_595, currencyCode: "USD" });
  });

  it("does not take the member's free shipping off merchandise", () => {
    expect(qualifyingSpend(cart([line(50)], [custom("Gold member · free shipping", 7.9)]))?.amountMinor).toBe(5_000);
    expect(qualifyingSpend(cart([line(50)], [custom("金卡会员 · 免运费", 7.9)]))?.amountMinor).toBe(5_000);
  });

  it("counts yen without minor units", () => {
    expect(qualifyingSpend(cart([line(4_200, [], "JPY")]))).toEqual({ amountMinor: 4_200, currencyCode: "JPY" });
  });

  it("is unknown for an empty cart or mixed currencies, never a wrong sum", () => {
    expect(qualifyingSpend(cart([]))).toBeNull();
    expect(qualifyingSpend(cart([line(10), line(10, [], "EUR")]))).toBeNull();
    expect(qualifyingSpend(cart([line(10)], [custom("Sale", 1, "EUR")]))).toBeNull();
  });
});

describe("memberSavings", () => {
  it("adds up the member discount on the subtotal and on items, in either language", () => {
    expect(memberSavings(cart([line(90)], [custom("Gold member · 10% off", 10)]))).toEqual({ amountMinor: 1_000, currencyCode: "USD" });
    const items = cart([line(40, [custom("金卡会员 · 优惠 12.5%", 5)]), line(20, [custom("金卡会员 · 优惠 12.5%", 2.5)])]);
    expect(memberSavings(items)).toEqual({ amountMinor: 750, currencyCode: "USD" });
  });

  it("recognises the discount by its admin title too", () => {
    expect(memberSavings(cart([line(90)], [{ type: "automatic", title: "MemberCare member pricing", discountedAmount: usd(9) }]))?.amountMinor).toBe(900);
  });

  it("leaves out other discounts, codes and the member's free shipping", () => {
    const others = cart([line(90, [{ type: "automatic", title: "Summer sale 20% off", discountedAmount: usd(18) }])], [
      { type: "code", code: "Gold member · 10% off", discountedAmount: usd(9) },
      custom("Gold member · free shipping", 5),
    ]);
    expect(memberSavings(others)).toBeNull();
  });

  it("says nothing when the member discount is absent or zero", () => {
    expect(memberSavings(cart([line(90)]))).toBeNull();
    expect(memberSavings(cart([line(90)], [custom("Gold member · 10% off", 0)]))).toBeNull();
  });
});

describe("orderProgress", () => {
  const spend = (amountMinor: number, currencyCode = "USD") => ({ amountMinor, currencyCode });
  // Gold, $42.00 short of Platinum at the last sync, spend the only criterion.
  const gold = goldMember();

  it("reaches the next tier when the order's spend covers what was left", () => {
    expect(orderProgress(gold, spend(4_200))).toEqual({ kind: "reaches" });
    expect(orderProgress(gold, spend(9_000))).toEqual({ kind: "reaches" });
  });

  it("says what is still missing when it does not", () => {
    expect(orderProgress(gold, spend(3_000))).toEqual({ kind: "short", missing: { amountMinor: 1_200, currencyCode: "USD" } });
    expect(orderProgress(gold, spend(0))).toEqual({ kind: "short", missing: { amountMinor: 4_200, currencyCode: "USD" } });
  });

  it("counts this order as the one order still needed", () => {
    const both = (ordersNeeded: number) => goldMember({ progress: { ...gold.progress!, ordersNeeded } });
    expect(orderProgress(both(1), spend(5_000))).toEqual({ kind: "reaches" });
    expect(orderProgress(both(0), spend(1_000))).toEqual({ kind: "short", missing: { amountMinor: 3_200, currencyCode: "USD" } });
    const ordersOnly = (ordersNeeded: number) => goldMember({ progress: { ...gold.progress!, spendNeededMinor: null, ordersNeeded } });
    expect(orderProgress(ordersOnly(1), spend(100))).toEqual({ kind: "reaches" });
  });

  it("leaves undecided what the value cannot settle: spend short with orders to go (both, or either?), or orders to go", () => {
    expect(orderProgress(goldMember({ progress: { ...gold.progress!, ordersNeeded: 2 } }), spend(1_000))).toBeNull();
    expect(orderProgress(goldMember({ progress: { ...gold.progress!, spendNeededMinor: null, ordersNeeded: 3 } }), spend(100_000))).toBeNull();
  });

  it("says nothing at the top tier, without a cart, or in another currency than the shop's", () => {
    expect(orderProgress(goldMember({ progress: null }), spend(100_000))).toBeNull();
    // A next tier the value names without any criterion left: nothing this order can add.
    expect(orderProgress(goldMember({ progress: { ...gold.progress!, spendNeededMinor: null, ordersNeeded: null } }), spend(100_000))).toBeNull();
    expect(orderProgress(gold, null)).toBeNull();
    expect(orderProgress(gold, spend(100_000, "EUR"))).toBeNull();
  });
});
