// The Overview's KPIs (issue 20) on the real database (SQLite and PostgreSQL),
// from orders sent through the projector as Shopify sends them (so the
// purchase ledger decides what counts) and figures counted by hand below:
// members' share of sales, repeat-purchase rate by tier, tier moves, and the
// cost of the period's flows from Results' own computation, for the last 30
// and the last 90 days.
import db from "~/db.server";
import { saveCareSettings } from "~/models/care-settings.server";
import { planMessages } from "~/models/messages.server";
import { programOverview } from "~/services/overview.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { orderPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";

const shop = "overview-kpis.myshopify.com";
const other = "overview-kpis-other.myshopify.com";
const now = new Date("2026-06-30T12:00:00Z");

// [order id, customer (null: a guest), processed at, amount, test order?]
const ORDERS: Array<[string, string | null, string, string, boolean?]> = [
  ["5001", "701", "2026-06-05T10:00:00Z", "100.00"], // A, gold
  ["5002", "701", "2026-06-20T10:00:00Z", "50.00"], // A again: a repeat buyer
  ["5003", "702", "2026-06-12T10:00:00Z", "80.00"], // B, gold, once in 30 days
  ["5004", "703", "2026-06-02T10:00:00Z", "20.00"], // C, silver, three times
  ["5005", "703", "2026-06-15T10:00:00Z", "20.00"],
  ["5006", "703", "2026-06-25T10:00:00Z", "20.00"],
  ["5007", "704", "2026-06-11T10:00:00Z", "40.00"], // D, in no tier
  ["5008", null, "2026-06-12T10:00:00Z", "10.00"], // a guest checkout
  ["5009", "701", "2026-06-13T10:00:00Z", "999.00", true], // a test order: never counts
  ["5010", "702", "2026-05-31T23:00:00Z", "70.00"], // B, an hour before the 30-day period (UTC shop)
];

const days = (date: string) => new Date(date);

beforeAll(async () => {
  for (const domain of [shop, other]) await installTestShop(domain, {}, days("2026-01-01T00:00:00Z"));
  for (const [id, customerId, at, subtotal, test] of ORDERS) {
    await projectInboxEvent({ shop, topic: "orders/create", body: JSON.stringify(orderPayload({ id, customerId, createdAt: at, subtotal, test })) }, days(at));
  }
  // The other shop sells a lot in the same days: none of it is ours.
  await projectInboxEvent({ shop: other, topic: "orders/create", body: JSON.stringify(orderPayload({ id: "9001", customerId: "701", createdAt: "2026-06-10T10:00:00Z", subtotal: "5000.00" })) }, days("2026-06-10T10:00:00Z"));
  for (const [customer, tier] of [["701", "gold"], ["702", "gold"], ["703", "silver"]] as const) {
    await db.memberTier.upsert({ where: { shop_customerShopifyId: { shop, customerShopifyId: customer } }, create: { shop, customerShopifyId: customer, tierHandle: tier, since: days("2026-01-02T00:00:00Z") }, update: { tierHandle: tier } });
  }
  await db.memberTier.deleteMany({ where: { shop, customerShopifyId: "704" } });
  await db.tierChange.createMany({
    data: [
      { shop, customerShopifyId: "701", action: "upgrade", fromHandle: "silver", toHandle: "gold", reason: "spend", at: days("2026-06-06T00:00:00Z") },
      { shop, customerShopifyId: "702", action: "upgrade", fromHandle: "silver", toHandle: "gold", reason: "spend", at: days("2026-06-13T00:00:00Z") },
      { shop, customerShopifyId: "705", action: "downgrade", fromHandle: "silver", toHandle: "member", reason: "review", at: days("2026-06-20T00:00:00Z") },
      { shop, customerShopifyId: "703", action: "placed", fromHandle: null, toHandle: "silver", reason: "spend", at: days("2026-06-02T00:00:00Z") },
      { shop, customerShopifyId: "706", action: "upgrade", fromHandle: "member", toHandle: "silver", reason: "spend", at: days("2026-05-15T00:00:00Z") },
      { shop: other, customerShopifyId: "701", action: "upgrade", fromHandle: "member", toHandle: "gold", reason: "spend", at: days("2026-06-15T00:00:00Z") },
    ],
  });
  // Win-back sent by email at 7 cents each: three in June, one in May.
  expect((await saveCareSettings(shop, { messageCosts: { email: 7, sms: 0 } })).ok).toBe(true);
  const message = (key: string, customer: string, at: string) => ({
    customerShopifyId: customer,
    idempotencyKey: key,
    source: "flow" as const,
    sourceId: "winBack",
    step: "atRisk",
    channel: "email" as const,
    messageClass: "marketing" as const,
    priority: 10,
    variables: {},
    plannedAt: days(at),
    expiresAt: days("2026-12-31T00:00:00Z"),
  });
  await planMessages(shop, [message("w1", "701", "2026-06-10T09:00:00Z"), message("w2", "702", "2026-06-10T09:00:00Z"), message("w3", "703", "2026-06-10T09:00:00Z"), message("w0", "701", "2026-05-20T09:00:00Z")], days("2026-05-20T09:00:00Z"));
  await db.message.updateMany({ where: { shop }, data: { status: "sent", lastReason: "providerAccepted" } });
  for (const [key, at] of [["w1", "2026-06-10T09:00:00Z"], ["w2", "2026-06-10T09:00:00Z"], ["w3", "2026-06-10T09:00:00Z"], ["w0", "2026-05-20T09:00:00Z"]] as const) {
    await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: key } }, data: { sentAt: days(at) } });
  }
});

