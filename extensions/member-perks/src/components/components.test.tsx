/** @jsxImportSource preact */
// (The pragma: extensions/member-perks/tsconfig.json, which sets Preact's JSX,
// leaves test files to tests/tsconfig.json, so vitest would otherwise compile
// this file's JSX with the repo's React settings.)
//
// Each target's component rendered to markup (Polaris web components are
// plain custom elements here) with the real locale files, asserting the text
// a shopper reads.
import { render } from "preact-render-to-string";
import { programMetafieldValue, serializeProgram } from "../../../../app/domain/program-metafield";
import { starterProgram, type TierProgram, type TierRule } from "../../../../app/domain/tiers";
import { goldMember, intlFormatters, shopperText, translator } from "../../tests/support";
import { pageView, perksView, type PageView, type Shopper } from "../view-model";
import { CheckoutPerks } from "./CheckoutPerks";
import { MembershipPage } from "./MembershipPage";
import { OrderStatusPerks } from "./OrderStatusPerks";
import { ThankYouPerks } from "./ThankYouPerks";

const gold = JSON.stringify(goldMember());
const member = (value: unknown = gold): Shopper => ({ signedIn: true, membership: value });
const nonMember: Shopper = { signedIn: true, membership: undefined };
const guest: Shopper = { signedIn: false };
const malformed = member('{"v":1,"tier":{"handle":"gold"}}');

const view = (shopper: Shopper, locale: string) => perksView(shopper, locale, intlFormatters(locale));
/** A Gold member under review, as the app writes it (ADR 0011): the downgrade date and what keeps the tier by its last day. */
const underReview = (review: Partial<NonNullable<ReturnType<typeof goldMember>["review"]>> = {}) =>
  goldMember({ downgradeOn: "2026-12-16T05:00:00.000Z", review: { by: "2026-12-15", spendToKeepMinor: 8_000, ordersToKeep: null, currencyCode: "USD", ...review } });

