// The theme app extension (extensions/member-theme, issue 22): its Liquid
// rendered with liquidjs and the Shopify filter stand-ins
// (tools/storefront/liquid.ts) for a member, a top-tier member, a member under
// review, an entry-tier member, a signed-in non-member, a guest and damaged
// metafields, in English and Chinese. The metafield values are what the app
// writes: the membership value from the sync's own domain functions (orders →
// qualifying totals → tier → membershipValue), the program from
// programMetafieldValue. Expected amounts and dates come from Intl, not from
// the stand-ins. Then Shopify's Theme Check, and the limits Shopify CLI checks
// before it deploys a theme app extension.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { check } from "@shopify/theme-check-node";
import { membershipValue, type MembershipValue } from "~/domain/membership";
import { currencyDigits, minorToAmount } from "~/domain/money";
import { programMetafieldValue } from "~/domain/program-metafield";
import { purchaseLedger } from "~/domain/purchase-ledger";
import { evaluateMember, progressToNext, qualifiedTier, qualifyingTotals, starterProgram, type TierProgram } from "~/domain/tiers";
import { percentOff } from "~/i18n/glossary";
import { shopperText } from "../extensions/member-perks/tests/support";
import { extensionWords as words } from "./support/theme-words";
import { createStorefrontLiquid, liquidMetafield, THEME_EXTENSION_ROOT, type PageScope, type StorefrontLocale } from "../tools/storefront/liquid";

const NOW = new Date("2026-12-07T15:00:00Z");
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

/** The starter gradient with what merchants add: a perk text in both languages, gifts. */
function shopProgram(): TierProgram {
  const program: TierProgram = { ...starterProgram(), timeZone: "America/New_York" };
  const gold = program.tiers.find((tier) => tier.handle === "gold")!;
  gold.perks = { ...gold.perks, notes: [{ en: "Early access to new arrivals", "zh-CN": "新品抢先购" }] };
  gold.entryGift = "Canvas tote";
  const platinum = program.tiers.find((tier) => tier.handle === "platinum")!;
  platinum.perks = { ...platinum.perks, birthdayGift: "Hand-poured candle", notes: [{ en: "A personal stylist", "zh-CN": "专属造型顾问" }] };
  return program;
}

/** The same program for a shop in yen: thresholds ten times the dollar figures (¥200,000 for Silver). */
function shopProgramInYen(): TierProgram {
  const program = shopProgram();
  return { ...program, tiers: program.tiers.map((tier) => ({ ...tier, minNetSpendMinor: tier.minNetSpendMinor && tier.minNetSpendMinor * 10 })) };
}

/** The membership value the sync writes for a customer with these orders (spend in minor units, days before NOW). */
function memberWith(program: TierProgram, orders: Array<[number, number]>, currencyCode = "USD"): MembershipValue {
  const totals = qualifyingTotals(
    program,
    orders.map(([minor, ago]) => ({ processedAt: daysAgo(ago), netMinor: minor })),
    NOW,
  );
  return membershipValue(program, qualifiedTier(program, totals), { downgradeOn: null }, totals, currencyCode, NOW);
}

/** A Gold member whose last year's spend has dropped below Gold: the daily sweep's warning, and the value that announces it. */
function goldUnderReview(program: TierProgram): MembershipValue {
  const totals = qualifyingTotals(program, [{ processedAt: daysAgo(40), netMinor: 31_000 }], NOW);
  const decision = evaluateMember(program, { tierHandle: "gold", downgradeOn: null, warnedAt: null, pinnedHandle: null, pinnedUntil: null }, totals, NOW, { sweep: true });
  if (decision.action !== "warn") throw new Error(`expected a warning, got ${decision.action}`);
  return membershipValue(program, decision.tier, { downgradeOn: decision.downgradeOn }, totals, "USD", NOW);
}

const MONEY_FORMATS: Record<string, { money_format: string; money_with_currency_format: string }> = {
  USD: { money_format: "${{amount}}", money_with_currency_format: "${{amount}} USD" },
  JPY: { money_format: "¥{{amount_no_decimals}}", money_with_currency_format: "¥{{amount_no_decimals}} JPY" },
};

interface PageOptions {
  locale?: StorefrontLocale;
  program?: unknown;
  /** undefined: a guest. null: signed in without a membership value. */
  membership?: unknown;
  currency?: string;
  presentment?: string;
  /** The shopper's cart as Liquid sees it (cartOf); its currency is the presentment currency. */
  cart?: PageScope["cart"];
  designMode?: boolean;
}

function page({ locale = "en", program, membership, currency = "USD", presentment, cart, designMode }: PageOptions): PageScope {
  return {
    shop: { name: "Linen & Loom", currency, ...MONEY_FORMATS[currency], metafields: program === undefined ? {} : { $app: { program: liquidMetafield(program) } } },
    customer: membership === undefined ? null : { id: 7, first_name: "Mei", metafields: membership === null ? {} : { $app: { membership: liquidMetafield(membership) } } },
    request: { locale: { iso_code: locale }, design_mode: designMode ?? false },
    ...(cart ? { cart } : presentment ? { cart: { currency: { iso_code: presentment } } } : {}),
    routes: { account_login_url: "/account/login", account_register_url: "/account/register", account_url: "/account", root_url: "/" },
  };
}

const liquid = createStorefrontLiquid();

/** What a shopper reads: tags out, entities decoded, spaces collapsed (the extensions' one reader of rendered HTML). */
const text = shopperText;

