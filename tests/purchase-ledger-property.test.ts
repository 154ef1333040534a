// A thousand random purchase histories, projected from Shopify-shaped bodies
// (test orders, gift cards, edits as orders/updated or orders/edited, line,
// shipping-only and goodwill refunds, free, cancelled, voided, POS, draft and
// multi-currency orders, some refunds and edits arriving before their order),
// parsed by the webhook parsers and stored by the models the projector uses
// (in batches, as the worker takes them), and then every reader asked about
// every customer: member facts, the tier aggregate, the classification reader
// and the Results query must give the same order count and net spend, and the
// spend the generator meant to leave.
import db from "~/db.server";
import { parseOrder, parseOrderEdit, parseRefund } from "~/domain/webhook-payloads";
import { createMissingCustomers } from "~/models/customers.server";
import { classificationFacts } from "~/models/intelligence.server";
import { applyOrderEdits, applyOrders, applyRefunds } from "~/models/orders.server";
import { audienceOrders } from "~/models/results.server";
import { qualifyingTotalsOf } from "~/models/tiers.server";
import { refreshMemberFacts } from "~/services/member-facts.server";
import { seededRandom } from "../tools/simulator/store-generator";
import { orderPayload, refundPayload, type OrderLineSpec, type OrderSpec } from "./support/payloads";

const shop = "ledger-property.myshopify.com";
const HISTORIES = 1000;
const START = Date.parse("2026-06-01T00:00:00Z");
const NOW = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;
const PRICES = [1900, 2600, 3200, 5600, 8900, 12000];

const decimal = (minor: number) => (minor / 100).toFixed(2);

interface Planned {
  customer: string;
  events: Array<{ phase: 0 | 1 | 2 | 3; topic: string; body: unknown }>;
  /** What the generator meant: does the order count, and what spend is left. */
  counts: boolean;
  spendMinor: number;
}

