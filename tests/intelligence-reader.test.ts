// The classification's reader (classificationFacts) against member facts'
// definitions, on rows that exercise every rule it applies in SQL: cancelled,
// voided, fully and partly refunded and free orders; a product on two lines of
// one order, gift cards and lines without a product; several fulfillments,
// undelivered ones, and two first orders at the same instant; orders in the
// future, guests, a deleted customer inside the page's range and another shop
// with the same ids. The page is read both ways the service asks: as a range
// of ids (the nightly run) and as a list (after order events).
import db from "~/db.server";
import { rfmValues } from "~/domain/intelligence";
import type { FactOrder } from "~/domain/member-facts";
import { ledgerColumns } from "./support/ledger";
import { classificationFacts, type ClassificationFacts } from "~/models/intelligence.server";

const DAY = 86_400_000;
const shop = "intel-reader.myshopify.com";
const other = "intel-reader-other.myshopify.com";
const now = new Date("2026-11-20T12:00:00.000Z");
const windowDays = 365;
const ago = (days: number, ms = 0) => new Date(+now - days * DAY + ms);

interface Spec {
  id: string;
  customer: string | null;
  at: Date;
  subtotalMinor: number;
  refundMinor?: number;
  cancelled?: boolean;
  financialStatus?: string;
  /** Products, one line each; null: a line without a product; "gift:" prefix: a gift card. */
  lines?: Array<string | null>;
  /** Fulfillments' delivery times (null: not delivered). */
  deliveries?: Array<Date | null>;
}

const orders: Spec[] = [
  // 61001: every counting rule, a product on two lines, a gift card, a line without a product.
  { id: "620001", customer: "61001", at: ago(400), subtotalMinor: 0, lines: ["9003"], deliveries: [null, ago(397), ago(398)] },
  { id: "620002", customer: "61001", at: ago(100), subtotalMinor: 5000, lines: ["9001", "9001", "9002", "gift:9009", null], deliveries: [ago(95)] },
  { id: "620003", customer: "61001", at: ago(40, 7), subtotalMinor: 3000, refundMinor: 1000, lines: ["9001"] },
  { id: "620004", customer: "61001", at: ago(10), subtotalMinor: 4000, cancelled: true, lines: ["9002"] },
  { id: "620005", customer: "61001", at: ago(5), subtotalMinor: 4000, financialStatus: "voided", lines: ["9002"] },
  { id: "620006", customer: "61001", at: ago(3), subtotalMinor: 2500, refundMinor: 2500, lines: ["9002"] },
  // 61002: two first orders at the same instant; the first by id is delivered later than the other.
  { id: "620011", customer: "61002", at: ago(30), subtotalMinor: 1200, lines: ["9001"], deliveries: [ago(27)] },
  { id: "620010", customer: "61002", at: ago(30), subtotalMinor: 1500, lines: ["9002"], deliveries: [ago(25)] },
  { id: "620012", customer: "61002", at: ago(12, 123), subtotalMinor: 900, lines: ["9001"] },
  // 61004 is deleted; 61005 has an order in the future; a guest; another shop's 61001.
  { id: "620020", customer: "61004", at: ago(20), subtotalMinor: 7000, lines: ["9001"], deliveries: [ago(18)] },
  { id: "620030", customer: "61005", at: ago(-2), subtotalMinor: 1000, lines: ["9004"] },
  { id: "620031", customer: "61005", at: ago(200), subtotalMinor: 1100, lines: ["9004"] },
  { id: "620040", customer: null, at: ago(15), subtotalMinor: 800, lines: ["9001"] },
];
const otherShopOrder: Spec = { id: "620001", customer: "61001", at: ago(1), subtotalMinor: 9900, lines: ["9001"], deliveries: [ago(1)] };
const live = ["61001", "61002", "61003", "61005"];

const ledgerOf = (spec: Spec) => ledgerColumns({ subtotalMinor: spec.subtotalMinor, cancelledAt: spec.cancelled ? spec.at : null, financialStatus: spec.financialStatus ?? "paid", refundMinor: spec.refundMinor });

async function insert(s: string, spec: Spec) {
  const order = await db.order.create({
    data: {
      shop: s, shopifyId: spec.id, customerShopifyId: spec.customer, shopifyCreatedAt: spec.at, processedAt: spec.at, shopifyUpdatedAt: spec.at, currencyCode: "USD",
      subtotalMinor: spec.subtotalMinor, totalMinor: spec.subtotalMinor, totalDiscountsMinor: 0, financialStatus: spec.financialStatus ?? "paid", cancelledAt: spec.cancelled ? spec.at : null,
      ...ledgerOf(spec),
    },
  });
  await db.orderLine.createMany({
    data: (spec.lines ?? []).map((product, i) => ({
      shop: s, orderId: order.id, shopifyId: `${spec.id}${i}`, title: "Item", quantity: 1, unitPriceMinor: 100,
      productShopifyId: product?.replace("gift:", "") ?? null, giftCard: product?.startsWith("gift:") ?? false,
    })),
  });
  if (spec.refundMinor) await db.refund.create({ data: { shop: s, shopifyId: `${spec.id}9`, orderShopifyId: spec.id, processedAt: spec.at, amountMinor: spec.refundMinor, currencyCode: "USD" } });
  await db.fulfillment.createMany({ data: (spec.deliveries ?? []).map((deliveredAt, i) => ({ shop: s, shopifyId: `${spec.id}8${i}`, orderShopifyId: spec.id, deliveredAt })) });
}