/** The texts of the list items of the first `<ul class="mc-perks">` (or of every one, by index). */
function perkItems(html: string, index = 0): string[] {
  const lists = [...html.matchAll(/<ul class="mc-perks">([\s\S]*?)<\/ul>/g)];
  const list = lists[index]?.[1] ?? "";
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((match) => text(match[1]));
}

const INTL_LOCALE: Record<StorefrontLocale, string> = { en: "en-US", "zh-CN": "zh-CN" };

/** An amount in minor units as a shopper expects to read it, by Intl (the shop's money formats above print the same). */
function expectedMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(minorToAmount(minor, currency)));
}

/** A shop's calendar day (YYYY-MM-DD) written out in the language, by Intl. */
function expectedDay(day: string, locale: StorefrontLocale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
}


const program = shopProgram();
const published = programMetafieldValue(program, "USD");
const tierOf = (handle: string) => published.tiers.find((tier) => tier.handle === handle)!;

describe("member status block", () => {
  it("shows a member their tier, its perks in the glossary's words, and what the next tier takes, in words and as a bar", async () => {
    const membership = memberWith(program, [[25_000, 200], [13_000, 30]]);
    expect(membership.tier.handle).toBe("silver"); // $380 in the last 12 months: Silver ($200), short of Gold ($500)
    const needed = membership.progress!.spendNeededMinor!;
    const gold = tierOf("gold").requirement.spendMinor!;

    for (const locale of ["en", "zh-CN"] as const) {
      const html = await liquid.renderBlock("member-status", page({ locale, program: published, membership }));
      const shown = text(html);
      expect(shown).toContain(membership.tier.name[locale]);
      expect(perkItems(html)).toHaveLength(1);
      expect(perkItems(html)[0]).toContain(percentOff(membership.discount.percent, locale));
      expect(shown).toContain(expectedMoney(needed, "USD"));
      expect(shown).toContain(membership.progress!.next.name[locale]);
      const bar = /<progress[^>]*value="(\d+)"[^>]*>/.exec(html);
      expect(Number(bar?.[1])).toBe(Math.floor(((gold - needed) * 100) / gold));
      expect(bar?.[0]).toContain(`aria-label="`);
      expect(html).not.toContain("/account/login");
      expect(html).not.toMatch(/Liquid error|translation missing/);
    }
  });

  it("tells a top-tier member they are at the top, with every perk of the tier in their language", async () => {
    const membership = memberWith(program, [[60_000, 100], [45_000, 10]]);
    expect(membership.tier.handle).toBe("platinum");
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await liquid.renderBlock("member-status", page({ locale, program: published, membership }));
      expect(text(html)).toContain(words(locale, "member_theme.progress.top"));
      expect(html).not.toContain("<progress");
      const perks = perkItems(html);
      expect(perks[0]).toContain(percentOff(15, locale));
      expect(perks).toContain(words(locale, "member_theme.perks.free_shipping"));
      expect(perks.some((perk) => perk.includes("Hand-poured candle"))).toBe(true);
      expect(perks).toContain(membership.perks[0][locale]);
    }
  });

  it("does not promise a saving to a member of the entry tier, and says what the next tier takes", async () => {
    const membership = memberWith(program, [[4_500, 20]]);
    expect(membership.tier.handle).toBe("member");
    expect(membership.discount.percent).toBe(0);
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await liquid.renderBlock("member-status", page({ locale, program: published, membership }));
      const shown = text(html);
      expect(shown).not.toMatch(/% off|优惠/);
      expect(html).not.toContain('class="mc-perks"');
      expect(shown).toContain(words(locale, "member_theme.status.no_perks"));
      expect(shown).toContain(expectedMoney(membership.progress!.spendNeededMinor!, "USD"));
    }
  });

  it("announces a review with what keeps the tier and the last day that counts, as the shop's calendar day", async () => {
    const membership = goldUnderReview(program);
    const review = membership.review!;
    expect(review.spendToKeepMinor).toBe(tierOf("gold").requirement.spendMinor! - 31_000);
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await liquid.renderBlock("member-status", page({ locale, program: published, membership }));
      const line = text(/<p class="mc-review">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? "");
      expect(line).toContain(membership.tier.name[locale]);
      expect(line).toContain(expectedMoney(review.spendToKeepMinor!, "USD"));
      expect(line).toContain(expectedDay(review.by, locale));
    }
  });

  it("tells a signed-in customer who is not a member yet, and names the first tier with a discount and what it takes", async () => {
    const silver = tierOf("silver");
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await liquid.renderBlock("member-status", page({ locale, program: published, membership: null }));
      const shown = text(html);
      expect(shown).toContain(words(locale, "member_theme.status.not_member"));
      const offers = [...html.matchAll(/<p class="mc-invite__offer">([\s\S]*?)<\/p>/g)].map((match) => text(match[1]));
      expect(offers).toHaveLength(2);
      expect(offers[0]).toContain(silver.name[locale]);
      expect(offers[0]).toContain(expectedMoney(silver.requirement.spendMinor!, "USD"));
      expect(offers[0]).toContain(String((published.window as { months: number }).months));
      expect(offers[0]).toContain(percentOff(silver.discountPercent, locale));
      expect(offers[1]).toContain(tierOf("platinum").name[locale]);
      expect(offers[1]).toContain(percentOff(tierOf("platinum").discountPercent, locale));
      expect(shown).not.toContain(tierOf("member").name[locale] + " (");
      expect(html).not.toContain("/account/login");
    }
  });

  it("invites a guest to sign in or join, naming what members get", async () => {
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await liquid.renderBlock("member-status", page({ locale, program: published }));
      expect(text(html)).toContain(percentOff(tierOf("silver").discountPercent, locale));
      expect(html).toContain('href="/account/login"');
      expect(html).toContain('href="/account/register"');
      expect(text(html)).toContain(words(locale, "member_theme.status.guest_heading"));
    }
  });

  it("promises no discount when no tier gives one", async () => {
    const noDiscounts = shopProgram();
    for (const tier of noDiscounts.tiers) tier.perks = { ...tier.perks, discountPercent: 0 };
    const html = await liquid.renderBlock("member-status", page({ program: programMetafieldValue(noDiscounts, "USD") }));
    expect(text(html)).not.toMatch(/% off/);
    expect(text(html)).toContain(words("en", "member_theme.invite.perks_as_you_shop"));
    expect(html).toContain('href="/account/login"');
  });

  it("shows nothing wrong for values it cannot read: no tier, no claim, no Liquid error", async () => {
    const good = memberWith(program, [[38_000, 30]]);
    const damaged: unknown[] = [{ ...good, v: 2 }, "{not json", { v: 1 }, { ...good, tier: "gold" }, 42, []];
    for (const membership of damaged) {
      for (const locale of ["en", "zh-CN"] as const) {
        const html = await liquid.renderBlock("member-status", page({ locale, program: published, membership }));
        const shown = text(html);
        expect(shown).not.toContain(good.tier.name[locale]);
        expect(shown).not.toMatch(/Liquid error|translation missing|undefined|NaN/);
        expect(shown).not.toContain(words(locale, "member_theme.status.not_member"));
        expect(html).toContain('href="/account"');
      }
    }
    // A damaged program: a guest is still invited, without any claim about tiers.
    for (const bad of [{ ...published, v: 2 }, { v: 1, tiers: [] }, "program"]) {
      const html = await liquid.renderBlock("member-status", page({ program: bad }));
      expect(text(html)).not.toMatch(/% off|Liquid error|translation missing/);
      expect(html).toContain('href="/account/login"');
    }
  });

  it("escapes the merchant's words", async () => {
    const risky = shopProgram();
    risky.tiers[1].name = { en: 'Silver <img src=x onerror="alert(1)"> & Co', "zh-CN": "银卡 <b>" };
    risky.tiers[1].perks = { ...risky.tiers[1].perks, notes: [{ en: "<script>alert(1)</script>", "zh-CN": "<i>" }] };
    const membership = memberWith(risky, [[38_000, 30]]);
    const html = await liquid.renderBlock("member-status", page({ program: programMetafieldValue(risky, "USD"), membership }), { heading: "<em>Club</em>" });
    expect(html).not.toMatch(/<img|<script|<em>|<b>|<i>/);
    expect(text(html)).toContain("Silver <img");
    expect(text(html)).toContain("<script>alert(1)</script>");
    expect(text(html)).toContain("<em>Club</em>");
  });

  it("prints amounts in the shop's currency: yen without decimals, and the currency's name when the shopper browses in another", async () => {
    const yenProgram = shopProgramInYen();
    const membership = memberWith(yenProgram, [[380_000, 30]], "JPY");
    const needed = membership.progress!.spendNeededMinor!;
    const yen = await liquid.renderBlock("member-status", page({ currency: "JPY", program: programMetafieldValue(yenProgram, "JPY"), membership }));
    expect(text(yen)).toContain(expectedMoney(needed, "JPY"));

    const usdMember = memberWith(program, [[38_000, 30]]);
    const abroad = await liquid.renderBlock("member-status", page({ presentment: "EUR", program: published, membership: usdMember }));
    expect(text(abroad)).toContain(`${minorToAmount(usdMember.progress!.spendNeededMinor!, "USD")} USD`);
    expect(text(abroad)).not.toContain("€");
  });

  it("scales minor units as the app counts them, for every currency Intl knows", () => {
    const source = readFileSync(path.join(THEME_EXTENSION_ROOT, "snippets/member-digits.liquid"), "utf8");
    const list = (name: string) => new Set(new RegExp(`assign ${name} = '([A-Z,]*)'`).exec(source)![1].split(","));
    const zero = list("zero_decimal");
    const three = list("three_decimal");
    for (const code of Intl.supportedValuesOf("currency")) {
      const digits = currencyDigits(code);
      if (digits > 3) continue; // e.g. CLF (4): not a shop currency Shopify offers
      expect({ code, inZero: zero.has(code), inThree: three.has(code) }).toEqual({ code, inZero: digits === 0, inThree: digits === 3 });
    }
  });

  it("follows the merchant's settings: no progress, their heading, their colours", async () => {
    const membership = memberWith(program, [[38_000, 30]]);
    const html = await liquid.renderBlock("member-status", page({ program: published, membership }), { show_progress: false, show_perks: false, heading: "Club card", accent_color: "#8a2be2" });
    expect(html).not.toContain("<progress");
    expect(text(html)).not.toContain(expectedMoney(membership.progress!.spendNeededMinor!, "USD"));
    expect(html).not.toContain('class="mc-perks"');
    expect(html).toMatch(/<h2[^>]*>Club card<\/h2>/);
    expect(html).toContain("--mc-accent: #8a2be2;");
    expect(html).not.toContain("/pages/membership");
    const linked = await liquid.renderBlock("member-status", page({ locale: "zh-CN", program: published }), { ladder_url: "/pages/membership" });
    expect(linked).toMatch(new RegExp(`<a class="mc-link" href="/pages/membership">${words("zh-CN", "member_theme.status.all_tiers")}</a>`));
  });
});

