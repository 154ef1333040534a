// cart.delivery-options.discounts.generate.run: free shipping as a tier perk.
import { cartDeliveryOptionsDiscountsGenerateRun } from "../src/cart_delivery_options_discounts_generate_run";
import { deliveryInput, goldMember, type DeliverySpec } from "./support/carts";

const run = (spec: DeliverySpec) => cartDeliveryOptionsDiscountsGenerateRun(deliveryInput(spec));
const silverMember = goldMember({ percent: 5 }, { tier: { handle: "silver", rank: 2, name: { en: "Silver", "zh-CN": "银卡" } }, freeShipping: false });

describe("a member whose tier has free shipping", () => {
  it("sees every delivery option of every delivery group as free", () => {
    const output = run({ membership: goldMember(), groups: [["standard-shipping", "express-shipping"], ["standard-shipping-subscription"]] });
    expect(output).toEqual({
      operations: [
        {
          deliveryDiscountsAdd: {
            selectionStrategy: "ALL",
            candidates: [
              {
                message: "Gold member · free shipping",
                targets: [
                  { deliveryOption: { handle: "standard-shipping" } },
                  { deliveryOption: { handle: "express-shipping" } },
                  { deliveryOption: { handle: "standard-shipping-subscription" } },
                ],
                value: { percentage: { value: 100 } },
              },
            ],
          },
        },
      ],
    });
  });

  it("reads the message in Chinese at a Chinese checkout", () => {
    const output = run({ membership: goldMember(), groups: [["standard-shipping"]], language: "ZH_CN" });
    expect(output.operations[0].deliveryDiscountsAdd?.candidates[0].message).toBe("金卡会员 · 免运费");
  });

  it("gets it even when the tier's percentage is 0", () => {
    expect(run({ membership: goldMember({ percent: 0 }), groups: [["standard-shipping"]] }).operations).toHaveLength(1);
  });

  it("names an option offered in two groups once", () => {
    const output = run({ membership: goldMember(), groups: [["pickup-store-1"], ["pickup-store-1"]] });
    expect(output.operations[0].deliveryDiscountsAdd?.candidates[0].targets).toEqual([{ deliveryOption: { handle: "pickup-store-1" } }]);
  });
});

describe("no free shipping, and no error", () => {
  it.each<[string, DeliverySpec]>([
    ["a guest", { groups: [["standard-shipping"]] }],
    ["a customer without a membership value", { membership: null, groups: [["standard-shipping"]] }],
    ["a tier without free shipping", { membership: silverMember, groups: [["standard-shipping"]] }],
    ["a membership of another version", { membership: { ...goldMember(), v: 2 }, groups: [["standard-shipping"]] }],
    ["a discount without the SHIPPING class", { membership: goldMember(), groups: [["standard-shipping"]], discountClasses: ["ORDER", "PRODUCT"] }],
    ["a cart with nothing to deliver", { membership: goldMember(), groups: [] }],
    ["delivery groups without options yet (no address)", { membership: goldMember(), groups: [[]] }],
  ])("for %s", (_, spec) => {
    expect(run(spec)).toEqual({ operations: [] });
  });
});
