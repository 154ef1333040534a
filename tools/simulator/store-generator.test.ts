// The generated store looks like a real shop's: skewed buyers, repeat orders at
// each customer's cadence, consumables, regions and consent, online and POS
// sales, codes, edits and refunds of several kinds, shipments in trouble; its
// webhooks carry its own catalog and numbering, not the development-store
// capture's; and a sent message gets the documented known response.
import { SUBSCRIBED_TOPICS } from "../../app/domain/webhook-topics";
import { fixture, type OrderBody } from "../../tests/support/payloads";
import { counterFileSaves, generateStore, KNOWN_RESPONSES, OWNER_STAFF_ID, RESPONSE_AFTER_HOURS, RESPONSE_WITHIN_DAYS, responseOrder, type GeneratedOrder } from "./store-generator";
import { priceOrder, StoreTimeline, type TimedDelivery } from "./store-events";
import { defaultStaff, SimulatorState } from "./state";
import type { CheckoutResult } from "./checkout";

const DAY = 86_400_000;
const end = new Date("2026-11-20T00:00:00Z");
const start = new Date(end.getTime() - 730 * DAY);
const store = generateStore({ customers: 1000, seed: 3, start, end });
interface RefundBody {
  id: number;
  order_id: number;
  refund_line_items: Array<{ restock_type: string }>;
  refund_shipping_lines: unknown[];
  order_adjustments: Array<{ kind: string }>;
}

const share = (orders: GeneratedOrder[], test: (order: GeneratedOrder) => boolean) => orders.filter(test).length / orders.length;

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

it("spreads customers over regions, time zones, both locales, a mix of consent and some known birthdays", () => {
  const zones = new Set(store.customers.map((customer) => customer.region.timeZone));
  expect(zones.size).toBeGreaterThanOrEqual(6);
  const zh = store.customers.filter((customer) => customer.locale === "zh-CN").length / store.customers.length;
  expect(zh).toBeGreaterThan(0.2);
  expect(zh).toBeLessThan(0.6);
  const subscribed = store.customers.filter((customer) => customer.emailMarketing === "SUBSCRIBED").length / store.customers.length;
  expect(subscribed).toBeGreaterThan(0.4);
  expect(subscribed).toBeLessThan(0.7);
  const birthdays = store.customers.filter((customer) => customer.birthday);
  expect(birthdays.length / store.customers.length).toBeGreaterThan(0.2);
  for (const customer of birthdays) expect(customer.birthday).toMatch(/^(0\d|1[0-2])-[0-3]\d$/);
});

it("places each customer's online orders around their own active hour, in their own time zone", () => {
  const customer = store.customers.find((candidate) => candidate.kind === "heavy" && !["Shanghai", "San Francisco"].includes(candidate.region.city))!;
  const hours = store.orders
    .filter((order) => order.customerId === customer.id)
    .map((order) => Number(new Intl.DateTimeFormat("en-GB", { timeZone: customer.region.timeZone, hour: "numeric", hourCycle: "h23" }).format(order.createdAt)));
  expect(hours.length).toBeGreaterThan(3);
  for (const hour of hours) expect(Math.abs(hour - customer.activeHour)).toBeLessThanOrEqual(2);
});

it("sells every line from its own catalog, with the product's variant, SKU, title and price", () => {
  const products = new Map(store.products.map((product) => [product.id, product]));
  expect(new Set(store.products.map((product) => product.sku)).size).toBe(store.products.length);
  for (const order of store.orders) {
    for (const line of order.lines) {
      const product = products.get(line.productId)!;
      expect(line).toMatchObject({ variantId: product.variantId, sku: product.sku, title: product.title, priceMinor: product.priceMinor, isGiftCard: product.isGiftCard });
    }
  }
  // Customers buy across the catalog, not one product.
  expect(new Set(store.orders.flatMap((order) => order.lines.map((line) => line.productId))).size).toBe(store.products.length);
});

