// What the view model makes of a shopper, a metafield value and a locale.
import { goldMember, intlFormatters } from "../tests/support";
import { minorToMajor, pageView, perksLanguage, perksView, type Formatters, type PerksView } from "./view-model";

const en = intlFormatters("en-US");
const gold = goldMember();

const goldView: PerksView = {
  kind: "member",
  tierName: "Gold",
  discount: { percent: 10, scope: "subtotal" },
  freeShipping: true,
  perks: ["Early access to sales", "Free gift wrapping"],
  birthdayGift: null,
  nextTier: { name: "Platinum", spendNeeded: "$42.00", ordersNeeded: null },
  nextReview: "January 1, 2027",
  downgradeOn: null,
  review: null,
  thisOrder: null,
  saved: null,
};

describe("perksView", () => {
  it.each<[string, Parameters<typeof perksView>[0], string, PerksView]>([
    ["a guest", { signedIn: false }, "en-US", { kind: "guest" }],
    ["a signed-in customer without the metafield", { signedIn: true, membership: undefined }, "en-US", { kind: "non-member" }],
    ["a signed-in customer whose metafield is null", { signedIn: true, membership: null }, "en-US", { kind: "non-member" }],
    ["a malformed value", { signedIn: true, membership: '{"v":1,"tier":"gold"}' }, "en-US", { kind: "non-member" }],
    ["text that is not JSON", { signedIn: true, membership: "<html>" }, "en-US", { kind: "non-member" }],
    ["a value from a newer contract", { signedIn: true, membership: { ...gold, v: 2 } }, "en-US", { kind: "non-member" }],
    ["a Gold member reading English", { signedIn: true, membership: JSON.stringify(gold) }, "en-US", goldView],
    ["a Gold member in the metafield's parsed form", { signedIn: true, membership: gold }, "en", goldView],
    [
      "a Gold member reading Chinese",
      { signedIn: true, membership: JSON.stringify(gold) },
      "zh-CN",
      { ...goldView, tierName: "金卡", perks: ["优先参加促销", "免费礼品包装"], nextTier: { name: "白金卡", spendNeeded: "US$42.00", ordersNeeded: null }, nextReview: "2027年1月1日" },
    ],
    [
      "a member warned of a downgrade",
      { signedIn: true, membership: goldMember({ downgradeOn: "2026-12-15T05:00:00.000Z" }) },
      "en-US",
      { ...goldView, downgradeOn: "December 15, 2026" },
    ],
    [
      "a member under review, told the last day that counts as that day wherever they are",
      { signedIn: true, membership: goldMember({ downgradeOn: "2026-12-16T05:00:00.000Z", review: { by: "2026-12-15", spendToKeepMinor: 8_000, ordersToKeep: null, currencyCode: "USD" } }) },
      "en-US",
      { ...goldView, downgradeOn: "December 16, 2026", review: { by: "December 15, 2026", spendToKeep: "$80.00", ordersToKeep: null } },
    ],
    [
      "a member at the top tier in a lifetime program",
      { signedIn: true, membership: goldMember({ progress: null, nextEvaluation: null }) },
      "en-US",
      { ...goldView, nextTier: null, nextReview: null },
    ],
    [
      "a 0% entry-tier member with orders to go",
      {
        signedIn: true,
        membership: goldMember({
          tier: { handle: "member", rank: 1, name: { en: "Member", "zh-CN": "会员" } },
          discount: { percent: 0, scope: "subtotal", excludedProductTags: [] },
          freeShipping: false,
          perks: [],
          progress: { next: { handle: "silver", name: { en: "Silver", "zh-CN": "银卡" } }, spendNeededMinor: null, ordersNeeded: 2, currencyCode: "USD" },
          nextEvaluation: null,
        }),
      },
      "en-US",
      { ...goldView, tierName: "Member", discount: null, freeShipping: false, perks: [], nextTier: { name: "Silver", spendNeeded: null, ordersNeeded: 2 }, nextReview: null },
    ],
  ])("%s", (_, shopper, locale, expected) => {
    expect(perksView(shopper, locale, intlFormatters(locale))).toEqual(expected);
  });

  it.each([
    ["yen, which has no minor unit", "JPY", 4_200, "¥4,200"],
    ["dinars, which have three decimals", "KWD", 4_200, "KWD 4.200"],
    ["euros for an English reader", "EUR", 4_250, "€42.50"],
  ])("formats spend in the shop's currency: %s", (_, currencyCode, spendNeededMinor, expected) => {
    const membership = goldMember({ progress: { ...gold.progress!, currencyCode, spendNeededMinor } });
    const view = perksView({ signedIn: true, membership }, "en-US", en);
    expect(view.kind === "member" && view.nextTier?.spendNeeded?.replace(/\u00a0/g, " ")).toBe(expected);
  });

  it("shows a criterion already met as nothing left, not as zero", () => {
    const membership = goldMember({ progress: { ...gold.progress!, spendNeededMinor: 0, ordersNeeded: 1 } });
    const view = perksView({ signedIn: true, membership }, "en-US", en);
    expect(view.kind === "member" && view.nextTier).toEqual({ name: "Platinum", spendNeeded: null, ordersNeeded: 1 });
  });

  it("falls back to the other language, then to the handle, where the merchant left a name blank", () => {
    const membership = goldMember({
      tier: { handle: "gold", rank: 3, name: { en: "Gold", "zh-CN": " " } },
      perks: [{ en: "", "zh-CN": "" }, { en: "Early access", "zh-CN": "" }],
      progress: { ...gold.progress!, next: { handle: "platinum", name: { en: "", "zh-CN": "" } } },
    });
    const view = perksView({ signedIn: true, membership }, "zh-CN", intlFormatters("zh-CN"));
    expect(view).toMatchObject({ tierName: "Gold", perks: ["Early access"], nextTier: { name: "platinum" } });
  });

  it("still shows the member when the host cannot format the shop's currency", () => {
    const refusing: Formatters = { ...en, money: () => { throw new RangeError("Invalid currency code"); } };
    const membership = goldMember({ progress: { ...gold.progress!, currencyCode: "XX1" } });
    expect(perksView({ signedIn: true, membership }, "en-US", refusing)).toMatchObject({ kind: "member", nextTier: { spendNeeded: "42 XX1" } });
  });
});

