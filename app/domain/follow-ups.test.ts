import { DEFAULT_FOLLOW_UP_SETTINGS, addLocalDays, daysUntilBirthday, isOnList, isOverdue, proposeFollowUps, reasonsFor, type FollowUpFacts } from "./follow-ups";

const today = "2026-11-23";
const customer = (id: string, facts: Partial<FollowUpFacts> = {}): FollowUpFacts => ({
  customerShopifyId: id,
  valueClass: "regular",
  lifecycleStage: "active",
  birthday: null,
  deliveryProblem: false,
  completeness: 100,
  lastContactOn: null,
  netSpentMinor: 1000,
  ...facts,
});

describe("reasons", () => {
  it.each([
    ["a delivery problem", { deliveryProblem: true }, ["deliveryProblem"]],
    ["a key customer at risk", { valueClass: "key", lifecycleStage: "atRisk", lastContactOn: "2026-11-01" }, ["highValueAtRisk"]],
    ["a main customer gone dormant", { valueClass: "main", lifecycleStage: "dormant" }, ["highValueAtRisk"]],
    ["a regular customer at risk", { lifecycleStage: "atRisk" }, []],
    ["a key customer never contacted", { valueClass: "key" }, ["keyCustomerTouch"]],
    ["a key customer contacted 30 days ago", { valueClass: "key", lastContactOn: "2026-10-24" }, ["keyCustomerTouch"]],
    ["a key customer contacted 29 days ago", { valueClass: "key", lastContactOn: "2026-10-25" }, []],
    ["a birthday today", { birthday: "11-23" }, ["birthday"]],
    ["a birthday in 7 days", { birthday: "1990-11-30" }, ["birthday"]],
    ["a birthday in 8 days", { birthday: "12-01" }, []],
    ["a birthday yesterday", { birthday: "11-22" }, []],
    ["a main customer with a thin file", { valueClass: "main", completeness: 30 }, ["thinFile"]],
    ["a main customer without a file", { valueClass: "main", completeness: null }, ["thinFile"]],
    ["a regular customer with a thin file", { completeness: 0 }, []],
    ["everything at once", { deliveryProblem: true, valueClass: "key", lifecycleStage: "atRisk", birthday: "11-25", completeness: 10 }, ["deliveryProblem", "highValueAtRisk", "keyCustomerTouch", "birthday", "thinFile"]],
  ] as const)("%s", (_name, facts, reasons) => {
    expect(reasonsFor(customer("1", facts as Partial<FollowUpFacts>), today).map((found) => found.reason)).toEqual(reasons);
  });

  it("counts birthdays across the new year and keeps 29 February on the 28th in other years", () => {
    expect(daysUntilBirthday("01-02", "2026-12-30")).toBe(3);
    expect(daysUntilBirthday("02-29", "2027-02-25")).toBe(3);
    expect(daysUntilBirthday("02-29", "2028-02-25")).toBe(4);
    expect(reasonsFor(customer("1", { birthday: "11-25" }), today)[0].detail).toEqual({ inDays: 2, on: "2026-11-25" });
    expect(addLocalDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});

describe("proposals", () => {
  it("proposes each customer once, for the most urgent reason, most urgent and valuable first", () => {
    const proposed = proposeFollowUps(
      [
        customer("thin", { valueClass: "main", completeness: 10, netSpentMinor: 90_000 }),
        customer("quiet"),
        customer("birthday", { birthday: "11-24", netSpentMinor: 500 }),
        customer("parcel", { deliveryProblem: true, birthday: "11-24", netSpentMinor: 100 }),
        customer("risk", { valueClass: "key", lifecycleStage: "atRisk", netSpentMinor: 50_000 }),
      ],
      { today, pendingCustomers: new Set() },
    );
    expect(proposed.map((p) => [p.customerShopifyId, p.reason, p.priority])).toEqual([
      ["risk", "highValueAtRisk", 1],
      ["parcel", "deliveryProblem", 1],
      ["birthday", "birthday", 2],
      ["thin", "thinFile", 3],
    ]);
    expect(proposed[0]).toMatchObject({ dueOn: today, alsoReasons: ["keyCustomerTouch"] });
    expect(proposed[1].alsoReasons).toEqual(["birthday"]);
  });

  it("leaves out customers with a pending task and those within the cool-down of a completed one", () => {
    const facts = [
      customer("pending", { deliveryProblem: true }),
      customer("justCalled", { deliveryProblem: true, lastContactOn: "2026-11-10" }), // 13 days
      customer("calledBefore", { deliveryProblem: true, lastContactOn: "2026-11-09" }), // 14 days
    ];
    const proposed = proposeFollowUps(facts, { today, pendingCustomers: new Set(["pending"]) });
    expect(proposed.map((p) => p.customerShopifyId)).toEqual(["calledBefore"]);
  });

  it("caps the day's list at the daily limit", () => {
    const many = Array.from({ length: 10 }, (_, i) => customer(`c${i}`, { deliveryProblem: true, netSpentMinor: i }));
    const proposed = proposeFollowUps(many, { today, pendingCustomers: new Set(), settings: { ...DEFAULT_FOLLOW_UP_SETTINGS, dailyLimit: 3 } });
    expect(proposed.map((p) => p.customerShopifyId)).toEqual(["c9", "c8", "c7"]);
  });
});

describe("task state", () => {
  it.each([
    [{ status: "open", dueOn: "2026-11-22" }, true],
    [{ status: "open", dueOn: today }, false],
    [{ status: "snoozed", dueOn: "2026-11-01" }, true],
    [{ status: "done", dueOn: "2026-11-01" }, false],
  ])("%j overdue: %s", (task, overdue) => {
    expect(isOverdue(task, today)).toBe(overdue);
  });

  it.each([
    [{ status: "open", snoozedUntil: null }, true],
    [{ status: "snoozed", snoozedUntil: "2026-11-24" }, false],
    [{ status: "snoozed", snoozedUntil: today }, true],
    [{ status: "done", snoozedUntil: null }, false],
  ])("%j on today's list: %s", (task, listed) => {
    expect(isOnList(task, today)).toBe(listed);
  });
});
