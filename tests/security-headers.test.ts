// Security headers on every kind of response the built server sends, and clear
// 4xx answers (not 500) for the requests it refuses (issue 18). Real HTTP
// requests to the built app: pages as a browser or Shopify admin loads them,
// webhooks as Shopify signs them, assets as the page fetches them.
import fs from "node:fs";
import path from "node:path";
import db from "~/db.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";
import { sendWebhook } from "../tools/simulator/webhooks";

const shop = "headers-shop.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let app: TestApp;

beforeAll(async () => {
  await installShop(shop);
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const embedded = (pathname: string, params: Record<string, string> = {}) =>
  `${app.url}${pathname}?${new URLSearchParams({ embedded: "1", shop, host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"), id_token: sessionToken(shop), ...params })}`;

/** What a page that no one may frame carries. */
function expectUnframeable(headers: Headers) {
  expect(headers.get("content-security-policy")).toBe("frame-ancestors 'none';");
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("x-content-type-options")).toBe("nosniff");
}

describe("security headers", () => {
  it("the landing page and /auth/login cannot be framed by anyone", async () => {
    for (const pathname of ["/", "/auth/login"]) {
      const response = await fetch(`${app.url}${pathname}`, { headers: { "User-Agent": BROWSER } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expectUnframeable(response.headers);
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
  });

  it("the unsubscribe page cannot be framed and sends no Referer (its token is in the path)", async () => {
    const response = await fetch(`${app.url}/unsubscribe/not-a-valid.token`, { headers: { "User-Agent": BROWSER } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<html");
    expectUnframeable(response.headers);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("the sender confirmation page cannot be framed and sends no Referer (its token is in the path)", async () => {
    const response = await fetch(`${app.url}/sender/confirm/not-a-valid.token.here`, { headers: { "User-Agent": BROWSER } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<html");
    expectUnframeable(response.headers);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("an embedded admin page may be framed by its shop's admin and admin.shopify.com only", async () => {
    const response = await fetch(embedded("/app"), { headers: { "User-Agent": BROWSER } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe(`frame-ancestors https://${shop} https://admin.shopify.com;`);
    expect(response.headers.get("x-frame-options")).toBe(null);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("Shopify's session-token bounce page is framed by the shop's admin only, and by no one for a shop that is no shop domain", async () => {
    // The library renders this page itself (a thrown response from a resource
    // route, outside entry.server) and echoes ?shop= into frame-ancestors unchecked.
    const bounce = (shopParam: string) => fetch(`${app.url}/auth/session-token?${new URLSearchParams({ shop: shopParam, "shopify-reload": "/app" })}`, { headers: { "User-Agent": BROWSER } });
    const real = await bounce(shop);
    expect(real.status).toBe(200);
    expect(await real.text()).toContain("app-bridge.js");
    expect(real.headers.get("content-security-policy")).toBe(`frame-ancestors https://${shop} https://admin.shopify.com;`);
    expect(real.headers.get("x-content-type-options")).toBe("nosniff");
    const forged = await bounce("evil.example.com");
    expect(forged.headers.get("content-security-policy")).not.toContain("evil.example.com");
    expectUnframeable(forged.headers);
    // An admin page asked for with such a shop is sent to the login, never framed.
    const page = await fetch(`${app.url}/app?shop=evil.example.com`, { headers: { "User-Agent": BROWSER }, redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("content-security-policy") ?? "").not.toContain("evil.example.com");
  });

  it("webhook answers, admin data responses and static assets carry nosniff", async () => {
    const webhook = await sendWebhook(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "88001" }), webhookId: "headers-1" });
    expect(webhook.status).toBe(200);
    expect(webhook.headers.get("x-content-type-options")).toBe("nosniff");

    const data = await fetch(`${app.url}/app/settings?_data=routes/app.settings`, { headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER } });
    expect(data.status).toBe(200);
    expect(data.headers.get("content-type")).toMatch(/application\/json/);
    expect(data.headers.get("x-content-type-options")).toBe("nosniff");

    const asset = fs.readdirSync(path.resolve("public/build")).find((name) => name.endsWith(".js"));
    const script = await fetch(`${app.url}/build/${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript");
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("refused requests answer 4xx, not 500", () => {
  it("a malformed percent-encoded URL is a 400", async () => {
    for (const pathname of ["/%E0%A4%A", "/build/%E0%A4%A", "/app/%FF"]) {
      const response = await fetch(`${app.url}${pathname}`);
      expect(response.status).toBe(400);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("/auth/login answers a body that is no form with 415 and an unreadable form with 400", async () => {
    const json = await fetch(`${app.url}/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ shop }) });
    expect(json.status).toBe(415);
    expect(await json.text()).toMatch(/form/);
    const broken = await fetch(`${app.url}/auth/login`, { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=nothing-matches" }, body: "shop=a" });
    expect(broken.status).toBe(400);
    // A real form still reaches the login: an empty shop is the form's own error.
    const empty = await fetch(`${app.url}/auth/login`, { method: "POST", body: new URLSearchParams({ shop: "" }) });
    expect(empty.status).toBe(200);
  });

  const intelSettings = async () => (await db.shop.findUnique({ where: { shop } }))?.intelSettings ?? null;

  it("an admin form submitted from another site is a 403 and changes nothing; the same form from the app is saved", async () => {
    const form = new URLSearchParams({ "rfm.windowDays": "400" });
    const before = await intelSettings();
    for (const origin of ["https://evil.example", "null", "not a url"]) {
      const crossSite = await fetch(embedded("/app/settings"), { method: "POST", headers: { Origin: origin, "User-Agent": BROWSER }, body: form });
      expect(crossSite.status).toBe(403);
    }
    const fromElsewhere = await fetch(`${app.url}/unsubscribe/not-a-valid.token`, { method: "POST", headers: { Origin: "https://evil.example" }, body: new URLSearchParams({ intent: "unsubscribe" }) });
    expect(fromElsewhere.status).toBe(403);
    expect(await intelSettings()).toBe(before);

    const sameSite = await fetch(embedded("/app/settings"), { method: "POST", headers: { Origin: app.url, "User-Agent": BROWSER }, body: form });
    expect(sameSite.status).toBe(200);
    expect(JSON.parse((await intelSettings())!)).toMatchObject({ rfm: { windowDays: 400 } });
  });

  it("an authenticated admin action sent JSON or a broken multipart body is a 4xx and changes nothing", async () => {
    const before = await intelSettings();
    const send = (contentType: string, body: string) =>
      fetch(`${app.url}/app/settings?_data=routes/app.settings`, { method: "POST", headers: { Authorization: `Bearer ${sessionToken(shop)}`, "Content-Type": contentType }, body });
    expect((await send("application/json", JSON.stringify({ "rfm.windowDays": 500 }))).status).toBe(415);
    expect((await send("multipart/form-data; boundary=x", "--y\r\nbroken")).status).toBe(400);
    expect(await intelSettings()).toBe(before);
  });
});