// ------------------------------------------- progress that follows the cart

interface CartLine {
  unitMinor: number;
  quantity?: number;
  /** The line's own discounts (a product discount), in minor units. */
  lineDiscountMinor?: number;
  giftCard?: boolean;
}

/** Liquid's money values are in cents whatever the currency ("1000 Japanese yen is output as 100000", shopify.dev cart object); the app's in the currency's minor units. */
const shopifyCents = (minor: number, currency: string) => Math.round(minor * 10 ** (2 - currencyDigits(currency)));

/** A cart as Liquid's `cart` shows it: each line after its own discounts; total_price after the cart-level discount too. */
function cartOf(lines: CartLine[], currency = "USD", cartDiscountMinor = 0): NonNullable<PageScope["cart"]> {
  const items = lines.map((line) => ({
    quantity: line.quantity ?? 1,
    gift_card: line.giftCard ?? false,
    final_line_price: shopifyCents(line.unitMinor * (line.quantity ?? 1) - (line.lineDiscountMinor ?? 0), currency),
  }));
  const total = items.reduce((sum, item) => sum + item.final_line_price, 0) - shopifyCents(cartDiscountMinor, currency);
  return { currency: { iso_code: currency }, item_count: items.reduce((sum, item) => sum + item.quantity, 0), total_price: total, items };
}

