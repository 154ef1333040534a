import { createContext, createElement, useCallback, useContext, type ReactNode } from "react";
import en from "./en.json";
import zhCN from "./zh-CN.json";

/**
 * One mechanism for every UI string: keys in en.json and zh-CN.json (a test
 * keeps them in step), `{name}` placeholders, and Intl for money and dates.
 */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, "zh-CN": zhCN };

/** Maps what Shopify admin or a browser asks for to a supported locale. */
export function matchLocale(requested: string | null | undefined): Locale | null {
  if (!requested) return null;
  const tag = requested.trim().toLowerCase();
  if (tag.startsWith("zh")) return "zh-CN";
  if (tag.startsWith("en")) return "en";
  return null;
}

export function translate(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template = catalogs[locale][key] ?? catalogs.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function formatMoney(minor: number, currencyCode: string, locale: Locale): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

export function formatDateTime(date: Date | string, locale: Locale, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(date));
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
  return useCallback((key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars), [locale]);
}
