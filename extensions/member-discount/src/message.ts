/**
 * The line a shopper reads beside the member discount in cart and checkout,
 * e.g. "Gold member · 10% off" or "金卡会员 · 优惠 10%".
 *
 * Language: the checkout's language (`localization.language.isoCode`). Tier
 * names exist in English and Simplified Chinese only (the languages of the
 * merchants MemberCare serves), so every Chinese checkout (ZH, ZH_CN, ZH_TW)
 * reads the Chinese name, which a Traditional-Chinese reader understands far
 * better than English, and every other language reads English.
 *
 * A percentage off reads as the app's glossary writes it everywhere (ADR
 * 0027, app/i18n/glossary.ts; app/i18n/glossary.test.ts holds this function
 * to it, since an extension cannot import app code): "10% off" / "优惠 10%",
 * the percentage the merchant set, never 9折 (the share paid, which beside
 * the admin's and the emails' "10%" reads as another discount).
 */
import type { Localized } from "./membership";

export type ShopperLanguage = "en" | "zh-CN";

const SEPARATOR = " · ";

export function shopperLanguage(isoCode: string | null | undefined): ShopperLanguage {
  return isoCode === "ZH" || isoCode === "ZH_CN" || isoCode === "ZH_TW" ? "zh-CN" : "en";
}

/** "Gold member" / "金卡会员"; a tier already named "… Member" / "…会员" is not doubled. */
export function memberLabel(name: Localized, language: ShopperLanguage): string {
  if (language === "zh-CN") {
    const tier = (name["zh-CN"] || name.en).trim();
    return /会员$/.test(tier) ? tier : `${tier}会员`;
  }
  const tier = (name.en || name["zh-CN"]).trim();
  if (!tier) return "Member";
  return /\bmember$/i.test(tier) ? tier : `${tier} member`;
}

/** 10 → "10", 12.5 → "12.5", 33.3333 → "33.33". */
function formatPercent(percent: number): string {
  return String(Math.round(percent * 100) / 100);
}

export function percentOffText(percent: number, language: ShopperLanguage): string {
  return language === "en" ? `${formatPercent(percent)}% off` : `优惠 ${formatPercent(percent)}%`;
}

export function percentOffMessage(name: Localized, percent: number, language: ShopperLanguage): string {
  return memberLabel(name, language) + SEPARATOR + percentOffText(percent, language);
}

export function freeShippingMessage(name: Localized, language: ShopperLanguage): string {
  return memberLabel(name, language) + SEPARATOR + (language === "zh-CN" ? "免运费" : "free shipping");
}
