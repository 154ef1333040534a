// cart.lines.discounts.generate.run: what a member gets off their cart, and
// every situation in which the Function must stay silent.
import { cartLinesDiscountsGenerateRun } from "../src/cart_lines_discounts_generate_run";
import { cartLinesInput, goldMember, type CartSpec, type LineSpec } from "./support/carts";

const line = (n: number, extra: Partial<LineSpec> = {}): LineSpec => ({ id: `gid://shopify/CartLine/${n}`, ...extra });
const run = (spec: CartSpec) => cartLinesDiscountsGenerateRun(cartLinesInput(spec));

const productsMember = goldMember({ scope: "products", percent: 15 }, { tier: { handle: "platinum", rank: 4, name: { en: "Platinum", "zh-CN": "白金卡" } } });

describe("a member whose tier discounts the order subtotal", () => {
  it("gets the tier's percentage off the subtotal, with excluded products, gift cards and custom items left out", () => {
    const output = run({
      membership: goldMember(),
      lines: [line(1), line(2, { tags: ["clearance"] }), line(3, { giftCard: true }), line(4, { custom: true }), line(5, { tags: ["summer"] })],
    });
    expect(output).toEqual({
      operations: [
        {
          orderDiscountsAdd: {
            selectionStrategy: "FIRST",
            candidates: [
              {
                message: "Gold member · 10% off",
                targets: [{ orderSubtotal: { excludedCartLineIds: ["gid://shopify/CartLine/2", "gid://shopify/CartLine/3", "gid://shopify/CartLine/4"] } }],
                value: { percentage: { value: 10 } },
              },
            ],
          },
        },
      ],
    });
  });

  it("reads the message in Chinese at a Chinese checkout", () => {
    const output = run({ membership: goldMember(), lines: [line(1)], language: "ZH_CN" });
    expect(output.operations[0].orderDiscountsAdd?.candidates[0].message).toBe("金卡会员 · 优惠 10%");
  });

  it("is not held back by a tag only another tier excludes", () => {
    const output = run({ membership: goldMember(), lines: [line(1, { tags: ["no-member-discount"] })] });
    expect(output.operations[0].orderDiscountsAdd?.candidates[0].targets).toEqual([{ orderSubtotal: { excludedCartLineIds: [] } }]);
  });

  it("needs no configuration when the tier excludes no tag", () => {
    const output = run({ membership: goldMember({ excludedProductTags: [] }), lines: [line(1)], configuration: null });
    expect(output.operations).toHaveLength(1);
  });

  it("matches a tier's tag written with stray spaces, as the configuration holds it trimmed", () => {
    const output = run({ membership: goldMember({ excludedProductTags: [" clearance "] }), lines: [line(1), line(2, { tags: ["clearance"] })] });
    expect(output.operations[0].orderDiscountsAdd?.candidates[0].targets).toEqual([{ orderSubtotal: { excludedCartLineIds: ["gid://shopify/CartLine/2"] } }]);
  });
});

describe("products and collections a tier excludes (chosen with the resource picker)", () => {
  const TEAPOT = "gid://shopify/Product/7001";
  const SALE = "gid://shopify/Collection/9001";
  const OTHER_SALE = "gid://shopify/Collection/9002";
  const configuration = { v: 1, excludedProductTags: ["clearance"], excludedCollectionIds: [SALE, OTHER_SALE] };

  it("leaves out the excluded product's lines and the lines of products in an excluded collection", () => {
    const output = run({
      membership: goldMember({ excludedProductIds: [TEAPOT], excludedCollectionIds: [SALE] }),
      configuration,
      lines: [line(1), line(2, { productId: TEAPOT }), line(3, { collections: [SALE] }), line(4, { collections: [OTHER_SALE] }), line(5, { tags: ["clearance"] })],
    });
    expect(output.operations[0].orderDiscountsAdd?.candidates[0].targets).toEqual([
      { orderSubtotal: { excludedCartLineIds: ["gid://shopify/CartLine/2", "gid://shopify/CartLine/3", "gid://shopify/CartLine/5"] } },
    ]);
  });

  it("gives no discount while the configuration does not yet ask about a collection the tier excludes", () => {
    const output = run({ membership: goldMember({ excludedCollectionIds: [SALE] }), lines: [line(1), line(2, { collections: [SALE] })] });
    expect(output).toEqual({ operations: [] });
  });

  it("reads a membership value written before products and collections could be excluded", () => {
    const output = run({ membership: goldMember(), configuration, lines: [line(1, { collections: [SALE] }), line(2, { productId: TEAPOT })] });
    expect(output.operations[0].orderDiscountsAdd?.candidates[0].targets).toEqual([{ orderSubtotal: { excludedCartLineIds: [] } }]);
  });
});

