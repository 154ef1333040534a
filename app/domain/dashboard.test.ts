import { parseStageCounts, shiftDay, trendStart, weeklyTrend } from "./dashboard";

describe("weeklyTrend", () => {
  it("takes each week's latest snapshot and leaves weeks without one empty", () => {
    const trend = weeklyTrend(
      [
        { day: "2026-11-10", stages: { active: 5, dormant: 1 } },
        { day: "2026-11-12", stages: { active: 6, dormant: 2 } }, // same week, later: wins
        { day: "2026-11-23", stages: { active: 7 } },
        { day: "2026-08-01", stages: { active: 99, dormant: 99 } }, // before the 12 weeks
      ],
      "2026-11-23",
      3,
    );
    expect(trend).toEqual([
      { weekEnding: "2026-11-09", active: null, dormant: null },
      { weekEnding: "2026-11-16", active: 6, dormant: 2 },
      { weekEnding: "2026-11-23", active: 7, dormant: 0 },
    ]);
  });

  it("gives twelve weeks by default, the first starting where trendStart says", () => {
    const trend = weeklyTrend([], "2026-03-01");
    expect(trend).toHaveLength(12);
    expect(trend.at(-1)!.weekEnding).toBe("2026-03-01");
    expect(shiftDay(trend[0].weekEnding, -6)).toBe(trendStart("2026-03-01", 12));
    expect(shiftDay("2026-03-01", -1)).toBe("2026-02-28");
  });
});

it("parseStageCounts keeps known stages with counts only", () => {
  expect(parseStageCounts('{"active":3,"dormant":1,"bogus":4,"lost":-1}')).toEqual({ active: 3, dormant: 1 });
  expect(parseStageCounts("not json")).toEqual({});
});
