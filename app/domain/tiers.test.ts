import {
  announcedDowngrade,
  lastDayToKeep,
  memberReviewDate,
  evaluateMember,
  nextEvaluation,
  perkGradientWarnings,
  progressToNext,
  qualifiedTier,
  qualifyingTotals,
  sweepDue,
  systemReason,
  validateProgram,
  windowStart,
  type ProgramIssue,
  type TierProgram,
  type TierRule,
} from "./tiers";
import { translate } from "~/i18n";

const perks = (discountPercent: number, extra: Partial<TierRule["perks"]> = {}): TierRule["perks"] => ({
  discountPercent,
  discountScope: "subtotal",
  excludedProductTags: [],
  freeShipping: false,
  birthdayGift: null,
  notes: [],
  ...extra,
});

const tier = (handle: string, rank: number, minNetSpendMinor: number | null, minOrders: number | null, discount: number, extra: Partial<TierRule> = {}): TierRule => ({
  handle,
  rank,
  name: { en: handle[0].toUpperCase() + handle.slice(1), "zh-CN": `${handle}会员` },
  minNetSpendMinor,
  minOrders,
  qualifyBy: "either",
  entryGift: null,
  perks: perks(discount),
  ...extra,
});

const program = (overrides: Partial<TierProgram> = {}): TierProgram => ({
  tiers: [tier("member", 1, null, null, 0), tier("silver", 2, 20_000, 3, 5), tier("gold", 3, 50_000, 6, 10, { perks: perks(10, { freeShipping: true }) }), tier("platinum", 4, 100_000, null, 15, { perks: perks(15, { freeShipping: true }) })],
  window: { kind: "rolling", months: 12 },
  graceDays: 30,
  timeZone: "Asia/Shanghai",
  ...overrides,
});

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

// What the merchant reads, in English.
const english = (issues: Record<string, ProgramIssue>) => Object.fromEntries(Object.entries(issues).map(([field, i]) => [field, translate("en", i.key, i.vars)]));

describe("validateProgram", () => {
  it("accepts a sensible program", () => {
    expect(validateProgram(program())).toEqual({});
  });

  it("names each problem by field", () => {
    const bad = program({
      tiers: [tier("member", 1, null, null, 0), tier("Gold!", 2, 50_000, null, 120), tier("silver", 2, 20_000, null, 5)],
      window: { kind: "rolling", months: 0 },
    });
    expect(english(validateProgram(bad))).toMatchObject({
      "tiers.1.handle": expect.stringMatching(/lowercase/),
      "tiers.1.perks.discountPercent": expect.stringMatching(/0 and 100/),
      "tiers.2.rank": expect.stringMatching(/own rank/),
      "window.months": expect.any(String),
    });
    expect(english(validateProgram(program({ tiers: [tier("only", 1, null, null, 0)] }))).tiers).toMatch(/between 2 and 8/);
  });

  it("refuses thresholds that shrink with rank", () => {
    const errors = validateProgram(program({ tiers: [tier("member", 1, null, null, 0), tier("silver", 2, 50_000, null, 5), tier("gold", 3, 20_000, null, 10)] }));
    expect(english(errors)["tiers.2.minNetSpendMinor"]).toMatch(/Gold asks less than Silver/);
  });
});

it("keeps excluded tags within what Shopify's tags and the Function's input query allow", () => {
  const tagged = (tags: string[]) => perks(5, { excludedProductTags: tags });
  const many = Array.from({ length: 60 }, (_, i) => `tag-${i}`);
  const tooMany = program({
    tiers: [tier("member", 1, null, null, 0, { perks: tagged(many) }), tier("silver", 2, 20_000, null, 5, { perks: tagged([...many.slice(0, 30), ...Array.from({ length: 41 }, (_, i) => `more-${i}`)]) })],
  });
  expect(english(validateProgram(tooMany))).toEqual({ "tiers.1.perks.excludedProductTags": "Checkout can leave out products by at most 100 different tags across all tiers." });
  // The same tag in several tiers, or with spaces around it, counts once.
  const repeated = program({ tiers: [tier("member", 1, null, null, 0, { perks: tagged(many) }), tier("silver", 2, 20_000, null, 5, { perks: tagged([...many.map((tag) => ` ${tag} `), ...Array.from({ length: 40 }, (_, i) => `more-${i}`)]) })] });
  expect(validateProgram(repeated)).toEqual({});
  const long = program({ tiers: [tier("member", 1, null, null, 0), tier("silver", 2, 20_000, null, 5, { perks: tagged(["x".repeat(256)]) })] });
  expect(english(validateProgram(long))).toEqual({ "tiers.1.perks.excludedProductTags": "A product tag is at most 255 characters." });
});

