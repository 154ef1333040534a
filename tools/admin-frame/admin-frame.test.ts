// The local admin frame over HTTP: the admin page embeds the app with the
// parameters Shopify admin adds, its session tokens pass Shopify's own
// verification for the app, and the stand-in script is served. (The browser
// suite, tests/browser, drives all of it in chromium.)
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { adminFrameAppEnv, startAdminFrame, type AdminFrame } from ".";

const shop = "frame-shop.myshopify.com";
const apiKey = "frame-api-key";
const apiSecret = "frame-api-secret";
let frame: AdminFrame;

const shopify = shopifyApi({ apiKey, apiSecretKey: apiSecret, apiVersion: ApiVersion.October25, hostName: "membercare.test", isEmbeddedApp: true, scopes: [] });

beforeAll(async () => {
  frame = await startAdminFrame({ appUrl: "http://127.0.0.1:1", shop, apiKey, apiSecret, staffUserId: "99", appName: "Member<Care>" });
});
afterAll(() => frame?.close());

it("points the app at the frame: the stand-in script and the frame's origin", () => {
  expect(adminFrameAppEnv("http://127.0.0.1:3100/app?locale=en")).toEqual({ APP_BRIDGE_URL: "http://127.0.0.1:3100/app-bridge.js", ADMIN_FRAME_ORIGIN: "http://127.0.0.1:3100" });
});

it("issues session tokens Shopify's library accepts for this app and shop, one minute long", async () => {
  const response = await fetch(`${frame.url}/session-token`);
  expect(response.headers.get("access-control-allow-origin")).toBeNull();
  expect(response.headers.get("cache-control")).toBe("no-store");
  const { token } = (await response.json()) as { token: string };
  const payload = await shopify.session.decodeSessionToken(token);
  expect(payload).toMatchObject({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: apiKey, sub: "99" });
  expect(payload.exp - payload.iat).toBe(60);
  const second = await shopify.session.decodeSessionToken(((await (await fetch(`${frame.url}/session-token`)).json()) as { token: string }).token);
  expect(second.jti).not.toBe(payload.jti);
  expect(second.sid).toBe(payload.sid);
});

it("shows the app's page in an iframe with the parameters Shopify admin adds, in the chosen language", async () => {
  const response = await fetch(`${frame.url}/app/members?locale=zh-CN&q=Lin`);
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain('<html lang="zh-CN">');
  expect(html).toContain("Member&#60;Care&#62;");
  const src = new URL(/id="app-iframe"[^>]* src="([^"]+)"/.exec(html)![1].replaceAll("&#38;", "&"));
  expect(src.origin + src.pathname).toBe("http://127.0.0.1:1/app/members");
  expect(Object.fromEntries(src.searchParams)).toMatchObject({ embedded: "1", shop, locale: "zh-CN", q: "Lin", host: Buffer.from("admin.shopify.com/store/frame-shop").toString("base64url") });
  expect((await shopify.session.decodeSessionToken(src.searchParams.get("id_token")!)).dest).toBe(`https://${shop}`);
});

it("serves the App Bridge stand-in and sends other paths to the app or nowhere", async () => {
  const script = await fetch(`${frame.url}/app-bridge.js`);
  expect(script.headers.get("content-type")).toContain("text/javascript");
  expect(await script.text()).toContain("shopify:navigate");
  const root = await fetch(`${frame.url}/?locale=en`, { redirect: "manual" });
  expect(root.status).toBe(302);
  expect(root.headers.get("location")).toBe("/app?locale=en");
  expect((await fetch(`${frame.url}/admin/oauth`)).status).toBe(404);
  expect((await fetch(`${frame.url}/session-token`, { method: "POST" })).status).toBe(405);
});

it("lists the demo store's catalog for the resource picker by title, as App Bridge's shapes with GIDs", async () => {
  const answer = await fetch(`${frame.url}/resources?type=product&query=${encodeURIComponent("TEA 250")}`);
  const { resources } = (await answer.json()) as { resources: Array<{ id: string; title: string; handle: string; variants: Array<{ id: string; price: string; product: { id: string } }> }> };
  // Every product of the generated store whose title holds both words, whatever its case.
  expect(resources.map((each) => each.title).sort()).toEqual(["Green Tea Leaves 250 g", "Oolong Tea 250 g"]);
  for (const product of resources) {
    expect(product.id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(product.variants[0].id).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
    expect(product.variants[0].product.id).toBe(product.id);
  }
  expect(resources.find((each) => each.title.startsWith("Oolong"))).toMatchObject({ handle: "oolong-tea-250-g", variants: [{ price: "26.00" }] });
  const collections = (await (await fetch(`${frame.url}/resources?type=collection&query=tea`)).json()) as { resources: Array<{ id: string; title: string; productsCount: number }> };
  expect(collections.resources).toEqual([expect.objectContaining({ title: "Tea", productsCount: 2, id: expect.stringMatching(/^gid:\/\/shopify\/Collection\/\d+$/) })]);
  expect((await fetch(`${frame.url}/resources?type=customer`)).status).toBe(400);
});
