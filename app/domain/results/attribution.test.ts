import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../tools/simulator/store-generator";
import { attributeActivity, type AttributableOrder, type AudienceMember } from "./attribution";
import { isHeldOut } from "./holdout";

const DAY = 86_400_000;
const SENT = new Date("2026-05-01T10:00:00Z");

/**
 * A generated activity with a known true effect: each member converts with
 * probability `base` (held out) or `base + lift` (contacted), and a converter
 * spends a log-normal amount (median $40, long right tail) on one or two
 * orders inside the window. The true incremental revenue per contacted member
 * is lift × E[spend per converter].
 */
function generate(seed: number, { members, base, lift, holdoutPercent }: { members: number; base: number; lift: number; holdoutPercent: number }) {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const mu = Math.log(4000);
  const sigma = 0.6;
  const audience: AudienceMember[] = [];
  const orders: AttributableOrder[] = [];
  for (let i = 0; i < members; i++) {
    const id = String(9_000_000 + i);
    const group = isHeldOut("gen.myshopify.com", `sim-${seed}`, id, holdoutPercent) ? "holdout" : "contacted";
    audience.push({ customerShopifyId: id, group, exposedAt: SENT });
    // Orders before the send and long after the window never count.
    if (random() < 0.3) orders.push({ customerShopifyId: id, processedAt: new Date(+SENT - 3 * DAY), revenueMinor: 5000, discountMinor: 0 });
    if (random() < 0.3) orders.push({ customerShopifyId: id, processedAt: new Date(+SENT + 9 * DAY), revenueMinor: 5000, discountMinor: 0 });
    if (random() < (group === "contacted" ? base + lift : base)) {
      const count = random() < 0.2 ? 2 : 1;
      const total = Math.round(Math.exp(mu + sigma * normal()));
      for (let k = 0; k < count; k++) {
        orders.push({ customerShopifyId: id, processedAt: new Date(+SENT + random() * 6.9 * DAY), revenueMinor: Math.round(total / count), discountMinor: Math.round(total / count / 10) });
      }
    }
  }
  const spendPerConverter = Math.exp(mu + sigma ** 2 / 2);
  return { audience, orders, truePerMember: lift * spendPerConverter };
}

describe("attribution against the holdout", () => {
  it("recovers a known true effect within its interval on a generated dataset", () => {
    const { audience, orders, truePerMember } = generate(11, { members: 40_000, base: 0.05, lift: 0.02, holdoutPercent: 10 });
    const result = attributeActivity(audience, orders, { messagesMinor: 36_000 * 1, rewardsMinor: 0 });
    expect(result.holdout.members / (result.holdout.members + result.contacted.members)).toBeCloseTo(0.1, 1);
    expect(result.conversionLift!.low).toBeLessThan(0.02);
    expect(result.conversionLift!.high).toBeGreaterThan(0.02);
    expect(result.revenuePerMemberLift!.low).toBeLessThan(truePerMember);
    expect(result.revenuePerMemberLift!.high).toBeGreaterThan(truePerMember);
    // The effect is real and the interval says so (it excludes zero).
    expect(result.incrementalRevenue!.low).toBeGreaterThan(0);
    // Attributed revenue counts the orders that would have come anyway: far above the incremental figure.
    expect(result.attributedRevenueMinor).toBeGreaterThan(2 * result.incrementalRevenue!.estimate);
  });

  // 200 datasets of 6,000 members each: about 8 s of pure computation alone, four
  // times that on a 2-core machine the rest of the suite keeps busy.
  it("its 95% interval covers the true effect about 95% of the time", { timeout: 120_000 }, () => {
    let covered = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const { audience, orders, truePerMember } = generate(seed, { members: 6_000, base: 0.05, lift: 0.02, holdoutPercent: 20 });
      const lift = attributeActivity(audience, orders, { messagesMinor: 0, rewardsMinor: 0 }).revenuePerMemberLift!;
      if (lift.low <= truePerMember && truePerMember <= lift.high) covered++;
    }
    // 200 runs at 95%: a standard deviation of 1.5 points.
    expect(covered / runs).toBeGreaterThan(0.9);
    expect(covered / runs).toBeLessThan(0.99);
  });

  it("rarely claims an effect where there is none (about 5% of runs, as a 95% interval should)", { timeout: 120_000 }, () => {
    let claimed = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const { audience, orders } = generate(1000 + seed, { members: 6_000, base: 0.05, lift: 0, holdoutPercent: 20 });
      const result = attributeActivity(audience, orders, { messagesMinor: 100, rewardsMinor: 0 });
      if (result.incrementalRevenue!.low > 0 || result.incrementalRevenue!.high < 0) claimed++;
      expect(result.attributedRevenueMinor).toBeGreaterThan(0);
    }
    expect(claimed / runs).toBeLessThan(0.1);
  });

  it("counts only orders inside the window after each member's exposure, once per member", () => {
    const at = (days: number) => new Date(+SENT + days * DAY);
    const audience: AudienceMember[] = [
      { customerShopifyId: "1", group: "contacted", exposedAt: SENT },
      { customerShopifyId: "1", group: "contacted", exposedAt: at(3) }, // a second send of the flow
      { customerShopifyId: "2", group: "holdout", exposedAt: at(1) },
    ];
    const orders: AttributableOrder[] = [
      { customerShopifyId: "1", processedAt: at(-0.01), revenueMinor: 999, discountMinor: 0 },
      { customerShopifyId: "1", processedAt: at(0), revenueMinor: 1000, discountMinor: 100 },
      { customerShopifyId: "1", processedAt: at(6.99), revenueMinor: 500, discountMinor: 50 },
      { customerShopifyId: "1", processedAt: at(7), revenueMinor: 777, discountMinor: 0 },
      { customerShopifyId: "2", processedAt: at(0.5), revenueMinor: 400, discountMinor: 0 },
      { customerShopifyId: "2", processedAt: at(2), revenueMinor: 300, discountMinor: 0 },
    ];
    const result = attributeActivity(audience, orders, { messagesMinor: 20, rewardsMinor: 30 });
    expect(result.contacted).toMatchObject({ members: 1, converters: 1, orders: 2, revenueMinor: 1500, discountMinor: 150 });
    expect(result.holdout).toMatchObject({ members: 1, converters: 1, orders: 1, revenueMinor: 300 });
    expect(result.costsMinor).toBe(200);
    // Two members are too few for an interval: none is invented.
    expect(result.incrementalRevenue).toBeNull();
    expect(result.roi).toBeNull();
    expect(result.attributedRevenueMinor).toBe(1500);
  });

  it("carries the interval through to ROI", () => {
    const { audience, orders } = generate(3, { members: 20_000, base: 0.05, lift: 0.03, holdoutPercent: 10 });
    const result = attributeActivity(audience, orders, { messagesMinor: 50_000, rewardsMinor: 10_000 });
    const { estimate, low, high } = result.roi!;
    expect(low).toBeLessThan(estimate);
    expect(high).toBeGreaterThan(estimate);
    expect(estimate).toBeCloseTo((result.incrementalRevenue!.estimate - result.costsMinor) / result.costsMinor, 9);
  });
});