it("names every reason the app records in the merchant's language, and leaves staff reasons as typed", () => {
  const p = program();
  const now = day("2026-06-01");
  const reasons = [
    evaluateMember(p, { tierHandle: null, downgradeOn: null, warnedAt: null, pinnedHandle: null, pinnedUntil: null }, { netSpendMinor: 60_000, orders: 2 }, now, { sweep: false }),
  ].map((decision) => ("reason" in decision ? (decision.reason ?? "") : ""));
  for (const reason of [...reasons, "qualified for a higher tier", "pinned by staff", "meets the tier's threshold again", "grace period ended below the tier's threshold", "below the tier's threshold; downgrade on 2026-07-01 unless it is met again"]) {
    const known = systemReason(reason);
    expect(known).not.toBeNull();
    expect(translate("en", known!.key, known!.vars)).toBe(reason);
    expect(translate("zh-CN", known!.key, known!.vars)).not.toBe(reason);
  }
  expect(systemReason("VIP by owner's request")).toBeNull();
});

describe("perkGradientWarnings", () => {
  it("warns when a higher tier's perks are weaker than a lower one's", () => {
    const inverted = program({ tiers: [tier("member", 1, null, null, 5, { perks: perks(5, { freeShipping: true }) }), tier("silver", 2, 20_000, null, 3)] });
    expect(perkGradientWarnings(inverted).map((i) => translate("en", i.key, i.vars))).toEqual(["Silver gives 3% off, less than Member's 5% off.", "Member has free shipping but Silver does not."]);
    expect(perkGradientWarnings(program())).toEqual([]);
  });
});

