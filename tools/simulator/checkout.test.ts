// A checkout in the simulated store runs the member discount Function bundle on
// what the store holds: the buyer's membership and the discount's configuration.
import { membershipValue, serializeMembership } from "~/domain/membership";
import { functionConfiguration } from "~/domain/discount-configuration";
import { starterProgram, type TierProgram } from "~/domain/tiers";
import { simulateCheckout, type CartLine } from "./checkout";
import { storeMetafield } from "./resolvers/metafields";
import { SimulatorState } from "./state";

const domain = "checkout-shop.myshopify.com";
const state = new SimulatorState(() => Date.parse("2026-11-20T12:00:00Z"));
state.addShop({ shop: domain, accessToken: "shpat_checkout", apiClientId: "checkout-app" });
const starter = starterProgram();
const program: TierProgram = { ...starter, timeZone: "UTC", tiers: starter.tiers.map((tier) => ({ ...tier, perks: { ...tier.perks, excludedProductTags: ["no-member-discount"] } })) };
const gold = program.tiers.find((tier) => tier.handle === "gold")!;

const cart: CartLine[] = [
  { title: "Daily Face Cream 50 ml", productId: "1", tags: ["consumable"], isGiftCard: false, quantity: 2, unitPriceMinor: 3_800 },
  { title: "Limited Edition Teapot", productId: "2", tags: ["no-member-discount"], isGiftCard: false, quantity: 1, unitPriceMinor: 15_000 },
  { title: "Gift Card", productId: "3", tags: [], isGiftCard: true, quantity: 1, unitPriceMinor: 5_000 },
];

const member = state.addCustomer(domain, { email: "gold@example.com" });
const metafield = (ownerId: string, key: string, value: string) => storeMetafield(state.shop(domain), { ownerId, namespace: "app--checkout-app", key, type: "json", value }, () => state.newId(), state.now());

it("gives no discount while the shop has no member discount", async () => {
  expect(await simulateCheckout(state, domain, member.id, cart)).toMatchObject({ subtotalMinor: 27_600, discountMinor: 0, message: null, freeShipping: false });
});

it("gives a member their tier's discount on the eligible lines, in their language, and nothing to a guest", async () => {
  const discount = state.addOtherAppDiscount(domain, { title: "MemberCare member pricing", functionHandle: "member-discount", ownedByApp: true, discountClasses: ["ORDER", "SHIPPING"] });
  metafield(`gid://shopify/DiscountAutomaticNode/${discount.id}`, "function-configuration", JSON.stringify(functionConfiguration(program)));
  const value = membershipValue(program, gold, { downgradeOn: null }, { netSpendMinor: 60_000, orders: 5, oldestCountedAt: null }, "USD", new Date("2026-11-20T12:00:00Z"));
  metafield(`gid://shopify/Customer/${member.id}`, "membership", serializeMembership(value));

  const result = await simulateCheckout(state, domain, member.id, cart);
  expect(result).toMatchObject({
    subtotalMinor: 27_600,
    discountMinor: Math.round((7_600 * gold.perks.discountPercent) / 100),
    message: `Gold member · ${gold.perks.discountPercent}% off`,
    excludedTitles: ["Limited Edition Teapot", "Gift Card"],
    freeShipping: gold.perks.freeShipping,
  });
  expect((await simulateCheckout(state, domain, member.id, cart, "ZH_CN")).message).toMatch(/会员/);
  expect(await simulateCheckout(state, domain, null, cart)).toMatchObject({ discountMinor: 0, message: null, freeShipping: false });
  const stranger = state.addCustomer(domain, { email: "new@example.com" });
  expect(await simulateCheckout(state, domain, stranger.id, cart)).toMatchObject({ discountMinor: 0, message: null });
});

it("allocates the member discount across the discounted lines, adding up to the order's discount", async () => {
  const result = await simulateCheckout(state, domain, member.id, [
    { title: "Green Tea Leaves 250 g", productId: "4", tags: [], isGiftCard: false, quantity: 3, unitPriceMinor: 1_900 },
    { title: "Limited Edition Teapot", productId: "2", tags: ["no-member-discount"], isGiftCard: false, quantity: 1, unitPriceMinor: 15_000 },
    { title: "Vitamin C Serum 30 ml", productId: "5", tags: [], isGiftCard: false, quantity: 1, unitPriceMinor: 5_633 },
  ]);
  const percent = gold.perks.discountPercent;
  expect(result.percent).toBe(percent);
  expect(result.discountTitle).toBe("MemberCare member pricing");
  expect(result.lineDiscountsMinor[1]).toBe(0);
  expect(result.lineDiscountsMinor[0]).toBe(Math.round((5_700 * percent) / 100));
  expect(result.lineDiscountsMinor.reduce((sum, n) => sum + n, 0)).toBe(result.discountMinor);
  expect(result.discountMinor).toBe(Math.round(((5_700 + 5_633) * percent) / 100));
});

it("leaves out the products and collections a tier excludes, as the store knows them", async () => {
  // Gold excludes one product and one collection by the picker's ids (issue 20); the store's configuration asks Shopify about that collection.
  const excluding: TierProgram = {
    ...program,
    tiers: program.tiers.map((tier) => (tier.handle === "gold" ? { ...tier, perks: { ...tier.perks, excludedProducts: [{ id: "6", title: "Tea Set" }], excludedCollections: [{ id: "88", title: "Clearance" }] } } : tier)),
  };
  const goldExcluding = excluding.tiers.find((tier) => tier.handle === "gold")!;
  const discount = [...state.shop(domain).discounts.values()].find((candidate) => candidate.ownedByApp)!;
  metafield(`gid://shopify/DiscountAutomaticNode/${discount.id}`, "function-configuration", JSON.stringify(functionConfiguration(excluding)));
  const value = membershipValue(excluding, goldExcluding, { downgradeOn: null }, { netSpendMinor: 60_000, orders: 5, oldestCountedAt: null }, "USD", new Date("2026-11-20T12:00:00Z"));
  metafield(`gid://shopify/Customer/${member.id}`, "membership", serializeMembership(value));

  const result = await simulateCheckout(state, domain, member.id, [
    { title: "Green Tea Leaves 250 g", productId: "4", tags: [], isGiftCard: false, quantity: 1, unitPriceMinor: 1_900 },
    { title: "Tea Set", productId: "6", tags: [], isGiftCard: false, quantity: 1, unitPriceMinor: 9_000 },
    { title: "Clearance Mug", productId: "7", tags: [], collectionIds: ["gid://shopify/Collection/88"], isGiftCard: false, quantity: 1, unitPriceMinor: 1_200 },
  ]);
  expect(result.lineDiscountsMinor.slice(1)).toEqual([0, 0]);
  expect(result.discountMinor).toBe(Math.round((1_900 * goldExcluding.perks.discountPercent) / 100));
  expect(result.excludedTitles).toEqual(["Tea Set", "Clearance Mug"]);
});
