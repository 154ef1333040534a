// A generated store (store-generator.ts) as Shopify would hold and announce it:
// what is already in the store before the app is installed, and the webhooks
// each later moment sends (customers created; orders placed, paid, edited,
// cancelled and refunded; shipments and their carrier events).
//
// Every order is priced when it is placed, as Shopify's checkout would: a
// discount code the shopper entered, or the member discount the app's Function
// gives at that moment (checkout.ts runs the Function bundle on the member's
// current $app:membership metafield), whichever saves more (the member
// discount does not combine with order discounts by default,
// DEFAULT_COMBINATION in app/domain/tiers.ts, and Shopify then applies the
// better one); free shipping when the member's tier gives it. The order is
// numbered then (#1001, #1002 … per shop, in the order orders are placed), and
// the bodies of everything that happens to it later are built from that one
// priced order (tests/support/payloads.ts), so its number, lines, SKUs and
// discounts are the same in every webhook about it.
import { minorToAmount, toMinorUnits } from "../../app/domain/money";
import { SUBSCRIBED_TOPICS } from "../../app/domain/webhook-topics";
import { customerPayload, fulfillmentEventPayload, fulfillmentPayload, orderPayload, refundPayload, type DiscountApplicationSpec, type OrderSpec, type RefundSpec } from "../../tests/support/payloads";
import type { GeneratedCustomer, GeneratedOrder, GeneratedStore, OrderChange } from "./store-generator";
import type { SimulatorState } from "./state";
import type { WebhookDelivery } from "./webhooks";
import type { CheckoutResult } from "./checkout";

export interface TimedDelivery extends WebhookDelivery {
  at: Date;
}

const CURRENCY = "USD";
const decimal = (minor: number) => minorToAmount(minor, CURRENCY);
const iso = (date: Date) => date.toISOString();
const inWindow = (at: Date, from: Date, to: Date) => at >= from && at < to;
const MINUTE = 60_000;

/** The member discount at checkout for an order's lines (null: a guest, or no member discount). */
export type MemberCheckout = (order: GeneratedOrder) => Promise<CheckoutResult | null>;

/** An order as its checkout priced it: the one source of every body sent about it. */
export interface PlacedOrder {
  order: GeneratedOrder;
  number: number;
  applications: DiscountApplicationSpec[];
  /** Per line: its discounts, by application index. */
  lineDiscounts: Array<Array<{ minor: number; application: number }>>;
  /** The lines after discounts (Shopify's subtotal_price). */
  subtotalMinor: number;
  discountMinor: number;
  /** Which discount the order got, for the demo's own counts. */
  discountKind: "member" | "code" | null;
  shippingMinor: number;
  /** Shipping the member's free-shipping perk took off. */
  shippingDiscountMinor: number;
}

/** Splits `amount` across lines in proportion to their values, the rounding left on the last line. */
function allocate(amount: number, values: number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  let left = amount;
  const last = values.reduce((index, value, i) => (value > 0 ? i : index), -1);
  return values.map((value, index) => {
    if (value === 0 || total === 0) return 0;
    const share = index === last ? left : Math.round((amount * value) / total);
    left -= share;
    return share;
  });
}

