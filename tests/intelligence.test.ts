// Customer intelligence on the real database: a generated shop classified
// nightly agrees with the pure functions on the same data; an order moves one
// member's cadence and stage at once and nobody's scores; stages move with an
// injected clock; the nightly run happens once per shop per day; settings
// changes take effect; the data export carries it and customers/redact erases it.
import db from "~/db.server";
import {
  DEFAULT_INTELLIGENCE_SETTINGS,
  classifyValue,
  customerCadence,
  customerPrior,
  learnProductIntervals,
  learnShopInterval,
  lifecycleStage,
  rfmValues,
  scoreRfm,
  unscoredSegment,
  type IntelligenceSettings,
} from "~/domain/intelligence";
import { computeMemberFacts, type FactOrder } from "~/domain/member-facts";
import { ledgerColumns } from "./support/ledger";
import { saveIntelligenceSettings } from "~/models/intelligence.server";
import { runJobNow } from "~/jobs/start.server";
import { classifyShop, type ShopClassification } from "~/services/intelligence.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { fulfillmentEventPayload, fulfillmentPayload, orderPayload, refundPayload } from "./support/payloads";

/** The "intelligence" job's run at `at`, as the worker runs it: the classifications of the shops due. */
const classifyDue = async (at: Date) => (await runJobNow<ShopClassification>("intelligence", at)).map((run) => run.result);

const DAY = 86_400_000;
const shop = "intel-shop.myshopify.com";
const now = new Date("2026-11-20T12:00:00Z");
const project = (s: string, topic: string, body: unknown, at: Date) => projectInboxEvent({ shop: s, topic, body: JSON.stringify(body) }, at);

// ------------------------------------------------------------- a generated shop

interface GenOrder { id: string; customer: string; at: Date; subtotalMinor: number; products: string[]; refundMinor: number }

function generateShop(): GenOrder[] {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const products = ["9001", "9002", "9003", "9004"];
  const orders: GenOrder[] = [];
  let orderId = 500_000;
  for (let c = 0; c < 40; c++) {
    const customer = String(80_000 + c);
    const count = 1 + Math.floor(random() * 6);
    const every = 10 + Math.floor(random() * 80);
    let at = +now - Math.floor(random() * 500) * DAY;
    for (let k = 0; k < count && at <= +now; k++) {
      const product = products[Math.floor(random() * products.length)];
      const subtotalMinor = 1000 * (1 + Math.floor(random() * 20));
      orders.push({ id: String(orderId++), customer, at: new Date(at), subtotalMinor, products: [product], refundMinor: random() < 0.1 ? subtotalMinor : 0 });
      at += (every + Math.floor(random() * 10)) * DAY;
    }
  }
  return orders;
}

const generated = generateShop();
const customers = [...new Set(generated.map((o) => o.customer))].sort();

async function projectShop(s: string, orders: GenOrder[]) {
  for (const order of orders) {
    const lines = order.products.map((productId, i) => ({ id: `${order.id}${i}`, productId, price: (order.subtotalMinor / 100 / order.products.length).toFixed(2) }));
    await project(s, "orders/paid", orderPayload({ id: order.id, customerId: order.customer, subtotal: (order.subtotalMinor / 100).toFixed(2), createdAt: order.at.toISOString(), lines }), now);
    if (order.refundMinor) await project(s, "refunds/create", refundPayload({ id: `${order.id}7`, orderId: order.id, amount: (order.refundMinor / 100).toFixed(2) }), now);
  }
}

