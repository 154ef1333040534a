import db from "~/db.server";
import type { UnsubscribeChannel } from "~/domain/care/unsubscribe-token";

/**
 * Marketing consent the app changes itself: an unsubscribe through the app's
 * link. Shopify stays the source of truth (the outbox writes the change there
 * too); the local row changes at once so nothing more is sent meanwhile. The
 * consent's timestamp is what keeps an older customers/update from undoing it
 * (see consentFields in ./customers.server.ts).
 */
const fields = (channel: UnsubscribeChannel) =>
  channel === "email" ? ({ state: "emailConsentState", at: "emailConsentUpdatedAt" } as const) : ({ state: "smsConsentState", at: "smsConsentUpdatedAt" } as const);

export interface UnsubscribeTarget {
  found: boolean;
  locale: string | null;
  shopName: string | null;
}

/** The customer's locale and the shop's name for the unsubscribe page (found: false for an unknown or erased customer). */
export async function unsubscribeTarget(shop: string, customerShopifyId: string): Promise<UnsubscribeTarget> {
  const [customer, shopRow] = await Promise.all([
    db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { locale: true, deletedAt: true } }),
    db.shop.findUnique({ where: { shop }, select: { name: true } }),
  ]);
  return { found: Boolean(customer && !customer.deletedAt), locale: customer?.locale ?? null, shopName: shopRow?.name ?? null };
}

/**
 * Sets the channel's consent to UNSUBSCRIBED as of `now`. A customer already
 * unsubscribed keeps the earlier time (a second click changes nothing).
 * Returns false when there is no such (living) customer.
 */
export async function markUnsubscribed(shop: string, customerShopifyId: string, channel: UnsubscribeChannel, now: Date): Promise<boolean> {
  const { state, at } = fields(channel);
  const { count } = await db.customer.updateMany({
    // Spelled out with null: SQL's NOT (state = 'UNSUBSCRIBED') is not true for a NULL state.
    where: { shop, shopifyId: customerShopifyId, deletedAt: null, OR: [{ [state]: null }, { [state]: { not: "UNSUBSCRIBED" } }] },
    data: { [state]: "UNSUBSCRIBED", [at]: now },
  });
  if (count > 0) return true;
  return (await db.customer.count({ where: { shop, shopifyId: customerShopifyId, deletedAt: null } })) > 0;
}

/** The channel's consent as stored: what the outbox checks before writing an unsubscribe to Shopify. */
export async function storedConsent(shop: string, customerShopifyId: string, channel: UnsubscribeChannel): Promise<{ state: string | null; updatedAt: Date | null } | null> {
  const { state, at } = fields(channel);
  const row = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { emailConsentState: true, emailConsentUpdatedAt: true, smsConsentState: true, smsConsentUpdatedAt: true, deletedAt: true } });
  if (!row || row.deletedAt) return null;
  return { state: row[state], updatedAt: row[at] };
}

/**
 * The customer asked for no more emails about their membership (the link in
 * one, ADR 0011): kept here, since Shopify records marketing consent only. A
 * second click keeps the first time. False when there is no such (living) customer.
 */
export async function markMembershipEmailOptOut(shop: string, customerShopifyId: string, now: Date): Promise<boolean> {
  const { count } = await db.customer.updateMany({ where: { shop, shopifyId: customerShopifyId, deletedAt: null, membershipEmailOptOutAt: null }, data: { membershipEmailOptOutAt: now } });
  if (count > 0) return true;
  return (await db.customer.count({ where: { shop, shopifyId: customerShopifyId, deletedAt: null } })) > 0;
}