it("sells online and at the two stores' counters: POS sales to the stores' cities, with the store, handed over without a parcel", () => {
  const customers = new Map(store.customers.map((customer) => [customer.id, customer]));
  const pos = store.orders.filter((order) => order.sourceName === "pos");
  expect(pos.length / store.orders.length).toBeGreaterThan(0.05);
  expect(pos.length / store.orders.length).toBeLessThan(0.25);
  for (const order of pos) {
    expect(store.locations.find((location) => location.id === order.locationId)?.city).toBe(customers.get(order.customerId)!.region.city);
    expect(order).toMatchObject({ shipment: null, shippingMinor: 0, code: null });
  }
  for (const order of store.orders.filter((each) => each.sourceName === "web")) {
    expect(order.locationId).toBeNull();
    expect(order.shippingMinor).toBe(order.subtotalMinor >= 6_000 ? 0 : 600);
  }
  expect(share(store.orders, (order) => order.code?.code === "WELCOME10")).toBeGreaterThan(0.03);
  expect(share(store.orders, (order) => order.code?.code === "TEATIME15")).toBeGreaterThan(0.01);
});

it("has each POS sale rung up by one of its store's staff, known to the simulated shop by name; online orders by nobody", () => {
  const roster = new Set(defaultStaff("any.myshopify.com").map((member) => member.id));
  const pos = store.orders.filter((order) => order.sourceName === "pos");
  for (const order of pos) {
    expect(store.locations.find((location) => location.id === order.locationId)!.staff).toContain(order.staffId);
    expect(roster.has(order.staffId!)).toBe(true);
  }
  for (const order of store.orders.filter((each) => each.sourceName === "web")) expect(order.staffId).toBeNull();
  // Both of the San Francisco store's staff take sales.
  expect(new Set(pos.map((order) => order.staffId))).toEqual(new Set(store.locations.flatMap((location) => location.staff)));
});

it("has staff keep customer files at the counters: birthdays at the install, then registrations and additions at POS sales", () => {
  const installAt = new Date(end.getTime() - 90 * DAY);
  const saves = counterFileSaves(store, installAt, end);
  const orders = new Map(store.orders.map((order) => [order.id, order]));
  const customers = new Map(store.customers.map((customer) => [customer.id, customer]));
  const atInstall = saves.filter((save) => save.at.getTime() === installAt.getTime());
  // Every birthday noted before the install, once, at the customer's store when they have one, else in the admin by the owner.
  expect(atInstall.map((save) => save.customerId).sort()).toEqual(store.customers.filter((customer) => customer.birthday && customer.createdAt < installAt).map((customer) => customer.id).sort());
  for (const save of atInstall) {
    const location = store.locations.find((each) => each.city === customers.get(save.customerId)!.region.city);
    expect([save.locationId, save.staffId]).toEqual(location ? [location.id, location.staff[0]] : [null, OWNER_STAFF_ID]);
    expect(save.registers).toBe(true);
    expect(save.added[0]).toBe("birthday");
    // At a store staff noted more (2 or 7 fields besides the birthday); in the admin the owner only the birthday.
    expect(location ? [3, 8] : [1]).toContain(save.added.length);
  }
  expect(atInstall.some((save) => save.added.length === 8)).toBe(true);
  expect(atInstall.some((save) => save.added.length === 3)).toBe(true);
  const atCounter = saves.filter((save) => save.at > installAt);
  expect(atCounter.length).toBeGreaterThan(10);
  for (const save of atCounter) {
    // Three minutes after a POS sale to the same customer, by its cashier at its store.
    const sale = [...orders.values()].find((order) => order.customerId === save.customerId && order.createdAt.getTime() === save.at.getTime() - 3 * 60_000)!;
    expect(sale).toMatchObject({ sourceName: "pos", staffId: save.staffId, locationId: save.locationId });
    // Nothing that changes what the contact policy lets through.
    expect(save.fields.preferredChannel ?? "email").toBe("email");
    expect(save.fields.acceptsPromotions ?? "yes").toBe("yes");
    expect(save.fields.preferredContactTime ?? "any").toBe("any");
  }
  // A customer's first save registers the file; later ones add to it.
  const seen = new Set<string>();
  for (const save of saves) {
    expect(save.registers).toBe(!seen.has(save.customerId));
    seen.add(save.customerId);
  }
  expect(atCounter.some((save) => save.registers)).toBe(true);
  expect(atCounter.some((save) => !save.registers)).toBe(true);
});