describe("a member whose tier discounts products", () => {
  it("gets the tier's percentage off each eligible line, in one candidate", () => {
    const output = run({
      membership: productsMember,
      lines: [line(1), line(2, { tags: ["clearance"] }), line(3, { giftCard: true }), line(4, { amount: "0.0" }), line(5)],
      language: "ZH_CN",
    });
    expect(output).toEqual({
      operations: [
        {
          productDiscountsAdd: {
            selectionStrategy: "FIRST",
            candidates: [
              {
                message: "白金卡会员 · 优惠 15%",
                targets: [{ cartLine: { id: "gid://shopify/CartLine/1" } }, { cartLine: { id: "gid://shopify/CartLine/5" } }],
                value: { percentage: { value: 15 } },
              },
            ],
          },
        },
      ],
    });
  });

  it("keeps a fractional percentage as it is", () => {
    const output = run({ membership: goldMember({ scope: "products", percent: 12.5 }), lines: [line(1)] });
    expect(output.operations[0].productDiscountsAdd?.candidates[0]).toMatchObject({ value: { percentage: { value: 12.5 } }, message: "Gold member · 12.5% off" });
  });
});

describe("no discount, and no error", () => {
  const cart = [line(1), line(2)];
  it.each<[string, CartSpec]>([
    ["a guest", { lines: cart }],
    ["a customer without a membership value", { membership: null, lines: cart }],
    ["a membership of another version", { membership: { ...goldMember(), v: 2 }, lines: cart }],
    ["a malformed membership", { membership: { tier: "gold", percent: 10 }, lines: cart }],
    ["membership JSON as text", { membership: JSON.stringify(goldMember()), lines: cart }],
    ["a tier with 0%", { membership: goldMember({ percent: 0 }), lines: cart }],
    ["an empty cart", { membership: goldMember(), lines: [] }],
    ["every line excluded", { membership: goldMember(), lines: [line(1, { tags: ["clearance"] }), line(2, { giftCard: true }), line(3, { custom: true })] }],
    ["only free lines eligible", { membership: goldMember(), lines: [line(1, { amount: "0.0" }), line(2, { tags: ["clearance"] })] }],
    ["amounts Shopify would never send", { membership: goldMember(), lines: [line(1, { amount: "n/a" })] }],
    ["a subtotal tier on a discount without the ORDER class", { membership: goldMember(), lines: cart, discountClasses: ["PRODUCT", "SHIPPING"] }],
    ["a products tier on a discount without the PRODUCT class", { membership: productsMember, lines: cart, discountClasses: ["ORDER", "SHIPPING"] }],
    // The configuration lags the program: Shopify never asked which products carry "final-sale".
    ["a tier excluding a tag the configuration does not list yet", { membership: goldMember({ excludedProductTags: ["final-sale"] }), lines: cart }],
    ["a tier excluding tags while the configuration is missing", { membership: goldMember(), lines: cart, configuration: null }],
    ["a tier excluding tags while the configuration is malformed", { membership: goldMember(), lines: cart, configuration: { v: 1, tags: ["clearance"] } }],
  ])("for %s", (_, spec) => {
    expect(run(spec)).toEqual({ operations: [] });
  });
});

describe("whatever the metafields hold", () => {
  const odd: Array<[string, unknown]> = [
    ...[[], {}, "", 0, true, "gold", { v: 1 }, { v: 1, discount: null }, { v: 1, discount: { percent: 10 } }, { ...goldMember(), tier: null }].map((value): [string, unknown] => [JSON.stringify(value), value]),
    ["an object that only inherits a membership", Object.create(goldMember())],
  ];

  it.each(odd)("a membership of %s gives no discount and no error", (_, membership) => {
    expect(run({ membership, lines: [line(1)] })).toEqual({ operations: [] });
  });

  it.each(odd)("a configuration of %s gives no error", (_, configuration) => {
    expect(() => run({ membership: goldMember(), lines: [line(1), line(2, { tags: ["clearance"] })], configuration })).not.toThrow();
  });
});
