import { computeMemberFacts, type FactOrder } from "./member-facts";

// Orders as stored: the purchase ledger's answer (countsAsPurchase, netSpendMinor) on each.
const order = (id: string, day: number, netSpendMinor: number, extra: Partial<FactOrder> = {}): FactOrder => ({
  shopifyId: id,
  processedAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000),
  currencyCode: "USD",
  countsAsPurchase: true,
  netSpendMinor,
  ...extra,
});

describe("computeMemberFacts", () => {
  it("has no facts for a customer without orders", () => {
    expect(computeMemberFacts([])).toMatchObject({ orderCount: 0, netSpentMinor: 0, firstOrderAt: null, lastOrderAt: null, orderGapsDays: [], medianGapDays: null });
  });

  it("sums net spend and measures gaps in order of time, whatever order rows come in", () => {
    const facts = computeMemberFacts([order("3", 40, 3000), order("1", 0, 1000), order("2", 10, 2000)]);
    expect(facts.orderCount).toBe(3);
    expect(facts.netSpentMinor).toBe(6000);
    expect(facts.firstOrderAt?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(facts.lastOrderAt?.toISOString()).toBe("2026-02-10T00:00:00.000Z");
    expect(facts.orderGapsDays).toEqual([10, 30]);
    expect(facts.medianGapDays).toBe(20);
  });

  it("leaves out the orders the ledger does not count, and counts a free order with no spend", () => {
    const facts = computeMemberFacts([order("1", 0, 1000), order("2", 5, 0, { countsAsPurchase: false }), order("3", 6, 0)]);
    expect(facts).toMatchObject({ orderCount: 2, netSpentMinor: 1000, orderGapsDays: [6] });
    expect(facts.lastOrderAt?.toISOString()).toBe("2026-01-07T00:00:00.000Z");
  });
});
