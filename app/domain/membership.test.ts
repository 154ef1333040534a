import { membershipValue, serializeMembership } from "./membership";
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
