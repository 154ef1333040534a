// The simulator's webhook emitter: deliveries the way Shopify makes them, a JSON
// body signed with the app's client secret (base64 HMAC-SHA256 of the raw
// bytes) and Shopify's headers, to the route shopify.app.toml names for the topic.
import { createHmac, randomUUID } from "node:crypto";

/** The secret the test suite's app is configured with (vitest.config.ts). */
export const TEST_SECRET = "test-api-secret";

export function signBody(body: string, secret = TEST_SECRET): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

const ROUTE_BY_TOPIC: Record<string, string> = {
  orders: "orders",
  refunds: "orders",
  fulfillments: "fulfillments",
  fulfillment_events: "fulfillments",
  customers: "customers",
  customers_email_marketing_consent: "customers",
  customers_marketing_consent: "customers",
  app: "app",
  shop: "compliance",
};

export function routeFor(topic: string): string {
  if (topic === "customers/data_request" || topic === "customers/redact" || topic === "shop/redact") return "/webhooks/compliance";
  return `/webhooks/${ROUTE_BY_TOPIC[topic.split("/")[0]]}`;
}

export interface WebhookDelivery {
  topic: string;
  shop: string;
  body: unknown;
  webhookId?: string;
  /** Override the signature (e.g. a wrong one). */
  hmac?: string;
  rawBody?: string;
  triggeredAt?: string;
  apiVersion?: string;
}

export function webhookRequest(baseUrl: string, delivery: WebhookDelivery, secret = TEST_SECRET): { url: string; init: RequestInit; webhookId: string } {
  const raw = delivery.rawBody ?? JSON.stringify(delivery.body);
  const webhookId = delivery.webhookId ?? randomUUID();
  return {
    url: baseUrl + routeFor(delivery.topic),
    webhookId,
    init: {
      method: "POST",
      body: raw,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": delivery.topic,
        "X-Shopify-Hmac-Sha256": delivery.hmac ?? signBody(raw, secret),
        "X-Shopify-Shop-Domain": delivery.shop,
        "X-Shopify-API-Version": delivery.apiVersion ?? "2026-10",
        "X-Shopify-Webhook-Id": webhookId,
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-Triggered-At": delivery.triggeredAt ?? new Date().toISOString(),
      },
    },
  };
}

export async function sendWebhook(baseUrl: string, delivery: WebhookDelivery, secret = TEST_SECRET): Promise<Response> {
  const { url, init } = webhookRequest(baseUrl, delivery, secret);
  return fetch(url, init);
}