describe("checkout order summary", () => {
  const checkout = (shopper: Shopper, locale = "en-US") => render(<CheckoutPerks view={view(shopper, locale)} t={translator(locale)} />);

  it("tells a member their tier, what it takes off and what the next tier needs", () => {
    const html = checkout(member());
    expect(shopperText(html)).toBe("Your tier: Gold 10% off your order · Free shipping $42.00 more to reach Platinum");
    expect(html).toContain('<s-text type="strong">Your tier: Gold</s-text>');
  });

  it("speaks Chinese to a zh-CN shopper, tier names and money included", () => {
    expect(shopperText(checkout(member(), "zh-CN"))).toBe("会员等级：金卡 整单优惠 10% · 免运费 再消费 US$42.00 即可升级为白金卡");
  });

  it.each([
    ["a guest", guest],
    ["a signed-in customer without a tier", nonMember],
    ["a malformed metafield", malformed],
  ])("shows nothing to %s", (_, shopper) => {
    expect(checkout(shopper)).toBe("");
  });

  it("warns a member whose tier is under review, with the date", () => {
    const html = checkout(member(goldMember({ downgradeOn: "2026-12-15T05:00:00.000Z" })));
    expect(shopperText(html)).toContain("Your Gold status is reviewed on December 15, 2026. Orders before then count toward keeping it.");
    expect(html).toContain('<s-text tone="warning">');
  });

  it("tells a member under review what keeps the tier and by which day", () => {
    const html = checkout(member(underReview()));
    expect(shopperText(html)).toContain("Your Gold status is under review: spend $80.00 by December 15, 2026 to keep it.");
    expect(html).toContain('<s-text tone="warning">Your Gold status is under review');
    expect(shopperText(checkout(member(underReview({ spendToKeepMinor: null, ordersToKeep: 1 }))))).toContain("place 1 more order by December 15, 2026 to keep it.");
    expect(shopperText(checkout(member(underReview({ ordersToKeep: 2 }))))).toContain("spend $80.00 and place 2 more orders by December 15, 2026 to keep it.");
    // The shop's currency, whatever the shopper's: yen have no minor unit.
    expect(shopperText(checkout(member(underReview({ spendToKeepMinor: 5_000, currencyCode: "JPY" })), "zh-CN"))).toContain("您的金卡等级正在评定中：请在 2026年12月15日 前再消费 JP¥5,000 以保持该等级。");
  });

  it("counts orders, singular and plural, when orders are what is left", () => {
    const orders = (ordersNeeded: number) => goldMember({ progress: { ...goldMember().progress!, spendNeededMinor: null, ordersNeeded } });
    expect(shopperText(checkout(member(orders(1))))).toContain("1 more order to reach Platinum");
    expect(shopperText(checkout(member(orders(3))))).toContain("3 more orders to reach Platinum");
    expect(shopperText(checkout(member(orders(3)), "zh-CN"))).toContain("再下 3 单即可升级为白金卡");
  });

  it("names a products-only discount as such", () => {
    const html = checkout(member(goldMember({ discount: { percent: 15, scope: "products", excludedProductTags: ["sale"] }, freeShipping: false })));
    expect(shopperText(html)).toBe("Your tier: Gold 15% off eligible items $42.00 more to reach Platinum");
  });

  it("follows the cart when it is given: the line that crosses stands out, one that does not replaces the synced distance", () => {
    const money = (amount: number) => ({ amount, currencyCode: "USD" });
    const cart = (amount: number) => ({ facts: { lines: [{ cost: { totalAmount: money(amount) }, discountAllocations: [] }], discountAllocations: [] }, beforeThisOrder: true });
    const withCart = (amount: number, locale = "en-US") => render(<CheckoutPerks view={perksView(member(), locale, intlFormatters(locale), cart(amount))} t={translator(locale)} />);
    expect(withCart(42)).toContain('<s-text tone="success">This order takes you to Platinum</s-text>');
    expect(shopperText(withCart(41.5))).toBe("Your tier: Gold 10% off your order · Free shipping $0.50 more in this order reaches Platinum");
    expect(shopperText(withCart(60, "zh-CN"))).toBe("会员等级：金卡 整单优惠 10% · 免运费 本单将使您升级为白金卡");
  });

  it("shows a 0% entry tier without a discount line", () => {
    const entry = goldMember({ tier: { handle: "member", rank: 1, name: { en: "Member", "zh-CN": "会员" } }, discount: { percent: 0, scope: "subtotal", excludedProductTags: [] }, freeShipping: false });
    expect(shopperText(checkout(member(entry)))).toBe("Your tier: Member $42.00 more to reach Platinum");
  });
});

describe("thank-you page", () => {
  const thankYou = (shopper: Shopper, locale = "en-US", accountUrl?: string) => shopperText(render(<ThankYouPerks view={view(shopper, locale)} t={translator(locale)} accountUrl={accountUrl} />));

  it("sums up the member's perks and says this order counts", () => {
    expect(thankYou(member())).toBe(
      "Member perks Your tier: Gold 10% off your order · Free shipping Early access to sales Free gift wrapping $42.00 more to reach Platinum Next tier review: January 1, 2027 This order counts toward your membership. Your status updates shortly.",
    );
  });

  it("reads in Chinese for a zh-CN shopper", () => {
    expect(thankYou(member(), "zh-CN")).toBe(
      "会员权益 会员等级：金卡 整单优惠 10% · 免运费 优先参加促销 免费礼品包装 再消费 US$42.00 即可升级为白金卡 下次等级评定：2027年1月1日 本单已计入您的会员进度，会员状态稍后更新。",
    );
  });

  it("invites a guest to sign in or create an account, linking to the store's account page", () => {
    const html = render(<ThankYouPerks view={view(guest, "en-US")} t={translator("en-US")} accountUrl="https://shop.example/account" />);
    expect(shopperText(html)).toBe(
      "Member perks Sign in or create an account before your next order, so your orders count toward membership and the perks of its tiers. Sign in or create an account",
    );
    expect(html).toContain('<s-link href="https://shop.example/account">');
  });

  it("tells a signed-in non-member, and a customer with an unreadable value, that this order counts toward membership", () => {
    const expected = "Member perks This order counts toward membership. Your status updates shortly, and your account then shows what your tier gives you.";
    expect(thankYou(nonMember)).toBe(expected);
    expect(thankYou(malformed)).toBe(expected);
  });

  it("shows a birthday gift the merchant wrote", () => {
    expect(thankYou(member(goldMember({ birthdayGift: "A tote bag" })))).toContain("Birthday gift: A tote bag");
  });
});