/** Prices an order at its checkout: the code or the member discount, whichever saves more; free shipping from the member's perk. */
export function priceOrder(order: GeneratedOrder, number: number, member: CheckoutResult | null): PlacedOrder {
  const values = order.lines.map((line) => line.priceMinor * line.quantity);
  // A discount code never applies to gift cards (Shopify excludes them from discounts).
  const codeBase = order.lines.map((line, index) => (line.isGiftCard ? 0 : values[index]));
  const codeTotal = codeBase.reduce((sum, value) => sum + value, 0);
  const codeMinor = !order.code ? 0 : order.code.amountMinor !== undefined ? Math.min(order.code.amountMinor, codeTotal) : Math.round((codeTotal * order.code.percent) / 100);
  const memberMinor = member?.discountMinor ?? 0;
  const applications: DiscountApplicationSpec[] = [];
  const lineDiscounts: PlacedOrder["lineDiscounts"] = order.lines.map(() => []);
  let discountKind: PlacedOrder["discountKind"] = null;
  if (order.code && codeMinor > 0 && codeMinor >= memberMinor) {
    const fixed = order.code.amountMinor !== undefined;
    applications.push({ type: "discount_code", code: order.code.code, valueType: fixed ? "fixed_amount" : "percentage", value: fixed ? decimal(order.code.amountMinor!) : order.code.percent.toFixed(1), targetType: "line_item", targetSelection: "all", allocationMethod: "across" });
    allocate(codeMinor, codeBase).forEach((minor, index) => minor > 0 && lineDiscounts[index].push({ minor, application: 0 }));
    discountKind = "code";
  } else if (member && memberMinor > 0) {
    applications.push({ type: "automatic", title: member.discountTitle ?? "Member discount", valueType: "percentage", value: (member.percent ?? 0).toFixed(1), targetType: "line_item", targetSelection: "all", allocationMethod: "across" });
    member.lineDiscountsMinor.forEach((minor, index) => minor > 0 && lineDiscounts[index].push({ minor, application: 0 }));
    discountKind = "member";
  }
  const discountMinor = lineDiscounts.flat().reduce((sum, discount) => sum + discount.minor, 0);
  const shippingDiscountMinor = member?.freeShipping && order.shippingMinor > 0 ? order.shippingMinor : 0;
  return { order, number, applications, lineDiscounts, subtotalMinor: values.reduce((sum, value) => sum + value, 0) - discountMinor, discountMinor, discountKind, shippingMinor: order.shippingMinor, shippingDiscountMinor };
}

/** What one line is worth after its discount, per unit (the share a refund of `quantity` units returns). */
function lineNet(placed: PlacedOrder, lineId: string, quantity: number): number {
  const index = placed.order.lines.findIndex((line) => line.id === lineId);
  const line = placed.order.lines[index];
  const discount = placed.lineDiscounts[index].reduce((sum, each) => sum + each.minor, 0);
  return Math.round(((line.priceMinor * line.quantity - discount) * quantity) / line.quantity);
}

/** The refund each change makes (an edit refunds the unit it removed). */
function refundOf(placed: PlacedOrder, change: OrderChange, removed: Map<string, number>): Omit<RefundSpec, "order"> {
  const base = { id: change.id, orderId: placed.order.id, currency: CURRENCY, createdAt: iso(change.at) };
  const left = (lineId: string) => placed.order.lines.find((line) => line.id === lineId)!.quantity - (removed.get(lineId) ?? 0);
  switch (change.kind) {
    case "edit":
      return { ...base, note: "Removed at the customer's request before shipping", lines: [{ lineItemId: change.lineId, quantity: change.removeQuantity, subtotal: decimal(lineNet(placed, change.lineId, change.removeQuantity)), restockType: "cancel" }] };
    case "lineRefund":
      return { ...base, note: "Returned", lines: [{ lineItemId: change.lineId, quantity: change.quantity, subtotal: decimal(lineNet(placed, change.lineId, change.quantity)), restockType: "return" }] };
    case "shippingRefund":
      return { ...base, note: "Late delivery: shipping refunded", shipping: decimal(placed.shippingMinor - placed.shippingDiscountMinor) };
    case "goodwill":
      return { ...base, note: "Goodwill", discrepancy: decimal(Math.round((placed.subtotalMinor * change.percent) / 100)) };
    case "fullRefund":
      return {
        ...base,
        note: "Refunded in full",
        lines: placed.order.lines.filter((line) => left(line.id) > 0).map((line) => ({ lineItemId: line.id, quantity: left(line.id), subtotal: decimal(lineNet(placed, line.id, left(line.id))), restockType: "return" as const })),
        shipping: placed.shippingMinor - placed.shippingDiscountMinor > 0 ? decimal(placed.shippingMinor - placed.shippingDiscountMinor) : undefined,
      };
  }
}

