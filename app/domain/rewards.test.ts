import {
  amountToMinor,
  checkRewardLimits,
  DEFAULT_REWARD_SETTINGS,
  estimateRewardCost,
  parseRewardForm,
  parseRewardSettingsForm,
  readStoredRewardSettings,
  rewardCode,
  validateRewardSettings,
  type RewardSettings,
} from "./rewards";
import { localMonthStart } from "./local-time";

const settings: RewardSettings = { ...DEFAULT_REWARD_SETTINGS, staffPerMonth: 3, customerPerPeriod: 2, customerPeriodDays: 30, maxPercent: 25, maxAmountMinor: 5000 };

describe("reward settings", () => {
  it("fills every missing field with its default", () => {
    expect(validateRewardSettings({})).toEqual({ ok: true, settings: DEFAULT_REWARD_SETTINGS });
    expect(readStoredRewardSettings(null)).toEqual({ settings: DEFAULT_REWARD_SETTINGS, invalid: false });
  });

  it("refuses out-of-range values with a field error naming the range", () => {
    const result = validateRewardSettings({ staffPerMonth: 0, gifts: { noRepeatDays: 9999 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.staffPerMonth).toEqual({ key: "rewards.errors.wholeRange", vars: { min: 1, max: 1000 } });
    expect(result.errors["gifts.noRepeatDays"]).toEqual({ key: "rewards.errors.wholeRange", vars: { min: 1, max: 730 } });
  });

  it("stored settings that no longer parse fall back to the defaults and say so", () => {
    expect(readStoredRewardSettings('{"maxPercent": 500}')).toEqual({ settings: DEFAULT_REWARD_SETTINGS, invalid: true });
    expect(readStoredRewardSettings("not json")).toEqual({ settings: DEFAULT_REWARD_SETTINGS, invalid: true });
  });

  it("reads the form: amounts in shop money, the listed staff, empty fields as defaults", () => {
    const result = parseRewardSettingsForm({ staffPerMonth: "5", maxAmount: "15.50", staffMode: "listed", staffIds: "42, 77 42", "gifts.noRepeatDays": "" }, "USD");
    expect(result).toMatchObject({ ok: true, settings: { staffPerMonth: 5, maxAmountMinor: 1550, staff: ["42", "77"], gifts: { noRepeatDays: 180 } } });
    expect(parseRewardSettingsForm({ maxAmount: "1500" }, "JPY")).toMatchObject({ ok: true, settings: { maxAmountMinor: 1500 } });
  });

  it("refuses a listed-staff mode without anyone listed, and unreadable amounts", () => {
    const result = parseRewardSettingsForm({ staffMode: "listed", staffIds: " ", maxAmount: "12.345", maxPercent: "abc" }, "USD");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["maxAmountMinor", "maxPercent", "staff"]);
    expect(result.errors.staff.key).toBe("rewards.errors.staffNeeded");
  });
});

describe("the issue form", () => {
  it("takes a percentage up to the shop's maximum and the default expiry", () => {
    expect(parseRewardForm({ kind: "code", valueType: "percent", value: "15", reason: "Late parcel" }, settings, "USD")).toEqual({
      ok: true,
      request: { kind: "code", valueType: "percent", value: 15, expiryDays: 30, reason: "Late parcel" },
    });
    const over = parseRewardForm({ kind: "code", valueType: "percent", value: "30", reason: "x" }, settings, "USD");
    expect(over).toEqual({ ok: false, errors: { value: { key: "rewards.errors.percent", vars: { max: 25 } } } });
  });

  it("takes a fixed amount in shop money up to the maximum", () => {
    expect(parseRewardForm({ kind: "code", valueType: "amount", value: "12.50", expiryDays: "7", reason: "Birthday" }, settings, "USD")).toMatchObject({ ok: true, request: { value: 1250, expiryDays: 7 } });
    expect(parseRewardForm({ kind: "code", valueType: "amount", value: "50.01", reason: "x" }, settings, "USD")).toEqual({
      ok: false,
      errors: { value: { key: "rewards.errors.amountMax", vars: { max: "50.00" } } },
    });
  });

  it("needs a reason, a known kind and a sane expiry", () => {
    const result = parseRewardForm({ kind: "code", valueType: "percent", value: "10", expiryDays: "0", reason: "  " }, settings, "USD");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(["expiryDays", "reason"]);
    expect(parseRewardForm({ kind: "voucher", reason: "x" }, settings, "USD")).toMatchObject({ ok: false, errors: { kind: { key: "rewards.errors.kind" } } });
    expect(parseRewardForm({ kind: "gift", giftId: "", reason: "Thank you" }, settings, "USD")).toEqual({ ok: true, request: { kind: "gift", giftId: null, reason: "Thank you" } });
  });
});

describe("limits", () => {
  const now = new Date("2026-11-20T12:00:00Z");
  it("lets a reward through while both limits have room, saying what is left after it", () => {
    expect(checkRewardLimits(settings, "42", { staffThisMonth: 1, customerInPeriod: [] })).toEqual({ ok: true, staffLeft: 1, customerLeft: 1 });
  });

  it("refuses the staff member's reward past their monthly limit, naming it", () => {
    expect(checkRewardLimits(settings, "42", { staffThisMonth: 3, customerInPeriod: [] })).toEqual({
      ok: false,
      limit: "staff",
      message: { key: "rewards.limit.staff", vars: { limit: 3, used: 3 } },
    });
  });

  it("refuses the customer's reward past the period's limit and says when the next is possible", () => {
    const verdict = checkRewardLimits(settings, "42", { staffThisMonth: 0, customerInPeriod: [new Date("2026-11-10T00:00:00Z"), new Date("2026-11-01T09:00:00Z")] });
    expect(verdict).toEqual({ ok: false, limit: "customer", message: { key: "rewards.limit.customer", vars: { limit: 2, days: 30, used: 2, next: "2026-12-01T09:00:00.000Z" } } });
  });

  it("refuses staff the merchant did not list", () => {
    const listed = { ...settings, staff: ["7"] };
    expect(checkRewardLimits(listed, "42", { staffThisMonth: 0, customerInPeriod: [] })).toMatchObject({ ok: false, limit: "notAllowed" });
    expect(checkRewardLimits(listed, "7", { staffThisMonth: 0, customerInPeriod: [] }).ok).toBe(true);
    expect(checkRewardLimits(listed, null, { staffThisMonth: 0, customerInPeriod: [] }).ok).toBe(false);
  });

  it("counts the month in the shop's zone", () => {
    expect(localMonthStart(now, "UTC").toISOString()).toBe("2026-11-01T00:00:00.000Z");
    // 1 Nov 03:00 UTC is still October in Los Angeles (UTC-7 before the change back on 1 Nov 09:00 UTC).
    expect(localMonthStart(new Date("2026-11-01T03:00:00Z"), "America/Los_Angeles").toISOString()).toBe("2026-10-01T07:00:00.000Z");
    expect(localMonthStart(now, "Asia/Shanghai").toISOString()).toBe("2026-10-31T16:00:00.000Z");
  });
});

describe("codes and costs", () => {
  it("makes readable codes without look-alike characters, skipping biased bytes", () => {
    const code = rewardCode(Uint8Array.from([0, 30, 31, 250, 251, 1, 2, 3, 4, 5, 6]));
    // 248 and above lie past the last whole multiple of 31: skipped; 31 wraps to A.
    expect(code).toBe("MC-A9ABCDEF");
    for (let seed = 0; seed < 200; seed++) {
      const bytes = Uint8Array.from({ length: 16 }, (_, index) => (seed * 37 + index * 101) % 256);
      expect(rewardCode(bytes)).toMatch(/^MC-[A-HJKMNP-Z2-9]{8}$/);
    }
    expect(() => rewardCode(new Uint8Array(3))).toThrow();
  });

  it("estimates a percentage on the average order, a fixed amount in full, a gift at its cost", () => {
    expect(estimateRewardCost({ kind: "code", valueType: "percent", value: 15, expiryDays: 30, reason: "" }, { averageOrderMinor: 8000, giftCostMinor: 0 })).toBe(1200);
    expect(estimateRewardCost({ kind: "code", valueType: "amount", value: 1000, expiryDays: 30, reason: "" }, { averageOrderMinor: 8000, giftCostMinor: 0 })).toBe(1000);
    expect(estimateRewardCost({ kind: "gift", giftId: null, reason: "" }, { averageOrderMinor: 8000, giftCostMinor: 350 })).toBe(350);
  });

  it("converts amounts both ways with the currency's decimals", () => {
    expect(amountToMinor("20", "USD")).toBe(2000);
    expect(amountToMinor("20.5", "USD")).toBe(2050);
    expect(amountToMinor("20.505", "USD")).toBeNull();
    expect(amountToMinor("-1", "USD")).toBeNull();
  });
});
