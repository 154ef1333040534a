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

export interface EmitOptions {
  secret?: string;
  /** Share of deliveries Shopify sends twice (same webhook id), as it does after a slow answer. */
  duplicateRate?: number;
  /** Share of deliveries swapped with one up to five places earlier: Shopify does not keep order. */
  reorderRate?: number;
  concurrency?: number;
  random?: () => number;
}

/**
 * Delivers webhooks to the app over HTTP as Shopify does: signed with the app
 * secret, some twice, some out of order, several at once. Returns how many
 * were answered with each status.
 */
export async function emitWebhooks(baseUrl: string, deliveries: WebhookDelivery[], options: EmitOptions = {}): Promise<Map<number, number>> {
  const random = options.random ?? Math.random;
  const queue = deliveries.map((delivery) => ({ ...delivery, webhookId: delivery.webhookId ?? randomUUID() }));
  for (const delivery of [...queue]) if (random() < (options.duplicateRate ?? 0)) queue.push({ ...delivery });
  for (let i = queue.length - 1; i > 0; i--) {
    if (random() < (options.reorderRate ?? 0)) {
      const j = Math.max(0, i - 1 - Math.floor(random() * 5));
      [queue[i], queue[j]] = [queue[j], queue[i]];
    }
  }
  const statuses = new Map<number, number>();
  let cursor = 0;
  await Promise.all(
    Array.from({ length: options.concurrency ?? 8 }, async () => {
      while (cursor < queue.length) {
        const response = await sendWebhook(baseUrl, queue[cursor++], options.secret);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}
