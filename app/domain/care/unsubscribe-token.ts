/**
 * Unsubscribe links carry a signed token naming the shop, the customer and the
 * channel, so the public unsubscribe page needs no login and no lookup table,
 * and nobody can unsubscribe someone else by editing the link. The signature
 * is HMAC-SHA256 with the app's secret over the three values (and a purpose
 * label, so a token signed for something else can never pass as one of these).
 * Pure: the secret is passed in.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Channels a customer can unsubscribe from: marketing consent exists for email and SMS. */
export const UNSUBSCRIBE_CHANNELS = ["email", "sms"] as const;
export type UnsubscribeChannel = (typeof UNSUBSCRIBE_CHANNELS)[number];

/**
 * What the link stops: marketing on the channel (Shopify's consent), or emails
 * about the customer's own membership (ours; docs/decisions/0011). Tokens
 * without a topic are marketing ones (every link sent before topics existed).
 */
export type UnsubscribeTopic = "marketing" | "membership";

export interface UnsubscribeSubject {
  shop: string;
  customerShopifyId: string;
  channel: UnsubscribeChannel;
  topic?: UnsubscribeTopic;
}

const PURPOSE = "membercare:unsubscribe:v1";

const signature = (payload: string, secret: string) => createHmac("sha256", secret).update(`${PURPOSE}\n${payload}`).digest();

/** `<payload>.<signature>`, both base64url: safe in a URL path segment and in a List-Unsubscribe header. */
export function signUnsubscribeToken(subject: UnsubscribeSubject, secret: string): string {
  if (!secret) throw new Error("an unsubscribe token needs the app's secret");
  for (const value of [subject.shop, subject.customerShopifyId]) {
    // The payload is newline separated; a value with a newline could shift the fields.
    if (!value || /[\n\r]/.test(value)) throw new Error(`cannot sign an unsubscribe token for ${JSON.stringify(value)}`);
  }
  // Marketing tokens keep their three fields, so they read exactly as before.
  const payload = [subject.shop, subject.customerShopifyId, subject.channel, ...(subject.topic === "membership" ? ["membership"] : [])].join("\n");
  return `${Buffer.from(payload, "utf8").toString("base64url")}.${signature(payload, secret).toString("base64url")}`;
}

/** The token's subject when its signature holds, else null (tampered, truncated, or signed with another secret). */
export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeSubject | null {
  const match = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match || !secret) return null;
  const payload = Buffer.from(match[1]!, "base64url").toString("utf8");
  const given = Buffer.from(match[2]!, "base64url");
  const expected = signature(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  // Re-encoding must give the same text: base64url has more than one spelling
  // of the same bytes (unused trailing bits), and only ours is accepted.
  if (Buffer.from(payload, "utf8").toString("base64url") !== match[1]) return null;
  const [shop, customerShopifyId, channel, ...rest] = payload.split("\n");
  if (!shop || !customerShopifyId || !UNSUBSCRIBE_CHANNELS.includes(channel as UnsubscribeChannel)) return null;
  if (rest.length === 0) return { shop, customerShopifyId, channel: channel as UnsubscribeChannel };
  if (rest.length === 1 && rest[0] === "membership") return { shop, customerShopifyId, channel: channel as UnsubscribeChannel, topic: "membership" };
  return null;
}
