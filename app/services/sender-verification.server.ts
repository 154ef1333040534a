/**
 * Confirming a merchant's own From address (issue 18; the rules are in
 * app/domain/care/sender.ts). Saving a new address arms a link and mails it
 * TO that address; following it and pressing Confirm on the public page
 * (app/routes/sender.confirm.$token.tsx) makes it the From of the shop's care
 * emails. Until then, mail goes from the app's address with Reply-To the new
 * one.
 *
 * The link's mail is sent at once, while the merchant waits, rather than
 * through the outbox: it is not a customer message (no consent, caps or
 * quiet hours apply), the merchant needs to know now whether it went, and a
 * lost one costs nothing but a press of "Resend". The row is still written
 * first: the new nonce and the send's time are stored before the mail is
 * attempted, so a crash leaves a dead link (resend makes another), never a
 * link the database does not know.
 */
import { randomBytes } from "node:crypto";
import type { KeyRing } from "~/domain/keyring";
import {
  cleanDisplayName,
  nextConfirmationAllowedAt,
  nonceHash,
  SENDER_CONFIRMATION_TTL_MS,
  senderConfirmationKeys,
  signSenderToken,
  verifySenderToken,
} from "~/domain/care/sender";
import { appMailFrom, env } from "~/env.server";
import { localeForTag, translate, type Locale } from "~/i18n";
import { armSenderLink, confirmSenderLink, getSenderLinkState, markSenderLinkSent } from "~/models/care-settings.server";
import { channelsFromEnv } from "./channels/index.server";
import type { ChannelSender } from "./channels/types";

export type SenderLinkRequest =
  | { status: "sent"; email: string }
  /** Nothing to confirm: no address waits (none set, or it is confirmed already). */
  | { status: "nothing" }
  /** Too many confirmation mails lately; another may go at `retryAt`. */
  | { status: "limited"; retryAt: Date }
  /** The SMTP server refused or could not be reached: the link is not out, resend later. */
  | { status: "failed"; email: string; reason: string };

export interface SenderLinkOptions {
  /** Default: the process's email channel (SMTP_URL). */
  email?: ChannelSender;
  /** Default: derived from SHOPIFY_API_SECRET (senderConfirmationKeys). */
  keys?: KeyRing;
  /** Where links point. Default: SHOPIFY_APP_URL. */
  appUrl?: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export const senderLinkKeys = (): KeyRing => senderConfirmationKeys(env().SHOPIFY_API_SECRET);

/** The page a confirmation link opens. */
export function senderLinkUrl(token: string, appUrl = env().SHOPIFY_APP_URL): string {
  return new URL(`/sender/confirm/${token}`, appUrl).href;
}

/** Mails a fresh link to the shop's pending address (saving a new address, or "Resend"). */
export async function requestSenderConfirmation(shop: string, now: Date, options: SenderLinkOptions = {}): Promise<SenderLinkRequest> {
  const state = await getSenderLinkState(shop);
  const email = state?.pendingEmail;
  if (!state || !email) return { status: "nothing" };
  const retryAt = nextConfirmationAllowedAt(state.sends, now);
  if (retryAt) return { status: "limited", retryAt };

  const nonce = randomBytes(24).toString("base64url");
  const hash = nonceHash(nonce);
  const recent = [...state.sends.filter((at) => at.getTime() > now.getTime() - 86_400_000), now];
  if (!(await armSenderLink(shop, email, hash, recent))) return { status: "nothing" };

  const token = signSenderToken({ shop, email, nonce, expiresAt: new Date(now.getTime() + SENDER_CONFIRMATION_TTL_MS) }, options.keys ?? senderLinkKeys());
  const url = senderLinkUrl(token, options.appUrl);
  const locale = localeForTag(state.locale);
  // The shop's name goes into the subject too: one line, nothing that reads as an address.
  const vars = { shopName: cleanDisplayName(state.shopName, shop), email, hours: SENDER_CONFIRMATION_TTL_MS / 3_600_000 };
  const paragraphs = [translate(locale, "care.senderConfirm.mail.intro", vars), translate(locale, "care.senderConfirm.mail.action", vars), url, translate(locale, "care.senderConfirm.mail.ignore", vars)];
  const html = `<!doctype html><html lang="${locale}"><body>${paragraphs
    .map((text) => (text === url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(translate(locale, "care.senderConfirm.mail.button"))}</a></p>` : `<p>${escapeHtml(text)}</p>`))
    .join("")}</body></html>`;
  const channel = options.email ?? channelsFromEnv().email;
  try {
    const answer = await channel.send({
      shop,
      messageId: `sender-confirmation:${hash.slice(0, 16)}`,
      idempotencyKey: `senderConfirmation:${hash.slice(0, 32)}`,
      channel: "email",
      messageClass: "transactional",
      customer: { shopifyId: "", email, phone: null, firstName: null, lastName: null, locale },
      rendered: { subject: translate(locale, "care.senderConfirm.mail.subject", vars), text: paragraphs.join("\n\n"), html, sms: "" },
      // From the app, as everything is until this very link is followed.
      sender: { fromName: "MemberCare", fromEmail: appMailFrom(), replyTo: null, smsFrom: null },
      unsubscribeUrl: null,
      flow: null,
    });
    if (answer.status !== "accepted") return { status: "failed", email, reason: answer.reason };
  } catch (error) {
    return { status: "failed", email, reason: (error as Error).message };
  }
  await markSenderLinkSent(shop, hash, now);
  return { status: "sent", email };
}

export type SenderLink =
  | { state: "valid"; shop: string; email: string; shopName: string; locale: Locale; nonceHash: string }
  /** Edited, truncated, not ours: nothing is known about it. */
  | { state: "invalid" }
  /** Ours, but past its time, used, or replaced by a newer link or another address. */
  | { state: "expired" | "used"; shopName: string; email: string; locale: Locale };

/** What a link is, as of `now`, without changing anything (the page's GET). */
export async function readSenderLink(token: string, now: Date, keys: KeyRing = senderLinkKeys()): Promise<SenderLink> {
  const check = verifySenderToken(token, keys, now);
  if (!check.ok && check.reason === "invalid") return { state: "invalid" };
  if (!check.ok) {
    // Expired: the signature held, so the shop in it is ours; its name and language make the page readable.
    const state = await getSenderLinkState(check.shop);
    return { state: "expired", shopName: state?.shopName ?? check.shop, email: check.email, locale: localeForTag(state?.locale ?? "en") };
  }
  const { shop, email, nonce } = check.subject;
  const state = await getSenderLinkState(shop);
  const hash = nonceHash(nonce);
  const locale = localeForTag(state?.locale ?? "en");
  if (!state || state.pendingEmail !== email || state.pendingNonceHash !== hash) return { state: "used", shopName: state?.shopName ?? shop, email, locale };
  return { state: "valid", shop, email, shopName: state.shopName, locale, nonceHash: hash };
}

/** Confirms the link's address (the page's POST); the link's state after. */
export async function confirmSender(
  token: string,
  now: Date,
  keys: KeyRing = senderLinkKeys(),
): Promise<(Extract<SenderLink, { state: "valid" }> & { confirmed: true }) | (SenderLink & { confirmed: false })> {
  const link = await readSenderLink(token, now, keys);
  if (link.state !== "valid") return { ...link, confirmed: false as const };
  const confirmed = await confirmSenderLink(link.shop, link.email, link.nonceHash, now);
  // Lost a race with another click: the other one confirmed it.
  return confirmed ? { ...link, confirmed: true as const } : { state: "used" as const, shopName: link.shopName, email: link.email, locale: link.locale, confirmed: false as const };
}
