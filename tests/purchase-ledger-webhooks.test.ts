// The purchase ledger (docs/decisions/0012-purchase-ledger.md) through signed
// webhooks with Shopify-shaped bodies: what each kind of order does to a
// member's facts, the tier aggregate, the classification reader and Results.
import db from "~/db.server";
import { EMPTY_AUDIENCE } from "~/domain/campaigns/audience";
import { countAudience } from "~/models/campaign-audience.server";
import { classificationFacts } from "~/models/intelligence.server";
import { audienceOrders } from "~/models/results.server";
import { qualifyingTotalsOf } from "~/models/tiers.server";
import { sendWebhook } from "../tools/simulator/webhooks";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload, refundPayload, type OrderSpec } from "./support/payloads";
import { installTestShop } from "./support/shops";
import { waitForInboxDrained } from "./support/wait";

let app: TestApp;
beforeAll(async () => {
  await installTestShop(shop);
  app = await startTestApp();
});
afterAll(() => app.close());

const shop = "ledger-shop.myshopify.com";
const created = "2026-10-01T12:00:00Z";
const later = (hours: number) => new Date(Date.parse(created) + hours * 3_600_000).toISOString();
const NOW = new Date("2026-10-20T00:00:00Z");
let delivery = 0;

async function send(topic: string, body: unknown) {
  const response = await sendWebhook(app.url, { topic, shop, body, webhookId: `ledger-${++delivery}` });
  expect(response.status).toBe(200);
}

async function settled() {
  await waitForInboxDrained();
  const failed = await db.inboxEvent.findMany({ where: { shop, status: "failed" }, select: { topic: true, lastError: true } });
  expect(failed).toEqual([]);
}

/** What every reader says of one customer: facts on the Customer row, the tier aggregate, the classification reader, Results. */
async function seen(customerId: string) {
  const customer = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerId } }, select: { orderCount: true, netSpentMinor: true } });
  const tier = (await qualifyingTotalsOf(shop, [customerId], { start: null, end: NOW })).get(customerId)!;
  const classified = (await classificationFacts(shop, { ids: [customerId] }, 0, +NOW)).get(customerId);
  await db.message.upsert({
    where: { shop_idempotencyKey: { shop, idempotencyKey: `ledger-${customerId}` } },
    create: { shop, customerShopifyId: customerId, idempotencyKey: `ledger-${customerId}`, source: "campaign", sourceId: "ledger-check", step: "send", channel: "email", messageClass: "marketing", priority: 1, plannedAt: NOW, availableAt: NOW, expiresAt: NOW, status: "sent", sentAt: new Date(created), createdAt: NOW, updatedAt: NOW },
    update: {},
  });
  const results = (await audienceOrders(shop, "ledger-check", new Date("2026-09-01T00:00:00Z"), NOW)).filter((row) => row.customerShopifyId === customerId);
  return {
    facts: { orders: customer?.orderCount ?? 0, spend: customer?.netSpentMinor ?? 0 },
    tier: { orders: tier.orders, spend: tier.netSpendMinor },
    classification: { orders: classified?.orderTimesMs.length ?? 0, spend: classified?.windowSpendMinor ?? 0 },
    results: { orders: results.length, spend: results.reduce((sum, row) => sum + row.revenueMinor, 0) },
  };
}

/** Products the customer bought, as the classification reader (product intervals) and a "bought product X" audience see them. */
async function bought(customerId: string, productId: string) {
  const classified = (await classificationFacts(shop, { ids: [customerId] }, 0, +NOW)).get(customerId);
  const audience = await countAudience(shop, { ...EMPTY_AUDIENCE, boughtProducts: [productId], reachableOnly: false }, "email", NOW);
  return { classification: classified?.purchaseProducts.includes(productId) ?? false, audience };
}

/** The same answer from every reader. */
const everywhere = (orders: number, spend: number) => ({ facts: { orders, spend }, tier: { orders, spend }, classification: { orders, spend }, results: { orders, spend } });

