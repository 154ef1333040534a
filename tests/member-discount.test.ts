// The shop's member discount in the store simulator: created once when tiers
// are saved, with the classes the perks need and the Function's configuration;
// rewritten only when something changed; created again when the merchant
// deleted it; and Shopify's limit on app discounts shown in plain words.
import db from "~/db.server";
import { starterProgram, type TierProgram } from "~/domain/tiers";
import { saveShopSettings } from "~/models/shops.server";
import { createAdminClient } from "~/services/admin-client.server";
import { ManualClock } from "~/services/clock.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { saveProgram, tiersOverview } from "~/services/tiers.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";

const clock = new ManualClock(new Date("2026-11-02T08:00:00Z"));
let simulator: StoreSimulator;
let unroute: () => void;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime() });
  unroute = installShopRouting(simulator.url);
});
afterAll(async () => {
  unroute();
  await simulator.close();
});

async function shopWithTiers(domain: string) {
  const simShop = simulator.addShop({ shop: domain, accessToken: `shpat_${domain}` });
  await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  const client = createAdminClient({ shop: domain, accessToken: simShop.accessToken, apiVersion: "2026-10" });
  const sync = () => drainOutbox({ adminFor: async () => client, clock });
  return { simShop, sync };
}

const calls = (domain: string, operationName: string) => simulator.requests.filter((r) => r.shop === domain && r.operationName === operationName);
const configurationOf = (domain: string, discountGid: string) =>
  [...simulator.state.shop(domain).metafields.values()].find((m) => m.ownerId === discountGid && m.namespace === "app--test-api-key" && m.key === "function-configuration");

it("creates one automatic discount run by the member-discount Function, with the classes the perks need and its configuration", async () => {
  const domain = "discount-shop.myshopify.com";
  const { simShop, sync } = await shopWithTiers(domain);
  const program = starterProgram();
  program.tiers[2].perks.excludedProductTags = ["gift-card", "sale"];
  program.tiers[3].perks.excludedProductTags = ["sale"];
  await saveProgram(domain, program, "now", clock.now());
  await sync();

  const discounts = [...simShop.discounts.values()];
  expect(discounts).toHaveLength(1);
  // Silver, Gold and Platinum take a share off the subtotal; Gold and Platinum ship free.
  expect(discounts[0]).toMatchObject({ functionHandle: "member-discount", title: "MemberCare member pricing", discountClasses: ["ORDER", "SHIPPING"], combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true } });
  const gid = `gid://shopify/DiscountAutomaticNode/${discounts[0].id}`;
  expect(configurationOf(domain, gid)).toMatchObject({ type: "json" });
  expect(JSON.parse(configurationOf(domain, gid)!.value)).toEqual({ v: 1, excludedProductTags: ["gift-card", "sale"] });
  expect((await tiersOverview(domain)).discount).toMatchObject({ needed: true, active: true, pending: false, errorKey: null });

  // The same rules again: nothing is written.
  await saveProgram(domain, program, "now", clock.now());
  await sync();
  expect(calls(domain, "CreateMemberDiscount")).toHaveLength(1);
  expect(calls(domain, "UpdateMemberDiscount")).toHaveLength(0);

  // A product-scoped tier and a new combination: the same discount is updated.
  const changed: Omit<TierProgram, "timeZone"> = { ...program, combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true } };
  changed.tiers = program.tiers.map((tier) => (tier.handle === "platinum" ? { ...tier, perks: { ...tier.perks, discountScope: "products", excludedProductTags: ["sale", "clearance"] } } : tier));
  await saveProgram(domain, changed, "now", clock.now());
  await sync();
  expect(calls(domain, "UpdateMemberDiscount")).toHaveLength(1);
  expect([...simShop.discounts.values()]).toEqual([expect.objectContaining({ id: discounts[0].id, discountClasses: ["ORDER", "PRODUCT", "SHIPPING"], combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true } })]);
  expect(JSON.parse(configurationOf(domain, gid)!.value).excludedProductTags).toEqual(["clearance", "gift-card", "sale"]);
});

it("creates the discount again when the merchant deleted it in Shopify", async () => {
  const domain = "deleted-discount-shop.myshopify.com";
  const { simShop, sync } = await shopWithTiers(domain);
  await saveProgram(domain, starterProgram(), "now", clock.now());
  await sync();
  const [first] = simShop.discounts.keys();
  simShop.discounts.delete(first);

  const changed = starterProgram();
  changed.tiers[1].perks.excludedProductTags = ["gift-card"];
  await saveProgram(domain, changed, "now", clock.now());
  await sync();
  expect(calls(domain, "UpdateMemberDiscount")).toHaveLength(1); // answered "does not exist"
  expect(calls(domain, "CreateMemberDiscount")).toHaveLength(2);
  expect(simShop.discounts.size).toBe(1);
  const row = await db.tierProgram.findUniqueOrThrow({ where: { shop: domain } });
  expect(row.discountId).toBe(`gid://shopify/DiscountAutomaticNode/${[...simShop.discounts.keys()][0]}`);
});

it("tells the merchant in plain words when the store already has 25 active app discounts, and succeeds once one is gone", async () => {
  const domain = "crowded-discount-shop.myshopify.com";
  const { simShop, sync } = await shopWithTiers(domain);
  const others = Array.from({ length: 25 }, () => simulator.state.addOtherAppDiscount(domain));
  await saveProgram(domain, starterProgram(), "now", clock.now());
  const result = await sync();
  expect(result.failed).toBe(0); // a refusal is not retried: the merchant has to act
  expect(simShop.discounts.size).toBe(25);
  expect((await tiersOverview(domain)).discount).toMatchObject({ active: false, errorKey: "tiers.discount.errors.limit", errorDetail: expect.stringContaining("too many other app-provided discounts") });

  simShop.discounts.delete(others[0].id);
  await saveProgram(domain, starterProgram(), "now", clock.now());
  await sync();
  expect((await tiersOverview(domain)).discount).toMatchObject({ active: true, errorKey: null });
  expect([...simShop.discounts.values()].filter((discount) => discount.ownedByApp)).toHaveLength(1);
});

it("needs no discount when no tier gives one", async () => {
  const domain = "no-perks-shop.myshopify.com";
  const { simShop, sync } = await shopWithTiers(domain);
  const plain = starterProgram();
  plain.tiers = plain.tiers.map((tier) => ({ ...tier, perks: { ...tier.perks, discountPercent: 0, freeShipping: false } }));
  await saveProgram(domain, plain, "now", clock.now());
  await sync();
  expect(simShop.discounts.size).toBe(0);
  expect((await tiersOverview(domain)).discount).toMatchObject({ needed: false });
});