it("ships most online orders with tracking and a delivery, and a few get stuck, fail or go untracked", () => {
  const outcomes: Record<string, number> = {};
  for (const order of store.orders) if (order.shipment) outcomes[order.shipment.outcome] = (outcomes[order.shipment.outcome] ?? 0) + 1;
  const shipped = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
  expect(outcomes.delivered / shipped).toBeGreaterThan(0.85);
  for (const outcome of ["stuck", "failed", "untracked"]) expect(outcomes[outcome]).toBeGreaterThan(0);
});

it("cancels, edits and refunds orders in several ways, each a small share as in a real shop", () => {
  expect(share(store.orders, (order) => order.cancelledAt !== null)).toBeGreaterThan(0.01);
  expect(share(store.orders, (order) => order.cancelledAt !== null)).toBeLessThan(0.06);
  const kinds = ["edit", "lineRefund", "shippingRefund", "goodwill", "fullRefund"] as const;
  for (const kind of kinds) {
    const rate = share(store.orders, (order) => order.changes.some((change) => change.kind === kind));
    expect(rate, kind).toBeGreaterThan(0);
    expect(rate, kind).toBeLessThan(0.06);
  }
  for (const order of store.orders) {
    if (order.cancelledAt) expect(order.changes).toEqual([]);
    for (const change of order.changes) {
      expect(change.at.getTime()).toBeGreaterThan(order.createdAt.getTime());
      // An edit comes before the parcel leaves; a shipping refund only where shipping was paid and the parcel was late.
      if (change.kind === "edit") expect(change.at.getTime()).toBeLessThan(order.shipment!.at.getTime());
      if (change.kind === "shippingRefund") expect(order.shippingMinor > 0 && ["stuck", "failed"].includes(order.shipment!.outcome)).toBe(true);
    }
  }
});

