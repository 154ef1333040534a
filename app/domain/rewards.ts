/**
 * Staff-issued rewards (issue 10), pure: the merchant's reward settings (how
 * many rewards a staff member may issue per month and a customer may receive
 * per period, the largest discount, the default expiry, who may issue, and the
 * gift rotation's no-repeat period and surprise gifts), the issue form, the
 * limit check, the code a reward carries and its estimated cost.
 *
 * Stored as JSON in Shop.rewardSettings and read with zod in the style of
 * ./care/settings.ts: a missing field takes its default, a bad one is a field
 * error (`rewards.errors.*`), nothing invalid is ever used.
 *
 * Defaults, and why:
 * - 10 rewards per staff member per calendar month (the shop's zone): enough
 *   for personal touches, small enough that a code never becomes a habit.
 * - 1 reward per customer in 90 days: a reward stays special.
 * - at most 20% off or 20.00 in shop money (2000 minor units), 30 days to use.
 * - every staff member may issue until the merchant names who may.
 * - gifts: no repeat within 180 days (gift-rotation.ts's default), no
 *   surprise gifts until the merchant turns them on.
 */
import { z } from "zod";
import type { MessageKey, MessageVars } from "~/i18n";
import { DEFAULT_NO_REPEAT_DAYS } from "./gift-rotation";
import { currencyDigits, minorToAmount } from "./money";

interface Bound {
  min: number;
  max: number;
  default: number;
}
const whole = (min: number, max: number, def: number): Bound => ({ min, max, default: def });

/** Every numeric setting with its range and default: the schema and the field errors come from this table. */
export const REWARD_SETTING_BOUNDS = {
  staffPerMonth: whole(1, 1000, 10),
  customerPerPeriod: whole(1, 100, 1),
  customerPeriodDays: whole(1, 365, 90),
  maxPercent: whole(1, 100, 20),
  maxAmountMinor: whole(1, 100_000_000, 2000),
  defaultExpiryDays: whole(1, 365, 30),
  noRepeatDays: whole(1, 730, DEFAULT_NO_REPEAT_DAYS),
  /** Every Nth order of a member gets a surprise gift; 0: none. */
  surpriseEveryOrders: whole(0, 100, 0),
} as const;

export interface RewardSettings {
  /** Rewards one staff member may issue per calendar month in the shop's zone. */
  staffPerMonth: number;
  /** Rewards one customer may receive ... */
  customerPerPeriod: number;
  /** ... in any window of this many days. */
  customerPeriodDays: number;
  /** Largest percentage off a code may give (whole percent). */
  maxPercent: number;
  /** Largest fixed amount off a code may give, shop money minor units. */
  maxAmountMinor: number;
  /** Days a code stays valid when staff do not choose. */
  defaultExpiryDays: number;
  /** Who may issue: every staff member, or the listed staff ids (the session token's `sub`). */
  staff: "all" | string[];
  gifts: { noRepeatDays: number; surpriseEveryOrders: number };
}

const B = REWARD_SETTING_BOUNDS;
export const DEFAULT_REWARD_SETTINGS: Readonly<RewardSettings> = Object.freeze({
  staffPerMonth: B.staffPerMonth.default,
  customerPerPeriod: B.customerPerPeriod.default,
  customerPeriodDays: B.customerPeriodDays.default,
  maxPercent: B.maxPercent.default,
  maxAmountMinor: B.maxAmountMinor.default,
  defaultExpiryDays: B.defaultExpiryDays.default,
  staff: "all",
  gifts: Object.freeze({ noRepeatDays: B.noRepeatDays.default, surpriseEveryOrders: B.surpriseEveryOrders.default }),
}) as Readonly<RewardSettings>;

/** A message in the merchant's language: `translate(locale, key, vars)`. */
export interface RewardText {
  key: MessageKey;
  vars?: MessageVars;
}
export type RewardErrors = Record<string, RewardText>;
export type RewardSettingsResult = { ok: true; settings: RewardSettings } | { ok: false; errors: RewardErrors };

