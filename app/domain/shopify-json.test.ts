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

  it("keeps a large id exact wherever it sits, and leaves every other value as JSON has it", () => {
    // Written out by hand, not built from the parser: a line item deep in an
    // array carries the only unsafe id; an exponent that is an integer beyond
    // 2^53 counts too; a safe 16-digit id, floats and strings stay as they are.
    const text = '{"id":5123456789012,"line_items":[{"id":1,"price":"1.00"},{"id":17592186044417000,"qty":2}],"huge":1e300,"rate":1.5e3,"safe":9007199254740991,"note":"820982911946154508","ok":true,"none":null}';
    expect(parseShopifyJson(text)).toEqual({
      id: 5123456789012,
      line_items: [
        { id: 1, price: "1.00" },
        { id: "17592186044417000", qty: 2 },
      ],
      huge: "1e300",
      rate: 1500,
      safe: 9007199254740991,
      note: "820982911946154508",
      ok: true,
      none: null,
    });
  });

  it("parses a body without large ids as JSON.parse does", () => {
    const text = '{"id":450789469,"customer":{"id":207119551,"tags":"a, b"},"lines":[{"price":"199.00","quantity":1}],"total":5.5,"test":false}';
    expect(parseShopifyJson(text)).toEqual(JSON.parse(text));
  });

  it("refuses text that is not JSON", () => {
    expect(() => parseShopifyJson("{not json")).toThrow(SyntaxError);
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
