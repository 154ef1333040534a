import { describe, expect, it } from "vitest";
import { giftServes, parseGiftForm, parseStringList } from "./gifts";

const shop = { currencyCode: "USD", tierHandles: ["member", "gold"] };

describe("parseGiftForm", () => {
  it("reads a gift with its cost in minor units", () => {
    expect(parseGiftForm({ name: " Tote bag ", sku: "TOTE-1", kinds: ["entry", "birthday"], tierHandles: ["gold"], cost: "4,50" }, shop)).toEqual({
      ok: true,
      gift: { name: "Tote bag", sku: "TOTE-1", kinds: ["entry", "birthday"], tierHandles: ["gold"], costMinor: 450, active: true },
    });
  });

  it("names every bad field", () => {
    const result = parseGiftForm({ name: "  ", sku: "x".repeat(101), kinds: ["loyalty"], tierHandles: ["diamond"], cost: "-1" }, shop);
    expect(result).toEqual({
      ok: false,
      errors: {
        name: { key: "gifts.errors.nameRequired" },
        sku: { key: "gifts.errors.skuTooLong" },
        kinds: { key: "gifts.errors.kind" },
        tierHandles: { key: "gifts.errors.tier" },
        cost: { key: "gifts.errors.cost" },
      },
    });
    expect(parseGiftForm({ name: "Pen", cost: "abc" }, shop)).toEqual({ ok: false, errors: { cost: { key: "gifts.errors.cost" } } });
  });
});

describe("giftServes", () => {
  it("keeps a gift to what it is for; staff may use any", () => {
    expect(giftServes([], "birthday")).toBe(true);
    expect(giftServes(["entry"], "birthday")).toBe(false);
    expect(giftServes(["entry"], "staff")).toBe(true);
  });
});

it("reads stored lists, anything unreadable as empty", () => {
  expect(parseStringList('["a",1,"b"]')).toEqual(["a", "b"]);
  expect(parseStringList("{")).toEqual([]);
});