const bounded = (bound: Bound) => z.number().int().min(bound.min).max(bound.max).default(bound.default);
const STAFF_ID = /^[A-Za-z0-9_.:@-]{1,100}$/;

export const rewardSettingsSchema = z.object({
  staffPerMonth: bounded(B.staffPerMonth),
  customerPerPeriod: bounded(B.customerPerPeriod),
  customerPeriodDays: bounded(B.customerPeriodDays),
  maxPercent: bounded(B.maxPercent),
  maxAmountMinor: bounded(B.maxAmountMinor),
  defaultExpiryDays: bounded(B.defaultExpiryDays),
  staff: z.union([z.literal("all"), z.array(z.string().regex(STAFF_ID)).min(1).max(200)]).default("all"),
  gifts: z.object({ noRepeatDays: bounded(B.noRepeatDays), surpriseEveryOrders: bounded(B.surpriseEveryOrders) }).prefault({}),
});

const text = (key: MessageKey, vars?: MessageVars): RewardText => (vars ? { key, vars } : { key });

function settingsFieldError(path: PropertyKey[]): RewardText {
  const [section, second] = path.map(String);
  const bound = section === "gifts" ? (B as Record<string, Bound>)[second ?? ""] : (B as Record<string, Bound>)[section ?? ""];
  if (section === "maxAmountMinor") return text("rewards.errors.amountRange");
  if (bound) return text("rewards.errors.wholeRange", { min: bound.min, max: bound.max });
  if (section === "staff") return text("rewards.errors.staff");
  return text("rewards.errors.invalid");
}

/** Reads settings as stored or submitted (numbers; a form converts its strings first). Errors are keyed by field path. */
export function validateRewardSettings(input: unknown): RewardSettingsResult {
  const parsed = rewardSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const errors: RewardErrors = {};
    for (const issue of parsed.error.issues) {
      // The staff list is one field on the form: any bad id is its error.
      const path = issue.path[0] === "staff" ? "staff" : issue.path.map(String).join(".") || "settings";
      if (!errors[path]) errors[path] = settingsFieldError(issue.path);
    }
    return { ok: false, errors };
  }
  const settings = parsed.data as RewardSettings;
  return { ok: true, settings: settings.staff === "all" ? settings : { ...settings, staff: [...new Set(settings.staff)] } };
}

/** The name Shop.rewardSettings' comment gives the reader of stored settings. */
export const parseRewardSettings = validateRewardSettings;

/** Stored JSON to settings; null, unreadable or no longer valid: the defaults (and says so). */
export function readStoredRewardSettings(stored: string | null): { settings: RewardSettings; invalid: boolean } {
  if (!stored) return { settings: DEFAULT_REWARD_SETTINGS, invalid: false };
  try {
    const parsed = validateRewardSettings(JSON.parse(stored));
    return parsed.ok ? { settings: parsed.settings, invalid: false } : { settings: DEFAULT_REWARD_SETTINGS, invalid: true };
  } catch {
    return { settings: DEFAULT_REWARD_SETTINGS, invalid: true };
  }
}

/** "20", "20.5", "20.50" to minor units; null when it is not a plain non-negative amount with at most the currency's decimals. */
export function amountToMinor(value: string, currencyCode: string): number | null {
  const digits = currencyDigits(currencyCode);
  const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(value.trim());
  if (!match || (match[2] ?? "").length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? "").padEnd(digits, "0") || "0");
}