describe("as Shopify holds and announces it", () => {
  const domain = "gen.myshopify.com";
  const from = new Date(end.getTime() - 60 * DAY);
  // A stand-in for the member discount Function (checkout.ts runs the real one): 10% off the lines of every member whose id is even, and free shipping for every fourth.
  const member = async (order: GeneratedOrder): Promise<CheckoutResult | null> => {
    if (Number(order.customerId) % 2) return null;
    const lineDiscountsMinor = order.lines.map((line) => (line.isGiftCard ? 0 : Math.round((line.priceMinor * line.quantity) / 10)));
    const discountMinor = lineDiscountsMinor.reduce((sum, n) => sum + n, 0);
    return { subtotalMinor: order.subtotalMinor, discountMinor, lineDiscountsMinor, discountTitle: "MemberCare member pricing", percent: 10, message: "Member · 10% off", freeShipping: Number(order.customerId) % 4 === 0, shippingMessage: null, excludedTitles: [] };
  };
  const deliveries: TimedDelivery[] = [];
  let timeline: StoreTimeline;
  let state: SimulatorState;
  const capture = fixture<{ line_items: Array<{ product_id: number; title: string; sku: string | null }> }>("orders__create-3");

  beforeAll(async () => {
    state = new SimulatorState(() => from.getTime());
    state.addShop({ shop: domain, accessToken: "shpat_gen", apiClientId: "gen-app" });
    timeline = new StoreTimeline(state, domain, store);
    timeline.addPast(start, from);
    for (let day = from.getTime(); day < end.getTime(); day += DAY) {
      await timeline.place(new Date(day), new Date(day + DAY), [], member);
      deliveries.push(...timeline.due(new Date(day + DAY)));
    }
  });

  const bodies = (topic: string) => deliveries.filter((delivery) => delivery.topic === topic).map((delivery) => delivery.body as OrderBody);
  const refundBodies = () => deliveries.filter((delivery) => delivery.topic === "refunds/create").map((delivery) => delivery.body as RefundBody);

  it("sends a window's events as Shopify's webhooks, in time order", () => {
    const topics = new Set(deliveries.map((delivery) => delivery.topic));
    // Shopify sends orders/edited only to an app subscribed to it.
    const edited = (SUBSCRIBED_TOPICS as readonly string[]).includes("orders/edited") ? ["orders/edited"] : [];
    expect([...topics].sort()).toEqual(["customers/create", "fulfillment_events/create", "fulfillments/create", "orders/cancelled", "orders/create", ...edited, "orders/paid", "orders/updated", "refunds/create"]);
    for (const topic of topics) expect(SUBSCRIBED_TOPICS).toContain(topic);
    for (let i = 1; i < deliveries.length; i++) expect(deliveries[i].at.getTime()).toBeGreaterThanOrEqual(deliveries[i - 1].at.getTime());
    expect(deliveries.every((delivery) => delivery.at >= from && delivery.at < end)).toBe(true);
  });

  it("numbers orders #1001 upward in the order they are placed, each keeping its number in every body about it", () => {
    const created = bodies("orders/create");
    const numbers = created.map((body) => body.order_number as number);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1] + 1);
    expect(state.shop(domain).orders.get(store.orders[0].id)!.name).toBe("#1001");
    const byId = new Map(created.map((body) => [String(body.id), body.name]));
    for (const body of [...bodies("orders/paid"), ...bodies("orders/updated"), ...bodies("orders/cancelled")]) expect(body.name).toBe(byId.get(String(body.id)) ?? state.shop(domain).orders.get(String(body.id))!.name);
  });

  it("carries the store's own lines and flags, nothing of the development-store capture", () => {
    const products = new Map(store.products.map((product) => [product.id, product]));
    for (const body of bodies("orders/create")) {
      expect(body.test).toBe(false);
      expect(["web", "pos"]).toContain(body.source_name);
      if (body.source_name === "pos") expect(store.locations.map((location) => Number(location.id))).toContain(body.location_id);
      // The POS user who rang it up (Shopify's user_id), the generator's cashier; none online.
      expect(body.user_id).toBe(body.source_name === "pos" ? Number(store.orders.find((order) => order.id === String(body.id))!.staffId) : null);
      for (const line of body.line_items) {
        const product = products.get(String(line.product_id))!;
        expect(line).toMatchObject({ title: product.title, sku: product.sku, variant_id: Number(product.variantId), price: (product.priceMinor / 100).toFixed(2), vendor: product.vendor });
        expect(capture.line_items.some((captured) => captured.product_id === line.product_id || captured.title === line.title)).toBe(false);
      }
    }
  });

  it("records discounts as Shopify sends them: the code or the member discount, allocated to lines, adding up to the order's discount", () => {
    const created = bodies("orders/create");
    const withCode = created.filter((body) => body.discount_codes.length > 0);
    const withMember = created.filter((body) => body.discount_applications.some((application) => application.type === "automatic" && application.target_type === "line_item"));
    expect(withCode.length).toBeGreaterThan(0);
    expect(withMember.length).toBeGreaterThan(0);
    for (const body of created) {
      const shippingDiscount = body.shipping_lines.flatMap((line) => line.discount_allocations).reduce((sum, allocation) => sum + Math.round(Number(allocation.amount) * 100), 0);
      const allocated = body.line_items.flatMap((line) => line.discount_allocations).reduce((sum, allocation) => sum + Math.round(Number(allocation.amount) * 100), 0);
      expect(allocated + shippingDiscount).toBe(Math.round(Number(body.total_discounts) * 100));
      const lines = body.line_items.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0);
      expect(Math.round(Number(body.subtotal_price) * 100)).toBe(lines - allocated);
      // One line discount per order: a code and the member discount do not combine.
      expect(body.discount_applications.filter((application) => application.target_type === "line_item").length).toBeLessThanOrEqual(1);
    }
    // The free-shipping perk: an application of its own on the shipping line, taken off the total.
    const freeShipping = created.filter((body) => body.shipping_lines[0]?.discount_allocations.length);
    expect(freeShipping.length).toBeGreaterThan(0);
    for (const body of freeShipping) {
      const [line] = body.shipping_lines;
      expect(Number(body.customer.id) % 4).toBe(0);
      expect(line.discounted_price).toBe("0.00");
      expect(body.discount_applications[line.discount_allocations[0].discount_application_index]).toMatchObject({ target_type: "shipping_line", type: "automatic", value: "100.0" });
      expect(body.total_price).toBe(body.subtotal_price);
    }
    for (const body of withCode) expect(body.discount_applications[0]).toMatchObject({ type: "discount_code", code: body.discount_codes[0].code, value_type: "percentage" });
    for (const body of withMember) {
      expect(Number(body.customer.id) % 2).toBe(0);
      expect(body.discount_applications[0]).toMatchObject({ title: "MemberCare member pricing", value: "10.0", value_type: "percentage" });
    }
  });

  it("refunds lines, shipping and goodwill money the way Shopify records each, and the order's current amounts follow", () => {
    const refunds = refundBodies();
    const restocks = new Set(refunds.flatMap((refund) => refund.refund_line_items.map((line) => line.restock_type)));
    expect([...restocks].sort()).toEqual(["cancel", "return"]);
    expect(refunds.some((refund) => refund.refund_line_items.length === 0 && refund.refund_shipping_lines.length === 1)).toBe(true);
    const goodwill = refunds.filter((refund) => refund.order_adjustments.some((adjustment) => adjustment.kind === "refund_discrepancy"));
    expect(goodwill.length).toBeGreaterThan(0);
    for (const refund of goodwill) expect(refund.refund_line_items).toEqual([]);
    // After each refund, orders/updated shows less left on the order than it was placed for.
    for (const refund of refunds) {
      const updated = bodies("orders/updated").find((body) => body.id === refund.order_id && body.refunds.some((each) => each.id === refund.id));
      if (!updated) continue; // a cancellation's refund is carried by orders/cancelled
      expect(Number(updated.current_total_price)).toBeLessThan(Number(updated.total_price));
    }
  });
});

