import { programKpis } from "./program-kpis";
import type { ActivitySummary } from "./results/report";

// Only the parts of a Results row the KPIs read; the rest is Results' business.
const activity = (id: string, incremental: number | null, costsMinor: number, attributedRevenueMinor: number) =>
  ({
    kind: "flow",
    id,
    name: id,
    currencyCode: "USD",
    result: { incrementalRevenue: incremental === null ? null : { estimate: incremental, low: incremental - 100, high: incremental + 100 }, costsMinor, attributedRevenueMinor },
  }) as unknown as ActivitySummary;

describe("programKpis", () => {
  it("adds up the activities that have an estimate, counts the others apart, and every activity's costs", () => {
    const kpis = programKpis({ buyers: [], tierOrder: [], moves: { up: 0, down: 0 }, activities: [activity("a", 1200.4, 300, 5000), activity("b", -200, 50, 700), activity("c", null, 25, 100)] });
    // 1200.4 - 200 = 1000.4, rounded to whole minor units; costs 300 + 50 + 25.
    expect(kpis.results).toEqual({ incrementalMinor: 1000, withEstimate: 2, withoutEstimate: 1, costsMinor: 375, attributedMinor: 5800 });
  });

  it("orders tiers as the program does, a tier no longer in it last, and leaves guests and tierless customers out of members", () => {
    const kpis = programKpis({
      buyers: [
        { customerShopifyId: "1", tierHandle: "gold", orders: 1, netSpendMinor: 500 },
        { customerShopifyId: "2", tierHandle: "old", orders: 3, netSpendMinor: 300 },
        { customerShopifyId: "3", tierHandle: "member", orders: 2, netSpendMinor: 200 },
        { customerShopifyId: "4", tierHandle: null, orders: 1, netSpendMinor: 100 },
        { customerShopifyId: null, tierHandle: null, orders: 4, netSpendMinor: 900 },
      ],
      tierOrder: ["member", "gold"],
      moves: { up: 1, down: 2 },
      activities: [],
    });
    expect(kpis.repeatByTier.map((tier) => [tier.tierHandle, tier.buyers, tier.repeatBuyers])).toEqual([
      ["member", 1, 1],
      ["gold", 1, 0],
      ["old", 1, 1],
    ]);
    // Members 500 + 300 + 200 = 1000 of 2000.
    expect(kpis.revenue).toEqual({ totalMinor: 2000, membersMinor: 1000, orders: 11, memberOrders: 6, memberShare: 0.5 });
    expect(kpis.moves).toEqual({ up: 1, down: 2 });
  });
});
