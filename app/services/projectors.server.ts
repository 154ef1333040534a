import { parseShopifyJson } from "~/domain/shopify-json";
import {
  PayloadError,
  parseCustomer,
  parseCustomerDelete,
  parseCustomerPrivacyRequest,
  parseEmailConsent,
  parseFulfillment,
  parseFulfillmentEvent,
  parseOrder,
  parseOrderCodes,
  parseOrderEdit,
  parseRefund,
  parseSmsConsent,
  type OrderRecord,
  type RedeemedCode,
} from "~/domain/webhook-payloads";
import { applyConsent, applyCustomerRecord, createMissingCustomers, markCustomerDeleted } from "~/models/customers.server";
import { applyFulfillment, applyFulfillmentEvent } from "~/models/fulfillments.server";
import { applyOrderEdit, applyOrders, applyRefund, orderCustomer } from "~/models/orders.server";
import { checkShipment } from "./anomalies.server";
import { recordRedeemedCodes } from "./offer-codes.server";
import { closeGoneFollowUps } from "./follow-ups.server";
import { recordScopes, recordUninstall } from "./install.server";
import { eraseCustomer, eraseShop, exportCustomer, forgetErasedInBatch, screenErasedEvents } from "./privacy.server";
import { classifyMembers } from "./intelligence.server";
import { giveDueGifts } from "./gifts.server";
import { evaluateTiers } from "./tiers.server";
import { withShopLock } from "~/models/locks.server";
import type { InboxEventInput, ProjectionOutcome } from "~/domain/projection";
import { refreshMemberFacts } from "./member-facts.server";

export type { InboxEventInput, ProjectionOutcome } from "~/domain/projection";

/**
 * Projectors turn inbox events into member facts. Each is idempotent and
 * order-independent: records are keyed by Shopify id, newer `updated_at` wins,
 * and derived facts are recomputed from the stored records, so duplicates,
 * retries and out-of-order deliveries converge to the same state.
 *
 * Order events, by far the most numerous, are applied set-based per batch (a
 * few statements whatever the batch size); the rest one by one.
 */
const ORDER_TOPICS = new Set(["orders/create", "orders/updated", "orders/paid", "orders/cancelled"]);

type Projector = (shop: string, topic: string, payload: unknown, now: Date) => Promise<ProjectionOutcome>;

/**
 * Brings members up to date after their records changed: facts first, then the
 * tiers they place (upgrades only; downgrades wait for the daily sweep), then
 * their cadence and lifecycle stage (app/services/intelligence.server.ts).
 */
export async function refreshMembers(shop: string, customerShopifyIds: Iterable<string>, now: Date): Promise<void> {
  const ids = [...customerShopifyIds];
  // Read-then-write from stored rows: two workers refreshing the same shop at
  // once could each miss the other's new order and the slower write would win.
  // Taken in turn, the last refresh reads every order committed before it.
  await withShopLock("members", shop, async () => {
    await refreshMemberFacts(shop, ids, now);
    await evaluateTiers(shop, ids, now, { sweep: false });
    // Cadence and lifecycle from the fresh facts (RFM waits for the night).
    await classifyMembers(shop, ids, now);
    // Gifts the members' open orders are due, once the new tier is known (issue 10).
    await giveDueGifts(shop, ids, now);
    // Follow-ups whose reason these changes removed (an "at risk" customer who
    // ordered) close now, not at tomorrow's list (issue 17).
    await closeGoneFollowUps(shop, now, { customerShopifyIds: ids });
  });
}

/** Reads each event's body once per batch: the erasure screen and the projectors both need it (issue 19). */
type BodyReader = (event: InboxEventInput) => unknown;
function bodyReader(): BodyReader {
  const parsed = new WeakMap<InboxEventInput, unknown>();
  return (event) => {
    if (!parsed.has(event)) parsed.set(event, parseShopifyJson(event.body));
    return parsed.get(event);
  };
}

function parseBody(event: InboxEventInput, read: BodyReader): unknown {
  try {
    return read(event);
  } catch {
    throw new PayloadError(event.topic, "the stored body is not JSON");
  }
}

export interface BatchResult {
  outcomes: Map<number, ProjectionOutcome>;
  /** Per event: a PayloadError (permanent) or any other error (retried). */
  failures: Map<number, unknown>;
  /** Per shop, the customers whose member facts must be recomputed. */
  factsChanged: Map<string, Set<string>>;
}

function noteFactsChanged(result: BatchResult, shop: string, customers: Iterable<string>) {
  const changed = result.factsChanged.get(shop) ?? new Set<string>();
  for (const id of customers) changed.add(id);
  result.factsChanged.set(shop, changed);
}

