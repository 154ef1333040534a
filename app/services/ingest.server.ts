import { dialect, isDatabaseUnavailable, withLockDeadline } from "~/db.server";
import { INBOX_INSERT_ROWS, storeInboxEvents, type NewInboxEvent } from "~/models/inbox.server";
import { normaliseTopic } from "~/domain/webhook-topics";
import { parseShopDomain } from "~/domain/shop-domain";
import { env } from "~/env.server";
import { webhookVerifier } from "~/shopify.server";
import type { Clock } from "./clock.server";
import { systemClock } from "./clock.server";
import { inboxSignal } from "./inbox-worker.server";

/**
 * The longest the acknowledgement waits for the database's write lock, counted
 * from when the insert is asked for (time queued behind another query counts).
 * Shopify waits 5 s for an answer; a write that did not get the lock in 1.5 s
 * answers 503 with room to spare rather than time out (ADR 0018).
 */
const ACK_LOCK_WAIT_MS = 1500;

interface WaitingDelivery {
  event: NewInboxEvent;
  /** When its acknowledgement stops waiting for the write lock (Date.now() scale). */
  deadline: number;
  settle: (outcome: { stored: boolean } | { error: unknown }) => void;
}

/**
 * Group commit (ADR 0023): deliveries that arrive while an insert is in flight
 * (waiting for SQLite's write lock, which the background jobs' process also
 * takes, or being written) wait together and go in the next statement, so a
 * busy minute costs one lock acquisition per group rather than per delivery.
 * Nothing waits on a timer: the first delivery of a quiet moment is written at
 * once. Each acknowledgement is answered only after the statement holding its
 * row has committed. SQLite has one writer, so one group at a time; on
 * PostgreSQL a few groups run on the pool side by side.
 */
const waiting: WaitingDelivery[] = [];
let inFlight = 0;

function storeGrouped(event: NewInboxEvent): Promise<{ stored: boolean }> {
  return new Promise((resolve, reject) => {
    waiting.push({ event, deadline: Date.now() + ACK_LOCK_WAIT_MS, settle: (outcome) => ("error" in outcome ? reject(outcome.error) : resolve(outcome)) });
    void flushWaiting();
  });
}

async function flushWaiting() {
  if (inFlight >= (dialect() === "postgresql" ? 4 : 1)) return;
  inFlight++;
  try {
    while (waiting.length > 0) await storeGroup(waiting.splice(0, INBOX_INSERT_ROWS));
  } finally {
    inFlight--;
  }
}

/** One statement for the group, under the earliest deadline among them; a delivery repeated within it is stored by its first copy. */
async function storeGroup(group: WaitingDelivery[]): Promise<void> {
  const first = new Map<string, WaitingDelivery>();
  for (const delivery of group) if (!first.has(delivery.event.webhookId)) first.set(delivery.event.webhookId, delivery);
  const deadline = Math.min(...group.map((delivery) => delivery.deadline));
  try {
    const stored = await withLockDeadline(deadline - Date.now(), () => storeInboxEvents([...first.values()].map((delivery) => delivery.event)));
    for (const delivery of group) delivery.settle({ stored: first.get(delivery.event.webhookId) === delivery && stored.has(delivery.event.webhookId) });
  } catch (error) {
    if (group.length === 1 || isDatabaseUnavailable(error)) {
      for (const delivery of group) delivery.settle({ error });
      return;
    }
    // The database refused something in one delivery: each on its own, so
    // the others are not refused with it.
    for (const delivery of group) await storeGroup([delivery]);
  }
}

