/**
 * "My membership", a full page in customer accounts
 * (`customer-account.page.render`): the tier, everything it gives, every
 * criterion left for the next tier, and when the tier is looked at again.
 * Customer accounts are signed-in by definition, so there is no guest variant.
 */
import type { Translate } from "../messages";
import type { InvitationView, MemberView, PageView } from "../view-model";
import { benefits, downgradeLine, progressLines } from "./member-lines";

export function MembershipPage({ view, t }: { view: PageView; t: Translate }) {
  const subheading = view.kind === "member" ? t("member.headline", { tier: view.tierName }) : undefined;
  return (
    <s-page heading={t("page.heading")} subheading={subheading}>
      {view.kind === "loading" && (
        <s-section>
          <s-skeleton-paragraph />
        </s-section>
      )}
      {view.kind === "unavailable" && <s-banner tone="warning">{t("page.unavailable")}</s-banner>}
      {(view.kind === "non-member" || view.kind === "guest") && (
        <s-section>
          <s-paragraph>{t("page.nonMember")}</s-paragraph>
          {view.kind === "non-member" && view.invitation && <s-paragraph>{invitationLine(view.invitation, t)}</s-paragraph>}
        </s-section>
      )}
      {view.kind === "member" && <MemberSections view={view} t={t} />}
    </s-page>
  );
}

function MemberSections({ view, t }: { view: MemberView; t: Translate }) {
  const perks = [...benefits(view, t), ...view.perks];
  if (view.birthdayGift) perks.push(t("member.birthdayGift", { gift: view.birthdayGift }));
  // Nothing left but a next tier: the upgrade is on its way, so no section rather than an empty one.
  const toNext = view.nextTier ? progressLines(view.nextTier, t) : [];
  const underReview = downgradeLine(view, t);
  return (
    <s-stack gap="base">
      {underReview && <s-banner tone="warning">{underReview}</s-banner>}
      {perks.length > 0 && (
        <s-section heading={t("page.perksHeading")}>
          <s-unordered-list>
            {perks.map((perk) => (
              <s-list-item key={perk}>{perk}</s-list-item>
            ))}
          </s-unordered-list>
        </s-section>
      )}
      {!view.nextTier && (
        <s-section heading={t("page.progressHeading")}>
          <s-paragraph>{t("member.progress.top")}</s-paragraph>
        </s-section>
      )}
      {toNext.length > 0 && (
        <s-section heading={t("page.progressHeading")}>
          <s-unordered-list>
            {toNext.map((line) => (
              <s-list-item key={line}>{line}</s-list-item>
            ))}
          </s-unordered-list>
        </s-section>
      )}
      <s-section heading={t("page.reviewHeading")}>
        <s-paragraph>{view.nextReview ? t("member.nextReview", { date: view.nextReview }) : t("page.noReview")}</s-paragraph>
      </s-section>
    </s-stack>
  );
}

/**
 * "Reach Silver ($200.00 in 12 months) for 5% off every order.": the first
 * tier that gives a discount, named with what it takes in the program's
 * window, and the discount in checkout's words.
 */
export function invitationLine(invitation: InvitationView, t: Translate): string {
  const { tier, percent, scope, spend, orders, qualifyBy, window } = invitation;
  const orderCount = orders === null ? null : t("page.invitation.orders", { count: orders });
  const spendText = spend === null ? null : t("page.invitation.spend", { amount: spend });
  let takes = spendText ?? orderCount;
  if (spendText && orderCount) takes = qualifyBy === "both" ? t("page.invitation.spendAndOrders", { spend: spendText, orders: orderCount }) : t("page.invitation.spendOrOrders", { spend: spendText, orders: orderCount });
  if (takes === null) return scope === "products" ? t("page.invitation.entry.products", { tier, percent }) : t("page.invitation.entry.subtotal", { tier, percent });
  let requirement: string;
  if (window.kind === "rolling") requirement = t("page.invitation.window.rolling", { requirement: takes, count: window.months });
  else if (window.kind === "lifetime") requirement = t("page.invitation.window.lifetime", { requirement: takes });
  else requirement = t("page.invitation.window.calendarYear", { requirement: takes });
  return scope === "products" ? t("page.invitation.reach.products", { tier, requirement, percent }) : t("page.invitation.reach.subtotal", { tier, requirement, percent });
}
