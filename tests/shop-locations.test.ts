// Stores by name (issue 21), through the built app on SQLite and PostgreSQL.
// POS orders arrive as signed webhooks naming their store only by id
// (location_id); the app reads the shop's locations from the store simulator
// (the Admin API's `locations`, validated against Shopify's schema there),
// and the Staff page names each store as Shopify does. A store renamed or
// deactivated in Shopify is renamed by the next day's refresh; a store opened
// since the last refresh is read as soon as a POS order names it. A shop that
// has not granted read_locations keeps working with ids and no error, until
// app/scopes_update says the merchant approved it.
import db from "~/db.server";
import { runJobNow } from "~/jobs/start.server";
import { createAdminClient } from "~/services/admin-client.server";
import { ManualClock } from "~/services/clock.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { DEFAULT_SCOPES } from "../tools/simulator/state";
import { STORE_LOCATIONS } from "../tools/simulator/store-generator";
import { sendWebhook } from "../tools/simulator/webhooks";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";

const granted = "locations-granted.myshopify.com";
const notGranted = "locations-not-granted.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const DAY = 86_400_000;
// The generated store's two counters, as its POS sales name them (the simulator's default locations).
const [SHANGHAI, SAN_FRANCISCO] = STORE_LOCATIONS;

let app: TestApp;
let simulator: StoreSimulator;
let unroute: () => void;
let orderSeq = 96_000;
let customerSeq = 9_600;

/** A walk-in's first purchase rung up at this store's till, received now as Shopify sends it. */
async function posSale(shop: string, locationId: string, at = new Date()) {
  const body = orderPayload({ id: String(++orderSeq), customerId: String(++customerSeq), subtotal: "30.00", createdAt: at.toISOString(), sourceName: "pos", userId: "7", locationId });
  expect((await sendWebhook(app.url, { topic: "orders/create", shop, body })).status).toBe(200);
}

const adminFor = async (shop: string) => createAdminClient({ shop, accessToken: `shpat_${shop}`, apiVersion: "2026-10" });
const runOutbox = (at: Date) => drainOutbox({ adminFor, clock: new ManualClock(at) });

