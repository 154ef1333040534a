// The shop's care settings (issue 8), stored as JSON in Shop.careSettings and
// read through validateCareSettings (app/domain/care/settings.ts), so nothing
// invalid is ever used: stored settings that no longer parse (a bound changed)
// fall back to the defaults, and the context says so.
import db from "~/db.server";
import { afterSenderSaved, NO_SENDER_VERIFICATION, type SenderVerification } from "~/domain/care/sender";
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
  /** Which From address the merchant has confirmed, and which one a live link waits for (issue 18). */
  sender: SenderVerification;
}

const SENDER_COLUMNS = { senderConfirmedEmail: true, senderConfirmedAt: true, senderPendingEmail: true, senderPendingSentAt: true } as const;

function senderOf(row: { senderConfirmedEmail: string | null; senderConfirmedAt: Date | null; senderPendingEmail: string | null; senderPendingSentAt: Date | null } | null): SenderVerification {
  if (!row) return { ...NO_SENDER_VERIFICATION };
  return { confirmedEmail: row.senderConfirmedEmail, confirmedAt: row.senderConfirmedAt, pendingEmail: row.senderPendingEmail, pendingSentAt: row.senderPendingSentAt };
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
  const row = await db.shop.findUnique({ where: { shop }, select: { careSettings: true, name: true, ianaTimezone: true, primaryLocale: true, uninstalledAt: true, ...SENDER_COLUMNS } });
  const { settings, invalid } = readStored(row?.careSettings ?? null);
  return {
    settings,
    settingsInvalid: invalid,
    shopName: row?.name || shop,
    timeZone: row?.ianaTimezone ?? "UTC",
    locale: row?.primaryLocale ?? "en",
    installed: row !== null && row.uninstalledAt === null,
    sender: senderOf(row),
  };
}

export async function getCareSettings(shop: string): Promise<CareSettings> {
  return (await getCareContext(shop)).settings;
}

/**
 * Validates and stores the merchant's settings; with any field error nothing
 * is saved and the errors come back keyed by field path. The sender's
 * confirmation follows the From address in the same write (issue 18): a new
 * address loses any confirmation and any live link of the old one, and
 * `senderNeedsLink` says a confirmation mail should go to it
 * (app/services/sender-verification.server.ts sends it).
 */
export async function saveCareSettings(shop: string, input: unknown): Promise<CareSettingsResult & { senderNeedsLink?: boolean }> {
  const result = validateCareSettings(input);
  if (!result.ok) return result;
  const careSettings = JSON.stringify(result.settings);
  const current = senderOf(await db.shop.findUnique({ where: { shop }, select: SENDER_COLUMNS }));
  const { next, needsLink, changed } = afterSenderSaved(current, result.settings.sender.fromEmail);
  const sender = changed || needsLink
    ? {
        senderConfirmedEmail: next.confirmedEmail,
        senderConfirmedAt: next.confirmedAt,
        senderPendingEmail: next.pendingEmail,
        senderPendingSentAt: next.pendingSentAt,
        // A link for another address (or none) must stop working now.
        ...(sameOrNone(current.pendingEmail, next.pendingEmail) ? {} : { senderPendingNonceHash: null }),
      }
    : {};
  await db.shop.upsert({ where: { shop }, create: { shop, careSettings, ...sender }, update: { careSettings, ...sender } });
  return { ...result, senderNeedsLink: needsLink };
}

const sameOrNone = (a: string | null, b: string | null) => a !== null && b !== null && a === b;

/** The shop's sender row for the confirmation service: the live link's nonce hash and the last day's mails. */
export async function getSenderLinkState(shop: string) {
  const row = await db.shop.findUnique({ where: { shop }, select: { ...SENDER_COLUMNS, senderPendingNonceHash: true, senderConfirmationSends: true, name: true, primaryLocale: true } });
  if (!row) return null;
  let sends: Date[] = [];
  try {
    const parsed = JSON.parse(row.senderConfirmationSends ?? "[]") as unknown;
    if (Array.isArray(parsed)) sends = parsed.filter((value): value is string => typeof value === "string").map((value) => new Date(value)).filter((at) => !Number.isNaN(at.getTime()));
  } catch {
    sends = [];
  }
  return { ...senderOf(row), pendingNonceHash: row.senderPendingNonceHash, sends, shopName: row.name || shop, locale: row.primaryLocale };
}

/**
 * Arms a new link for the pending address (its nonce's hash replaces any
 * earlier one, which stops working) and records the send before it is
 * attempted. Only while `email` is still the pending address: false if the
 * merchant changed it meanwhile.
 */
export async function armSenderLink(shop: string, email: string, nonceHash: string, sends: Date[]): Promise<boolean> {
  const armed = await db.shop.updateMany({
    where: { shop, senderPendingEmail: email },
    data: { senderPendingNonceHash: nonceHash, senderPendingSentAt: null, senderConfirmationSends: JSON.stringify(sends.map((at) => at.toISOString())) },
  });
  return armed.count === 1;
}

/** The link's mail was taken by the SMTP server. */
export async function markSenderLinkSent(shop: string, nonceHash: string, at: Date): Promise<void> {
  await db.shop.updateMany({ where: { shop, senderPendingNonceHash: nonceHash }, data: { senderPendingSentAt: at } });
}

/**
 * Confirms the pending address if, and only if, this link is the live one:
 * one conditional write, so two clicks at once confirm once and a used,
 * replaced or withdrawn link changes nothing (false).
 */
export async function confirmSenderLink(shop: string, email: string, nonceHash: string, now: Date): Promise<boolean> {
  const done = await db.shop.updateMany({
    where: { shop, senderPendingEmail: email, senderPendingNonceHash: nonceHash },
    data: { senderConfirmedEmail: email, senderConfirmedAt: now, senderPendingEmail: null, senderPendingNonceHash: null, senderPendingSentAt: null },
  });
  return done.count === 1;
}