describe("order status page", () => {
  const orderStatus = (shopper: Shopper, locale = "en-US") => render(<OrderStatusPerks view={view(shopper, locale)} t={translator(locale)} onSignIn={() => undefined} />);

  it("shows a signed-in member their tier, perks, progress and review date", () => {
    expect(shopperText(orderStatus(member()))).toBe(
      "Member perks Your tier: Gold 10% off your order · Free shipping Early access to sales Free gift wrapping $42.00 more to reach Platinum Next tier review: January 1, 2027",
    );
  });

  it("shows the downgrade warning in place of the review date", () => {
    const text = shopperText(orderStatus(member(goldMember({ downgradeOn: "2026-12-15T05:00:00.000Z" })), "zh-CN"));
    expect(text).toContain("您的金卡等级将于 2026年12月15日 重新评定。在此之前的订单都计入保级。");
    expect(text).not.toContain("下次等级评定");
  });

  it("shows a member under review what keeps the tier, in place of the review date", () => {
    const text = shopperText(orderStatus(member(underReview())));
    expect(text).toContain("Your Gold status is under review: spend $80.00 by December 15, 2026 to keep it.");
    expect(text).not.toContain("Next tier review");
  });

  it("offers a shopper who is not signed in a sign-in button", () => {
    const html = orderStatus(guest);
    expect(shopperText(html)).toBe("Member perks Sign in to see your member perks. Sign in");
    expect(html).toMatch(/<s-button[^>]*>Sign in<\/s-button>/);
  });

  it("tells a signed-in customer without a tier how membership comes", () => {
    expect(shopperText(orderStatus(nonMember, "zh-CN"))).toBe("会员权益 您还不是会员。您的订单会计入会员资格，届时账户中会显示您所在等级的权益。");
    expect(shopperText(orderStatus(malformed))).toBe("Member perks You're not a member yet. Your orders count toward membership, and your account will show what your tier gives you.");
  });
});

