import { describe, expect, it } from "vitest";
import { holdoutDraw, isHeldOut } from "./holdout";

const customers = Array.from({ length: 20_000 }, (_, i) => String(7_000_000_000_000 + i * 7919));

describe("holdout assignment", () => {
  it("puts the same customer in the same group every time", () => {
    const first = customers.slice(0, 500).map((id) => isHeldOut("a.myshopify.com", "campaign:spring", id, 10));
    const again = customers.slice(0, 500).map((id) => isHeldOut("a.myshopify.com", "campaign:spring", id, 10));
    expect(again).toEqual(first);
  });

  it.each([5, 10, 25, 50])("holds back close to %i%% of a large audience", (percent) => {
    const held = customers.filter((id) => isHeldOut("a.myshopify.com", "flow:winBack", id, percent)).length;
    // Binomial: 3 standard deviations of 20,000 draws at 50% is about 1.1 points.
    const share = (held / customers.length) * 100;
    expect(Math.abs(share - percent)).toBeLessThan(3 * Math.sqrt((percent * (100 - percent)) / customers.length));
  });

  it("draws afresh for each activity and each shop, so no one is always held out", () => {
    const spring = new Set(customers.filter((id) => isHeldOut("a.myshopify.com", "campaign:spring", id, 10)));
    const summer = customers.filter((id) => isHeldOut("a.myshopify.com", "campaign:summer", id, 10));
    const otherShop = customers.filter((id) => isHeldOut("b.myshopify.com", "campaign:spring", id, 10));
    // Independent 10% draws overlap on about 1% of customers, not 10%.
    expect(summer.filter((id) => spring.has(id)).length / customers.length).toBeLessThan(0.02);
    expect(otherShop.filter((id) => spring.has(id)).length / customers.length).toBeLessThan(0.02);
  });

  it("holds no one back at 0% and never more than half", () => {
    expect(customers.some((id) => isHeldOut("a.myshopify.com", "x", id, 0))).toBe(false);
    const held = customers.filter((id) => isHeldOut("a.myshopify.com", "x", id, 90)).length / customers.length;
    expect(held).toBeLessThan(0.52);
    expect(holdoutDraw("a", "b", "c")).toBeGreaterThanOrEqual(0);
    expect(holdoutDraw("a", "b", "c")).toBeLessThan(1);
  });
});