const minorOf = (amount: string | undefined) => toMinorUnits(amount ?? "0", CURRENCY);
const refundMinor = (refund: Omit<RefundSpec, "order">) => (refund.lines ?? []).reduce((sum, line) => sum + minorOf(line.subtotal), 0) + minorOf(refund.shipping) + minorOf(refund.discrepancy);

/**
 * The store over time: orders placed into the simulated Shopify (priced and
 * numbered as they are placed) and the webhooks their lives send, queued in
 * time order until their moment comes.
 */
export class StoreTimeline {
  private queue: Array<TimedDelivery & { apply?: () => void }> = [];
  private placedOrders = new Map<string, PlacedOrder>();
  private customers: Map<string, GeneratedCustomer>;
  private nextNumber = 1001;
  private sorted = true;

  constructor(
    private readonly state: SimulatorState,
    private readonly domain: string,
    private readonly store: GeneratedStore,
  ) {
    this.customers = new Map(store.customers.map((customer) => [customer.id, customer]));
  }

  placed(orderId: string): PlacedOrder | undefined {
    return this.placedOrders.get(orderId);
  }

  allPlaced(): PlacedOrder[] {
    return [...this.placedOrders.values()];
  }

  /**
   * Before the install: the customers and orders of [from, to) put into
   * Shopify as it holds them (edits, refunds and cancellations up to `to`
   * applied; no member discount, the app was not there), and the webhooks of
   * what happens to those orders from `to` on queued.
   */
  addPast(from: Date, to: Date): { customers: number; orders: number } {
    let customers = 0;
    for (const customer of this.store.customers) {
      if (!inWindow(customer.createdAt, from, to)) continue;
      this.addCustomer(customer);
      customers++;
    }
    let orders = 0;
    for (const order of this.store.orders) {
      if (!inWindow(order.createdAt, from, to)) continue;
      const placed = priceOrder(order, this.nextNumber++, null);
      this.placedOrders.set(order.id, placed);
      const removed = new Map<string, number>();
      for (const change of order.changes) if (change.kind === "edit" && change.at < to) removed.set(change.lineId, (removed.get(change.lineId) ?? 0) + change.removeQuantity);
      this.addOrder(placed, removed, order.cancelledAt !== null && order.cancelledAt < to);
      for (const change of order.changes) {
        if (change.at < to && change.kind !== "edit") this.state.addRefund(this.domain, order.id, refundMinor(refundOf(placed, change, removed)), iso(change.at));
      }
      this.queueLife(placed, to);
      orders++;
    }
    return { customers, orders };
  }

  /**
   * The customers who sign up and the orders placed in [from, to), with
   * `extra` orders (responses to messages) among them: each put into Shopify
   * in time order, priced at its checkout by `member`, its webhooks queued.
   */
  async place(from: Date, to: Date, extra: GeneratedOrder[], member: MemberCheckout): Promise<PlacedOrder[]> {
    for (const customer of this.store.customers) {
      if (!inWindow(customer.createdAt, from, to)) continue;
      this.addCustomer(customer);
      this.push(customer.createdAt, "customers/create", customerPayload({
        id: customer.id,
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        phone: customer.phone,
        locale: customer.locale,
        createdAt: iso(customer.createdAt),
        address: { city: customer.region.city, provinceCode: customer.region.provinceCode, province: customer.region.province, countryCode: customer.region.countryCode },
        emailMarketing: customer.emailMarketing,
        smsMarketing: customer.smsMarketing,
      }));
    }
    const orders = [...this.store.orders.filter((order) => inWindow(order.createdAt, from, to)), ...extra].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const placedNow: PlacedOrder[] = [];
    for (const order of orders) {
      if (this.placedOrders.has(order.id)) continue;
      const placed = priceOrder(order, this.nextNumber++, await member(order));
      this.placedOrders.set(order.id, placed);
      this.addOrder(placed, new Map(), false);
      this.queueLife(placed, order.createdAt);
      placedNow.push(placed);
    }
    return placedNow;
  }

