// Projection of webhook bodies into member files, without HTTP: each case
// feeds bodies in some order and checks what a merchant would see.
import db from "~/db.server";
import { PayloadError } from "~/domain/webhook-payloads";
import { projectInboxEvent } from "~/services/projectors.server";
import { fixture, fulfillmentEventPayload, fulfillmentPayload, orderPayload, refundPayload } from "./support/payloads";

const shop = "projector-shop.myshopify.com";
const now = new Date("2026-10-10T00:00:00Z");
const project = (topic: string, body: unknown, s = shop) => projectInboxEvent({ shop: s, topic, body: JSON.stringify(body) }, now);
const member = (shopifyId: string, s = shop) => db.customer.findUnique({ where: { shop_shopifyId: { shop: s, shopifyId } } });

describe("orders", () => {
  it("projects Shopify's development-store capture with exact ids and net spend in minor units", async () => {
    const body = fixture("orders__create-3");
    await project("orders/paid", body);
    const order = await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "18922194698473" } }, include: { lines: true } });
    expect(order).toMatchObject({ currencyCode: "ARS", subtotalMinor: 145000000, financialStatus: "paid", customerShopifyId: "31257143804137" });
    expect(order?.lines).toHaveLength(1);
    expect(order?.lines[0]).toMatchObject({ shopifyId: "50752648773865", productShopifyId: "15394248065257", quantity: 1, unitPriceMinor: 145000000 });
    // The capture is a test order ("test": true): it makes the customer known and counts for nothing.
    expect(order).toMatchObject({ test: true, countsAsPurchase: false, netSpendMinor: 0 });
    expect(await member("31257143804137")).toMatchObject({ firstName: "Juana", countryCode: "AR", orderCount: 0, netSpentMinor: 0 });

    // The same body as a real order: net spend in minor units.
    await project("orders/updated", { ...body, test: false, updated_at: "2026-10-02T00:00:00-03:00" });
    expect(await member("31257143804137")).toMatchObject({ orderCount: 1, netSpentMinor: 145000000 });
  });

  it("keys Shopify's doc sample by its gid, not the rounded number, and leaves a cancelled order out of the facts", async () => {
    await project("orders/cancelled", fixture("orders__create"));
    const order = await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "820982911946154508" } } });
    expect(order?.cancelledAt).not.toBeNull();
    const customer = await member("115310627314723954");
    expect(customer).toMatchObject({ orderCount: 0, netSpentMinor: 0 });
  });

  it("converges when orders/updated arrives before orders/create, and ignores a stale retry", async () => {
    const created = orderPayload({ id: "9100", customerId: "7100", subtotal: "40.00", updatedAt: "2026-10-01T12:00:00Z" });
    const edited = orderPayload({ id: "9100", customerId: "7100", subtotal: "55.00", updatedAt: "2026-10-01T13:00:00Z" });
    expect((await project("orders/updated", edited)).status).toBe("done");
    const stale = await project("orders/create", created);
    expect(stale).toMatchObject({ status: "skipped" });
    expect(await member("7100")).toMatchObject({ orderCount: 1, netSpentMinor: 5500 });
    // Duplicates change nothing.
    await project("orders/updated", edited);
    expect(await db.order.count({ where: { shop, shopifyId: "9100" } })).toBe(1);
    expect(await member("7100")).toMatchObject({ orderCount: 1, netSpentMinor: 5500 });
  });

  it("computes order count, spend and gaps across a customer's history", async () => {
    await project("orders/create", orderPayload({ id: "9201", customerId: "7200", subtotal: "10.00", createdAt: "2026-07-01T10:00:00Z" }));
    await project("orders/create", orderPayload({ id: "9203", customerId: "7200", subtotal: "30.00", createdAt: "2026-09-01T10:00:00Z" }));
    await project("orders/create", orderPayload({ id: "9202", customerId: "7200", subtotal: "20.00", createdAt: "2026-08-01T10:00:00Z" }));
    const file = await member("7200");
    expect(file).toMatchObject({ orderCount: 3, netSpentMinor: 6000, medianGapDays: 31 });
    expect(JSON.parse(file!.orderGapsDays)).toEqual([31, 31]);
    expect(file?.firstOrderAt?.toISOString()).toBe("2026-07-01T10:00:00.000Z");
    expect(file?.lastOrderAt?.toISOString()).toBe("2026-09-01T10:00:00.000Z");
  });

  it("stores every field of an order and its lines as Shopify sent them, read back as dates, amounts and flags", async () => {
    // The drain writes orders with its own multi-row INSERT (models/orders.server.ts), not
    // Prisma's createMany: each column must still read back through Prisma as it was sent.
    await project(
      "orders/create",
      orderPayload({
        id: "9501",
        customerId: "7500",
        createdAt: "2026-09-15T08:30:00Z",
        updatedAt: "2026-09-15T08:31:00Z",
        presentment: { currency: "EUR", rate: 0.9 },
        sourceName: "pos",
        locationId: "71234",
        userId: "555",
        shipping: "5.00",
        tax: "7.20",
        lines: [
          { id: "95011", productId: "8100000009", title: "Mug", sku: "MUG-1", vendor: "Acme", price: "20.00", quantity: 2, currentQuantity: 1 },
          { id: "95012", productId: "8100000010", title: "Gift card", price: "50.00", giftCard: true },
        ],
      }),
    );
    const order = await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "9501" } }, include: { lines: { orderBy: { shopifyId: "asc" } } } });
    expect(order).toMatchObject({
      customerShopifyId: "7500",
      shopifyCreatedAt: new Date("2026-09-15T08:30:00Z"),
      processedAt: new Date("2026-09-15T08:30:00Z"),
      shopifyUpdatedAt: new Date("2026-09-15T08:31:00Z"),
      currencyCode: "USD",
      presentmentCurrency: "EUR",
      subtotalMinor: 9000,
      totalMinor: 10220,
      totalDiscountsMinor: 0,
      totalTaxMinor: 720,
      shippingMinor: 500,
      cancelledAt: null,
      cancelReason: null,
      test: false,
      sourceName: "pos",
      posLocationId: "71234",
      posUserId: "555",
      // One mug kept, the gift card is not merchandise spend.
      countsAsPurchase: true,
      netSpendMinor: 2000,
    });
    expect(order?.createdAt).toBeInstanceOf(Date);
    expect(order?.lines).toEqual([
      expect.objectContaining({ shopifyId: "95011", productShopifyId: "8100000009", title: "Mug", sku: "MUG-1", vendor: "Acme", quantity: 2, currentQuantity: 1, unitPriceMinor: 2000, discountMinor: 0, giftCard: false }),
      expect.objectContaining({ shopifyId: "95012", productShopifyId: "8100000010", title: "Gift card", quantity: 1, unitPriceMinor: 5000, giftCard: true }),
    ]);
    // Found by the columns the members list and the tier totals read.
    expect(await db.order.count({ where: { shop, customerShopifyId: "7500", countsAsPurchase: true, processedAt: { gte: new Date("2026-09-15T08:30:00Z") } } })).toBe(1);
  });

  it("a cancellation reduces the member's spend", async () => {
    await project("orders/create", orderPayload({ id: "9301", customerId: "7300", subtotal: "80.00" }));
    await project("orders/create", orderPayload({ id: "9302", customerId: "7300", subtotal: "20.00" }));
    await project("orders/cancelled", orderPayload({ id: "9301", customerId: "7300", subtotal: "80.00", updatedAt: "2026-10-02T00:00:00Z", cancelledAt: "2026-10-02T00:00:00Z" }));
    expect(await member("7300")).toMatchObject({ orderCount: 1, netSpentMinor: 2000 });
  });
});