/** Minor units as the plain decimal Shopify's Decimal and the form fields take ("20.00", "1000" for JPY). */
/** The settings form's strings to settings (amounts in shop money as the merchant writes them). */
export function parseRewardSettingsForm(fields: Record<string, FormDataEntryValue | undefined>, currencyCode: string): RewardSettingsResult {
  const errors: RewardErrors = {};
  const number = (name: string) => {
    const value = String(fields[name] ?? "").trim();
    if (value === "") return undefined;
    return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  };
  const amountText = String(fields.maxAmount ?? "").trim();
  const maxAmountMinor = amountText === "" ? undefined : amountToMinor(amountText, currencyCode);
  if (maxAmountMinor === null) errors.maxAmountMinor = text("rewards.errors.amount");
  const staffText = String(fields.staffIds ?? "").trim();
  const staffIds = staffText.split(/[\s,]+/).filter(Boolean);
  const onlyListed = fields.staffMode === "listed";
  if (onlyListed && staffIds.length === 0) errors.staff = text("rewards.errors.staffNeeded");
  const input = {
    staffPerMonth: number("staffPerMonth"),
    customerPerPeriod: number("customerPerPeriod"),
    customerPeriodDays: number("customerPeriodDays"),
    maxPercent: number("maxPercent"),
    maxAmountMinor: maxAmountMinor ?? undefined,
    defaultExpiryDays: number("defaultExpiryDays"),
    staff: onlyListed ? staffIds : "all",
    gifts: { noRepeatDays: number("gifts.noRepeatDays"), surpriseEveryOrders: number("gifts.surpriseEveryOrders") },
  };
  const result = validateRewardSettings(input);
  if (!result.ok) return { ok: false, errors: { ...result.errors, ...errors } };
  return Object.keys(errors).length ? { ok: false, errors } : result;
}

/** Whether this staff member may issue rewards at all. */
export const mayIssue = (settings: RewardSettings, staffId: string | null) => settings.staff === "all" || (staffId !== null && settings.staff.includes(staffId));

// ---------------------------------------------------------------------------
// The issue form

export const REWARD_KINDS = ["code", "gift"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];
export const VALUE_TYPES = ["percent", "amount"] as const;
export type RewardValueType = (typeof VALUE_TYPES)[number];

export type RewardRequest =
  | { kind: "code"; valueType: RewardValueType; /** percent: whole percent; amount: minor units */ value: number; expiryDays: number; reason: string }
  | { kind: "gift"; /** null: the gift list's rotation chooses */ giftId: string | null; reason: string };

export const MAX_REASON = 500;

/** The member page's issue form to a request within the shop's maxima; errors keyed by field. */
export function parseRewardForm(
  fields: Record<string, FormDataEntryValue | undefined>,
  settings: RewardSettings,
  currencyCode: string,
): { ok: true; request: RewardRequest } | { ok: false; errors: RewardErrors } {
  const errors: RewardErrors = {};
  const get = (name: string) => String(fields[name] ?? "").trim();
  const reason = get("reason");
  if (!reason) errors.reason = text("rewards.errors.reason");
  else if (reason.length > MAX_REASON) errors.reason = text("rewards.errors.reasonLong", { max: MAX_REASON });
  const kind = get("kind");
  if (kind === "gift") {
    if (Object.keys(errors).length) return { ok: false, errors };
    return { ok: true, request: { kind: "gift", giftId: get("giftId") || null, reason } };
  }
  if (kind !== "code") return { ok: false, errors: { ...errors, kind: text("rewards.errors.kind") } };
  const valueType = get("valueType");
  let value = Number.NaN;
  if (valueType === "percent") {
    value = /^\d{1,3}$/.test(get("value")) ? Number(get("value")) : Number.NaN;
    if (!(value >= 1 && value <= settings.maxPercent)) errors.value = text("rewards.errors.percent", { max: settings.maxPercent });
  } else if (valueType === "amount") {
    value = amountToMinor(get("value"), currencyCode) ?? Number.NaN;
    if (!(value >= 1 && value <= settings.maxAmountMinor)) errors.value = text("rewards.errors.amountMax", { max: minorToAmount(settings.maxAmountMinor, currencyCode) });
  } else errors.valueType = text("rewards.errors.valueType");
  const expiryText = get("expiryDays");
  const expiryDays = expiryText === "" ? settings.defaultExpiryDays : /^\d{1,3}$/.test(expiryText) ? Number(expiryText) : Number.NaN;
  if (!(expiryDays >= 1 && expiryDays <= B.defaultExpiryDays.max)) errors.expiryDays = text("rewards.errors.wholeRange", { min: 1, max: B.defaultExpiryDays.max });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, request: { kind: "code", valueType: valueType as RewardValueType, value, expiryDays, reason } };
}

