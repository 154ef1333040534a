// A generated store (store-generator.ts) as Shopify would hold and announce it:
// what is already in the store before the app is installed, and the webhooks
// each later moment sends (customers created, orders placed, paid, cancelled
// and refunded, shipments and their carrier events).
import { customerPayload, fulfillmentEventPayload, fulfillmentPayload, orderPayload, refundPayload } from "../../tests/support/payloads";
import type { GeneratedCustomer, GeneratedOrder, GeneratedStore } from "./store-generator";
import type { SimulatorState } from "./state";
import type { WebhookDelivery } from "./webhooks";

export interface TimedDelivery extends WebhookDelivery {
  at: Date;
}

const decimal = (minor: number) => (minor / 100).toFixed(2);
const iso = (date: Date) => date.toISOString();
const inWindow = (at: Date, from: Date, to: Date) => at >= from && at < to;

/** Puts the customers and orders of [from, to) into the simulated store, as Shopify holds them. */
export function addToShopify(state: SimulatorState, domain: string, store: GeneratedStore, from: Date, to: Date): { customers: number; orders: number } {
  const products = new Map(store.products.map((product) => [product.id, product]));
  let customers = 0;
  let orders = 0;
  for (const customer of store.customers) {
    if (!inWindow(customer.createdAt, from, to)) continue;
    state.addCustomer(domain, {
      id: customer.id,
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      phone: customer.phone,
      locale: customer.locale,
      emailMarketingState: customer.emailMarketing,
      smsMarketingState: customer.smsMarketing ?? "NOT_SUBSCRIBED",
      defaultAddress: { city: customer.region.city, provinceCode: customer.region.provinceCode, countryCode: customer.region.countryCode },
      createdAt: iso(customer.createdAt),
      updatedAt: iso(customer.createdAt),
    });
    customers++;
  }
  for (const order of store.orders) {
    if (!inWindow(order.createdAt, from, to)) continue;
    state.addOrder(domain, {
      id: order.id,
      customerId: order.customerId,
      createdAt: iso(order.createdAt),
      processedAt: iso(order.createdAt),
      updatedAt: iso(order.createdAt),
      cancelledAt: order.cancelledAt ? iso(order.cancelledAt) : null,
      cancelReason: order.cancelledAt ? "CUSTOMER" : null,
      displayFulfillmentStatus: order.shipment ? "FULFILLED" : "UNFULFILLED",
      lineItems: order.lines.map((line) => ({ id: line.id, productId: line.productId, quantity: line.quantity, unitPriceMinor: line.priceMinor, title: products.get(line.productId)?.title ?? "Product", isGiftCard: products.get(line.productId)?.isGiftCard ?? false })),
    });
    orders++;
  }
  // Refunds of any order, placed in the window or before it.
  for (const order of store.orders) {
    if (order.refund && inWindow(order.refund.at, from, to) && state.shop(domain).orders.has(order.id)) state.addRefund(domain, order.id, order.refund.amountMinor, iso(order.refund.at));
  }
  return { customers, orders };
}

/** Every webhook Shopify sends for what happens in [from, to), oldest first. */
export function storeWebhooks(store: GeneratedStore, domain: string, from: Date, to: Date): TimedDelivery[] {
  const deliveries: TimedDelivery[] = [];
  const push = (at: Date, topic: string, body: unknown) => {
    if (inWindow(at, from, to)) deliveries.push({ at, topic, shop: domain, body, triggeredAt: iso(at) });
  };
  const customers = new Map<string, GeneratedCustomer>(store.customers.map((customer) => [customer.id, customer]));
  for (const customer of store.customers) {
    push(customer.createdAt, "customers/create", customerPayload({
      id: customer.id,
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      phone: customer.phone,
      locale: customer.locale,
      createdAt: iso(customer.createdAt),
      address: { city: customer.region.city, provinceCode: customer.region.provinceCode, countryCode: customer.region.countryCode },
      emailMarketing: customer.emailMarketing,
      smsMarketing: customer.smsMarketing,
    }));
  }
  for (const order of store.orders) orderWebhooks(order, customers.get(order.customerId)!, push);
  return deliveries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function orderWebhooks(order: GeneratedOrder, customer: GeneratedCustomer, push: (at: Date, topic: string, body: unknown) => void) {
  const spec = {
    id: order.id,
    customerId: order.customerId,
    email: customer.email,
    createdAt: iso(order.createdAt),
    subtotal: decimal(order.subtotalMinor),
    lines: order.lines.map((line) => ({ id: line.id, productId: line.productId, quantity: line.quantity, price: decimal(line.priceMinor) })),
  };
  push(order.createdAt, "orders/create", orderPayload({ ...spec, financialStatus: "pending" }));
  const paid = new Date(order.createdAt.getTime() + 60_000);
  push(paid, "orders/paid", orderPayload({ ...spec, updatedAt: iso(paid) }));
  if (order.cancelledAt) {
    push(order.cancelledAt, "orders/cancelled", orderPayload({ ...spec, updatedAt: iso(order.cancelledAt), cancelledAt: iso(order.cancelledAt), financialStatus: "refunded" }));
  }
  if (order.refund) {
    push(order.refund.at, "refunds/create", refundPayload({ id: order.refund.id, orderId: order.id, amount: decimal(order.refund.amountMinor), createdAt: iso(order.refund.at) }));
  }
  const shipment = order.shipment;
  if (!shipment) return;
  const tracking = shipment.trackingNumber ? { company: shipment.trackingCompany!, number: shipment.trackingNumber } : null;
  push(shipment.at, "fulfillments/create", fulfillmentPayload({ id: shipment.fulfillmentId, orderId: order.id, updatedAt: iso(shipment.at), tracking }));
  for (const event of shipment.events) {
    push(event.at, "fulfillment_events/create", fulfillmentEventPayload({ id: event.id, fulfillmentId: shipment.fulfillmentId, orderId: order.id, status: event.status, happenedAt: iso(event.at) }));
  }
}