/**
 * Receives one webhook delivery: verifies it, stores it in the inbox and
 * answers at once. Projection happens later, in the worker, so Shopify's 5 s
 * deadline is never at risk and nothing is lost if projection fails.
 *
 * - bad or missing HMAC: 401, nothing stored;
 * - an empty body or missing Shopify headers: 400, nothing stored;
 * - a body that is not JSON: 400, nothing stored (Shopify never sends one; it
 *   would only come from a broken proxy, and there is nothing to re-process);
 * - a repeat of the same X-Shopify-Webhook-Id: 200, stored once;
 * - trust only what is signed (issue 18, see deliveryTrust below): a shop
 *   header that is no `*.myshopify.com` domain is 400, one the signed body
 *   contradicts is 401, a delivery older than Shopify's retry window (or from
 *   the future) is 400; nothing is stored for any of them;
 * - the database cannot be written (another process holds SQLite's write lock,
 *   PostgreSQL unreachable): 503 with Retry-After, nothing stored, Shopify retries.
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
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return new Response("Bad request: the body is not JSON", { status: 400 });
  }
  const trust = deliveryTrust({
    header: check.domain,
    topic,
    payload,
    triggeredAt: "triggeredAt" in check ? check.triggeredAt : undefined,
    now: clock.now(),
  });
  if (!trust.ok) return new Response(`${trust.status === 401 ? "Unauthorized" : "Bad request"}: ${trust.reason}`, { status: trust.status });
  const { shop, triggeredAt } = trust;
  let stored: boolean;
  try {
    ({ stored } = await storeGrouped({
      shop,
      webhookId: check.webhookId,
      topic,
      apiVersion: check.apiVersion,
      eventId: "eventId" in check ? (check.eventId ?? null) : null,
      triggeredAt,
      body: rawBody,
      receivedAt: clock.now(),
    }));
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    // Nothing was stored: Shopify retries a non-2xx delivery (8 times over 4 hours,
    // https://shopify.dev/changelog/updates-to-webhook-retry-mechanism) and the
    // webhook id makes the retry land once. A fast 503 says "come back" before
    // Shopify's 5 s deadline instead of a 500 after it.
    console.warn(`[webhook] ${check.webhookId} not stored, the database is unavailable: ${String((error as Error).message).split("\n").pop()}`);
    return new Response("Service unavailable: the database is busy, retry later", { status: 503, headers: { "Retry-After": "5" } });
  }
  if (stored) inboxSignal.emit("stored");
  return new Response(null, { status: 200, headers: { "X-MemberCare-Inbox": stored ? "stored" : "duplicate" } });
}

/**
 * Shopify retries a delivery that was not acknowledged "a total of 8 times over
 * 4 hours using an exponential backoff schedule", always with the original
 * payload and X-Shopify-Triggered-At (https://shopify.dev/changelog/updates-to-webhook-retry-mechanism,
 * in force since 2024-09-10). So a genuine delivery is at most about 4 hours old;
 * the margin covers clock skew and our own slow answers. Anything older is a
 * replay of a captured request, not Shopify. The header is not covered by the
 * HMAC, so this stops stale replays as sent, not a forger who rewrites the
 * header; the webhook id (stored once) is the other half of the replay guard.
 */
export const MAX_DELIVERY_AGE_MS = (4 + 2) * 60 * 60_000;
/** Clocks differ: a delivery "from" a little in the future is skew; far in the future is forged. */
export const MAX_DELIVERY_SKEW_MS = 5 * 60_000;

/** Where a topic's signed body names its shop: the body wins over the unsigned header. */
const SHOP_IN_BODY: Record<string, string> = {
  "app/uninstalled": "myshopify_domain",
  "customers/data_request": "shop_domain",
  "customers/redact": "shop_domain",
  "shop/redact": "shop_domain",
};

type Trust = { ok: true; shop: string; triggeredAt: Date | null } | { ok: false; status: 400 | 401; reason: string };

/**
 * What the delivery may be trusted for. The HMAC covers the body, not the
 * headers: X-Shopify-Shop-Domain is only a claim, checked for form, and where
 * the signed body names the shop the two must agree (a signed app/uninstalled
 * of shop A sent with B's header must not uninstall B).
 */
export function deliveryTrust(
  { header, topic, payload, triggeredAt, now }: { header: string; topic: string; payload: unknown; triggeredAt: string | undefined; now: Date },
): Trust {
  const customDomains = env().SHOP_CUSTOM_DOMAIN ? [env().SHOP_CUSTOM_DOMAIN!] : [];
  const shop = parseShopDomain(header, customDomains);
  if (!shop) return { ok: false, status: 400, reason: "X-Shopify-Shop-Domain is not a *.myshopify.com shop domain" };
  const field = SHOP_IN_BODY[topic];
  if (field) {
    const named = payload && typeof payload === "object" ? (payload as Record<string, unknown>)[field] : undefined;
    // Shopify's documentation samples carry null here; a real delivery names
    // the shop. Only a name that is there and differs is a contradiction.
    if (named !== null && named !== undefined && parseShopDomain(String(named), customDomains) !== shop) {
      return { ok: false, status: 401, reason: `the signed body's ${field} is not the shop in X-Shopify-Shop-Domain` };
    }
  }
  if (triggeredAt === undefined || triggeredAt === "") return { ok: true, shop, triggeredAt: null };
  const at = new Date(triggeredAt);
  if (Number.isNaN(at.getTime())) return { ok: false, status: 400, reason: "X-Shopify-Triggered-At is not a date" };
  const age = now.getTime() - at.getTime();
  if (age > MAX_DELIVERY_AGE_MS) return { ok: false, status: 400, reason: "X-Shopify-Triggered-At is older than Shopify retries a delivery" };
  if (-age > MAX_DELIVERY_SKEW_MS) return { ok: false, status: 400, reason: "X-Shopify-Triggered-At is in the future" };
  return { ok: true, shop, triggeredAt: at };
}