const lines = {
  tea: { id: "9101", productId: "8101", title: "Green Tea Leaves 250 g", sku: "TEA-GREEN-250", price: "19.00" },
  pot: { id: "9102", productId: "8102", title: "Ceramic Tea Set", sku: "HOME-TEASET", price: "89.00" },
  card: { id: "9103", productId: "8103", title: "Gift Card", price: "50.00", giftCard: true },
};

async function place(spec: OrderSpec, topic = "orders/paid") {
  await send(topic, orderPayload({ createdAt: created, ...spec }));
}

describe("the purchase ledger through signed webhooks", () => {
  it("counts an ordinary order's merchandise after discounts, not its shipping or tax, in every reader", async () => {
    await place({
      id: "7100001",
      customerId: "5100",
      shipping: "5.00",
      tax: "3.00",
      discountApplications: [{ type: "discount_code", code: "GOLD10", valueType: "percentage", value: "10.0" }],
      lines: [{ ...lines.tea, quantity: 2, discounts: [{ amount: "3.80" }] }],
    });
    await settled();
    expect(await seen("5100")).toEqual(everywhere(1, 3420));
  });

  it("lets a test order change no member's facts, tier or results", async () => {
    await place({ id: "7100011", customerId: "5101", lines: [{ ...lines.tea, id: "9111" }] });
    await place({ id: "7100012", customerId: "5101", test: true, lines: [{ ...lines.pot, id: "9112", quantity: 10 }] });
    await settled();
    expect(await seen("5101")).toEqual(everywhere(1, 1900));
  });

  it("adds no spend for a gift card, and an order of gift cards alone is not a purchase", async () => {
    await place({ id: "7100021", customerId: "5102", lines: [{ ...lines.tea, id: "9121" }, { ...lines.card, id: "9122" }] });
    await place({ id: "7100022", customerId: "5102", lines: [{ ...lines.card, id: "9123", quantity: 4 }] });
    await settled();
    expect(await seen("5102")).toEqual(everywhere(1, 1900));
  });

  it("counts an edit that removes a line, whether it comes as orders/updated, as orders/edited first, or with a refund", async () => {
    const spec = { customerId: "5103", lines: [{ ...lines.tea, id: "9131" }, { ...lines.pot, id: "9132" }] };
    // orders/updated alone: the pot's current_quantity is 0.
    await place({ ...spec, id: "7100031" });
    await place({ ...spec, id: "7100031", updatedAt: later(2), lines: [{ ...lines.tea, id: "9131" }, { ...lines.pot, id: "9132", currentQuantity: 0 }] }, "orders/updated");
    await settled();
    expect(await seen("5103")).toEqual(everywhere(1, 1900));
    // The tea set is no longer bought: not a product of theirs, not in a "bought the tea set" audience.
    expect(await bought("5103", "8101")).toMatchObject({ classification: true });
    expect(await bought("5103", "8102")).toEqual({ classification: false, audience: 0 });

    // orders/edited before the orders/updated that shows it, then that update: lowered once.
    await place({ customerId: "5104", id: "7100032", lines: [{ ...lines.tea, id: "9141" }, { ...lines.pot, id: "9142" }] });
    await settled();
    expect((await seen("5104")).facts).toEqual({ orders: 1, spend: 10_800 });
    await send("orders/edited", { order_edit: { id: 88001, app_id: null, created_at: later(3), committed_at: later(3), notify_customer: false, order_id: 7100032, staff_note: "", user_id: null, line_items: { additions: [], removals: [{ id: 9142, delta: 1 }] }, discounts: { additions: [], removals: [] }, shipping_lines: { additions: [], removals: [] } } });
    await settled();
    expect(await seen("5104")).toEqual(everywhere(1, 1900));
    await place({ customerId: "5104", id: "7100032", updatedAt: later(3), lines: [{ ...lines.tea, id: "9141" }, { ...lines.pot, id: "9142", currentQuantity: 0 }] }, "orders/updated");
    await settled();
    expect(await seen("5104")).toEqual(everywhere(1, 1900));

    // An edit of a paid order that comes with a refund of the removed line, refund first: lowered once.
    await place({ customerId: "5105", id: "7100033", lines: [{ ...lines.tea, id: "9151" }, { ...lines.pot, id: "9152" }] });
    await send("refunds/create", refundPayload({ id: "6100033", orderId: "7100033", lines: [{ lineItemId: "9152", quantity: 1, subtotal: "89.00", restockType: "cancel" }] }));
    await place({ customerId: "5105", id: "7100033", updatedAt: later(4), financialStatus: "partially_refunded", lines: [{ ...lines.tea, id: "9151" }, { ...lines.pot, id: "9152", currentQuantity: 0 }] }, "orders/updated");
    await settled();
    expect(await seen("5105")).toEqual(everywhere(1, 1900));
  });

  it("lowers spend by a goodwill refund, not by a shipping-only refund, and drops a fully refunded order", async () => {
    await place({ customerId: "5106", id: "7100041", shipping: "6.00", lines: [{ ...lines.pot, id: "9161" }] });
    await send("refunds/create", refundPayload({ id: "6100041", orderId: "7100041", discrepancy: "20.00", note: "Sorry for the wait" }));
    await send("refunds/create", refundPayload({ id: "6100042", orderId: "7100041", shipping: "6.00" }));
    await settled();
    expect(await seen("5106")).toEqual(everywhere(1, 6900));

    // A goodwill refund some bodies carry as its transaction alone (no lines, no adjustment).
    await place({ customerId: "5110", id: "7100045", lines: [{ ...lines.pot, id: "9163" }] });
    await send("refunds/create", { ...refundPayload({ id: "6100045", orderId: "7100045", discrepancy: "15.00" }), order_adjustments: [] });
    await settled();
    expect(await seen("5110")).toEqual(everywhere(1, 7400));

    await place({ customerId: "5107", id: "7100043", lines: [{ ...lines.tea, id: "9171", quantity: 2 }] });
    await place({ customerId: "5107", id: "7100044", lines: [{ ...lines.pot, id: "9172" }] });
    await send("refunds/create", refundPayload({ id: "6100043", orderId: "7100043", lines: [{ lineItemId: "9171", quantity: 2, subtotal: "38.00" }] }));
    await settled();
    expect(await seen("5107")).toEqual(everywhere(1, 8900));
  });

  it("counts a free order as an order with no spend, the same in facts, tiers, classification and Results", async () => {
    await place({
      customerId: "5108",
      id: "7100051",
      discountApplications: [{ type: "manual", title: "Replacement", valueType: "percentage", value: "100.0" }],
      lines: [{ ...lines.tea, id: "9181", discounts: [{ amount: "19.00" }] }],
    });
    await settled();
    expect(await seen("5108")).toEqual(everywhere(1, 0));
  });

  it("leaves out cancelled and voided orders, counts POS and draft-order sales, and multi-currency orders in shop money", async () => {
    await place({ customerId: "5109", id: "7100061", lines: [{ ...lines.pot, id: "9191" }] });
    await place({ customerId: "5109", id: "7100061", updatedAt: later(1), cancelledAt: later(1), financialStatus: "refunded", lines: [{ ...lines.pot, id: "9191" }] }, "orders/cancelled");
    await place({ customerId: "5109", id: "7100062", financialStatus: "voided", lines: [{ ...lines.pot, id: "9192" }] });
    await place({ customerId: "5109", id: "7100063", sourceName: "pos", lines: [{ ...lines.tea, id: "9193" }] });
    await place({ customerId: "5109", id: "7100064", sourceName: "shopify_draft_order", lines: [{ ...lines.tea, id: "9194" }] });
    // Paid in yen, the shop keeps dollars: 19.00 USD, whatever the ¥2,850 the buyer saw.
    await place({ customerId: "5109", id: "7100065", presentment: { currency: "JPY", rate: 150 }, lines: [{ ...lines.tea, id: "9195" }] });
    await settled();
    expect(await seen("5109")).toEqual(everywhere(3, 5700));
  });
});
