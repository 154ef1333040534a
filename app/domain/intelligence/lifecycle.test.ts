import { translate } from "~/i18n";
import en from "~/i18n/en.json";
import { DEFAULT_INTELLIGENCE_SETTINGS } from "./settings";
import { LIFECYCLE_STAGES, explainLifecycle, lifecycleStage, nextStageChange, stageDescription, stageName, type LifecycleFacts, type LifecycleStage } from "./lifecycle";

const DAY = 86_400_000;
const t0 = new Date("2026-01-10T09:00:00Z");
const day = (d: number) => new Date(+t0 + d * DAY);
const settings = DEFAULT_INTELLIGENCE_SETTINGS.lifecycle;

const firstOrder = (extra: Partial<LifecycleFacts> = {}): LifecycleFacts => ({ orderCount: 1, firstOrderAt: t0, lastOrderAt: t0, firstDeliveredAt: day(4), intervalDays: 30, ...extra });
const repeat = (intervalDays: number, extra: Partial<LifecycleFacts> = {}): LifecycleFacts => ({ orderCount: 6, firstOrderAt: day(-200), lastOrderAt: t0, firstDeliveredAt: day(-197), intervalDays, ...extra });

/** Moves the clock from `start` to each next change until none is left: the customer's journey without another order. */
function journey(facts: LifecycleFacts, start: Date): Array<[number, LifecycleStage]> {
  const steps: Array<[number, LifecycleStage]> = [[(+start - +t0) / DAY, lifecycleStage(facts, start)]];
  let now = start;
  for (let change = nextStageChange(facts, now); change; change = nextStageChange(facts, now)) {
    now = change.at;
    expect(lifecycleStage(facts, now)).toBe(change.stage); // the stage holds from the instant named
    expect(lifecycleStage(facts, new Date(+now - 1))).not.toBe(change.stage); // and not a moment before
    steps.push([(+now - +t0) / DAY, change.stage]);
  }
  return steps;
}

describe("lifecycle as the clock moves", () => {
  it("takes a first-time buyer from new through honeymoon to lost, by their cadence", () => {
    // Delivered on day 4; honeymoon 21 days; prior interval 30: at risk at 45, dormant at 90, lost at 365.
    expect(journey(firstOrder(), day(1))).toEqual([
      [1, "new"],
      [4, "honeymoon"],
      [25, "active"],
      [45, "atRisk"],
      [90, "dormant"],
      [365, "lost"],
    ]);
  });

  it.each([
    [0, "new"],
    [3.9, "new"],
    [4, "honeymoon"],
    [24.9, "honeymoon"],
    [25, "active"],
    [44.9, "active"],
    [45, "atRisk"],
    [89.9, "atRisk"],
    [90, "dormant"],
    [364.9, "dormant"],
    [365, "lost"],
    [900, "lost"],
  ] as Array<[number, LifecycleStage]>)("a first order delivered on day 4 is, on day %f, %s", (d, stage) => {
    expect(lifecycleStage(firstOrder(), day(d))).toBe(stage);
  });

  it("ends the wait for a delivery that is never tracked, and goes straight on to at risk when the honeymoon outlasts the cadence", () => {
    expect(journey(firstOrder({ firstDeliveredAt: null }), t0)).toEqual([
      [0, "new"],
      [30, "honeymoon"],
      [51, "atRisk"], // at risk since day 45, shown once the honeymoon is over
      [90, "dormant"],
      [365, "lost"],
    ]);
  });

  it.each([
    [20, [[0, "active"], [30, "atRisk"], [60, "dormant"], [365, "lost"]]],
    [90, [[0, "active"], [135, "atRisk"], [180, "dormant"], [365, "lost"]]],
    [150, [[0, "active"], [225, "dormant"], [365, "lost"]]], // at risk and dormant fall together: dormant
    [300, [[0, "active"], [365, "lost"]]],
  ] as Array<[number, Array<[number, LifecycleStage]>]>)("a repeat customer ordering every %i days", (interval, expected) => {
    expect(journey(repeat(interval), t0)).toEqual(expected);
  });

  it("brings a customer back to active with a new order, and ends the honeymoon at the second order", () => {
    const quiet = repeat(20, { lastOrderAt: day(-70) });
    expect(lifecycleStage(quiet, t0)).toBe("dormant");
    expect(lifecycleStage({ ...quiet, orderCount: 7, lastOrderAt: day(-1) }, t0)).toBe("active");
    expect(lifecycleStage(firstOrder({ orderCount: 2, lastOrderAt: day(8) }), day(10))).toBe("active");
  });

  it("has nothing to wait for with a prospect or a lost customer", () => {
    const prospect: LifecycleFacts = { orderCount: 0, firstOrderAt: null, lastOrderAt: null, firstDeliveredAt: null, intervalDays: 60 };
    expect(lifecycleStage(prospect, t0)).toBe("prospect");
    expect(nextStageChange(prospect, t0)).toBeNull();
    expect(nextStageChange(repeat(30), day(400))).toBeNull();
  });

  it("follows the shop's thresholds", () => {
    const custom = { ...settings, honeymoonDays: 14, atRiskFactor: 2, dormantFactor: 4, dormantDays: 100, lostDays: 200 };
    expect(lifecycleStage(firstOrder(), day(20), custom)).toBe("active"); // honeymoon over on day 18
    expect(lifecycleStage(repeat(30), day(59), custom)).toBe("active");
    expect(lifecycleStage(repeat(30), day(60), custom)).toBe("atRisk");
    expect(lifecycleStage(repeat(30), day(100), custom)).toBe("dormant"); // 100 days comes before 4 x 30
    expect(lifecycleStage(repeat(30), day(200), custom)).toBe("lost");
  });
});

describe("explaining the stage", () => {
  const say = (facts: LifecycleFacts, now: Date, locale: "en" | "zh-CN" = "en") => {
    const line = explainLifecycle(facts, now);
    return translate(locale, line.key, line.vars);
  };

  it("says why, with the customer's own numbers", () => {
    expect(say(firstOrder(), day(2))).toBe("First order 2 days ago, not delivered yet.");
    expect(say(firstOrder(), day(10))).toBe("First parcel delivered 6 days ago.");
    expect(say(firstOrder({ firstDeliveredAt: null }), day(35))).toBe("First order 35 days ago; no delivery was tracked.");
    expect(say(repeat(30), day(12))).toBe("Last order 12 days ago; they order about every 30 days.");
    expect(say(repeat(30), day(50))).toBe("Last order 50 days ago, overdue: they order about every 30 days.");
    expect(say(repeat(30), day(50), "zh-CN")).toBe("最近一次下单在 50 天前，已逾期：通常大约每 30 天下单一次。");
    expect(say(repeat(30), day(120))).toBe("No order for 120 days, though they used to order about every 30 days.");
    expect(say(repeat(30), day(400))).toBe("No order for 400 days.");
  });

  it("names and describes every stage", () => {
    for (const stage of LIFECYCLE_STAGES) {
      expect(en[stageName(stage).key as keyof typeof en], stage).toBeTruthy();
      expect(en[stageDescription(stage).key as keyof typeof en], stage).toBeTruthy();
    }
    expect(translate("zh-CN", stageName("dormant").key)).toBe("沉睡");
  });
});