describe("My membership page", () => {
  const page = (pageView: PageView, locale = "en-US") => render(<MembershipPage view={pageView} t={translator(locale)} />);

  it("lays out the tier, every perk, what the next tier needs and the review date", () => {
    const both = goldMember({ birthdayGift: "A tote bag", progress: { ...goldMember().progress!, ordersNeeded: 2 } });
    const html = page(view(member(both), "en-US"));
    expect(html).toMatch(/^<s-page heading="My membership" subheading="Your tier: Gold">/);
    expect(shopperText(html)).toBe(
      "My membership Your tier: Gold Your perks 10% off your order Free shipping Early access to sales Free gift wrapping Birthday gift: A tote bag Next tier $42.00 more to reach Platinum 2 more orders to reach Platinum Tier review Next tier review: January 1, 2027",
    );
  });

  it("reads in Chinese, with a warning banner while a downgrade is announced", () => {
    const html = page(view(member(goldMember({ downgradeOn: "2026-12-15T05:00:00.000Z" })), "zh-CN"), "zh-CN");
    expect(html).toMatch(/^<s-page heading="我的会员" subheading="会员等级：金卡">/);
    expect(html).toContain('<s-banner tone="warning">您的金卡等级将于 2026年12月15日 重新评定。在此之前的订单都计入保级。</s-banner>');
    expect(shopperText(html)).toContain("您的权益 整单优惠 10% 免运费 优先参加促销 免费礼品包装 下一等级 再消费 US$42.00 即可升级为白金卡");
  });

  it("warns a member under review at the top of their account page, in both languages", () => {
    expect(page(view(member(underReview()), "en-US"))).toContain('<s-banner tone="warning">Your Gold status is under review: spend $80.00 by December 15, 2026 to keep it.</s-banner>');
    expect(page(view(member(underReview()), "zh-CN"), "zh-CN")).toContain('<s-banner tone="warning">您的金卡等级正在评定中：请在 2026年12月15日 前再消费 US$80.00 以保持该等级。</s-banner>');
  });

  it("says so at the top tier, and when the tier has no review date", () => {
    const text = shopperText(page(view(member(goldMember({ progress: null, nextEvaluation: null })), "en-US")));
    expect(text).toContain("Next tier You're at the top tier.");
    expect(text).toContain("Tier review Your tier has no scheduled review.");
  });

  it("explains membership to a customer without a tier or with an unreadable value", () => {
    const expected = "My membership You're not a member yet. Every order counts toward membership. Once you're placed in a tier, this page shows what it gives you and what the next tier takes.";
    expect(shopperText(page(view(nonMember, "en-US")))).toBe(expected);
    expect(shopperText(page(view(malformed, "en-US")))).toBe(expected);
  });

  it("shows a placeholder while loading and an apology, not a verdict, when the fetch fails", () => {
    expect(page({ kind: "loading" })).toContain("<s-skeleton-paragraph>");
    expect(shopperText(page({ kind: "unavailable" }))).toBe("My membership We couldn't load your membership right now. Please try again later.");
  });
});

describe("honest copy", () => {
  // Shoppers without a tier, or not signed in, carry no membership value: the
  // extension cannot know what their tier would give, and in many programs the
  // entry tier has no discount (three quarters of the demo's members). So no
  // surface promises them savings or a discount; only the account page, given
  // the shop's published program, names the tier that gives one and what it
  // takes (the describe below).
  const promises = /\bsav(e|es|ing|ings)\b|discount|% off|优惠|折扣|节省/i;
  it.each(["en-US", "zh-CN"])("promises no savings to a guest or a customer without a tier (%s)", (locale) => {
    const t = translator(locale);
    const texts = [guest, nonMember, malformed].flatMap((shopper) => {
      const perks = view(shopper, locale);
      return [
        shopperText(render(<ThankYouPerks view={perks} t={t} accountUrl="https://shop.example/account" />)),
        shopperText(render(<OrderStatusPerks view={perks} t={t} onSignIn={() => undefined} />)),
        shopperText(render(<MembershipPage view={perks} t={t} />)),
      ];
    });
    for (const text of texts) expect(text).not.toMatch(promises);
  });

  it("shows an entry-tier member with no discount no discount, and what their next tier takes", () => {
    const entry = goldMember({ tier: { handle: "member", rank: 1, name: { en: "Member", "zh-CN": "会员" } }, discount: { percent: 0, scope: "subtotal", excludedProductTags: [] }, freeShipping: false, perks: [] });
    const text = shopperText(render(<MembershipPage view={view(member(entry), "en-US")} t={translator("en-US")} />));
    expect(text).not.toMatch(promises);
    expect(text).toContain("$42.00 more to reach Platinum");
  });
});

