/**
 * Reads the customer metafield `$app:membership` the app writes
 * (app/domain/membership.ts, `membershipValueSchema`).
 *
 * The app's schema is zod; zod would roughly double this extension's bundle,
 * and Shopify caps every UI extension at 64 KB compressed, so this is a small
 * hand-written check of the same contract. membership.test.ts runs both over
 * the same values and expects the same verdicts.
 *
 * Anything that is not a valid v1 value yields null: the shopper is then shown
 * the non-member experience instead of a broken one. The one deliberate
 * difference from the app's `.strict()` schema: unknown keys are ignored, so a
 * field added later in the app does not turn every member into a non-member
 * until this extension is redeployed.
 */
import type { MembershipValue } from "../../../app/domain/membership";

export type Membership = MembershipValue;
export type LocalizedText = Membership["tier"]["name"];

/** `MEMBERSHIP_VERSION` in app/domain/membership.ts (not imported: that module pulls in zod at runtime). */
const SUPPORTED_VERSION = 1;

type Fields = Record<string, unknown>;

// Shared with program.ts, the reader of the shop's `$app:program`.
export const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);
export const isString = (value: unknown): value is string => typeof value === "string";
const isNonNegativeInt = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** A metafield value as Shopify hands it to extensions (JSON text) or already parsed; undefined when the text is not JSON. */
export function metafieldJson(raw: unknown): unknown {
  if (!isString(raw)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function localized(value: unknown): LocalizedText | null {
  if (!isRecord(value) || !isString(value.en) || !isString(value["zh-CN"])) return null;
  return { en: value.en, "zh-CN": value["zh-CN"] };
}

/** UTC timestamps as `Date.prototype.toISOString` writes them (what zod's `z.iso.datetime()` accepts), with a real calendar date. */
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;
function isoDateTime(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (!isString(value)) return undefined;
  const parts = ISO_UTC.exec(value);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return real ? value : undefined;
}

/** A calendar date as zod's `z.iso.date()` accepts it: YYYY-MM-DD, a real day. */
function isoDate(value: unknown): string | undefined {
  if (!isString(value) || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return isoDateTime(`${value}T00:00:00Z`) ? value : undefined;
}

function nullablePositiveInt(value: unknown): number | null | undefined {
  if (value === null) return null;
  return isNonNegativeInt(value) && value > 0 ? value : undefined;
}

/** The announced downgrade's review: absent (undefined) when there is none, null when present but off-contract. */
function review(value: Fields): Membership["review"] | null {
  if (!("review" in value) || value.review === undefined) return undefined;
  const { review: raw } = value;
  if (!isRecord(raw) || Object.keys(raw).some((key) => !["by", "spendToKeepMinor", "ordersToKeep", "currencyCode"].includes(key))) return null;
  const by = isoDate(raw.by);
  const spendToKeepMinor = nullablePositiveInt(raw.spendToKeepMinor);
  const ordersToKeep = nullablePositiveInt(raw.ordersToKeep);
  if (by === undefined || spendToKeepMinor === undefined || ordersToKeep === undefined || !isString(raw.currencyCode) || raw.currencyCode.length !== 3) return null;
  return { by, spendToKeepMinor, ordersToKeep, currencyCode: raw.currencyCode };
}

function nullableNonNegativeInt(value: unknown): number | null | undefined {
  if (value === null) return null;
  return isNonNegativeInt(value) ? value : undefined;
}

function progress(value: unknown): Membership["progress"] | undefined {
  if (value === null) return null;
  if (!isRecord(value) || !isRecord(value.next) || !isString(value.next.handle)) return undefined;
  const name = localized(value.next.name);
  const spendNeededMinor = nullableNonNegativeInt(value.spendNeededMinor);
  const ordersNeeded = nullableNonNegativeInt(value.ordersNeeded);
  if (!name || spendNeededMinor === undefined || ordersNeeded === undefined) return undefined;
  if (!isString(value.currencyCode) || value.currencyCode.length !== 3) return undefined;
  return { next: { handle: value.next.handle, name }, spendNeededMinor, ordersNeeded, currencyCode: value.currencyCode };
}

/**
 * The membership in a metafield value: the JSON text Shopify hands extensions,
 * or an already parsed object. Null for missing, unparseable or off-contract values.
 */
export function parseMembership(raw: unknown): Membership | null {
  const value = metafieldJson(raw);
  if (!isRecord(value) || value.v !== SUPPORTED_VERSION) return null;

  const { tier, discount } = value;
  if (!isRecord(tier) || !isString(tier.handle) || !Number.isInteger(tier.rank)) return null;
  const tierName = localized(tier.name);
  if (!tierName) return null;

  if (!isRecord(discount) || typeof discount.percent !== "number" || !(discount.percent >= 0 && discount.percent <= 100)) return null;
  if (discount.scope !== "subtotal" && discount.scope !== "products") return null;
  if (!Array.isArray(discount.excludedProductTags) || !discount.excludedProductTags.every(isString)) return null;

  if (typeof value.freeShipping !== "boolean") return null;
  if (!Array.isArray(value.perks)) return null;
  const perks = value.perks.map(localized);
  if (perks.some((perk) => perk === null)) return null;
  if (value.birthdayGift !== null && !isString(value.birthdayGift)) return null;

  const toNext = progress(value.progress);
  const nextEvaluation = isoDateTime(value.nextEvaluation);
  const downgradeOn = isoDateTime(value.downgradeOn);
  if (toNext === undefined || nextEvaluation === undefined || downgradeOn === undefined) return null;
  const underReview = review(value);
  if (underReview === null) return null;

  return {
    v: SUPPORTED_VERSION,
    tier: { handle: tier.handle, rank: tier.rank as number, name: tierName },
    discount: { percent: discount.percent, scope: discount.scope, excludedProductTags: [...discount.excludedProductTags] },
    freeShipping: value.freeShipping,
    perks: perks as LocalizedText[],
    birthdayGift: value.birthdayGift,
    progress: toNext,
    nextEvaluation,
    downgradeOn,
    ...(underReview ? { review: underReview } : {}),
  };
}
