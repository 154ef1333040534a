// The shop's care settings (issue 8), stored as JSON in Shop.careSettings and
// read through validateCareSettings (app/domain/care/settings.ts), so nothing
// invalid is ever used: stored settings that no longer parse (a bound changed)
// fall back to the defaults, and the context says so.
import db from "~/db.server";
import { DEFAULT_CARE_SETTINGS, validateCareSettings, type CareSettings, type CareSettingsResult } from "~/domain/care/settings";

export interface CareContext {
  settings: CareSettings;
  /** Stored settings that no longer parse: the defaults are in use, and the settings page should say so. */
  settingsInvalid: boolean;
  /** The shop's name (the default sender name); the domain when Shopify's name is not known yet. */
  shopName: string;
  /** The shop's IANA zone: quiet hours of customers whose own zone is unknown. */
  timeZone: string;
  /** The shop's primary locale: the language of customers whose own is unknown. */
  locale: string;
  /** Uninstalled shops send nothing. */
  installed: boolean;
}

function readStored(stored: string | null): { settings: CareSettings; invalid: boolean } {
  if (!stored) return { settings: DEFAULT_CARE_SETTINGS, invalid: false };
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return { settings: DEFAULT_CARE_SETTINGS, invalid: true };
  }
  const parsed = validateCareSettings(raw);
  return parsed.ok ? { settings: parsed.settings, invalid: false } : { settings: DEFAULT_CARE_SETTINGS, invalid: true };
}

export async function getCareContext(shop: string): Promise<CareContext> {
  const row = await db.shop.findUnique({ where: { shop }, select: { careSettings: true, name: true, ianaTimezone: true, primaryLocale: true, uninstalledAt: true } });
  const { settings, invalid } = readStored(row?.careSettings ?? null);
  return { settings, settingsInvalid: invalid, shopName: row?.name || shop, timeZone: row?.ianaTimezone ?? "UTC", locale: row?.primaryLocale ?? "en", installed: row !== null && row.uninstalledAt === null };
}

export async function getCareSettings(shop: string): Promise<CareSettings> {
  return (await getCareContext(shop)).settings;
}

/**
 * Validates and stores the merchant's settings; with any field error nothing
 * is saved and the errors come back keyed by field path.
 */
export async function saveCareSettings(shop: string, input: unknown): Promise<CareSettingsResult> {
  const result = validateCareSettings(input);
  if (!result.ok) return result;
  const careSettings = JSON.stringify(result.settings);
  await db.shop.upsert({ where: { shop }, create: { shop, careSettings }, update: { careSettings } });
  return result;
}
