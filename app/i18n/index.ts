import { createContext, createElement, useCallback, useContext, type ReactNode } from "react";
import en from "./en.json";
import zhCN from "./zh-CN.json";

/**
 * One mechanism for every UI string: keys in en.json and zh-CN.json (a test
 * keeps them in step), `{name}` placeholders, and Intl for numbers, money and
 * dates. Only the locale crosses from server to client; both catalogs are small
 * enough to ship whole.
 */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;
export type MessageVars = Record<string, string | number>;

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, "zh-CN": zhCN };

/** The supported locale for a language tag: any Chinese variant reads Simplified Chinese, anything else English. */
export function localeForTag(tag: string): Locale {
  return tag.trim().toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/**
 * Shopify admin adds `locale` (the merchant's admin language, e.g. `zh-CN`,
 * `en-US`, `fr`) to every URL it loads the app at, so when it is there it
 * decides, and a language we lack means English. Without it (visits outside the
 * admin) the browser's preferred supported language wins, in `q` order.
 */
export function resolveLocale(request: Request): Locale {
  const fromAdmin = new URL(request.url).searchParams.get("locale");
  if (fromAdmin?.trim()) return localeForTag(fromAdmin);
  const accepted = (request.headers.get("Accept-Language") ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.split(";");
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter(({ tag, q }) => q > 0 && (tag.startsWith("zh") || tag.startsWith("en")))
    .sort((a, b) => b.q - a.q);
  return accepted[0] ? localeForTag(accepted[0].tag) : "en";
}

export function translate(locale: Locale, key: MessageKey, vars: MessageVars = {}): string {
  const template = catalogs[locale][key] ?? catalogs.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** Integer minor units to a price, with as many decimals as the currency has (USD 2, JPY 0, KWD 3). */
export function formatMoney(minor: number, currencyCode: string, locale: Locale): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/**
 * Dates one way per locale (issue 20): every admin page shows an instant with
 * formatDateTime and a day with formatDate ("Dec 7, 2026" / "2026年12月7日"),
 * never an ISO string. Times are stored in UTC; merchants read them in the
 * shop's time zone.
 */
export function formatDateTime(date: Date | string, locale: Locale, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(date));
}

/** The calendar day of an instant in `timeZone`, as formatDateTime writes its date part. */
export function formatDate(date: Date | string, locale: Locale, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(date));
}

/** A calendar day already fixed (YYYY-MM-DD: a due day, a review day), written as formatDate writes days; anything else as it came. */
export function formatDay(day: string, locale: Locale): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? formatDate(`${day}T12:00:00Z`, locale, "UTC") : day;
}

const I18nContext = createContext<Locale>("en");

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return createElement(I18nContext.Provider, { value: locale }, children);
}

export function useLocale(): Locale {
  return useContext(I18nContext);
}

export function useT() {
  const locale = useLocale();
  return useCallback((key: MessageKey, vars?: MessageVars) => translate(locale, key, vars), [locale]);
}
