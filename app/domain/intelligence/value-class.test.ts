import { translate } from "~/i18n";
import { classifyValue, classifyValueBatch, explainValueClass, valueClassName } from "./value-class";

const spent = (...minor: number[]) => minor.map((netSpendInWindowMinor) => ({ ordersInWindow: 1, netSpendInWindowMinor }));

describe("value class by share of revenue", () => {
  it("makes key the customers of the first 60%, main the next 25%, regular the rest", () => {
    // Total 10,000: 5,000 (0% before) and 2,000 (50% before) are key, the two 1,000s (70% before) main, the rest (90%+) regular.
    expect(classifyValue(spent(1000, 5000, 300, 2000, 200, 1000, 500))).toEqual(["main", "key", "regular", "key", "regular", "main", "regular"]);
    const batch = classifyValueBatch({ ordersInWindow: [1, 1, 1, 1, 1, 1, 1], netSpendInWindowMinor: [1000, 5000, 300, 2000, 200, 1000, 500] });
    expect(batch).toMatchObject({ counts: { key: 2, main: 2, regular: 3 }, totalMinor: 10_000, keyMinMinor: 2000, mainMinMinor: 1000 });
  });

  it("puts the customer who crosses a line in the class above it", () => {
    // 5,500 before the 1,000 customer: 55% < 60%, so they are key though key then covers 65%;
    // 8,200 before the 700 customer: 82% < 85%, so they are main though main then covers 89%.
    expect(classifyValue(spent(5500, 1000, 900, 800, 700, 600, 500))).toEqual(["key", "key", "main", "main", "main", "regular", "regular"]);
  });

  it("gives equal revenue one class, wherever the line falls inside the group", () => {
    expect(classifyValue(spent(3000, 3000, 3000, 1000))).toEqual(["key", "key", "key", "regular"]);
    // Ten customers at 400 start at 60% (after 5,000 and 1,000) and run to 100%: all main, none regular.
    const many = spent(...Array.from({ length: 10 }, () => 400), 5000, 1000);
    expect(classifyValue(many)).toEqual([...Array.from({ length: 10 }, () => "main"), "key", "key"]);
  });

  it("does not depend on the order customers are listed in", () => {
    const list = spent(...Array.from({ length: 50 }, (_, i) => (i * 37) % 23 * 100));
    expect(classifyValue([...list].reverse()).reverse()).toEqual(classifyValue(list));
  });

  it.each([
    ["one customer", spent(4200), ["key"]],
    ["two customers", spent(100, 50), ["key", "main"]],
    ["two equal customers", spent(100, 100), ["key", "key"]],
    ["a whale", spent(9000, 500, 300, 200), ["key", "regular", "regular", "regular"]],
  ])("small shops: %s", (_name, customers, expected) => {
    expect(classifyValue(customers)).toEqual(expected);
  });

  it("gives no class to customers without an order in the window, and regular to free orders", () => {
    expect(classifyValue([{ ordersInWindow: 0, netSpendInWindowMinor: 0 }, ...spent(800, 0), { ordersInWindow: 0, netSpendInWindowMinor: 5000 }])).toEqual([null, "key", "regular", null]);
    expect(classifyValue(spent(0, 0))).toEqual(["regular", "regular"]);
  });

  it("follows the shop's thresholds", () => {
    const list = spent(5000, 2000, 1000, 1000, 500, 300, 200);
    expect(classifyValue(list, { keyPercent: 80, mainPercent: 15 })).toEqual(["key", "key", "key", "key", "main", "regular", "regular"]);
    expect(classifyValue(list, { keyPercent: 40, mainPercent: 0 })).toEqual(["key", "regular", "regular", "regular", "regular", "regular", "regular"]);
  });

  it("explains the class with the shop's numbers", () => {
    expect(translate("en", valueClassName("key").key)).toBe("Key customer");
    expect(translate("en", explainValueClass("key").key, explainValueClass("key").vars)).toBe("Among the customers who together make the top 60% of your revenue in the last 365 days.");
    const main = explainValueClass("main", { keyPercent: 50, mainPercent: 30 });
    expect(translate("zh-CN", main.key, main.vars)).toBe("在重点客户之后，属于在过去 365 天内贡献第 50% 到 80% 营收的顾客。");
    const regular = explainValueClass("regular");
    expect(translate("en", regular.key, regular.vars)).toBe("Among the customers who make the last 15% of your revenue in the last 365 days.");
    expect(translate("en", explainValueClass(null).key, explainValueClass(null).vars)).toBe("No value class: no order in the last 365 days.");
  });
});
