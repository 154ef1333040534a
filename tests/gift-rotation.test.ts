// Gifts in parcels (issue 10) on the real database and the store simulator:
// over many orders of one customer the rotation never gives a gift twice in a
// row nor inside the no-repeat period; the Shopify order carries the packing
// note (the merchant's own note kept) and the gift tag; a redelivered webhook
// gives nothing twice and writes no second note; a staff gift and a birthday
// gift go into the next parcel.
import db from "~/db.server";
import { createGift } from "~/models/gifts.server";
import { memberTimeline } from "~/models/members.server";
import { collectCustomerData, deleteShopData, redactCustomer } from "~/models/privacy.server";
import { saveShopSettings } from "~/models/shops.server";
import { createAdminClient } from "~/services/admin-client.server";
import { ManualClock } from "~/services/clock.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveProgram } from "~/services/tiers.server";
import type { TierRule } from "~/domain/tiers";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { orderPayload } from "./support/payloads";

const DAY = 86_400_000;
const clock = new ManualClock(new Date("2026-01-05T15:00:00Z"));
let simulator: StoreSimulator;
let unroute: () => void;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime(), bucketSize: 2000, restoreRate: 100 });
  unroute = installShopRouting(simulator.url);
});
afterAll(async () => {
  unroute();
  await simulator.close();
});

async function seedShop(domain: string, rewardSettings: unknown) {
  const simShop = simulator.addShop({ shop: domain, accessToken: `shpat_${domain}` });
  await saveShopSettings(domain, { name: domain, ianaTimezone: "Europe/Paris", currencyCode: "EUR", primaryLocale: "en", scopes: null }, clock.now());
  await db.shop.update({ where: { shop: domain }, data: { rewardSettings: JSON.stringify(rewardSettings) } });
  const client = createAdminClient({ shop: domain, accessToken: simShop.accessToken, apiVersion: "2026-10" });
  return { adminFor: async () => client };
}

/** An order placed in the simulator at `at`, and its orders/create webhook projected by the app. */
async function placeOrder(domain: string, customerId: string, at: Date, note: string | null = null, subtotal = "50.00") {
  clock.advance(at.getTime() - clock.now().getTime());
  const order = simulator.state.addOrder(domain, { customerId, createdAt: at.toISOString(), note });
  // The capture is a test order; these are real ones.
  const body = JSON.stringify({ ...orderPayload({ id: order.id, customerId, createdAt: at.toISOString(), subtotal }), test: false });
  await projectInboxEvent({ shop: domain, topic: "orders/create", body }, at);
  return { order, body };
}

const givenTo = (shop: string, customerShopifyId: string) => db.giftGiven.findMany({ where: { shop, customerShopifyId }, orderBy: { givenAt: "asc" } });

