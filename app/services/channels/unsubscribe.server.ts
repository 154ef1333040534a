import type { Channel } from "~/domain/care/types";
import { signUnsubscribeToken, type UnsubscribeChannel, type UnsubscribeTopic } from "~/domain/care/unsubscribe-token";
import { env } from "~/env.server";

/**
 * Which consent an unsubscribe link withdraws. A Flow trigger has no consent
 * of its own: merchants route it to Shopify Email, which honours the
 * customer's email marketing consent, so a link in it withdraws that.
 */
export const consentChannelFor = (channel: Channel): UnsubscribeChannel => (channel === "sms" ? "sms" : "email");

/**
 * The customer's one-click unsubscribe link for a channel, on the app's public
 * URL: from marketing, or (topic "membership") from emails about their membership.
 */
export function unsubscribeUrl(shop: string, customerShopifyId: string, channel: Channel, topic: UnsubscribeTopic = "marketing"): string {
  const config = env();
  const token = signUnsubscribeToken({ shop, customerShopifyId, channel: consentChannelFor(channel), topic }, config.SHOPIFY_API_SECRET);
  return new URL(`/unsubscribe/${token}`, config.SHOPIFY_APP_URL).href;
}
