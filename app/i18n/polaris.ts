import type { AppProviderProps } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisZhCN from "@shopify/polaris/locales/zh-CN.json";
import type { Locale } from "./index";

/** Polaris's own strings (badge tones, table controls, …) in the same locale as ours. */
export const polarisTranslations: Record<Locale, AppProviderProps["i18n"]> = { en: polarisEn, "zh-CN": polarisZhCN };
