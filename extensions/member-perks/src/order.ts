/**
 * What this cart or order means for the member, from what the host exposes
 * about it (checkout and the thank-you page: the Cart Lines, Cost and Discounts
 * APIs; the order status page: the same shapes for the placed order). Pure:
 * the targets read `shopify.*` and pass plain values in.
 *
 * Qualifying spend, as the app's purchase ledger counts it
 * (app/domain/purchase-ledger.ts): merchandise after its discounts, before
 * shipping and tax. Of the amounts the 2026-07 API gives:
 * - `cost.totalAmount` includes shipping and taxes: not spend;
 * - `cost.subtotalAmount` is "the sum of all line item prices ... before
 *   shipping and taxes", but the type does not say which discounts it is after;
 * - each line's `cost.totalAmount` is "the total price the buyer pays for this
 *   line item after all line-level discounts ... but before order-level
 *   discounts, taxes, and shipping", and the cart's `discountAllocations` are
 *   the order-level discounts ("Returns order-level discounts only" in the
 *   order status API).
 * (node_modules/@shopify/ui-extensions/build/ts/surfaces/checkout/api/standard
 * and customer-account/api/order-status; shopify.dev/docs/api/checkout-ui-extensions/2026-07-rc/apis/discounts.)
 * So spend here is the lines' totals less the order-level allocations: the
 * ledger's net merchandise. The member's own free-shipping allocation (the
 * Function's "Gold member · free shipping") is shipping, not merchandise, and
 * is not subtracted. Another app's shipping discount in that list would be
 * subtracted: the figure can then only come out low, so the block may say
 * "$X more" to an order that in fact crosses the line, never the reverse.
 * Gift card lines, which the ledger does not count, cannot be told apart here
 * (the API exposes no gift card flag on merchandise); they are counted.
 *
 * The membership's amounts are in the shop's currency; the cart's in the
 * buyer's. When they differ there is no honest comparison without the
 * exchange rate, so nothing is computed and the synced line is shown instead.
 */
import type { Membership } from "./membership";

export interface MoneyLike {
  amount: number;
  currencyCode: string;
}

/** `CartCodeDiscountAllocation | CartAutomaticDiscountAllocation | CartCustomDiscountAllocation`, by shape. */
export interface AllocationLike {
  discountedAmount: MoneyLike;
  type: string;
  title?: string;
  code?: string;
}

export interface OrderLineLike {
  cost: { totalAmount: MoneyLike };
  discountAllocations: readonly AllocationLike[];
}

/** The parts of a cart or placed order this module reads. */
export interface OrderFacts {
  lines: readonly OrderLineLike[];
  /** Order-level discount allocations. */
  discountAllocations: readonly AllocationLike[];
}

/** An amount in minor units of one currency. */
export interface MinorMoney {
  amountMinor: number;
  currencyCode: string;
}

