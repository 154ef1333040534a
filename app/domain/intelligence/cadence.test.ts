import { translate } from "~/i18n";
import { DEFAULT_INTELLIGENCE_SETTINGS } from "./settings";
import { customerCadence, customerPrior, effectiveGaps, explainCadence, learnProductIntervals, learnShopInterval, reminderPoint, robustMedianGap, type Prior } from "./cadence";

const DAY = 86_400_000;
const last = new Date("2026-05-01T10:00:00Z");
const after = (days: number) => new Date(+last + days * DAY).toISOString();
const settings = DEFAULT_INTELLIGENCE_SETTINGS.cadence;
const productPrior: Prior = { days: 60, source: "products" };

describe("a customer's cadence", () => {
  it("uses the prior for a customer with one order", () => {
    const cadence = customerCadence({ gapsDays: [], lastOrderAt: last }, productPrior);
    expect(cadence).toMatchObject({ intervalDays: 60, ownMedianDays: null, gapsUsed: 0, ownWeight: 0 });
    expect(cadence.nextOrderAt?.toISOString()).toBe(after(60));
    expect(cadence.reminderAt?.toISOString()).toBe(after(45)); // 75% of 60 days
  });

  it("shrinks a customer with two orders strongly toward the prior", () => {
    // One gap of 30 days against the prior's 60: (1 x 30 + 2 x 60) / 3.
    const cadence = customerCadence({ gapsDays: [30], lastOrderAt: last }, productPrior);
    expect(cadence).toMatchObject({ intervalDays: 50, ownMedianDays: 30, gapsUsed: 1 });
    expect(cadence.ownWeight).toBeCloseTo(1 / 3);
    expect(cadence.nextOrderAt?.toISOString()).toBe(after(50));
    expect(cadence.reminderAt?.toISOString()).toBe(after(37.5));
  });

  it("follows a customer with many orders, a long pause left out", () => {
    // Twelve orders, one 200-day pause among gaps of about 30 days.
    const gapsDays = [28, 30, 32, 29, 31, 30, 200, 30, 27, 33, 30];
    const cadence = customerCadence({ gapsDays, lastOrderAt: last }, productPrior);
    expect(cadence).toMatchObject({ ownMedianDays: 30, gapsUsed: 10, gapsTrimmed: [200] });
    // (10 x 30 + 2 x 60) / 12: close to their own 30, not the prior's 60.
    expect(cadence.intervalDays).toBe(35);
    expect(customerCadence({ gapsDays, lastOrderAt: last }, productPrior, { ...settings, shrinkWeight: 0 }).intervalDays).toBe(30);
  });

  it("is not dragged out by pauses that a plain median would follow", () => {
    const gaps = [20, 150, 21, 160];
    expect(robustMedianGap(gaps)).toEqual({ medianDays: 20.5, kept: 2, trimmed: [150, 160] });
    // With only two gaps there is no telling which is the pause: both count, and shrinkage does the rest.
    expect(robustMedianGap([20, 150])).toEqual({ medianDays: 85, kept: 2, trimmed: [] });
    // A customer slowing down from 30 to 60 days is not an outlier.
    expect(robustMedianGap([30, 30, 60, 60]).trimmed).toEqual([]);
  });

  it("counts orders less than a day apart as one buying occasion", () => {
    expect(effectiveGaps([0.3, 29.7, 30, 0.5])).toEqual([30, 30]);
    expect(effectiveGaps([0.3, 29.7], 0)).toEqual([0.3, 29.7]);
    expect(customerCadence({ gapsDays: [0.2], lastOrderAt: last }, productPrior)).toMatchObject({ intervalDays: 60, gapsUsed: 0 });
  });

  it("has no dates without an order, and times reminders as the shop sets them", () => {
    expect(customerCadence({ gapsDays: [], lastOrderAt: null }, productPrior)).toMatchObject({ nextOrderAt: null, reminderAt: null });
    expect(customerCadence({ gapsDays: [], lastOrderAt: last }, productPrior, { ...settings, reminderPercent: 50 }).reminderAt?.toISOString()).toBe(after(30));
    expect(reminderPoint(last, 28).toISOString()).toBe(after(21));
  });
});

