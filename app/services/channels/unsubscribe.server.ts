import type { Channel } from "~/domain/care/types";
import { signUnsubscribeToken, type UnsubscribeChannel, type UnsubscribeTopic } from "~/domain/care/unsubscribe-token";
import { env } from "~/env.server";
import { systemClock } from "../clock.server";
import { unsubscribeSigningKeys } from "../keys.server";

/**
 * Which consent an unsubscribe link withdraws. A Flow trigger has no consent
 * of its own: merchants route it to Shopify Email, which honours the
 * customer's email marketing consent, so a link in it withdraws that.
 */
export const consentChannelFor = (channel: Channel): UnsubscribeChannel => (channel === "sms" ? "sms" : "email");

/**
 * The customer's one-click unsubscribe link for a channel, on the app's public
 * URL: from marketing, or (topic "membership") from emails about their membership.
 * Signed with the current unsubscribe key and valid for 400 days from
 * `issuedAt` (the process clock by default: when the message is rendered).
 */
export function unsubscribeUrl(shop: string, customerShopifyId: string, channel: Channel, topic: UnsubscribeTopic = "marketing", issuedAt: Date = systemClock.now()): string {
  const config = env();
  const token = signUnsubscribeToken({ shop, customerShopifyId, channel: consentChannelFor(channel), topic }, unsubscribeSigningKeys(config), issuedAt);
  return new URL(`/unsubscribe/${token}`, config.SHOPIFY_APP_URL).href;
}
