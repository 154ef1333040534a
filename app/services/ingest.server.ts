import { storeInboxEvent } from "~/models/inbox.server";
import { normaliseTopic } from "~/domain/webhook-topics";
import { webhookVerifier } from "~/shopify.server";
import type { Clock } from "./clock.server";
import { systemClock } from "./clock.server";
import { inboxSignal } from "./inbox-worker.server";

/**
 * Receives one webhook delivery: verifies it, stores it in the inbox and
 * answers at once. Projection happens later, in the worker, so Shopify's 5 s
 * deadline is never at risk and nothing is lost if projection fails.
 *
 * - bad or missing HMAC: 401, nothing stored;
 * - an empty body or missing Shopify headers: 400, nothing stored;
 * - a body that is not JSON: 400, nothing stored (Shopify never sends one; it
 *   would only come from a broken proxy, and there is nothing to re-process);
 * - a repeat of the same X-Shopify-Webhook-Id: 200, stored once.
 */
export async function receiveWebhook(
  request: Request,
  { topics, clock = systemClock }: { topics: readonly string[]; clock?: Clock },
): Promise<Response> {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  const rawBody = await request.text();
  const check = await webhookVerifier.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    return check.reason === "invalid_hmac" || check.reason === "missing_hmac"
      ? new Response("Unauthorized", { status: 401 })
      : new Response(`Bad request: ${check.reason}${"missingHeaders" in check ? ` (${check.missingHeaders.join(", ")})` : ""}`, { status: 400 });
  }
  const topic = normaliseTopic(check.topic);
  if (!topics.includes(topic)) {
    // A subscription pointed at the wrong address: refuse loudly rather than
    // store an event no projector expects here (shopify.app.toml is the fix).
    return new Response(`Bad request: topic ${topic} is not handled at this address`, { status: 400 });
  }
  try {
    JSON.parse(rawBody);
  } catch {
    return new Response("Bad request: the body is not JSON", { status: 400 });
  }
  const triggeredAt = "triggeredAt" in check && check.triggeredAt ? new Date(check.triggeredAt) : null;
  const { stored } = await storeInboxEvent({
    shop: check.domain,
    webhookId: check.webhookId,
    topic,
    apiVersion: check.apiVersion,
    eventId: "eventId" in check ? (check.eventId ?? null) : null,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    body: rawBody,
    receivedAt: clock.now(),
  });
  if (stored) inboxSignal.emit("stored");
  return new Response(null, { status: 200, headers: { "X-MemberCare-Inbox": stored ? "stored" : "duplicate" } });
}
