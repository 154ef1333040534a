/** Entry for `customer-account.page.render`, "My membership". Fetches the membership and the shop's program, renders MembershipPage. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/customer-account.page.render";
import { MembershipPage } from "../components/MembershipPage";
import { fetchMembershipValue } from "../customer-account-api";
import { pageView, type MembershipFetch } from "../view-model";
import { hostFormatters } from "./host";

declare const shopify: Api;

export default async () => {
  render(<MembershipPageTarget />, document.body);
};

export function MembershipPageTarget() {
  const [fetched, setFetched] = useState<MembershipFetch>({ status: "loading" });
  useEffect(() => {
    let current = true;
    fetchMembershipValue(fetch).then(
      ({ membership, program }) => current && setFetched({ status: "loaded", membership, program }),
      () => current && setFetched({ status: "failed" }),
    );
    return () => {
      current = false;
    };
  }, []);
  // The view is derived while rendering, so a change of language needs no refetch.
  const view = pageView(fetched, shopify.localization.language.value.isoCode, hostFormatters(shopify.i18n));
  return <MembershipPage view={view} t={shopify.i18n.translate} />;
}
