// The Messages log's query (issue 20) on the real database (SQLite and
// PostgreSQL): search by the customer's name or email (any case, wildcards
// typed literally), a date range on the message's date (sent, else planned),
// several statuses at once, the count of all that match, sorting both ways
// and keyset pages forward and back without repeats or gaps; a page's
// decisions by message; another shop's messages never show.
import db from "~/db.server";
import { eraseShopMessages, logDecisions, messageDecisionsFor, messagesLog, messagesLogCount, planMessages, type MessagesLogQuery, type PlannedMessage } from "~/models/messages.server";

const shop = "messages-log.myshopify.com";
const other = "messages-log-other.myshopify.com";
const T0 = new Date("2026-05-01T00:00:00Z");
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const planned = (key: string, customer: string, plannedDay: number, over: Partial<PlannedMessage> = {}): PlannedMessage => ({
  customerShopifyId: customer,
  idempotencyKey: key,
  source: "flow",
  sourceId: "postDelivery",
  step: "deliveryCheck",
  channel: "email",
  messageClass: "transactional",
  priority: 10,
  variables: {},
  plannedAt: at(plannedDay),
  expiresAt: at(plannedDay + 5),
  ...over,
});

// Hand-made facts the expectations below are counted from.
const customers = [
  { shopifyId: "101", firstName: "Mei", lastName: "Lin", email: "mei.lin@example.com" },
  { shopifyId: "102", firstName: "Meiling", lastName: "Zhou", email: "mz@example.net" },
  { shopifyId: "103", firstName: "Tom", lastName: "Baker", email: "tom_b@example.com" },
  { shopifyId: "104", firstName: null, lastName: null, email: "100%tea@example.org" },
];

const keys = (entries: Array<{ idempotencyKey: string }>) => entries.map((entry) => entry.idempotencyKey);

beforeAll(async () => {
  for (const domain of [shop, other]) {
    await eraseShopMessages(domain);
    await db.customer.deleteMany({ where: { shop: domain } });
  }
  await db.customer.createMany({ data: customers.map((customer) => ({ shop, ...customer })) });
  // The other shop has a Mei too, and messages on the same days.
  await db.customer.create({ data: { shop: other, shopifyId: "101", firstName: "Mei", lastName: "Other", email: "mei@other.example" } });
  // m1..m8, planned on days 1..8, created in that order (so last change follows the key too).
  const rows: Array<[string, string, number]> = [
    ["m1", "101", 1],
    ["m2", "102", 2],
    ["m3", "103", 3],
    ["m4", "101", 4],
    ["m5", "104", 5],
    ["m6", "102", 6],
    ["m7", "103", 7],
    ["m8", "101", 8],
  ];
  for (const [i, [key, customer, day]] of rows.entries()) await planMessages(shop, [planned(key, customer, day)], new Date(T0.getTime() + i * 1000));
  await planMessages(other, [planned("o1", "101", 4)], T0);
  // m2 was sent on day 9 (after it was planned on day 2); m5 blocked; m7 deferred.
  await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: "m2" } }, data: { status: "sent", sentAt: at(9) } });
  await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: "m5" } }, data: { status: "blocked", lastReason: "noConsent" } });
  await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: "m7" } }, data: { status: "deferred", lastReason: "quietHours" } });
});

const all = async (query: Omit<MessagesLogQuery, "limit">) => keys((await messagesLog(shop, { ...query, limit: 200 })).entries);

it("finds a customer's messages by part of the name or email, in any case, and counts them", async () => {
  expect(await all({ search: "mei", sort: "date", direction: "asc" })).toEqual(["m1", "m4", "m6", "m8", "m2"]);
  expect(await all({ search: "MEI LIN", sort: "date", direction: "asc" })).toEqual(["m1", "m4", "m8"]);
  expect(await all({ search: "example.net", sort: "date" })).toEqual(["m2", "m6"]);
  // A wildcard typed is a character: "_" finds tom_b only, "%" the address with a percent sign.
  expect(await all({ search: "m_b", sort: "date" })).toEqual(["m7", "m3"]);
  expect(await all({ search: "0%t" })).toEqual(["m5"]);
  expect(await all({ search: "nobody" })).toEqual([]);
  expect(await messagesLogCount(shop, { search: "mei" })).toBe(5);
  // The rows carry the customer's name (or null when the shop has none).
  const [row] = (await messagesLog(shop, { search: "100%", limit: 5 })).entries;
  expect(row).toMatchObject({ customerName: null, customerEmail: "100%tea@example.org" });
  expect((await messagesLog(shop, { search: "baker", limit: 1 })).entries[0]).toMatchObject({ customerName: "Tom Baker" });
});

