/**
 * Test stand-ins for what Shopify POS supplies at run time: the translations
 * (`shopify.i18n.translate` over locales/*.json), the staff member's
 * formatters, and a reader of rendered HTML that keeps only what staff read.
 */
import { fileURLToPath } from "node:url";
import { catalogTranslator, readableText } from "../../../tests/support/ui-extension-scaffold";
import type { Translate } from "../src/messages";
import { posLanguage, type Words } from "../src/words";

export const EXTENSION_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Shopify's translate over this extension's locale files (tests/support/ui-extension-scaffold.ts), the file POS picks for the staff member's language. */
export function translator(locale: string): Translate {
  return catalogTranslator(EXTENSION_DIR, locale, posLanguage(locale) === "zh-CN" ? "zh-CN.json" : "en.default.json");
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

/** The text staff read in rendered markup: the text, plus the headings, labels and field errors that POS elements take as attributes. */
export const shopperText = (html: string) => readableText(html, ["heading", "subheading", "label", "error"]);
