// Which discount codes an order redeemed and what each took off (issue 17),
// from orders/* bodies written out by hand in Shopify's shape: the amounts
// come from the allocations of the code's application on line items and
// shipping lines, in shop money (the buyer may have paid in another currency).
import { parseOrderCodes, PayloadError } from "./webhook-payloads";

const bag = (shop: string, presentment: string, shopCurrency = "USD", presentmentCurrency = "EUR") => ({
  shop_money: { amount: shop, currency_code: shopCurrency },
  presentment_money: { amount: presentment, currency_code: presentmentCurrency },
});

it("adds the code's allocations on lines and shipping, in shop money, and ignores other discounts", () => {
  const body = {
    currency: "USD",
    presentment_currency: "EUR",
    discount_codes: [{ code: "mc-ab23cd45", amount: "99.99", type: "percentage" }],
    discount_applications: [
      { type: "automatic", title: "Gold member", value: "10.0", value_type: "percentage" },
      { type: "discount_code", code: "MC-AB23CD45", value: "20.0", value_type: "percentage" },
    ],
    line_items: [
      { discount_allocations: [{ amount: "5.00", amount_set: bag("5.00", "4.60"), discount_application_index: 0 }, { amount: "9.00", amount_set: bag("9.00", "8.28"), discount_application_index: 1 }] },
      { discount_allocations: [{ amount: "3.50", amount_set: bag("3.50", "3.22"), discount_application_index: 1 }] },
      { discount_allocations: [] },
    ],
    shipping_lines: [{ discount_allocations: [{ amount: "1.25", amount_set: bag("1.25", "1.15"), discount_application_index: 1 }] }],
  };
  // 9.00 + 3.50 + 1.25, not the automatic 5.00 and not the summary's amount.
  expect(parseOrderCodes("orders/create", body)).toEqual([{ code: "mc-ab23cd45", amountMinor: 1375 }]);
});

it("falls back to discount_codes[].amount when the body has no applications, in the shop's currency's minor units", () => {
  const body = { currency: "JPY", discount_codes: [{ code: "MC-ZZ99YY88", amount: "500", type: "fixed_amount" }], line_items: [{ discount_allocations: [] }] };
  expect(parseOrderCodes("orders/create", body)).toEqual([{ code: "MC-ZZ99YY88", amountMinor: 500 }]);
});

it("finds nothing on an order without codes, and refuses a body without its currency", () => {
  expect(parseOrderCodes("orders/create", { currency: "USD", discount_codes: [], line_items: [] })).toEqual([]);
  expect(() => parseOrderCodes("orders/create", { discount_codes: [{ code: "X", amount: "1.00" }] })).toThrow(PayloadError);
});
