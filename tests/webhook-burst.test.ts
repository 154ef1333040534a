// A burst of 10,000 signed webhooks over HTTP, with duplicates and deliveries
// out of order, across two shops: every distinct delivery is stored once, every
// event is projected, and every member's facts match what the history says.
import db from "~/db.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload, refundPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";
import { waitForInboxDrained } from "./support/wait";
import { webhookRequest, type WebhookDelivery } from "../tools/simulator/webhooks";

const TOTAL = 10_000;
const CONCURRENCY = 32;
const shops = ["burst-a.myshopify.com", "burst-b.myshopify.com"];

let app: TestApp;
beforeAll(async () => {
  for (const shop of shops) await installTestShop(shop);
  app = await startTestApp();
});
afterAll(() => app.close());

interface Expected {
  orders: number;
  spentMinor: number;
}

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function buildBurst() {
  const next = random(42);
  const deliveries: Array<WebhookDelivery & { webhookId: string }> = [];
  const expected = new Map<string, Expected>(); // shop|customer → facts
  let orderSeq = 100_000;
  let webhookSeq = 0;
  const distinctIds = new Set<string>();

  while (deliveries.length < TOTAL) {
    const shop = shops[Math.floor(next() * shops.length)];
    const customerId = String(500_000 + Math.floor(next() * 800));
    const orderId = String(++orderSeq);
    const cents = 1_000 + Math.floor(next() * 20_000);
    const amount = (cents / 100).toFixed(2);
    const key = `${shop}|${customerId}`;
    const facts = expected.get(key) ?? { orders: 0, spentMinor: 0 };
    const createdAt = new Date(Date.UTC(2026, 0, 1) + orderSeq * 60_000).toISOString();
    const later = new Date(Date.parse(createdAt) + 3_600_000).toISOString();

    const batch: Array<WebhookDelivery & { webhookId: string }> = [];
    const add = (topic: string, body: unknown) => {
      const webhookId = `burst-${++webhookSeq}`;
      distinctIds.add(webhookId);
      batch.push({ topic, shop, body, webhookId });
    };
    add("orders/create", orderPayload({ id: orderId, customerId, subtotal: amount, createdAt }));
    const roll = next();
    if (roll < 0.1) {
      // Cancelled later: no longer counts.
      add("orders/cancelled", orderPayload({ id: orderId, customerId, subtotal: amount, createdAt, updatedAt: later, cancelledAt: later }));
    } else if (roll < 0.2) {
      const refundCents = Math.floor(cents / 4);
      add("refunds/create", refundPayload({ id: `9${orderId}`, orderId, amount: (refundCents / 100).toFixed(2) }));
      facts.orders += 1;
      facts.spentMinor += cents - refundCents;
    } else {
      add("orders/paid", orderPayload({ id: orderId, customerId, subtotal: amount, createdAt, updatedAt: later }));
      facts.orders += 1;
      facts.spentMinor += cents;
    }
    expected.set(key, facts);
    // Out of order: the later delivery first, half the time.
    if (next() < 0.5) batch.reverse();
    // Duplicates: Shopify retries the same delivery (same webhook id).
    if (next() < 0.15) batch.push({ ...batch[0] });
    deliveries.push(...batch);
  }
  deliveries.length = TOTAL;
  const stored = new Set(deliveries.map((d) => d.webhookId));
  return { deliveries, expected, distinctDeliveries: stored.size };
}

// About two minutes alone on SQLite with 2 cores; the budget leaves room for a loaded machine.
it("stores, projects and counts a burst of 10,000 webhooks exactly", { timeout: 600_000 }, async () => {
  const { deliveries, distinctDeliveries } = buildBurst();
  let cursor = 0;
  const statuses = new Map<number, number>();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (cursor < deliveries.length) {
        const delivery = deliveries[cursor++];
        const { url, init } = webhookRequest(app.url, delivery);
        const response = await fetch(url, init);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  expect(Object.fromEntries(statuses)).toEqual({ 200: TOTAL });
  await waitForInboxDrained({ timeoutMs: 540_000 });

  // Facts as the truncated burst defines them: recompute expectations from what was actually sent.
  const sent = new Map<string, { created?: unknown; final?: { cancelled: boolean; refundMinor: number; cents: number } }>();
  for (const delivery of deliveries) {
    const body = delivery.body as { admin_graphql_api_id?: string; order_id?: number; cancelled_at?: string | null; subtotal_price_set?: { shop_money: { amount: string } }; customer?: { id: number }; refund_line_items?: Array<{ subtotal_set: { shop_money: { amount: string } } }> };
    const orderId = delivery.topic === "refunds/create" ? String(body.order_id) : body.admin_graphql_api_id!.split("/").pop()!;
    const entry = sent.get(`${delivery.shop}|${orderId}`) ?? {};
    const state = entry.final ?? { cancelled: false, refundMinor: 0, cents: 0 };
    if (delivery.topic === "refunds/create") state.refundMinor = Math.round(Number(body.refund_line_items![0].subtotal_set.shop_money.amount) * 100);
    else {
      state.cents = Math.round(Number(body.subtotal_price_set!.shop_money.amount) * 100);
      if (body.cancelled_at) state.cancelled = true;
      entry.created = body.customer?.id;
    }
    entry.final = state;
    sent.set(`${delivery.shop}|${orderId}`, entry);
  }
  const facts = new Map<string, Expected>();
  let expectedOrders = 0;
  for (const [key, entry] of sent) {
    if (entry.created === undefined) continue; // only the refund made it into the burst
    expectedOrders++;
    const [shop] = key.split("|");
    const memberKey = `${shop}|${entry.created}`;
    const f = facts.get(memberKey) ?? { orders: 0, spentMinor: 0 };
    const net = entry.final!.cancelled ? 0 : Math.max(0, entry.final!.cents - entry.final!.refundMinor);
    if (net > 0) {
      f.orders++;
      f.spentMinor += net;
    }
    facts.set(memberKey, f);
  }

  expect(await db.inboxEvent.count()).toBeGreaterThanOrEqual(distinctDeliveries);
  expect(await db.inboxEvent.count({ where: { webhookId: { startsWith: "burst-" } } })).toBe(distinctDeliveries);
  expect(await db.inboxEvent.count({ where: { webhookId: { startsWith: "burst-" }, status: { notIn: ["done", "skipped"] } } })).toBe(0);
  expect(await db.order.count({ where: { shop: { in: shops } } })).toBe(expectedOrders);

  const members = await db.customer.findMany({ where: { shop: { in: shops } }, select: { shop: true, shopifyId: true, orderCount: true, netSpentMinor: true } });
  expect(members).toHaveLength(facts.size);
  const mismatches = members.filter((m) => {
    const f = facts.get(`${m.shop}|${m.shopifyId}`);
    return !f || f.orders !== m.orderCount || f.spentMinor !== m.netSpentMinor;
  });
  expect(mismatches).toEqual([]);
  const totalSpent = members.reduce((sum, m) => sum + m.netSpentMinor, 0);
  expect(totalSpent).toBe([...facts.values()].reduce((sum, f) => sum + f.spentMinor, 0));
});
