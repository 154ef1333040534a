// Results against the holdout (issue 9) on the real database: a campaign sent
// to a generated audience whose contacted members truly buy more, the report's
// counts and figures, orders outside the window, cancelled or refunded left
// out or netted, and the CSV export carrying exactly the report's figures.
import db from "~/db.server";
import { CSV_COLUMNS, summariesCsv, summaryValues } from "~/domain/results/report";
import { saveShopSettings } from "~/models/shops.server";
import { campaignSummary, flowSummary, resultsOverview } from "~/services/results.server";
import { saveCampaign, scheduleCampaign } from "~/services/campaigns.server";
import { seededRandom } from "../tools/simulator/store-generator";
import { ledgerColumns } from "./support/ledger";

const shop = "results.myshopify.com";
const NOW = new Date("2026-11-20T08:00:00Z");
const SEND = new Date("2026-12-01T10:00:00Z");
const AFTER = new Date("2026-12-20T00:00:00Z");
const DAY = 86_400_000;
const MEMBERS = 2_000;
let campaignId: string;

function order(id: number, customer: string, at: Date, subtotalMinor: number, extra: Partial<{ cancelledAt: Date; test: boolean; totalDiscountsMinor: number; refundMinor: number }> = {}) {
  return {
    shop, shopifyId: String(id), customerShopifyId: customer, shopifyCreatedAt: at, processedAt: at, shopifyUpdatedAt: at, currencyCode: "USD", subtotalMinor, totalMinor: subtotalMinor, totalDiscountsMinor: extra.totalDiscountsMinor ?? 0, cancelledAt: extra.cancelledAt ?? null, test: extra.test ?? false,
    ...ledgerColumns({ subtotalMinor, cancelledAt: extra.cancelledAt, test: extra.test, refundMinor: extra.refundMinor }),
  };
}

