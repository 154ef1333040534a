/**
 * The line a shopper reads beside the member discount in cart and checkout,
 * e.g. "Gold member · 10% off" or "金卡会员 · 9折".
 *
 * Language: the checkout's language (`localization.language.isoCode`). Tier
 * names exist in English and Simplified Chinese only (the languages of the
 * merchants MemberCare serves), so every Chinese checkout (ZH, ZH_CN, ZH_TW)
 * reads the Chinese name, which a Traditional-Chinese reader understands far
 * better than English, and every other language reads English.
 *
 * Chinese shoppers read a discount as the share they pay, in 折: 10% off is
 * 9折, 15% off is 85折. That form is used for whole percents up to 90; other
 * values (12.5%, 95%, 100%) read 优惠12.5%, which is never ambiguous.
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
  if (language === "en") return `${formatPercent(percent)}% off`;
  const paid = 100 - percent;
  if (Number.isInteger(percent) && paid >= 10) return `${paid % 10 === 0 ? paid / 10 : paid}折`;
  return `优惠${formatPercent(percent)}%`;
}

export function percentOffMessage(name: Localized, percent: number, language: ShopperLanguage): string {
  return memberLabel(name, language) + SEPARATOR + percentOffText(percent, language);
}

export function freeShippingMessage(name: Localized, language: ShopperLanguage): string {
  return memberLabel(name, language) + SEPARATOR + (language === "zh-CN" ? "免运费" : "free shipping");
}
