/**
 * The webhook topics MemberCare subscribes to (shopify.app.toml declares the
 * same list; a test keeps the two in step).
 */
export const SUBSCRIBED_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/paid",
  "orders/cancelled",
  "orders/edited",
  "refunds/create",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "customers/create",
  "customers/update",
  "customers/delete",
  "customers_email_marketing_consent/update",
  "customers_marketing_consent/update",
  "app/uninstalled",
  "app/scopes_update",
] as const;

export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;


const ALL_TOPICS: ReadonlySet<string> = new Set([...SUBSCRIBED_TOPICS, ...COMPLIANCE_TOPICS]);

/**
 * Shopify sends `X-Shopify-Topic: orders/create`; Shopify's library reports
 * `ORDERS_CREATE`. Both map to the REST-style name the app stores.
 */
export function normaliseTopic(raw: string): string {
  const value = raw.trim();
  if (value.includes("/")) return value.toLowerCase();
  const lower = value.toLowerCase();
  for (const topic of ALL_TOPICS) {
    if (topic.replace("/", "_") === lower) return topic;
  }
  return lower;
}
