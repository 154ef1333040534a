import { bulkCustomer, bulkOrder, isChildLine } from "./bulk-records";

const order = {
  id: "gid://shopify/Order/9007199254740993",
  name: "#1001",
  createdAt: "2025-03-01T10:00:00Z",
  processedAt: "2025-03-01T10:00:05Z",
  updatedAt: "2025-03-02T10:00:00Z",
  cancelledAt: null,
  cancelReason: null,
  displayFinancialStatus: "PARTIALLY_REFUNDED",
  displayFulfillmentStatus: "FULFILLED",
  test: false,
  sourceName: "web",
  currencyCode: "JPY",
  presentmentCurrencyCode: "JPY",
  subtotalPriceSet: { shopMoney: { amount: "12000.0", currencyCode: "JPY" } },
  totalPriceSet: { shopMoney: { amount: "13200.0" } },
  totalDiscountsSet: { shopMoney: { amount: "0.0" } },
  totalTaxSet: { shopMoney: { amount: "1200.0" } },
  totalShippingPriceSet: { shopMoney: { amount: "0.0" } },
  customer: { id: "gid://shopify/Customer/9007199254740995" },
  refunds: [{ id: "gid://shopify/Refund/77", createdAt: "2025-03-05T00:00:00Z", totalRefundedSet: { shopMoney: { amount: "3000.0" } } }],
};
const item = {
  id: "gid://shopify/LineItem/9007199254740997",
  __parentId: order.id,
  title: "Tea",
  sku: "T-1",
  vendor: null,
  quantity: 2,
  product: { id: "gid://shopify/Product/5" },
  variant: null,
  originalUnitPriceSet: { shopMoney: { amount: "6000.0" } },
  totalDiscountSet: { shopMoney: { amount: "0.0" } },
  isGiftCard: false,
};

it("reads an order line and its line items as the webhook projector's records, ids exact, money in minor units", () => {
  const { order: record, refunds } = bulkOrder(order, [item]);
  expect(record).toMatchObject({
    shopifyId: "9007199254740993",
    customer: { shopifyId: "9007199254740995", email: null },
    subtotalMinor: 12_000, // JPY has no minor digits
    totalTaxMinor: 1_200,
    financialStatus: "partially_refunded",
    processedAt: new Date("2025-03-01T10:00:05Z"),
    lines: [{ shopifyId: "9007199254740997", productShopifyId: "5", variantShopifyId: null, quantity: 2, unitPriceMinor: 6_000, giftCard: false }],
  });
  expect(refunds).toEqual([{ shopifyId: "77", orderShopifyId: "9007199254740993", processedAt: new Date("2025-03-05T00:00:00Z"), amountMinor: 3_000, currencyCode: "JPY", lines: [], note: null, unallocatedMinor: 0 }]);
  expect(isChildLine(item)).toBe(true);
  expect(isChildLine(order)).toBe(false);
});

it("reads a customer with Shopify's lifetime totals", () => {
  const { record, lifetime } = bulkCustomer({ id: "gid://shopify/Customer/42", email: "a@example.com", tags: ["vip", "wholesale"], numberOfOrders: "7", amountSpent: { amount: "1234.5", currencyCode: "USD" }, createdAt: "2024-01-01T00:00:00Z", updatedAt: "2025-01-01T00:00:00Z" });
  expect(record).toMatchObject({ shopifyId: "42", email: "a@example.com", tags: "vip, wholesale" });
  expect(lifetime).toEqual({ amountSpentMinor: 123_450, numberOfOrders: 7 });
});

it("reads a customer's region and marketing consent, so placement and the contact policy know them from install", () => {
  const { record } = bulkCustomer({
    id: "gid://shopify/Customer/43",
    defaultAddress: { city: "Shanghai", province: "Shanghai", provinceCode: "SH", countryCodeV2: "CN" },
    defaultEmailAddress: { marketingState: "SUBSCRIBED", marketingUpdatedAt: "2025-06-01T00:00:00Z" },
    defaultPhoneNumber: { marketingState: "NOT_SUBSCRIBED", marketingUpdatedAt: null },
  });
  expect(record).toMatchObject({
    countryCode: "CN",
    provinceCode: "SH",
    provinceName: "Shanghai",
    city: "Shanghai",
    emailConsent: { state: "SUBSCRIBED", updatedAt: new Date("2025-06-01T00:00:00Z") },
    smsConsent: { state: "NOT_SUBSCRIBED", updatedAt: null },
  });
  expect(bulkCustomer({ id: "gid://shopify/Customer/44", defaultAddress: null, defaultEmailAddress: null, defaultPhoneNumber: null }).record).toMatchObject({ countryCode: null, emailConsent: null, smsConsent: null });
});

it("names what is wrong with a line it cannot use", () => {
  expect(() => bulkOrder({ ...order, totalPriceSet: undefined }, [])).toThrow("bulk operation: order totalPriceSet: Invalid input");
  expect(() => bulkOrder(order, [{ ...item, __parentId: "gid://shopify/Order/1" }])).toThrow("belongs to gid://shopify/Order/1");
  expect(() => bulkCustomer({ id: "Customer/42" })).toThrow("bulk operation: customer id");
});
