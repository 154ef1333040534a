import { translate } from "~/i18n";
import { checkoutSizeErrors, membershipValue, serializeMembership } from "./membership";
import type { TierProgram, TierRule } from "./tiers";

const tier = (handle: string, rank: number, min: number | null, percent: number, notes: TierRule["perks"]["notes"] = []): TierRule => ({
  handle,
  rank,
  name: { en: handle === "gold" ? "Gold" : "Platinum", "zh-CN": handle === "gold" ? "金卡" : "白金卡" },
  minNetSpendMinor: min,
  minOrders: null,
  qualifyBy: "either",
  entryGift: null,
  perks: { discountPercent: percent, discountScope: "subtotal", excludedProductTags: ["no-discount"], freeShipping: rank > 1, birthdayGift: null, notes },
});
const program: TierProgram = { tiers: [tier("gold", 1, null, 10), tier("platinum", 2, 100_000, 15)], window: { kind: "rolling", months: 12 }, graceDays: 30, timeZone: "UTC" };
const now = new Date("2026-06-01T12:00:00Z");

it("says what checkout needs: the tier, its discount, and what is left to the next tier", () => {
  const value = membershipValue(program, program.tiers[0], { downgradeOn: null }, { netSpendMinor: 95_800, orders: 4, oldestCountedAt: new Date("2025-09-10T08:00:00Z") }, "USD", now);
  expect(value).toEqual({
    v: 1,
    tier: { handle: "gold", rank: 1, name: { en: "Gold", "zh-CN": "金卡" } },
    discount: { percent: 10, scope: "subtotal", excludedProductTags: ["no-discount"] },
    freeShipping: false,
    perks: [],
    birthdayGift: null,
    progress: { next: { handle: "platinum", name: { en: "Platinum", "zh-CN": "白金卡" } }, spendNeededMinor: 4_200, ordersNeeded: null, currencyCode: "USD" },
    nextEvaluation: null, // the entry tier has nothing to lose
    downgradeOn: null,
  });
});

it("serialises an unchanged state to the same text from day to day, so the sync can skip the write", () => {
  const totals = { netSpendMinor: 120_000, orders: 9, oldestCountedAt: new Date("2025-09-10T08:00:00Z") };
  const a = membershipValue(program, program.tiers[1], { downgradeOn: null }, totals, "USD", now);
  const b = membershipValue(program, program.tiers[1], { downgradeOn: null }, totals, "USD", new Date("2026-06-09T12:00:00Z"));
  expect(serializeMembership(a)).toBe(serializeMembership(b));
  expect(a.progress).toBeNull();
  expect(a.nextEvaluation).toBe("2026-09-10T08:00:00.000Z"); // when the oldest counted order leaves the 12 months
});

it("refuses a value too large for a Function to receive", () => {
  const wordy = tier("platinum", 2, 100_000, 15, Array.from({ length: 200 }, () => ({ en: "A very long perk description ".repeat(2), "zh-CN": "很长的会员权益说明" })));
  const value = membershipValue({ ...program, tiers: [program.tiers[0], wordy] }, wordy, { downgradeOn: null }, { netSpendMinor: 0, orders: 0 }, "USD", now);
  expect(() => serializeMembership(value)).toThrow(/Functions receive at most 10000/);
});

it("refuses, before saving, perks too long for the 10,000 bytes a Function is given", () => {
  const wordy = tier("platinum", 2, 100_000, 15, Array.from({ length: 20 }, (_, i) => ({ en: `Perk ${i}: ${"a long explanation ".repeat(15)}`, "zh-CN": `权益 ${i}：${"很长的说明".repeat(20)}` })));
  const errors = checkoutSizeErrors({ ...program, tiers: [program.tiers[0], wordy] });
  expect(Object.keys(errors)).toEqual(["tiers.1.perks.notes"]);
  expect(translate("en", errors["tiers.1.perks.notes"].key, errors["tiers.1.perks.notes"].vars)).toMatch(/^This tier's perks are too long for checkout \(1\d{4} of 10000 bytes\)/);
  expect(checkoutSizeErrors(program)).toEqual({});
  // A value that passes the check can be written for any member of the tier.
  const fits = tier("platinum", 2, 100_000, 15, [{ en: "b".repeat(4000), "zh-CN": "c".repeat(4000) }]);
  expect(checkoutSizeErrors({ ...program, tiers: [program.tiers[0], fits] })).toEqual({});
  expect(() => serializeMembership(membershipValue({ ...program, tiers: [program.tiers[0], fits] }, fits, { downgradeOn: now }, { netSpendMinor: 1, orders: 1, oldestCountedAt: now }, "USD", now))).not.toThrow();
});

it("writes excluded tags trimmed, as the Function's configuration has them", () => {
  const spaced = { ...program.tiers[0], perks: { ...program.tiers[0].perks, excludedProductTags: [" no-discount ", " "] } };
  expect(membershipValue(program, spaced, { downgradeOn: null }, { netSpendMinor: 0, orders: 0, oldestCountedAt: null }, "USD", now).discount.excludedProductTags).toEqual(["no-discount"]);
});
