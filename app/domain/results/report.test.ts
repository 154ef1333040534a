import { describe, expect, it } from "vitest";
import type { GroupResult } from "./attribution";
import { CSV_COLUMNS, summariesCsv, type ActivitySummary } from "./report";

const group = (orders: number, revenuePerMember: number): GroupResult => ({
  members: 10,
  converters: orders,
  orders,
  revenueMinor: revenuePerMember * 10,
  discountMinor: 0,
  conversionRate: orders / 10,
  revenuePerMember,
  revenueVariance: 0,
});

function summary(name: string): ActivitySummary {
  return {
    kind: "campaign",
    id: "cmp_1",
    name,
    currencyCode: "USD",
    counts: { audience: 20, contacted: 10, heldOut: 10, sent: 10, deferred: 0, blocked: 0, failed: 0, expired: 0, cancelled: 0, opened: null },
    result: {
      windowDays: 14,
      contacted: group(1, 500),
      holdout: group(2, 1750),
      conversionLift: { estimate: -0.1, low: -0.4, high: 0.2 },
      revenuePerMemberLift: { estimate: -1250, low: -3000, high: 500 },
      // The campaign did worse than the holdout: a negative amount, which must stay a number.
      incrementalRevenue: { estimate: -12500, low: -30000, high: 5000 },
      attributedRevenueMinor: 5000,
      costsMinor: 120,
      roi: { estimate: -105.1667, low: -251, high: 40.6667 },
    },
    windowOpen: false,
  } as ActivitySummary;
}

function cells(csv: string): Record<string, string> {
  const [header, line] = csv.trimEnd().split("\r\n");
  expect(header).toBe(CSV_COLUMNS.join(","));
  // The guarded name is the one quoted cell here, and holds no comma.
  const values = line.match(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)!.map((cell) => cell.replace(/,$/, ""));
  return Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, values[i]]));
}

describe("summariesCsv", () => {
  it("writes a merchant's campaign name that a spreadsheet would run as text, prefixed and quoted", () => {
    expect(cells(summariesCsv([summary("-2+3+cmd|' /C calc'!A0")])).name).toBe(`"'-2+3+cmd|' /C calc'!A0"`);
    expect(cells(summariesCsv([summary("=HYPERLINK(\"http://x\")")])).name).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(cells(summariesCsv([summary("-12.50")])).name).toBe(`"'-12.50"`);
  });

  it("keeps negative amounts and ratios as numbers a spreadsheet can sum", () => {
    const row = cells(summariesCsv([summary("June tea")]));
    expect(row.name).toBe("June tea");
    expect(row.incremental_revenue).toBe("-125.00");
    expect(row.incremental_revenue_low).toBe("-300.00");
    expect(row.roi).toBe("-105.1667");
  });
});
