/**
 * Test stand-ins for what Shopify supplies at run time: the translations
 * (`shopify.i18n.translate` over locales/*.json), the shopper's formatters,
 * and a reader of rendered HTML that keeps only what a shopper would read.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Membership } from "../src/membership";
import type { MessageKey, Translate } from "../src/messages";
import { perksLanguage, type Formatters } from "../src/view-model";

export const EXTENSION_DIR = fileURLToPath(new URL("..", import.meta.url));

type Catalog = { [key: string]: string | Catalog };

export function readCatalog(file: "en.default.json" | "zh-CN.json"): Catalog {
  return JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "locales", file), "utf8"));
}

/**
 * Shopify's translate as documented: dotted keys into the locale file,
 * `{{name}}` replacements, and plural entries ({ one, other }) chosen by
 * `count` with the locale's plural rules. The catalog is picked the way
 * Shopify resolves our two files (zh-CN for Chinese, else the default);
 * unlike Shopify, a missing key or replacement throws, so tests fail loudly.
 */
export function translator(locale: string): Translate {
  const catalog = readCatalog(perksLanguage(locale) === "zh-CN" ? "zh-CN.json" : "en.default.json");
  const plurals = new Intl.PluralRules(locale);
  return (key: MessageKey, replacements: Record<string, string | number> = {}) => {
    let entry: string | Catalog | undefined = catalog;
    for (const part of key.split(".")) entry = typeof entry === "object" ? entry[part] : undefined;
    if (typeof entry === "object" && entry !== null && typeof replacements.count === "number") {
      entry = entry[plurals.select(replacements.count)] ?? entry.other;
    }
    if (typeof entry !== "string") throw new Error(`no message "${key}" for ${locale}`);
    return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      if (!(name in replacements)) throw new Error(`message "${key}" needs {{${name}}}`);
      return String(replacements[name]);
    });
  };
}

/** The shopper's locale through Intl, as `shopify.i18n` formats (dates in UTC so tests do not depend on the machine). */
export function intlFormatters(locale: string): Formatters {
  return {
    money: (amount, currency) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount),
    date: (date) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(date),
  };
}

/**
 * The text a shopper reads in rendered markup: the text, plus the headings that
 * Polaris components take as attributes (`<s-section heading="…">`), in
 * document order; entities decoded, whitespace collapsed.
 */
export function shopperText(html: string): string {
  return html
    .replace(/<[a-z][\w-]*([^>]*)>/g, (_, attributes: string) => {
      const headings = [...attributes.matchAll(/\b(?:heading|subheading)="([^"]*)"/g)].map((match) => match[1]);
      return ` ${headings.join(" ")} `;
    })
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

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
