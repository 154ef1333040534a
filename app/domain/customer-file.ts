/**
 * The customer file (issue 7), pure: the soft data staff keep on a customer
 * (sizes, preferences, occupation, family, hobbies, how and when to contact
 * them, promotions, birthday, notes, tags), its form validation, the
 * field-by-field changes a save makes, and the completeness score. Hard data
 * (name, email, phone, region, consent) is Shopify's and stays on Customer.
 * No I/O, no clock: callers pass `now`.
 */
import { z } from "zod";

export const PREFERRED_CHANNELS = ["email", "sms", "phone", "none"] as const;
export const CONTACT_TIMES = ["morning", "afternoon", "evening", "any"] as const;
export type PreferredChannel = (typeof PREFERRED_CHANNELS)[number];
export type ContactTime = (typeof CONTACT_TIMES)[number];

export const FILE_FIELDS = [
  "clothingSize",
  "shoeSize",
  "stylePreferences",
  "productPreferences",
  "occupation",
  "family",
  "hobbies",
  "preferredChannel",
  "preferredContactTime",
  "acceptsPromotions",
  "birthday",
  "notes",
  "tags",
] as const;
export type FileField = (typeof FILE_FIELDS)[number];

/**
 * Completeness weights (sum 100). What staff need most to contact a customer
 * well comes first: how and when to reach them and whether promotions are
 * welcome (35), then what to offer (sizes, style and product preferences: 35),
 * then the birthday (10), then the personal context that makes a
 * conversation (occupation, family, hobbies: 15), notes and tags last (5).
 */
export const FIELD_WEIGHTS: Readonly<Record<FileField, number>> = Object.freeze({
  preferredChannel: 15,
  preferredContactTime: 10,
  acceptsPromotions: 10,
  clothingSize: 8,
  shoeSize: 7,
  stylePreferences: 10,
  productPreferences: 10,
  birthday: 10,
  occupation: 5,
  family: 5,
  hobbies: 5,
  notes: 3,
  tags: 2,
});

/** A file counts as "completed" (leaderboard) from this score on. */
export const COMPLETE_AT = 80;
export const DEFAULT_STALE_MONTHS = 12;
export const MAX_TAGS = 20;

const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : typeof value === "string" ? value.trim() : value);
const shortText = (max: number) => z.preprocess(blankToNull, z.string().max(max).nullable().default(null));

/** MM-DD or YYYY-MM-DD, a real calendar day (29 February allowed without a year). */
export function validBirthday(value: string): boolean {
  const match = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const year = match[1] ? Number(match[1]) : 2000; // a leap year
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const tagList = z.preprocess(
  (value) => {
    const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : value;
    if (!Array.isArray(list)) return list;
    const seen = new Set<string>();
    return list.map((tag) => String(tag).trim()).filter((tag) => tag !== "" && !seen.has(tag.toLowerCase()) && seen.add(tag.toLowerCase()));
  },
  z.array(z.string().max(30)).max(MAX_TAGS).default([]),
);

/** The soft data as values (what a save stores); every field optional. */
export const customerFileSchema = z.object({
  clothingSize: shortText(20),
  shoeSize: shortText(20),
  stylePreferences: shortText(500),
  productPreferences: shortText(500),
  occupation: shortText(100),
  family: shortText(500),
  hobbies: shortText(500),
  preferredChannel: z.preprocess(blankToNull, z.enum(PREFERRED_CHANNELS).nullable().default(null)),
  preferredContactTime: z.preprocess(blankToNull, z.enum(CONTACT_TIMES).nullable().default(null)),
  acceptsPromotions: z.preprocess(
    (value) => (value === "yes" || value === "true" ? true : value === "no" || value === "false" ? false : blankToNull(value)),
    z.boolean().nullable().default(null),
  ),
  birthday: z.preprocess(blankToNull, z.string().refine(validBirthday).nullable().default(null)),
  notes: shortText(2000),
  tags: tagList,
});
export type CustomerFileValues = z.infer<typeof customerFileSchema>;

/** The form: the values plus the fields staff confirmed unchanged with the customer (comma separated). */
export const customerFileFormSchema = customerFileSchema.extend({
  confirm: z.preprocess(
    (value) => (typeof value === "string" ? value.split(",").map((part) => part.trim()).filter(Boolean) : (value ?? [])),
    z.array(z.enum(FILE_FIELDS)),
  ),
});
export type CustomerFileForm = z.infer<typeof customerFileFormSchema>;

/** The translation key for each invalid field ("customerFile.errors.<field>"). */
export function parseCustomerFileForm(input: Record<string, unknown>):
  | { ok: true; form: CustomerFileForm }
  | { ok: false; errors: Partial<Record<FileField | "confirm", string>> } {
  const parsed = customerFileFormSchema.safeParse(input);
  if (parsed.success) return { ok: true, form: parsed.data };
  const errors: Partial<Record<FileField | "confirm", string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as FileField | "confirm";
    errors[field] = `customerFile.errors.${field}`;
  }
  return { ok: false, errors };
}

