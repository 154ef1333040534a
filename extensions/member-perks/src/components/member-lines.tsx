/**
 * The sentences every target builds a member's summary from, so checkout, the
 * thank-you and order-status pages and the account page say the same thing the
 * same way. Components only: what to say comes from the view model.
 */
import type { Translate } from "../messages";
import type { MemberView, NextTierView } from "../view-model";

/** "10% off your order", "Free shipping": what the member gets on every order. */
export function benefits(view: MemberView, t: Translate): string[] {
  const lines: string[] = [];
  if (view.discount?.scope === "subtotal") lines.push(t("member.discount.subtotal", { percent: view.discount.percent }));
  if (view.discount?.scope === "products") lines.push(t("member.discount.products", { percent: view.discount.percent }));
  if (view.freeShipping) lines.push(t("member.freeShipping"));
  return lines;
}

/** Every line of what the tier needs, spend before orders. */
export function progressLines(next: NextTierView, t: Translate): string[] {
  const lines: string[] = [];
  if (next.spendNeeded) lines.push(t("member.progress.spend", { amount: next.spendNeeded, tier: next.name }));
  if (next.ordersNeeded) lines.push(t("member.progress.orders", { count: next.ordersNeeded, tier: next.name }));
  return lines;
}

/**
 * What this cart (`placed`: this order) does for the next tier, when the view
 * could tell from it: "This order takes you to Platinum", "$12.00 more in this
 * order reaches Platinum" (after the order: "After this order, $12.00 more
 * reaches Platinum").
 */
function thisOrderLine(view: MemberView, placed: boolean, t: Translate): string | null {
  const { thisOrder } = view;
  if (thisOrder?.kind === "reaches") return t("member.thisOrder.reaches", { tier: thisOrder.tier });
  if (thisOrder?.kind === "short" && placed) return t("member.thisOrder.afterShort", { amount: thisOrder.amount, tier: thisOrder.tier });
  if (thisOrder?.kind === "short") return t("member.thisOrder.short", { amount: thisOrder.amount, tier: thisOrder.tier });
  return null;
}

/**
 * One line where space is short: what this cart does for the next tier when
 * that can be told, else the distance at the last sync. The metafield does not
 * say whether the next tier needs spend and orders or either one, so the
 * compact targets show the first criterion left and the account page shows them all.
 */
export function ProgressLine({ view, t, placed = false }: { view: MemberView; t: Translate; placed?: boolean }) {
  const withThisOrder = thisOrderLine(view, placed, t);
  if (withThisOrder) return <s-text tone={view.thisOrder?.kind === "reaches" ? "success" : "auto"}>{withThisOrder}</s-text>;
  const line = view.nextTier && progressLines(view.nextTier, t)[0];
  return line ? <s-text color="subdued">{line}</s-text> : null;
}

/** "Your member discount saved you $4.60 on this order.": said only when the order's discounts show it. */
export function SavedLine({ view, t }: { view: MemberView; t: Translate }) {
  return view.saved ? <s-text>{t("member.saved", { amount: view.saved })}</s-text> : null;
}

/**
 * While a downgrade is announced: "Your Gold status is under review: spend $X
 * by DATE to keep it" (or the orders it takes). A value written before reviews
 * carried the amount says only the review date.
 */
export function downgradeLine(view: MemberView, t: Translate): string | null {
  const { review } = view;
  if (review?.spendToKeep && review.ordersToKeep) return t("member.review.spendAndOrders", { tier: view.tierName, amount: review.spendToKeep, count: review.ordersToKeep, date: review.by });
  if (review?.spendToKeep) return t("member.review.spend", { tier: view.tierName, amount: review.spendToKeep, date: review.by });
  if (review?.ordersToKeep) return t("member.review.orders", { tier: view.tierName, count: review.ordersToKeep, date: review.by });
  return view.downgradeOn ? t("member.downgradeWarning", { tier: view.tierName, date: view.downgradeOn }) : null;
}

/** Shown while a downgrade is announced. */
export function DowngradeWarning({ view, t }: { view: MemberView; t: Translate }) {
  const line = downgradeLine(view, t);
  return line ? <s-text tone="warning">{line}</s-text> : null;
}

/** The member's tier, what the tier saved on this order, benefits, perks and what comes next: the thank-you and order-status blocks (orders placed). */
export function MemberSummary({ view, t }: { view: MemberView; t: Translate }) {
  const perks = benefits(view, t);
  return (
    <s-stack gap="small-200">
      <s-text type="strong">{t("member.headline", { tier: view.tierName })}</s-text>
      <SavedLine view={view} t={t} />
      {perks.length > 0 && <s-text>{perks.join(" · ")}</s-text>}
      {view.perks.length > 0 && (
        <s-unordered-list>
          {view.perks.map((perk) => (
            <s-list-item key={perk}>{perk}</s-list-item>
          ))}
        </s-unordered-list>
      )}
      {view.birthdayGift && <s-text>{t("member.birthdayGift", { gift: view.birthdayGift })}</s-text>}
      <ProgressLine view={view} t={t} placed />
      {view.downgradeOn ? (
        <DowngradeWarning view={view} t={t} />
      ) : (
        view.nextReview && <s-text color="subdued">{t("member.nextReview", { date: view.nextReview })}</s-text>
      )}
    </s-stack>
  );
}