// ---------------------------------------------------------------------------
// Limits

/** The first instant of the customer's limit window. */
export const customerPeriodStart = (now: Date, settings: RewardSettings) => new Date(now.getTime() - settings.customerPeriodDays * 86_400_000);

export interface LimitUsage {
  /** Rewards this staff member issued since monthStart (failed ones do not count). */
  staffThisMonth: number;
  /** Rewards this customer received since customerPeriodStart, oldest first (their times). */
  customerInPeriod: Date[];
}

export type LimitVerdict = { ok: true; staffLeft: number; customerLeft: number } | { ok: false; limit: "notAllowed" | "staff" | "customer"; message: RewardText };

/**
 * Whether one more reward fits: the staff member may issue, has a reward left
 * this month, and the customer has one left in the period. A refusal names the
 * limit, how much of it is used and what is left (nothing), and for the
 * customer when the next one becomes possible.
 */
export function checkRewardLimits(settings: RewardSettings, staffId: string | null, usage: LimitUsage): LimitVerdict {
  if (!mayIssue(settings, staffId)) return { ok: false, limit: "notAllowed", message: text("rewards.limit.notAllowed") };
  if (usage.staffThisMonth >= settings.staffPerMonth) {
    return { ok: false, limit: "staff", message: text("rewards.limit.staff", { limit: settings.staffPerMonth, used: usage.staffThisMonth }) };
  }
  if (usage.customerInPeriod.length >= settings.customerPerPeriod) {
    // The window slides: one becomes possible when the oldest counted reward leaves it.
    const oldest = usage.customerInPeriod.reduce((a, b) => (a < b ? a : b));
    const next = new Date(oldest.getTime() + settings.customerPeriodDays * 86_400_000);
    return {
      ok: false,
      limit: "customer",
      message: text("rewards.limit.customer", { limit: settings.customerPerPeriod, days: settings.customerPeriodDays, used: usage.customerInPeriod.length, next: next.toISOString() }),
    };
  }
  return { ok: true, staffLeft: settings.staffPerMonth - usage.staffThisMonth - 1, customerLeft: settings.customerPerPeriod - usage.customerInPeriod.length - 1 };
}

// ---------------------------------------------------------------------------
// Codes and costs

/** Letters and digits nobody confuses when reading a code aloud or off a screen (no 0/O, 1/I/L). */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 8;

/**
 * A readable code from random bytes: MC- and eight characters from a 31-letter
 * alphabet (about 8.5e11 codes, so a clash with another code is rare; Shopify
 * refuses a taken one and the service draws again). Bytes above the largest
 * multiple of 31 are skipped so every letter is equally likely.
 */
export function rewardCode(randomBytes: Uint8Array): string {
  const limit = 256 - (256 % CODE_ALPHABET.length);
  let code = "";
  for (const byte of randomBytes) {
    if (byte >= limit) continue;
    code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    if (code.length === CODE_LENGTH) return `MC-${code}`;
  }
  throw new Error("rewardCode: not enough random bytes");
}

/**
 * What a reward is expected to cost the shop, in shop money: a percentage on
 * an order of the customer's average size (the shop's when they have none), a
 * fixed amount in full (capped by nothing: the customer may spend less, but
 * the estimate errs high), a gift its cost.
 */
export function estimateRewardCost(request: RewardRequest, { averageOrderMinor, giftCostMinor }: { averageOrderMinor: number; giftCostMinor: number }): number {
  if (request.kind === "gift") return giftCostMinor;
  if (request.valueType === "amount") return request.value;
  return Math.round((averageOrderMinor * request.value) / 100);
}
