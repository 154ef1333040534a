import { translate } from "~/i18n";
import en from "~/i18n/en.json";
import zhCN from "~/i18n/zh-CN.json";
import type { FactOrder } from "../member-facts";
import { RFM_SEGMENTS, explainRfm, rfmScoreAt, rfmSegment, rfmValues, scoreRfm, scoreRfmBatch, segmentDescription, segmentName, unscoredSegment, type RfmValues, type Score } from "./rfm";

const DAY = 86_400_000;
const now = new Date("2026-06-01T12:00:00Z");
const daysAgo = (days: number) => new Date(+now - days * DAY);
const customer = (days: number, orders: number, spend: number): RfmValues => ({ lastOrderAt: daysAgo(days), ordersInWindow: orders, netSpendInWindowMinor: spend });
const count = (scores: number[]) => [1, 2, 3, 4, 5].map((s) => scores.filter((x) => x === s).length);

describe("quintile scores", () => {
  it("gives 20 customers each score when 100 customers spent 1..100", () => {
    const scores = scoreRfm(Array.from({ length: 100 }, (_, i) => customer(10, 1, i + 1)), now);
    expect(count(scores.map((s) => s!.monetary))).toEqual([20, 20, 20, 20, 20]);
    // Spend 1..20 is M 1, 21..40 M 2, ..., 81..100 M 5.
    expect(scores.map((s) => s!.monetary)).toEqual(Array.from({ length: 100 }, (_, i) => Math.ceil((i + 1) / 20)));
  });

  it("scores recency by fewer days since the last order", () => {
    const scores = scoreRfm([customer(40, 1, 100), customer(0, 1, 100), customer(20, 1, 100), customer(10, 1, 100), customer(30, 1, 100)], now);
    expect(scores.map((s) => s!.recency)).toEqual([1, 5, 3, 4, 2]);
  });

  it("gives equal values equal scores, the score of the group's lowest place", () => {
    // Six one-time buyers, two with 2 orders, one with 3, one with 5.
    const orders = [1, 1, 1, 1, 1, 1, 2, 2, 3, 5];
    const scores = scoreRfm(orders.map((n) => customer(5, n, 100 * n)), now);
    expect(scores.map((s) => s!.frequency)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    // Orders on the same day tie on recency, whatever the hour.
    const sameDay = scoreRfm([{ ...customer(3, 1, 1), lastOrderAt: new Date(+daysAgo(3) - 3_600_000) }, customer(3, 1, 1), customer(9, 1, 1)], now);
    expect(sameDay.map((s) => s!.recency)).toEqual([3, 3, 1]);
  });

  it("does not depend on the order customers are listed in", () => {
    const list = Array.from({ length: 37 }, (_, i) => customer((i * 7) % 50, 1 + (i % 4), (i * 113) % 900));
    const forward = scoreRfm(list, now);
    const backward = scoreRfm([...list].reverse(), now).reverse();
    expect(backward).toEqual(forward);
  });

  it.each([
    ["one customer: nothing to compare, the middle score", [customer(2, 1, 500)], [[3, 3, 3]]],
    ["two customers: the better one 5, the other 1", [customer(2, 3, 900), customer(50, 1, 100)], [[5, 5, 5], [1, 1, 1]]],
    ["two equal customers: both in the middle", [customer(2, 1, 100), customer(2, 1, 100)], [[3, 3, 3], [3, 3, 3]]],
    ["four customers", [customer(1, 4, 400), customer(2, 3, 300), customer(3, 2, 200), customer(4, 1, 100)], [[5, 5, 5], [4, 4, 4], [2, 2, 2], [1, 1, 1]]],
    ["five customers: one of each score", [5, 4, 3, 2, 1].map((k) => customer(10 - k, k, k * 100)), [[5, 5, 5], [4, 4, 4], [3, 3, 3], [2, 2, 2], [1, 1, 1]]],
  ])("small shops, %s", (_name, customers, expected) => {
    expect(scoreRfm(customers, now).map((s) => [s!.recency, s!.frequency, s!.monetary])).toEqual(expected);
  });

  it("leaves customers without an order in the window unscored, and ranks the others among themselves", () => {
    const batch = scoreRfmBatch(
      { lastOrderAtMs: [+daysAgo(1), +daysAgo(400), NaN, +daysAgo(30)], ordersInWindow: [2, 0, 0, 1], netSpendInWindowMinor: [800, 0, 0, 200] },
      now,
    );
    expect(batch.scored).toBe(2);
    expect([0, 1, 2, 3].map((i) => rfmScoreAt(batch, i))).toEqual([
      { recency: 5, frequency: 5, monetary: 5, segment: "champions" },
      null,
      null,
      { recency: 1, frequency: 1, monetary: 1, segment: "lost" },
    ]);
    expect(Array.from(batch.recencyDays)).toEqual([1, -1, -1, 30]);
    // Without a score: lost when they bought before the window, no segment when they never bought.
    expect(unscoredSegment(true)).toBe("lost");
    expect(unscoredSegment(false)).toBeNull();
  });

  it("scores a large shop from typed-array columns, a fifth per score", () => {
    const n = 10_000;
    const lastOrderAtMs = new Float64Array(n);
    const orders = new Uint16Array(n);
    const spend = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      lastOrderAtMs[i] = +daysAgo(i % 100); // 100 customers per day: whole days tie
      orders[i] = 1 + (i % 3);
      spend[i] = (i * 7919) % n; // a permutation of 0..n-1
    }
    const batch = scoreRfmBatch({ lastOrderAtMs, ordersInWindow: orders, netSpendInWindowMinor: spend }, now);
    expect(count(Array.from(batch.monetary))).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(count(Array.from(batch.recency))).toEqual([2000, 2000, 2000, 2000, 2000]);
    // A third each with 1, 2 and 3 orders: each group beats none, a third and two thirds of the others.
    expect(count(Array.from(batch.frequency))).toEqual([3334, 3333, 0, 3333, 0]);
  });
});

