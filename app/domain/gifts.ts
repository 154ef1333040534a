/**
 * The merchant's gift list (issue 10): what a gift row holds and how the
 * gift form is read. Pure; app/models/gifts.server.ts stores the rows and
 * app/domain/gift-rotation.ts picks from them.
 */
import { MoneyFormatError, toMinorUnits } from "./money";

/** What a gift may be given for. Staff-issued gifts may use any gift. */
export const GIFT_KINDS = ["entry", "birthday", "surprise"] as const;
export type GiftKind = (typeof GIFT_KINDS)[number];

/** Why a gift went into a parcel (GiftGiven.reason). */
export const GIFT_REASONS = ["staff", "entry", "birthday", "surprise"] as const;
export type GiftReason = (typeof GIFT_REASONS)[number];

export interface GiftInput {
  name: string;
  sku: string | null;
  kinds: GiftKind[];
  tierHandles: string[];
  costMinor: number;
  active: boolean;
}

export interface FieldError {
  key: "gifts.errors.nameRequired" | "gifts.errors.nameTooLong" | "gifts.errors.skuTooLong" | "gifts.errors.cost" | "gifts.errors.kind" | "gifts.errors.tier";
}

export type GiftFormResult = { ok: true; gift: GiftInput } | { ok: false; errors: Record<string, FieldError> };

/** A JSON array of strings stored in a text column; anything else reads as empty (every tier, any kind). */
export function parseStringList(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The gift form: a name (1-100 characters), an optional SKU, what it may be
 * given for (none ticked: any), the tiers it is for (none: every tier; only
 * handles of the shop's program), its estimated cost in the shop's currency
 * (a decimal, 0 or more) and whether it is active.
 */
export function parseGiftForm(
  raw: { name?: string | null; sku?: string | null; kinds?: readonly string[]; tierHandles?: readonly string[]; cost?: string | null; active?: boolean },
  { currencyCode, tierHandles }: { currencyCode: string; tierHandles: readonly string[] },
): GiftFormResult {
  const errors: Record<string, FieldError> = {};
  const name = (raw.name ?? "").trim();
  if (!name) errors.name = { key: "gifts.errors.nameRequired" };
  else if (name.length > 100) errors.name = { key: "gifts.errors.nameTooLong" };
  const sku = (raw.sku ?? "").trim() || null;
  if (sku && sku.length > 100) errors.sku = { key: "gifts.errors.skuTooLong" };
  const kinds = [...new Set(raw.kinds ?? [])];
  if (kinds.some((kind) => !(GIFT_KINDS as readonly string[]).includes(kind))) errors.kinds = { key: "gifts.errors.kind" };
  const tiers = [...new Set(raw.tierHandles ?? [])];
  if (tiers.some((handle) => !tierHandles.includes(handle))) errors.tierHandles = { key: "gifts.errors.tier" };
  let costMinor = 0;
  const cost = (raw.cost ?? "").trim().replace(",", ".");
  try {
    costMinor = toMinorUnits(cost || "0", currencyCode);
    if (costMinor < 0 || costMinor > 100_000_000) errors.cost = { key: "gifts.errors.cost" };
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    errors.cost = { key: "gifts.errors.cost" };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, gift: { name, sku, kinds: kinds as GiftKind[], tierHandles: tiers, costMinor, active: raw.active ?? true } };
}

/** May this gift be given for `reason`? Staff gifts may use any gift; otherwise an empty kind list means any. */
export function giftServes(kinds: readonly string[], reason: GiftReason): boolean {
  return reason === "staff" || kinds.length === 0 || kinds.includes(reason);
}
