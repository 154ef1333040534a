import { describe, expect, it } from "vitest";
import { localHour } from "../local-time";
import { inActiveHours, learnActiveHours } from "./active-hours";

describe("active hours", () => {
  it("learns the evening for a customer who always orders in the evening", () => {
    const window = learnActiveHours([19.5, 20.2, 21.1, 19.9, 20.7, 20.4]);
    expect(window.source).toBe("learned");
    expect(inActiveHours(20.5, window)).toBe(true);
    expect(inActiveHours(14, window)).toBe(false);
  });

  it("keeps the default window for a customer with too few orders", () => {
    expect(learnActiveHours([2.5, 3])).toEqual({ startHour: 10, hours: 10, source: "default", orders: 2 });
  });

  it("wraps past midnight for night owls", () => {
    const window = learnActiveHours([23.5, 0.2, 0.8, 23.9, 0.5]);
    expect(inActiveHours(0.3, window)).toBe(true);
    expect(inActiveHours(23.7, window)).toBe(true);
    expect(inActiveHours(12, window)).toBe(false);
  });

  it("is pulled toward the default by the prior when the orders disagree", () => {
    // One order at 3:00 among daytime ones: the window stays in the day.
    const window = learnActiveHours([3, 13, 13.5, 14]);
    expect(inActiveHours(13.5, window)).toBe(true);
    expect(inActiveHours(3, window)).toBe(false);
  });

  it("reads the local hour in the customer's own zone, daylight saving included", () => {
    // 2026-07-01 01:30 UTC is 21:30 the evening before in New York (EDT, UTC-4) and 09:30 in Shanghai.
    expect(localHour(new Date("2026-07-01T01:30:00Z"), "America/New_York")).toBe(21.5);
    expect(localHour(new Date("2026-07-01T01:30:00Z"), "Asia/Shanghai")).toBe(9.5);
    // In January New York is UTC-5.
    expect(localHour(new Date("2026-01-15T01:30:00Z"), "America/New_York")).toBe(20.5);
  });
});