function plan(random: () => number, customer: string, orderId: number, at: number): Planned {
  const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)];
  const id = String(orderId);
  const createdAt = new Date(at).toISOString();
  const free = random() < 0.06;
  const percent = free ? 100 : random() < 0.3 ? 10 : 0;
  const lineCount = 1 + Math.floor(random() * 3);
  const lines: Array<OrderLineSpec & { unit: number; qty: number; discount: number; giftCard: boolean }> = [];
  for (let i = 0; i < lineCount; i++) {
    const giftCard = random() < 0.15;
    const unit = giftCard ? 2500 : pick(PRICES);
    const qty = 1 + Math.floor(random() * 3);
    const discount = giftCard ? 0 : Math.round((unit * qty * percent) / 100); // Shopify discounts no gift card
    lines.push({ id: `${id}${i}`, productId: String(8000 + (giftCard ? 99 : PRICES.indexOf(unit))), title: giftCard ? "Gift Card" : `Product ${unit}`, price: decimal(unit), quantity: qty, giftCard, discounts: discount ? [{ amount: decimal(discount) }] : [], unit, qty, discount });
  }
  const spec: OrderSpec = {
    id,
    customerId: customer,
    createdAt,
    test: random() < 0.05,
    sourceName: pick(["web", "web", "web", "pos", "shopify_draft_order"]),
    presentment: random() < 0.1 ? { currency: "JPY", rate: 150 } : undefined,
    shipping: random() < 0.5 ? "6.00" : undefined,
    discountApplications: percent ? [{ type: "discount_code", code: free ? "FREE" : "TEN", valueType: "percentage", value: String(percent) }] : [],
    lines,
  };
  const events: Planned["events"] = [{ phase: 1, topic: "orders/paid", body: orderPayload(spec) }];
  const early = () => (random() < 0.3 ? 0 : 2) as 0 | 2;

  // An edit removing units from one merchandise line.
  const kept = new Map(lines.map((line) => [line.id, line.qty]));
  const merch = lines.filter((line) => !line.giftCard);
  let updated = false;
  if (merch.length && random() < 0.2) {
    const line = pick(merch);
    const removed = 1 + Math.floor(random() * line.qty);
    kept.set(line.id, line.qty - removed);
    const editAt = new Date(at + 2 * 3_600_000).toISOString();
    if (random() < 0.5) {
      events.push({ phase: early(), topic: "orders/edited", body: { order_edit: { id: Number(`${id}5`), order_id: Number(id), created_at: editAt, committed_at: editAt, line_items: { additions: [], removals: [{ id: Number(line.id), delta: removed }] } } } });
    }
    updated = true;
  }
  const current = new Map(kept);
  const valueOf = (line: (typeof lines)[number], units: number) => line.unit * units - Math.round((line.discount * units) / line.qty);

  // Refunds: some units of a merchandise line, shipping only, goodwill money.
  let returned = 0;
  let returnedUnits = 0;
  let refundNo = 0;
  const refund = (body: Parameters<typeof refundPayload>[0]) => events.push({ phase: early(), topic: "refunds/create", body: refundPayload(body) });
  const keptMerch = merch.filter((line) => kept.get(line.id)! > 0);
  if (keptMerch.length && random() < 0.2) {
    const line = pick(keptMerch);
    const units = 1 + Math.floor(random() * kept.get(line.id)!);
    const subtotal = valueOf(line, units);
    refund({ id: `${id}${++refundNo}9`, orderId: id, createdAt: new Date(at + 3 * DAY).toISOString(), lines: [{ lineItemId: line.id, quantity: units, subtotal: decimal(subtotal) }] });
    current.set(line.id, kept.get(line.id)! - units);
    returned += subtotal;
    returnedUnits += units;
    updated = true;
  }
  if (spec.shipping && random() < 0.1) refund({ id: `${id}${++refundNo}9`, orderId: id, shipping: spec.shipping });
  const sold = merch.reduce((sum, line) => sum + valueOf(line, kept.get(line.id)!), 0);
  let goodwill = 0;
  if (sold - returned > 100 && random() < 0.15) {
    goodwill = 100 * (1 + Math.floor(random() * Math.floor((sold - returned) / 100)));
    refund({ id: `${id}${++refundNo}9`, orderId: id, discrepancy: decimal(goodwill) });
  }

  const cancelled = random() < 0.05;
  const voided = !cancelled && random() < 0.03;
  const soldUnits = merch.reduce((sum, line) => sum + kept.get(line.id)!, 0);
  const net = sold - returned - goodwill;
  const everythingBack = soldUnits > 0 && (sold === 0 ? returnedUnits >= soldUnits : net <= 0);
  if (updated || cancelled || voided || returned || goodwill) {
    const status = voided ? "voided" : cancelled || everythingBack ? "refunded" : returned || goodwill ? "partially_refunded" : "paid";
    events.push({
      phase: 3,
      topic: cancelled ? "orders/cancelled" : "orders/updated",
      body: orderPayload({ ...spec, updatedAt: new Date(at + 4 * DAY).toISOString(), financialStatus: status, cancelledAt: cancelled ? new Date(at + 4 * DAY).toISOString() : null, lines: lines.map((line) => ({ ...line, currentQuantity: current.get(line.id)! })) }),
    });
  }
  const counts = !spec.test && !cancelled && !voided && soldUnits > 0 && (sold === 0 ? returnedUnits < soldUnits : net > 0);
  return { customer, events, counts, spendMinor: counts ? Math.max(0, net) : 0 };
}