beforeAll(async () => {
  for (const s of [shop, other]) await db.shop.create({ data: { shop: s, ianaTimezone: "UTC" } });
  await db.customer.createMany({ data: ["61001", "61002", "61003", "61004", "61005"].map((shopifyId) => ({ shop, shopifyId, deletedAt: shopifyId === "61004" ? now : null })) });
  await db.customer.create({ data: { shop: other, shopifyId: "61001" } });
  for (const spec of orders) await insert(shop, spec);
  await insert(other, otherShopOrder);
});

/** What member facts and the RFM window say of one customer's orders, in the reader's shape. */
function expected(customer: string): ClassificationFacts {
  const mine = orders.filter((o) => o.customer === customer);
  const factOrders: FactOrder[] = mine.map((o) => ({ shopifyId: o.id, processedAt: o.at, currencyCode: "USD", ...ledgerOf(o) }));
  const window = rfmValues(factOrders, now, { windowDays });
  const counted = mine
    .filter((o) => factOrders.find((f) => f.shopifyId === o.id)!.countsAsPurchase)
    .sort((a, b) => +a.at - +b.at || a.id.localeCompare(b.id));
  const purchases = counted.flatMap((o) => [...new Set((o.lines ?? []).filter((p): p is string => p !== null && !p.startsWith("gift:")))].map((p) => [p, +o.at] as const));
  const firstDeliveries = (counted[0]?.deliveries ?? []).filter((d): d is Date => d !== null).map(Number);
  return {
    orderTimesMs: counted.map((o) => +o.at),
    windowOrders: window.lastOrderAt ? window.ordersInWindow : 0,
    windowSpendMinor: window.netSpendInWindowMinor,
    windowLastMs: window.lastOrderAt ? +window.lastOrderAt : NaN,
    firstDeliveredMs: firstDeliveries.length ? Math.min(...firstDeliveries) : NaN,
    purchaseProducts: purchases.map(([p]) => p),
    purchaseTimesMs: purchases.map(([, at]) => at),
  };
}

/** Purchases in a stable order (the reader's order within a customer is not defined). */
const normalised = (f: ClassificationFacts) => {
  const purchases = f.purchaseProducts.map((p, i) => `${p}@${f.purchaseTimesMs[i]}`).sort();
  return { ...f, purchaseProducts: purchases, purchaseTimesMs: [] };
};

const read = (page: Parameters<typeof classificationFacts>[1]) => classificationFacts(shop, page, +now - windowDays * DAY, +now);

it("reads each customer's counted orders, RFM window, first delivery and purchases as member facts define them, by range and by list", async () => {
  const byRange = await read({ first: "61001", last: "61005" });
  const byList = await read({ ids: live });
  // By range, a customer without counted orders has no row (the service reads that as no orders).
  expect(byRange.has("61003")).toBe(false);
  expect(expected("61003").orderTimesMs).toEqual([]);
  for (const customer of live.filter((c) => c !== "61003")) {
    expect(normalised(byRange.get(customer)!), customer).toEqual(normalised(expected(customer)));
  }
  for (const customer of live) {
    expect(normalised(byList.get(customer)!), customer).toEqual(normalised(expected(customer)));
  }
  // The list answers for exactly the customers asked about, orders or not.
  expect([...byList.keys()].sort()).toEqual(live);
});

it("applies the rules the expected values rest on (so the comparison above means something)", async () => {
  const facts = (await read({ ids: live })).get("61001")!;
  // Free order counted; cancelled, voided and fully refunded ones not; the partly refunded one at its net.
  expect(facts.orderTimesMs).toEqual([+ago(400), +ago(100), +ago(40, 7)]);
  expect(facts).toMatchObject({ windowOrders: 2, windowSpendMinor: 5000 + 2000, windowLastMs: +ago(40, 7) });
  // The first (free) order's earliest delivery, not the later orders' nor the undelivered fulfillment.
  expect(facts.firstDeliveredMs).toBe(+ago(398));
  // 9001 once for the order that has it on two lines; no gift card, no line without a product; nothing from other shops.
  expect(normalised(facts).purchaseProducts).toEqual([`9001@${+ago(100)}`, `9001@${+ago(40, 7)}`, `9002@${+ago(100)}`, `9003@${+ago(400)}`]);

  const tie = (await read({ ids: ["61002"] })).get("61002")!;
  // Two first orders at the same instant: the first is the lower id, and its delivery is the one that counts.
  expect(tie.firstDeliveredMs).toBe(+ago(25));
  expect(tie.orderTimesMs).toEqual([+ago(30), +ago(30), +ago(12, 123)]);

  // An order in the future counts as an order but not in the window.
  expect((await read({ ids: ["61005"] })).get("61005")).toMatchObject({ orderTimesMs: [+ago(200), +ago(-2)], windowOrders: 1, windowLastMs: +ago(200) });
});