// The day each message is dated on: sent on day 9 for m2, else its planned day.
const DATE_DAY: Record<string, number> = { m1: 1, m2: 9, m3: 3, m4: 4, m5: 5, m6: 6, m7: 7, m8: 8 };
const dateOf = (key: string) => DATE_DAY[key]!;

it("keeps messages dated in the range: sent ones by when they went, others by when they were planned", async () => {
  // Days 2 to 5 (to is exclusive: day 6 at 00:00): m2 was planned on day 2 but sent on day 9, so it is out.
  expect(await all({ from: at(2), to: at(6), sort: "date", direction: "asc" })).toEqual(["m3", "m4", "m5"]);
  expect(await messagesLogCount(shop, { from: at(2), to: at(6) })).toBe(3);
  expect(await all({ from: at(8), sort: "date", direction: "asc" })).toEqual(["m8", "m2"]);
  expect(await all({ to: at(2), sort: "date" })).toEqual(["m1"]);
  // With the search and statuses together.
  expect(await all({ search: "mei", from: at(5), sort: "date", direction: "desc" })).toEqual(["m2", "m8", "m6"]);
  expect(await all({ status: ["blocked", "deferred"], sort: "date" })).toEqual(["m7", "m5"]);
  expect(await messagesLogCount(shop, { status: ["blocked", "deferred", "sent"] })).toBe(3);
  expect(await messagesLogCount(shop, {})).toBe(8);
});

it("sorts by last change or by date either way, and pages forward and back without repeats", async () => {
  const byDateDesc = Object.keys(DATE_DAY).sort((a, b) => dateOf(b) - dateOf(a));
  expect(await all({ sort: "date" })).toEqual(byDateDesc);
  expect(await all({ sort: "date", direction: "asc" })).toEqual([...byDateDesc].reverse());

  for (const query of [{ sort: "date" as const }, { sort: "date" as const, direction: "asc" as const }, { sort: "updated" as const }]) {
    const whole = await all(query);
    // Forward, three at a time.
    const pages: string[][] = [];
    let page = await messagesLog(shop, { ...query, limit: 3 });
    expect(page.previousCursor).toBeNull();
    pages.push(keys(page.entries));
    while (page.nextCursor) {
      page = await messagesLog(shop, { ...query, limit: 3, cursor: page.nextCursor });
      pages.push(keys(page.entries));
    }
    expect(pages.flat()).toEqual(whole);
    expect(pages.map((rows) => rows.length)).toEqual([3, 3, 2]);
    // And back from the last page to the first, each page the same rows as going forward.
    const back: string[][] = [keys(page.entries)];
    while (page.previousCursor) {
      page = await messagesLog(shop, { ...query, limit: 3, before: page.previousCursor });
      back.unshift(keys(page.entries));
    }
    expect(back).toEqual(pages);
    expect(page.nextCursor).not.toBeNull();
  }
});

it("gives a page's decisions by message, oldest first, and none of another shop's", async () => {
  const [m1, theirs] = await Promise.all([
    db.message.findUniqueOrThrow({ where: { shop_idempotencyKey: { shop, idempotencyKey: "m1" } } }),
    db.message.findUniqueOrThrow({ where: { shop_idempotencyKey: { shop: other, idempotencyKey: "o1" } } }),
  ]);
  await logDecisions(shop, [{ messageId: m1.id, customerShopifyId: "101", decision: "deferred", reason: "quietHours", detail: { until: at(2).toISOString() } }], at(1));
  const decisions = await messageDecisionsFor(shop, [m1.id, theirs.id]);
  expect(decisions.get(m1.id)?.map((entry) => `${entry.decision}/${entry.reason}`)).toEqual(["planned/flowPlanned", "deferred/quietHours"]);
  expect(decisions.get(m1.id)?.[1]?.detail).toEqual({ until: at(2).toISOString() });
  expect(decisions.has(theirs.id)).toBe(false);
  // The other shop's messages are not in this shop's log, by search or by id.
  expect(await all({ search: "other" })).toEqual([]);
  expect(await all({ id: theirs.id })).toEqual([]);
  expect(await all({ id: m1.id })).toEqual(["m1"]);
});
