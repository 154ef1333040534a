/**
 * Sender addresses (issue 18): who a care email says it is from. Pure: the
 * key and `now` are passed in.
 *
 * - By default mail goes From the app's own address with the shop's name as
 *   the display name, and Reply-To the merchant's address, so replies reach
 *   the shop while SPF, DKIM and DMARC are judged against the operator's
 *   domain, the only one the app can send for.
 * - A merchant's own From address is used only once a link sent TO it has
 *   been followed and confirmed (a "confirmed" address). Until then, and
 *   after any change, the app's address stays the From and the new address
 *   is the Reply-To. Anyone can type `security@paypal.com`; only its owner
 *   can read the link.
 * - The envelope sender is never decided here: the email channel always uses
 *   the app's address (app/services/channels/email.server.ts).
 *
 * Confirmation links carry a token of the app's one signing mechanism
 * (../signed-token.ts: key id, payload, HMAC-SHA256, expiry, a purpose label
 * so no token of another kind passes as one of these) over the shop, the
 * address and a random nonce. Their key ring is one key derived from the app
 * secret for this purpose alone (senderConfirmationKeys), not a variable of
 * its own: a link lives two days, so rotating the app secret costs at most a
 * press of "Resend", and the operator has one key fewer to keep. The
 * signature refuses an edited link before any lookup; the expiry bounds an
 * old mail; single use comes from the shop's row, which holds only a hash of
 * the pending nonce and forgets it on confirmation or when the address
 * changes again.
 */
import { createHash, createHmac } from "node:crypto";
import { keyRing, type KeyRing } from "../keyring";
import { signToken, verifyToken } from "../signed-token";

/** How long a confirmation link works: two days, time enough to open the mail, short enough that an old one is dead. */
export const SENDER_CONFIRMATION_TTL_MS = 48 * 3_600_000;
/** Confirmation mails one shop may cause in a rolling day: a resend button must not become a way to mail-bomb an address. */
export const SENDER_CONFIRMATIONS_PER_DAY = 5;
/** And at least this long between two of them. */
export const SENDER_CONFIRMATION_SPACING_MS = 60_000;

const PURPOSE = "membercare:sender-confirmation:v1";

/** The ring confirmation tokens are signed with: one key, HMAC(app secret, purpose), never the secret itself. */
export function senderConfirmationKeys(appSecret: string): KeyRing {
  if (!appSecret) throw new Error("sender confirmation tokens need the app's secret");
  return keyRing([{ id: "app1", secret: createHmac("sha256", appSecret).update(PURPOSE).digest() }]);
}

export interface SenderTokenSubject {
  shop: string;
  /** The address the link confirms, exactly as the row holds it. */
  email: string;
  /** Random, base64url; the shop's row keeps sha256(nonce) while the link is live. */
  nonce: string;
  /** Whole seconds (the token's precision). */
  expiresAt: Date;
}

export function signSenderToken(subject: SenderTokenSubject, keys: KeyRing): string {
  return signToken(PURPOSE, [subject.shop, subject.email, subject.nonce], keys, subject.expiresAt);
}

/** Expired: authentic but past its time (its shop and address are known, to word the page); invalid: edited, cut short, or not ours. */
export type SenderTokenCheck = { ok: true; subject: SenderTokenSubject } | { ok: false; reason: "expired"; shop: string; email: string } | { ok: false; reason: "invalid" };

export function verifySenderToken(token: string, keys: KeyRing, now: Date): SenderTokenCheck {
  const check = verifyToken(PURPOSE, token, keys, now);
  if (!check.ok && check.reason !== "expired") return { ok: false, reason: "invalid" };
  const [shop, email, nonce, ...rest] = check.fields;
  if (!shop || !email || !nonce || rest.length) return { ok: false, reason: "invalid" };
  if (!check.ok) return { ok: false, reason: "expired", shop, email };
  return { ok: true, subject: { shop, email, nonce, expiresAt: check.expiresAt } };
}

