/**
 * The merchant's gift list (issue 10): what a gift row holds and how the
 * gift form is read. Pure; app/models/gifts.server.ts stores the rows and
 * app/domain/gift-rotation.ts picks from them.
 */
import { localParts } from "./local-time";
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

// ------------------------------------------------------------- what a member is due with an order

/** One thing a member is due a gift for, with the key that makes it given once (GiftGiven.dueKey). */
export interface DueGift {
  reason: GiftReason;
  dueKey: string;
  /** The tier the gift must suit: the new tier for an entry gift, the member's tier otherwise. */
  tierHandle: string | null;
  rewardId: string | null;
  /** The gift staff chose; null: by rotation. */
  giftId: string | null;
}

export interface DueInputs {
  /** When the order was placed. */
  orderAt: Date;
  /** The customer's zone (the shop's when unknown): a birthday month is theirs. */
  timeZone: string;
  tierHandle: string | null;
  /** Staff-issued gifts still waiting for a parcel. */
  pendingGiftRewards: ReadonlyArray<{ id: string; giftId: string | null }>;
  /** The member's latest tier upgrade. */
  lastUpgrade: { id: number; toHandle: string; at: Date } | null;
  /** MM-DD or YYYY-MM-DD (the customer file's). */
  birthday: string | null;
  /** This order's place among the member's counted orders (1: their first). */
  orderNumber: number;
  /** Every Nth order gets a surprise gift; 0: none. */
  surpriseEveryOrders: number;
}

const DAY_MS = 86_400_000;
/** The upgrading order itself is placed a little before the upgrade is evaluated. */
const ENTRY_BEFORE_MS = 2 * DAY_MS;
/** An upgrade older than this (a long quiet spell) no longer makes the next order carry an entry gift. */
const ENTRY_WITHIN_MS = 90 * DAY_MS;

/**
 * What an order of a member carries gifts for, staff gifts first (promised to
 * the customer), then the tier's entry gift, the birthday gift (an order in
 * their birthday month, once a year) and the surprise (every Nth order).
 */
export function dueGifts(input: DueInputs): DueGift[] {
  const due: DueGift[] = input.pendingGiftRewards.map((reward) => ({ reason: "staff", dueKey: `staff:${reward.id}`, tierHandle: input.tierHandle, rewardId: reward.id, giftId: reward.giftId }));
  const upgrade = input.lastUpgrade;
  if (upgrade) {
    const since = input.orderAt.getTime() - upgrade.at.getTime();
    if (since >= -ENTRY_BEFORE_MS && since <= ENTRY_WITHIN_MS) due.push({ reason: "entry", dueKey: `entry:${upgrade.id}`, tierHandle: upgrade.toHandle, rewardId: null, giftId: null });
  }
  const month = birthdayMonth(input.birthday);
  if (month !== null) {
    const local = localParts(input.orderAt.getTime(), input.timeZone);
    if (local.month === month) due.push({ reason: "birthday", dueKey: `birthday:${local.year}`, tierHandle: input.tierHandle, rewardId: null, giftId: null });
  }
  if (input.surpriseEveryOrders > 0 && input.orderNumber > 0 && input.orderNumber % input.surpriseEveryOrders === 0) {
    due.push({ reason: "surprise", dueKey: `surprise:${input.orderNumber}`, tierHandle: input.tierHandle, rewardId: null, giftId: null });
  }
  return due;
}

/** The month (1-12) of a stored birthday, MM-DD or YYYY-MM-DD; null when unreadable. */
export function birthdayMonth(birthday: string | null): number | null {
  const match = /^(?:\d{4}-)?(\d{2})-(\d{2})$/.exec(birthday?.trim() ?? "");
  if (!match) return null;
  const month = Number(match[1]);
  return month >= 1 && month <= 12 ? month : null;
}

/** The line a packer reads on the order, and the tag to filter gift orders by. */
export const GIFT_TAG = "MemberCare gift";
