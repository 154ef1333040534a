// Why a member is in their tier and what an edit does to them, case by case.
// Expected figures are worked out by hand from each case's orders.
import { classifyMove } from "./tier-preview";
import { tierStanding } from "./tier-standing";
import type { TierProgram, TierRule, TierWindow } from "./tiers";

const perks: TierRule["perks"] = { discountPercent: 0, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] };
const tier = (handle: string, rank: number, spend: number | null, orders: number | null = null, qualifyBy: TierRule["qualifyBy"] = "either"): TierRule => ({
  handle, rank, name: { en: handle, "zh-CN": handle }, minNetSpendMinor: spend, minOrders: orders, qualifyBy, entryGift: null, perks,
});
const program = (window: TierWindow, tiers = [tier("member", 1, null), tier("silver", 2, 10_000), tier("gold", 3, 30_000)]): TierProgram => ({ tiers, window, graceDays: 14, timeZone: "UTC" });
const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
const now = at("2026-10-22");

describe("tierStanding", () => {
  it("keeps Gold by the day the first order that matters leaves a rolling window", () => {
    // 150 + 100 + 120 = 370 in the 12 months. Leaving in turn: 150 (2 Dec 2026) leaves 220 < 300.
    const orders = [
      { processedAt: at("2025-12-02"), netMinor: 15_000 },
      { processedAt: at("2026-03-10"), netMinor: 10_000 },
      { processedAt: at("2026-09-01"), netMinor: 12_000 },
      { processedAt: at("2025-06-01"), netMinor: 90_000 }, // outside the window
    ];
    const standing = tierStanding({ program: program({ kind: "rolling", months: 12 }), orders, tierHandle: "gold", downgradeOn: null, now });
    expect(standing.totals).toMatchObject({ netSpendMinor: 37_000, orders: 3 });
    expect(standing.keep).toMatchObject({ tier: { handle: "gold" }, by: "2026-12-02", spendMinor: 8_000, underReview: false });
    expect(standing.nextReview?.toISOString()).toBe("2026-12-02T12:00:00.000Z");
    expect(standing.reach).toBeNull();
  });

  it("walks past departures that still leave the tier met", () => {
    // 50 then 400: when the 50 leaves (5 Nov 2026) 400 still meets Gold; when the 400 leaves (1 Aug 2027) nothing is left.
    const orders = [
      { processedAt: at("2025-11-05"), netMinor: 5_000 },
      { processedAt: at("2026-08-01"), netMinor: 40_000 },
    ];
    const standing = tierStanding({ program: program({ kind: "rolling", months: 12 }), orders, tierHandle: "gold", downgradeOn: null, now });
    expect(standing.keep).toMatchObject({ by: "2027-08-01", spendMinor: 30_000 });
  });

  it("under review says what the member was told: the missing amount by the announced last day", () => {
    const standing = tierStanding({ program: program({ kind: "rolling", months: 12 }), orders: [{ processedAt: at("2026-08-01"), netMinor: 21_000 }], tierHandle: "gold", downgradeOn: new Date("2026-11-05T00:00:00Z"), now });
    expect(standing.qualified.handle).toBe("silver");
    expect(standing.keep).toEqual({ tier: expect.objectContaining({ handle: "gold" }), by: "2026-11-04", spendMinor: 9_000, orders: null, underReview: true });
    expect(standing.nextReview?.toISOString()).toBe("2026-11-05T00:00:00.000Z");
    expect(standing.ladder.map((step) => [step.tier.handle, step.met, step.spendShortMinor, step.current])).toEqual([
      ["member", true, null, false],
      ["silver", true, null, false],
      ["gold", false, 9_000, true],
    ]);
  });

  it("counts orders where the thresholds do, and names both criteria when both are needed", () => {
    const tiers = [tier("member", 1, null), tier("regular", 2, 20_000, 3, "both")];
    const orders = [
      { processedAt: at("2026-05-01"), netMinor: 15_000 },
      { processedAt: at("2026-06-01"), netMinor: 0, countsAsPurchase: true }, // a free order counts as an order
    ];
    const standing = tierStanding({ program: program({ kind: "lifetime" }, tiers), orders, tierHandle: "member", downgradeOn: null, now });
    expect(standing.totals).toMatchObject({ netSpendMinor: 15_000, orders: 2 });
    expect(standing.reach).toMatchObject({ tier: { handle: "regular" }, spendMinor: 5_000, orders: 1 });
    // The entry tier has nothing to keep, and a lifetime program reviews nobody.
    expect(standing.keep).toBeNull();
    expect(standing.nextReview).toBeNull();
  });

  it("in a calendar-year program asks for what is missing by the year's last day", () => {
    const standing = tierStanding({ program: program({ kind: "calendarYear" }), orders: [{ processedAt: at("2026-02-01"), netMinor: 25_000 }, { processedAt: at("2025-12-20"), netMinor: 40_000 }], tierHandle: "gold", downgradeOn: null, now });
    expect(standing.totals.netSpendMinor).toBe(25_000); // last year's order does not count
    expect(standing.keep).toMatchObject({ by: "2026-12-31", spendMinor: 5_000 });
    expect(standing.nextReview?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("classifyMove", () => {
  const ranks: Record<string, number> = { member: 1, silver: 2, gold: 3, platinum: 4 };
  const rank = (handle: string) => ranks[handle];
  it.each([
    ["nothing changes", "gold", "gold", "gold", { edit: null, pending: null }],
    ["a review under way, unchanged by the edit", "platinum", "gold", "gold", { edit: null, pending: { from: "platinum", to: "gold" } }],
    ["the edit moves a member up", "silver", "silver", "gold", { edit: { kind: "up", from: "silver", to: "gold" }, pending: null }],
    ["the edit moves a member down", "gold", "gold", "silver", { edit: { kind: "down", from: "gold", to: "silver" }, pending: null }],
    ["the edit cancels a review", "platinum", "gold", "platinum", { edit: { kind: "keeps", from: "platinum", to: "platinum", cancelled: "gold" }, pending: null }],
    ["the edit takes a member under review further down", "platinum", "gold", "silver", { edit: { kind: "down", from: "platinum", to: "silver" }, pending: null }],
  ])("%s", (_case, held, underCurrent, underProposed, expected) => {
    expect(classifyMove(held, underCurrent, underProposed, rank)).toEqual(expected);
  });

  it("counts a member whose tier the edit removes as moved by the edit", () => {
    expect(classifyMove("vip", "vip", "gold", (handle) => (handle === "vip" ? undefined : ranks[handle]))).toEqual({ edit: { kind: "up", from: "vip", to: "gold" }, pending: null });
  });
});
