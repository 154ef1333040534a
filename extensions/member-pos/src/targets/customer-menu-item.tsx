/** Entry for `pos.customer-details.action.menu-item.render`: "Customer file" in the customer's action menu, opening the modal. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { Api } from "@shopify/ui-extensions/pos.customer-details.action.menu-item.render";

declare const shopify: Api;

export default async () => {
  render(<CustomerMenuItemTarget />, document.body);
};

export function CustomerMenuItemTarget() {
  return <s-button onClick={() => shopify.action.presentModal()}>{shopify.i18n.translate("menu.file")}</s-button>;
}
