// The generated webhook bodies (tests/support/payloads.ts, also the demo
// store's) against what Shopify really sends: they must have the shape of the
// development-store capture (every key, the same JSON types), and they must not
// carry the capture's incidental values (its product, its customer, its test
// flag, its currency) unless the generated store chose them.
import { describe, expect, it } from "vitest";
import { parseOrder, parseRefund } from "../app/domain/webhook-payloads";
import { fixture, orderPayload, refundPayload, type OrderSpec } from "./support/payloads";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const kind = (value: Json) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);

/**
 * Where the generated body departs from the sample's shape: a key the sample
 * has and the body lacks (or the reverse), or a different JSON type where both
 * hold a value (null is allowed either way: Shopify sends null for absent
 * addresses, codes and so on). Arrays are compared by their first elements.
 */
function shapeDifferences(sample: Json, body: Json, at = "$"): string[] {
  if (sample === null || body === null) return [];
  if (kind(sample) !== kind(body)) {
    // Shopify sends money both as decimal strings and as numbers (refund line subtotal).
    const numeric = (value: Json) => typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value));
    return numeric(sample) && numeric(body) ? [] : [`${at}: ${kind(sample)} in the sample, ${kind(body)} generated`];
  }
  if (Array.isArray(sample) && Array.isArray(body)) return sample.length && body.length ? shapeDifferences(sample[0], body[0], `${at}[0]`) : [];
  if (typeof sample === "object" && typeof body === "object") {
    const s = sample as Record<string, Json>;
    const b = body as Record<string, Json>;
    return [
      ...Object.keys(s).filter((key) => !(key in b)).map((key) => `${at}.${key}: missing`),
      ...Object.keys(b).filter((key) => !(key in s)).map((key) => `${at}.${key}: not in the sample`),
      ...Object.keys(s).filter((key) => key in b).flatMap((key) => shapeDifferences(s[key], b[key], `${at}.${key}`)),
    ];
  }
  return [];
}

const capture = fixture<Record<string, Json>>("orders__create-3");
const captureLine = (capture.line_items as Array<Record<string, Json>>)[0];
const captureCustomer = capture.customer as Record<string, Json>;

/**
 * The capture's values a generated order carries although the spec did not
 * choose them: its line (id, product, variant, title, SKU), its flags (test,
 * source, currency), its customer. Empty for an honest body.
 */
function leakedFromCapture(body: Record<string, Json>, spec: OrderSpec): string[] {
  const leaks: string[] = [];
  for (const line of body.line_items as Array<Record<string, Json>>) {
    for (const field of ["id", "product_id", "variant_id", "title", "name", "sku", "vendor"] as const) {
      if (line[field] !== null && line[field] === captureLine[field] && !spec.lines?.some((chosen) => [chosen.id, chosen.productId, chosen.variantId, chosen.title, chosen.sku, chosen.vendor].includes(String(line[field])))) {
        leaks.push(`line ${field} ${JSON.stringify(line[field])}`);
      }
    }
  }
  if (body.test === true && spec.test !== true) leaks.push("test: true");
  if (body.currency === capture.currency && spec.currency !== capture.currency) leaks.push(`currency ${String(body.currency)}`);
  if (body.source_name !== (spec.sourceName ?? "web")) leaks.push(`source_name ${String(body.source_name)}`);
  for (const field of ["token", "cart_token", "checkout_token", "confirmation_number", "order_status_url", "browser_ip"] as const) {
    if (body[field] !== null && body[field] === capture[field]) leaks.push(`${field} ${JSON.stringify(body[field])}`);
  }
  const customer = body.customer as Record<string, Json> | null;
  if (customer) {
    for (const field of ["first_name", "last_name", "email"] as const) {
      if (customer[field] !== null && customer[field] === captureCustomer[field]) leaks.push(`customer ${field} ${JSON.stringify(customer[field])}`);
    }
    if (customer.default_address && !spec.address) leaks.push("customer default_address");
  }
  return leaks;
}

const specs: OrderSpec[] = [
  { id: "5100000000001" },
  { id: "5100000000002", customerId: "9001", subtotal: "19.00" },
  {
    id: "5100000000003",
    customerId: "9002",
    currency: "EUR",
    shipping: "4.90",
    tax: "3.80",
    discountApplications: [{ type: "discount_code", code: "GOLD10", valueType: "percentage", value: "10.0" }],
    lines: [
      { id: "61", productId: "8001", title: "Green Tea Leaves 250 g", sku: "TEA-GREEN-250", price: "19.00", quantity: 2, discounts: [{ amount: "3.80" }] },
      { id: "62", productId: "8002", title: "Gift Card", price: "50.00", giftCard: true },
    ],
  },
  { id: "5100000000004", customerId: null, sourceName: "pos", address: { city: "Lyon", provinceCode: null, countryCode: "FR" } },
  { id: "5100000000005", test: true },
  { id: "5100000000006", currency: "USD", presentment: { currency: "JPY", rate: 150 }, lines: [{ id: "63", productId: "8003", title: "Coffee Beans 1 kg", price: "32.00", quantity: 3, currentQuantity: 1 }] },
];

