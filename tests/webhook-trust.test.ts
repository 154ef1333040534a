// Issue 18, "trust only what is signed": real signed HTTP requests to the built
// server. The HMAC covers the body, not the headers, so the shop header is
// checked for form and against the signed body, stale deliveries are refused,
// and webhooks of shops that do not have the app installed never become tenant data.
import db from "~/db.server";
import { REDACTED_BODY } from "~/models/inbox.server";
import { ManualClock } from "~/services/clock.server";
import { drainInbox, INSTALL_HOLD_MS } from "~/services/inbox-worker.server";
import { startTestApp, type TestApp } from "./support/app";
import { customerPayload, fixture, orderPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";
import { sendWebhook } from "../tools/simulator/webhooks";

let app: TestApp;
beforeAll(async () => {
  // The worker runs here, on a clock the test moves, so the hold for an
  // install in progress can be crossed without waiting.
  app = await startTestApp({ worker: false });
});
afterAll(() => app.close());

const HOUR = 3_600_000;
let seq = 0;
const id = (prefix: string) => `${prefix}-${++seq}`;

async function sessionFor(shop: string) {
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "token", scope: "read_customers" } });
}

describe("the shop header", () => {
  it("refuses with 400 a header that is no *.myshopify.com domain, and stores nothing nor makes a tenant", async () => {
    for (const shop of ["evil.example.com", "../../etc", "tea.myshopify.com.evil.example.com", "tea_house.myshopify.com", "tea.myshopify.io"]) {
      const webhookId = id("bad-domain");
      const response = await sendWebhook(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "51001", customerId: "52001" }), webhookId });
      expect(response.status, shop).toBe(400);
      expect(await response.text()).toMatch(/myshopify\.com/);
      expect(await db.inboxEvent.count({ where: { webhookId } })).toBe(0);
    }
    expect(await db.inboxEvent.count({ where: { shop: { in: ["evil.example.com", "../../etc"] } } })).toBe(0);
    expect(await db.shop.count({ where: { shop: { in: ["evil.example.com", "../../etc"] } } })).toBe(0);
  });

  it("files a delivery under the lower-cased domain, so one shop is one tenant whatever the case", async () => {
    const shop = "case-shop.myshopify.com";
    await installTestShop(shop);
    const webhookId = id("case");
    expect((await sendWebhook(app.url, { topic: "customers/create", shop: "Case-Shop.MyShopify.com", body: customerPayload({ id: "53001", email: "mei@example.com" }), webhookId })).status).toBe(200);
    expect(await db.inboxEvent.findUnique({ where: { webhookId } })).toMatchObject({ shop });
    await drainInbox({ clock: new ManualClock(new Date()) });
    expect(await db.customer.count({ where: { shop, shopifyId: "53001" } })).toBe(1);
    expect(await db.customer.count({ where: { shop: "Case-Shop.MyShopify.com" } })).toBe(0);
  });

  it("refuses a signed app/uninstalled whose body names another shop than the header: the victim keeps its sessions", async () => {
    const attacker = "shop-a.myshopify.com";
    const victim = "shop-b.myshopify.com";
    await installTestShop(attacker);
    await installTestShop(victim);
    await sessionFor(victim);
    // Shop A's own signed uninstall body, replayed with B's header.
    const body = { ...fixture("app__uninstalled"), myshopify_domain: attacker };
    const webhookId = id("cross");
    const response = await sendWebhook(app.url, { topic: "app/uninstalled", shop: victim, body, webhookId });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/myshopify_domain/);
    expect(await db.inboxEvent.count({ where: { webhookId } })).toBe(0);
    await drainInbox({ clock: new ManualClock(new Date()) });
    expect(await db.session.count({ where: { shop: victim } })).toBe(1);
    expect(await db.shop.findUnique({ where: { shop: victim } })).toMatchObject({ uninstalledAt: null });

    // The same body with its own shop's header is the real uninstall.
    await sessionFor(attacker);
    expect((await sendWebhook(app.url, { topic: "app/uninstalled", shop: attacker, body })).status).toBe(200);
    await drainInbox({ clock: new ManualClock(new Date()) });
    expect(await db.session.count({ where: { shop: attacker } })).toBe(0);
    expect((await db.shop.findUnique({ where: { shop: attacker } }))?.uninstalledAt).not.toBeNull();
  });

  it("refuses compliance requests whose shop_domain is another shop: nothing of the header's shop is erased", async () => {
    const victim = "redact-victim.myshopify.com";
    await installTestShop(victim);
    expect((await sendWebhook(app.url, { topic: "customers/create", shop: victim, body: customerPayload({ id: "54001", email: "lin@example.com" }) })).status).toBe(200);
    await drainInbox({ clock: new ManualClock(new Date()) });
    const other = "someone-else.myshopify.com";
    const requests = [
      { topic: "shop/redact", body: { ...fixture("shop__redact"), shop_domain: other } },
      { topic: "customers/redact", body: { ...fixture("customers__redact"), shop_domain: other, customer: { id: 54001, email: null, phone: null } } },
      { topic: "customers/data_request", body: { ...fixture("customers__data_request"), shop_domain: other, customer: { id: 54001, email: null, phone: null } } },
    ];
    for (const { topic, body } of requests) {
      const webhookId = id("redact-cross");
      const response = await sendWebhook(app.url, { topic, shop: victim, body, webhookId });
      expect(response.status, topic).toBe(401);
      expect(await db.inboxEvent.count({ where: { webhookId } })).toBe(0);
    }
    expect(await db.customer.count({ where: { shop: victim, shopifyId: "54001" } })).toBe(1);
    expect(await db.shop.count({ where: { shop: victim } })).toBe(1);
  });
});

