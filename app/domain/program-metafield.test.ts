import { translate } from "~/i18n";
import { parseProgram, programMetafieldValue, programSizeErrors, serializeProgram } from "./program-metafield";
import type { TierProgram, TierRule } from "./tiers";

const blankPerks: TierRule["perks"] = { discountPercent: 0, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] };
const member: TierRule = { handle: "member", rank: 1, name: { en: "Member", "zh-CN": "会员" }, minNetSpendMinor: null, minOrders: null, qualifyBy: "either", entryGift: null, perks: blankPerks };
const silver: TierRule = {
  handle: "silver",
  rank: 2,
  name: { en: "Silver", "zh-CN": "银卡" },
  minNetSpendMinor: 20_000,
  minOrders: 3,
  qualifyBy: "both",
  entryGift: "Tote bag",
  perks: { ...blankPerks, discountPercent: 5, discountScope: "products", excludedProductTags: ["  "], excludedCollections: [{ id: "42", title: "Sale" }], notes: [{ en: "Early access to sales", "zh-CN": "提前参加促销" }] },
};
const gold: TierRule = { ...silver, handle: "gold", rank: 3, name: { en: "Gold", "zh-CN": "金卡" }, minNetSpendMinor: 50_000, minOrders: null, qualifyBy: "either", entryGift: null, perks: { ...blankPerks, discountPercent: 10, freeShipping: true, birthdayGift: "Candle" } };
// Saved out of order, as the editor may keep them.
const program: TierProgram = { tiers: [gold, member, silver], window: { kind: "rolling", months: 12 }, graceDays: 30, timeZone: "Asia/Shanghai" };

it("publishes the tiers by rank, entry tier first, with what each asks and gives in the shop's currency", () => {
  const value = programMetafieldValue(program, "CNY");
  expect(value.currencyCode).toBe("CNY");
  expect(value.window).toEqual({ kind: "rolling", months: 12 });
  expect(value.tiers.map((tier) => tier.handle)).toEqual(["member", "silver", "gold"]);
  expect(value.tiers[0]).toMatchObject({ requirement: { spendMinor: null, orders: null }, discountPercent: 0, freeShipping: false, someProductsExcluded: false });
  expect(value.tiers[1]).toMatchObject({
    name: { en: "Silver", "zh-CN": "银卡" },
    requirement: { spendMinor: 20_000, orders: 3, qualifyBy: "both" },
    discountPercent: 5,
    discountScope: "products",
    // A blank tag excludes nothing, but the Sale collection does.
    someProductsExcluded: true,
    perks: [{ en: "Early access to sales", "zh-CN": "提前参加促销" }],
    entryGift: "Tote bag",
  });
  expect(value.tiers[2]).toMatchObject({ discountPercent: 10, freeShipping: true, birthdayGift: "Candle", someProductsExcluded: false });
});

it("tells the shopper nothing the merchant keeps to themselves (grace days, excluded ids, the shop's zone)", () => {
  const text = serializeProgram(programMetafieldValue(program, "USD"));
  expect(text).not.toContain("graceDays");
  expect(text).not.toContain("Sale");
  expect(text).not.toContain("Asia/Shanghai");
});

it("serialises an unchanged program to the same text whatever order its tiers were saved in, so it is not written again", () => {
  const reordered = { ...program, tiers: [silver, gold, member] };
  expect(serializeProgram(programMetafieldValue(reordered, "USD"))).toBe(serializeProgram(programMetafieldValue(program, "USD")));
});

it("reads back what it publishes, and reads anything else as no program", () => {
  const text = serializeProgram(programMetafieldValue({ ...program, window: { kind: "calendarYear" } }, "EUR"));
  expect(parseProgram(text)?.window).toEqual({ kind: "calendarYear" });
  expect(parseProgram(text)?.tiers).toHaveLength(3);
  expect(parseProgram("{not json")).toBeNull();
  expect(parseProgram(JSON.stringify({ v: 2, currencyCode: "USD", window: { kind: "lifetime" }, tiers: [] }))).toBeNull();
  expect(parseProgram(text.replace('"discountPercent":5', '"discountPercent":"5"'))).toBeNull();
  expect(parseProgram(null)).toBeNull();
});

it("refuses to publish a value its readers would reject, naming the field", () => {
  expect(() => serializeProgram(programMetafieldValue(program, "usd"))).toThrow(/currencyCode/);
  const broken = programMetafieldValue(program, "USD");
  broken.tiers[1].discountPercent = 150;
  expect(() => serializeProgram(broken)).toThrow(/tiers\.1\.discountPercent/);
});

it("refuses, before saving, perk texts too long for every storefront page to carry", () => {
  const wordy = { ...gold, perks: { ...gold.perks, notes: Array.from({ length: 40 }, (_, i) => ({ en: `Perk ${i}: ${"a long explanation ".repeat(12)}`, "zh-CN": `权益 ${i}：${"很长的说明".repeat(12)}` })) } };
  const errors = programSizeErrors({ ...program, tiers: [member, silver, wordy] });
  expect(Object.keys(errors)).toEqual(["tiers"]);
  expect(translate("en", errors.tiers.key, errors.tiers.vars)).toMatch(/^All tiers together are too long to show in the online store \(\d{5} of 16000 bytes\)/);
  expect(programSizeErrors(program)).toEqual({});
  expect(() => serializeProgram(programMetafieldValue({ ...program, tiers: [member, silver, wordy] }, "USD"))).toThrow(/at most 16000/);
});
