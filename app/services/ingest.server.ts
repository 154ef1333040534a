import { createHmac, timingSafeEqual } from "node:crypto";
import { dialect, isDatabaseUnavailable, withLockDeadline } from "~/db.server";
import { INBOX_INSERT_ROWS, storeInboxEvents, type NewInboxEvent } from "~/models/inbox.server";
import { normaliseTopic } from "~/domain/webhook-topics";
import { parseShopDomain } from "~/domain/shop-domain";
import { env } from "~/env.server";
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
 * Group commit (ADR 0023, ADR 0035): deliveries read in the same turn of the
 * event loop, and those that arrive while an insert is in flight (waiting for
 * SQLite's write lock, which the background jobs' process also takes, or being
 * written), go in one statement, so a busy minute costs one lock acquisition
 * per group rather than per delivery. The first delivery of a quiet moment
 * waits only for the end of the turn that read it (setImmediate, no timer):
 * libsql writes synchronously, so without that every group held one row.
 * Each acknowledgement is answered only after the statement holding its row
 * has committed. SQLite has one writer, so one group at a time; on PostgreSQL
 * a few groups run on the pool side by side.
 */
const waiting: WaitingDelivery[] = [];
let inFlight = 0;

function storeGrouped(event: NewInboxEvent): Promise<{ stored: boolean }> {
  return new Promise((resolve, reject) => {
    waiting.push({ event, deadline: Date.now() + ACK_LOCK_WAIT_MS, settle: (outcome) => ("error" in outcome ? reject(outcome.error) : resolve(outcome)) });
    if (waiting.length === 1) setImmediate(() => void flushWaiting());
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
    // The jobs' process holds its next write while this one waits (ADR 0035).
    inboxSignal.emit("acknowledging", true);
    let stored: Set<string>;
    try {
      stored = await withLockDeadline(deadline - Date.now(), () => storeInboxEvents([...first.values()].map((delivery) => delivery.event)));
    } finally {
      inboxSignal.emit("acknowledging", false);
    }
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

/** One delivery as it arrived: its method, its headers (looked up by lower-case name) and its body's bytes. */
export interface WebhookDelivery {
  method: string;
  header(name: string): string | undefined;
  body: Buffer;
}

/** What the acknowledgement answers: a status, its headers and a short text for a refusal. */
export interface Acknowledgement {
  status: number;
  headers: Record<string, string>;
  text: string | null;
}

const answer = (status: number, text: string | null, headers: Record<string, string> = {}): Acknowledgement => ({
  status,
  text,
  headers: text === null ? headers : { "Content-Type": "text/plain; charset=utf-8", ...headers },
});

/**
 * The headers Shopify sends with every HTTPS delivery
 * (https://shopify.dev/docs/apps/build/webhooks/subscribe/https): all five are
 * required, as Shopify's library requires them; the event id and trigger time
 * are read when present.
 */
const REQUIRED_HEADERS = [
  ["hmac", "X-Shopify-Hmac-Sha256"],
  ["topic", "X-Shopify-Topic"],
  ["domain", "X-Shopify-Shop-Domain"],
  ["apiVersion", "X-Shopify-API-Version"],
  ["webhookId", "X-Shopify-Webhook-Id"],
] as const;

type Verified = { valid: true } & Record<(typeof REQUIRED_HEADERS)[number][0], string> & { eventId: string | null; triggeredAt: string | undefined };
type Refused = { valid: false; status: 400 | 401; reason: string };

/**
 * The delivery's signature and headers, checked as Shopify documents
 * (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook):
 * X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body under the
 * app's client secret, compared in constant time. Our own check rather than
 * Shopify's library (ADR 0035): the library's canonicalises every header of a
 * Fetch Request and signs through WebCrypto, a third of the acknowledgement's
 * time; this reads the five headers it needs and signs the bytes as received.
 * Same order of answers: an empty body 400, a missing or wrong signature 401,
 * a missing header 400 naming it.
 */
export function verifyDelivery(delivery: Pick<WebhookDelivery, "header" | "body">, secret: string): Verified | Refused {
  if (delivery.body.length === 0) return { valid: false, status: 400, reason: "missing_body" };
  const given = delivery.header("x-shopify-hmac-sha256");
  if (!given) return { valid: false, status: 401, reason: "missing_hmac" };
  const digest = createHmac("sha256", secret).update(delivery.body).digest();
  const claimed = Buffer.from(given, "base64");
  if (claimed.length !== digest.length || !timingSafeEqual(claimed, digest)) return { valid: false, status: 401, reason: "invalid_hmac" };
  const fields: Record<string, string> = {};
  const missing: string[] = [];
  for (const [field, name] of REQUIRED_HEADERS) {
    const value = delivery.header(name.toLowerCase());
    if (value) fields[field] = value;
    else missing.push(name);
  }
  if (missing.length > 0) return { valid: false, status: 400, reason: `missing_headers (${missing.join(", ")})` };
  return {
    valid: true,
    ...(fields as Record<(typeof REQUIRED_HEADERS)[number][0], string>),
    eventId: delivery.header("x-shopify-event-id") || null,
    triggeredAt: delivery.header("x-shopify-triggered-at"),
  };
}

/**
 * Receives one webhook delivery: verifies it, stores it in the inbox and
 * answers at once. Projection happens later, in the worker, so Shopify's 5 s
 * deadline is never at risk and nothing is lost if projection fails. server.mjs
 * calls this with the bytes it read (no Fetch Request is built on this path);
 * the webhook routes' actions call it through receiveWebhook.
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
export async function acknowledgeWebhook(
  delivery: WebhookDelivery,
  { topics, clock = systemClock }: { topics: readonly string[]; clock?: Clock },
): Promise<Acknowledgement> {
  if (delivery.method !== "POST") return answer(405, "Method not allowed", { Allow: "POST" });
  const check = verifyDelivery(delivery, env().SHOPIFY_API_SECRET);
  if (!check.valid) return answer(check.status, check.status === 401 ? "Unauthorized" : `Bad request: ${check.reason}`);
  const topic = normaliseTopic(check.topic);
  if (!topics.includes(topic)) {
    // A subscription pointed at the wrong address: refuse loudly rather than
    // store an event no projector expects here (shopify.app.toml is the fix).
    return answer(400, `Bad request: topic ${topic} is not handled at this address`);
  }
  const rawBody = delivery.body.toString("utf8");
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return answer(400, "Bad request: the body is not JSON");
  }
  const trust = deliveryTrust({ header: check.domain, topic, payload, triggeredAt: check.triggeredAt, now: clock.now() });
  if (!trust.ok) return answer(trust.status, `${trust.status === 401 ? "Unauthorized" : "Bad request"}: ${trust.reason}`);
  const { shop, triggeredAt } = trust;
  let stored: boolean;
  try {
    ({ stored } = await storeGrouped({
      shop,
      webhookId: check.webhookId,
      topic,
      apiVersion: check.apiVersion,
      eventId: check.eventId,
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
    return answer(503, "Service unavailable: the database is busy, retry later", { "Retry-After": "5" });
  }
  if (stored) inboxSignal.emit("stored");
  return answer(200, null, { "X-MemberCare-Inbox": stored ? "stored" : "duplicate" });
}

/** acknowledgeWebhook for a webhook route's action (a Fetch Request in, a Response out). */
export async function receiveWebhook(request: Request, options: { topics: readonly string[]; clock?: Clock }): Promise<Response> {
  const body = request.method === "POST" ? Buffer.from(await request.arrayBuffer()) : Buffer.alloc(0);
  const ack = await acknowledgeWebhook({ method: request.method, header: (name) => request.headers.get(name) ?? undefined, body }, options);
  return new Response(ack.text, { status: ack.status, headers: ack.headers });
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
