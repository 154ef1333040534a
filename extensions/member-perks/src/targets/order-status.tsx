/** Entry for `customer-account.order-status.block.render` (every plan but Starter). Reads the host, renders OrderStatusPerks. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { Api } from "@shopify/ui-extensions/customer-account.order-status.block.render";
import { OrderStatusPerks } from "../components/OrderStatusPerks";
import { perksView } from "../view-model";
import { hostFormatters, membershipMetafield, orderFacts } from "./host";

declare const shopify: Api;

export default async () => {
  render(<OrderStatusTarget />, document.body);
};

export function OrderStatusTarget() {
  // Opened from an order email without signing in, the page is "pre_authenticated": no customer data yet.
  const signedIn = shopify.authenticationState.value === "fully_authenticated";
  const shopper = signedIn ? { signedIn: true as const, membership: membershipMetafield(shopify.appMetafields.value) } : { signedIn: false as const };
  const view = perksView(shopper, shopify.localization.language.value.isoCode, hostFormatters(shopify.i18n), { facts: orderFacts(shopify), beforeThisOrder: false });
  return <OrderStatusPerks view={view} t={shopify.i18n.translate} onSignIn={() => void shopify.requireLogin()} />;
}
