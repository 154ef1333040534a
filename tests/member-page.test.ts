// The member page as Shopify admin loads it: the member's scores each with the
// sentence that explains it, their file, and a timeline of what happened to
// them (orders, refunds, shipments and deliveries, tier changes), in en and zh-CN.
import { saveShopSettings } from "~/models/shops.server";
import { classifyShop } from "~/services/intelligence.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { startTestApp, type TestApp } from "./support/app";
import { fulfillmentEventPayload, fulfillmentPayload, orderPayload, refundPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "member-page.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let app: TestApp;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString();

beforeAll(async () => {
  await installShop(shop);
  await saveShopSettings(shop, { name: "Member Page", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, new Date());
  const project = (topic: string, body: unknown) => projectInboxEvent({ shop, topic, body: JSON.stringify(body) }, new Date());
  await project("orders/paid", orderPayload({ id: "9101", number: 1001, customerId: "9001", subtotal: "120.00", createdAt: day(-60) }));
  await project("orders/paid", orderPayload({ id: "9102", number: 1002, customerId: "9001", subtotal: "80.00", createdAt: day(-20) }));
  await project("refunds/create", refundPayload({ id: "9201", orderId: "9102", amount: "30.00", createdAt: day(-15) }));
  await project("fulfillments/create", fulfillmentPayload({ id: "9301", orderId: "9102", updatedAt: day(-19), tracking: { company: "UPS", number: "1Z999" } }));
  await project("fulfillment_events/create", fulfillmentEventPayload({ id: "9401", fulfillmentId: "9301", orderId: "9102", status: "delivered", happenedAt: day(-17) }));
  // Others, so quintiles have something to compare with.
  for (let i = 0; i < 6; i++) await project("orders/paid", orderPayload({ id: String(9500 + i), customerId: String(9600 + i), subtotal: `${20 + i * 10}.00`, createdAt: day(-100 - i * 20) }));
  await classifyShop(shop, new Date());
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

async function load(locale: string) {
  const params = new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/member-page").toString("base64url"), id_token: sessionToken(shop), locale });
  const response = await fetch(`${app.url}/app/members/9001?${params}`, { headers: { "User-Agent": BROWSER } });
  return { status: response.status, html: (await response.text()).replace(/<!-- -->/g, "") };
}

it("explains each score, shows the file, and lists what happened, newest first", async () => {
  const { status, html } = await load("en-US");
  expect(status).toBe(200);
  expect(html).toContain("Scores");
  expect(html).toMatch(/R \d: last order 20 days ago/);
  expect(html).toMatch(/F \d: 2 orders in the last 365 days/);
  expect(html).toMatch(/Orders about every \d+ days; next order expected/);
  expect(html).toContain("Timeline");
  const order = html.indexOf("Refund on #1002: $30.00");
  expect(order).toBeGreaterThan(0);
  expect(html.indexOf("#1002 delivered")).toBeGreaterThan(0);
  expect(html.indexOf("#1002 delivered")).toBeLessThan(html.indexOf("#1002 shipped (UPS)")); // newest first
  expect(html).toContain("Order #1001: $120.00");
  expect(html).toContain("Clothing size"); // the file editor
});

it("says it all in Simplified Chinese too", async () => {
  const { status, html } = await load("zh-CN");
  expect(status).toBe(200);
  expect(html).toContain("评分");
  expect(html).toContain("时间线");
  expect(html).toContain("#1002 已送达");
  expect(html).not.toContain("Timeline");
});
