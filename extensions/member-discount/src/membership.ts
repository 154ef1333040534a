/**
 * The two JSON documents the Function reads, checked without zod (a Function
 * pays for every byte of its bundle and every instruction at checkout):
 *
 * - the customer's `$app:membership` value, whose contract is
 *   `membershipValueSchema` in app/domain/membership.ts;
 * - the discount's `$app:function-configuration` value
 *   (app/domain/discount-configuration.ts).
 *
 * Each parser accepts exactly the shape the app writes and returns null for
 * anything else, so a malformed, stale or foreign value means "no member" and
 * never an error at checkout. tests/membership.test.ts holds the parser to the
 * zod schema on the same values.
 */

export type Localized = { en: string; "zh-CN": string };

/** app/domain/membership.ts `MembershipValue`, as the Function sees it. */
export interface MembershipValue {
  v: 1;
  tier: { handle: string; rank: number; name: Localized };
  /** Products and collections (GIDs) are written only when the tier excludes some (values written before have neither). */
  discount: { percent: number; scope: "subtotal" | "products"; excludedProductTags: string[]; excludedProductIds?: string[]; excludedCollectionIds?: string[] };
  freeShipping: boolean;
  perks: Localized[];
  birthdayGift: string | null;
  progress: null | { next: { handle: string; name: Localized }; spendNeededMinor: number | null; ordersNeeded: number | null; currencyCode: string };
  nextEvaluation: string | null;
  downgradeOn: string | null;
  /** Only while a downgrade is announced; the Function does not use it. */
  review?: { by: string; spendToKeepMinor: number | null; ordersToKeep: number | null; currencyCode: string };
}

/** app/domain/discount-configuration.ts `FunctionConfiguration`. */
export interface FunctionConfiguration {
  v: 1;
  excludedProductTags: string[];
  /** Written only when some tier excludes collections. */
  excludedCollectionIds?: string[];
}

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === "string";
const isBoolean: Check = (value) => typeof value === "boolean";
// zod's .int() accepts safe integers only.
const isInteger: Check = (value) => Number.isSafeInteger(value);
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isPercent: Check = (value) => typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 100;
const literal = (expected: unknown): Check => (value) => value === expected;
const oneOf = (...allowed: string[]): Check => (value) => allowed.indexOf(value as string) >= 0;
const nullable = (check: Check): Check => (value) => value === null || check(value);
const listOf = (check: Check): Check => (value) => Array.isArray(value) && value.every(check);

/**
 * An object with exactly these keys (zod's .strict()): a key too many or too
 * few is a different document. Keys in `optional` may be absent (zod's .optional()).
 */
const exactly = (shape: Record<string, Check>, optional: Record<string, Check> = {}): Check => (value) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(record, key);
  const expected = Object.keys(shape);
  const present = Object.keys(optional).filter(has);
  return (
    Object.keys(record).length === expected.length + present.length &&
    expected.every((key) => has(key) && shape[key](record[key])) &&
    present.every((key) => record[key] !== undefined && optional[key](record[key]))
  );
};

/** UTC instant as `Date#toISOString()` writes it (what zod's `z.iso.datetime()` accepts: Z, seconds, optional fraction, a real calendar date). */
const isUtcDateTime: Check = (value) => {
  const match = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/.exec(value) : null;
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const leapYear = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 ? (leapYear ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
};

/** A calendar date as zod's `z.iso.date()` accepts it (YYYY-MM-DD, a real day). */
const isIsoDate: Check = (value) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && isUtcDateTime(`${value}T00:00:00Z`);
const isPositiveCount: Check = (value) => Number.isSafeInteger(value) && (value as number) > 0;

const localized = exactly({ en: isString, "zh-CN": isString });

const isMembershipValue = exactly({
  v: literal(1),
  tier: exactly({ handle: isString, rank: isInteger, name: localized }),
  discount: exactly({ percent: isPercent, scope: oneOf("subtotal", "products"), excludedProductTags: listOf(isString) }, { excludedProductIds: listOf(isString), excludedCollectionIds: listOf(isString) }),
  freeShipping: isBoolean,
  perks: listOf(localized),
  birthdayGift: nullable(isString),
  progress: nullable(
    exactly({
      next: exactly({ handle: isString, name: localized }),
      spendNeededMinor: nullable(isCount),
      ordersNeeded: nullable(isCount),
      currencyCode: (value) => typeof value === "string" && value.length === 3,
    }),
  ),
  nextEvaluation: nullable(isUtcDateTime),
  downgradeOn: nullable(isUtcDateTime),
}, {
  review: exactly({ by: isIsoDate, spendToKeepMinor: nullable(isPositiveCount), ordersToKeep: nullable(isPositiveCount), currencyCode: (value) => typeof value === "string" && value.length === 3 }),
});

const isFunctionConfiguration = exactly({ v: literal(1), excludedProductTags: listOf(isString) }, { excludedCollectionIds: listOf(isString) });

/** The member's state from the metafield's `jsonValue`, or null: guest, no value yet, another version, or not ours. */
export function parseMembership(jsonValue: unknown): MembershipValue | null {
  return isMembershipValue(jsonValue) ? (jsonValue as MembershipValue) : null;
}

/** The discount's configuration from the metafield's `jsonValue`, or null when it is missing or malformed. */
export function parseFunctionConfiguration(jsonValue: unknown): FunctionConfiguration | null {
  return isFunctionConfiguration(jsonValue) ? (jsonValue as FunctionConfiguration) : null;
}
