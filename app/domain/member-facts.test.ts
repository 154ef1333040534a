import { computeMemberFacts, type FactOrder } from "./member-facts";

const order = (id: string, day: number, subtotalMinor: number, extra: Partial<FactOrder> = {}): FactOrder => ({
  shopifyId: id,
  processedAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000),
  subtotalMinor,
  currencyCode: "USD",
  cancelledAt: null,
  financialStatus: "paid",
  ...extra,
});

describe("computeMemberFacts", () => {
  it("has no facts for a customer without orders", () => {
    expect(computeMemberFacts([], [])).toMatchObject({ orderCount: 0, netSpentMinor: 0, firstOrderAt: null, lastOrderAt: null, orderGapsDays: [], medianGapDays: null });
  });

  it("sums net spend and measures gaps in order of time, whatever order rows come in", () => {
    const facts = computeMemberFacts([order("3", 40, 3000), order("1", 0, 1000), order("2", 10, 2000)], []);
    expect(facts.orderCount).toBe(3);
    expect(facts.netSpentMinor).toBe(6000);
    expect(facts.firstOrderAt?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(facts.lastOrderAt?.toISOString()).toBe("2026-02-10T00:00:00.000Z");
    expect(facts.orderGapsDays).toEqual([10, 30]);
    expect(facts.medianGapDays).toBe(20);
  });

  it("leaves out cancelled and voided orders", () => {
    const facts = computeMemberFacts(
      [order("1", 0, 1000), order("2", 5, 5000, { cancelledAt: new Date() }), order("3", 6, 700, { financialStatus: "voided" })],
      [],
    );
    expect(facts).toMatchObject({ orderCount: 1, netSpentMinor: 1000, orderGapsDays: [] });
  });

  it("subtracts refunds, and a fully refunded order no longer counts", () => {
    const facts = computeMemberFacts(
      [order("1", 0, 1000), order("2", 3, 4000)],
      [
        { orderShopifyId: "2", amountMinor: 1500 },
        { orderShopifyId: "1", amountMinor: 600 },
        { orderShopifyId: "1", amountMinor: 400 },
      ],
    );
    expect(facts).toMatchObject({ orderCount: 1, netSpentMinor: 2500 });
    expect(facts.firstOrderAt?.toISOString()).toBe("2026-01-04T00:00:00.000Z");
  });

  it("never lets refunds drive spend below zero", () => {
    expect(computeMemberFacts([order("1", 0, 1000)], [{ orderShopifyId: "1", amountMinor: 5000 }]).netSpentMinor).toBe(0);
  });
});