describe("refunds", () => {
  it("reduce net spend, whether they arrive after or before their order", async () => {
    await project("orders/paid", orderPayload({ id: "9401", customerId: "7400", subtotal: "100.00" }));
    await project("refunds/create", refundPayload({ id: "5401", orderId: "9401", amount: "30.00" }));
    expect(await member("7400")).toMatchObject({ netSpentMinor: 7000, orderCount: 1 });

    await project("refunds/create", refundPayload({ id: "5402", orderId: "9402", amount: "25.00" }));
    await project("orders/paid", orderPayload({ id: "9402", customerId: "7401", subtotal: "25.00" }));
    expect(await member("7401")).toMatchObject({ netSpentMinor: 0, orderCount: 0 });

    // The same refund delivered again is counted once.
    await project("refunds/create", refundPayload({ id: "5401", orderId: "9401", amount: "30.00" }));
    expect(await member("7400")).toMatchObject({ netSpentMinor: 7000 });
  });

  it("projects Shopify's refund sample, keyed by its exact gid", async () => {
    await project("refunds/create", fixture("refunds__create"));
    const refund = await db.refund.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "890088186047892319" } } });
    // Five refunded lines in the sample; merchandise only, shop money.
    expect(refund?.amountMinor).toBeGreaterThan(0);
    expect(JSON.parse(refund!.lines)).toHaveLength(5);
  });
});