describe("generated order bodies", () => {
  it("have the shape of the development-store capture, key for key", () => {
    for (const spec of specs) expect(shapeDifferences(capture, orderPayload(spec) as Record<string, Json>), spec.id).toEqual([]);
  });

  it("carry nothing of the capture the generated store did not choose", () => {
    for (const spec of specs) expect(leakedFromCapture(orderPayload(spec) as Record<string, Json>, spec), spec.id).toEqual([]);
  });

  it("would be caught if they were built on the capture again", () => {
    // The way bodies were built before: the capture spread under a few chosen fields.
    const spec: OrderSpec = { id: "5100000000007", customerId: "9003" };
    const spread = { ...capture, ...orderPayload(spec), test: capture.test, line_items: [{ ...captureLine, id: 71 }] } as Record<string, Json>;
    expect(leakedFromCapture(spread, spec)).toEqual(expect.arrayContaining(["test: true", 'line product_id 15394248065257', 'line title "Notebook Lenovo ThinkPad"', 'line sku "NOR-002"']));
  });

  it("name orders as Shopify numbers them, the same in every body about one order", () => {
    const first = orderPayload({ id: "5200000000001" });
    const second = orderPayload({ id: "5200000000002" });
    const again = orderPayload({ id: "5200000000001", financialStatus: "refunded" });
    const number = (body: Record<string, unknown>) => Number(String(body.name).slice(1));
    expect(number(first)).toBeGreaterThanOrEqual(1001);
    expect(number(second)).toBe(number(first) + 1);
    expect(again.name).toBe(first.name);
    expect(first.order_number).toBe(number(first));
    expect(orderPayload({ id: "5200000000003", number: 1234 }).name).toBe("#1234");
  });

  it("add up as Shopify's do: lines, discounts, shipping, tax and what is left after an edit", () => {
    const body = orderPayload(specs[2]);
    const order = parseOrder("orders/create", body);
    // 2 × 19.00 − 3.80 + 50.00 gift card
    expect(order.subtotalMinor).toBe(8420);
    expect(order.totalDiscountsMinor).toBe(380);
    expect(order.totalMinor).toBe(8420 + 490 + 380);
    expect(body.discount_codes).toEqual([{ code: "GOLD10", amount: "3.80", type: "percentage" }]);
    expect(order.lines.map((line) => [line.title, line.sku, line.giftCard, line.discountMinor])).toEqual([
      ["Green Tea Leaves 250 g", "TEA-GREEN-250", false, 380],
      ["Gift Card", null, true, 0],
    ]);
    const edited = orderPayload(specs[5]) as { current_subtotal_price_set: { shop_money: { amount: string }; presentment_money: { amount: string; currency_code: string } }; subtotal_price: string };
    expect(edited.subtotal_price).toBe("96.00");
    expect(edited.current_subtotal_price_set.shop_money.amount).toBe("32.00");
    expect(edited.current_subtotal_price_set.presentment_money).toEqual({ amount: "4800", currency_code: "JPY" });
  });

  it("refuse a subtotal the lines do not add up to, and a discount for an application the order lacks", () => {
    expect(() => orderPayload({ id: "5300000000001", subtotal: "10.00", lines: [{ id: "1", productId: "1", price: "12.00" }] })).toThrow(/subtotal 10.00/);
    expect(() => orderPayload({ id: "5300000000002", lines: [{ id: "1", productId: "1", price: "12.00", discounts: [{ amount: "1.00" }] }] })).toThrow(/application 0/);
  });
});

describe("generated refund bodies", () => {
  const sample = fixture<Record<string, Json>>("refunds__create");

  it("have the shape of Shopify's refunds/create sample, with lines, shipping, a discrepancy and transactions", () => {
    const body = refundPayload({
      id: "5400000000001",
      orderId: "5100000000003",
      order: orderPayload(specs[2]),
      lines: [{ lineItemId: "61", quantity: 1, subtotal: "17.10" }],
      shipping: "4.90",
      discrepancy: "2.00",
    }) as Record<string, Json>;
    // The documentation's sample predates three line fields the 2026-10 capture carries on its lines.
    const newerLineFields = /line_item\.(current_quantity|attributed_staffs|sales_line_item_group_id): not in the sample$/;
    expect(shapeDifferences(sample, body).filter((difference) => !newerLineFields.test(difference))).toEqual([]);
    expect(body.order_adjustments).toEqual([expect.objectContaining({ kind: "refund_discrepancy", amount: "-2.00" })]);
    expect((body.transactions as Array<{ amount: string }>).map((transaction) => transaction.amount)).toEqual(["24.00"]);
    expect(parseRefund("refunds/create", body).lines).toEqual([{ lineShopifyId: "61", quantity: 1, subtotalMinor: 1710 }]);
  });

  it("refund the order's default line when a test gives only an amount", () => {
    const order = orderPayload({ id: "5100000000008" }) as { line_items: Array<{ id: number }> };
    const refund = refundPayload({ id: "5400000000002", orderId: "5100000000008", amount: "20.00" }) as { refund_line_items: Array<{ line_item_id: number }> };
    expect(refund.refund_line_items[0].line_item_id).toBe(order.line_items[0].id);
  });
});
