// The embedded Overview and Status pages as Shopify admin loads them (a
// document request with the session token in id_token), rendered on the server
// in both languages: the members on the merchant's home, the event that could
// not be applied (and why) on Status, where the webhook inbox moved (issue 20).
import { storeInboxEvent } from "~/models/inbox.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";

const shop = "pages-shop.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let app: TestApp;

beforeAll(async () => {
  await installShop(shop);
  await installTestShop(shop);
  await storeInboxEvent({ shop, webhookId: "page-1", topic: "orders/create", apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(orderPayload({ id: "91", customerId: "92", subtotal: "1234.56" })), receivedAt: new Date() });
  const broken = orderPayload({ id: "93" });
  delete (broken as Record<string, unknown>).updated_at;
  await storeInboxEvent({ shop, webhookId: "page-2", topic: "orders/create", apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(broken), receivedAt: new Date() });
  await drainInbox();
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

async function loadPage(path: "/app" | "/app/status", locale: string) {
  const params = new URLSearchParams({ embedded: "1", shop, host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"), id_token: sessionToken(shop), locale });
  const response = await fetch(`${app.url}${path}?${params}`, { headers: { "User-Agent": BROWSER } });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

it("renders the Overview in English with the member summary, and Status with the failed event's reason", async () => {
  const { status, html, headers } = await loadPage("/app", "en-US");
  expect(status).toBe(200);
  expect(html).toContain('<html lang="en">');
  expect(html).toContain("Member files");
  expect(html).toContain("Members: 1");
  expect(html).toContain("$1,234.56");
  expect(html).not.toContain("updated_at");
  expect(headers.get("content-security-policy")).toContain(`frame-ancestors https://${shop} https://admin.shopify.com`);
  const statusPage = await loadPage("/app/status", "en-US");
  expect(statusPage.status).toBe(200);
  expect(statusPage.html).toContain("updated_at");
});

it("renders the Overview in Simplified Chinese when Shopify admin asks for zh-CN", async () => {
  const { status, html } = await loadPage("/app", "zh-CN");
  expect(status).toBe(200);
  expect(html).toContain('<html lang="zh-CN">');
  expect(html).toContain("会员档案");
  expect(html).not.toContain("Member files");
  expect((await loadPage("/app/status", "zh-CN")).html).toContain("未能处理的事件");
});
