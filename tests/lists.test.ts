// The admin lists of issue 20 on the real database (SQLite and PostgreSQL):
// Follow-ups, Shipments in trouble and Campaigns filter, sort, page and count
// on the server as the URL asks. Every expectation below is worked out by hand
// from the fixtures this file builds (their order written out), not by asking
// the code that is tested.
import db from "~/db.server";
import { parseFollowUpListQuery, type FollowUpListQuery } from "~/domain/list-query";
import { assignFollowUps, completeFollowUps, followUpListPage, snoozeFollowUps } from "~/models/follow-ups.server";
import { installTestShop } from "./support/shops";

const shop = "lists-follow-ups.myshopify.com";
const paging = "lists-paging.myshopify.com";
const other = "lists-other.myshopify.com";
const TODAY = "2026-12-07";
const NOW = new Date("2026-12-07T10:00:00Z");
const context = { today: TODAY, capacity: 4, tierRanks: new Map([["gold", 2], ["silver", 1]]), me: "7" };
const query = (params: Record<string, string> = {}): FollowUpListQuery => parseFollowUpListQuery(new URLSearchParams(params));

// Customers: name, value class, net spend, last order, tier, contact.
const CUSTOMERS = [
  { shopifyId: "1", firstName: "Ada", lastName: "King", valueClass: "key", netSpentMinor: 5000, lastOrderAt: "2026-11-01", tier: "gold", phone: "+1 555 0101", email: "ada@example.com" },
  { shopifyId: "2", firstName: "Ben", lastName: "Li", valueClass: "main", netSpentMinor: 9000, lastOrderAt: "2026-10-01", tier: "silver", phone: null, email: "ben@example.com" },
  { shopifyId: "3", firstName: "Cai", lastName: "Wen", valueClass: "regular", netSpentMinor: 100, lastOrderAt: null, tier: null, phone: null, email: "cai@example.com" },
  { shopifyId: "4", firstName: "Dana", lastName: "Ray", valueClass: "key", netSpentMinor: 3000, lastOrderAt: "2026-12-01", tier: "silver", phone: "+86 138 0000 0004", email: null },
  { shopifyId: "5", firstName: "Eli", lastName: "Moss", valueClass: "main", netSpentMinor: 2000, lastOrderAt: "2026-09-15", tier: "gold", phone: null, email: "eli@example.com" },
  { shopifyId: "6", firstName: "Fay", lastName: "Ng", valueClass: null, netSpentMinor: 0, lastOrderAt: null, tier: null, phone: null, email: null },
];
// Tasks: T1-T6 are on today's list (T6 snoozed until today: woken), T7 is
// snoozed to a later day, T8 is done, T9 belongs to another shop.
const TASKS = [
  { id: "T1", customer: "1", reason: "deliveryProblem", priority: 1, dueOn: "2026-12-06", assignee: "7", status: "open", snoozedUntil: null },
  { id: "T2", customer: "2", reason: "highValueAtRisk", priority: 1, dueOn: "2026-12-07", assignee: null, status: "open", snoozedUntil: null },
  { id: "T3", customer: "3", reason: "thinFile", priority: 3, dueOn: "2026-12-20", assignee: null, status: "open", snoozedUntil: null },
  { id: "T4", customer: "4", reason: "keyCustomerTouch", priority: 2, dueOn: "2026-12-10", assignee: "8", status: "open", snoozedUntil: null },
  { id: "T5", customer: "5", reason: "birthday", priority: 2, dueOn: "2026-12-13", assignee: "7", status: "open", snoozedUntil: null },
  { id: "T6", customer: "6", reason: "thinFile", priority: 3, dueOn: "2026-12-01", assignee: null, status: "snoozed", snoozedUntil: "2026-12-07" },
  { id: "T7", customer: "1", reason: "keyCustomerTouch", priority: 2, dueOn: "2026-12-08", assignee: null, status: "snoozed", snoozedUntil: "2026-12-09" },
  { id: "T8", customer: "2", reason: "birthday", priority: 2, dueOn: "2026-12-05", assignee: null, status: "done", snoozedUntil: null },
];
// Most valuable first: priority; then value class (key, main, regular, none);
// then tier (gold over silver over none); then spend.
// p1: T1 (key) T2 (main); p2: T4 (key) T5 (main); p3: T3 (regular) T6 (none).
const BY_VALUE = ["T1", "T2", "T4", "T5", "T3", "T6"];

const ids = (page: { rows: Array<{ id: string }> }) => page.rows.map((row) => row.id);