  /** The queued webhooks before `until`, oldest first; what they tell is applied to the simulated Shopify as they go. */
  due(until: Date): TimedDelivery[] {
    if (!this.sorted) {
      this.queue.sort((a, b) => a.at.getTime() - b.at.getTime());
      this.sorted = true;
    }
    let count = 0;
    while (count < this.queue.length && this.queue[count].at < until) count++;
    const due = this.queue.splice(0, count);
    for (const delivery of due) delivery.apply?.();
    return due.map(({ apply: _apply, ...delivery }) => delivery);
  }

  private push(at: Date, topic: string, body: unknown, apply?: () => void) {
    this.queue.push({ at, topic, shop: this.domain, body, triggeredAt: iso(at), apply });
    this.sorted = false;
  }

  private addCustomer(customer: GeneratedCustomer) {
    this.state.addCustomer(this.domain, {
      id: customer.id,
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      phone: customer.phone,
      locale: customer.locale,
      emailMarketingState: customer.emailMarketing,
      smsMarketingState: customer.smsMarketing ?? "NOT_SUBSCRIBED",
      defaultAddress: { city: customer.region.city, provinceCode: customer.region.provinceCode, province: customer.region.province, countryCode: customer.region.countryCode },
      createdAt: iso(customer.createdAt),
      updatedAt: iso(customer.createdAt),
    });
  }

  private addOrder(placed: PlacedOrder, removed: Map<string, number>, cancelled: boolean) {
    const { order } = placed;
    this.state.addOrder(this.domain, {
      id: order.id,
      name: `#${placed.number}`,
      customerId: order.customerId,
      createdAt: iso(order.createdAt),
      processedAt: iso(order.createdAt),
      updatedAt: iso(order.createdAt),
      cancelledAt: cancelled && order.cancelledAt ? iso(order.cancelledAt) : null,
      cancelReason: cancelled ? "CUSTOMER" : null,
      displayFulfillmentStatus: order.shipment || order.sourceName === "pos" ? "FULFILLED" : "UNFULFILLED",
      sourceName: order.sourceName,
      test: false,
      totalShippingMinor: placed.shippingMinor - placed.shippingDiscountMinor,
      lineItems: order.lines.map((line, index) => ({
        id: line.id,
        title: line.title,
        sku: line.sku,
        vendor: line.vendor,
        productId: line.productId,
        variantId: line.variantId,
        quantity: line.quantity - (removed.get(line.id) ?? 0),
        unitPriceMinor: line.priceMinor,
        discountMinor: Math.round((placed.lineDiscounts[index].reduce((sum, each) => sum + each.minor, 0) * (line.quantity - (removed.get(line.id) ?? 0))) / line.quantity),
        isGiftCard: line.isGiftCard,
      })),
    });
  }