/** What the app's purchase ledger counts for this cart once placed (Shopify allocates the cart-level discount to merchandise lines). */
function ledgerOf(lines: CartLine[], cartDiscountMinor = 0) {
  const first = lines.findIndex((line) => !line.giftCard);
  return purchaseLedger(
    {
      test: false,
      cancelledAt: null,
      financialStatus: "paid",
      lines: lines.map((line, index) => ({
        shopifyId: `line-${index}`,
        quantity: line.quantity ?? 1,
        currentQuantity: line.quantity ?? 1,
        unitPriceMinor: line.unitMinor,
        discountMinor: (line.lineDiscountMinor ?? 0) + (index === first ? cartDiscountMinor : 0),
        giftCard: line.giftCard ?? false,
      })),
    },
    [],
  );
}

/** The member's standing once this cart is placed, by the domain: the orders so far and this one through the ledger, qualifyingTotals, qualifiedTier and progressToNext. */
function afterOrder(rules: TierProgram, history: Array<[number, number]>, lines: CartLine[], cartDiscountMinor = 0) {
  const orders = history.map(([minor, ago]) => ({ processedAt: daysAgo(ago), netMinor: minor }));
  const current = qualifiedTier(rules, qualifyingTotals(rules, orders, NOW));
  const placed = ledgerOf(lines, cartDiscountMinor);
  const totals = qualifyingTotals(rules, [...orders, { processedAt: NOW, netMinor: placed.netSpendMinor, countsAsPurchase: placed.countsAsPurchase }], NOW);
  return { placed, tier: qualifiedTier(rules, totals), progress: progressToNext(rules, current, totals) };
}


const progressTexts = (html: string) => [...html.matchAll(/<p class="mc-progress__text">([\s\S]*?)<\/p>/g)].map((match) => text(match[1]));
const barValue = (html: string) => {
  const bar = /<progress[^>]*value="(\d+)"/.exec(html);
  return bar ? Number(bar[1]) : null;
};