beforeAll(async () => {
  for (const domain of [shop, paging, other]) await installTestShop(domain);
  for (const c of CUSTOMERS) {
    const { tier, lastOrderAt, ...customer } = c;
    await db.customer.create({ data: { shop, ...customer, lastOrderAt: lastOrderAt ? new Date(`${lastOrderAt}T12:00:00Z`) : null } });
    if (tier) await db.memberTier.create({ data: { shop, customerShopifyId: c.shopifyId, tierHandle: tier, since: NOW } });
  }
  for (const [index, task] of TASKS.entries()) {
    const { customer, ...row } = task;
    // Created in order, a minute apart: T1 oldest.
    const createdAt = new Date(NOW.getTime() - (100 - index) * 60_000);
    await db.followUpTask.create({ data: { shop, customerShopifyId: customer, ...row, createdAt, updatedAt: createdAt } });
  }
  // Another shop's task for the same customer id and reason: never listed, never changed.
  await db.customer.create({ data: { shop: other, shopifyId: "1", firstName: "Ada", lastName: "Elsewhere", valueClass: "key" } });
  await db.followUpTask.create({ data: { id: "T9", shop: other, customerShopifyId: "1", reason: "deliveryProblem", priority: 1, dueOn: "2026-12-06", createdAt: NOW, updatedAt: NOW } });
  // 52 thin-file tasks of regular customers whose spend is 10 x their number: by value, P52 first.
  for (let i = 1; i <= 52; i++) {
    await db.customer.create({ data: { shop: paging, shopifyId: `p${i}`, valueClass: "regular", netSpentMinor: i * 10 } });
    await db.followUpTask.create({ data: { id: `P${i}`, shop: paging, customerShopifyId: `p${i}`, reason: "thinFile", priority: 3, dueOn: TODAY, createdAt: NOW, updatedAt: NOW } });
  }
});

