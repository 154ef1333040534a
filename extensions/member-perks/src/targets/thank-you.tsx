/** Entry for `purchase.thank-you.block.render` (every plan but Starter). Reads the host, renders ThankYouPerks. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { Api } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import { ThankYouPerks } from "../components/ThankYouPerks";
import { perksView } from "../view-model";
import { hostFormatters, membershipMetafield, orderFacts } from "./host";

declare const shopify: Api;

export default async () => {
  render(<ThankYouTarget />, document.body);
};

/**
 * The order's lines and discounts are this order's; the membership preloaded
 * with the page is the one from before it (the app places the member again
 * once Shopify reports the order), so the block says what this order does for
 * the next tier. A page reopened after that sync would count the order twice:
 * the value carries no mark of which orders it counts, so this is accepted.
 */
export function ThankYouTarget() {
  const customer = shopify.buyerIdentity?.customer.value;
  const shopper = customer ? { signedIn: true as const, membership: membershipMetafield(shopify.appMetafields.value) } : { signedIn: false as const };
  const view = perksView(shopper, shopify.localization.language.value.isoCode, hostFormatters(shopify.i18n), { facts: orderFacts(shopify), beforeThisOrder: true });
  // The storefront's /account signs the shopper in or lets them create an account.
  const storefront = shopify.shop.storefrontUrl?.replace(/\/+$/, "");
  return <ThankYouPerks view={view} t={shopify.i18n.translate} accountUrl={storefront ? `${storefront}/account` : undefined} />;
}