describe("progress that follows the cart", () => {
  // $380 in the last 12 months: Silver, short of Gold ($500).
  const history: Array<[number, number]> = [[25_000, 200], [13_000, 30]];
  const membership = memberWith(program, history);
  const gold = tierOf("gold");
  const goldSpend = gold.requirement.spendMinor!;
  const synced = (locale: StorefrontLocale, value: MembershipValue = membership, currency = "USD") =>
    words(locale, "member_theme.progress.spend", { amount: expectedMoney(value.progress!.spendNeededMinor!, currency), tier: value.progress!.next.name[locale] });
  const render = (block: string, cart: PageScope["cart"], locale: StorefrontLocale = "en", value: unknown = membership, programValue: unknown = published, currency = "USD") =>
    liquid.renderBlock(block, page({ locale, program: programValue, membership: value, cart, currency }));

  it("says the distance at the last sync when the cart is empty", async () => {
    expect(membership.tier.handle).toBe("silver");
    for (const cart of [undefined, { currency: { iso_code: "USD" }, item_count: 0 }, cartOf([])]) {
      for (const locale of ["en", "zh-CN"] as const) {
        const html = await render("member-status", cart, locale);
        expect(progressTexts(html)).toEqual([synced(locale)]);
        expect(barValue(html)).toBe(Math.floor(((goldSpend - membership.progress!.spendNeededMinor!) * 100) / goldSpend));
      }
    }
  });

  it("with a cart below the next tier, says what is still missing in this order: merchandise after its discounts, gift cards not counted", async () => {
    // $54 + $25 of merchandise less a $5 cart discount; a $50 gift card that would carry it over the line if it counted.
    const lines: CartLine[] = [{ unitMinor: 3_000, quantity: 2, lineDiscountMinor: 600 }, { unitMinor: 2_500 }, { unitMinor: 5_000, giftCard: true }];
    const after = afterOrder(program, history, lines, 500);
    expect(after.placed.countsAsPurchase).toBe(true);
    expect(after.tier.handle).toBe("silver");
    const missing = after.progress.spendNeededMinor!;
    expect(missing).toBeGreaterThan(0);
    for (const locale of ["en", "zh-CN"] as const) {
      for (const block of ["member-status", "member-embed"]) {
        const html = await render(block, cartOf(lines, "USD", 500), locale);
        expect(progressTexts(html)).toEqual([words(locale, "member_theme.progress.this_order.short", { amount: expectedMoney(missing, "USD"), tier: gold.name[locale] })]);
        // The bar tells the same: what the synced spend and this cart have done of Gold's requirement.
        expect(barValue(html)).toBe(Math.floor(((goldSpend - missing) * 100) / goldSpend));
      }
    }
  });

  it("with a cart that crosses the line, says this order takes them to the next tier, on the status, the launcher and the ladder", async () => {
    const needed = membership.progress!.spendNeededMinor!;
    // Exactly what is left, after a line discount; and well past it.
    for (const lines of [[{ unitMinor: needed + 1_000, lineDiscountMinor: 1_000 }], [{ unitMinor: 9_000, quantity: 2 }]] as CartLine[][]) {
      const after = afterOrder(program, history, lines);
      expect(after.tier.handle).toBe("gold");
      for (const locale of ["en", "zh-CN"] as const) {
        for (const block of ["member-status", "member-embed", "tier-ladder"]) {
          const html = await render(block, cartOf(lines), locale);
          expect(progressTexts(html)).toEqual([words(locale, "member_theme.progress.this_order.reaches", { tier: gold.name[locale] })]);
          expect(barValue(html)).toBe(100);
        }
      }
    }
    // A cart discount that keeps it under: not reached.
    const under: CartLine[] = [{ unitMinor: needed }];
    const after = afterOrder(program, history, under, 100);
    expect(after.tier.handle).toBe("silver");
    const html = await render("member-status", cartOf(under, "USD", 100));
    expect(progressTexts(html)).toEqual([words("en", "member_theme.progress.this_order.short", { amount: expectedMoney(after.progress.spendNeededMinor!, "USD"), tier: "Gold" })]);
  });

  it("says the synced distance for a cart of gift cards only: the ledger counts no purchase", async () => {
    const lines: CartLine[] = [{ unitMinor: 20_000, giftCard: true }];
    const after = afterOrder(program, history, lines);
    expect(after.placed.countsAsPurchase).toBe(false);
    expect(after.tier.handle).toBe("silver");
    expect(progressTexts(await render("member-status", cartOf(lines)))).toEqual([synced("en")]);
  });

  it("says the synced distance for a cart of more lines than a Liquid loop reads (50): a gift card there could go unseen", async () => {
    const lines: CartLine[] = [...Array.from({ length: 50 }, () => ({ unitMinor: 200 })), { unitMinor: 20_000, giftCard: true }];
    const after = afterOrder(program, history, lines);
    expect(after.tier.handle).toBe("silver"); // $100 of merchandise; the $200 gift card would carry it over if read as spend
    expect(progressTexts(await render("member-status", cartOf(lines)))).toEqual([synced("en")]);
    // Fifty lines are read whole.
    const fifty = lines.slice(0, 50);
    const missing = afterOrder(program, history, fifty).progress.spendNeededMinor!;
    expect(progressTexts(await render("member-status", cartOf(fifty)))).toEqual([
      words("en", "member_theme.progress.this_order.short", { amount: expectedMoney(missing, "USD"), tier: "Gold" }),
    ]);
  });

  it("never mixes currencies: a cart in the shopper's currency keeps the synced figure, in the shop's currency", async () => {
    // €200 would cross the line if it were dollars.
    const euros = cartOf([{ unitMinor: 20_000 }], "EUR");
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await render("member-status", euros, locale);
      const amount = `${minorToAmount(membership.progress!.spendNeededMinor!, "USD")} USD`;
      expect(progressTexts(html)).toEqual([words(locale, "member_theme.progress.spend", { amount, tier: gold.name[locale] })]);
      expect(text(html)).not.toContain("€");
      expect(text(html)).not.toContain(words(locale, "member_theme.progress.this_order.reaches").replace("{{ tier }}", ""));
    }
  });

  it("reads a yen cart at the yen's scale (Liquid's cents are hundredths of a yen)", async () => {
    const yenProgram = shopProgramInYen();
    const yenHistory: Array<[number, number]> = [[380_000, 30]];
    const yenMember = memberWith(yenProgram, yenHistory, "JPY");
    const yenPublished = programMetafieldValue(yenProgram, "JPY");
    const below: CartLine[] = [{ unitMinor: 100_000 }];
    const short = afterOrder(yenProgram, yenHistory, below);
    expect(short.tier.handle).toBe("silver");
    const shortHtml = await render("member-status", cartOf(below, "JPY"), "en", yenMember, yenPublished, "JPY");
    expect(progressTexts(shortHtml)).toEqual([words("en", "member_theme.progress.this_order.short", { amount: expectedMoney(short.progress.spendNeededMinor!, "JPY"), tier: "Gold" })]);
    const crossing: CartLine[] = [{ unitMinor: 125_000 }];
    expect(afterOrder(yenProgram, yenHistory, crossing).tier.handle).toBe("gold");
    const crossingHtml = await render("member-status", cartOf(crossing, "JPY"), "zh-CN", yenMember, yenPublished, "JPY");
    expect(progressTexts(crossingHtml)).toEqual([words("zh-CN", "member_theme.progress.this_order.reaches", { tier: "金卡" })]);
  });

  it("counts the cart as one more order where the next tier counts orders", async () => {
    // Gold takes $500 and 3 orders; the member has 2 orders and $380.
    const both = shopProgram();
    Object.assign(both.tiers[2], { minOrders: 3, qualifyBy: "both" });
    const bothMember = memberWith(both, history);
    expect(bothMember.progress).toMatchObject({ spendNeededMinor: 12_000, ordersNeeded: 1 });
    const bothPublished = programMetafieldValue(both, "USD");
    const crossing: CartLine[] = [{ unitMinor: 12_500 }];
    expect(afterOrder(both, history, crossing).tier.handle).toBe("gold");
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await render("member-status", cartOf(crossing), locale, bothMember, bothPublished);
      expect(progressTexts(html)).toEqual([words(locale, "member_theme.progress.this_order.reaches", { tier: gold.name[locale] })]);
      expect(barValue(html)).toBe(100);
    }
    // Short of the spend with an order still needed: the value does not say whether Gold takes both or either, so (as
    // at checkout) the synced lines stand rather than a guess.
    const small: CartLine[] = [{ unitMinor: 5_000 }];
    expect(afterOrder(both, history, small).tier.handle).toBe("silver");
    expect(progressTexts(await render("member-status", cartOf(small), "en", bothMember, bothPublished))).toEqual([
      synced("en", bothMember),
      words("en", "member_theme.progress.orders.one", { count: 1, tier: "Gold" }),
    ]);

    // Gold by orders alone: the cart is the one order still needed, whatever it costs; two still needed, it is not.
    const byOrders = shopProgram();
    Object.assign(byOrders.tiers[2], { minNetSpendMinor: null, minOrders: 3 });
    const byOrdersPublished = programMetafieldValue(byOrders, "USD");
    const one: CartLine[] = [{ unitMinor: 1_000 }];
    expect(afterOrder(byOrders, history, one).tier.handle).toBe("gold");
    const twoOrdersMember = memberWith(byOrders, history);
    expect(progressTexts(await render("member-status", cartOf(one), "zh-CN", twoOrdersMember, byOrdersPublished))).toEqual([
      words("zh-CN", "member_theme.progress.this_order.reaches", { tier: "金卡" }),
    ]);
    const oneOrderHistory: Array<[number, number]> = [[38_000, 30]];
    expect(afterOrder(byOrders, oneOrderHistory, one).tier.handle).toBe("silver");
    const oneOrderMember = memberWith(byOrders, oneOrderHistory);
    expect(progressTexts(await render("member-status", cartOf(one), "en", oneOrderMember, byOrdersPublished))).toEqual([
      words("en", "member_theme.progress.orders.other", { count: 2, tier: "Gold" }),
    ]);
  });

  it("says it in the checkout block's words, in both languages", () => {
    const perks = (file: string) => JSON.parse(readFileSync(path.resolve("extensions/member-perks/locales", file), "utf8")).member.thisOrder as Record<string, string>;
    const placeholders = (line: string) => line.replace(/\{\{\s*(\w+)\s*\}\}/g, "{{$1}}");
    for (const [locale, file] of [["en", "en.default.json"], ["zh-CN", "zh-CN.json"]] as const) {
      for (const kind of ["reaches", "short"]) expect(placeholders(words(locale, `member_theme.progress.this_order.${kind}`))).toBe(perks(file)[kind]);
    }
  });
});