describe("what the shop's history teaches", () => {
  const purchases: Array<[string, string, number]> = [];
  const buy = (customer: string, product: string, ...days: number[]) => days.forEach((day) => purchases.push([customer, product, +last + day * DAY]));
  buy("c1", "coffee", 0, 30, 60, 90);
  buy("c2", "coffee", 0, 28, 56);
  buy("c3", "coffee", 0, 35, 35); // two lines of coffee on one order
  buy("c4", "coffee", 10);
  buy("c1", "mug", 0);
  buy("c2", "mug", 28);
  buy("c1", "tea", 0, 20, 40, 60, 80, 100, 120); // many repeats, but one customer only
  buy("c2", "filters", 0, 90, 90.3, 180); // a same-day second order is the same occasion
  buy("c3", "filters", 0, 85, 170);
  const columns = { customer: purchases.map((p) => p[0]), product: purchases.map((p) => p[1]), atMs: purchases.map((p) => p[2]) };

  it("learns a product's replenishment interval from repeat purchases by the same customers", () => {
    const products = learnProductIntervals(columns);
    // Coffee: gaps 30, 30, 30, 28, 28, 35 from three customers.
    expect(products.get("coffee")).toEqual({ days: 30, gaps: 6, customers: 3 });
    expect(products.get("mug")).toBeUndefined(); // never bought again by the same customer
    expect(products.get("tea")).toEqual({ days: null, gaps: 6, customers: 1 });
    expect(products.get("filters")).toEqual({ days: null, gaps: 4, customers: 2 });
    // With a smaller minimum sample, filters have an interval: gaps 90, 90, 85, 85.
    expect(learnProductIntervals(columns, { ...settings, productMinGaps: 4 }).get("filters")).toEqual({ days: 87.5, gaps: 4, customers: 2 });
  });

  it("learns the same intervals from numeric ids, in any row order", () => {
    const ids = new Map<string, number>();
    const code = (s: string) => ids.get(s) ?? (ids.set(s, ids.size), ids.size - 1);
    const reversed = { customer: columns.customer.map(code).reverse(), product: columns.product.map(code).reverse(), atMs: [...columns.atMs].reverse() };
    expect(learnProductIntervals(reversed).get(code("coffee"))).toEqual({ days: 30, gaps: 6, customers: 3 });
  });

  it("takes the shop's median gap once there are enough gaps", () => {
    // Four gaps (the half-day one joins the next): too few to speak for the shop.
    expect(learnShopInterval([[30, 40], [0.5, 19.5], [50], []])).toEqual({ days: null, gaps: 4 });
    expect(learnShopInterval([[30, 40], [20], [50, 60, 0.4]])).toEqual({ days: 40, gaps: 5 });
  });

  it("puts together a customer's prior from their products, else the shop, else the default", () => {
    const products = new Map([
      ["coffee", { days: 30, gaps: 6, customers: 3 }],
      ["beans", { days: 90, gaps: 8, customers: 4 }],
      ["tea", { days: null, gaps: 6, customers: 1 }],
    ]);
    // Coffee on three of their orders, beans on one: (3 x 30 + 90) / 4.
    expect(customerPrior([["coffee", 3], ["beans", 1], ["tea", 5], ["mug", 1]], products, { days: 40, gaps: 100 })).toEqual({ days: 45, source: "products" });
    expect(customerPrior([["tea", 2]], products, { days: 40, gaps: 100 })).toEqual({ days: 40, source: "shop" });
    expect(customerPrior([["tea", 2]], products, { days: null, gaps: 2 })).toEqual({ days: 60, source: "default" });
    expect(customerPrior([], products, { days: null, gaps: 0 }, { ...settings, defaultIntervalDays: 30 })).toEqual({ days: 30, source: "default" });
  });
});

describe("explainCadence", () => {
  const say = (lines: ReturnType<typeof explainCadence>) => lines.map((line) => translate("en", line.key, line.vars));

  it("names each ingredient of the interval", () => {
    expect(say(explainCadence(customerCadence({ gapsDays: [28, 30, 32, 200], lastOrderAt: last }, { days: 40, source: "shop" })))).toEqual([
      "Orders about every 34 days.",
      "Their own 3 intervals between orders have a median of 30 days, which counts for 60% of the estimate.",
      "Left out as unusually long (1): 200 days.",
      "Typical for your shop: 40 days.",
    ]);
    expect(say(explainCadence(customerCadence({ gapsDays: [], lastOrderAt: last }, { days: 60, source: "default" })))).toEqual([
      "Orders about every 60 days.",
      "Your shop has too few repeat orders yet, so the default of 60 days fills in.",
    ]);
  });
});
