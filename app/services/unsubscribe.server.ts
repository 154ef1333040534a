/**
 * Unsubscribing through the link in a marketing message (the page's button or
 * a mailbox provider's RFC 8058 one-click POST). At once, locally: the
 * channel's consent becomes UNSUBSCRIBED and the customer's pending marketing
 * messages on that channel are cancelled. Then, through the outbox, Shopify's
 * consent is updated too, so Shopify Email, Flow and other apps stop as well.
 * Every step is idempotent: a second click, or a retry after a crash between
 * steps, completes what is missing and repeats nothing visible.
 */
import { verifyUnsubscribeToken, type UnsubscribeChannel, type UnsubscribeSubject } from "~/domain/care/unsubscribe-token";
import type { KeyRing } from "~/domain/keyring";
import { env } from "~/env.server";
import { UPDATE_EMAIL_MARKETING_CONSENT, UPDATE_SMS_MARKETING_CONSENT } from "~/graphql/consent";
import { localeForTag, type Locale } from "~/i18n";
import { FLOW_CATALOG } from "~/domain/care/flows";
import { CARE_FLOWS } from "~/domain/care/types";
import { markMembershipEmailOptOut, markUnsubscribed, storedConsent, unsubscribeTarget } from "~/models/consent.server";
import { cancelMessages } from "~/models/messages.server";
import { requestEffect, type ClaimedEffect } from "~/models/outbox.server";
import type { AdminClient } from "./admin-client.server";
import { unsubscribeSigningKeys } from "./keys.server";
import { newPacer, send, type PassResult } from "./paced-send.server";

export const CONSENT_UNSUBSCRIBE = "consent.unsubscribe";

export type UnsubscribeLink =
  | { valid: false; expired: false }
  /** Ours, but past its 400 days: shown in the customer's language with the shop's name, and nothing changes. */
  | { valid: false; expired: true; subject: UnsubscribeSubject; locale: Locale; shopName: string }
  | { valid: true; subject: UnsubscribeSubject; locale: Locale; shopName: string };

export interface UnsubscribeKeys {
  keys: KeyRing;
  /** The app secret, for links sent before unsubscribe keys existed (the legacy path in unsubscribe-token.ts). */
  legacySecret: string | null;
}

const configuredKeys = (): UnsubscribeKeys => ({ keys: unsubscribeSigningKeys(), legacySecret: env().SHOPIFY_API_SECRET });

/**
 * What the unsubscribe page shows for a token as of `now`: nothing for a bad
 * one; else the channel, the shop's name and the language (the customer's
 * own, else the browser's), and whether the link has expired. Changes
 * nothing: link scanners fetch links with GET.
 */
export async function readUnsubscribeLink(token: string, fallbackLocale: Locale, now: Date, keys: UnsubscribeKeys = configuredKeys()): Promise<UnsubscribeLink> {
  const check = verifyUnsubscribeToken(token, { ...keys, now });
  if (!check.ok && check.reason === "invalid") return { valid: false, expired: false };
  const { subject } = check;
  const target = await unsubscribeTarget(subject.shop, subject.customerShopifyId);
  const shown = {
    subject,
    locale: target.locale ? localeForTag(target.locale) : fallbackLocale,
    shopName: target.shopName ?? subject.shop.replace(/\.myshopify\.com$/, ""),
  };
  return check.ok ? { valid: true, ...shown } : { valid: false, expired: true, ...shown };
}

export interface UnsubscribeResult {
  /** false: no such customer any more (erased); nothing to do. */
  found: boolean;
  /** Pending marketing messages on the channel that will not be sent now. */
  cancelled: number;
}

/** The flows whose messages are about the customer's own membership (ADR 0011). */
const MEMBERSHIP_FLOWS = CARE_FLOWS.filter((flow) => FLOW_CATALOG[flow].membership);

/**
 * Unsubscribes the token's customer from marketing on the token's channel, as
 * of `now`; a membership link by email stops emails about their membership
 * instead (a local opt-out: marketing consent, Shopify's, is left as it is).
 */
export async function unsubscribe(subject: UnsubscribeSubject, now: Date): Promise<UnsubscribeResult> {
  const { shop, customerShopifyId, channel } = subject;
  if (subject.topic === "membership" && channel === "email") {
    if (!(await markMembershipEmailOptOut(shop, customerShopifyId, now))) return { found: false, cancelled: 0 };
    let cancelled = 0;
    // Email, and Flow triggers, which the opt-out covers too (the policy's rule); texts rest on SMS consent.
    for (const sourceId of MEMBERSHIP_FLOWS) {
      for (const messageChannel of ["email", "flow"] as const) cancelled += await cancelMessages(shop, { customerShopifyId, sourceId, channel: messageChannel }, "unsubscribed", now);
    }
    return { found: true, cancelled };
  }
  const found = await markUnsubscribed(shop, customerShopifyId, channel, now);
  if (!found) return { found: false, cancelled: 0 };
  const cancelled = await cancelMessages(shop, { customerShopifyId, messageClass: "marketing", channel }, "unsubscribed", now);
  // One effect per customer and channel: asked again (a second click), it runs once more, harmlessly.
  await requestEffect(shop, CONSENT_UNSUBSCRIBE, `${CONSENT_UNSUBSCRIBE}:${channel}:${customerShopifyId}`, now, { customerShopifyId, channel, consentUpdatedAt: now.toISOString() }, customerShopifyId);
  return { found: true, cancelled };
}

interface UnsubscribePayload {
  customerShopifyId: string;
  channel: UnsubscribeChannel;
  consentUpdatedAt: string;
}

type ConsentAnswer = Record<string, { userErrors: Array<{ field: string[] | null; message: string }> } | null>;

/**
 * The outbox handler: writes the unsubscribe to Shopify's consent, unless the
 * stored consent has moved on since (the customer subscribed again later, as
 * a newer webhook told us): the newer choice is theirs and stands.
 */
export async function writeUnsubscribeToShopify(effect: Pick<ClaimedEffect, "shop" | "payload">, admin: AdminClient, now: Date): Promise<PassResult> {
  const payload = JSON.parse(effect.payload) as UnsubscribePayload;
  const stored = await storedConsent(effect.shop, payload.customerShopifyId, payload.channel);
  if (!stored || stored.state !== "UNSUBSCRIBED" || (stored.updatedAt && stored.updatedAt > new Date(payload.consentUpdatedAt))) return { status: "done", written: 0 };
  const consent = { marketingState: "UNSUBSCRIBED", consentUpdatedAt: payload.consentUpdatedAt };
  const customerId = `gid://shopify/Customer/${payload.customerShopifyId}`;
  const [document, variables, field] =
    payload.channel === "email"
      ? [UPDATE_EMAIL_MARKETING_CONSENT, { input: { customerId, emailMarketingConsent: consent } }, "customerEmailMarketingConsentUpdate"]
      : [UPDATE_SMS_MARKETING_CONSENT, { input: { customerId, smsMarketingConsent: consent } }, "customerSmsMarketingConsentUpdate"];
  const sent = await send<ConsentAnswer>(admin, newPacer(effect.shop, now), document, variables);
  if ("waitMs" in sent) return { status: "later", at: new Date(now.getTime() + sent.waitMs), written: 0, reason: sent.reason };
  const userErrors = sent.answer.data?.[field]?.userErrors ?? [];
  // Kept as the effect's error and retried; after the last attempt it stays failed with this reason, visible to an operator.
  if (userErrors.length > 0) throw new Error(`Shopify refused the ${payload.channel} unsubscribe: ${userErrors.map((error) => error.message).join("; ")}`);
  return { status: "done", written: 1 };
}
