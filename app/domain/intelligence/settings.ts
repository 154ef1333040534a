/**
 * The shop's customer-intelligence settings: every threshold the RFM scores,
 * value classes, cadence and lifecycle stages use, with defaults that work for
 * a shop that never opens the settings page. Stored as JSON; parsed with zod;
 * a missing field takes its default, an out-of-range one is a field error
 * (`intel.errors.*`, 422 in the route), and nothing invalid is ever used.
 *
 * Defaults, and why:
 * - rfm.windowDays 365: a year covers seasonal buyers; the issue asks for it.
 * - valueClass.keyPercent 60 / mainPercent 25: key customers are those making
 *   the top 60% of the window's revenue (typically a small group: few enough
 *   for staff to know by name), main the next 25%, regular the last 15%.
 * - cadence.shrinkWeight 2: a customer's own median counts n gaps against 2
 *   "virtual" gaps at the prior, so 1 gap is shrunk to 1/3 own, 9 gaps to 82%.
 * - cadence.outlierFactor 3: with 3 or more gaps, a gap longer than 3x the
 *   median of the others (a pause, a holiday) is left out of the median.
 * - cadence.minGapDays 1: orders less than a day apart are one buying occasion.
 * - cadence.productMinGaps 5 / productMinCustomers 2: a product's interval is
 *   learned from at least 5 repeat gaps by at least 2 customers, else unknown.
 * - cadence.shopMinGaps 5: the shop-wide median gap needs 5 gaps, else the
 *   default 60 days (a two-month habit, a middle ground for consumables).
 * - cadence.reminderPercent 75: the replenishment reminder goes out when 75% of
 *   the interval has passed, early enough to arrive before they run out.
 * - lifecycle: see ./lifecycle.ts (new up to 30 days waiting for delivery,
 *   honeymoon 21 days, at risk at 1.5 intervals, dormant at 3 intervals or 180
 *   days, lost at 365 days).
 * - followUps: the staff follow-up list built on these classes (see
 *   app/domain/follow-ups.ts): dailyCapacity 20 (how many the team takes a
 *   day: one person's day of personal calls), a key customer's touch every 30
 *   days, birthdays 7 days ahead, 14 days' rest after a completed task, a
 *   valuable customer's file thin under 50% complete.
 */
import { z } from "zod";
import type { MessageKey } from "~/i18n";
import { text, type IntelText } from "./shared";

interface Bound {
  min: number;
  max: number;
  default: number;
  whole: boolean;
}
const whole = (min: number, max: number, def: number): Bound => ({ min, max, default: def, whole: true });
const decimal = (min: number, max: number, def: number): Bound => ({ min, max, default: def, whole: false });

/** Every setting with its range and default: the schema and the field errors are built from this one table. */
export const SETTING_BOUNDS = {
  rfm: {
    windowDays: whole(30, 730, 365),
  },
  valueClass: {
    keyPercent: decimal(1, 99, 60),
    mainPercent: decimal(0, 99, 25),
  },
  cadence: {
    shrinkWeight: decimal(0, 20, 2),
    outlierFactor: decimal(1.5, 10, 3),
    minGapDays: decimal(0, 7, 1),
    productMinGaps: whole(2, 1000, 5),
    productMinCustomers: whole(1, 1000, 2),
    shopMinGaps: whole(1, 1000, 5),
    defaultIntervalDays: decimal(1, 730, 60),
    reminderPercent: decimal(10, 100, 75),
  },
  lifecycle: {
    deliveryWaitDays: whole(1, 90, 30),
    honeymoonDays: whole(0, 120, 21),
    atRiskFactor: decimal(1, 10, 1.5),
    dormantFactor: decimal(1, 20, 3),
    dormantDays: whole(14, 1095, 180),
    lostDays: whole(30, 1095, 365),
  },
  followUps: {
    dailyCapacity: whole(1, 1000, 20),
    keyTouchDays: whole(7, 365, 30),
    birthdayLeadDays: whole(0, 30, 7),
    cooldownDays: whole(0, 90, 14),
    thinFileBelow: whole(0, 100, 50),
  },
} as const;

/** The sections the nightly classification reads: a change to any other (follow-ups) does not reclassify the shop. */
export const CLASSIFICATION_SECTIONS = ["rfm", "valueClass", "cadence", "lifecycle"] as const satisfies ReadonlyArray<keyof typeof SETTING_BOUNDS>;

