/**
 * Test stand-ins for what Shopify supplies at run time: the translations
 * (`shopify.i18n.translate` over locales/*.json), the shopper's formatters,
 * and a reader of rendered HTML that keeps only what a shopper would read.
 */
import { fileURLToPath } from "node:url";
import { catalogTranslator, readableText } from "../../../tests/support/ui-extension-scaffold";
import type { Membership } from "../src/membership";
import type { Translate } from "../src/messages";
import { perksLanguage, type Formatters } from "../src/view-model";

export const EXTENSION_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * Shopify's translate over this extension's locale files
 * (tests/support/ui-extension-scaffold.ts), the file picked the way Shopify
 * resolves our two (zh-CN for Chinese, else the default).
 */
export function translator(locale: string): Translate {
  return catalogTranslator(EXTENSION_DIR, locale, perksLanguage(locale) === "zh-CN" ? "zh-CN.json" : "en.default.json");
}

/** The shopper's locale through Intl, as `shopify.i18n` formats (dates in UTC so tests do not depend on the machine). */
export function intlFormatters(locale: string): Formatters {
  return {
    money: (amount, currency) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount),
    date: (date) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(date),
  };
}

/** The text a shopper reads in rendered markup: the text, plus the headings that Polaris elements take as attributes (`<s-section heading="…">`). */
export const shopperText = (html: string) => readableText(html, ["heading", "subheading"]);

/** A Gold member $42.00 short of Platinum, as the app writes the metafield. */
export function goldMember(overrides: Partial<Membership> = {}): Membership {
  return {
    v: 1,
    tier: { handle: "gold", rank: 3, name: { en: "Gold", "zh-CN": "金卡" } },
    discount: { percent: 10, scope: "subtotal", excludedProductTags: ["no-discount"] },
    freeShipping: true,
    perks: [
      { en: "Early access to sales", "zh-CN": "优先参加促销" },
      { en: "Free gift wrapping", "zh-CN": "免费礼品包装" },
    ],
    birthdayGift: null,
    progress: { next: { handle: "platinum", name: { en: "Platinum", "zh-CN": "白金卡" } }, spendNeededMinor: 4_200, ordersNeeded: null, currencyCode: "USD" },
    nextEvaluation: "2027-01-01T00:00:00.000Z",
    downgradeOn: null,
    ...overrides,
  };
}
