import { addLocalDays, closeReasonFor, daysUntilBirthday, dueOnFor, isOnList, isOverdue, proposeFollowUps, reasonsFor, type FollowUpFacts, type OpenTaskFacts } from "./follow-ups";

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
    expect(proposed[0]).toMatchObject({ alsoReasons: ["keyCustomerTouch"] });
    expect(proposed[1].alsoReasons).toEqual(["birthday"]);
    // Each due on the day it is for: the parcel by tomorrow, the slipping customer within three days,
    // the birthday on the birthday, the thin file within a fortnight.
    expect(proposed.map((p) => p.dueOn)).toEqual(["2026-11-26", "2026-11-24", "2026-11-24", "2026-12-07"]);
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

  it("proposes every customer with a reason: how many the team sees a day is the list's business, not the proposal's", () => {
    const many = Array.from({ length: 600 }, (_, i) => customer(`c${i}`, { deliveryProblem: true, netSpentMinor: i }));
    const proposed = proposeFollowUps(many, { today, pendingCustomers: new Set() });
    expect(proposed).toHaveLength(600);
    expect(proposed.slice(0, 2).map((p) => p.customerShopifyId)).toEqual(["c599", "c598"]);
  });
});

describe("due dates", () => {
  it("is due on the day it is for, and not overdue on its first day", () => {
    expect(dueOnFor("birthday", today, { inDays: 5, on: "2026-11-28" })).toBe("2026-11-28");
    expect(dueOnFor("deliveryProblem", today)).toBe("2026-11-24");
    expect(dueOnFor("thinFile", today)).toBe("2026-12-07");
    for (const reason of ["deliveryProblem", "highValueAtRisk", "keyCustomerTouch", "thinFile"] as const) {
      expect(isOverdue({ status: "open", dueOn: dueOnFor(reason, today) }, today)).toBe(false);
      expect(isOverdue({ status: "open", dueOn: dueOnFor(reason, today) }, addLocalDays(today, 1))).toBe(false);
    }
  });
});

describe("closing by itself", () => {
  const made = new Date("2026-11-20T10:00:00Z");
  const task = (reason: string, detail: Record<string, unknown> = {}, dueOn = "2026-11-23") => ({ reason, createdAt: made, dueOn, detail });
  const facts = (over: Omit<Partial<OpenTaskFacts>, "customer"> & { customer?: Partial<NonNullable<OpenTaskFacts["customer"]>> | null } = {}): OpenTaskFacts => ({
    shipmentInTrouble: false,
    deliveredSinceTask: false,
    completeness: null,
    ...over,
    customer: over.customer === null ? null : { valueClass: "key", lifecycleStage: "atRisk", lastOrderAt: new Date("2026-10-01T00:00:00Z"), ...over.customer },
  });

  it.each([
    ["an at-risk customer who ordered after the task", task("highValueAtRisk"), facts({ customer: { lastOrderAt: new Date("2026-11-21T08:00:00Z"), lifecycleStage: "active" } }), "reordered"],
    ["an at-risk customer whose last order is older than the task", task("highValueAtRisk"), facts(), null],
    ["an at-risk customer now active without an order since", task("highValueAtRisk"), facts({ customer: { lifecycleStage: "active" } }), "noLongerAtRisk"],
    ["an at-risk customer now regular", task("highValueAtRisk"), facts({ customer: { valueClass: "regular" } }), "noLongerValuable"],
    ["an at-risk customer now lost: the call is more needed, not less", task("highValueAtRisk"), facts({ customer: { lifecycleStage: "lost" } }), null],
    ["a parcel still in trouble", task("deliveryProblem"), facts({ shipmentInTrouble: true, deliveredSinceTask: true }), null],
    ["a parcel delivered", task("deliveryProblem"), facts({ deliveredSinceTask: true }), "delivered"],
    ["a shipment staff resolved", task("deliveryProblem"), facts(), "shipmentResolved"],
    ["a birthday today", task("birthday", { on: "2026-11-23" }), facts(), null],
    ["a birthday yesterday", task("birthday", { on: "2026-11-22" }), facts(), "birthdayPassed"],
    ["a birthday task made before due dates followed the birthday", task("birthday", { on: "2026-11-22" }, "2026-11-17"), facts(), "birthdayPassed"],
    ["a key customer still key", task("keyCustomerTouch"), facts({ customer: { lastOrderAt: new Date("2026-11-21T08:00:00Z") } }), null],
    ["a key customer now main", task("keyCustomerTouch"), facts({ customer: { valueClass: "main" } }), "noLongerKey"],
    ["a thin file still thin", task("thinFile"), facts({ completeness: 49 }), null],
    ["a thin file filled in", task("thinFile"), facts({ completeness: 50 }), "fileCompleted"],
    ["a thin file of a customer now regular", task("thinFile"), facts({ customer: { valueClass: "regular" }, completeness: 10 }), "noLongerValuable"],
    ["any task of a deleted customer", task("keyCustomerTouch"), facts({ customer: null }), "customerGone"],
  ] as const)("%s: %s", (_name, open, known, reason) => {
    expect(closeReasonFor(open, known, today)).toBe(reason);
  });
});

describe("task state", () => {
  it.each([
    [{ status: "open", dueOn: "2026-11-22" }, true],
    [{ status: "open", dueOn: today }, false],
    [{ status: "snoozed", dueOn: "2026-11-01" }, true],
    [{ status: "done", dueOn: "2026-11-01" }, false],
    [{ status: "closed", dueOn: "2026-11-01" }, false],
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