describe("My membership page: what a customer without a tier can reach", () => {
  // The shop's program as the app publishes it ($app:program), from the
  // starter program: Member (no discount), Silver at 200.00 in a rolling 12
  // months with 5% off, Gold, Platinum.
  type Rules = Pick<TierProgram, "tiers" | "window">;
  const published = (rules: Rules, currency = "USD") => serializeProgram(programMetafieldValue(rules, currency));
  const starter = starterProgram();
  const withTier = (rules: Rules, handle: string, change: (tier: TierRule) => TierRule): Rules => ({ ...rules, tiers: rules.tiers.map((tier) => (tier.handle === handle ? change(tier) : tier)) });
  const accountPage = (program: unknown, locale = "en-US", membership: unknown = null) =>
    shopperText(render(<MembershipPage view={pageView({ status: "loaded", membership, program }, locale, intlFormatters(locale))} t={translator(locale)} />));
  const nonMemberText = "My membership You're not a member yet. Every order counts toward membership. Once you're placed in a tier, this page shows what it gives you and what the next tier takes.";

  it("names the first tier that gives a discount, what it takes in the program's window, and the discount", () => {
    expect(accountPage(published(starter))).toBe(`${nonMemberText} Reach Silver ($200.00 in 12 months) for 5% off every order.`);
  });

  it("says it in Chinese with checkout's words for the discount", () => {
    expect(accountPage(published(starter), "zh-CN")).toContain("达到银卡（12 个月内消费 US$200.00）即可享整单优惠 5%。");
  });

  it("words orders, both criteria, the calendar year and a lifetime program, and a discount with exclusions as eligible items", () => {
    const both = withTier({ ...starter, window: { kind: "calendarYear" } }, "silver", (tier) => ({ ...tier, minOrders: 3, qualifyBy: "both" }));
    expect(accountPage(published(both))).toContain("Reach Silver ($200.00 and 3 orders in a calendar year) for 5% off every order.");
    const either = withTier({ ...starter, window: { kind: "lifetime" } }, "silver", (tier) => ({ ...tier, minOrders: 1, qualifyBy: "either", perks: { ...tier.perks, excludedProductTags: ["sale"] } }));
    expect(accountPage(published(either))).toContain("Reach Silver ($200.00 or 1 order in total) for 5% off eligible items.");
    expect(accountPage(published(either), "zh-CN")).toContain("达到银卡（累计消费 US$200.00或下单 1 笔）即可享指定商品优惠 5%。");
    const ordersOnly = withTier({ ...starter, window: { kind: "rolling", months: 1 } }, "silver", (tier) => ({ ...tier, minNetSpendMinor: null, minOrders: 2 }));
    expect(accountPage(published(ordersOnly))).toContain("Reach Silver (2 orders in 1 month) for 5% off every order.");
  });

  it("skips tiers without a discount, in the shop's currency, and names an entry tier that gives one as where every member starts", () => {
    const silverWithout = withTier(starter, "silver", (tier) => ({ ...tier, perks: { ...tier.perks, discountPercent: 0 } }));
    expect(accountPage(published(silverWithout, "EUR"))).toContain("Reach Gold (€500.00 in 12 months) for 10% off every order.");
    const generousEntry = withTier(starter, "member", (tier) => ({ ...tier, perks: { ...tier.perks, discountPercent: 2 } }));
    expect(accountPage(published(generousEntry))).toContain("Every member starts at Member, with 2% off every order.");
  });

  it("promises nothing when no tier gives a discount, or the program cannot be read", () => {
    const none = { ...starter, tiers: starter.tiers.map((tier) => ({ ...tier, perks: { ...tier.perks, discountPercent: 0 } })) };
    expect(accountPage(published(none))).toBe(nonMemberText);
    expect(accountPage("{not json")).toBe(nonMemberText);
    expect(accountPage(published(starter).replaceAll('"discountScope":"subtotal"', '"discountScope":"everything"'))).toBe(nonMemberText);
    expect(accountPage(null)).toBe(nonMemberText);
  });

  it("leaves a member's page as it was: their own tier and progress, no invitation", () => {
    const text = accountPage(published(starter), "en-US", gold);
    expect(text).toContain("Your perks 10% off your order");
    expect(text).not.toContain("Reach Silver");
  });
});
