import { parseShopifyJson, shopifyId, toGid } from "./shopify-json";

describe("parseShopifyJson", () => {
  it("keeps ids above 2^53 exactly, as strings", () => {
    const parsed = parseShopifyJson('{"id":820982911946154508,"small":42,"price":"9.99","rate":0.5}') as Record<string, unknown>;
    expect(parsed.id).toBe("820982911946154508");
    expect(parsed.small).toBe(42);
    expect(parsed.rate).toBe(0.5);
    // A plain JSON.parse would have rounded it.
    expect(String(JSON.parse('{"id":820982911946154508}').id)).not.toBe("820982911946154508");
  });
});

describe("shopifyId", () => {
  it.each([
    ["gid://shopify/Order/820982911946154508", "820982911946154508"],
    ["gid://shopify/Customer/1?foo=bar", "1"],
    ["820982911946154508", "820982911946154508"],
    [450789469, "450789469"],
    [820982911946154500, null], // a rounded float is not trusted
    ["not-an-id", null],
    [null, null],
  ])("%s → %s", (input, expected) => {
    expect(shopifyId(input)).toBe(expected);
  });

  it("round-trips through a gid", () => {
    expect(shopifyId(toGid("Customer", "115310627314723954"))).toBe("115310627314723954");
  });
});