describe("the follow-ups list", () => {
  it("shows the day's list (as many as the team takes a day), most valuable first, with the counts of each view", async () => {
    const page = await followUpListPage(shop, query(), context);
    expect(ids(page)).toEqual(BY_VALUE.slice(0, 4));
    expect(page.total).toBe(4);
    // On the list: T1-T6; overdue T1 (due yesterday) and T6 (due 1 December); user 7 has T1 and T5; T7 is snoozed to the 9th.
    expect(page.counts).toEqual({ onList: 6, overdue: 2, mine: 2, snoozed: 1, today: 4 });
  });

  it("gives each row what staff need to act: contact, tier, last order", async () => {
    const page = await followUpListPage(shop, query({ view: "all" }), context);
    const t1 = page.rows.find((row) => row.id === "T1")!;
    expect(t1).toMatchObject({ firstName: "Ada", lastName: "King", phone: "+1 555 0101", email: "ada@example.com", tierHandle: "gold", reason: "deliveryProblem", assignee: "7", priority: 1 });
    expect(t1.lastOrderAt?.toISOString()).toBe("2026-11-01T12:00:00.000Z");
    expect(page.rows.find((row) => row.id === "T3")).toMatchObject({ phone: null, tierHandle: null, lastOrderAt: null });
  });

  it("filters every task on the list by reason, due and assignee, and the day's list only among its own", async () => {
    const all = (params: Record<string, string>) => followUpListPage(shop, query({ view: "all", ...params }), context).then(ids);
    expect(await all({})).toEqual(BY_VALUE);
    expect(await all({ reason: "thinFile" })).toEqual(["T3", "T6"]);
    expect(await all({ reason: "thinFile,birthday" })).toEqual(["T5", "T3", "T6"]);
    expect(await all({ due: "overdue" })).toEqual(["T1", "T6"]);
    expect(await all({ due: "today" })).toEqual(["T2"]);
    // The next 7 days are 7 to 13 December.
    expect(await all({ due: "week" })).toEqual(["T2", "T4", "T5"]);
    expect(await all({ due: "later" })).toEqual(["T3"]);
    expect(await all({ assignee: "me" })).toEqual(["T1", "T5"]);
    expect(await all({ assignee: "none" })).toEqual(["T2", "T3", "T6"]);
    expect(await all({ assignee: "8" })).toEqual(["T4"]);
    expect(await all({ assignee: "none", due: "overdue" })).toEqual(["T6"]);
    // The day's list holds T1, T2, T4, T5: no thin file made it today.
    expect(ids(await followUpListPage(shop, query({ reason: "thinFile" }), context))).toEqual([]);
    expect(ids(await followUpListPage(shop, query({ due: "week" }), context))).toEqual(["T2", "T4", "T5"]);
    expect(ids(await followUpListPage(shop, query({ view: "mine" }), context))).toEqual(["T1", "T5"]);
    expect(ids(await followUpListPage(shop, query({ view: "mine" }), { ...context, me: null }))).toEqual([]);
    expect(ids(await followUpListPage(shop, query({ view: "snoozed" }), context))).toEqual(["T7"]);
  });

  it("searches by name, email, phone or customer id, whatever the case", async () => {
    const search = (q: string) => followUpListPage(shop, query({ view: "all", q }), context).then(ids);
    expect(await search("RAY")).toEqual(["T4"]);
    expect(await search("ada@")).toEqual(["T1"]);
    expect(await search("0101")).toEqual(["T1"]);
    expect(await search("ben li")).toEqual(["T2"]);
    expect(await search("2")).toEqual(["T2"]);
    expect(await search("nobody-like-this")).toEqual([]);
  });

  it("sorts by due, last order (never ordered last either way), name and value both ways", async () => {
    const sorted = (sort: string, dir: string) => followUpListPage(shop, query({ view: "all", sort, dir }), context).then(ids);
    expect(await sorted("due", "asc")).toEqual(["T6", "T1", "T2", "T4", "T5", "T3"]);
    expect(await sorted("due", "desc")).toEqual(["T3", "T5", "T4", "T2", "T1", "T6"]);
    expect(await sorted("lastOrder", "desc")).toEqual(["T4", "T1", "T2", "T5", "T3", "T6"]);
    expect(await sorted("lastOrder", "asc")).toEqual(["T5", "T2", "T1", "T4", "T3", "T6"]);
    expect(await sorted("customer", "asc")).toEqual(["T1", "T2", "T3", "T4", "T5", "T6"]);
    expect(await sorted("customer", "desc")).toEqual(["T6", "T5", "T4", "T3", "T2", "T1"]);
    expect(await sorted("value", "desc")).toEqual([...BY_VALUE].reverse());
  });

  it("pages 25 or 50 at a time, each task once, with a total the pages add up to", async () => {
    const expected = Array.from({ length: 52 }, (_, i) => `P${52 - i}`);
    const big = { ...context, capacity: 100 };
    const seen: string[] = [];
    for (const pageNumber of [1, 2, 3]) {
      const page = await followUpListPage(paging, query({ page: String(pageNumber) }), big);
      expect(page.total).toBe(52);
      expect(page.rows).toHaveLength(pageNumber < 3 ? 25 : 2);
      seen.push(...ids(page));
    }
    expect(seen).toEqual(expected);
    expect(ids(await followUpListPage(paging, query({ page: "4" }), big))).toEqual([]);
    const fifty = await followUpListPage(paging, query({ size: "50", page: "2" }), big);
    expect(ids(fifty)).toEqual(expected.slice(50));
    // A page size the list does not offer falls back to 25.
    expect((await followUpListPage(paging, query({ size: "1000" }), big)).rows).toHaveLength(25);
  });

  it("changes in bulk only this shop's pending tasks, and says how many", async () => {
    const at = new Date("2026-12-07T11:00:00Z");
    // T8 is done and T9 is another shop's: two of the four change.
    expect(await assignFollowUps(shop, ["T2", "T3", "T8", "T9"], { id: "8", name: "Bo Zhang" }, at)).toBe(2);
    expect(await db.followUpTask.findMany({ where: { id: { in: ["T2", "T3", "T8", "T9"] } }, orderBy: { id: "asc" }, select: { id: true, assignee: true, assigneeName: true } })).toEqual([
      { id: "T2", assignee: "8", assigneeName: "Bo Zhang" },
      { id: "T3", assignee: "8", assigneeName: "Bo Zhang" },
      { id: "T8", assignee: null, assigneeName: null },
      { id: "T9", assignee: null, assigneeName: null },
    ]);
    expect(await snoozeFollowUps(shop, ["T3"], "2026-12-12", at)).toBe(1);
    expect(await completeFollowUps(shop, ["T1", "T2", "T9"], { outcome: "reached", note: "Called, parcel re-sent" }, { id: "7", name: null }, at)).toBe(2);
    const page = await followUpListPage(shop, query({ view: "all" }), context);
    expect(ids(page)).toEqual(["T4", "T5", "T6"]);
    expect(page.counts).toEqual({ onList: 3, overdue: 1, mine: 1, snoozed: 2, today: 3 });
    expect(await db.followUpTask.findUnique({ where: { id: "T1" } })).toMatchObject({ status: "done", outcome: "reached", outcomeNote: "Called, parcel re-sent", completedBy: "7" });
    expect(await db.followUpTask.findUnique({ where: { id: "T9" } })).toMatchObject({ status: "open", outcome: null });
  });
});