type Section = keyof typeof SETTING_BOUNDS;
type Values<S extends Section> = { [K in keyof (typeof SETTING_BOUNDS)[S]]: number };

export type RfmSettings = Values<"rfm">;
export type ValueClassSettings = Values<"valueClass">;
export type CadenceSettings = Values<"cadence">;
export type LifecycleSettings = Values<"lifecycle">;
export type FollowUpListSettings = Values<"followUps">;
export interface IntelligenceSettings {
  rfm: RfmSettings;
  valueClass: ValueClassSettings;
  cadence: CadenceSettings;
  lifecycle: LifecycleSettings;
  followUps: FollowUpListSettings;
}

function sectionSchema<S extends Section>(section: S) {
  const shape: Record<string, z.ZodType> = {};
  for (const [field, bound] of Object.entries(SETTING_BOUNDS[section]) as Array<[string, Bound]>) {
    const number = bound.whole ? z.number().int() : z.number();
    shape[field] = number.min(bound.min).max(bound.max).default(bound.default);
  }
  return z.object(shape).prefault({}) as unknown as z.ZodType<Values<S>, Partial<Values<S>> | undefined>;
}

/** The stored form: any section or field may be missing (it takes its default). */
export const intelligenceSettingsSchema = z.object({
  rfm: sectionSchema("rfm"),
  valueClass: sectionSchema("valueClass"),
  cadence: sectionSchema("cadence"),
  lifecycle: sectionSchema("lifecycle"),
  followUps: sectionSchema("followUps"),
});

function defaultsOf<S extends Section>(section: S): Values<S> {
  return Object.fromEntries(Object.entries(SETTING_BOUNDS[section]).map(([field, bound]) => [field, bound.default])) as Values<S>;
}

export const DEFAULT_INTELLIGENCE_SETTINGS: Readonly<IntelligenceSettings> = Object.freeze({
  rfm: Object.freeze(defaultsOf("rfm")),
  valueClass: Object.freeze(defaultsOf("valueClass")),
  cadence: Object.freeze(defaultsOf("cadence")),
  lifecycle: Object.freeze(defaultsOf("lifecycle")),
  followUps: Object.freeze(defaultsOf("followUps")),
});

export type IntelligenceSettingsErrors = Record<string, IntelText>;

/** Field errors that span fields, for settings whose every field is in range. */
export function crossFieldErrors(settings: IntelligenceSettings): IntelligenceSettingsErrors {
  const errors: IntelligenceSettingsErrors = {};
  const { valueClass, lifecycle } = settings;
  if (valueClass.keyPercent + valueClass.mainPercent > 100) {
    errors["valueClass.mainPercent"] = text("intel.errors.valueShares", { max: 100 - valueClass.keyPercent });
  }
  if (lifecycle.dormantFactor <= lifecycle.atRiskFactor) {
    errors["lifecycle.dormantFactor"] = text("intel.errors.dormantAfterAtRisk", { atRisk: lifecycle.atRiskFactor });
  }
  if (lifecycle.lostDays <= lifecycle.dormantDays) {
    errors["lifecycle.lostDays"] = text("intel.errors.lostAfterDormant", { dormant: lifecycle.dormantDays });
  }
  return errors;
}

export type SettingsResult = { ok: true; settings: IntelligenceSettings } | { ok: false; errors: IntelligenceSettingsErrors };

/**
 * Reads settings as stored or submitted (numbers; a form route converts its
 * strings first). Errors are keyed by field path (`lifecycle.honeymoonDays`).
 */
export function parseIntelligenceSettings(raw: unknown): SettingsResult {
  const parsed = intelligenceSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const errors: IntelligenceSettingsErrors = {};
    for (const issue of parsed.error.issues) {
      const [section, field] = issue.path as [string, string | undefined];
      const path = field === undefined ? String(section) : `${section}.${field}`;
      if (errors[path]) continue;
      const bound = field === undefined ? undefined : (SETTING_BOUNDS as Record<string, Record<string, Bound>>)[section]?.[field];
      const key: MessageKey = !bound ? "intel.errors.invalid" : bound.whole ? "intel.errors.wholeRange" : "intel.errors.range";
      errors[path] = bound ? text(key, { min: bound.min, max: bound.max }) : text(key);
    }
    return { ok: false, errors };
  }
  const settings = parsed.data as IntelligenceSettings;
  const errors = crossFieldErrors(settings);
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, settings };
}
