/**
 * "My membership", a full page in customer accounts
 * (`customer-account.page.render`): the tier, everything it gives, every
 * criterion left for the next tier, and when the tier is looked at again.
 * Customer accounts are signed-in by definition, so there is no guest variant.
 */
import type { Translate } from "../messages";
import type { MemberView, PageView } from "../view-model";
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
