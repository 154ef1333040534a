// The members list: filters, sorting and pagination both ways on the real
// database (SQLite or PostgreSQL), and the page as Shopify admin loads it.
// No tier program here, so the amount shown counts the whole history.
import db from "~/db.server";
import { listMembers as listMembersIn, type MemberListQuery } from "~/models/members.server";
import { saveShopSettings } from "~/models/shops.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "members-list.myshopify.com";
const other = "members-other.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const COUNT = 130;
let app: TestApp;
const wholeHistory = { start: null, end: new Date("2100-01-01T00:00:00Z"), lifetimeFloor: false };
const listMembers = (domain: string, query: MemberListQuery) => listMembersIn(domain, query, wholeHistory);

beforeAll(async () => {
  await installShop(shop);
  for (const domain of [shop, other]) await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, new Date());
  // 130 members; spends repeat every 40 so ties must be broken by id; one order each,
  // on a day that repeats every 30 members.
  for (let i = 0; i < COUNT; i++) {
    const createdAt = new Date(Date.UTC(2026, 9, 1 + (i % 30), 12)).toISOString();
    await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(70_000 + i), customerId: String(60_000 + i), subtotal: (10 + (i % 40)).toFixed(2), createdAt })) }, new Date());
  }
  await projectInboxEvent({ shop: other, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: "79999", customerId: "69999", subtotal: "999.00" })) }, new Date());
  // Classification and profile columns as the nightly job and customers/* webhooks leave them.
  await db.customer.updateMany({ where: { shop, shopifyId: { in: ["60001", "60002", "60003"] } }, data: { rfmSegment: "champions", valueClass: "key", lifecycleStage: "active", countryCode: "CN", tags: "vip, wholesale" } });
  await db.customer.updateMany({ where: { shop, shopifyId: "60004" }, data: { rfmSegment: "atRisk", lifecycleStage: "atRisk", firstName: "Ava", lastName: "Chen", email: "Ava.Chen@Example.com", phone: "+1 555-0100-4", tags: "VIP" } });
  await db.customer.create({ data: { shop, shopifyId: "60500", email: "never@example.com" } }); // never ordered
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

async function everyPage(query: MemberListQuery) {
  const seen: string[] = [];
  for (let page = 1; page <= 50; page++) {
    const result = await listMembers(shop, { ...query, page, pageSize: 25 });
    seen.push(...result.members.map((member) => member.shopifyId));
    if (page * 25 >= result.total) return { seen, pages: page, total: result.total };
  }
  throw new Error("pagination did not end");
}

it("pages through every member once, biggest spenders first, ties by id, only this shop's, with the count", async () => {
  const { seen, pages, total } = await everyPage({});
  expect(pages).toBe(6); // 131 members, 25 a page
  expect(total).toBe(COUNT + 1);
  expect(new Set(seen).size).toBe(COUNT + 1);
  expect(seen).not.toContain("69999");
  const all = await db.customer.findMany({ where: { shop }, orderBy: [{ netSpentMinor: "desc" }, { shopifyId: "asc" }], select: { shopifyId: true } });
  expect(seen).toEqual(all.map((row) => row.shopifyId));
});

it("sorts by last order with members who never ordered last (both ways), and by orders", async () => {
  const { seen } = await everyPage({ sort: "recent" });
  expect(seen).toHaveLength(COUNT + 1);
  expect(seen.at(-1)).toBe("60500");
  // Members 60029, 60059, 60089, 60119 ordered on the latest day: first, by id.
  expect(seen.slice(0, 4)).toEqual(["60029", "60059", "60089", "60119"]);
  const oldest = (await everyPage({ sort: "recent", direction: "asc" })).seen;
  expect(oldest.slice(0, 4)).toEqual(["60000", "60030", "60060", "60090"]);
  expect(oldest.at(-1)).toBe("60500");
  expect(new Set((await everyPage({ sort: "orders" })).seen).size).toBe(COUNT + 1);
});

it("goes back a page to exactly the rows it showed", async () => {
  const first = await listMembers(shop, { page: 1, pageSize: 25 });
  const second = await listMembers(shop, { page: 2, pageSize: 25 });
  const back = await listMembers(shop, { page: 1, pageSize: 25 });
  expect(back.members.map((member) => member.shopifyId)).toEqual(first.members.map((member) => member.shopifyId));
  expect(second.members.map((member) => member.shopifyId).some((id) => first.members.some((member) => member.shopifyId === id))).toBe(false);
});

