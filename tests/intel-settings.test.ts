// The customer intelligence settings page: thresholds shown with their ranges,
// out-of-range or contradictory values refused with a message on the field
// (422, nothing saved), good values saved and the shop queued for reclassifying.
import db from "~/db.server";
import { getIntelligenceContext } from "~/models/intelligence.server";
import { saveShopSettings } from "~/models/shops.server";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";

const shop = "intel-settings.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let app: TestApp;

beforeAll(async () => {
  await installShop(shop);
  await saveShopSettings(shop, { name: "Intel Settings", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, new Date());
  await db.shop.update({ where: { shop }, data: { intelClassifiedAt: new Date() } });
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const query = (locale = "en-US") => new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/intel-settings").toString("base64url"), locale });
const post = (fields: Record<string, string>) =>
  fetch(`${app.url}/app/settings?${query()}&_data=routes%2Fapp.settings`, { method: "POST", headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER }, body: new URLSearchParams(fields) });

it("shows every threshold with its range and default, in both languages", async () => {
  const english = await (await fetch(`${app.url}/app/settings?${query()}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } })).text();
  // The label in the merchant's words, its help saying what it changes for customers, then its range.
  expect(english).toContain("Key customers bring the top share of revenue (%)");
  expect(english).toContain("they get personal follow-ups");
  expect(english).toContain("1 to 99 (default 60)");
  const chinese = await (await fetch(`${app.url}/app/settings?${query("zh-CN")}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } })).text();
  expect(chinese).toContain("补货提醒");
});

it("refuses values out of range or that contradict each other, saving nothing", async () => {
  const response = await post({ "valueClass.keyPercent": "80", "valueClass.mainPercent": "30", "cadence.reminderPercent": "5" });
  expect(response.status).toBe(422);
  const body = (await response.json()) as { errors: Record<string, { key: string }> };
  expect(body.errors["cadence.reminderPercent"].key).toBe("intel.errors.range");
  const bad = await post({ "valueClass.keyPercent": "80", "valueClass.mainPercent": "30" });
  expect(((await bad.json()) as { errors: Record<string, { key: string }> }).errors["valueClass.mainPercent"].key).toBe("intel.errors.valueShares");
  expect((await getIntelligenceContext(shop)).settings.valueClass.keyPercent).toBe(60);
});

it("saves good values, keeps defaults for empty fields, and queues the shop for reclassifying", async () => {
  const response = await post({ "valueClass.keyPercent": "50", "cadence.reminderPercent": "80", "lifecycle.honeymoonDays": "" });
  expect(response.status).toBe(200);
  const context = await getIntelligenceContext(shop);
  expect(context.settings.valueClass).toEqual({ keyPercent: 50, mainPercent: 25 });
  expect(context.settings.cadence.reminderPercent).toBe(80);
  expect(context.settings.lifecycle.honeymoonDays).toBe(21);
  expect(context.classifiedAt).toBeNull();
});