describe("the delivery's age", () => {
  const shop = "age-shop.myshopify.com";
  beforeAll(() => installTestShop(shop));

  it("takes a late retry within Shopify's 4-hour retry window", async () => {
    const webhookId = id("late");
    const triggeredAt = new Date(Date.now() - 3.5 * HOUR).toISOString();
    expect((await sendWebhook(app.url, { topic: "customers/create", shop, body: customerPayload({ id: "55001", email: "a@example.com" }), webhookId, triggeredAt })).status).toBe(200);
    await drainInbox({ clock: new ManualClock(new Date()) });
    expect(await db.inboxEvent.findUnique({ where: { webhookId } })).toMatchObject({ status: "done" });
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "55001" } } })).toMatchObject({ email: "a@example.com" });
  });

  it("refuses with 400 a delivery triggered longer ago than Shopify retries, or from the future, and stores nothing", async () => {
    for (const [label, at] of [["a day old", Date.now() - 24 * HOUR], ["7 hours old", Date.now() - 7 * HOUR], ["an hour ahead", Date.now() + HOUR]] as const) {
      const webhookId = id("stale");
      const response = await sendWebhook(app.url, { topic: "customers/create", shop, body: customerPayload({ id: "55002", email: "b@example.com" }), webhookId, triggeredAt: new Date(at).toISOString() });
      expect(response.status, label).toBe(400);
      expect(await response.text()).toMatch(/Triggered-At/);
      expect(await db.inboxEvent.count({ where: { webhookId } })).toBe(0);
    }
    const garbled = await sendWebhook(app.url, { topic: "customers/create", shop, body: customerPayload({ id: "55003", email: "c@example.com" }), triggeredAt: "yesterday-ish" });
    expect(garbled.status).toBe(400);
  });
});