describe("structure a screen reader and a keyboard follow", () => {
  it("names each block's region by its heading, lists perks and tiers as lists, and gives the bar a name beside its words", async () => {
    const membership = memberWith(program, [[38_000, 30]]);
    for (const block of ["member-status", "member-embed", "tier-ladder"]) {
      for (const options of [{ program: published, membership }, { program: published }, { program: published, membership: null, locale: "zh-CN" as const }]) {
        const html = await liquid.renderBlock(block, page(options));
        const labelledBy = [...html.matchAll(/aria-labelledby="([^"]+)"/g)].map((match) => match[1]);
        expect(labelledBy.length).toBeGreaterThan(0);
        for (const id of labelledBy) expect(html).toMatch(new RegExp(`<h2 class="mc-heading" id="${id}">[^<]+</h2>`));
        for (const bar of html.match(/<progress[^>]*>/g) ?? []) expect(bar).toMatch(/aria-label="[^"]+"/);
        // Nothing that takes the focus and keeps it: no tabindex, no script, no inline handlers.
        expect(html).not.toMatch(/tabindex|<script|\son[a-z]+=/i);
      }
    }
    const ladder = await liquid.renderBlock("tier-ladder", page({ program: published, membership }));
    expect(ladder.match(/<h3 class="mc-ladder__name">/g)).toHaveLength(published.tiers.length);
    expect(ladder).toMatch(/<ol class="mc-ladder__tiers">/);
  });
});

describe("membership launcher (app embed)", () => {
  it("opens the member status from a summary naming the tier, with no script", async () => {
    const membership = memberWith(program, [[38_000, 30]]);
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await liquid.renderBlock("member-embed", page({ locale, program: published, membership }));
      const summary = text(/<summary[^>]*>([\s\S]*?)<\/summary>/.exec(html)?.[1] ?? "");
      expect(summary).toContain(membership.tier.name[locale]);
      expect(html).toMatch(/<details[^>]*>[\s\S]*<progress/);
      expect(html).not.toMatch(/<script|\son\w+=/i);
    }
  });

  it("invites guests, or stays away from them when the merchant says so", async () => {
    const invite = await liquid.renderBlock("member-embed", page({ program: published }));
    expect(invite).toContain('href="/account/register"');
    expect((await liquid.renderBlock("member-embed", page({ program: published }), { show_for_guests: false })).trim()).toBe("");
    // Members still see theirs.
    const membership = memberWith(program, [[38_000, 30]]);
    expect(await liquid.renderBlock("member-embed", page({ program: published, membership }), { show_for_guests: false })).toContain("<details");
  });
});