beforeAll(async () => {
  await saveShopSettings(shop, { name: "Results", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, NOW);
  await db.customer.createMany({ data: Array.from({ length: MEMBERS }, (_, i) => ({ shop, shopifyId: String(800_000 + i), email: `r${i}@example.com`, emailConsentState: "SUBSCRIBED" })) });
  const saved = await saveCampaign(shop, null, { name: "December", channel: "email", content: { en: { subject: "Hi", body: "News" } }, audience: {}, sendOn: "2026-12-01", sendHour: 10, holdoutPercent: 20 }, null, NOW);
  if (!saved.ok) throw new Error("not saved");
  campaignId = saved.id;
  await scheduleCampaign(shop, campaignId, NOW);
  // The dispatcher's work, done here: contacted messages sent (a few blocked), none for the holdout.
  const contacted = await db.message.findMany({ where: { shop, sourceId: campaignId, holdout: false }, orderBy: { customerShopifyId: "asc" } });
  await db.message.updateMany({ where: { id: { in: contacted.slice(0, 20).map((m) => m.id) } }, data: { status: "blocked" } });
  await db.message.updateMany({ where: { shop, sourceId: campaignId, holdout: false, status: "scheduled" }, data: { status: "sent", sentAt: SEND } });

  // The true effect: a contacted member orders $50.00 inside the window with 15% chance, a held-out one with 5%.
  const holdout = new Set((await db.message.findMany({ where: { shop, sourceId: campaignId, holdout: true } })).map((m) => m.customerShopifyId));
  const random = seededRandom(21);
  const orders = [];
  let id = 1;
  for (let i = 0; i < MEMBERS; i++) {
    const customer = String(800_000 + i);
    if (random() < (holdout.has(customer) ? 0.05 : 0.15)) orders.push(order(id++, customer, new Date(+SEND + random() * 6.5 * DAY), 5000, { totalDiscountsMinor: 500 }));
    // Outside the window, cancelled or test: never counted.
    if (random() < 0.2) orders.push(order(id++, customer, new Date(+SEND - DAY), 9999));
    if (random() < 0.2) orders.push(order(id++, customer, new Date(+SEND + 8 * DAY), 9999));
    if (random() < 0.05) orders.push(order(id++, customer, new Date(+SEND + DAY), 9999, { cancelledAt: new Date(+SEND + 2 * DAY) }));
    if (random() < 0.05) orders.push(order(id++, customer, new Date(+SEND + DAY), 9999, { test: true }));
  }
  // One window order refunded in part: its revenue is what was kept.
  const refundedAt = orders.findIndex((row) => row.subtotalMinor === 5000);
  const windowOrder = orders[refundedAt];
  orders[refundedAt] = { ...windowOrder, ...ledgerColumns({ subtotalMinor: 5000, refundMinor: 2000 }) };
  await db.order.createMany({ data: orders });
  await db.refund.create({ data: { shop, shopifyId: "r1", orderShopifyId: windowOrder.shopifyId, processedAt: new Date(+SEND + 3 * DAY), amountMinor: 2000, currencyCode: "USD" } });
});

it("recovers the true effect of the campaign, counted from the messages and orders as stored", async () => {
  const summary = (await campaignSummary(shop, campaignId, AFTER))!;
  expect(summary.counts).toMatchObject({ audience: MEMBERS, sent: summary.counts.contacted - 20, blocked: 20, opened: null });
  expect(summary.counts.heldOut / MEMBERS).toBeGreaterThan(0.16);
  expect(summary.counts.heldOut / MEMBERS).toBeLessThan(0.24);
  const { result } = summary;
  // True: (15% − 5%) × $50.00 = $5.00 per contacted member. The estimate sits within 4 standard errors of it
  // (the holdout is drawn afresh for each campaign id, so the check must hold for any draw, not one).
  const lift = result.revenuePerMemberLift!;
  const standardError = (lift.high - lift.low) / (2 * 1.96);
  expect(Math.abs(lift.estimate - 500)).toBeLessThan(4 * standardError);
  expect(lift.low).toBeGreaterThan(0);
  expect(result.contacted.conversionRate).toBeGreaterThan(result.holdout.conversionRate);
  // Discounts on the contacted group's window orders are the campaign's cost ($5.00 each, one order's refund aside).
  expect(result.costsMinor).toBe(result.contacted.orders * 500);
  expect(result.attributedRevenueMinor).toBe(result.contacted.revenueMinor);
  expect(summary.windowOpen).toBe(false);
  expect((await campaignSummary(shop, campaignId, new Date(+SEND + 2 * DAY)))!.windowOpen).toBe(true);
});

it("nets refunds out of revenue", async () => {
  const refunded = await db.message.findFirst({ where: { shop, sourceId: campaignId, customerShopifyId: (await db.order.findFirstOrThrow({ where: { shop, shopifyId: (await db.refund.findFirstOrThrow({ where: { shop } })).orderShopifyId } })).customerShopifyId! } });
  const summary = (await campaignSummary(shop, campaignId, AFTER))!;
  const group = refunded!.holdout ? summary.result.holdout : summary.result.contacted;
  expect(group.revenueMinor % 5000).toBe(3000); // every window order is $50.00 but one kept $30.00
});

it("exports exactly the report's figures as CSV", async () => {
  const rows = await resultsOverview(shop, AFTER);
  expect(rows.map((row) => row.id)).toEqual([campaignId]);
  const csv = summariesCsv(rows);
  const [header, line] = csv.trimEnd().split("\r\n");
  expect(header.split(",")).toEqual([...CSV_COLUMNS]);
  const values = line.split(",");
  expect(values).toEqual(summaryValues(rows[0]));
  const get = (column: (typeof CSV_COLUMNS)[number]) => values[CSV_COLUMNS.indexOf(column)];
  expect(Number(get("incremental_revenue"))).toBeCloseTo(rows[0].result.incrementalRevenue!.estimate / 100, 2);
  expect(Number(get("attributed_revenue_not_incremental"))).toBe(rows[0].result.attributedRevenueMinor / 100);
  expect(Number(get("sent"))).toBe(rows[0].counts.sent);
  expect(get("name")).toBe("December");
});

it("keeps a campaign name that looks like a formula or holds commas safe in the CSV", async () => {
  const rows = await resultsOverview(shop, AFTER);
  const csv = summariesCsv([{ ...rows[0], name: '=HYPERLINK("x"), "sale"' }]);
  expect(csv.split("\r\n")[1]).toContain(`"'=HYPERLINK(""x""), ""sale"""`);
});

it("reports a flow with no messages as empty, without inventing an interval", async () => {
  const summary = await flowSummary(shop, "winBack", AFTER);
  expect(summary.counts.audience).toBe(0);
  expect(summary.result.incrementalRevenue).toBeNull();
});
