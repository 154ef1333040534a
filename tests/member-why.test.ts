// Why a member is in their tier, the amount the Members list shows, and the
// tier preview's separation (issue 20), on the real database (SQLite or
// PostgreSQL) from orders delivered as webhooks. Every expected figure below is
// worked out by hand from the orders this file sends (what Shopify's reports
// would count: no test order, no cancelled order, refunds taken off), never by
// calling the code under test.
import { listMembers, memberTimeline } from "~/models/members.server";
import { recordStaffMember } from "~/models/staff-members.server";
import { saveShopSettings } from "~/models/shops.server";
import { memberStanding, qualifyingWindowOf } from "~/services/member-page.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { previewProgram } from "~/services/tier-preview.server";
import { pinMember, saveProgram, sweepShop } from "~/services/tiers.server";
import type { TierProgram, TierRule } from "~/domain/tiers";
import db from "~/db.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload, refundPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "member-why.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const placedAt = new Date("2026-10-10T12:00:00Z");
const sweptAt = new Date("2026-10-21T00:05:00Z");
const now = new Date("2026-10-22T12:00:00Z");

const perks = (discountPercent: number): TierRule["perks"] => ({ discountPercent, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] });
const tier = (handle: string, rank: number, dollars: number | null, en: string, zh: string): TierRule => ({
  handle, rank, name: { en, "zh-CN": zh }, minNetSpendMinor: dollars === null ? null : dollars * 100, minOrders: null, qualifyBy: "either", entryGift: null, perks: perks(rank * 2),
});
const program = ({ gold = 300, platinum = 600 } = {}): Omit<TierProgram, "timeZone"> => ({
  tiers: [tier("member", 1, null, "Member", "会员"), tier("silver", 2, 100, "Silver", "银卡"), tier("gold", 3, gold, "Gold", "金卡"), tier("platinum", 4, platinum, "Platinum", "白金卡")],
  window: { kind: "rolling", months: 12 },
  graceDays: 14,
});

let app: TestApp;
async function order(id: string, customerId: string, subtotal: string, createdAt: string, names: [string, string], extra: Record<string, unknown> = {}) {
  const body = orderPayload({ id, customerId, subtotal, createdAt, firstName: names[0], lastName: names[1], ...extra });
  await projectInboxEvent({ shop, topic: "orders/create", body: JSON.stringify(body) }, placedAt);
}