describe("tier ladder block", () => {
  const ladderTiers = (html: string) => [...html.matchAll(/<li class="mc-ladder__tier([^"]*)"([^>]*)>([\s\S]*?)<\/li>\s*(?=<li class="mc-ladder__tier|<\/ol>)/g)].map((match) => ({ current: match[2].includes('aria-current="true"'), html: match[3], text: text(match[3]) }));

  it("lists every tier by rank with what it takes and gives, the member's own marked and the way to the next on it", async () => {
    const membership = memberWith(program, [[38_000, 30]]);
    for (const locale of ["en", "zh-CN"] as const) {
      const html = await liquid.renderBlock("tier-ladder", page({ locale, program: published, membership }));
      const tiers = ladderTiers(html);
      expect(tiers.map((tier) => tier.text.split(" ")[0])).toEqual(published.tiers.map((tier) => tier.name[locale]));
      expect(tiers.filter((tier) => tier.current).map((tier) => tier.text.split(" ")[0])).toEqual([membership.tier.name[locale]]);
      published.tiers.forEach((tier, index) => {
        if (tier.requirement.spendMinor !== null) expect(tiers[index].text).toContain(expectedMoney(tier.requirement.spendMinor, "USD"));
        if (tier.discountPercent > 0) expect(tiers[index].text).toContain(percentOff(tier.discountPercent, locale));
        else expect(tiers[index].text).not.toMatch(/% off|优惠/);
        const progressHere = tiers[index].html.includes("<progress");
        expect({ tier: tier.handle, progressHere }).toEqual({ tier: tier.handle, progressHere: tier.handle === membership.progress!.next.handle });
      });
      expect(tiers[2].text).toContain("Canvas tote");
      expect(text(html)).toContain(words(locale, "member_theme.ladder.intro_rolling.other").replace("{{ count }}", "12"));
      expect(html).not.toContain("/account/login");
    }
  });

  it("says what each tier takes when it counts orders too, and that the entry tier is where every member starts", async () => {
    const mixed = shopProgram();
    Object.assign(mixed.tiers[0], { perks: { ...mixed.tiers[0].perks, discountPercent: 2 } });
    Object.assign(mixed.tiers[2], { minOrders: 5, qualifyBy: "either" });
    Object.assign(mixed.tiers[3], { minOrders: 10, qualifyBy: "both" });
    mixed.window = { kind: "lifetime" };
    const value = programMetafieldValue(mixed, "USD");
    for (const [locale, either, both] of [["en", /\bor 5 orders\b/, /\band 10 orders\b/], ["zh-CN", /或下单 5 笔/, /且下单 10 笔/]] as const) {
      const tiers = ladderTiers(await liquid.renderBlock("tier-ladder", page({ locale, program: value })));
      expect(tiers[2].text).toContain(expectedMoney(50_000, "USD"));
      expect(tiers[2].text).toMatch(either);
      expect(tiers[2].text).not.toMatch(both);
      expect(tiers[3].text).toMatch(both);
      expect(tiers[0].text).toContain(words(locale, "member_theme.ladder.entry"));
      expect(tiers[0].text).toContain(percentOff(2, locale));
      // The guest's invitation: every member gets the entry tier's discount, and the top tier's is named.
      const status = await liquid.renderBlock("member-status", page({ locale, program: value }));
      const offers = [...status.matchAll(/<p class="mc-invite__offer">([\s\S]*?)<\/p>/g)].map((match) => text(match[1]));
      expect(offers[0]).toContain(value.tiers[0].name[locale]);
      expect(offers[0]).toContain(percentOff(2, locale));
      expect(offers[0]).not.toContain(expectedMoney(20_000, "USD"));
      expect(offers[1]).toContain(percentOff(15, locale));
    }
  });

  it("shows a guest the ladder and the way in, and a customer who is not a member that they are not one yet", async () => {
    const guest = await liquid.renderBlock("tier-ladder", page({ program: published }));
    expect(ladderTiers(guest)).toHaveLength(published.tiers.length);
    expect(ladderTiers(guest).some((tier) => tier.current)).toBe(false);
    expect(guest).toContain('href="/account/register"');
    const customer = await liquid.renderBlock("tier-ladder", page({ locale: "zh-CN", program: published, membership: null }));
    expect(text(customer)).toContain(words("zh-CN", "member_theme.status.not_member"));
  });

  it("shows shoppers nothing without a published program, and the merchant a hint in the theme editor", async () => {
    for (const bad of [undefined, { ...published, v: 2 }, "[]"]) {
      expect((await liquid.renderBlock("tier-ladder", page({ program: bad }))).trim()).toBe("");
    }
    const editor = await liquid.renderBlock("tier-ladder", page({ designMode: true }));
    expect(text(editor)).toContain(words("en", "member_theme.ladder.unpublished"));
  });
});

// ------------------------------------------------------- Shopify's own checks

const THEME_CHECK_CONFIG = path.resolve("node_modules/@shopify/theme-check-node/configs/theme-app-extension.yml");

