import { discountClassesFor, discountProblemKey, isMissingDiscount, memberDiscountInput } from "./member-discount";
import { blankTier, starterProgram, type TierRule } from "./tiers";

const tier = (rank: number, perks: Partial<TierRule["perks"]>): TierRule => ({ ...blankTier(rank), perks: { ...blankTier(rank).perks, ...perks } });

describe("discount classes", () => {
  it.each([
    ["no perks at all", [tier(1, {}), tier(2, {})], []],
    ["a subtotal percentage", [tier(1, {}), tier(2, { discountPercent: 5 })], ["ORDER"]],
    ["a products percentage", [tier(1, {}), tier(2, { discountPercent: 5, discountScope: "products" })], ["PRODUCT"]],
    ["free shipping only", [tier(1, {}), tier(2, { freeShipping: true })], ["SHIPPING"]],
    ["all three", [tier(1, { discountPercent: 3 }), tier(2, { discountPercent: 5, discountScope: "products", freeShipping: true })], ["ORDER", "PRODUCT", "SHIPPING"]],
  ] as const)("%s", (_name, tiers, classes) => {
    expect(discountClassesFor({ tiers: [...tiers] })).toEqual(classes);
  });
});

it("configures the Function with every excluded tag, and combines as the merchant chose", () => {
  const program = starterProgram();
  program.tiers[1].perks.excludedProductTags = [" sale ", "gift-card"];
  program.tiers[2].perks.excludedProductTags = ["sale", ""];
  const input = memberDiscountInput({ ...program, combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: false } });
  expect(input).toMatchObject({ functionHandle: "member-discount", discountClasses: ["ORDER", "SHIPPING"], combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: false } });
  expect(input.metafields).toEqual([{ namespace: "$app", key: "function-configuration", type: "json", value: JSON.stringify({ v: 1, excludedProductTags: ["gift-card", "sale"] }) }]);
});

it("explains Shopify's refusals", () => {
  expect(discountProblemKey([{ field: ["automaticAppDiscount"], message: "The active period overlaps with too many other app-provided discounts.", code: "MAX_APP_DISCOUNTS" }])).toBe("tiers.discount.errors.limit");
  expect(discountProblemKey([{ field: ["automaticAppDiscount", "functionHandle"], message: "Function not found.", code: "INVALID" }])).toBe("tiers.discount.errors.functionMissing");
  expect(discountProblemKey([{ field: ["automaticAppDiscount", "title"], message: "Title is too long", code: "TOO_LONG" }])).toBe("tiers.discount.errors.refused");
  expect(isMissingDiscount([{ field: ["id"], message: "Discount does not exist", code: "INVALID" }])).toBe(true);
  expect(isMissingDiscount([{ field: ["automaticAppDiscount", "title"], message: "Title can't be blank", code: "BLANK" }])).toBe(false);
});