describe("segments", () => {
  it.each([
    [5, 5, 5, "champions"],
    [5, 4, 5, "champions"],
    [5, 3, 4, "potentialLoyalist"],
    [5, 1, 1, "new"],
    [5, 1, 2, "new"], // FM = floor(1.5) = 1: one order and a little spend is still new
    [4, 1, 1, "promising"],
    [4, 5, 3, "loyal"],
    [3, 3, 3, "needsAttention"],
    [3, 1, 3, "aboutToSleep"],
    [2, 3, 4, "atRisk"],
    [1, 5, 5, "cantLose"],
    [2, 5, 5, "cantLose"],
    [2, 1, 2, "hibernating"],
    [1, 1, 1, "lost"],
  ] as Array<[Score, Score, Score, string]>)("R %i F %i M %i is %s", (r, f, m, segment) => {
    expect(rfmSegment(r, f, m)).toBe(segment);
  });

  it("reaches every named segment, each with a name and description in both languages", () => {
    const reached = new Set<string>();
    for (const r of [1, 2, 3, 4, 5] as Score[]) for (const f of [1, 2, 3, 4, 5] as Score[]) for (const m of [1, 2, 3, 4, 5] as Score[]) reached.add(rfmSegment(r, f, m));
    expect([...reached].sort()).toEqual([...RFM_SEGMENTS].sort());
    for (const segment of RFM_SEGMENTS) {
      for (const { key } of [segmentName(segment), segmentDescription(segment)]) {
        expect(en[key as keyof typeof en], key).toBeTruthy();
        expect(zhCN[key as keyof typeof zhCN], key).toBeTruthy();
      }
    }
    expect(translate("zh-CN", segmentName("cantLose").key)).toBe("不能失去");
  });
});

describe("rfmValues", () => {
  // Orders as stored, with the purchase ledger's answer on each.
  const order = (id: string, days: number, netSpendMinor: number, extra: Partial<FactOrder> = {}): FactOrder => ({
    shopifyId: id,
    processedAt: daysAgo(days),
    currencyCode: "USD",
    countsAsPurchase: true,
    netSpendMinor,
    ...extra,
  });

  it("counts the window's orders as member facts do", () => {
    const orders = [
      order("old", 365, 9000), // exactly a year ago: outside the window
      order("a", 364, 1000),
      order("b", 100, 2000),
      order("refunded", 50, 0, { countsAsPurchase: false }),
      order("cancelled", 20, 0, { countsAsPurchase: false }),
      order("c", 10, 2000),
      order("future", -1, 7000), // after now on a moved clock
    ];
    expect(rfmValues(orders, now)).toEqual({ lastOrderAt: daysAgo(10), ordersInWindow: 3, netSpendInWindowMinor: 5000 });
    expect(rfmValues(orders, now, { windowDays: 90 })).toEqual({ lastOrderAt: daysAgo(10), ordersInWindow: 1, netSpendInWindowMinor: 2000 });
    expect(rfmValues([order("old", 400, 100)], now)).toEqual({ lastOrderAt: null, ordersInWindow: 0, netSpendInWindowMinor: 0 });
  });
});

describe("explainRfm", () => {
  const usd = (minor: number) => `$${(minor / 100).toFixed(2)}`;
  const say = (locale: "en" | "zh-CN", lines: ReturnType<typeof explainRfm>) => lines.map((line) => translate(locale, line.key, line.vars));

  it("says what each score rests on, in the merchant's language", () => {
    const lines = explainRfm({ recency: 4, frequency: 3, monetary: 5, segment: "loyal" }, { lastOrderAt: daysAgo(18), ordersInWindow: 4, netSpendInWindowMinor: 123_45 }, now, usd);
    expect(say("en", lines)).toEqual(["R 4: last order 18 days ago", "F 3: 4 orders in the last 365 days", "M 5: $123.45 spent in the last 365 days"]);
    expect(say("zh-CN", lines)).toEqual(["R 4：最近一次下单在 18 天前", "F 3：过去 365 天内 4 笔订单", "M 5：过去 365 天内消费 $123.45"]);
  });

  it("says today, yesterday and one order plainly", () => {
    const score = { recency: 5, frequency: 1, monetary: 2, segment: "new" } as const;
    expect(say("en", explainRfm(score, { lastOrderAt: new Date(+now - 3_600_000), ordersInWindow: 1, netSpendInWindowMinor: 900 }, now, usd)).slice(0, 2)).toEqual(["R 5: last order today", "F 1: 1 order in the last 365 days"]);
    expect(say("en", explainRfm(score, { lastOrderAt: daysAgo(1.5), ordersInWindow: 1, netSpendInWindowMinor: 900 }, now, usd))[0]).toBe("R 5: last order yesterday");
  });

  it("says why a customer has no score", () => {
    expect(say("en", explainRfm(null, { lastOrderAt: daysAgo(400), ordersInWindow: 0, netSpendInWindowMinor: 0 }, now, usd))).toEqual(["No score: no order in the last 365 days (last order 400 days ago)."]);
    expect(say("zh-CN", explainRfm(null, { lastOrderAt: null, ordersInWindow: 0, netSpendInWindowMinor: 0 }, now, usd))).toEqual(["无评分：尚未下单。"]);
  });
});
