/**
 * Entry for `purchase.checkout.reductions.render-after` (Shopify Plus only:
 * checkout-step extensions render on Plus stores). Reads the host, renders
 * CheckoutPerks.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { Api } from "@shopify/ui-extensions/purchase.checkout.reductions.render-after";
import { CheckoutPerks } from "../components/CheckoutPerks";
import { perksView } from "../view-model";
import { hostFormatters, membershipMetafield, orderFacts } from "./host";

declare const shopify: Api;

export default async () => {
  render(<ReductionsTarget />, document.body);
};

/**
 * Reads the host's signals (`.value`) while rendering, so Preact re-renders
 * when checkout changes them (the buyer signs in, the language changes).
 */
export function ReductionsTarget() {
  const customer = shopify.buyerIdentity?.customer.value;
  const shopper = customer ? { signedIn: true as const, membership: membershipMetafield(shopify.appMetafields.value) } : { signedIn: false as const };
  const view = perksView(shopper, shopify.localization.language.value.isoCode, hostFormatters(shopify.i18n), { facts: orderFacts(shopify), beforeThisOrder: true });
  return <CheckoutPerks view={view} t={shopify.i18n.translate} />;
}