export const EMPTY_FILE: Readonly<CustomerFileValues> = Object.freeze(customerFileSchema.parse({}));

export function isFilled(values: CustomerFileValues, field: FileField): boolean {
  const value = values[field];
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined;
}

/** A field's value as one string for the edit log (null when empty). */
export function fieldText(values: CustomerFileValues, field: FileField): string | null {
  const value = values[field];
  if (Array.isArray(value)) return value.length ? value.join(", ") : null;
  if (value === null || value === undefined) return null;
  return String(value);
}

export interface FieldEdit {
  field: FileField;
  oldValue: string | null;
  newValue: string | null;
}

/** The fields a save changes, in FILE_FIELDS order. */
export function diffFile(before: CustomerFileValues, after: CustomerFileValues): FieldEdit[] {
  return FILE_FIELDS.flatMap((field) => {
    const oldValue = fieldText(before, field);
    const newValue = fieldText(after, field);
    return oldValue === newValue ? [] : [{ field, oldValue, newValue }];
  });
}

export type ConfirmedAt = Partial<Record<FileField, string>>; // ISO times

/**
 * Confirmation times after a save: a changed or re-confirmed field is
 * confirmed now; an emptied one has nothing to confirm.
 */
export function nextConfirmedAt(previous: ConfirmedAt, after: CustomerFileValues, edits: FieldEdit[], confirm: readonly FileField[], now: Date): ConfirmedAt {
  const next: ConfirmedAt = {};
  const touched = new Set<FileField>([...edits.map((edit) => edit.field), ...confirm]);
  for (const field of FILE_FIELDS) {
    if (!isFilled(after, field)) continue;
    const at = touched.has(field) ? now.toISOString() : previous[field];
    if (at) next[field] = at;
  }
  return next;
}

/** `instant` moved back by whole calendar months (UTC), clamped to the month's last day. */
export function monthsBefore(instant: Date, months: number): Date {
  const date = new Date(instant.getTime());
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - months);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, last));
  return date;
}

export interface Completeness {
  score: number; // 0..100, whole
  missing: FileField[];
  stale: FileField[]; // filled, but confirmed more than staleMonths ago (or never)
}

/**
 * How complete and current a file is: the weights of the filled fields, a
 * field last confirmed more than `staleMonths` before `now` (or never) counting
 * half. Rounded to a whole number.
 */
export function completeness(values: CustomerFileValues, confirmedAt: ConfirmedAt, now: Date, { staleMonths = DEFAULT_STALE_MONTHS }: { staleMonths?: number } = {}): Completeness {
  const staleBefore = monthsBefore(now, staleMonths).getTime();
  let score = 0;
  const missing: FileField[] = [];
  const stale: FileField[] = [];
  for (const field of FILE_FIELDS) {
    if (!isFilled(values, field)) {
      missing.push(field);
      continue;
    }
    const at = confirmedAt[field] ? Date.parse(confirmedAt[field]!) : NaN;
    if (Number.isNaN(at) || at < staleBefore) {
      stale.push(field);
      score += FIELD_WEIGHTS[field] / 2;
    } else {
      score += FIELD_WEIGHTS[field];
    }
  }
  return { score: Math.round(score), missing, stale };
}

/** Reads stored confirmation times, keeping only known fields with valid times. */
export function parseConfirmedAt(json: string | null | undefined): ConfirmedAt {
  try {
    const raw = JSON.parse(json ?? "{}") as Record<string, unknown>;
    const out: ConfirmedAt = {};
    for (const field of FILE_FIELDS) {
      const value = raw?.[field];
      if (typeof value === "string" && !Number.isNaN(Date.parse(value))) out[field] = value;
    }
    return out;
  } catch {
    return {};
  }
}
