import { translate } from "~/i18n";
import { DEFAULT_INTELLIGENCE_SETTINGS, parseIntelligenceSettings, type IntelligenceSettingsErrors } from "./settings";

const english = (errors: IntelligenceSettingsErrors) => Object.fromEntries(Object.entries(errors).map(([field, e]) => [field, translate("en", e.key, e.vars)]));

describe("parseIntelligenceSettings", () => {
  it("gives the documented defaults to a shop that never saved settings", () => {
    for (const raw of [undefined, null, {}]) {
      const result = parseIntelligenceSettings(raw);
      expect(result).toEqual({ ok: true, settings: DEFAULT_INTELLIGENCE_SETTINGS });
    }
    expect(DEFAULT_INTELLIGENCE_SETTINGS).toEqual({
      rfm: { windowDays: 365 },
      valueClass: { keyPercent: 60, mainPercent: 25 },
      cadence: { shrinkWeight: 2, outlierFactor: 3, minGapDays: 1, productMinGaps: 5, productMinCustomers: 2, shopMinGaps: 5, defaultIntervalDays: 60, reminderPercent: 75 },
      lifecycle: { deliveryWaitDays: 30, honeymoonDays: 21, atRiskFactor: 1.5, dormantFactor: 3, dormantDays: 180, lostDays: 365 },
      followUps: { dailyCapacity: 20, keyTouchDays: 30, birthdayLeadDays: 7, cooldownDays: 14, thinFileBelow: 50 },
    });
  });

  it("fills each missing field with its default and keeps what was set", () => {
    const result = parseIntelligenceSettings({ cadence: { reminderPercent: 80 }, lifecycle: { honeymoonDays: 14 } });
    expect(result.ok && result.settings.cadence).toEqual({ ...DEFAULT_INTELLIGENCE_SETTINGS.cadence, reminderPercent: 80 });
    expect(result.ok && result.settings.lifecycle.honeymoonDays).toBe(14);
    expect(result.ok && result.settings.lifecycle.lostDays).toBe(365);
    expect(result.ok && result.settings.valueClass).toEqual({ keyPercent: 60, mainPercent: 25 });
  });

  it.each([
    [{ rfm: { windowDays: 10 } }, { "rfm.windowDays": "Enter a whole number between 30 and 730." }],
    [{ rfm: { windowDays: 90.5 } }, { "rfm.windowDays": "Enter a whole number between 30 and 730." }],
    [{ cadence: { reminderPercent: 120 } }, { "cadence.reminderPercent": "Enter a number between 10 and 100." }],
    [{ cadence: { reminderPercent: "75" } }, { "cadence.reminderPercent": "Enter a number between 10 and 100." }],
    [{ valueClass: { keyPercent: 0 } }, { "valueClass.keyPercent": "Enter a number between 1 and 99." }],
    [{ lifecycle: { atRiskFactor: 0.5, lostDays: 5000 } }, { "lifecycle.atRiskFactor": "Enter a number between 1 and 10.", "lifecycle.lostDays": "Enter a whole number between 30 and 1095." }],
    [{ lifecycle: "soon" }, { lifecycle: "These settings could not be read." }],
    [{ followUps: { dailyCapacity: 0 } }, { "followUps.dailyCapacity": "Enter a whole number between 1 and 1000." }],
    [{ followUps: { dailyCapacity: 12.5, thinFileBelow: 101 } }, { "followUps.dailyCapacity": "Enter a whole number between 1 and 1000.", "followUps.thinFileBelow": "Enter a whole number between 0 and 100." }],
  ])("names the field and its range for %o", (raw, expected) => {
    const result = parseIntelligenceSettings(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && english(result.errors)).toEqual(expected);
  });

  it("refuses thresholds that contradict each other", () => {
    const result = parseIntelligenceSettings({ valueClass: { keyPercent: 80, mainPercent: 30 }, lifecycle: { atRiskFactor: 3, dormantFactor: 2, dormantDays: 365, lostDays: 300 } });
    expect(!result.ok && english(result.errors)).toEqual({
      "valueClass.mainPercent": "Key and main customers together cover at most 100% of revenue: main can be at most 20%.",
      "lifecycle.dormantFactor": "Customers become dormant later than they become at risk: use more than 3 intervals.",
      "lifecycle.lostDays": "Customers are lost later than they become dormant: use more than 365 days.",
    });
    // At the edge: key + main = 100 leaves regular to the customers whose orders were free.
    expect(parseIntelligenceSettings({ valueClass: { keyPercent: 70, mainPercent: 30 } }).ok).toBe(true);
  });

  it("reads field errors in Chinese too", () => {
    const result = parseIntelligenceSettings({ lifecycle: { honeymoonDays: -1 } });
    expect(!result.ok && translate("zh-CN", result.errors["lifecycle.honeymoonDays"].key, result.errors["lifecycle.honeymoonDays"].vars)).toBe("请输入 0 到 120 之间的整数。");
  });
});