beforeAll(async () => {
  await installShop(shop);
  await saveShopSettings(shop, { name: "Member Why", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, placedAt);
  await order("9301", "301", "700.00", "2026-09-01T12:00:00Z", ["Ava", "Lopez"]); // platinum, stays
  await order("9302", "302", "400.00", "2025-10-20T12:00:00Z", ["Bo", "Chen"]); // leaves the window on 20 October 2026
  await order("9312", "302", "350.00", "2026-08-01T12:00:00Z", ["Bo", "Chen"]); // Bo: 750 → platinum, then 350 → gold, warned
  await order("9303", "303", "120.00", "2025-10-15T12:00:00Z", ["Cy", "Park"]); // Cy: silver, then nothing left → member, warned
  await order("9304", "304", "250.00", "2026-09-01T12:00:00Z", ["Dee", "Okoro"]); // Dee: silver (250 < 300)
  await order("9305", "305", "400.00", "2026-09-01T12:00:00Z", ["Eli", "Ward"]); // Eli: gold
  // Fay, the member whose page is read: 400 + (350 − 50 refunded); a test order and a cancelled one count for nothing.
  await order("9306", "306", "400.00", "2025-11-01T12:00:00Z", ["Fay", "Liu"]);
  await order("9316", "306", "350.00", "2026-08-01T12:00:00Z", ["Fay", "Liu"]);
  await projectInboxEvent({ shop, topic: "refunds/create", body: JSON.stringify(refundPayload({ id: "9916", orderId: "9316", amount: "50.00", createdAt: "2026-08-05T12:00:00Z" })) }, placedAt);
  await order("9326", "306", "999.00", "2026-09-15T12:00:00Z", ["Fay", "Liu"], { test: true });
  await order("9336", "306", "80.00", "2026-09-20T12:00:00Z", ["Fay", "Liu"], { cancelledAt: "2026-09-21T12:00:00Z", cancelReason: "customer" });
  await saveProgram(shop, program(), "now", placedAt);
  await sweepShop(shop, sweptAt);
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const tierOf = async (customer: string) => db.memberTier.findUniqueOrThrow({ where: { shop_customerShopifyId: { shop, customerShopifyId: customer } } });

it("holds the fixture the tests below reason about: Bo and Cy under review, the others where their spend puts them", async () => {
  expect(await tierOf("302")).toMatchObject({ tierHandle: "platinum" });
  expect((await tierOf("302")).downgradeOn).not.toBeNull();
  expect((await tierOf("303")).downgradeOn).not.toBeNull();
  expect(await Promise.all(["301", "304", "305", "306"].map(async (id) => (await tierOf(id)).tierHandle))).toEqual(["platinum", "silver", "gold", "platinum"]);
});

it("lists each member with the spend their tier is decided on (the last 12 months), not lifetime spend", async () => {
  const { window } = await qualifyingWindowOf(shop, now);
  const { members, total } = await listMembers(shop, {}, window);
  expect(total).toBe(6);
  const row = (id: string) => members.find((member) => member.shopifyId === id)!;
  // Bo: 750 lifetime, but his first order left the 12 months on 20 October.
  expect(row("302")).toMatchObject({ qualifyingSpendMinor: 35_000, qualifyingOrders: 1, netSpentMinor: 75_000, tierHandle: "platinum" });
  // Fay: 400 + 300 (refund taken off); the test order and the cancelled one count for nothing.
  expect(row("306")).toMatchObject({ qualifyingSpendMinor: 70_000, qualifyingOrders: 2 });
  expect(row("303")).toMatchObject({ qualifyingSpendMinor: 0, qualifyingOrders: 0 });
  // Sorted by that amount, highest first; Ava and Fay both count 700, Fay in two orders to Ava's one.
  expect(members.map((member) => member.shopifyId)).toEqual(["306", "301", "305", "302", "304", "303"]);
  const ascending = await listMembers(shop, { sort: "qualifying", direction: "asc", pageSize: 2, page: 2 }, window);
  expect(ascending.members.map((member) => member.shopifyId)).toEqual(["302", "305"]);
  expect((await listMembers(shop, { view: "underReview" }, window)).members.map((member) => member.shopifyId).sort()).toEqual(["302", "303"]);
  expect((await listMembers(shop, { tier: "platinum", query: "fay" }, window)).members.map((member) => member.shopifyId)).toEqual(["306"]);
});

it("answers why Fay is Platinum: her window's figures against every threshold, the next review, and what keeps the tier", async () => {
  const standing = (await memberStanding(shop, "306", now))!;
  expect(standing.totals).toMatchObject({ netSpendMinor: 70_000, orders: 2 });
  expect(standing.ladder.map((step) => [step.tier.handle, step.met, step.spendShortMinor])).toEqual([
    ["member", true, null],
    ["silver", true, null],
    ["gold", true, null],
    ["platinum", true, null],
  ]);
  // Her 400 order of 1 November 2025 leaves the window on 1 November 2026: 300 would be left, 300 short of 600.
  expect(standing.nextReview?.toISOString()).toBe("2026-11-01T12:00:00.000Z");
  expect(standing.keep).toMatchObject({ tier: { handle: "platinum" }, by: "2026-11-01", spendMinor: 30_000, orders: null, underReview: false });
  expect(standing.reach).toBeNull();
});

it("answers why Bo is still Platinum: under review, with what keeps it by the announced day and what his spend reaches", async () => {
  const standing = (await memberStanding(shop, "302", now))!;
  expect(standing.totals).toMatchObject({ netSpendMinor: 35_000, orders: 1 });
  expect(standing.qualified.handle).toBe("gold");
  expect(standing.ladder.find((step) => step.tier.handle === "platinum")).toMatchObject({ met: false, spendShortMinor: 25_000, current: true });
  // Warned at the sweep of 21 October: 14 days of grace, through 4 November.
  expect(standing.keep).toMatchObject({ by: "2026-11-04", spendMinor: 25_000, underReview: true });
  expect(standing.nextReview?.toISOString()).toBe("2026-11-05T00:00:00.000Z");
});

it("answers what reaches the next tier for Dee: 50 more to Gold", async () => {
  const standing = (await memberStanding(shop, "304", now))!;
  expect(standing.reach).toMatchObject({ tier: { handle: "gold" }, spendMinor: 5_000, orders: null });
});

it("blames a threshold edit only for the moves it causes, by name; members under review are listed apart", async () => {
  // Lowering Gold to 200 moves Dee up. Bo (Platinum → Gold) and Cy (Silver → Member) move whatever the edit.
  const lowered = await previewProgram(shop, program({ gold: 200 }), now);
  expect(lowered).toMatchObject({ movingUp: 1, movingDown: 0, keeping: 0, pending: 2 });
  expect(lowered.samplesUp).toEqual([{ customerShopifyId: "304", name: "Dee Okoro", from: "silver", to: "gold" }]);
  expect(lowered.samplesPending.map((move) => [move.name, move.from, move.to])).toEqual([
    ["Bo Chen", "platinum", "gold"],
    ["Cy Park", "silver", "member"],
  ]);
  expect(lowered.samplesPending[0].downgradeOn).toBe("2026-11-05T00:00:00.000Z");

  // Lowering Platinum to 350 is what keeps Bo Platinum: the edit cancels his move down.
  const kept = await previewProgram(shop, program({ platinum: 350 }), now);
  expect(kept).toMatchObject({ movingUp: 1, movingDown: 0, keeping: 1, pending: 1 });
  expect(kept.samplesKeeping).toEqual([{ customerShopifyId: "302", name: "Bo Chen", from: "platinum", to: "platinum", cancelled: "gold" }]);
  // Eli's 400 now reaches Platinum: the edit's own move up.
  expect(kept.samplesUp.map((move) => [move.name, move.to])).toEqual([["Eli Ward", "platinum"]]);

  // Raising Gold to 450 moves Eli down (after a warning), and takes Bo further down than his review would:
  // both are the edit's doing; only Cy's move is under way regardless.
  const raised = await previewProgram(shop, program({ gold: 450 }), now);
  expect(raised).toMatchObject({ movingUp: 0, movingDown: 2, pending: 1 });
  expect(raised.samplesDown).toEqual([
    { customerShopifyId: "302", name: "Bo Chen", from: "platinum", to: "silver" },
    { customerShopifyId: "305", name: "Eli Ward", from: "gold", to: "silver" },
  ]);
  // Nothing saved by a preview.
  expect((await tierOf("304")).tierHandle).toBe("silver");
});

it("names staff on the member page's data: the tier pin's author and the timeline, by the name Shopify gave", async () => {
  await recordStaffMember(shop, { id: 7, first_name: "Priya", last_name: "Natarajan" }, now);
  await pinMember(shop, "301", { handle: "platinum", until: new Date("2027-01-31T00:00:00Z"), reason: "Flagship customer", actor: "staff 7" }, now);
  const response = await fetch(`${app.url}/app/members/301?_data=${encodeURIComponent("routes/app.members.$id")}`, { headers: { Authorization: `Bearer ${sessionToken(shop, { userId: "7" })}`, "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  const data = (await response.json()) as { staffNames: Record<string, string>; tier: { pinnedBy: string }; standing: { totals: { netSpendMinor: number } } };
  expect(data.tier.pinnedBy).toBe("staff 7");
  expect(data.staffNames).toEqual({ "7": "Priya Natarajan" });
  expect(data.standing.totals.netSpendMinor).toBe(70_000);
});

it("puts the member's care messages and follow-ups in their timeline, with the staff member's id for the page to name", async () => {
  const base = { shop, customerShopifyId: "306", messageClass: "marketing", priority: 5, createdAt: now, updatedAt: now };
  await db.message.create({ data: { ...base, idempotencyKey: "why-msg-1", source: "flow", sourceId: "replenishment", step: "reminder", channel: "email", plannedAt: new Date("2026-10-15T09:00:00Z"), availableAt: now, expiresAt: now, status: "sent", sentAt: new Date("2026-10-15T09:05:00Z") } });
  await db.message.create({ data: { ...base, idempotencyKey: "why-msg-2", source: "flow", sourceId: "winBack", step: "first", channel: "sms", plannedAt: new Date("2026-10-18T09:00:00Z"), availableAt: now, expiresAt: now, status: "blocked" } });
  await db.followUpTask.create({ data: { shop, customerShopifyId: "306", reason: "highValueAtRisk", priority: 1, dueOn: "2026-10-19", status: "done", outcome: "reached", completedBy: "7", completedAt: new Date("2026-10-19T15:00:00Z"), createdAt: new Date("2026-10-19T06:00:00Z"), updatedAt: now } });
  const timeline = await memberTimeline(shop, "306");
  const of = (kind: string) => timeline.filter((entry) => entry.kind === kind).map((entry) => [entry.at.toISOString(), entry.detail]);
  expect(of("message")).toEqual([
    ["2026-10-18T09:00:00.000Z", expect.objectContaining({ source: "flow", flow: "winBack", channel: "sms", status: "blocked" })],
    ["2026-10-15T09:05:00.000Z", expect.objectContaining({ source: "flow", flow: "replenishment", channel: "email", status: "sent" })],
  ]);
  expect(of("followUp")).toEqual([["2026-10-19T06:00:00.000Z", { reason: "highValueAtRisk", staffId: null }]]);
  expect(of("followUpDone")).toEqual([["2026-10-19T15:00:00.000Z", { reason: "highValueAtRisk", outcome: "reached", staffId: "7" }]]);
  // Newest first, with the orders.
  expect(timeline.map((entry) => entry.at.getTime())).toEqual([...timeline.map((entry) => entry.at.getTime())].sort((a, b) => b - a));
});