describe("the known response", () => {
  const sentAt = new Date("2026-11-01T10:00:00Z");
  const customers = store.customers.slice(0, 1000);
  const responses = (activity: string, step: string, extra = {}) => customers.map((customer) => responseOrder(store, { customerId: customer.id, activity, step, sentAt, ...extra }));

  it("raises the chance of an order within the window by the documented lift for each kind of message", () => {
    for (const [activity, step] of [["flow:replenishment", "reminder"], ["flow:winBack", "atRisk"], ["flow:postDelivery", "deliveryCheck"], ["campaign:c1", "send"]]) {
      const lift = activity.startsWith("campaign") ? KNOWN_RESPONSES.campaign.lift : KNOWN_RESPONSES[`${activity}/${step}`].lift;
      const orders = responses(activity, step).filter((order) => order !== null);
      // 1,000 messages: the share that answer lies within 4 standard errors of the lift.
      expect(Math.abs(orders.length / customers.length - lift)).toBeLessThan(4 * Math.sqrt((lift * (1 - lift)) / customers.length));
      for (const order of orders) {
        const delay = order!.createdAt.getTime() - sentAt.getTime();
        expect(delay).toBeGreaterThanOrEqual(RESPONSE_AFTER_HOURS * 3_600_000);
        expect(delay).toBeLessThanOrEqual(RESPONSE_WITHIN_DAYS * DAY);
        expect(order).toMatchObject({ respondsTo: { activity, step, sentAt }, cancelledAt: null, changes: [], sourceName: "web" });
      }
    }
    expect(responses("flow:shipmentNotice", "onIt").every((order) => order === null)).toBe(true);
  });

  it("answers the same message the same way, buys what a reminder named and uses the offer's code", () => {
    expect(responses("flow:replenishment", "reminder")).toEqual(responses("flow:replenishment", "reminder"));
    const reminded = responses("flow:replenishment", "reminder", { productTitle: "Oolong Tea 250 g" }).filter((order) => order !== null);
    expect(reminded.every((order) => order!.lines[0].title === "Oolong Tea 250 g")).toBe(true);
    const offered = responses("flow:winBack", "dormant", { offerCode: { code: "BACK-7F3K", percent: 15 } }).filter((order) => order !== null);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.every((order) => order!.code?.code === "BACK-7F3K")).toBe(true);
    const placed = priceOrder(offered[0]!, 1001, null);
    expect(placed).toMatchObject({ discountKind: "code", applications: [{ type: "discount_code", code: "BACK-7F3K", value: "15.0" }] });
    // Response ids never collide with the store's own.
    const ids = new Set(store.orders.map((order) => order.id));
    expect(offered.some((order) => ids.has(order!.id))).toBe(false);
  });
});
