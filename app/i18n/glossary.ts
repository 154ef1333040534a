/**
 * One word per thing, in both languages (issue 20, ADR 0027). The admin, the
 * emails and texts, checkout and the customer's account page name the same
 * things the same way: a flow by one display name, a percentage discount in
 * one form, a lifecycle stage by one word. This module says which word (or
 * form, or catalog key) is THE one; app/i18n/glossary.test.ts holds every
 * surface to it: both catalogs, the message templates, and the extensions'
 * own locale files and code (extensions cannot import app code).
 */
import type { CareFlowKey } from "~/domain/care/types";
import type { Locale, MessageKey } from "./index";

export const GLOSSARY = {
  /**
   * A percentage off, as the merchant types it (10 is 10% off). Chinese
   * states the percentage taken off, never 折 (9折 is the share paid: beside
   * the "10%" the merchant set it reads as another discount, and 12.5% or 95%
   * off have no clean 折), and never "10% 折扣", which some read as paying 10%.
   */
  percentOff: { en: "{percent}% off", "zh-CN": "优惠 {percent}%" },
  /** The lifecycle stage after "at risk": one word on every page (not "Sleeping"). */
  dormant: { en: "Dormant", "zh-CN": "沉睡" },
} as const satisfies Record<string, Record<Locale, string>>;

/** 10 → "10", 12.5 → "12.5", 33.3333 → "33.33". */
const percentNumber = (percent: number) => String(Math.round(percent * 100) / 100);

/** "10% off" / "优惠 10%". */
export function percentOff(percent: number, locale: Locale): string {
  return GLOSSARY.percentOff[locale].replace("{percent}", percentNumber(percent));
}

/** A care flow's display name: the Flows page, Messages, Results and the member's timeline all read this key. */
export const flowNameKey = (flow: CareFlowKey): MessageKey => `results.flow.${flow}` as MessageKey;