/** What the pure functions say for the same orders. */
function expected(orders: GenOrder[], at: Date, settings: IntelligenceSettings = DEFAULT_INTELLIGENCE_SETTINGS) {
  const factOrders = new Map<string, FactOrder[]>(customers.map((c) => [c, []]));
  for (const o of orders) {
    factOrders.get(o.customer)!.push({ shopifyId: o.id, processedAt: o.at, currencyCode: "USD", ...ledgerColumns({ subtotalMinor: o.subtotalMinor, refundMinor: o.refundMinor }) });
  }
  const values = customers.map((c) => rfmValues(factOrders.get(c)!, at, settings.rfm));
  const facts = customers.map((c) => computeMemberFacts(factOrders.get(c)!));
  const scores = scoreRfm(values, at, settings.rfm);
  const classes = classifyValue(values.map((v) => ({ ordersInWindow: v.lastOrderAt ? v.ordersInWindow : 0, netSpendInWindowMinor: v.netSpendInWindowMinor })), settings.valueClass);
  const refunded = new Set(orders.filter((o) => o.refundMinor >= o.subtotalMinor).map((o) => o.id));
  const counted = orders.filter((o) => !refunded.has(o.id));
  const products = learnProductIntervals({ customer: counted.map((o) => o.customer), product: counted.map((o) => o.products[0]), atMs: counted.map((o) => +o.at) }, settings.cadence);
  const shopInterval = learnShopInterval(facts.map((f) => f.orderGapsDays), settings.cadence);
  return customers.map((c, i) => {
    const mine = new Map<string, number>();
    for (const o of counted.filter((o) => o.customer === c)) mine.set(o.products[0], (mine.get(o.products[0]) ?? 0) + 1);
    const cadence = facts[i].orderCount ? customerCadence({ gapsDays: facts[i].orderGapsDays, lastOrderAt: facts[i].lastOrderAt }, customerPrior(mine, products, shopInterval, settings.cadence), settings.cadence) : null;
    const stage = cadence
      ? lifecycleStage({ orderCount: facts[i].orderCount, firstOrderAt: facts[i].firstOrderAt, lastOrderAt: facts[i].lastOrderAt, firstDeliveredAt: null, intervalDays: cadence.intervalDays }, at, settings.lifecycle)
      : "prospect";
    return {
      shopifyId: c,
      rfmRecency: scores[i]?.recency ?? null,
      rfmFrequency: scores[i]?.frequency ?? null,
      rfmMonetary: scores[i]?.monetary ?? null,
      rfmSegment: scores[i]?.segment ?? unscoredSegment(facts[i].orderCount > 0),
      valueClass: classes[i],
      cadenceDays: cadence?.intervalDays ?? null,
      lifecycleStage: stage,
    };
  });
}

const classificationSelect = { shopifyId: true, rfmRecency: true, rfmFrequency: true, rfmMonetary: true, rfmSegment: true, valueClass: true, cadenceDays: true, lifecycleStage: true } as const;
const stored = (s: string) => db.customer.findMany({ where: { shop: s }, select: classificationSelect, orderBy: { shopifyId: "asc" } });

beforeAll(async () => {
  await db.shop.create({ data: { shop, ianaTimezone: "UTC" } });
  await projectShop(shop, generated);
}, 120_000);

it("classifies the whole shop nightly as the pure functions do for the same data", async () => {
  const [summary] = (await classifyDue(now)).filter((s) => s.shop === shop);
  expect(summary.customers).toBe(customers.length);
  const want = expected(generated, now);
  expect(await stored(shop)).toEqual(want);
  // The generated shop is varied enough to mean something.
  expect(new Set(want.map((w) => w.rfmSegment)).size).toBeGreaterThan(4);
  expect(new Set(want.map((w) => w.valueClass))).toEqual(new Set(["key", "main", "regular", null]));
  expect(new Set(want.map((w) => w.lifecycleStage)).size).toBeGreaterThan(2);
  expect(await db.productInterval.count({ where: { shop, days: { not: null } } })).toBeGreaterThan(0);
  expect((await db.shop.findUnique({ where: { shop } }))?.intelShopIntervalDays).not.toBeNull();
});