/** One shop's order events, set-based. */
async function applyOrderEvents(shop: string, events: InboxEventInput[], read: BodyReader, result: BatchResult, now: Date): Promise<void> {
  const parsed: Array<{ event: InboxEventInput; order: OrderRecord; codes: RedeemedCode[] }> = [];
  for (const event of events) {
    try {
      const body = parseBody(event, read);
      parsed.push({ event, order: parseOrder(event.topic, body), codes: parseOrderCodes(event.topic, body) });
    } catch (error) {
      result.failures.set(event.id, error);
    }
  }
  try {
    await createMissingCustomers(shop, parsed.flatMap(({ order }) => (order.customer ? [order.customer] : [])));
    const { written, customers } = await applyOrders(shop, parsed.map(({ order }) => order));
    noteFactsChanged(result, shop, customers);
    // Our codes among the orders' discount codes are redeemed (issue 17): marked used, with what they took off.
    for (const { order, codes } of parsed) {
      if (codes.length > 0) await recordRedeemedCodes(shop, { shopifyId: order.shopifyId, customerShopifyId: order.customer?.shopifyId ?? null, at: order.processedAt }, codes, now);
    }
    // Within a batch only the newest version of each order is written (the last
    // one, among equals); older versions, like a stale retry, count as skipped.
    const winner = new Map<string, { id: number; updatedAt: Date }>();
    for (const { event, order } of parsed) {
      const current = winner.get(order.shopifyId);
      if (!current || order.shopifyUpdatedAt >= current.updatedAt) winner.set(order.shopifyId, { id: event.id, updatedAt: order.shopifyUpdatedAt });
    }
    for (const { event, order } of parsed) {
      const applied = written.has(order.shopifyId) && winner.get(order.shopifyId)?.id === event.id;
      result.outcomes.set(event.id, {
        status: applied ? "done" : "skipped",
        note: applied ? undefined : "a newer version of this order is already applied",
        subjectCustomerId: order.customer?.shopifyId ?? null,
        subjectOrderId: order.shopifyId,
      });
    }
  } catch (error) {
    for (const { event } of parsed) result.failures.set(event.id, error);
  }
}

const projectRefund: Projector = async (shop, topic, payload) => {
  const refund = parseRefund(topic, payload);
  const { customerShopifyId } = await applyRefund(shop, refund);
  // When the order has not arrived yet, its projection will count this refund.
  return {
    status: "done",
    factsChanged: customerShopifyId ? [customerShopifyId] : [],
    subjectCustomerId: customerShopifyId,
    subjectOrderId: refund.orderShopifyId,
  };
};

// orders/edited (issue 17): what an edit removed counts at once, even before
// the orders/updated that shows the order after it.
const projectOrderEdit: Projector = async (shop, topic, payload) => {
  const edit = parseOrderEdit(topic, payload);
  const { customerShopifyId } = await applyOrderEdit(shop, edit);
  return {
    status: "done",
    factsChanged: customerShopifyId ? [customerShopifyId] : [],
    subjectCustomerId: customerShopifyId,
    subjectOrderId: edit.orderShopifyId,
  };
};

const projectFulfillment: Projector = async (shop, topic, payload, now) => {
  const fulfillment = parseFulfillment(topic, payload);
  const { applied, delivered } = await applyFulfillment(shop, fulfillment);
  // Shipment in trouble, or delivered out of it (issue 8): judged at once, not at the next sweep.
  if (applied) await checkShipment(shop, fulfillment.shopifyId, now);
  const customer = await orderCustomer(shop, fulfillment.orderShopifyId);
  return {
    status: applied ? "done" : "skipped",
    note: applied ? undefined : "a newer version of this fulfillment is already applied",
    // A delivery can end a first-time buyer's "new" stage: refresh them.
    factsChanged: delivered && customer ? [customer] : [],
    subjectCustomerId: customer,
    subjectOrderId: fulfillment.orderShopifyId,
  };
};

const projectFulfillmentEvent: Projector = async (shop, topic, payload, now) => {
  const event = parseFulfillmentEvent(topic, payload);
  const { orderShopifyId, delivered } = await applyFulfillmentEvent(shop, event);
  await checkShipment(shop, event.fulfillmentShopifyId, now);
  const customer = orderShopifyId ? await orderCustomer(shop, orderShopifyId) : null;
  return {
    status: "done",
    factsChanged: delivered && customer ? [customer] : [],
    subjectOrderId: orderShopifyId,
    subjectCustomerId: customer,
  };
};

const projectCustomer: Projector = async (shop, topic, payload) => {
  const customer = parseCustomer(topic, payload);
  const result = await applyCustomerRecord(shop, customer);
  return {
    status: result === "stale" || result === "deleted" ? "skipped" : "done",
    note: result === "stale" ? "a newer version of this customer is already applied" : result === "deleted" ? "customer was deleted" : undefined,
    subjectCustomerId: customer.shopifyId,
  };
};

