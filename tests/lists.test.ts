// The admin lists of issue 20 on the real database (SQLite and PostgreSQL):
// Follow-ups, Shipments in trouble and Campaigns filter, sort, page and count
// on the server as the URL asks. Every expectation below is worked out by hand
// from the fixtures this file builds (their order written out), not by asking
// the code that is tested.
import db from "~/db.server";
import { parseCampaignListQuery, parseFollowUpListQuery, parseShipmentListQuery, type FollowUpListQuery } from "~/domain/list-query";
import { campaignListPage } from "~/models/campaigns.server";
import { assignFollowUps, completeFollowUps, followUpListPage, snoozeFollowUps } from "~/models/follow-ups.server";
import { resolveShipmentsByStaff, shipmentsPage } from "~/services/anomalies.server";
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

describe("the shipments in trouble", () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  // Fulfillment, order name, customer, days since shipped (null: not known), carrier, number, tracking page; anomalies (kind, hours ago found).
  const SHIPMENTS = [
    { id: "F1", order: "#1001", customer: "1", shippedDaysAgo: 3, carrier: "UPS", number: "1Z999", url: "https://ups.example/track/1Z999", anomalies: [["failure", 1]] },
    { id: "F2", order: "#1002", customer: "2", shippedDaysAgo: 10, carrier: "DHL", number: "JD014", url: "https://dhl.example/JD014", anomalies: [["longTransit", 5], ["noUpdate", 2]] },
    { id: "F3", order: "#1003", customer: null, shippedDaysAgo: 20, carrier: null, number: null, url: null, anomalies: [["delayed", 3]] },
    { id: "F4", order: "#1004", customer: "4", shippedDaysAgo: null, carrier: "SF Express", number: "SF77", url: "javascript:alert(1)", anomalies: [["attemptedDelivery", 4]] },
  ] as const;
  const shipments = (params: Record<string, string> = {}) => shipmentsPage(shop, parseShipmentListQuery(new URLSearchParams(params)), NOW);
  const fulfillments = (page: Awaited<ReturnType<typeof shipments>>) => page.shipments.map((row) => row.fulfillmentShopifyId);

  beforeAll(async () => {
    for (const f of SHIPMENTS) {
      const orderId = `o${f.id}`;
      await db.order.create({ data: { shop, shopifyId: orderId, name: f.order, customerShopifyId: f.customer, shopifyCreatedAt: NOW, processedAt: NOW, shopifyUpdatedAt: NOW, currencyCode: "USD", subtotalMinor: 1000, totalMinor: 1000, totalDiscountsMinor: 0 } });
      await db.fulfillment.create({
        data: { shop, shopifyId: f.id, orderShopifyId: orderId, status: "success", trackingCompany: f.carrier, trackingNumber: f.number, trackingUrl: f.url, shopifyCreatedAt: f.shippedDaysAgo === null ? null : new Date(NOW.getTime() - f.shippedDaysAgo * DAY) },
      });
      for (const [kind, hoursAgo] of f.anomalies) {
        await db.shipmentAnomaly.create({ data: { id: `${f.id}-${kind}`, shop, fulfillmentShopifyId: f.id, orderShopifyId: orderId, customerShopifyId: f.customer, kind, detectedAt: new Date(NOW.getTime() - hoursAgo * HOUR) } });
      }
    }
    // Resolved already, and another shop's: never listed.
    await db.shipmentAnomaly.create({ data: { id: "F5-failure", shop, fulfillmentShopifyId: "F5", orderShopifyId: "oF5", kind: "failure", status: "resolved", detectedAt: NOW, resolvedAt: NOW } });
    await db.shipmentAnomaly.create({ data: { id: "X1-failure", shop: other, fulfillmentShopifyId: "F1", orderShopifyId: "oF1", kind: "failure", detectedAt: NOW } });
  });

  it("lists each shipment once, newest trouble first, with its kinds, days since shipped and tracking link", async () => {
    const page = await shipments();
    // Newest trouble of each: F1 1 h ago, F2 2 h (its newer kind), F3 3 h, F4 4 h.
    expect(fulfillments(page)).toEqual(["F1", "F2", "F3", "F4"]);
    expect(page.total).toBe(4);
    expect(page.shipments[1]).toMatchObject({ kinds: ["longTransit", "noUpdate"], daysInTransit: 10, carrier: "DHL", trackingNumber: "JD014", trackingUrl: "https://dhl.example/JD014", orderName: "#1002" });
    expect(page.shipments[2]).toMatchObject({ customerShopifyId: null, daysInTransit: 20, trackingNumber: null });
    expect(page.shipments[3]).toMatchObject({ daysInTransit: null });
  });

  it("sorts by when the trouble was found and by days on the way (unknown last), both ways", async () => {
    expect(fulfillments(await shipments({ sort: "detected", dir: "asc" }))).toEqual(["F4", "F3", "F2", "F1"]);
    expect(fulfillments(await shipments({ sort: "shipped" }))).toEqual(["F3", "F2", "F1", "F4"]);
    expect(fulfillments(await shipments({ sort: "shipped", dir: "desc" }))).toEqual(["F1", "F2", "F3", "F4"]);
  });

  it("filters by any open kind, by days since shipped, and searches order, tracking number and customer", async () => {
    const page = async (params: Record<string, string>) => {
      const result = await shipments(params);
      expect(result.total).toBe(result.shipments.length);
      return fulfillments(result);
    };
    expect(await page({ kind: "failure" })).toEqual(["F1"]);
    expect(await page({ kind: "noUpdate" })).toEqual(["F2"]);
    expect(await page({ kind: "longTransit,delayed" })).toEqual(["F2", "F3"]);
    expect(await page({ age: "week" })).toEqual(["F1"]);
    expect(await page({ age: "twoWeeks" })).toEqual(["F2"]);
    expect(await page({ age: "older" })).toEqual(["F3"]);
    expect(await page({ age: "older", kind: "failure" })).toEqual([]);
    expect(await page({ q: "#1002" })).toEqual(["F2"]);
    expect(await page({ q: "jd014" })).toEqual(["F2"]);
    expect(await page({ q: "Ray" })).toEqual(["F4"]);
    expect(await page({ q: "ada@example" })).toEqual(["F1"]);
  });

  it("resolves the chosen shipments in bulk, every open kind of each, and only this shop's", async () => {
    // F2 named twice (by each of its kinds), F1 once, and another shop's anomaly: two shipments close.
    expect(await resolveShipmentsByStaff(shop, ["F2-longTransit", "F2-noUpdate", "F1-failure", "X1-failure"], "7", NOW)).toBe(2);
    expect(fulfillments(await shipments())).toEqual(["F3", "F4"]);
    expect(await db.shipmentAnomaly.findMany({ where: { fulfillmentShopifyId: { in: ["F1", "F2"] }, shop }, orderBy: { id: "asc" }, select: { id: true, status: true, resolvedBy: true } })).toEqual([
      { id: "F1-failure", status: "resolved", resolvedBy: "7" },
      { id: "F2-longTransit", status: "resolved", resolvedBy: "7" },
      { id: "F2-noUpdate", status: "resolved", resolvedBy: "7" },
    ]);
    expect(await db.shipmentAnomaly.findUnique({ where: { id: "X1-failure" } })).toMatchObject({ status: "open" });
    expect(await resolveShipmentsByStaff(shop, ["F1-failure"], "7", NOW)).toBe(0);
  });
});