/** ISO 4217 exponents as Intl knows them (JPY 0, USD 2, KWD 3); 2 for a code Intl does not know. */
export function currencyDigits(currencyCode: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

const toMinor = (money: MoneyLike) => Math.round(money.amount * 10 ** currencyDigits(money.currencyCode));
const isMoney = (money: MoneyLike | undefined): money is MoneyLike => !!money && Number.isFinite(money.amount) && typeof money.currencyCode === "string";

/** Sums amounts of one currency; null when one is unreadable or the currencies are mixed. */
function sum(amounts: readonly (MoneyLike | undefined)[], currencyCode: string): number | null {
  let total = 0;
  for (const money of amounts) {
    if (!isMoney(money) || money.currencyCode !== currencyCode) return null;
    total += toMinor(money);
  }
  return total;
}

// The discount Function's messages (extensions/member-discount/src/message.ts):
// "Gold member · 10% off" / "金卡会员 · 优惠 10%", "Gold member · free shipping" / "金卡会员 · 免运费".
// A tier named "… Member" is not doubled, so the label ends in "member" either way.
const MEMBER_PERCENT_OFF = /^.*(?:member|会员) · (?:\d+(?:\.\d+)?% off|优惠 \d+(?:\.\d+)?%)$/i;
const MEMBER_FREE_SHIPPING = /^.*(?:member|会员) · (?:free shipping|免运费)$/i;
/** MEMBER_DISCOUNT_TITLE in app/domain/member-discount.ts: the discount's title, shown when a Function gives no message. */
const MEMBER_DISCOUNT_TITLE = "MemberCare member pricing";

const title = (allocation: AllocationLike) => (allocation.type === "code" ? "" : (allocation.title ?? "").trim());
const isMemberPercentOff = (allocation: AllocationLike) => MEMBER_PERCENT_OFF.test(title(allocation)) || title(allocation) === MEMBER_DISCOUNT_TITLE;

/** Net merchandise of the cart or order (see above); null when empty, unreadable, or in more than one currency. */
export function qualifyingSpend(order: OrderFacts): MinorMoney | null {
  const first = order.lines[0]?.cost.totalAmount;
  if (!isMoney(first)) return null;
  const { currencyCode } = first;
  const lines = sum(
    order.lines.map((line) => line.cost.totalAmount),
    currencyCode,
  );
  const orderDiscounts = sum(
    order.discountAllocations.filter((allocation) => !MEMBER_FREE_SHIPPING.test(title(allocation))).map((allocation) => allocation.discountedAmount),
    currencyCode,
  );
  if (lines === null || orderDiscounts === null) return null;
  return { amountMinor: Math.max(0, lines - orderDiscounts), currencyCode };
}

/**
 * What the member discount took off this order: its allocations, whether the
 * Function discounted the subtotal (order level) or the items (line level).
 * Known by the Function's message, or the discount's title. Null when no
 * allocation is the member discount's, or the amounts cannot be added up:
 * then nothing is said rather than a guess.
 */
export function memberSavings(order: OrderFacts): MinorMoney | null {
  const allocations = [...order.discountAllocations, ...order.lines.flatMap((line) => line.discountAllocations)].filter(isMemberPercentOff);
  const currencyCode = allocations[0]?.discountedAmount.currencyCode;
  if (!currencyCode) return null;
  const total = sum(
    allocations.map((allocation) => allocation.discountedAmount),
    currencyCode,
  );
  return total && total > 0 ? { amountMinor: total, currencyCode } : null;
}

/**
 * What this order does for the next tier, from the synced distance to it and
 * the order's qualifying spend:
 * - `reaches`: every criterion the value names is met with this order (its
 *   spend reaches what was left, and it is the one order still needed or none
 *   is), which is true whether the tier needs both criteria or either;
 * - `short`: spend is all that is left (no order criterion, or it is already
 *   met) and this order does not reach it: what is still missing after it;
 * - null: top tier, no next tier, a currency the value is not in, or criteria
 *   the value cannot settle (the value does not say whether the tier needs
 *   spend and orders or either one), so the synced line stands.
 */
export type OrderProgress = { kind: "reaches" } | { kind: "short"; missing: MinorMoney } | null;

export function orderProgress(membership: Membership, spend: MinorMoney | null): OrderProgress {
  const { progress } = membership;
  if (!progress || !spend || spend.currencyCode !== progress.currencyCode) return null;
  const { spendNeededMinor, ordersNeeded } = progress;
  if (spendNeededMinor === null && ordersNeeded === null) return null;
  // The ledger counts a placed order as one purchase, free orders included.
  const ordersMet = ordersNeeded === null || ordersNeeded <= 1;
  const spendMet = spendNeededMinor === null || spend.amountMinor >= spendNeededMinor;
  if (spendMet && ordersMet) return { kind: "reaches" };
  if (spendNeededMinor !== null && !spendMet && (ordersNeeded === null || ordersNeeded === 0)) {
    return { kind: "short", missing: { amountMinor: spendNeededMinor - spend.amountMinor, currencyCode: spend.currencyCode } };
  }
  return null;
}
