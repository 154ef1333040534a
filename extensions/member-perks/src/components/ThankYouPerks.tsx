/**
 * Thank-you page block (`purchase.thank-you.block.render`). The membership it
 * reads is the one from before this order: the app places the member again
 * once Shopify reports the order, so every variant says the order counts.
 *
 * Guests get the one invitation of the flow: the purchase is done, and an
 * account is what lets the next order earn perks.
 */
import type { Translate } from "../messages";
import type { PerksView } from "../view-model";
import { MemberSummary } from "./member-lines";

export function ThankYouPerks({ view, t, accountUrl }: { view: PerksView; t: Translate; accountUrl?: string }) {
  return (
    <s-section heading={t("thankYou.heading")}>
      {view.kind === "guest" && (
        <s-stack gap="small-200">
          <s-paragraph>{t("thankYou.guest")}</s-paragraph>
          {accountUrl && <s-link href={accountUrl}>{t("thankYou.guestLink")}</s-link>}
        </s-stack>
      )}
      {view.kind === "non-member" && <s-paragraph>{t("thankYou.nonMember")}</s-paragraph>}
      {view.kind === "member" && (
        <s-stack gap="small-200">
          <MemberSummary view={view} t={t} />
          <s-paragraph color="subdued">{t("thankYou.orderCounts")}</s-paragraph>
        </s-stack>
      )}
    </s-section>
  );
}