async function staffPage(shop: string, locale = "en") {
  const response = await fetch(`${app.url}/app/staff?${new URLSearchParams({ embedded: "1", shop, host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"), id_token: sessionToken(shop), locale })}`, { headers: { "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return response.text();
}

/** The first cell (the store) of the store table's row for this location id. */
function storeCell(html: string, locationId: string): string | null {
  const row = new RegExp(`<tr[^>]*id="location-${locationId}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  const cell = row && /<td[^>]*>([\s\S]*?)<\/td>/.exec(row[1]);
  return cell ? cell[1].replace(/<[^>]+>/g, "").replace(/&#x27;|&#39;/g, "'").trim() : null;
}

const refreshEffect = (shop: string) => db.outboxEffect.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey: "locations.refresh" } }, select: { status: true, lastError: true } });

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  simulator = await startStoreSimulator();
  unroute = installShopRouting(simulator.url);
  simulator.addShop({ shop: granted, accessToken: `shpat_${granted}` });
  // Installed before the app asked for read_locations: Shopify answers `locations` with ACCESS_DENIED.
  simulator.addShop({ shop: notGranted, accessToken: `shpat_${notGranted}`, grantedScopes: DEFAULT_SCOPES.filter((scope) => scope !== "read_locations") });
  for (const shop of [granted, notGranted]) {
    await installShop(shop);
    await installTestShop(shop, { ianaTimezone: "Asia/Shanghai" });
    await posSale(shop, SHANGHAI.id);
    await posSale(shop, SAN_FRANCISCO.id);
  }
  expect((await drainInbox({ clock: new ManualClock(new Date()) })).failed).toBe(0);
}, 120_000);
afterAll(async () => {
  unroute?.();
  await simulator?.close();
  await app?.close();
});

it("shows a store by id until the app has read the shop's locations", async () => {
  expect(storeCell(await staffPage(granted), SHANGHAI.id)).toBe(`Store ${SHANGHAI.id}`);
  expect(storeCell(await staffPage(granted, "zh-CN"), SHANGHAI.id)).toBe(`门店 ${SHANGHAI.id}`);
});

it("names the stores as Shopify does once the daily job has read them, and keeps ids where read_locations is not granted", async () => {
  const now = new Date();
  // Never read: both shops are due; the job asks for a refresh through the outbox.
  expect((await runJobNow("locations", now)).map((run) => run.shop).sort()).toEqual([granted, notGranted]);
  const drained = await runOutbox(now);
  expect(drained.failed).toBe(0);
  expect(await refreshEffect(granted)).toEqual({ status: "done", lastError: null });
  // Shopify's refusal is an answer, not a failure: done, the refusal noted, nothing stored.
  expect(await refreshEffect(notGranted)).toEqual({ status: "done", lastError: null });
  expect(await db.shop.findUnique({ where: { shop: notGranted }, select: { locationsDenied: true } })).toEqual({ locationsDenied: true });
  expect(await db.shopLocation.count({ where: { shop: notGranted } })).toBe(0);

  const html = await staffPage(granted);
  expect(storeCell(html, SHANGHAI.id)).toBe("Shanghai Jing'an store");
  expect(storeCell(html, SAN_FRANCISCO.id)).toBe("San Francisco Hayes Valley store");
  // The merchant's names are theirs in every language.
  expect(storeCell(await staffPage(granted, "zh-CN"), SHANGHAI.id)).toBe("Shanghai Jing'an store");
  // The warehouse sold nothing at a counter: read, but no row on the page.
  expect(await db.shopLocation.findMany({ where: { shop: granted }, orderBy: { locationId: "asc" }, select: { locationId: true, name: true, active: true, city: true, countryCode: true } })).toEqual([
    { locationId: SHANGHAI.id, name: "Shanghai Jing'an store", active: true, city: "Shanghai", countryCode: "CN" },
    { locationId: SAN_FRANCISCO.id, name: "San Francisco Hayes Valley store", active: true, city: "San Francisco", countryCode: "US" },
    { locationId: "71000000003", name: "Ningbo warehouse", active: true, city: "Ningbo", countryCode: "CN" },
  ]);
  expect(storeCell(html, "71000000003")).toBeNull();

  const withoutScope = await staffPage(notGranted);
  expect(storeCell(withoutScope, SHANGHAI.id)).toBe(`Store ${SHANGHAI.id}`);
  expect(storeCell(withoutScope, SAN_FRANCISCO.id)).toBe(`Store ${SAN_FRANCISCO.id}`);
  // Read today: neither shop is due again the same day.
  expect(await runJobNow("locations", new Date(now.getTime() + 60_000))).toEqual([]);
});

it("reads a store opened since the last refresh as soon as a POS order names it", async () => {
  const opened = { id: "71000000004", name: "Shanghai Xintiandi store", isActive: true, city: "Shanghai", countryCode: "CN" };
  for (const shop of [granted, notGranted]) simulator.state.shop(shop).locations.set(opened.id, { ...opened });
  for (const shop of [granted, notGranted]) await posSale(shop, opened.id);
  expect((await drainInbox({ clock: new ManualClock(new Date()) })).failed).toBe(0);
  expect(storeCell(await staffPage(granted), opened.id)).toBe(`Store ${opened.id}`);
  const now = new Date(Date.now() + 60_000);
  // Only the shop that can read its locations is asked again before its next day.
  expect((await runJobNow("locations", now)).map((run) => run.shop)).toEqual([granted]);
  expect((await runOutbox(now)).failed).toBe(0);
  expect(storeCell(await staffPage(granted), opened.id)).toBe("Shanghai Xintiandi store");
  expect(storeCell(await staffPage(notGranted), opened.id)).toBe(`Store ${opened.id}`);
});

it("renames a store renamed in Shopify, and marks one deactivated, at the next day's refresh", async () => {
  const locations = simulator.state.shop(granted).locations;
  locations.get(SHANGHAI.id)!.name = "Shanghai Jing'an flagship";
  locations.get(SAN_FRANCISCO.id)!.isActive = false;
  const today = new Date(Date.now() + 2 * 60_000);
  expect(await runJobNow("locations", today)).toEqual([]);
  expect(storeCell(await staffPage(granted), SHANGHAI.id)).toBe("Shanghai Jing'an store");

  const tomorrow = new Date(Date.now() + DAY);
  expect((await runJobNow("locations", tomorrow)).map((run) => run.shop).sort()).toEqual([granted, notGranted]);
  expect((await runOutbox(tomorrow)).failed).toBe(0);
  const html = await staffPage(granted);
  expect(storeCell(html, SHANGHAI.id)).toBe("Shanghai Jing'an flagship");
  expect(storeCell(html, SAN_FRANCISCO.id)).toBe("San Francisco Hayes Valley store (deactivated)");
  expect(storeCell(await staffPage(granted, "zh-CN"), SAN_FRANCISCO.id)).toBe("San Francisco Hayes Valley store（已停用）");
});

it("names the stores of a shop once app/scopes_update says the merchant granted read_locations", async () => {
  const scopes = simulator.state.shop(notGranted).grantedScopes;
  const previous = [...scopes];
  scopes.push("read_locations");
  const body = { id: 1, previous, current: [...scopes], updated_at: new Date().toISOString() };
  expect((await sendWebhook(app.url, { topic: "app/scopes_update", shop: notGranted, body })).status).toBe(200);
  const now = new Date(Date.now() + DAY + 60_000);
  expect((await drainInbox({ clock: new ManualClock(now) })).failed).toBe(0);
  expect((await runOutbox(now)).failed).toBe(0);
  const html = await staffPage(notGranted);
  expect(storeCell(html, SHANGHAI.id)).toBe("Shanghai Jing'an store");
  expect(storeCell(html, "71000000004")).toBe("Shanghai Xintiandi store");
  expect(await db.shop.findUnique({ where: { shop: notGranted }, select: { locationsDenied: true, scopes: true } })).toEqual({ locationsDenied: false, scopes: scopes.join(",") });
});

it("reads every location of a chain with more stores than one page of Shopify's answer (250)", async () => {
  const chain = "locations-chain.myshopify.com";
  const stores = Array.from({ length: 260 }, (_, index) => ({ id: String(72_000_000_001 + index), name: `Store of the chain no. ${index + 1}`, isActive: index % 50 !== 0, city: "Hangzhou", countryCode: "CN" }));
  simulator.addShop({ shop: chain, accessToken: `shpat_${chain}`, locations: stores });
  await installShop(chain);
  await installTestShop(chain, { ianaTimezone: "Asia/Shanghai" });
  const now = new Date();
  expect((await runJobNow("locations", now)).map((run) => run.shop)).toContain(chain);
  expect((await runOutbox(now)).failed).toBe(0);
  const kept = await db.shopLocation.findMany({ where: { shop: chain }, select: { locationId: true, name: true, active: true } });
  expect(kept.length).toBe(260);
  expect(kept.find((row) => row.locationId === stores[259].id)).toEqual({ locationId: stores[259].id, name: "Store of the chain no. 260", active: true });
  // Deactivated ones are read too (includeInactive), so their past sales keep their names.
  expect(kept.filter((row) => !row.active).map((row) => row.name).sort()).toEqual(["Store of the chain no. 1", "Store of the chain no. 101", "Store of the chain no. 151", "Store of the chain no. 201", "Store of the chain no. 251", "Store of the chain no. 51"]);
});