describe("the campaigns list", () => {
  const DAY = 86_400_000;
  // Name, status, channel, send date and hour; created one day apart, K1 oldest.
  const CAMPAIGNS = [
    { id: "K1", name: "Spring sale", status: "draft", channel: "email", sendOn: null, sendHour: 10 },
    { id: "K2", name: "Summer VIP", status: "scheduled", channel: "sms", sendOn: "2026-12-20", sendHour: 10 },
    { id: "K3", name: "Autumn picks", status: "sending", channel: "email", sendOn: "2026-12-07", sendHour: 9 },
    { id: "K4", name: "Winter gala", status: "done", channel: "flow", sendOn: "2026-11-01", sendHour: 18 },
    { id: "K5", name: "spring restock", status: "cancelled", channel: "email", sendOn: "2026-12-15", sendHour: 10 },
  ];
  const campaigns = (params: Record<string, string> = {}, domain = shop) => campaignListPage(domain, parseCampaignListQuery(new URLSearchParams(params)));
  const names = (page: Awaited<ReturnType<typeof campaigns>>) => page.rows.map((row) => row.id);

  beforeAll(async () => {
    for (const [index, campaign] of CAMPAIGNS.entries()) {
      const createdAt = new Date(NOW.getTime() - (5 - index) * DAY);
      await db.campaign.create({ data: { shop, ...campaign, createdAt, updatedAt: createdAt } });
    }
    await db.campaign.create({ data: { id: "KX", shop: other, name: "Spring sale", status: "draft", createdAt: NOW, updatedAt: NOW } });
    for (let i = 1; i <= 30; i++) {
      const createdAt = new Date(NOW.getTime() - i * 60_000);
      await db.campaign.create({ data: { id: `Q${i}`, shop: paging, name: `Draft ${i}`, createdAt, updatedAt: createdAt } });
    }
  });

  it("lists the shop's campaigns newest first, with how many are in each status", async () => {
    const page = await campaigns();
    expect(names(page)).toEqual(["K5", "K4", "K3", "K2", "K1"]);
    expect(page.total).toBe(5);
    expect(page.counts).toEqual({ draft: 1, scheduled: 1, sending: 1, done: 1, cancelled: 1 });
    expect(page.rows[1]).toMatchObject({ name: "Winter gala", status: "done", channel: "flow", sendOn: "2026-11-01", sendHour: 18 });
  });

  it("sorts by creation and by send date (no date last) both ways", async () => {
    expect(names(await campaigns({ dir: "asc" }))).toEqual(["K1", "K2", "K3", "K4", "K5"]);
    expect(names(await campaigns({ sort: "sendOn", dir: "asc" }))).toEqual(["K4", "K3", "K5", "K2", "K1"]);
    expect(names(await campaigns({ sort: "sendOn" }))).toEqual(["K2", "K5", "K3", "K4", "K1"]);
  });

  it("filters by status and channel and searches the name in any case, with counts that add up", async () => {
    const page = async (params: Record<string, string>) => {
      const result = await campaigns(params);
      expect(result.total).toBe(result.rows.length);
      return names(result);
    };
    expect(await page({ status: "draft" })).toEqual(["K1"]);
    expect(await page({ status: "scheduled,sending" })).toEqual(["K3", "K2"]);
    expect(await page({ channel: "email" })).toEqual(["K5", "K3", "K1"]);
    expect(await page({ channel: "sms,flow", status: "done" })).toEqual(["K4"]);
    expect(await page({ q: "SPRING" })).toEqual(["K5", "K1"]);
    expect(await page({ status: "bogus" })).toEqual(["K5", "K4", "K3", "K2", "K1"]);
  });

  it("pages both ways, each campaign once", async () => {
    const first = await campaigns({}, paging);
    const second = await campaigns({ page: "2" }, paging);
    expect(first.total).toBe(30);
    expect(names(first)).toEqual(Array.from({ length: 25 }, (_, i) => `Q${i + 1}`));
    expect(names(second)).toEqual(["Q26", "Q27", "Q28", "Q29", "Q30"]);
    expect(second.counts.draft).toBe(30);
  });
});