describe("shops that do not have the app installed", () => {
  it("acknowledges a never-installed shop's webhooks, holds them for an install in progress, then discards them unprojected", async () => {
    const shop = "never-installed.myshopify.com";
    const start = new Date();
    const webhookId = id("never");
    const response = await sendWebhook(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "56001", customerId: "57001", email: "ann@example.com" }), webhookId });
    expect(response.status).toBe(200);

    const clock = new ManualClock(start);
    clock.advance(60_000);
    expect(await drainInbox({ clock })).toMatchObject({ held: 1, done: 0 });
    expect(await db.inboxEvent.findUnique({ where: { webhookId } })).toMatchObject({ status: "pending", attempts: 0 });
    expect(await db.order.count({ where: { shop } })).toBe(0);

    clock.advance(INSTALL_HOLD_MS);
    expect(await drainInbox({ clock })).toMatchObject({ held: 0, skipped: 1 });
    const row = await db.inboxEvent.findUnique({ where: { webhookId }, include: { payload: true } });
    expect(row).toMatchObject({ status: "skipped", payload: { body: REDACTED_BODY } });
    expect(row?.lastError).toMatch(/not have the app installed/);
    expect(row?.payload?.body).not.toContain("ann@example.com");
    expect(await db.order.count({ where: { shop } })).toBe(0);
    expect(await db.customer.count({ where: { shop } })).toBe(0);
    expect(await db.shop.count({ where: { shop } })).toBe(0);
  });

  it("projects an order that arrived moments before the install was recorded, once it is", async () => {
    const shop = "installing.myshopify.com";
    const start = new Date();
    const webhookId = id("installing");
    expect((await sendWebhook(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "56002", customerId: "57002", subtotal: "25.00" }), webhookId })).status).toBe(200);
    const clock = new ManualClock(start);
    clock.advance(5_000);
    expect(await drainInbox({ clock })).toMatchObject({ held: 1 });
    await installTestShop(shop, {}, clock.now());
    clock.advance(60_000);
    expect(await drainInbox({ clock })).toMatchObject({ done: 1, held: 0 });
    expect(await db.inboxEvent.findUnique({ where: { webhookId } })).toMatchObject({ status: "done", attempts: 1 });
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "57002" } } })).toMatchObject({ orderCount: 1, netSpentMinor: 2500 });
  });

  it("discards an uninstalled shop's late webhooks, yet still carries out its compliance requests", async () => {
    const shop = "left.myshopify.com";
    const start = new Date();
    await installTestShop(shop, {}, start);
    expect((await sendWebhook(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "56003", customerId: "57003", email: "bo@example.com" }) })).status).toBe(200);
    const clock = new ManualClock(start);
    clock.advance(1_000);
    expect(await drainInbox({ clock })).toMatchObject({ done: 1 });

    expect((await sendWebhook(app.url, { topic: "app/uninstalled", shop, body: { ...fixture<Record<string, unknown>>("app__uninstalled"), myshopify_domain: shop } })).status).toBe(200);
    clock.advance(1_000);
    expect(await drainInbox({ clock })).toMatchObject({ done: 1 });

    const late = id("late-after-uninstall");
    expect((await sendWebhook(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "56004", customerId: "57004", email: "cy@example.com" }), webhookId: late })).status).toBe(200);
    const redact = id("redact-after-uninstall");
    const body = { ...fixture("customers__redact"), shop_domain: shop, customer: { id: 57003, email: "bo@example.com", phone: null }, orders_to_redact: [56003] };
    expect((await sendWebhook(app.url, { topic: "customers/redact", shop, body, webhookId: redact })).status).toBe(200);
    clock.advance(INSTALL_HOLD_MS + 60_000);
    await drainInbox({ clock });

    expect(await db.inboxEvent.findUnique({ where: { webhookId: late }, include: { payload: true } })).toMatchObject({ status: "skipped", payload: { body: REDACTED_BODY } });
    expect(await db.order.count({ where: { shop, shopifyId: "56004" } })).toBe(0);
    expect(await db.customer.count({ where: { shop, shopifyId: "57004" } })).toBe(0);
    // The redact request was carried out for the shop that has left.
    expect(await db.inboxEvent.findUnique({ where: { webhookId: redact } })).toMatchObject({ status: "done" });
    // (whether the member row is kept anonymous or goes whole, nothing names them)
    expect((await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "57003" } } }))?.email ?? null).toBeNull();
    expect(JSON.stringify(await db.customer.findMany({ where: { shop } }))).not.toContain("bo@example.com");
    expect(await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "56003" } } })).toMatchObject({ customerShopifyId: null });

    // shop/redact, 48 hours after the uninstall in real life, erases what is left.
    expect((await sendWebhook(app.url, { topic: "shop/redact", shop, body: { ...fixture<Record<string, unknown>>("shop__redact"), shop_domain: shop } })).status).toBe(200);
    clock.advance(1_000);
    expect(await drainInbox({ clock })).toMatchObject({ done: 1 });
    expect(await db.shop.count({ where: { shop } })).toBe(0);
  });
});