const projectCustomerDelete: Projector = async (shop, topic, payload, now) => {
  const { shopifyId } = parseCustomerDelete(topic, payload);
  await markCustomerDeleted(shop, shopifyId, now);
  return { status: "done", subjectCustomerId: shopifyId };
};

const projectConsent =
  (parse: typeof parseEmailConsent): Projector =>
  async (shop, topic, payload) => {
    const consent = parse(topic, payload);
    const result = await applyConsent(shop, consent);
    return {
      status: result === "applied" ? "done" : "skipped",
      note: result === "stale" ? "a newer consent change is already applied" : undefined,
      subjectCustomerId: consent.customerShopifyId,
    };
  };

const projectors: Record<string, Projector> = {
  "refunds/create": projectRefund,
  "orders/edited": projectOrderEdit,
  "fulfillments/create": projectFulfillment,
  "fulfillments/update": projectFulfillment,
  "fulfillment_events/create": projectFulfillmentEvent,
  "customers/create": projectCustomer,
  "customers/update": projectCustomer,
  "customers/delete": projectCustomerDelete,
  "customers_email_marketing_consent/update": projectConsent(parseEmailConsent),
  "customers_marketing_consent/update": projectConsent(parseSmsConsent),
  "app/uninstalled": async (shop, _topic, _payload, now) => {
    await recordUninstall(shop, now);
    return { status: "done" };
  },
  "app/scopes_update": async (shop, _topic, payload) => {
    const current = (payload as { current?: unknown }).current;
    const scopes = Array.isArray(current) ? current.map(String) : null;
    if (!scopes) throw new PayloadError("app/scopes_update", "current is not a list of scopes");
    await recordScopes(shop, scopes);
    return { status: "done" };
  },
  "customers/data_request": async (shop, topic, payload, now) => {
    const request = parseCustomerPrivacyRequest(topic, payload);
    await exportCustomer(shop, request, now);
    return { status: "done", subjectCustomerId: request.customerShopifyId };
  },
  "customers/redact": async (shop, topic, payload, now) => {
    const request = parseCustomerPrivacyRequest(topic, payload);
    await eraseCustomer(shop, request, now);
    return { status: "done", scrubBody: true };
  },
  "shop/redact": async (shop, _topic, _payload, now) => {
    await eraseShop(shop, now);
    return { status: "done" };
  },
};

/**
 * Applies a batch of events without recomputing member facts (the caller does,
 * from `factsChanged`, before marking the events done). Order events go first,
 * set-based per shop; the others follow in arrival order, so a customers/redact
 * in the same batch comes after the orders it erases.
 */
export async function applyInboxBatch(all: InboxEventInput[], now: Date): Promise<BatchResult> {
  const result: BatchResult = { outcomes: new Map(), failures: new Map(), factsChanged: new Map() };
  // Erasure stays complete (issue 18): nothing about an erased customer or shop is projected.
  const read = bodyReader();
  const screened = await screenErasedEvents(all, read);
  for (const [id, outcome] of screened.outcomes) result.outcomes.set(id, outcome);
  const events = screened.project;
  const orderEvents = new Map<string, InboxEventInput[]>();
  for (const event of events.filter((e) => ORDER_TOPICS.has(e.topic))) {
    orderEvents.set(event.shop, [...(orderEvents.get(event.shop) ?? []), event]);
  }
  for (const [shop, shopEvents] of orderEvents) await applyOrderEvents(shop, shopEvents, read, result, now);

  for (const event of events.filter((e) => !ORDER_TOPICS.has(e.topic))) {
    try {
      const projector = projectors[event.topic];
      if (!projector) throw new PayloadError(event.topic, "MemberCare does not handle this topic");
      const outcome = await projector(event.shop, event.topic, parseBody(event, read), now);
      noteFactsChanged(result, event.shop, outcome.factsChanged ?? []);
      result.outcomes.set(event.id, outcome);
    } catch (error) {
      result.failures.set(event.id, error);
    }
  }
  await forgetErasedInBatch(events, result.outcomes, result.factsChanged, now);
  return result;
}

/** Applies one event and brings the affected members' facts up to date (tests, tools). */
export async function projectInboxEvent(event: Omit<InboxEventInput, "id">, now: Date): Promise<ProjectionOutcome> {
  const { outcomes, failures, factsChanged } = await applyInboxBatch([{ ...event, id: 0 }], now);
  if (failures.has(0)) throw failures.get(0);
  for (const [shop, customers] of factsChanged) await refreshMembers(shop, customers, now);
  return outcomes.get(0)!;
}