describe("fulfillments", () => {
  it("records delivery whether the carrier event comes before or after the fulfillment", async () => {
    await project("fulfillment_events/create", fulfillmentEventPayload({ id: "301", fulfillmentId: "601", orderId: "9501", status: "delivered", happenedAt: "2026-10-04T15:00:00Z" }));
    await project("fulfillment_events/create", fulfillmentEventPayload({ id: "300", fulfillmentId: "601", orderId: "9501", status: "in_transit", happenedAt: "2026-10-03T09:00:00Z" }));
    await project("fulfillments/create", fulfillmentPayload({ id: "601", orderId: "9501" }));
    const fulfillment = await db.fulfillment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "601" } } });
    expect(fulfillment).toMatchObject({ orderShopifyId: "9501", status: "success", trackingNumber: "1z827wk74630", lastEventStatus: "delivered" });
    expect(fulfillment?.deliveredAt?.toISOString()).toBe("2026-10-04T15:00:00.000Z");
  });

  it("takes delivery from a fulfillments/update shipment status too", async () => {
    await project("fulfillments/update", fulfillmentPayload({ id: "602", orderId: "9502", shipmentStatus: "delivered", updatedAt: "2026-10-06T08:00:00Z" }));
    const fulfillment = await db.fulfillment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "602" } } });
    expect(fulfillment?.deliveredAt?.toISOString()).toBe("2026-10-06T08:00:00.000Z");
  });
});

describe("customers and consent", () => {
  it("a newer customers/update wins over an older one arriving late, and an order's partial customer never overwrites it", async () => {
    const base = fixture("customers__create");
    const newer = { ...base, id: 7600, admin_graphql_api_id: "gid://shopify/Customer/7600", email: "new@example.com", updated_at: "2026-10-05T00:00:00Z" };
    const older = { ...newer, email: "old@example.com", updated_at: "2026-10-01T00:00:00Z" };
    await project("customers/update", newer);
    expect((await project("customers/update", older)).status).toBe("skipped");
    await project("orders/create", orderPayload({ id: "9601", customerId: "7600", email: "from-order@example.com" }));
    expect(await member("7600")).toMatchObject({ email: "new@example.com", firstName: "Bob", orderCount: 1 });
  });

  it("applies email and SMS marketing consent, newest first", async () => {
    await project("customers_email_marketing_consent/update", {
      customer_id: 7700,
      email_address: "c@example.com",
      email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-10-02T00:00:00Z" },
    });
    await project("customers_email_marketing_consent/update", {
      customer_id: 7700,
      email_marketing_consent: { state: "not_subscribed", consent_updated_at: "2026-09-01T00:00:00Z" },
    });
    await project("customers_marketing_consent/update", {
      id: 7700,
      phone: "+15550001111",
      sms_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-10-03T00:00:00Z", consent_collected_from: "SHOPIFY" },
    });
    expect(await member("7700")).toMatchObject({ emailConsentState: "SUBSCRIBED", smsConsentState: "SUBSCRIBED" });
  });

  it("customers/delete blanks personal data and a late update cannot bring it back", async () => {
    await project("orders/create", orderPayload({ id: "9801", customerId: "7800" }));
    await project("customers/delete", { id: 7800, admin_graphql_api_id: "gid://shopify/Customer/7800" });
    const base = fixture("customers__create");
    await project("customers/update", { ...base, id: 7800, admin_graphql_api_id: "gid://shopify/Customer/7800", updated_at: "2026-12-01T00:00:00Z" });
    expect(await member("7800")).toMatchObject({ email: null, firstName: null, deletedAt: now });
  });
});

describe("bad payloads", () => {
  it("rejects a body the projector cannot use with a reason naming the field", async () => {
    const body = orderPayload({ id: "9901" });
    delete (body as Record<string, unknown>).updated_at;
    await expect(project("orders/create", body)).rejects.toThrow(PayloadError);
    await expect(project("orders/create", body)).rejects.toThrow(/updated_at/);
    await expect(project("orders/create", { ...orderPayload({ id: "9902" }), subtotal_price_set: { shop_money: { amount: "ten", currency_code: "USD" } } })).rejects.toThrow(/not a decimal amount/);
  });
});
