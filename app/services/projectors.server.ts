import { computeMemberFacts } from "~/domain/member-facts";
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
  parseRefund,
  parseSmsConsent,
} from "~/domain/webhook-payloads";
import { applyConsent, applyCustomerRecord, markCustomerDeleted, saveMemberFacts } from "~/models/customers.server";
import { applyFulfillment, applyFulfillmentEvent } from "~/models/fulfillments.server";
import { MAX_IN_LIST, applyOrder, applyRefund, factInputs, orderCustomer } from "~/models/orders.server";
import { recordScopes, recordUninstall } from "./install.server";
import { eraseCustomer, eraseShop, exportCustomer } from "./privacy.server";

/**
 * Projectors turn one inbox event into member facts. Each is idempotent and
 * order-independent: records are keyed by Shopify id, newer `updated_at` wins,
 * and derived facts are recomputed from the stored records, so duplicates,
 * retries and out-of-order deliveries converge to the same state.
 */
export interface InboxEventInput {
  shop: string;
  topic: string;
  body: string;
}

export interface ProjectionOutcome {
  /** Customers whose member facts this event may have changed; the worker refreshes them once per batch. */
  factsChanged?: string[];
  status: "done" | "skipped";
  /** Who the raw body is about, so customers/redact can scrub it later. */
  subjectCustomerId?: string | null;
  subjectOrderId?: string | null;
  note?: string;
  /** The body itself must not be kept (a customers/redact request names the customer). */
  scrubBody?: boolean;
}

type Projector = (shop: string, topic: string, payload: unknown, now: Date) => Promise<ProjectionOutcome>;

/** Recomputes and stores the member facts of the given customers. */
export async function refreshMemberFacts(shop: string, customerShopifyIds: Iterable<string>, now: Date): Promise<void> {
  const ids = [...new Set(customerShopifyIds)];
  for (let i = 0; i < ids.length; i += MAX_IN_LIST) {
    const inputs = await factInputs(shop, ids.slice(i, i + MAX_IN_LIST));
    for (const [customerShopifyId, { orders, refunds }] of inputs) {
      await saveMemberFacts(shop, customerShopifyId, computeMemberFacts(orders, refunds), now);
    }
  }
}

const projectOrder: Projector = async (shop, topic, payload) => {
  const order = parseOrder(topic, payload);
  if (order.customer) await applyCustomerRecord(shop, order.customer, { authoritative: false });
  const { applied, customers } = await applyOrder(shop, order);
  return {
    status: applied ? "done" : "skipped",
    factsChanged: customers,
    note: applied ? undefined : "a newer version of this order is already applied",
    subjectCustomerId: order.customer?.shopifyId ?? null,
    subjectOrderId: order.shopifyId,
  };
};

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

const projectFulfillment: Projector = async (shop, topic, payload) => {
  const fulfillment = parseFulfillment(topic, payload);
  const { applied } = await applyFulfillment(shop, fulfillment);
  return {
    status: applied ? "done" : "skipped",
    note: applied ? undefined : "a newer version of this fulfillment is already applied",
    subjectCustomerId: await orderCustomer(shop, fulfillment.orderShopifyId),
    subjectOrderId: fulfillment.orderShopifyId,
  };
};

const projectFulfillmentEvent: Projector = async (shop, topic, payload) => {
  const event = parseFulfillmentEvent(topic, payload);
  const { orderShopifyId } = await applyFulfillmentEvent(shop, event);
  return {
    status: "done",
    subjectOrderId: orderShopifyId,
    subjectCustomerId: orderShopifyId ? await orderCustomer(shop, orderShopifyId) : null,
  };
};

const projectCustomer: Projector = async (shop, topic, payload) => {
  const customer = parseCustomer(topic, payload);
  const result = await applyCustomerRecord(shop, customer, { authoritative: true });
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
  "orders/create": projectOrder,
  "orders/updated": projectOrder,
  "orders/paid": projectOrder,
  "orders/cancelled": projectOrder,
  "refunds/create": projectRefund,
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
  "shop/redact": async (shop) => {
    await eraseShop(shop);
    return { status: "done" };
  },
};

/**
 * Applies one event's records without recomputing member facts; the caller
 * refreshes `factsChanged` (the worker does it once per batch).
 */
export async function applyInboxEvent(event: InboxEventInput, now: Date): Promise<ProjectionOutcome> {
  const projector = projectors[event.topic];
  if (!projector) throw new PayloadError(event.topic, "MemberCare does not handle this topic");
  let payload: unknown;
  try {
    payload = parseShopifyJson(event.body);
  } catch {
    throw new PayloadError(event.topic, "the stored body is not JSON");
  }
  return projector(event.shop, event.topic, payload, now);
}

/** Applies one event and brings the affected members' facts up to date. */
export async function projectInboxEvent(event: InboxEventInput, now: Date): Promise<ProjectionOutcome> {
  const outcome = await applyInboxEvent(event, now);
  await refreshMemberFacts(event.shop, outcome.factsChanged ?? [], now);
  return outcome;
}