  /** The order's body as of a moment: what was removed by edits and the refunds so far. */
  private orderSpec(placed: PlacedOrder, removed: Map<string, number>, extra: Partial<OrderSpec>): OrderSpec {
    const { order } = placed;
    const customer = this.customers.get(order.customerId)!;
    return {
      id: order.id,
      number: placed.number,
      customerId: order.customerId,
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      createdAt: iso(order.createdAt),
      currency: CURRENCY,
      sourceName: order.sourceName,
      locationId: order.locationId,
      userId: order.staffId,
      address: { city: customer.region.city, provinceCode: customer.region.provinceCode, province: customer.region.province, countryCode: customer.region.countryCode },
      discountApplications: placed.applications,
      shipping: placed.shippingMinor > 0 ? decimal(placed.shippingMinor) : undefined,
      shippingDiscount: placed.shippingDiscountMinor > 0 ? { amount: decimal(placed.shippingDiscountMinor), title: placed.applications.find((application) => application.type === "automatic")?.title ?? "Member free shipping" } : undefined,
      lines: order.lines.map((line, index) => ({
        id: line.id,
        productId: line.productId,
        variantId: line.variantId,
        title: line.title,
        sku: line.sku,
        vendor: line.vendor,
        price: decimal(line.priceMinor),
        quantity: line.quantity,
        currentQuantity: line.quantity - (removed.get(line.id) ?? 0),
        giftCard: line.isGiftCard,
        discounts: placed.lineDiscounts[index].map((discount) => ({ amount: decimal(discount.minor), application: discount.application })),
      })),
      ...extra,
    };
  }

