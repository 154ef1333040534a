/**
 * Test stand-ins for what Shopify POS supplies at run time: the translations
 * (`shopify.i18n.translate` over locales/*.json), the staff member's
 * formatters, and a reader of rendered HTML that keeps only what staff read.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { MessageKey, Translate } from "../src/messages";
import { posLanguage, type Words } from "../src/words";

export const EXTENSION_DIR = fileURLToPath(new URL("..", import.meta.url));

type Catalog = { [key: string]: string | Catalog };

export function readCatalog(file: "en.default.json" | "zh-CN.json"): Catalog {
  return JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "locales", file), "utf8"));
}

/**
 * Shopify's translate as documented: dotted keys into the locale file,
 * `{{name}}` replacements, and plural entries ({ one, other }) chosen by
 * `count` with the locale's plural rules. Unlike Shopify, a missing key or
 * replacement throws, so tests fail loudly.
 */
export function translator(locale: string): Translate {
  const catalog = readCatalog(posLanguage(locale) === "zh-CN" ? "zh-CN.json" : "en.default.json");
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

/** The words of a POS in `locale`, formatted by Intl (dates in UTC so tests do not depend on the machine). */
export function intlWords(locale: string): Words {
  return {
    t: translator(locale),
    language: posLanguage(locale),
    format: {
      money: (amount, currency) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount),
      date: (date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(date),
      day: (date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`)),
    },
  };
}

/**
 * The text staff read in rendered markup: the text, plus the headings,
 * labels and field errors that Polaris components take as attributes, in document order;
 * entities decoded, whitespace collapsed.
 */
export function shopperText(html: string): string {
  return html
    .replace(/<[a-z][\w-]*([^>]*)>/g, (_, attributes: string) => {
      const labels = [...attributes.matchAll(/\b(?:heading|subheading|label|error)="([^"]*)"/g)].map((match) => match[1]);
      return ` ${labels.join(" ")} `;
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
