// Products and collections a tier excludes from the member discount, chosen
// with the resource picker (issue 20), from the program the merchant saves to
// the cart Shopify sends the Function: the app writes the member's value and
// the discount's configuration, and the Function (imported as it is bundled)
// leaves exactly those lines out. Programs saved before (tags only) read as
// they did, and their members' values are unchanged.
import { functionConfiguration } from "~/domain/discount-configuration";
import { membershipValue } from "~/domain/membership";
import { storedProgramSchema, type TierProgram } from "~/domain/tiers";
import { cartLinesDiscountsGenerateRun } from "../extensions/member-discount/src/cart_lines_discounts_generate_run";
import { parseMembership } from "../extensions/member-discount/src/membership";
import { cartLinesInput } from "../extensions/member-discount/tests/support/carts";

const NOW = new Date("2026-06-01T12:00:00Z");
const stored = (perks: Record<string, unknown>) => ({
  tiers: [
    { handle: "member", rank: 1, name: { en: "Member", "zh-CN": "会员" }, minNetSpendMinor: null, minOrders: null, qualifyBy: "either", entryGift: null, perks: { discountPercent: 5, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] } },
    { handle: "gold", rank: 2, name: { en: "Gold", "zh-CN": "金卡" }, minNetSpendMinor: 50_000, minOrders: null, qualifyBy: "either", entryGift: null, perks: { discountPercent: 10, discountScope: "subtotal", excludedProductTags: ["clearance"], freeShipping: true, birthdayGift: null, notes: [], ...perks } },
  ],
  window: { kind: "rolling", months: 12 },
  graceDays: 30,
});
const program = (perks: Record<string, unknown>): TierProgram => ({ ...storedProgramSchema.parse(stored(perks)), timeZone: "UTC" });
const goldValue = (p: TierProgram) => membershipValue(p, p.tiers[1], { downgradeOn: null }, { netSpendMinor: 60_000, orders: 3 }, "USD", NOW);

it("leaves out the lines of the excluded products and of products in the excluded collections, at checkout", () => {
  const p = program({ excludedProducts: [{ id: "7001", title: "Limited Edition Teapot" }], excludedCollections: [{ id: "9001", title: "Sale" }] });
  const value = goldValue(p);
  expect(value.discount).toEqual({ percent: 10, scope: "subtotal", excludedProductTags: ["clearance"], excludedProductIds: ["gid://shopify/Product/7001"], excludedCollectionIds: ["gid://shopify/Collection/9001"] });
  const configuration = functionConfiguration(p);
  expect(configuration).toEqual({ v: 1, excludedProductTags: ["clearance"], excludedCollectionIds: ["gid://shopify/Collection/9001"] });

  // The value goes through JSON as the metafield carries it.
  const output = cartLinesDiscountsGenerateRun(
    cartLinesInput({
      membership: JSON.parse(JSON.stringify(value)),
      configuration: JSON.parse(JSON.stringify(configuration)),
      lines: [
        { id: "gid://shopify/CartLine/1", productId: "gid://shopify/Product/5001" },
        { id: "gid://shopify/CartLine/2", productId: "gid://shopify/Product/7001" },
        { id: "gid://shopify/CartLine/3", productId: "gid://shopify/Product/5002", collections: ["gid://shopify/Collection/9001"] },
        { id: "gid://shopify/CartLine/4", productId: "gid://shopify/Product/5003", tags: ["clearance"] },
      ],
    }),
  );
  expect(output.operations[0].orderDiscountsAdd?.candidates[0].targets).toEqual([
    { orderSubtotal: { excludedCartLineIds: ["gid://shopify/CartLine/2", "gid://shopify/CartLine/3", "gid://shopify/CartLine/4"] } },
  ]);
});

it("reads a program saved before (tags only) as excluding no product or collection, and writes its members' values and configuration as before", () => {
  const p = program({});
  expect(p.tiers[1].perks.excludedProducts).toEqual([]);
  expect(p.tiers[1].perks.excludedCollections).toEqual([]);
  const value = goldValue(p);
  expect(value.discount).toEqual({ percent: 10, scope: "subtotal", excludedProductTags: ["clearance"] });
  expect(functionConfiguration(p)).toEqual({ v: 1, excludedProductTags: ["clearance"] });
  expect(parseMembership(JSON.parse(JSON.stringify(value)))).not.toBeNull();
});

it("refuses an excluded product that is not a product id", () => {
  expect(storedProgramSchema.safeParse(stored({ excludedProducts: [{ id: "gid://shopify/Collection/1", title: "Sale" }] })).success).toBe(false);
});
