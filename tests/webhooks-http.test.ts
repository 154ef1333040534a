// Webhooks as Shopify delivers them: real signed HTTP requests to the built
// server, the in-process worker projecting them.
import db from "~/db.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload, refundPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";
import { waitForInboxDrained } from "./support/wait";
import { sendWebhook, signBody } from "../tools/simulator/webhooks";

let app: TestApp;
beforeAll(async () => {
  await installTestShop(shop);
  app = await startTestApp();
});
afterAll(() => app.close());

const shop = "http-shop.myshopify.com";

describe("webhook authentication and bad input", () => {
  it("answers 401 to a wrong or missing signature and stores nothing", async () => {
    const body = orderPayload({ id: "11001" });
    const forged = await sendWebhook(app.url, { topic: "orders/create", shop, body, hmac: signBody(JSON.stringify(body), "not-the-secret"), webhookId: "forged-1" });
    expect(forged.status).toBe(401);
    const unsigned = await sendWebhook(app.url, { topic: "orders/create", shop, body, hmac: "", webhookId: "forged-2" });
    expect(unsigned.status).toBe(401);
    expect(await db.inboxEvent.count({ where: { webhookId: { in: ["forged-1", "forged-2"] } } })).toBe(0);
  });

  it("answers 400 naming each Shopify header a signed delivery lacks, and to an empty body, and stores nothing", async () => {
    const { webhookRequest } = await import("../tools/simulator/webhooks");
    const { url, init } = webhookRequest(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "11004" }), webhookId: "headless-1" });
    const headers = { ...(init.headers as Record<string, string>) };
    delete headers["X-Shopify-API-Version"];
    delete headers["X-Shopify-Webhook-Id"];
    const headless = await fetch(url, { ...init, headers });
    expect(headless.status).toBe(400);
    expect(await headless.text()).toBe("Bad request: missing_headers (X-Shopify-API-Version, X-Shopify-Webhook-Id)");
    const empty = await sendWebhook(app.url, { topic: "orders/create", shop, body: null, rawBody: "", webhookId: "empty-1" });
    expect(empty.status).toBe(400);
    expect(await db.inboxEvent.count({ where: { webhookId: { in: ["headless-1", "empty-1"] } } })).toBe(0);
  });

  it("verifies the signature over the bytes as sent: a body in Chinese, with headers in any case, is stored exactly", async () => {
    const body = { ...orderPayload({ id: "11005" }), note: "请在周末送达，谢谢 🎁" };
    const { webhookRequest } = await import("../tools/simulator/webhooks");
    const { url, init } = webhookRequest(app.url, { topic: "orders/create", shop, body, webhookId: "utf8-1" });
    const lowerCased = Object.fromEntries(Object.entries(init.headers as Record<string, string>).map(([name, value]) => [name.toLowerCase(), value]));
    const response = await fetch(url, { ...init, headers: lowerCased });
    expect(response.status).toBe(200);
    const row = await db.inboxEvent.findUnique({ where: { webhookId: "utf8-1" }, include: { payload: true } });
    expect(row?.payload?.body).toBe(init.body);
    // The same bytes signed for a different body are refused.
    const tampered = await fetch(url, { ...init, headers: { ...lowerCased, "x-shopify-webhook-id": "utf8-2" }, body: (init.body as string).replace("周末", "周一") });
    expect(tampered.status).toBe(401);
  });

  it("answers 400 to a signed body that is not JSON, and stores nothing", async () => {
    const response = await sendWebhook(app.url, { topic: "orders/create", shop, body: null, rawBody: "{not json", webhookId: "garbled-1" });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/not JSON/);
    expect(await db.inboxEvent.count({ where: { webhookId: "garbled-1" } })).toBe(0);
  });

  it("answers 400 when a topic is sent to an address that does not handle it", async () => {
    const { webhookRequest } = await import("../tools/simulator/webhooks");
    const { init } = webhookRequest(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "11002" }), webhookId: "misrouted-1" });
    const response = await fetch(`${app.url}/webhooks/customers`, init);
    expect(response.status).toBe(400);
    expect(await db.inboxEvent.count({ where: { webhookId: "misrouted-1" } })).toBe(0);
  });

  it("accepts a payload the projector cannot use, and keeps it as failed with the reason", async () => {
    const body = orderPayload({ id: "11003" });
    delete (body as Record<string, unknown>).line_items;
    const response = await sendWebhook(app.url, { topic: "orders/create", shop, body, webhookId: "unusable-1" });
    expect(response.status).toBe(200);
    await waitForInboxDrained();
    const row = await db.inboxEvent.findUnique({ where: { webhookId: "unusable-1" } });
    expect(row).toMatchObject({ status: "failed", topic: "orders/create", shop });
    expect(row?.lastError).toMatch(/line_items/);
  });
});

describe("duplicates and ordering", () => {
  it("turns the same webhook id delivered three times into one inbox row and one order", async () => {
    const body = orderPayload({ id: "12001", customerId: "13001", subtotal: "42.00" });
    const responses = await Promise.all([1, 2, 3].map(() => sendWebhook(app.url, { topic: "orders/create", shop, body, webhookId: "dup-http-1" })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitForInboxDrained();
    expect(await db.inboxEvent.count({ where: { webhookId: "dup-http-1" } })).toBe(1);
    expect(await db.order.count({ where: { shop, shopifyId: "12001" } })).toBe(1);
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "13001" } } })).toMatchObject({ orderCount: 1, netSpentMinor: 4200 });
  });

  it("converges when deliveries arrive out of order", async () => {
    const customerId = "13002";
    const refund = refundPayload({ id: "14001", orderId: "12002", amount: "10.00" });
    const cancelled = orderPayload({ id: "12003", customerId, subtotal: "30.00", updatedAt: "2026-10-03T00:00:00Z", cancelledAt: "2026-10-03T00:00:00Z" });
    const paidLater = orderPayload({ id: "12002", customerId, subtotal: "60.00", updatedAt: "2026-10-02T00:00:00Z" });
    const created = orderPayload({ id: "12002", customerId, subtotal: "50.00", updatedAt: "2026-10-01T00:00:00Z" });
    const createdCancelled = orderPayload({ id: "12003", customerId, subtotal: "30.00", updatedAt: "2026-10-01T00:00:00Z" });
    // Newest first, the refund before its order, the cancellation before the order it cancels.
    for (const [topic, body] of [["refunds/create", refund], ["orders/cancelled", cancelled], ["orders/updated", paidLater], ["orders/create", created], ["orders/create", createdCancelled]] as const) {
      expect((await sendWebhook(app.url, { topic, shop, body })).status).toBe(200);
    }
    await waitForInboxDrained();
    expect(await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "12002" } } })).toMatchObject({ subtotalMinor: 6000 });
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerId } } })).toMatchObject({ orderCount: 1, netSpentMinor: 5000 });
  });
});
