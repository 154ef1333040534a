// The gift list page through the built app with a real session token: the
// list in both languages, a bad gift refused with a message per field (422,
// nothing saved), a good one added and edited, deactivated and reactivated,
// and another shop's gift neither changed nor deactivated (404).
import db from "~/db.server";
import { createGift, listGifts } from "~/models/gifts.server";
import { saveShopSettings } from "~/models/shops.server";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";

const shop = "gift-page.myshopify.com";
const other = "other-gifts.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let app: TestApp;

beforeAll(async () => {
  for (const domain of [shop, other]) {
    await installShop(domain);
    await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "JPY", primaryLocale: "en", scopes: null }, new Date());
  }
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const query = (locale = "en-US") => new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/gift-page").toString("base64url"), locale });
const post = (fields: Array<[string, string]>) =>
  fetch(`${app.url}/app/gifts?${query()}&_data=routes%2Fapp.gifts`, { method: "POST", headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER }, body: new URLSearchParams(fields) });

it("lists the shop's gifts in both languages, costs in the shop's currency", async () => {
  await createGift(shop, { name: "Matcha whisk", sku: "WHISK-1", kinds: ["birthday"], tierHandles: [], costMinor: 800, active: true }, new Date());
  await createGift(other, { name: "Someone else's gift", sku: null, kinds: [], tierHandles: [], costMinor: 100, active: true }, new Date());
  const english = await (await fetch(`${app.url}/app/gifts?${query()}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } })).text();
  expect(english).toContain("Matcha whisk");
  expect(english).toContain("WHISK-1");
  expect(english).toContain("¥800");
  expect(english).not.toContain("Someone else");
  const chinese = await (await fetch(`${app.url}/app/gifts?${query("zh-CN")}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } })).text();
  expect(chinese).toContain("赠品清单");
  expect(chinese).toContain("生日礼");
});

it("refuses a bad gift with a message on each field, saving nothing", async () => {
  const before = await db.gift.count({ where: { shop } });
  const response = await post([["intent", "save"], ["name", " "], ["cost", "-5"], ["kinds", "anniversary"], ["tierHandles", "diamond"]]);
  expect(response.status).toBe(422);
  const body = (await response.json()) as { errors: Record<string, { key: string }> };
  expect(body.errors).toEqual({ name: { key: "gifts.errors.nameRequired" }, cost: { key: "gifts.errors.cost" }, kinds: { key: "gifts.errors.kind" }, tierHandles: { key: "gifts.errors.tier" } });
  expect(await db.gift.count({ where: { shop } })).toBe(before);
  expect((await post([["intent", "explode"]])).status).toBe(422);
});

it("adds, edits, deactivates and reactivates a gift; another shop's gift is out of reach", async () => {
  expect((await post([["intent", "save"], ["name", "Tea towel"], ["sku", "TOWEL"], ["cost", "350"], ["kinds", "entry"], ["kinds", "surprise"]])).status).toBe(200);
  const towel = (await listGifts(shop)).find((gift) => gift.name === "Tea towel")!;
  expect(towel).toMatchObject({ sku: "TOWEL", costMinor: 350, kinds: ["entry", "surprise"], tierHandles: [], active: true });

  expect((await post([["intent", "save"], ["id", towel.id], ["name", "Linen tea towel"], ["cost", "400"]])).status).toBe(200);
  expect((await listGifts(shop)).find((gift) => gift.id === towel.id)).toMatchObject({ name: "Linen tea towel", sku: null, costMinor: 400, kinds: [] });
  expect((await post([["intent", "deactivate"], ["id", towel.id]])).status).toBe(200);
  expect((await listGifts(shop)).find((gift) => gift.id === towel.id)!.active).toBe(false);
  expect((await post([["intent", "activate"], ["id", towel.id]])).status).toBe(200);
  expect((await listGifts(shop)).find((gift) => gift.id === towel.id)!.active).toBe(true);

  const theirs = (await listGifts(other))[0];
  expect((await post([["intent", "deactivate"], ["id", theirs.id]])).status).toBe(404);
  expect((await post([["intent", "save"], ["id", theirs.id], ["name", "Mine now"]])).status).toBe(404);
  expect((await listGifts(other))[0]).toMatchObject({ name: "Someone else's gift", active: true });
});