it("runs the nightly classification once per shop per local day, however often and by however many it is asked", async () => {
  const later = new Date(+now + 6 * 3_600_000);
  expect((await classifyDue(later)).map((s) => s.shop)).toEqual([]);
  const nextDay = new Date("2026-11-21T00:30:00Z");
  const [a, b] = await Promise.all([classifyDue(nextDay), classifyDue(nextDay)]);
  expect([...a, ...b].map((s) => s.shop)).toEqual([shop]);
  expect((await db.shop.findUnique({ where: { shop } }))?.intelClassifiedAt?.toISOString()).toBe(nextDay.toISOString());
  // Back to `now` for the tests that follow (a later night re-scores at `now`).
  await classifyShop(shop, now);
});

it("moves one member's cadence and stage at once on a new order, and nobody's scores", async () => {
  const before = await stored(shop);
  const member = before.find((row) => row.lifecycleStage === "atRisk" || row.lifecycleStage === "dormant") ?? before.find((row) => row.lifecycleStage !== "prospect")!;
  const at = new Date(+now + 3_600_000);
  await project(shop, "orders/paid", orderPayload({ id: "599999", customerId: member.shopifyId, subtotal: "30.00", createdAt: at.toISOString(), lines: [{ id: "5999991", productId: "9001", price: "30.00" }] }), at);

  const after = await stored(shop);
  const mine = after.find((row) => row.shopifyId === member.shopifyId)!;
  expect(mine.lifecycleStage).toBe("active");
  expect(mine.cadenceDays).not.toBe(member.cadenceDays);
  const row = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: member.shopifyId } } });
  expect(row!.nextOrderAt!.getTime()).toBe(at.getTime() + Math.round(mine.cadenceDays! * DAY));
  // The scores wait for the night: quintiles are relative to the whole shop.
  expect({ ...mine, cadenceDays: 0, lifecycleStage: "" }).toEqual({ ...member, cadenceDays: 0, lifecycleStage: "" });
  expect(after.filter((r) => r.shopifyId !== member.shopifyId)).toEqual(before.filter((r) => r.shopifyId !== member.shopifyId));
});

it("moves a first-time buyer through the stages as the clock moves, the delivery ending 'new'", async () => {
  const s = "intel-clock.myshopify.com";
  await db.shop.create({ data: { shop: s, ianaTimezone: "UTC" } });
  const t0 = new Date("2026-01-10T10:00:00Z");
  const at = (days: number) => new Date(+t0 + days * DAY);
  const stage = async () => db.customer.findUnique({ where: { shop_shopifyId: { shop: s, shopifyId: "70001" } }, select: { lifecycleStage: true, stageChangesAt: true, nextStage: true, firstDeliveredAt: true, cadenceDays: true } });

  await project(s, "orders/paid", orderPayload({ id: "710001", customerId: "70001", createdAt: t0.toISOString() }), t0);
  // No history in the shop: the default 60-day interval, and the wait for delivery (30 days) ends "new" at the latest.
  expect(await stage()).toMatchObject({ lifecycleStage: "new", cadenceDays: 60, firstDeliveredAt: null, stageChangesAt: at(30), nextStage: "honeymoon" });

  await project(s, "fulfillments/create", fulfillmentPayload({ id: "720001", orderId: "710001", updatedAt: at(1).toISOString() }), at(1));
  expect((await stage())?.lifecycleStage).toBe("new");
  await project(s, "fulfillment_events/create", fulfillmentEventPayload({ id: "730001", fulfillmentId: "720001", orderId: "710001", status: "delivered", happenedAt: at(3).toISOString() }), at(3));
  expect(await stage()).toMatchObject({ lifecycleStage: "honeymoon", firstDeliveredAt: at(3), stageChangesAt: at(24), nextStage: "active" });

  const nightly = async (days: number) => {
    expect((await classifyDue(at(days))).map((x) => x.shop)).toContain(s);
    return (await stage())?.lifecycleStage;
  };
  expect(await nightly(10)).toBe("honeymoon");
  expect(await nightly(24)).toBe("active");
  expect(await nightly(89)).toBe("active");
  expect(await nightly(90)).toBe("atRisk");
  expect(await nightly(180)).toBe("dormant");
  expect(await nightly(365)).toBe("lost");
  expect(await stage()).toMatchObject({ stageChangesAt: null, nextStage: null });
});