it("filters by segment, value class, stage, tag, country, tier and text, together", async () => {
  const ids = async (query: MemberListQuery) => (await listMembers(shop, query)).members.map((member) => member.shopifyId).sort();
  expect(await ids({ segment: "champions" })).toEqual(["60001", "60002", "60003"]);
  expect(await ids({ valueClass: "key", country: "cn" })).toEqual(["60001", "60002", "60003"]);
  expect(await ids({ stage: "atRisk" })).toEqual(["60004"]);
  expect(await ids({ tag: "vip" })).toEqual(["60001", "60002", "60003", "60004"]);
  expect(await ids({ tag: "whole" })).toEqual([]); // whole tags only
  expect(await ids({ query: "ava chen" })).toEqual(["60004"]);
  expect(await ids({ query: "AVA.CHEN@example" })).toEqual(["60004"]);
  expect(await ids({ query: "60500" })).toEqual(["60500"]);
  expect(await ids({ query: "555 0100 4" })).toEqual(["60004"]); // a phone, by its digits
  expect(await ids({ ids: ["60001", "60004", "69999"] })).toEqual(["60001", "60004"]); // the selected rows, this shop's only
  expect(await ids({ tier: "gold" })).toEqual([]); // no program: nobody has a tier
});

it("shows the filtered list in the admin with its count, in both languages, and exports it as CSV", async () => {
  const url = (path: string, locale: string, params: Record<string, string>) =>
    `${app.url}${path}?${new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/members-list").toString("base64url"), id_token: sessionToken(shop), locale, ...params })}`;
  const english = await (await fetch(url("/app/members", "en-US", { segment: "champions" }), { headers: { "User-Agent": BROWSER } })).text();
  expect(english).toContain("Champions");
  expect(english).toContain("/app/members/60001");
  expect(english).not.toContain("/app/members/60004");
  expect(english).toContain("1–3 of 3");
  expect(english).toContain("Net spend, all time");
  const chinese = await (await fetch(url("/app/members", "zh-CN", {}), { headers: { "User-Agent": BROWSER } })).text();
  expect(chinese).toContain("第 1–25 位，共 131 位");
  expect(chinese).toContain("累计净消费");

  const csv = await fetch(url("/app/members.csv", "en", { tag: "vip" }), { headers: { "User-Agent": BROWSER } });
  expect(csv.headers.get("content-type")).toContain("text/csv");
  const lines = (await csv.text()).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
  expect(lines[0]).toContain("Customer ID,First name,Last name,Email");
  expect(lines).toHaveLength(5); // the header and the four VIP members, nobody else
  expect(lines.slice(1).map((line) => line.split(",")[0]).sort()).toEqual(["60001", "60002", "60003", "60004"]);
  expect(lines.find((line) => line.startsWith("60004"))).toContain(`Ava,Chen,Ava.Chen@Example.com,"'+1 555-0100-4"`); // a leading + is guarded like a formula
});

it("guards the export against formulas in what customers typed", async () => {
  await db.customer.update({ where: { shop_shopifyId: { shop, shopifyId: "60002" } }, data: { firstName: "=HYPERLINK(\"http://x\")" } });
  const csv = await fetch(`${app.url}/app/members.csv?${new URLSearchParams({ shop, id: "60002", locale: "en" })}`, { headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER } });
  const text = await csv.text();
  expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
  expect(text.trimEnd().split("\r\n")).toHaveLength(2);
});

it("pages through members who never ordered too, after those who did, each once", async () => {
  const quiet = "quiet-members.myshopify.com";
  for (let i = 0; i < 3; i++) {
    await projectInboxEvent({ shop: quiet, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(72_000 + i), customerId: String(62_000 + i), subtotal: "20.00", createdAt: new Date(Date.UTC(2026, 9, 1 + i, 12)).toISOString() })) }, new Date());
  }
  for (let i = 0; i < 30; i++) await db.customer.create({ data: { shop: quiet, shopifyId: String(63_000 + i) } });
  const seen: string[] = [];
  for (let page = 1; page <= 10; page++) {
    const result = await listMembersIn(quiet, { sort: "recent", page, pageSize: 7 }, wholeHistory);
    seen.push(...result.members.map((member) => member.shopifyId));
    if (page * 7 >= result.total) break;
  }
  expect(seen).toEqual(["62002", "62001", "62000", ...Array.from({ length: 30 }, (_, i) => String(63_000 + i))]);
});
