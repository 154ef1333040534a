// A history import does not bring back a customer erased by customers/redact
// (issue 18): Shopify keeps a bulk query's results for days, and an import may
// start or resume after the erasure with lines read before it. The customer,
// their orders and those orders' refunds are left out; everyone else is placed.
import db from "~/db.server";
import { starterProgram } from "~/domain/tiers";
import { latestBackfill } from "~/models/backfills.server";
import { saveShopSettings } from "~/models/shops.server";
import { createAdminClient } from "~/services/admin-client.server";
import { requestBackfill } from "~/services/backfill.server";
import { ManualClock } from "~/services/clock.server";
import { drainOutboxBatch } from "~/services/outbox-worker.server";
import { eraseCustomer } from "~/services/privacy.server";
import { saveProgram } from "~/services/tiers.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";

const DAY = 86_400_000;
const clock = new ManualClock(new Date("2026-11-02T08:00:00Z"));
let simulator: StoreSimulator;
let unroute: () => void;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime(), bulkRunMs: 10_000 });
  unroute = installShopRouting(simulator.url);
});
afterAll(async () => {
  unroute();
  await simulator.close();
});

it("leaves an erased customer, their orders and refunds out of a history import, and imports everyone else", async () => {
  const shop = "erasure-import.myshopify.com";
  const simShop = simulator.addShop({ shop, accessToken: `shpat_${shop}` });
  await saveShopSettings(shop, { name: shop, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  await saveProgram(shop, starterProgram(), "now", clock.now());
  const at = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();
  const erased = simulator.state.addCustomer(shop, { firstName: "Rosalind", email: "rosalind.erased@example.com" });
  const kept = simulator.state.addCustomer(shop, { firstName: "Tobias", email: "tobias.kept@example.com" });
  const erasedOrder = simulator.state.addOrder(shop, { customerId: erased.id, createdAt: at(20), lineItems: [{ unitPriceMinor: 40_000, quantity: 1 }] });
  simulator.state.addRefund(shop, erasedOrder.id, 10_000, at(19));
  simulator.state.addOrder(shop, { customerId: kept.id, createdAt: at(10), lineItems: [{ unitPriceMinor: 12_000, quantity: 1 }] });
  // The merchant erased Rosalind before the import reads her.
  await eraseCustomer(shop, { customerShopifyId: erased.id, email: erased.email ?? null, orderShopifyIds: [erasedOrder.id], requestShopifyId: null }, clock.now());

  const client = createAdminClient({ shop, accessToken: simShop.accessToken, apiVersion: "2026-10" });
  await requestBackfill(shop, clock.now());
  for (let round = 0; round < 500; round++) {
    const batch = await drainOutboxBatch({ adminFor: async () => client, clock });
    const backfill = (await latestBackfill(shop))!;
    if (backfill.status === "done" || backfill.status === "failed") break;
    if (batch.claimed === 0) clock.advance(5_000);
  }
  expect(await latestBackfill(shop)).toMatchObject({ status: "done", error: null });
  expect((await db.customer.findMany({ where: { shop }, select: { shopifyId: true } })).map((row) => row.shopifyId)).toEqual([kept.id]);
  expect((await db.order.findMany({ where: { shop }, select: { customerShopifyId: true } })).map((row) => row.customerShopifyId)).toEqual([kept.id]);
  expect(await db.refund.count({ where: { shop } })).toBe(0);
  expect((await db.memberTier.findMany({ where: { shop }, select: { customerShopifyId: true } })).map((row) => row.customerShopifyId)).toEqual([kept.id]);
  expect(JSON.stringify(await db.customer.findMany({ where: { shop } }))).not.toContain("rosalind");
});