it("takes a settings change into account at the next sweep, the same day", async () => {
  const settings: IntelligenceSettings = { ...DEFAULT_INTELLIGENCE_SETTINGS, valueClass: { keyPercent: 30, mainPercent: 30 }, cadence: { ...DEFAULT_INTELLIGENCE_SETTINGS.cadence, shrinkWeight: 5 } };
  const day = new Date(+now + 2 * 3_600_000);
  await classifyShop(shop, day); // stamp the day
  await db.shop.updateMany({ where: { shop }, data: { intelClassifiedAt: day } });
  expect((await classifyDue(day)).map((x) => x.shop)).not.toContain(shop);

  await saveIntelligenceSettings(shop, settings);
  expect((await classifyDue(day)).map((x) => x.shop)).toContain(shop);
  const orders = [...generated, { id: "599999", customer: (await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "599999" } } }))!.customerShopifyId!, at: new Date(+now + 3_600_000), subtotalMinor: 3000, products: ["9001"], refundMinor: 0 }];
  const want = expected(orders, day, settings);
  const got = await stored(shop);
  expect(got.map((r) => r.valueClass)).toEqual(want.map((w) => w.valueClass));
  expect(got.map((r) => r.cadenceDays)).toEqual(want.map((w) => w.cadenceDays));
  expect(want.map((w) => w.valueClass)).not.toEqual(expected(orders, day).map((w) => w.valueClass));
});

it("puts the classification in the data export and erases it on customers/redact", async () => {
  const member = customers.find((c) => generated.some((o) => o.customer === c && !o.refundMinor))!;
  const at = new Date(+now + 3 * 3_600_000);
  await project(shop, "customers/data_request", { shop_id: 1, shop_domain: shop, customer: { id: Number(member), email: null, phone: null }, orders_requested: [], data_request: { id: 4242 } }, at);
  const request = await db.dataRequest.findFirst({ where: { shop, customerShopifyId: member } });
  const exported = JSON.parse(request!.export) as { member: Record<string, unknown> };
  expect(exported.member.rfmSegment).toEqual(expect.any(String));
  expect(exported.member.lifecycleStage).toEqual(expect.any(String));

  await project(shop, "customers/redact", { shop_id: 1, shop_domain: shop, customer: { id: Number(member), email: null, phone: null }, orders_to_redact: [] }, at);
  // The member row goes with its classification (issue 18: a one-way tombstone stands in for it).
  expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: member } } })).toBeNull();
  // Not classified again: the nightly run brings nothing of them back.
  await classifyShop(shop, at);
  expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: member } } })).toBeNull();
});

it("classifies a shop and shows a member's classification from the ops CLI", async () => {
  const { runCli, EXIT } = await import("../scripts/cli");
  const out: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
  expect(await runCli(["intel", "classify", "--shop", shop], io)).toBe(EXIT.ok);
  expect(JSON.parse(out.join("\n"))).toMatchObject({ shop, customers: customers.length - 1 }); // one was redacted above
  out.length = 0;
  const member = (await stored(shop)).find((row) => row.lifecycleStage !== null)!;
  expect(await runCli(["intel", "show", "--shop", shop, "--customer", member.shopifyId], io)).toBe(EXIT.ok);
  expect(JSON.parse(out.join("\n"))).toMatchObject({ shopifyId: member.shopifyId, lifecycleStage: expect.any(String), cadenceDays: expect.any(Number) });
  expect(await runCli(["intel", "show", "--shop", shop, "--customer", "404"], io)).toBe(EXIT.notFound);
});