it("counts the last 30 days: members' share of sales, repeat buyers per tier, moves and the period's costs", async () => {
  const kpis = await programOverview(shop, 30, now, "UTC");
  // 1 June 00:00 to now, in the shop's zone (UTC).
  expect(kpis.from).toEqual(days("2026-06-01T00:00:00Z"));
  // Counted: 100 + 50 + 80 + 20 + 20 + 20 + 40 + 10 = 340.00 over 8 orders; members (A, B, C): 150 + 80 + 60 = 290.00 over 6.
  expect(kpis.revenue).toEqual({ totalMinor: 34000, membersMinor: 29000, orders: 8, memberOrders: 6, memberShare: 290 / 340 });
  // Gold: A bought twice, B once -> 1 of 2. Silver: C three times -> 1 of 1.
  expect(kpis.repeatByTier).toEqual([
    { tierHandle: "gold", buyers: 2, repeatBuyers: 1, rate: 0.5 },
    { tierHandle: "silver", buyers: 1, repeatBuyers: 1, rate: 1 },
  ]);
  // Two upgrades and one downgrade in June; the placement is not a move, May's upgrade is before.
  expect(kpis.moves).toEqual({ up: 2, down: 1 });
  // One activity (win-back) with three June sends at 7 cents and no discounts: 21 cents; too small for an estimate.
  expect(kpis.results).toMatchObject({ costsMinor: 21, withEstimate: 0, withoutEstimate: 1, incrementalMinor: 0 });
});

it("counts the last 90 days: the order and the send of late May come in", async () => {
  const kpis = await programOverview(shop, 90, now, "UTC");
  expect(kpis.from).toEqual(days("2026-04-02T00:00:00Z"));
  // + B's 70.00 on 31 May: 410.00 over 9 orders, members 360.00 over 7; B has bought twice now.
  expect(kpis.revenue).toEqual({ totalMinor: 41000, membersMinor: 36000, orders: 9, memberOrders: 7, memberShare: 360 / 410 });
  expect(kpis.repeatByTier).toEqual([
    { tierHandle: "gold", buyers: 2, repeatBuyers: 2, rate: 1 },
    { tierHandle: "silver", buyers: 1, repeatBuyers: 1, rate: 1 },
  ]);
  expect(kpis.moves).toEqual({ up: 3, down: 1 });
  expect(kpis.results).toMatchObject({ costsMinor: 28, withEstimate: 0, withoutEstimate: 1 });
});

it("reads the period in the shop's own calendar", async () => {
  // In Shanghai (UTC+8) it is already 30 June 20:00; the 30 days start on 1 June at 00:00 there, 31 May 16:00 UTC:
  // B's order of 31 May 23:00 UTC (1 June 07:00 in Shanghai) is inside.
  const kpis = await programOverview(shop, 30, now, "Asia/Shanghai");
  expect(kpis.from).toEqual(days("2026-05-31T16:00:00Z"));
  expect(kpis.revenue.totalMinor).toBe(41000);
});

it("shows a new shop nothing but zeros", async () => {
  const kpis = await programOverview("overview-kpis-new.myshopify.com", 30, now, "UTC");
  expect(kpis.revenue).toEqual({ totalMinor: 0, membersMinor: 0, orders: 0, memberOrders: 0, memberShare: null });
  expect(kpis.repeatByTier).toEqual([]);
  expect(kpis.moves).toEqual({ up: 0, down: 0 });
  expect(kpis.results).toMatchObject({ costsMinor: 0, withEstimate: 0, withoutEstimate: 0 });
});
