/** Entry for `pos.customer-details.block.render`: the customer's membership and file, loaded from the app. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/pos.customer-details.block.render";
import type { PosCustomerView } from "~/domain/pos";
import { loadCustomer } from "../api";
import { CustomerBlock, type Loading } from "../components/CustomerBlock";
import { backendOf, wordsOf } from "./host";

declare const shopify: Api;

export default async () => {
  render(<CustomerBlockTarget />, document.body);
};

export function CustomerBlockTarget() {
  const [state, setState] = useState<Loading<PosCustomerView>>({ kind: "loading" });
  useEffect(() => {
    void loadCustomer(backendOf(shopify), shopify.customer.id).then(setState);
  }, []);
  // The modal (pos.customer-details.action.render) registers or updates the file.
  return <CustomerBlock state={state} words={wordsOf(shopify)} onOpenFile={() => shopify.action.presentModal()} />;
}
