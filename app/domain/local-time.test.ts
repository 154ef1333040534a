import { describe, expect, it } from "vitest";
import { zonedInstant, zoneOffsetMinutes } from "./local-time";

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
