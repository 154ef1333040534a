/**
 * Unsubscribe links carry a signed token naming the shop, the customer and the
 * channel, so the public unsubscribe page needs no login and no lookup table,
 * and nobody can unsubscribe someone else by editing the link.
 *
 * Signed with the app's own unsubscribe key ring (UNSUBSCRIBE_SIGNING_KEYS),
 * not the Shopify app secret: the token names its key id, so a rotation keeps
 * older links working while their key stays in the ring, and rotating the app
 * secret (which Shopify's Partner Dashboard may force) no longer breaks every
 * link ever sent. The mechanism is the shared one in ../signed-token.
 *
 * Links expire UNSUBSCRIBE_LINK_LIFETIME_DAYS after they were made: long
 * enough that an email kept for a year (last year's birthday greeting, an
 * annual review) still unsubscribes, with a month to spare; the law asks far
 * less (CAN-SPAM: at least 30 days after sending), and mailbox providers'
 * one-click unsubscribe works on the newest messages. A limit at all means a
 * link that leaked once (forwarded, in a public archive) stops acting for the
 * customer one day.
 *
 * Pure: the keys and the time are passed in.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { KeyRing } from "../keyring";
import { signToken, verifyToken } from "../signed-token";

/** Channels a customer can unsubscribe from: marketing consent exists for email and SMS. */
export const UNSUBSCRIBE_CHANNELS = ["email", "sms"] as const;
export type UnsubscribeChannel = (typeof UNSUBSCRIBE_CHANNELS)[number];

/** How long a link works after it was made (see above for why 400 days). */
export const UNSUBSCRIBE_LINK_LIFETIME_DAYS = 400;
const DAY_MS = 24 * 60 * 60 * 1000;

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

export type UnsubscribeCheck =
  | { ok: true; subject: UnsubscribeSubject }
  /** Authentic but too old: the subject is known (to show the page in the customer's language), yet nothing may change. */
  | { ok: false; reason: "expired"; subject: UnsubscribeSubject }
  | { ok: false; reason: "invalid" };

const PURPOSE = "membercare:unsubscribe:v2";

const fieldsOf = (subject: UnsubscribeSubject) =>
  // Marketing tokens keep their three fields; a membership one adds the topic.
  [subject.shop, subject.customerShopifyId, subject.channel, ...(subject.topic === "membership" ? ["membership"] : [])];

function subjectOf(fields: string[]): UnsubscribeSubject | null {
  const [shop, customerShopifyId, channel, ...rest] = fields;
  if (!shop || !customerShopifyId || !UNSUBSCRIBE_CHANNELS.includes(channel as UnsubscribeChannel)) return null;
  if (rest.length === 0) return { shop, customerShopifyId, channel: channel as UnsubscribeChannel };
  if (rest.length === 1 && rest[0] === "membership") return { shop, customerShopifyId, channel: channel as UnsubscribeChannel, topic: "membership" };
  return null;
}

/** `<kid>.<payload>.<signature>`: safe in a URL path segment and in a List-Unsubscribe header. */
export function signUnsubscribeToken(subject: UnsubscribeSubject, keys: KeyRing, issuedAt: Date): string {
  return signToken(PURPOSE, fieldsOf(subject), keys, new Date(issuedAt.getTime() + UNSUBSCRIBE_LINK_LIFETIME_DAYS * DAY_MS));
}

/**
 * Checks a link's token as of `now`: one of ours (any key still in the ring),
 * or a link sent before keys existed, checked with the app secret it was
 * signed with (`legacySecret`; see verifyLegacyUnsubscribeToken).
 */
export function verifyUnsubscribeToken(token: string, options: { keys: KeyRing; legacySecret: string | null; now: Date }): UnsubscribeCheck {
  if (LEGACY_TOKEN.test(token)) {
    const subject = options.legacySecret ? verifyLegacyUnsubscribeToken(token, options.legacySecret) : null;
    return subject ? { ok: true, subject } : { ok: false, reason: "invalid" };
  }
  const check = verifyToken(PURPOSE, token, options.keys, options.now);
  if (check.ok || check.reason === "expired") {
    const subject = subjectOf(check.fields);
    if (!subject) return { ok: false, reason: "invalid" };
    return check.ok ? { ok: true, subject } : { ok: false, reason: "expired", subject };
  }
  return { ok: false, reason: "invalid" };
}

// ---------------------------------------------------------------------------
// Legacy links: every link sent before the unsubscribe key ring existed is
// `<payload>.<signature>` (two parts, no key id, no expiry), signed with the
// Shopify app secret. They keep working for as long as that secret is
// unchanged, since customers still hold those emails; once the app secret is
// rotated they fail like any forged link (docs/operations.md, "Keys and
// rotation"). Nothing new is signed this way: the signer is kept so tests can
// stand for links already in people's mailboxes.
// ---------------------------------------------------------------------------

const LEGACY_PURPOSE = "membercare:unsubscribe:v1";
const LEGACY_TOKEN = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/;

const legacySignature = (payload: string, secret: string) => createHmac("sha256", secret).update(`${LEGACY_PURPOSE}\n${payload}`).digest();

/** A link as the app made them before key rings (tests only: nothing new is signed this way). */
export function signLegacyUnsubscribeToken(subject: UnsubscribeSubject, secret: string): string {
  if (!secret) throw new Error("a legacy unsubscribe token needs the app's secret");
  for (const value of [subject.shop, subject.customerShopifyId]) {
    if (!value || /[\n\r]/.test(value)) throw new Error(`cannot sign an unsubscribe token for ${JSON.stringify(value)}`);
  }
  const payload = fieldsOf(subject).join("\n");
  return `${Buffer.from(payload, "utf8").toString("base64url")}.${legacySignature(payload, secret).toString("base64url")}`;
}

/** A legacy link's subject when its signature holds under the app secret, else null. */
export function verifyLegacyUnsubscribeToken(token: string, secret: string): UnsubscribeSubject | null {
  const match = LEGACY_TOKEN.exec(token);
  if (!match || !secret) return null;
  const payload = Buffer.from(match[1]!, "base64url").toString("utf8");
  const given = Buffer.from(match[2]!, "base64url");
  const expected = legacySignature(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  // Re-encoding must give the same text: base64url has more than one spelling
  // of the same bytes (unused trailing bits), and only ours is accepted.
  if (Buffer.from(payload, "utf8").toString("base64url") !== match[1]) return null;
  return subjectOf(payload.split("\n"));
}