describe("windows and totals", () => {
  const orders = [
    { processedAt: day("2024-06-01"), netMinor: 40_000 },
    { processedAt: day("2025-12-15"), netMinor: 10_000 },
    { processedAt: day("2026-03-01"), netMinor: 15_000 },
    { processedAt: day("2026-05-01"), netMinor: 0 }, // fully refunded: not an order
  ];
  const now = day("2026-06-01");

  it.each([
    [{ kind: "lifetime" } as const, { netSpendMinor: 65_000, orders: 3, oldestCountedAt: day("2024-06-01") }],
    [{ kind: "rolling", months: 12 } as const, { netSpendMinor: 25_000, orders: 2, oldestCountedAt: day("2025-12-15") }],
    [{ kind: "calendarYear" } as const, { netSpendMinor: 15_000, orders: 1, oldestCountedAt: day("2026-03-01") }],
  ])("%o counts %o", (window, expected) => {
    expect(qualifyingTotals(program({ window }), orders, now)).toEqual(expected);
  });

  it("starts a calendar year at local midnight in the shop's time zone", () => {
    expect(windowStart(program({ window: { kind: "calendarYear" } }), now)?.toISOString()).toBe("2025-12-31T16:00:00.000Z");
    expect(windowStart(program({ window: { kind: "calendarYear" }, timeZone: "America/New_York" }), now)?.toISOString()).toBe("2026-01-01T05:00:00.000Z");
  });

  it("evaluates rolling and lifetime programs daily (refunds), calendar programs at the year's end", () => {
    expect(nextEvaluation(program(), day("2026-06-01")).toISOString()).toBe("2026-06-01T16:00:00.000Z");
    expect(nextEvaluation(program({ window: { kind: "calendarYear" } }), day("2026-06-01")).toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(nextEvaluation(program({ window: { kind: "lifetime" } }), day("2026-06-01")).toISOString()).toBe("2026-06-01T16:00:00.000Z");
  });

  it("tells a member when their standing is reviewed: when their oldest counted order leaves a rolling window, the year's end, or never", () => {
    const rolling = program();
    const totals = qualifyingTotals(rolling, orders, now);
    const silver = rolling.tiers.find((tier) => tier.handle === "silver")!;
    expect(memberReviewDate(rolling, silver, totals, now)?.toISOString()).toBe("2026-12-15T12:00:00.000Z");
    expect(memberReviewDate(rolling, silver, totals, day("2026-06-20"))).toEqual(memberReviewDate(rolling, silver, totals, now)); // stable from day to day
    expect(memberReviewDate(rolling, rolling.tiers[0], totals, now)).toBeNull(); // the entry tier has nothing to lose
    expect(memberReviewDate(program({ window: { kind: "calendarYear" } }), silver, totals, now)?.toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(memberReviewDate(program({ window: { kind: "lifetime" } }), silver, totals, now)).toBeNull();
  });
});

describe("placement", () => {
  it.each([
    [{ netSpendMinor: 0, orders: 0 }, "member"],
    [{ netSpendMinor: 19_999, orders: 2 }, "member"],
    [{ netSpendMinor: 5_000, orders: 3 }, "silver"], // either threshold will do
    [{ netSpendMinor: 50_000, orders: 1 }, "gold"],
    [{ netSpendMinor: 250_000, orders: 1 }, "platinum"],
  ])("%o → %s", (totals, handle) => {
    expect(qualifiedTier(program(), totals).handle).toBe(handle);
  });

  it("requires both thresholds when the tier says so", () => {
    const strict = program({ tiers: [tier("member", 1, null, null, 0), tier("silver", 2, 20_000, 3, 5, { qualifyBy: "both" })] });
    expect(qualifiedTier(strict, { netSpendMinor: 30_000, orders: 2 }).handle).toBe("member");
    expect(qualifiedTier(strict, { netSpendMinor: 30_000, orders: 3 }).handle).toBe("silver");
  });

  it("says what the next tier needs", () => {
    const p = program();
    const progress = progressToNext(p, qualifiedTier(p, { netSpendMinor: 45_800, orders: 4 }), { netSpendMinor: 45_800, orders: 4 });
    expect(progress).toMatchObject({ next: { handle: "gold" }, spendNeededMinor: 4_200, ordersNeeded: 2 });
    expect(progressToNext(p, p.tiers[3], { netSpendMinor: 1, orders: 1 }).next).toBeNull();
  });
});

describe("evaluateMember", () => {
  const p = program();
  const state = (tierHandle: string | null, extra: Partial<Parameters<typeof evaluateMember>[1]> = {}) => ({ tierHandle, downgradeOn: null, warnedAt: null, pinnedHandle: null, pinnedUntil: null, ...extra });
  const now = day("2026-06-01");

  it("places a new member from their history", () => {
    expect(evaluateMember(p, state(null), { netSpendMinor: 60_000, orders: 2 }, now, { sweep: false })).toMatchObject({ action: "upgrade", from: null, to: { handle: "gold" }, reason: "placed from history" });
  });

  it("upgrades at once on an order event", () => {
    expect(evaluateMember(p, state("silver"), { netSpendMinor: 52_000, orders: 4 }, now, { sweep: false })).toMatchObject({ action: "upgrade", to: { handle: "gold" } });
  });

  it("never downgrades outside the sweep", () => {
    expect(evaluateMember(p, state("gold"), { netSpendMinor: 1_000, orders: 1 }, now, { sweep: false })).toMatchObject({ action: "keep", tier: { handle: "gold" } });
  });

  it("warns first with the amount needed to keep the tier, and downgrades only after a grace period that started when the warning reached the member", () => {
    const below = { netSpendMinor: 42_000, orders: 4 };
    const warning = evaluateMember(p, state("gold"), below, now, { sweep: true });
    // Gold needs 50,000 or 6 orders: spending the 8,000 is enough by itself, so that is what the member is told.
    expect(warning).toMatchObject({ action: "warn", tier: { handle: "gold" }, to: { handle: "silver" }, spendToKeepMinor: 8_000, ordersToKeep: null, again: false });
    const downgradeOn = (warning as { downgradeOn: Date }).downgradeOn;
    // 30 days from 1 June (20:00 in Shanghai): the member has through 1 July, Shanghai time.
    expect(downgradeOn.toISOString()).toBe("2026-07-01T16:00:00.000Z");
    expect(lastDayToKeep(p, downgradeOn)).toBe("2026-07-01");

    const warned = state("gold", { downgradeOn, warnedAt: now });
    expect(evaluateMember(p, warned, below, day("2026-06-20"), { sweep: true })).toMatchObject({ action: "keep" });
    expect(evaluateMember(p, warned, below, day("2026-07-01"), { sweep: true })).toMatchObject({ action: "keep" }); // 1 July still counts
    expect(evaluateMember(p, warned, below, day("2026-07-02"), { sweep: true })).toMatchObject({ action: "downgrade", from: { handle: "gold" }, to: { handle: "silver" } });
    // Back above the threshold during grace: the warning is lifted.
    expect(evaluateMember(p, warned, { netSpendMinor: 51_000, orders: 4 }, day("2026-06-20"), { sweep: true })).toMatchObject({ action: "clearWarning" });
  });

  it("never downgrades a member the warning has not reached; once the date has passed it announces again", () => {
    const below = { netSpendMinor: 42_000, orders: 4 };
    const announced = state("gold", { downgradeOn: new Date("2026-07-01T16:00:00.000Z") });
    expect(evaluateMember(p, announced, below, day("2026-06-20"), { sweep: true })).toMatchObject({ action: "keep" });
    const again = evaluateMember(p, announced, below, day("2026-07-10"), { sweep: true });
    expect(again).toMatchObject({ action: "warn", again: true, spendToKeepMinor: 8_000 });
    expect((again as { downgradeOn: Date }).downgradeOn.toISOString()).toBe("2026-08-09T16:00:00.000Z");
    // Long after any date, still never a downgrade without a reach.
    expect(evaluateMember(p, announced, below, day("2027-06-01"), { sweep: true }).action).not.toBe("downgrade");
  });

  it("ends the review of a member staff pin to the tier they hold, and reviews them afresh once the pin ends", () => {
    const below = { netSpendMinor: 42_000, orders: 4 };
    const warnedThenPinned = state("gold", { downgradeOn: new Date("2026-07-01T16:00:00.000Z"), warnedAt: now, pinnedHandle: "gold", pinnedUntil: day("2026-09-01") });
    expect(evaluateMember(p, warnedThenPinned, below, day("2026-07-05"), { sweep: true })).toMatchObject({ action: "clearWarning", reason: "pinned by staff" });
    // The pin over, a member still below is warned again, never downgraded on the old date.
    const afterPin = state("gold", { pinnedHandle: "gold", pinnedUntil: day("2026-09-01") });
    expect(evaluateMember(p, afterPin, below, day("2026-09-02"), { sweep: true })).toMatchObject({ action: "warn", again: false });
  });

  it("counts the grace period from a warning that reached the member after it was announced", () => {
    const below = { netSpendMinor: 42_000, orders: 4 };
    const late = state("gold", { downgradeOn: new Date("2026-07-01T16:00:00.000Z"), warnedAt: day("2026-06-10") });
    expect(announcedDowngrade(p, late)?.toISOString()).toBe("2026-07-10T16:00:00.000Z");
    expect(evaluateMember(p, late, below, day("2026-07-05"), { sweep: true })).toMatchObject({ action: "keep" });
    expect(evaluateMember(p, late, below, day("2026-07-11"), { sweep: true })).toMatchObject({ action: "downgrade" });
  });

  it("keeps a staff pin until its date, then evaluates normally", () => {
    const pinned = state("silver", { pinnedHandle: "platinum", pinnedUntil: day("2026-09-01") });
    expect(evaluateMember(p, pinned, { netSpendMinor: 0, orders: 0 }, now, { sweep: true })).toMatchObject({ action: "upgrade", to: { handle: "platinum" }, reason: "pinned by staff" });
    const held = state("platinum", { pinnedHandle: "platinum", pinnedUntil: day("2026-09-01") });
    expect(evaluateMember(p, held, { netSpendMinor: 0, orders: 0 }, now, { sweep: true })).toMatchObject({ action: "keep" });
    expect(evaluateMember(p, held, { netSpendMinor: 0, orders: 0 }, day("2026-09-02"), { sweep: true })).toMatchObject({ action: "warn", to: { handle: "member" } });
  });
});

describe("sweepDue", () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ["rolling, same local day", { kind: "rolling", months: 12 } as const, "2026-06-01T10:00:00Z", "2026-06-01T15:59:00Z", false],
    ["rolling, past the shop's midnight (16:00 UTC in Shanghai)", { kind: "rolling", months: 12 } as const, "2026-06-01T10:00:00Z", "2026-06-01T16:00:00Z", true],
    ["lifetime, next day", { kind: "lifetime" } as const, "2026-06-01T10:00:00Z", "2026-06-02T17:00:00Z", true],
    ["calendar year, still the same year", { kind: "calendarYear" } as const, "2026-01-05T00:00:00Z", "2026-12-31T15:59:00Z", false],
    ["calendar year, the new year has begun in Shanghai", { kind: "calendarYear" } as const, "2026-01-05T00:00:00Z", "2026-12-31T16:00:00Z", true],
  ])("%s", (_label, window, last, now, due) => {
    expect(sweepDue(program({ window }), at(last), at(now))).toBe(due);
  });

  it("waits for the shop's next day where the zone skips midnight (Santiago, 6 Sep 2026: 00:00 is 01:00)", () => {
    const santiago = program({ timeZone: "America/Santiago" });
    const lastSwept = at("2026-09-05T15:00:00Z"); // 11:00 on 5 September, local
    // 23:30 on 5 September local: still the day it was swept.
    expect(sweepDue(santiago, lastSwept, at("2026-09-06T03:30:00Z"))).toBe(false);
    // 01:00 on 6 September local, the day's first instant.
    expect(sweepDue(santiago, lastSwept, at("2026-09-06T04:00:00Z"))).toBe(true);
  });

  it("is due when a program has never been swept", () => {
    expect(sweepDue(program(), null, at("2026-06-01T00:00:00Z"))).toBe(true);
  });
});
