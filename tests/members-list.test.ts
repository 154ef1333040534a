// The members list: filters, sorting and keyset pagination on the real
// database (SQLite or PostgreSQL), and the page as Shopify admin loads it.
import db from "~/db.server";
import { listMembers, type MemberListQuery } from "~/models/members.server";
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
  await db.customer.updateMany({ where: { shop, shopifyId: "60004" }, data: { rfmSegment: "atRisk", lifecycleStage: "atRisk", firstName: "Ava", lastName: "Chen", email: "Ava.Chen@Example.com", tags: "VIP" } });
  await db.customer.create({ data: { shop, shopifyId: "60500", email: "never@example.com" } }); // never ordered
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

async function everyPage(query: MemberListQuery) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: Awaited<ReturnType<typeof listMembers>> = await listMembers(shop, { ...query, after, limit: 25 });
    seen.push(...page.members.map((member) => member.shopifyId));
    if (!page.next) return { seen, pages: pages + 1 };
    after = page.next;
  }
  throw new Error("pagination did not end");
}

it("pages through every member once, biggest spenders first, ties by id, only this shop's", async () => {
  const { seen, pages } = await everyPage({});
  expect(pages).toBe(6); // 131 members, 25 a page
  expect(new Set(seen).size).toBe(COUNT + 1);
  expect(seen).not.toContain("69999");
  const all = await db.customer.findMany({ where: { shop }, orderBy: [{ netSpentMinor: "desc" }, { shopifyId: "asc" }], select: { shopifyId: true } });
  expect(seen).toEqual(all.map((row) => row.shopifyId));
});

it("sorts by last order with members who never ordered last, and by orders", async () => {
  const { seen } = await everyPage({ sort: "recent" });
  expect(seen).toHaveLength(COUNT + 1);
  expect(seen.at(-1)).toBe("60500");
  // Members 60029, 60059, 60089, 60119 ordered on the latest day: first, by id.
  expect(seen.slice(0, 4)).toEqual(["60029", "60059", "60089", "60119"]);
  expect(new Set((await everyPage({ sort: "orders" })).seen).size).toBe(COUNT + 1);
});

it("stays stable when members are added while the merchant pages", async () => {
  const first = await listMembers(shop, { limit: 25 });
  // Big new spenders arrive: they belong on page one, which was already read.
  for (let i = 0; i < 5; i++) {
    await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(71_000 + i), customerId: String(61_000 + i), subtotal: "5000.00" })) }, new Date());
  }
  const second = await listMembers(shop, { limit: 25, after: first.next });
  const before = (await db.customer.findMany({ where: { shop, shopifyId: { lt: "61000" } }, orderBy: [{ netSpentMinor: "desc" }, { shopifyId: "asc" }], select: { shopifyId: true } })).map((row) => row.shopifyId);
  // Page two continues exactly where page one ended: nothing repeated, nothing skipped.
  expect(second.members.map((member) => member.shopifyId)).toEqual(before.slice(25, 50));
  await db.customer.deleteMany({ where: { shop, shopifyId: { gte: "61000" } } });
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
  expect(await ids({ tier: "gold" })).toEqual([]); // no program: nobody has a tier
});

it("shows the filtered list in the admin with a next-page link, in both languages", async () => {
  const url = (locale: string, params: Record<string, string>) =>
    `${app.url}/app/members?${new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/members-list").toString("base64url"), id_token: sessionToken(shop), locale, ...params })}`;
  const english = await (await fetch(url("en-US", { segment: "champions" }), { headers: { "User-Agent": BROWSER } })).text();
  expect(english).toContain("Champions");
  expect(english).toContain("/app/members/60001");
  expect(english).not.toContain("/app/members/60004");
  const chinese = await (await fetch(url("zh-CN", {}), { headers: { "User-Agent": BROWSER } })).text();
  expect(chinese).toContain("下一页");
  expect(chinese).toContain("RFM 分群");
});

it("pages through members who never ordered too, after those who did, each once", async () => {
  const quiet = "quiet-members.myshopify.com";
  for (let i = 0; i < 3; i++) {
    await projectInboxEvent({ shop: quiet, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(72_000 + i), customerId: String(62_000 + i), subtotal: "20.00", createdAt: new Date(Date.UTC(2026, 9, 1 + i, 12)).toISOString() })) }, new Date());
  }
  for (let i = 0; i < 30; i++) await db.customer.create({ data: { shop: quiet, shopifyId: String(63_000 + i) } });
  const seen: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 10 && (pages === 0 || after); pages++) {
    const page: Awaited<ReturnType<typeof listMembers>> = await listMembers(quiet, { sort: "recent", after, limit: 7 });
    seen.push(...page.members.map((member) => member.shopifyId));
    after = page.next;
  }
  expect(seen).toEqual(["62002", "62001", "62000", ...Array.from({ length: 30 }, (_, i) => String(63_000 + i))]);
});
