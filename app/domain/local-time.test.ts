import { describe, expect, it } from "vitest";
import { localDate, localMidnight, localMonthStart, zonedInstant, zoneOffsetMinutes } from "./local-time";

describe("local times to instants", () => {
  it("places a local hour in each zone", () => {
    expect(zonedInstant("2026-12-10", 10, "Asia/Shanghai").toISOString()).toBe("2026-12-10T02:00:00.000Z");
    expect(zonedInstant("2026-12-10", 10, "America/New_York").toISOString()).toBe("2026-12-10T15:00:00.000Z");
    expect(zonedInstant("2026-07-10", 10, "America/New_York").toISOString()).toBe("2026-07-10T14:00:00.000Z");
    expect(zonedInstant("2026-07-10", 10, "UTC").toISOString()).toBe("2026-07-10T10:00:00.000Z");
    expect(zonedInstant("2026-07-10", 9, "Asia/Kolkata", 30).toISOString()).toBe("2026-07-10T04:00:00.000Z");
  });

  it("handles the days clocks change", () => {
    // New York, 2026-03-08: 02:00 does not exist (skips to 03:00 EDT).
    expect(zonedInstant("2026-03-08", 2, "America/New_York").toISOString()).toBe("2026-03-08T07:00:00.000Z");
    expect(zonedInstant("2026-03-08", 10, "America/New_York").toISOString()).toBe("2026-03-08T14:00:00.000Z");
    // 2026-11-01: 01:00 happens twice; the first (EDT) is taken.
    expect(zonedInstant("2026-11-01", 1, "America/New_York").toISOString()).toBe("2026-11-01T05:00:00.000Z");
    expect(zonedInstant("2026-11-01", 10, "America/New_York").toISOString()).toBe("2026-11-01T15:00:00.000Z");
  });

  it("reads zone offsets", () => {
    expect(zoneOffsetMinutes(new Date("2026-01-01T00:00:00Z"), "Asia/Shanghai")).toBe(480);
    expect(zoneOffsetMinutes(new Date("2026-01-01T00:00:00Z"), "America/Los_Angeles")).toBe(-480);
  });
});

describe("local days and months", () => {
  it("starts a day at local midnight, rolling past a month's or year's end", () => {
    expect(localMidnight(2026, 12, 10, "Asia/Shanghai").toISOString()).toBe("2026-12-09T16:00:00.000Z");
    // Day 32 of December is 1 January: "the day after" is day + 1.
    expect(localMidnight(2026, 12, 32, "America/New_York").toISOString()).toBe("2027-01-01T05:00:00.000Z");
    expect(localMidnight(2026, 13, 1, "UTC").toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("starts a day whose midnight the zone skips at that day's first instant", () => {
    // Santiago moves its clocks from 00:00 (-04) to 01:00 (-03) on 6 Sep 2026: the day
    // has no 00:00. The answer must be the day's first instant, not one of 5 September.
    const start = localMidnight(2026, 9, 6, "America/Santiago");
    expect(localDate(start, "America/Santiago")).toBe("2026-09-06");
    expect(localDate(new Date(start.getTime() - 1), "America/Santiago")).toBe("2026-09-05");
  });

  it("starts the month the instant falls in, in the zone", () => {
    // 1 Dec 2026 03:00 UTC is still 30 November in New York (UTC-5).
    expect(localMonthStart(new Date("2026-12-01T03:00:00Z"), "America/New_York").toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(localMonthStart(new Date("2026-12-01T03:00:00Z"), "Asia/Tokyo").toISOString()).toBe("2026-11-30T15:00:00.000Z");
  });
});
