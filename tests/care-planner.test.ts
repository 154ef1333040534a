// The care planner on the real database (SQLite and PostgreSQL): a delivery
// plans the post-delivery steps at their local times once (a second pass adds
// nothing), a cancellation cancels them, a reorder cancels the replenishment
// reminder, a tier upgrade plans the congratulations with the tier's gift, an
// untracked parcel counts as delivered after the care settings' days, holdout
// rows are kept back and never sent, a disabled flow plans nothing, a
// downgrade warning is cancelled once the downgrade is off; and end to
// end, the planner then the dispatcher deliver the rendered message in the
// customer's language through a recording channel.
import db from "~/db.server";
import { isHeldOut } from "~/domain/results/holdout";
import type { Channel } from "~/domain/care/types";
import { getFlowSettings, saveFlowSettings } from "~/models/care-flows.server";
import { saveShopSettings } from "~/models/shops.server";
import { saveTierProgram } from "~/models/tiers.server";
import { starterProgram } from "~/domain/tiers";
import { planCare } from "~/services/care-planner.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "~/services/channels/types";
import { dispatchAllDue } from "~/services/dispatcher.server";
import { ledgerColumns } from "./support/ledger";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2 March 2026, 06:00 UTC: 14:00 in Shanghai.
const T0 = new Date("2026-03-02T06:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

/** Records what it is given for one shop (the dispatcher serves every shop, and earlier tests' shops have messages due too). */
class RecordingChannel implements ChannelSender {
  sent: OutgoingMessage[] = [];
  constructor(private readonly shop: string | null = null) {}
  async send(message: OutgoingMessage): Promise<SendResult> {
    if (this.shop === null || message.shop === this.shop) this.sent.push(message);
    return { status: "accepted", providerMessageId: `p-${message.idempotencyKey}` };
  }
}

let counter = 0;
async function newShop(flows: Record<string, Record<string, unknown>>, locale = "en") {
  const shop = `planner-${++counter}.myshopify.com`;
  await saveShopSettings(shop, { name: "Tea House", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", primaryLocale: locale, scopes: null }, T0);
  for (const [flow, config] of Object.entries(flows)) {
    const result = await saveFlowSettings(shop, flow as never, { enabled: true, holdoutPercent: 0, ...config }, "staff-1", T0);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
  }
  return shop;
}

async function customer(shop: string, id: string, fields: Record<string, unknown> = {}) {
  await db.customer.create({
    data: { shop, shopifyId: id, firstName: "Li", email: `c${id}@example.com`, emailConsentState: "SUBSCRIBED", timeZone: "Asia/Shanghai", locale: "en", ...fields },
  });
}

async function order(shop: string, id: string, customerId: string, at: Date, fields: Record<string, unknown> = {}) {
  await db.order.create({
    data: {
      shop,
      shopifyId: id,
      customerShopifyId: customerId,
      name: `#${id}`,
      shopifyCreatedAt: at,
      processedAt: at,
      shopifyUpdatedAt: at,
      currencyCode: "CNY",
      subtotalMinor: 10_000,
      totalMinor: 10_000,
      totalDiscountsMinor: 0,
      lines: { create: [{ shop, shopifyId: `${id}-1`, title: "Oolong tea", quantity: 1, unitPriceMinor: 10_000 }] },
      ...ledgerColumns({ subtotalMinor: 10_000, cancelledAt: (fields.cancelledAt as Date | undefined) ?? null, test: fields.test as boolean | undefined }),
      ...fields,
    },
  });
}

async function delivered(shop: string, fulfillmentId: string, orderId: string, at: Date) {
  await db.fulfillment.create({
    data: { shop, shopifyId: fulfillmentId, orderShopifyId: orderId, status: "success", shipmentStatus: "delivered", trackingNumber: "SF1", trackingCompany: "SF Express", deliveredAt: at, shopifyCreatedAt: new Date(at.getTime() - 2 * DAY) },
  });
}

const messages = (shop: string) => db.message.findMany({ where: { shop }, orderBy: { plannedAt: "asc" } });

it("plans the post-delivery steps at 10:00 local on their days, once, however often it runs", async () => {
  const shop = await newShop({ postDelivery: {} });
  await customer(shop, "1");
  await order(shop, "o1", "1", later(-5 * DAY));
  await delivered(shop, "f1", "o1", T0);

  const first = await planCare(shop, later(HOUR));
  expect(first.planned).toBe(4);
  expect(await planCare(shop, later(2 * HOUR))).toMatchObject({ planned: 0 });
  const rows = await messages(shop);
  expect(rows.map((row) => [row.idempotencyKey, row.plannedAt.toISOString(), row.status, row.messageClass])).toEqual([
    ["flow:postDelivery:f1:deliveryCheck", "2026-03-03T02:00:00.000Z", "scheduled", "transactional"],
    ["flow:postDelivery:f1:usageTips", "2026-03-06T02:00:00.000Z", "scheduled", "transactional"],
    ["flow:postDelivery:f1:reviewRequest", "2026-03-14T02:00:00.000Z", "scheduled", "marketing"],
    ["flow:postDelivery:f1:experienceCheck", "2026-03-23T02:00:00.000Z", "scheduled", "transactional"],
  ]);
  expect(JSON.parse(rows[0]!.variables)).toMatchObject({ firstName: "Li", productTitle: "Oolong tea", orderName: "#o1", carrier: "SF Express" });
  expect(rows.every((row) => row.orderShopifyId === "o1" && row.fulfillmentShopifyId === "f1")).toBe(true);
});

it("plans no care for the parcel of a test order, which counts for nothing (ADR 0012)", async () => {
  const shop = await newShop({ postDelivery: {} });
  await customer(shop, "1");
  await order(shop, "o1", "1", later(-5 * DAY), { test: true });
  await delivered(shop, "f1", "o1", T0);
  await order(shop, "o2", "1", later(-4 * DAY));
  await delivered(shop, "f2", "o2", T0);
  expect(await planCare(shop, later(HOUR))).toMatchObject({ planned: 4 });
  expect(new Set((await messages(shop)).map((row) => row.orderShopifyId))).toEqual(new Set(["o2"]));
});

it("cancels an order's pending care when the order is cancelled or refunded, with the reason", async () => {
  const shop = await newShop({ postDelivery: {} });
  await customer(shop, "1");
  await order(shop, "o1", "1", later(-5 * DAY));
  await order(shop, "o2", "1", later(-5 * DAY));
  await delivered(shop, "f1", "o1", T0);
  await delivered(shop, "f2", "o2", T0);
  await planCare(shop, later(HOUR));

  await db.order.update({ where: { shop_shopifyId: { shop, shopifyId: "o1" } }, data: { cancelledAt: later(2 * DAY) } });
  await db.refund.create({ data: { shop, shopifyId: "r2", orderShopifyId: "o2", processedAt: later(2 * DAY), amountMinor: 10_000, currencyCode: "CNY" } });
  const pass = await planCare(shop, later(2 * DAY + HOUR));
  const rows = await messages(shop);
  // The delivery check of 3 March had not been sent (nothing dispatched): every step goes.
  expect(pass.cancelled).toBe(8);
  expect(new Set(rows.map((row) => `${row.orderShopifyId}:${row.status}:${row.lastReason}`))).toEqual(new Set(["o1:cancelled:orderCancelled", "o2:cancelled:orderRefunded"]));
});

it("reminds at the customer's reminder point and cancels the reminder when they reorder first", async () => {
  const shop = await newShop({ replenishment: {} });
  await customer(shop, "1", { lastOrderAt: later(-25 * DAY), reminderAt: later(12 * HOUR), lifecycleStage: "active" });
  await order(shop, "o1", "1", later(-25 * DAY));
  await planCare(shop, T0);
  const [reminder] = await messages(shop);
  expect(reminder).toMatchObject({ idempotencyKey: "flow:replenishment:1:o1:reminder", status: "scheduled", messageClass: "marketing" });

  await order(shop, "o2", "1", later(3 * HOUR));
  await planCare(shop, later(4 * HOUR));
  expect(await db.message.findUniqueOrThrow({ where: { id: reminder!.id } })).toMatchObject({ status: "cancelled", lastReason: "reordered" });
});

it("sweeps a shop with more customers due than one statement may name (SQLite binds at most 999 values)", async () => {
  const shop = await newShop({ replenishment: {} });
  const due = 1_200;
  const orderedAt = later(-25 * DAY);
  await db.customer.createMany({
    data: Array.from({ length: due }, (_, i) => ({ shop, shopifyId: String(5_000 + i), email: `r${i}@example.com`, emailConsentState: "SUBSCRIBED", timeZone: "Asia/Shanghai", lastOrderAt: orderedAt, reminderAt: later(12 * HOUR), lifecycleStage: "active" })),
  });
  await db.order.createMany({
    data: Array.from({ length: due }, (_, i) => ({ shop, shopifyId: `r${i}`, customerShopifyId: String(5_000 + i), shopifyCreatedAt: orderedAt, processedAt: orderedAt, shopifyUpdatedAt: orderedAt, currencyCode: "CNY", subtotalMinor: 10_000, totalMinor: 10_000, totalDiscountsMinor: 0, ...ledgerColumns({ subtotalMinor: 10_000 }) })),
  });
  await planCare(shop, T0);
  expect(await db.message.count({ where: { shop, sourceId: "replenishment" } })).toBe(due);
  // Not for the end-to-end tests' dispatcher, which serves every shop.
  await db.messageDecision.deleteMany({ where: { shop } });
  await db.message.deleteMany({ where: { shop } });
});

it("congratulates on a tier upgrade with the tier's name and gift, and warns before a downgrade with the amount to keep it", async () => {
  const shop = await newShop({ tierUpgrade: {}, downgradeWarning: {} }, "zh-CN");
  const program = starterProgram();
  await saveTierProgram(shop, program, T0);
  const top = [...program.tiers].sort((a, b) => b.rank - a.rank)[0]!;
  await customer(shop, "1", { locale: "zh-CN" });
  await db.memberTier.create({ data: { shop, customerShopifyId: "1", tierHandle: top.handle, since: T0, downgradeOn: new Date("2026-04-01T00:00:00Z") } });
  await db.domainEvent.create({ data: { shop, kind: "tier.upgraded", customerShopifyId: "1", payload: JSON.stringify({ to: { handle: top.handle } }), at: T0 } });
  await db.domainEvent.create({ data: { shop, kind: "tier.placed", customerShopifyId: "1", payload: "{}", at: T0 } });
  await db.domainEvent.create({
    data: { shop, kind: "tier.downgradeWarning", customerShopifyId: "1", payload: JSON.stringify({ tier: { handle: top.handle }, downgradeOn: "2026-04-01T00:00:00Z", spendToKeepMinor: 25_000, currencyCode: "CNY" }), at: T0 },
  });
  expect(await planCare(shop, later(HOUR))).toMatchObject({ planned: 2, events: 2 });
  expect(await planCare(shop, later(2 * HOUR))).toMatchObject({ planned: 0, events: 0 });
  const rows = await messages(shop);
  const upgrade = rows.find((row) => row.sourceId === "tierUpgrade")!;
  expect(upgrade.plannedAt).toEqual(T0);
  expect(JSON.parse(upgrade.variables)).toMatchObject({ tierName: top.name["zh-CN"], tierGift: top.entryGift ?? "" });
  const warningRow = rows.find((row) => row.sourceId === "downgradeWarning")!;
  const warning = JSON.parse(warningRow.variables);
  expect(warning.amountToKeepTier).toContain("250");
  expect(warning.downgradeOn).toContain("2026");
  expect(warningRow.status).toBe("scheduled");

  // The member spends enough before the warning goes: the tier sweeper clears the downgrade, and the warning is cancelled.
  await db.memberTier.update({ where: { shop_customerShopifyId: { shop, customerShopifyId: "1" } }, data: { downgradeOn: null } });
  await planCare(shop, later(3 * HOUR));
  expect(await db.message.findUniqueOrThrow({ where: { id: warningRow.id } })).toMatchObject({ status: "cancelled", lastReason: "stageLeft" });
});

it("replaces a warning still waiting when the downgrade is announced again, so the member reads one date (ADR 0011)", async () => {
  const shop = await newShop({ downgradeWarning: {} });
  const program = starterProgram();
  await saveTierProgram(shop, program, T0);
  const top = [...program.tiers].sort((a, b) => b.rank - a.rank)[0]!;
  // In Los Angeles the shop's midnight of 1 April (Shanghai) is still 31 March.
  await customer(shop, "1", { timeZone: "America/Los_Angeles" });
  await db.memberTier.create({ data: { shop, customerShopifyId: "1", tierHandle: top.handle, since: T0, downgradeOn: new Date("2026-03-31T16:00:00Z") } });
  const announce = (downgradeOn: string, at: Date) =>
    db.domainEvent.create({ data: { shop, kind: "tier.downgradeWarning", customerShopifyId: "1", payload: JSON.stringify({ tier: { handle: top.handle }, downgradeOn, spendToKeepMinor: 25_000, currencyCode: "USD" }), at } });
  await announce("2026-03-20T00:00:00Z", T0);
  await planCare(shop, later(HOUR));
  await announce("2026-03-31T16:00:00Z", later(2 * HOUR));
  await planCare(shop, later(3 * HOUR));
  const rows = await db.message.findMany({ where: { shop, sourceId: "downgradeWarning" }, orderBy: { createdAt: "asc" } });
  expect(rows.map((row) => [row.status, row.lastReason])).toEqual([
    ["cancelled", "replaced"],
    ["scheduled", "flowPlanned"],
  ]);
  // The date is the shop's (the sweep runs at its midnight), whatever the member's zone.
  expect(JSON.parse(rows[1].variables).downgradeOn).toBe("April 1, 2026");
});

it("counts an untracked parcel delivered after the care settings' days, and plans nothing for a disabled flow", async () => {
  const shop = await newShop({ postDelivery: { steps: { deliveryCheck: { enabled: true, delayDays: 1 } } } });
  await customer(shop, "1");
  await order(shop, "o1", "1", later(-10 * DAY));
  await db.fulfillment.create({ data: { shop, shopifyId: "f9", orderShopifyId: "o1", status: "success", shopifyCreatedAt: later(-7 * DAY) } });
  await planCare(shop, later(HOUR));
  const [first] = await messages(shop);
  // Shipped 23 Feb, counted delivered 2 Mar (7 days): the check is 3 March 10:00 Shanghai.
  expect(first).toMatchObject({ idempotencyKey: "flow:postDelivery:f9:deliveryCheck", plannedAt: new Date("2026-03-03T02:00:00Z") });

  const off = await newShop({});
  await customer(off, "1");
  await order(off, "o1", "1", later(-5 * DAY));
  await delivered(off, "f1", "o1", T0);
  expect(await planCare(off, later(HOUR))).toMatchObject({ planned: 0 });
  expect(await messages(off)).toEqual([]);
});

it("keeps holdout customers' messages back as heldOut, and the dispatcher never sends them", async () => {
  const shop = await newShop({ tierUpgrade: { holdoutPercent: 50 } });
  const ids = Array.from({ length: 40 }, (_, i) => String(100 + i));
  for (const id of ids) {
    await customer(shop, id);
    await db.domainEvent.create({ data: { shop, kind: "tier.upgraded", customerShopifyId: id, payload: "{}", at: T0 } });
  }
  await planCare(shop, T0);
  const rows = await messages(shop);
  const expected = ids.filter((id) => isHeldOut(shop, "flow:tierUpgrade", id, 50));
  expect(expected.length).toBeGreaterThan(5);
  expect(rows.filter((row) => row.status === "heldOut").map((row) => row.customerShopifyId).sort()).toEqual(expected.sort());

  const email = new RecordingChannel(shop);
  await dispatchAllDue(later(HOUR), { channels: { email, sms: new RecordingChannel(), flow: new RecordingChannel() } as Record<Channel, ChannelSender> });
  const sentTo = new Set(email.sent.map((message) => message.idempotencyKey.split(":")[2]));
  expect(email.sent).toHaveLength(ids.length - expected.length);
  for (const id of expected) expect(sentTo.has(id)).toBe(false);
});

it("end to end: planned, then dispatched in the customer's language with the flow's wording", async () => {
  const shop = await newShop({ postDelivery: { templates: { deliveryCheck: { "zh-CN": { subject: "{{firstName}}，{{productTitle}} 到了吗？", body: "订单 {{orderName}} 已送达。", sms: "到了吗？" } } } } });
  await customer(shop, "1", { locale: "zh-CN" });
  await order(shop, "o1", "1", later(-5 * DAY));
  await delivered(shop, "f1", "o1", T0);
  await planCare(shop, later(HOUR));

  const email = new RecordingChannel(shop);
  const channels = { email, sms: new RecordingChannel(), flow: new RecordingChannel() } as Record<Channel, ChannelSender>;
  // Before its time nothing goes; at 10:00 Shanghai on 3 March the delivery check does.
  await dispatchAllDue(later(12 * HOUR), { channels });
  expect(email.sent).toHaveLength(0);
  await dispatchAllDue(new Date("2026-03-03T02:00:00Z"), { channels });
  expect(email.sent).toHaveLength(1);
  expect(email.sent[0]).toMatchObject({ idempotencyKey: "flow:postDelivery:f1:deliveryCheck", customer: { email: "c1@example.com" }, rendered: { subject: "Li，Oolong tea 到了吗？" } });
  expect(email.sent[0]!.rendered.text).toContain("订单 #o1 已送达。");

  // Switching the step off reaches a message not yet sent: the usage tips are blocked, not sent.
  const settings = (await getFlowSettings(shop)).postDelivery.config;
  await saveFlowSettings(shop, "postDelivery", { ...settings, steps: { ...settings.steps, usageTips: { enabled: false, delayDays: 4 } } }, "staff-1", T0);
  await dispatchAllDue(new Date("2026-03-06T02:00:00Z"), { channels });
  expect(email.sent).toHaveLength(1);
  expect(await db.message.findFirstOrThrow({ where: { shop, step: "usageTips" } })).toMatchObject({ status: "blocked", lastReason: "flowOff" });
});

it("end to end: the usage tips of the product kind the order matches, in the customer's language", async () => {
  const shop = await newShop({
    postDelivery: {
      tips: [
        { match: "kettle", templates: { en: { subject: "Descale your kettle", body: "Monthly.", sms: "Descale." } } },
        { match: "oolong", templates: { en: { subject: "Brewing {{productTitle}}", body: "95°C.", sms: "95°C." }, "zh-CN": { subject: "冲泡{{productTitle}}", body: "95°C，三分钟。", sms: "95°C。" } } },
      ],
    },
  });
  await customer(shop, "1", { locale: "zh-CN" });
  await order(shop, "o1", "1", later(-5 * DAY));
  await delivered(shop, "f1", "o1", T0);
  await planCare(shop, later(HOUR));
  const tips = await db.message.findFirstOrThrow({ where: { shop, step: "usageTips" } });
  expect(JSON.parse(tips.variables)).toMatchObject({ usageTip: "oolong" });

  const email = new RecordingChannel(shop);
  await dispatchAllDue(new Date("2026-03-06T02:00:00Z"), { channels: { email, sms: new RecordingChannel(), flow: new RecordingChannel() } as Record<Channel, ChannelSender> });
  const sent = email.sent.find((message) => message.idempotencyKey === "flow:postDelivery:f1:usageTips");
  expect(sent?.rendered.subject).toBe("冲泡Oolong tea");
});
