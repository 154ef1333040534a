// The generated store looks like a real shop's: skewed buyers, repeat orders at
// each customer's cadence, consumables, regions and consent, shipments in trouble.
import { generateStore } from "./store-generator";
import { storeWebhooks } from "./store-events";

const end = new Date("2026-11-20T00:00:00Z");
const start = new Date(end.getTime() - 730 * 86_400_000);
const store = generateStore({ customers: 1000, seed: 3, start, end });

it("is the same store for the same seed, and another for another", () => {
  expect(generateStore({ customers: 1000, seed: 3, start, end })).toEqual(store);
  expect(generateStore({ customers: 1000, seed: 4, start, end }).orders.length).not.toBe(store.orders.length);
});

it("has a few heavy buyers who bring a large share of revenue, and many who buy once", () => {
  const spend = new Map<string, number>();
  for (const order of store.orders) spend.set(order.customerId, (spend.get(order.customerId) ?? 0) + order.subtotalMinor);
  const ranked = [...spend.values()].sort((a, b) => b - a);
  const total = ranked.reduce((sum, value) => sum + value, 0);
  const topTenth = ranked.slice(0, Math.ceil(ranked.length / 10)).reduce((sum, value) => sum + value, 0);
  expect(topTenth / total).toBeGreaterThan(0.3);
  const ordersPer = new Map<string, number>();
  for (const order of store.orders) ordersPer.set(order.customerId, (ordersPer.get(order.customerId) ?? 0) + 1);
  expect([...ordersPer.values()].filter((n) => n === 1).length / ordersPer.size).toBeGreaterThan(0.4);
});

it("spreads customers over regions, time zones, both locales and a mix of consent", () => {
  const zones = new Set(store.customers.map((customer) => customer.region.timeZone));
  expect(zones.size).toBeGreaterThanOrEqual(6);
  const zh = store.customers.filter((customer) => customer.locale === "zh-CN").length / store.customers.length;
  expect(zh).toBeGreaterThan(0.2);
  expect(zh).toBeLessThan(0.6);
  const subscribed = store.customers.filter((customer) => customer.emailMarketing === "SUBSCRIBED").length / store.customers.length;
  expect(subscribed).toBeGreaterThan(0.4);
  expect(subscribed).toBeLessThan(0.7);
});

it("places each customer's orders around their own active hour, in their own time zone", () => {
  const customer = store.customers.find((candidate) => candidate.kind === "heavy")!;
  const hours = store.orders
    .filter((order) => order.customerId === customer.id)
    .map((order) => Number(new Intl.DateTimeFormat("en-GB", { timeZone: customer.region.timeZone, hour: "numeric", hourCycle: "h23" }).format(order.createdAt)));
  expect(hours.length).toBeGreaterThan(3);
  for (const hour of hours) expect(Math.abs(hour - customer.activeHour)).toBeLessThanOrEqual(2);
});

it("ships most orders with tracking and a delivery, and a few get stuck, fail or go untracked", () => {
  const outcomes: Record<string, number> = {};
  for (const order of store.orders) if (order.shipment) outcomes[order.shipment.outcome] = (outcomes[order.shipment.outcome] ?? 0) + 1;
  const shipped = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
  expect(outcomes.delivered / shipped).toBeGreaterThan(0.85);
  for (const outcome of ["stuck", "failed", "untracked"]) expect(outcomes[outcome]).toBeGreaterThan(0);
  expect(store.orders.some((order) => order.cancelledAt)).toBe(true);
  expect(store.orders.some((order) => order.refund)).toBe(true);
});

it("announces a window's events as Shopify's webhooks, in time order", () => {
  const from = new Date(end.getTime() - 30 * 86_400_000);
  const deliveries = storeWebhooks(store, "gen.myshopify.com", from, end);
  const topics = new Set(deliveries.map((delivery) => delivery.topic));
  expect([...topics].sort()).toEqual(["customers/create", "fulfillment_events/create", "fulfillments/create", "orders/cancelled", "orders/create", "orders/paid", "refunds/create"]);
  for (let i = 1; i < deliveries.length; i++) expect(deliveries[i].at.getTime()).toBeGreaterThanOrEqual(deliveries[i - 1].at.getTime());
  expect(deliveries.every((delivery) => delivery.at >= from && delivery.at < end)).toBe(true);
});
