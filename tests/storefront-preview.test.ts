// The storefront preview (`npm run storefront`, tools/storefront) on a shop's
// own data: which member it shows for a tier, the program it publishes, the
// answers it gives for what it cannot show, and that it reads one shop only.
// The members' values are made by the domain function the sync uses, from
// spend chosen here; the page is fetched over HTTP as a browser would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { membershipValue, serializeMembership } from "~/domain/membership";
import { parseProgram } from "~/domain/program-metafield";
import { byRank, qualifiedTier, starterProgram, type TierProgram } from "~/domain/tiers";
import { saveTierProgram } from "~/models/tiers.server";
import { storefrontProducts } from "../tools/storefront/catalog";
import { demoNonMember, demoShopper, demoStore } from "../tools/storefront/demo-data";
import { demoSource, startStorefrontServer, type StorefrontServer } from "../tools/storefront/server";
import { installTestShop } from "./support/shops";

const SHOP = "preview-a.myshopify.com";
const OTHER = "preview-b.myshopify.com";
const NOW = new Date("2026-12-01T00:00:00Z");
const program: TierProgram = { ...starterProgram(), timeZone: "UTC" };

/** A customer of `shop` with `netSpendMinor` spent in the window, placed and synced as the app does. */
async function member(shop: string, shopifyId: string, firstName: string, netSpendMinor: number, { synced = true } = {}) {
  const totals = { netSpendMinor, orders: 3, oldestCountedAt: new Date(NOW.getTime() - 90 * 86_400_000) };
  const tier = qualifiedTier(program, totals);
  const value = serializeMembership(membershipValue(program, tier, { downgradeOn: null }, totals, "USD", NOW));
  await db.customer.create({ data: { shop, shopifyId, firstName, lastName: "Test", email: `${shopifyId}@example.com`, netSpentMinor: netSpendMinor } });
  await db.memberTier.create({ data: { shop, customerShopifyId: shopifyId, tierHandle: tier.handle, since: NOW, membershipValue: value, syncedValue: synced ? value : null } });
  return tier.handle;
}

let server: StorefrontServer;
beforeAll(async () => {
  for (const shop of [SHOP, OTHER]) {
    await installTestShop(shop, { name: shop === SHOP ? "Preview Store" : "Other Store" }, NOW);
    await saveTierProgram(shop, program, NOW);
  }
  // Silver is $200–$499.99: Ana is $10 from Gold, Ben $150, Cai is Silver but her value is not written to Shopify yet.
  expect(await member(SHOP, "101", "Ana", 49_000)).toBe("silver");
  expect(await member(SHOP, "102", "Ben", 35_000)).toBe("silver");
  expect(await member(SHOP, "103", "Cai", 49_900, { synced: false })).toBe("silver");
  expect(await member(SHOP, "104", "Dee", 150_000)).toBe("platinum");
  expect(await member(SHOP, "105", "Eve", 180_000)).toBe("platinum");
  // The other shop's Silver member is closer still to Gold: never shown for the first shop.
  expect(await member(OTHER, "201", "Zed", 49_990)).toBe("silver");
  await db.customer.create({ data: { shop: SHOP, shopifyId: "106", firstName: "Fay", email: "106@example.com" } });
  server = await startStorefrontServer({ source: await demoSource(SHOP), drawImages: false });
}, 120_000);
afterAll(async () => server?.close());

describe("the storefront preview on a shop's data", () => {
  it("shows, of a tier's members, the one closest to the next tier by the value Shopify holds; in the top tier the highest spender", async () => {
    const silver = await demoShopper(SHOP, { tierHandle: "silver" });
    expect(silver?.customer.firstName).toBe("Ana");
    const platinum = await demoShopper(SHOP, { tierHandle: "platinum" });
    expect(platinum?.customer.firstName).toBe("Eve");
    // A value not yet written to Shopify is not on the storefront.
    expect((await demoShopper(SHOP, { customerShopifyId: "103" }))?.customer.membership).toBeNull();
    expect(await demoShopper(SHOP, { customerShopifyId: "201" })).toBeNull();
    expect((await demoNonMember(SHOP))?.firstName).toBe("Fay");
  });

  it("publishes the shop's program as the $app:program value: its tiers by rank in the shop's currency", async () => {
    const store = await demoStore(SHOP);
    expect(store.shop).toMatchObject({ name: "Preview Store", currencyCode: "USD" });
    const published = parseProgram(store.shop.program);
    expect(published?.tiers.map((tier) => tier.name.en)).toEqual(byRank(program.tiers).map((tier) => tier.name.en));
    expect(published?.tiers.find((tier) => tier.handle === "gold")?.requirement.spendMinor).toBe(program.tiers.find((tier) => tier.handle === "gold")!.minNetSpendMinor);
    await expect(demoStore("absent.myshopify.com")).rejects.toThrow(/npm run demo/);
  });

  it("serves the page for a tier's member over HTTP, and says what it cannot serve", async () => {
    const page = await fetch(`${server.url}/?shopper=silver`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Ana");
    expect(html).toContain("Your tier: Silver");
    expect(html).toContain("$10.00 more to reach Gold");
    expect(html).not.toContain("Zed");
    const zh = await (await fetch(`${server.url}/pages/membership?shopper=platinum&locale=zh-CN`)).text();
    expect(zh).toContain("白金卡");
    expect(zh).toContain('lang="zh-CN"');

    const unknown = await fetch(`${server.url}/?shopper=diamond`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("member, silver, gold, platinum, nonmember, guest");
    const outside = await fetch(`${server.url}/cdn/extension/..%2F..%2F..%2Fpackage.json`);
    expect(outside.status).toBe(404);
    const without = await (await fetch(`${server.url}/?shopper=silver&blocks=0`)).text();
    expect(without).toContain("Ana");
    expect(without).not.toContain("Your tier");
    expect(without).not.toContain("/cdn/extension/");
  });

  it("puts a cart of the page's products in Liquid's cart: the blocks' progress follows it; a cart naming nothing it sells is refused with what it sells", async () => {
    // Ana is $10 from Gold. The catalog's cheapest product, once, stays under or crosses that line by its price.
    const [cheapest] = [...storefrontProducts()].sort((a, b) => a.price - b.price);
    const left = program.tiers.find((tier) => tier.handle === "gold")!.minNetSpendMinor! - 49_000;
    expect(cheapest.price).toBeGreaterThan(left);
    const crossing = await fetch(`${server.url}/?shopper=silver&cart=${cheapest.handle}`);
    expect(crossing.status).toBe(200);
    const html = await crossing.text();
    expect(html).toContain("This order takes you to Gold");
    expect(html).not.toContain("$10.00 more to reach Gold");
    // The header's count: every line's quantity, by handle and by variant id alike.
    const two = await (await fetch(`${server.url}/?shopper=silver&cart=${cheapest.handle}:2,${cheapest.variant_id}`)).text();
    expect(two).toContain('<span class="visually-hidden">3 items</span>');

    for (const bad of ["diamond-ring", `${cheapest.handle}:0`, `${cheapest.handle}:x`]) {
      const refused = await fetch(`${server.url}/?shopper=silver&cart=${encodeURIComponent(bad)}`);
      expect(refused.status, bad).toBe(400);
      expect(await refused.text(), bad).toContain(cheapest.handle);
    }
  });
});
