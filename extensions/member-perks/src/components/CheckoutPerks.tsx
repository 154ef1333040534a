/**
 * Checkout order summary, after the discount field
 * (`purchase.checkout.reductions.render-after`): one glance at why the price
 * is what it is and what the next tier takes.
 *
 * Members only. Guests and customers without a tier see nothing here: the
 * order summary is the busiest part of checkout, Shopify already offers
 * sign-in at the contact step, and an extension here cannot sign anyone in.
 */
import type { Translate } from "../messages";
import type { PerksView } from "../view-model";
import { benefits, DowngradeWarning, ProgressLine } from "./member-lines";

export function CheckoutPerks({ view, t }: { view: PerksView; t: Translate }) {
  if (view.kind !== "member") return null;
  const perks = benefits(view, t);
  return (
    <s-stack gap="small-200">
      <s-text type="strong">{t("member.headline", { tier: view.tierName })}</s-text>
      {perks.length > 0 && <s-text>{perks.join(" · ")}</s-text>}
      <ProgressLine view={view} t={t} />
      <DowngradeWarning view={view} t={t} />
    </s-stack>
  );
}