describe("Theme Check (theme-app-extension config)", () => {
  it("passes on the extension with no errors or warnings", { timeout: 120_000 }, async () => {
    const offenses = await check(THEME_EXTENSION_ROOT, THEME_CHECK_CONFIG);
    const problems = offenses.filter((offense) => offense.severity <= 1).map((offense) => `${offense.check} ${offense.uri.split("/member-theme/")[1]}:${offense.start.index} ${offense.message}`);
    expect(problems).toEqual([]);
  });

  it("does find problems (the check runs on these files): a copy with a missing key and a forbidden tag fails", { timeout: 120_000 }, async () => {
    const copyRoot = mkdtempSync(path.join(os.tmpdir(), "member-theme-"));
    try {
      cpSync(THEME_EXTENSION_ROOT, copyRoot, { recursive: true });
      const block = path.join(copyRoot, "blocks/member-status.liquid");
      writeFileSync(block, `{{ 'member_theme.no_such_key' | t }}{% javascript %}x{% endjavascript %}\n${readFileSync(block, "utf8")}`);
      const checks = new Set((await check(copyRoot, THEME_CHECK_CONFIG)).filter((offense) => offense.severity === 0).map((offense) => offense.check));
      expect([...checks].sort()).toEqual(expect.arrayContaining(["AppBlockValidTags", "TranslationKeyExists"]));
    } finally {
      rmSync(copyRoot, { recursive: true, force: true });
    }
  });
});

describe("limits Shopify CLI and Shopify check for a theme app extension", () => {
  // Shopify/cli packages/app/src/cli/models/extensions/specifications/theme.ts: files one folder down, in
  // these folders with these extensions; 10 MB in all; 500 kB of Liquid in blocks and snippets (1 kB = 1024 bytes there).
  const SUPPORTED: Record<string, RegExp> = { assets: /\.(jpg|jpeg|json|js|css|png|svg|wasm)$/, blocks: /\.liquid$/, locales: /\.json$/, snippets: /\.liquid$/ };
  const files = readdirSync(THEME_EXTENSION_ROOT, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(THEME_EXTENSION_ROOT, path.join(entry.parentPath, entry.name)));
  const deployed = files.filter((file) => file.includes(path.sep));
  const size = (file: string) => statSync(path.join(THEME_EXTENSION_ROOT, file)).size;

  it("has only files the CLI deploys, in the folders it accepts", () => {
    expect(files.filter((file) => !file.includes(path.sep))).toEqual(["shopify.extension.toml"]);
    for (const file of deployed) {
      const [folder, ...rest] = file.split(path.sep);
      expect({ file, ok: rest.length === 1 && SUPPORTED[folder]?.test(file) === true }).toEqual({ file, ok: true });
    }
    expect(readFileSync(path.join(THEME_EXTENSION_ROOT, "shopify.extension.toml"), "utf8")).toMatch(/^type = "theme"$/m);
  });

  it("stays within the CLI's size limits, and far within them", () => {
    const total = deployed.reduce((sum, file) => sum + size(file), 0);
    const liquidBytes = deployed.filter((file) => /^(blocks|snippets)\//.test(file)).reduce((sum, file) => sum + size(file), 0);
    expect(total).toBeLessThan(10 * 1024 * 1024);
    expect(liquidBytes).toBeLessThan(500 * 1024);
    // Our own budget: the blocks run on every page view of the shop.
    expect(liquidBytes).toBeLessThan(40 * 1024);
  });

  it("keeps each locale file under 15 kB, both languages with the same keys", () => {
    const keys = (value: unknown, prefix = ""): string[] =>
      value && typeof value === "object" ? Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key)) : [prefix];
    for (const file of deployed.filter((file) => file.startsWith(`locales${path.sep}`))) expect({ file, small: size(file) < 15 * 1024 }).toEqual({ file, small: true });
    const read = (file: string) => JSON.parse(readFileSync(path.join(THEME_EXTENSION_ROOT, "locales", file), "utf8"));
    expect(keys(read("zh-CN.json")).sort()).toEqual(keys(read("en.default.json")).sort());
    expect(keys(read("zh-CN.schema.json")).sort()).toEqual(keys(read("en.default.schema.json")).sort());
  });

  it("ships no script, and one stylesheet well under the 100 kB Theme Check allows an app block", () => {
    expect(deployed.filter((file) => file.endsWith(".js"))).toEqual([]);
    const stylesheets = new Set(["member-status", "member-embed", "tier-ladder"].map((block) => liquid.blockSchema(block).stylesheet));
    expect([...stylesheets]).toEqual(["member-theme.css"]);
    expect(size(path.join("assets", "member-theme.css"))).toBeLessThan(8 * 1024);
    for (const block of ["member-status", "member-embed", "tier-ladder"]) expect(liquid.blockSchema(block).javascript).toBeUndefined();
  });

  it("gives every block a name the theme editor accepts (25 characters at most) in both languages", () => {
    const schemaLocales = ["en.default.schema.json", "zh-CN.schema.json"].map((file) => JSON.parse(readFileSync(path.join(THEME_EXTENSION_ROOT, "locales", file), "utf8")));
    for (const [block, target] of [["member-status", "section"], ["member-embed", "body"], ["tier-ladder", "section"]] as const) {
      const schema = liquid.blockSchema(block);
      expect(schema.target).toBe(target);
      const key = schema.name.replace(/^t:/, "").split(".");
      for (const translations of schemaLocales) {
        const name = key.reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], translations) as string;
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(25);
      }
    }
  });
});