it("gives every customer the same order count and net spend in facts, tiers, classification and Results", async () => {
  const random = seededRandom(17);
  const customers = Array.from({ length: HISTORIES }, (_, i) => String(300_000 + i));
  const planned: Planned[] = [];
  let orderId = 9_000_000;
  for (const customer of customers) {
    for (let n = 1 + Math.floor(random() * 2); n > 0; n--) planned.push(plan(random, customer, ++orderId, START + Math.floor(random() * 120) * DAY));
  }
  // Phase 0: refunds and edits that arrive before their order; 1: the orders; 2: the other refunds and edits; 3: the orders as they end.
  for (const phase of [0, 1, 2, 3]) {
    const events = planned.flatMap((p) => p.events.filter((e) => e.phase === phase)).map((e) => ({ topic: e.topic, body: JSON.parse(JSON.stringify(e.body)) as unknown }));
    for (let i = 0; i < events.length; i += 500) {
      const batch = events.slice(i, i + 500);
      const orders = batch.filter((e) => e.topic.startsWith("orders/") && e.topic !== "orders/edited").map((e) => parseOrder(e.topic, e.body));
      await createMissingCustomers(shop, orders.flatMap((order) => (order.customer ? [order.customer] : [])));
      await applyOrders(shop, orders);
      await applyRefunds(shop, batch.filter((e) => e.topic === "refunds/create").map((e) => parseRefund(e.topic, e.body)));
      await applyOrderEdits(shop, batch.filter((e) => e.topic === "orders/edited").map((e) => parseOrderEdit(e.topic, e.body)));
    }
  }
  await refreshMemberFacts(shop, customers, NOW);
  const now = NOW;
  await db.message.createMany({
    data: customers.map((customer) => ({ shop, customerShopifyId: customer, idempotencyKey: `p-${customer}`, source: "campaign", sourceId: "property", step: "send", channel: "email", messageClass: "marketing", priority: 1, plannedAt: now, availableAt: now, expiresAt: now, status: "sent", sentAt: now, createdAt: now, updatedAt: now })),
  });

  const facts = new Map((await db.customer.findMany({ where: { shop }, select: { shopifyId: true, orderCount: true, netSpentMinor: true } })).map((row) => [row.shopifyId, { orders: row.orderCount, spend: row.netSpentMinor }]));
  const tiers = await qualifyingTotalsOf(shop, customers, { start: null, end: NOW });
  const classified = await classificationFacts(shop, { first: customers[0], last: customers.at(-1)! }, 0, +NOW);
  const results = new Map<string, { orders: number; spend: number }>();
  for (const row of await audienceOrders(shop, "property", new Date(START - DAY), NOW)) {
    const own = results.get(row.customerShopifyId) ?? { orders: 0, spend: 0 };
    results.set(row.customerShopifyId, { orders: own.orders + 1, spend: own.spend + row.revenueMinor });
  }

  const mismatches: string[] = [];
  const tally = { counted: 0, notCounted: 0, free: 0 };
  for (const customer of customers) {
    const mine = planned.filter((p) => p.customer === customer);
    const intended = { orders: mine.filter((p) => p.counts).length, spend: mine.reduce((sum, p) => sum + p.spendMinor, 0) };
    tally.counted += intended.orders;
    tally.notCounted += mine.length - intended.orders;
    tally.free += mine.filter((p) => p.counts && p.spendMinor === 0).length;
    const answers = {
      facts: facts.get(customer) ?? { orders: 0, spend: 0 },
      tier: { orders: tiers.get(customer)!.orders, spend: tiers.get(customer)!.netSpendMinor },
      classification: { orders: classified.get(customer)?.orderTimesMs.length ?? 0, spend: classified.get(customer)?.windowSpendMinor ?? 0 },
      results: results.get(customer) ?? { orders: 0, spend: 0 },
    };
    for (const [reader, answer] of Object.entries(answers)) {
      if (answer.orders !== intended.orders || answer.spend !== intended.spend) mismatches.push(`${customer} ${reader}: ${JSON.stringify(answer)}, meant ${JSON.stringify(intended)}`);
    }
  }
  expect(mismatches.slice(0, 10)).toEqual([]);
  // The histories really mix what they are meant to: counted, left out and free orders.
  expect(tally.counted).toBeGreaterThan(1000);
  expect(tally.notCounted).toBeGreaterThan(150);
  expect(tally.free).toBeGreaterThan(20);
}, 120_000);
