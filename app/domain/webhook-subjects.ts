import { shopifyId } from "./shopify-json";

/**
 * Whom a raw webhook body is about: the customer and the order it names, read
 * from the body alone (no lookup). customers/redact uses it to find every inbox
 * row of the erased customer whatever its state (a row that failed or was never
 * projected has no subject recorded by a projector), the data export to find
 * the raw bodies that concern them, and the erasure gate to recognise a late
 * webhook about an erased customer or order.
 *
 * Where the topics name them (shopify.dev, webhook topic payloads): orders/*
 * `id` and `customer.id`; refunds/create, fulfillments/*, fulfillment_events/create
 * `order_id`; orders/edited `order_edit.order_id`; customers/* `id`; the consent
 * topics `customer_id` (email) or `id` (SMS); customers/data_request and
 * customers/redact `customer.id` and their orders lists.
 */
export interface WebhookSubjects {
  customerShopifyId: string | null;
  orderShopifyIds: string[];
}

const NONE: WebhookSubjects = { customerShopifyId: null, orderShopifyIds: [] };

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}

const ids = (values: unknown): string[] => (Array.isArray(values) ? values.map(shopifyId).filter((id): id is string => id !== null) : []);
const one = (value: unknown): string[] => {
  const id = shopifyId(value);
  return id ? [id] : [];
};

/** The subjects of a parsed body (parseShopifyJson keeps large ids exact). */
export function webhookSubjects(topic: string, body: unknown): WebhookSubjects {
  if (body === null || typeof body !== "object") return NONE;
  if (topic.startsWith("orders/") && topic !== "orders/edited") {
    return { customerShopifyId: shopifyId(field(field(body, "customer"), "id")), orderShopifyIds: one(field(body, "id")) };
  }
  switch (topic) {
    case "orders/edited":
      return { customerShopifyId: null, orderShopifyIds: one(field(field(body, "order_edit"), "order_id")) };
    case "refunds/create":
    case "fulfillments/create":
    case "fulfillments/update":
    case "fulfillment_events/create":
      return { customerShopifyId: null, orderShopifyIds: one(field(body, "order_id")) };
    case "customers/create":
    case "customers/update":
    case "customers/delete":
      return { customerShopifyId: shopifyId(field(body, "id")), orderShopifyIds: [] };
    case "customers_email_marketing_consent/update":
      return { customerShopifyId: shopifyId(field(body, "customer_id")), orderShopifyIds: [] };
    case "customers_marketing_consent/update":
      return { customerShopifyId: shopifyId(field(body, "id")), orderShopifyIds: [] };
    case "customers/data_request":
    case "customers/redact":
      return {
        customerShopifyId: shopifyId(field(field(body, "customer"), "id")),
        orderShopifyIds: [...ids(field(body, "orders_requested")), ...ids(field(body, "orders_to_redact"))],
      };
    default:
      return NONE;
  }
}

/** Is this body about the customer or one of the orders? */
export function isAbout(subjects: WebhookSubjects, customerShopifyId: string, orderShopifyIds: ReadonlySet<string>): boolean {
  return subjects.customerShopifyId === customerShopifyId || subjects.orderShopifyIds.some((id) => orderShopifyIds.has(id));
}