  /** Queues every webhook of the order's life from `from` on (its placing too, when that is after `from`). */
  private queueLife(placed: PlacedOrder, from: Date) {
    const { order } = placed;
    const push = (at: Date, topic: string, body: () => unknown, apply?: () => void) => {
      if (at >= from) this.push(at, topic, body(), apply);
    };
    const pos = order.sourceName === "pos";
    const removed = new Map<string, number>();
    const refunds: Array<Record<string, unknown>> = [];
    let refundedMinor = 0;
    let shippingRefunded = false;
    let financialStatus = "paid";
    // A POS sale is handed over at the counter: fulfilled at once.
    const fulfillmentStatus = () => (pos ? "fulfilled" : order.shipment && order.shipment.at <= at ? "fulfilled" : null);
    let at = order.createdAt;
    const spec = (extra: Partial<OrderSpec>) => this.orderSpec(placed, new Map(removed), { financialStatus, fulfillmentStatus: fulfillmentStatus(), refunds: [...refunds], ...extra });

    // Checkout captures the payment at once (Shopify Payments' default): paid from the start.
    push(order.createdAt, "orders/create", () => orderPayload(spec({})));
    push(new Date(order.createdAt.getTime() + MINUTE), "orders/paid", () => orderPayload(spec({ updatedAt: iso(new Date(order.createdAt.getTime() + MINUTE)) })));

    if (order.cancelledAt) {
      // Cancelled with a refund of everything, restocked: refunds/create, then orders/cancelled carrying it.
      at = order.cancelledAt;
      const refundSpec: Omit<RefundSpec, "order"> = {
        id: `${order.id}7`,
        orderId: order.id,
        currency: CURRENCY,
        createdAt: iso(order.cancelledAt),
        note: "Order cancelled",
        lines: order.lines.map((line) => ({ lineItemId: line.id, quantity: line.quantity, subtotal: decimal(lineNet(placed, line.id, line.quantity)), restockType: "cancel" as const })),
        shipping: placed.shippingMinor - placed.shippingDiscountMinor > 0 ? decimal(placed.shippingMinor - placed.shippingDiscountMinor) : undefined,
      };
      const refund = refundPayload({ ...refundSpec, order: orderPayload(spec({})) });
      push(order.cancelledAt, "refunds/create", () => refund);
      refunds.push(refund);
      financialStatus = "refunded";
      for (const line of order.lines) removed.set(line.id, line.quantity);
      const cancelledAt = order.cancelledAt;
      push(cancelledAt, "orders/cancelled", () => orderPayload(spec({ updatedAt: iso(cancelledAt), cancelledAt: iso(cancelledAt), cancelReason: "customer" })), () => {
        const simOrder = this.state.shop(this.domain).orders.get(order.id);
        if (simOrder) {
          simOrder.cancelledAt = iso(cancelledAt);
          simOrder.cancelReason = "CUSTOMER";
        }
      });
    }

    const events: Array<{ at: Date; run: () => void }> = [];
    // A shipping refund for an order whose shipping the member's perk made free has nothing to refund.
    for (const change of order.changes.filter((each) => each.kind !== "shippingRefund" || placed.shippingMinor - placed.shippingDiscountMinor > 0)) {
      events.push({
        at: change.at,
        run: () => {
          at = change.at;
          const before = orderPayload(spec({}));
          const refundSpec = refundOf(placed, change, removed);
          const amount = refundMinor(refundSpec);
          if (change.kind === "edit") {
            removed.set(change.lineId, (removed.get(change.lineId) ?? 0) + change.removeQuantity);
            if ((SUBSCRIBED_TOPICS as readonly string[]).includes("orders/edited")) {
              push(change.at, "orders/edited", () => ({
                order_edit: {
                  id: Number(change.id),
                  app_id: null,
                  created_at: iso(change.at),
                  committed_at: iso(change.at),
                  notify_customer: false,
                  order_id: Number(order.id),
                  staff_note: "",
                  user_id: null,
                  line_items: { additions: [], removals: [{ id: Number(change.lineId), delta: change.removeQuantity }] },
                  discounts: { line_item: { additions: [], removals: [] } },
                  shipping_lines: { additions: [], removals: [] },
                },
              }));
            }
          } else if (change.kind === "lineRefund") {
            removed.set(change.lineId, (removed.get(change.lineId) ?? 0) + change.quantity);
          } else if (change.kind === "fullRefund") {
            for (const line of order.lines) removed.set(line.id, line.quantity);
          }
          const refund = refundPayload({ ...refundSpec, order: before });
          refundedMinor += amount;
          refunds.push(refund);
          const paidMinor = placed.subtotalMinor + placed.shippingMinor - placed.shippingDiscountMinor;
          financialStatus = refundedMinor >= paidMinor ? "refunded" : "partially_refunded";
          push(change.at, "refunds/create", () => refund, () => this.state.addRefund(this.domain, order.id, amount, iso(change.at)));
          // What is left: the lines' current amounts follow the removed units;
          // shipping refunded and money returned without lines lower the current total.
          if (change.kind === "shippingRefund" || change.kind === "fullRefund") shippingRefunded = true;
          const adjustments = order.changes.filter((each) => each.kind === "goodwill" && each.at <= change.at).reduce((sum, each) => sum + refundMinor(refundOf(placed, each, removed)), 0);
          const body = orderPayload(spec({ updatedAt: iso(new Date(change.at.getTime() + 1000)) }));
          const currentSubtotal = minorOf(String(body.current_subtotal_price));
          const paidShipping = shippingRefunded ? 0 : placed.shippingMinor - placed.shippingDiscountMinor;
          const current = adjustments > 0 || (shippingRefunded && placed.shippingMinor > 0) ? { shipping: decimal(shippingRefunded ? 0 : placed.shippingMinor), total: decimal(Math.max(0, currentSubtotal + paidShipping - adjustments)) } : undefined;
          push(new Date(change.at.getTime() + 1000), "orders/updated", () => (current ? orderPayload(spec({ updatedAt: iso(new Date(change.at.getTime() + 1000)), current })) : body));
        },
      });
    }

    const shipment = order.shipment;
    if (shipment) {
      const tracking = shipment.trackingNumber ? { company: shipment.trackingCompany!, number: shipment.trackingNumber } : null;
      events.push({ at: shipment.at, run: () => push(shipment.at, "fulfillments/create", () => fulfillmentPayload({ id: shipment.fulfillmentId, orderId: order.id, updatedAt: iso(shipment.at), tracking })) });
      for (const event of shipment.events) {
        events.push({ at: event.at, run: () => push(event.at, "fulfillment_events/create", () => fulfillmentEventPayload({ id: event.id, fulfillmentId: shipment.fulfillmentId, orderId: order.id, status: event.status, happenedAt: iso(event.at) })) });
      }
    }
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const event of events) event.run();
  }
}