describe("gift rotation on orders", () => {
  it("never repeats a gift in a row nor inside the no-repeat period, and each order carries its packing note", async () => {
    const shop = "rotation.myshopify.com";
    const { adminFor } = await seedShop(shop, { gifts: { noRepeatDays: 60, surpriseEveryOrders: 1 } });
    const names = ["Tote bag", "Tea sampler", "Hand cream", "Notebook"];
    for (const name of names) await createGift(shop, { name, sku: `SKU-${name.length}`, kinds: ["surprise"], tierHandles: [], costMinor: 300, active: true }, clock.now());
    // A gift for another purpose never goes in as a surprise.
    await createGift(shop, { name: "Birthday candle", sku: null, kinds: ["birthday"], tierHandles: [], costMinor: 200, active: true }, clock.now());
    const customer = simulator.state.addCustomer(shop, { email: "regular@example.com" });

    // 24 orders, 9 days apart (every one due a surprise): more often than four gifts can go round in 60 days.
    const orders: Array<{ id: string }> = [];
    const start = new Date("2026-01-05T15:00:00Z").getTime();
    for (let i = 0; i < 24; i++) {
      orders.push((await placeOrder(shop, customer.id, new Date(start + i * 9 * DAY), i === 0 ? "Leave at the door" : null)).order);
      await drainOutbox({ adminFor, clock });
    }

    const given = await givenTo(shop, customer.id);
    expect(given.length).toBeGreaterThanOrEqual(12);
    expect(new Set(given.map((row) => row.giftName))).toEqual(new Set(names));
    for (let i = 0; i < given.length; i++) {
      expect(given[i].reason).toBe("surprise");
      if (i > 0) expect(given[i].giftId).not.toBe(given[i - 1].giftId);
      for (let j = 0; j < i; j++) {
        if (given[j].giftId === given[i].giftId) expect(given[i].givenAt.getTime() - given[j].givenAt.getTime()).toBeGreaterThanOrEqual(60 * DAY);
      }
    }
    // The first four orders get the four gifts in the merchant's order; the fifth (day 36) finds all given within 60 days.
    expect(given.slice(0, 4).map((row) => row.giftName)).toEqual(names);
    expect(given.filter((row) => row.orderShopifyId === orders[4].id)).toEqual([]);

    // Every gift's order carries its line and the tag; the merchant's note is kept; nothing waits.
    for (const row of given) {
      const order = simulator.state.shop(shop).orders.get(row.orderShopifyId)!;
      expect(order.note).toContain(`MemberCare gift to pack: ${row.giftName} · SKU SKU-${row.giftName.length} (surprise gift)`);
      expect(order.tags).toContain("MemberCare gift");
      expect(row.noteWrittenAt).not.toBeNull();
    }
    expect(simulator.state.shop(shop).orders.get(orders[0].id)!.note).toBe("Leave at the door\nMemberCare gift to pack: Tote bag · SKU SKU-8 (surprise gift)");
    expect(simulator.state.shop(shop).orders.get(orders[4].id)!.note).toBeNull();
  });

  it("gives nothing twice when the webhook is delivered again or the order is updated", async () => {
    const shop = "redelivery.myshopify.com";
    const { adminFor } = await seedShop(shop, { gifts: { noRepeatDays: 180, surpriseEveryOrders: 1 } });
    await createGift(shop, { name: "Tote bag", sku: null, kinds: [], tierHandles: [], costMinor: 300, active: true }, clock.now());
    await createGift(shop, { name: "Tea sampler", sku: null, kinds: [], tierHandles: [], costMinor: 300, active: true }, clock.now());
    const customer = simulator.state.addCustomer(shop, { email: "twice@example.com" });
    const at = new Date("2026-03-02T10:00:00Z");
    const { order, body } = await placeOrder(shop, customer.id, at);
    await drainOutbox({ adminFor, clock });
    const writes = () => simulator.requests.filter((request) => request.shop === shop && request.operationName === "UpdateOrderNote").length;
    expect(writes()).toBe(1);

    // The same delivery again, then an orders/updated an hour later.
    await projectInboxEvent({ shop, topic: "orders/create", body }, at);
    const updated = JSON.stringify({ ...orderPayload({ id: order.id, customerId: customer.id, createdAt: at.toISOString(), updatedAt: new Date(at.getTime() + 3_600_000).toISOString() }), test: false });
    await projectInboxEvent({ shop, topic: "orders/updated", body: updated }, new Date(at.getTime() + 3_600_000));
    await drainOutbox({ adminFor, clock });

    const given = await givenTo(shop, customer.id);
    expect(given.map((row) => row.giftName)).toEqual(["Tote bag"]);
    const note = simulator.state.shop(shop).orders.get(order.id)!.note!;
    expect(note.match(/MemberCare gift to pack/g)).toHaveLength(1);
    expect(writes()).toBe(1);
  });

  it("puts a staff gift and a birthday gift into the next parcel, once", async () => {
    const shop = "personal.myshopify.com";
    const { adminFor } = await seedShop(shop, {});
    const candle = await createGift(shop, { name: "Birthday candle", sku: "CANDLE", kinds: ["birthday"], tierHandles: [], costMinor: 200, active: true }, clock.now());
    const scarf = await createGift(shop, { name: "Silk scarf", sku: "SCARF", kinds: ["entry"], tierHandles: [], costMinor: 900, active: true }, clock.now());
    const customer = simulator.state.addCustomer(shop, { email: "birthday@example.com" });
    // A first order before anything is due: no gift.
    await placeOrder(shop, customer.id, new Date("2026-04-01T10:00:00Z"));
    expect(await givenTo(shop, customer.id)).toEqual([]);

    const now = clock.now();
    await db.customerFile.create({ data: { shop, customerShopifyId: customer.id, birthday: "05-20", updatedAt: now, createdAt: now } as never });
    const reward = await db.reward.create({
      data: { shop, customerShopifyId: customer.id, kind: "gift", issuedBy: "staff-1", reason: "Apology for a late parcel", giftId: scarf.id, costMinor: 900, currencyCode: "EUR", createdAt: now, updatedAt: now },
    });
    const { order, body: orderBody } = await placeOrder(shop, customer.id, new Date("2026-05-03T10:00:00Z"));
    await drainOutbox({ adminFor, clock });
    // A second order in May: the birthday gift went already this year, the staff gift is issued.
    await placeOrder(shop, customer.id, new Date("2026-05-25T10:00:00Z"));
    await drainOutbox({ adminFor, clock });

    const given = await givenTo(shop, customer.id);
    expect(given.map((row) => [row.orderShopifyId, row.reason, row.giftId])).toEqual(
      expect.arrayContaining([
        [order.id, "staff", scarf.id],
        [order.id, "birthday", candle.id],
      ]),
    );
    expect(given).toHaveLength(2);
    expect((await db.reward.findUniqueOrThrow({ where: { id: reward.id } })).status).toBe("issued");
    const note = simulator.state.shop(shop).orders.get(order.id)!.note!;
    expect(note).toContain("MemberCare gift to pack: Silk scarf · SKU SCARF (from staff)");
    expect(note).toContain("MemberCare gift to pack: Birthday candle · SKU CANDLE (birthday gift)");
    // The member's timeline shows both, with the order they went with.
    const timeline = (await memberTimeline(shop, customer.id)).filter((entry) => entry.kind.startsWith("gift"));
    expect(timeline.map((entry) => [entry.kind, entry.detail.gift]).sort()).toEqual([
      ["giftBirthday", "Birthday candle"],
      ["giftStaff", "Silk scarf"],
    ]);
    expect(timeline[0].detail.order).toBe((JSON.parse(orderBody) as { name: string }).name);

    // A data request exports them; customers/redact erases them; shop/redact the gift list too.
    expect((await collectCustomerData(shop, customer.id, [])).gifts.map((row) => row.giftName).sort()).toEqual(["Birthday candle", "Silk scarf"]);
    await redactCustomer(shop, customer.id, [], clock.now());
    expect(await givenTo(shop, customer.id)).toEqual([]);
    await deleteShopData(shop);
    expect(await db.gift.count({ where: { shop } })).toBe(0);
  });

  it("puts the new tier's entry gift into the order that reached it, not the first placement's", async () => {
    const shop = "entry.myshopify.com";
    const { adminFor } = await seedShop(shop, {});
    const tier = (handle: string, rank: number, minNetSpendMinor: number | null): TierRule => ({
      handle,
      rank,
      name: { en: handle, "zh-CN": handle },
      minNetSpendMinor,
      minOrders: null,
      qualifyBy: "either",
      entryGift: null,
      perks: { discountPercent: 0, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] },
    });
    await saveProgram(shop, { tiers: [tier("member", 1, null), tier("silver", 2, 10_000), tier("gold", 3, 50_000)], window: { kind: "lifetime" }, graceDays: 14 }, "now", clock.now());
    await createGift(shop, { name: "Gold pin", sku: null, kinds: ["entry"], tierHandles: ["gold"], costMinor: 500, active: true }, clock.now());
    await createGift(shop, { name: "Silver spoon", sku: null, kinds: ["entry"], tierHandles: ["silver"], costMinor: 300, active: true }, clock.now());
    const customer = simulator.state.addCustomer(shop, { email: "climber@example.com" });

    await placeOrder(shop, customer.id, new Date("2026-06-01T10:00:00Z"), null, "50.00");
    await drainOutbox({ adminFor, clock });
    expect(await givenTo(shop, customer.id)).toEqual([]);
    const { order } = await placeOrder(shop, customer.id, new Date("2026-06-10T10:00:00Z"), null, "80.00");
    await drainOutbox({ adminFor, clock });

    const given = await givenTo(shop, customer.id);
    expect(given.map((row) => [row.orderShopifyId, row.reason, row.giftName])).toEqual([[order.id, "entry", "Silver spoon"]]);
    expect(simulator.state.shop(shop).orders.get(order.id)!.note).toBe("MemberCare gift to pack: Silver spoon (tier entry gift)");
  });

  it("takes a cancelled order's gifts back, so the next order carries them", async () => {
    const shop = "cancelled.myshopify.com";
    const { adminFor } = await seedShop(shop, {});
    const scarf = await createGift(shop, { name: "Silk scarf", sku: null, kinds: [], tierHandles: [], costMinor: 900, active: true }, clock.now());
    const customer = simulator.state.addCustomer(shop, { email: "changed-mind@example.com" });
    const now = clock.now();
    const reward = await db.reward.create({ data: { shop, customerShopifyId: customer.id, kind: "gift", issuedBy: "staff-1", reason: "Loyal for ten years", giftId: scarf.id, costMinor: 900, currencyCode: "EUR", createdAt: now, updatedAt: now } });
    const first = await placeOrder(shop, customer.id, new Date("2026-07-01T10:00:00Z"));
    await drainOutbox({ adminFor, clock });
    expect((await givenTo(shop, customer.id)).map((row) => row.orderShopifyId)).toEqual([first.order.id]);

    // The customer cancels before it is packed.
    const cancelledAt = "2026-07-01T12:00:00Z";
    const cancelled = { ...orderPayload({ id: first.order.id, customerId: customer.id, createdAt: "2026-07-01T10:00:00Z", updatedAt: cancelledAt, cancelledAt }), test: false };
    await projectInboxEvent({ shop, topic: "orders/cancelled", body: JSON.stringify(cancelled) }, new Date(cancelledAt));
    expect(await givenTo(shop, customer.id)).toEqual([]);
    expect((await db.reward.findUniqueOrThrow({ where: { id: reward.id } })).status).toBe("pending");

    const second = await placeOrder(shop, customer.id, new Date("2026-07-03T10:00:00Z"));
    await drainOutbox({ adminFor, clock });
    expect((await givenTo(shop, customer.id)).map((row) => [row.orderShopifyId, row.reason])).toEqual([[second.order.id, "staff"]]);
    expect((await db.reward.findUniqueOrThrow({ where: { id: reward.id } })).status).toBe("issued");
    expect(simulator.state.shop(shop).orders.get(second.order.id)!.note).toBe("MemberCare gift to pack: Silk scarf (from staff)");
  });
});