/** What the shop's row keeps of a live link's nonce: its hash, so a copy of the database holds no working link. */
export const nonceHash = (nonce: string): string => createHash("sha256").update(nonce).digest("hex");

/** Addresses compare without case: the domain is case-insensitive, and no real mailbox differs by case alone. */
export const sameAddress = (a: string | null | undefined, b: string | null | undefined): boolean => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * A display name safe to show as a sender: control characters (CR, LF, tab,
 * NUL, Unicode line separators) become spaces, and angle brackets go, so a
 * name can neither start a header of its own nor pass for an address
 * ("PayPal <security@paypal.com>"). Quotes, commas and non-Latin text stay:
 * the mail library quotes or encodes them (RFC 5322 quoted-string, RFC 2047).
 */
export function cleanDisplayName(name: string, fallback: string): string {
  const cleaned = name
    .replace(/[\p{Cc}\u2028\u2029]/gu, " ")
    .replace(/[<>]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100)
    .trim();
  return cleaned || fallback;
}

/** The shop's sender state as its row keeps it. */
export interface SenderVerification {
  /** The merchant's own address a followed link confirmed; null: none. */
  confirmedEmail: string | null;
  confirmedAt: Date | null;
  /** The address a live link waits for; null: none. */
  pendingEmail: string | null;
  /** When its link was last mailed; null: not mailed yet (the send failed). */
  pendingSentAt: Date | null;
}

export const NO_SENDER_VERIFICATION: Readonly<SenderVerification> = Object.freeze({ confirmedEmail: null, confirmedAt: null, pendingEmail: null, pendingSentAt: null });

/**
 * What the shop's row should hold after the merchant saves `requested` as
 * their From address: a confirmation stands only for the very address it
 * confirmed, and a live link only for the address it was sent to. Changing
 * the address (even back to one confirmed before) needs a new link.
 * `needsLink`: the caller should mail a confirmation to `requested`.
 */
export function afterSenderSaved(current: SenderVerification, requested: string | null): { next: SenderVerification; needsLink: boolean; changed: boolean } {
  if (!requested) {
    const changed = current.confirmedEmail !== null || current.pendingEmail !== null;
    return { next: { ...NO_SENDER_VERIFICATION }, needsLink: false, changed };
  }
  if (sameAddress(current.confirmedEmail, requested)) {
    // Still the confirmed address: any link for another one dies.
    return { next: { ...current, pendingEmail: null, pendingSentAt: null }, needsLink: false, changed: current.pendingEmail !== null };
  }
  if (sameAddress(current.pendingEmail, requested)) {
    // Already waiting for this address: saving again sends nothing (the page has a resend button).
    return { next: { ...current, confirmedEmail: null, confirmedAt: null }, needsLink: current.pendingSentAt === null, changed: current.confirmedEmail !== null };
  }
  return { next: { confirmedEmail: null, confirmedAt: null, pendingEmail: requested, pendingSentAt: null }, needsLink: true, changed: true };
}

/**
 * Whether another confirmation mail may go now, given when the shop's recent
 * ones went (the row keeps the last day's). Null: yes; else when it may.
 */
export function nextConfirmationAllowedAt(recentSends: Date[], now: Date): Date | null {
  const dayAgo = now.getTime() - 86_400_000;
  const recent = recentSends.map((at) => at.getTime()).filter((at) => at > dayAgo).sort((a, b) => a - b);
  const last = recent.at(-1);
  if (last !== undefined && now.getTime() - last < SENDER_CONFIRMATION_SPACING_MS) return new Date(last + SENDER_CONFIRMATION_SPACING_MS);
  if (recent.length >= SENDER_CONFIRMATIONS_PER_DAY) return new Date(recent[recent.length - SENDER_CONFIRMATIONS_PER_DAY]! + 86_400_000);
  return null;
}
