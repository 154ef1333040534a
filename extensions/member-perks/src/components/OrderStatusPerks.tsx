/**
 * Order status page block (`customer-account.order-status.block.render`).
 * Shoppers often arrive from an order email without signing in; Shopify then
 * withholds customer data, so they are offered sign-in (`requireLogin`) rather
 * than being told they are not members.
 */
import type { Translate } from "../messages";
import type { PerksView } from "../view-model";
import { MemberSummary } from "./member-lines";

export function OrderStatusPerks({ view, t, onSignIn }: { view: PerksView; t: Translate; onSignIn?: () => void }) {
  return (
    <s-section heading={t("orderStatus.heading")}>
      {view.kind === "guest" && (
        <s-stack gap="small-200">
          <s-paragraph>{t("orderStatus.guest")}</s-paragraph>
          {onSignIn && <s-button onClick={onSignIn}>{t("orderStatus.signIn")}</s-button>}
        </s-stack>
      )}
      {view.kind === "non-member" && <s-paragraph>{t("orderStatus.nonMember")}</s-paragraph>}
      {view.kind === "member" && <MemberSummary view={view} t={t} />}
    </s-section>
  );
}