describe("perksLanguage", () => {
  it.each([
    ["zh-CN", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["zh", "zh-CN"],
    ["ZH-hk", "zh-CN"],
    ["en-US", "en"],
    ["fr", "en"],
    ["", "en"],
  ])("%s reads %s", (locale, expected) => {
    expect(perksLanguage(locale)).toBe(expected);
  });
});

it("turns minor units into major units by the currency's exponent", () => {
  expect(minorToMajor(4_200, "USD")).toBe(42);
  expect(minorToMajor(4_200, "JPY")).toBe(4_200);
  expect(minorToMajor(4_200, "BHD")).toBe(4.2);
  expect(minorToMajor(4_200, "???")).toBe(42);
});

describe("pageView", () => {
  it.each<[string, Parameters<typeof pageView>[0], string]>([
    ["still fetching", { status: "loading" }, "loading"],
    ["the fetch failed: not a verdict on membership", { status: "failed" }, "unavailable"],
    ["no metafield", { status: "loaded", membership: null }, "non-member"],
    ["a member", { status: "loaded", membership: JSON.stringify(gold) }, "member"],
  ])("%s", (_, fetched, kind) => {
    expect(pageView(fetched, "en-US", en).kind).toBe(kind);
  });
});

describe("perksView with this cart or order", () => {
  const usd = (amount: number, currencyCode = "USD") => ({ amount, currencyCode });
  /** A cart of one line at `amount`, with the member's 10% off the subtotal when `memberOff` is given. */
  const cart = (amount: number, memberOff?: number, currencyCode = "USD") => ({
    lines: [{ cost: { totalAmount: usd(amount, currencyCode) }, discountAllocations: [] }],
    discountAllocations: memberOff === undefined ? [] : [{ type: "custom", title: "Gold member · 10% off", discountedAmount: usd(memberOff, currencyCode) }],
  });
  const member = (membership: unknown = gold) => ({ signedIn: true as const, membership });
  const view = (membership: unknown, order: ReturnType<typeof cart>, locale = "en-US", beforeThisOrder = true) => perksView(member(membership), locale, intlFormatters(locale), { facts: order, beforeThisOrder });

  it("says the order reaches the next tier once its spend after discounts covers what was left", () => {
    // $46.00 of items less the member's $4.60: $41.40, short of $42.00. $47.00 less $4.70 is $42.30.
    expect(view(gold, cart(46, 4.6))).toMatchObject({ thisOrder: { kind: "short", tier: "Platinum", amount: "$0.60" }, saved: "$4.60" });
    expect(view(gold, cart(47, 4.7))).toMatchObject({ thisOrder: { kind: "reaches", tier: "Platinum" }, saved: "$4.70" });
  });

  it("formats what is missing and what was saved in the shopper's language and the shop's currency", () => {
    expect(view(gold, cart(30, 3), "zh-CN")).toMatchObject({ thisOrder: { kind: "short", tier: "白金卡", amount: "US$15.00" }, saved: "US$3.00" });
    const yen = goldMember({ progress: { ...gold.progress!, spendNeededMinor: 5_000, currencyCode: "JPY" } });
    expect(view(yen, cart(3_000, 300, "JPY"))).toMatchObject({ thisOrder: { kind: "short", amount: "¥2,300" }, saved: "¥300" });
  });

  it("keeps to the synced line at the top tier and in a currency that is not the shop's", () => {
    expect(view(goldMember({ progress: null }), cart(500, 50))).toMatchObject({ nextTier: null, thisOrder: null, saved: "$50.00" });
    expect(view(gold, cart(500, 50, "EUR"))).toMatchObject({ nextTier: { spendNeeded: "$42.00" }, thisOrder: null, saved: "€50.00" });
  });

  it("says nothing of the cart for a malformed value or a guest", () => {
    expect(view('{"v":1,"tier":{"handle":"gold"}}', cart(500, 50))).toEqual({ kind: "non-member" });
    expect(perksView({ signedIn: false }, "en-US", en, { facts: cart(500, 50), beforeThisOrder: true })).toEqual({ kind: "guest" });
  });

  it("tells only the savings on the order status page, whose membership may already count the order", () => {
    expect(view(gold, cart(47, 4.7), "en-US", false)).toMatchObject({ nextTier: { spendNeeded: "$42.00" }, thisOrder: null, saved: "$4.70" });
  });

  it("is unchanged without a cart", () => {
    expect(perksView(member(), "en-US", en)).toEqual(goldView);
  });
});
