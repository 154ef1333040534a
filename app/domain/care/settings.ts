/**
 * The shop's care settings (issue 8): quiet hours, the frequency caps the
 * contact policy applies, the sender, which channels are on, the SMS number,
 * the shipment-anomaly thresholds and the default validity window. Stored as
 * JSON in Shop.careSettings, parsed with zod in the style of
 * ../intelligence/settings.ts: a missing field takes its default, a bad one is
 * a field error (`care.settings.errors.*`, 422 in the route), and nothing
 * invalid is ever used.
 *
 * Defaults, and why:
 * - quietHours 21:00 to 09:00 in the customer's zone: the issue's default; no
 *   message arrives at night. Equal start and end means no quiet hours.
 * - caps: one marketing message per 72 hours and four per 30 days (720 h), the
 *   issue's example; shared by every flow and campaign. Transactional messages
 *   (about an order the customer placed) are not capped unless
 *   capTransactional is set.
 * - channels: email on; SMS and Shopify Flow off until the merchant sets up a
 *   number or a Flow workflow.
 * - anomalies: in transit longer than 7 days at home or 21 abroad, no tracking
 *   update for 5 days, an untracked shipment counted delivered 7 days after
 *   fulfilment; the customer gets a "we are on it" note by default.
 * - validityDefaultDays 7: a message deferred for a week is no longer timely.
 * - messageCosts 0: what one sent email or SMS costs the shop, in its
 *   currency's minor units, for the Results page's costs and ROI (issue 9).
 *   Email through the app's SMTP costs nothing extra; an SMS price depends on
 *   the merchant's provider and country, so only the merchant can say it.
 */
import { z } from "zod";
import type { MessageKey, MessageVars } from "~/i18n";
import { cleanDisplayName, sameAddress } from "./sender";

interface Bound {
  min: number;
  max: number;
  default: number;
}
const whole = (min: number, max: number, def: number): Bound => ({ min, max, default: def });

/** Every numeric setting with its range and default: the schema and the field errors are built from this table. */
export const CARE_SETTING_BOUNDS = {
  cap: { messages: whole(1, 100, 1), hours: whole(1, 24 * 90, 72) },
  anomalies: {
    domesticTransitDays: whole(1, 90, 7),
    internationalTransitDays: whole(1, 120, 21),
    noUpdateDays: whole(1, 60, 5),
    untrackedDeliveryDays: whole(1, 60, 7),
  },
  validityDefaultDays: whole(1, 365, 7),
  /** Minor units per message; 100,000 (1,000.00) is far above any real price, so a larger figure is a typo. */
  messageCost: whole(0, 100_000, 0),
} as const;

/** At most this many caps: a merchant needs a short and a long window, rarely more. */
export const MAX_CAPS = 5;

export interface FrequencyCap {
  /** At most this many marketing messages ... */
  messages: number;
  /** ... in any window of this many hours. */
  hours: number;
}

export interface CareSettings {
  /** Local wall-clock times (HH:MM, 24 h) in the customer's zone; may wrap midnight; equal means none. */
  quietHours: { start: string; end: string };
  caps: FrequencyCap[];
  /** Count transactional messages against the caps too (off: only marketing is capped). */
  capTransactional: boolean;
  /** Null fromName: the shop's name; null fromEmail: the app's address. A fromEmail is the From only once confirmed (./sender.ts), until then the Reply-To. */
  sender: { fromName: string | null; fromEmail: string | null; replyTo: string | null };
  channels: { email: boolean; sms: boolean; flow: boolean };
  sms: { fromNumber: string | null };
  anomalies: { domesticTransitDays: number; internationalTransitDays: number; noUpdateDays: number; untrackedDeliveryDays: number; notifyCustomer: boolean };
  /** How long a planned message stays valid when its flow does not say. */
  validityDefaultDays: number;
  /** Price of one sent message per channel, shop currency minor units (Flow: the merchant's workflow, nothing of ours). */
  messageCosts: { email: number; sms: number };
}

export const DEFAULT_CARE_SETTINGS: Readonly<CareSettings> = Object.freeze({
  quietHours: Object.freeze({ start: "21:00", end: "09:00" }),
  caps: Object.freeze([Object.freeze({ messages: 1, hours: 72 }), Object.freeze({ messages: 4, hours: 720 })]) as unknown as FrequencyCap[],
  capTransactional: false,
  sender: Object.freeze({ fromName: null, fromEmail: null, replyTo: null }),
  channels: Object.freeze({ email: true, sms: false, flow: false }),
  sms: Object.freeze({ fromNumber: null }),
  anomalies: Object.freeze({
    domesticTransitDays: CARE_SETTING_BOUNDS.anomalies.domesticTransitDays.default,
    internationalTransitDays: CARE_SETTING_BOUNDS.anomalies.internationalTransitDays.default,
    noUpdateDays: CARE_SETTING_BOUNDS.anomalies.noUpdateDays.default,
    untrackedDeliveryDays: CARE_SETTING_BOUNDS.anomalies.untrackedDeliveryDays.default,
    notifyCustomer: true,
  }),
  validityDefaultDays: CARE_SETTING_BOUNDS.validityDefaultDays.default,
  messageCosts: Object.freeze({ email: CARE_SETTING_BOUNDS.messageCost.default, sms: CARE_SETTING_BOUNDS.messageCost.default }),
}) as Readonly<CareSettings>;

/** A field error in the merchant's language: `translate(locale, key, vars)` (as IntelText). */
export interface CareText {
  key: MessageKey;
  vars?: MessageVars;
}
export type CareSettingsErrors = Record<string, CareText>;
export type CareSettingsResult = { ok: true; settings: CareSettings } | { ok: false; errors: CareSettingsErrors };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** E.164: a plus, a country code not starting with 0, 7 to 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

const bounded = (bound: Bound) => z.number().int().min(bound.min).max(bound.max).default(bound.default);
/** Empty text (a cleared form field) means "not set". */
const optionalText = (inner: z.ZodType<string>) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? null : typeof value === "string" ? value.trim() : value), inner.nullable().default(null));

const capSchema = z.object({ messages: bounded(CARE_SETTING_BOUNDS.cap.messages), hours: bounded(CARE_SETTING_BOUNDS.cap.hours) });

/** The stored or submitted form: any section or field may be missing (it takes its default). */
export const careSettingsSchema = z.object({
  quietHours: z
    .object({ start: z.string().regex(TIME).default(DEFAULT_CARE_SETTINGS.quietHours.start), end: z.string().regex(TIME).default(DEFAULT_CARE_SETTINGS.quietHours.end) })
    .prefault({}),
  caps: z.array(capSchema).max(MAX_CAPS).default(DEFAULT_CARE_SETTINGS.caps.map((cap) => ({ ...cap }))),
  capTransactional: z.boolean().default(false),
  sender: z
    .object({
      // A name that carries an address ("PayPal <security@paypal.com>") would show readers an address nobody confirmed.
      fromName: optionalText(z.string().max(100).refine((name) => !/[<>@\p{Cc}]/u.test(name), { params: { reason: "address" } })),
      fromEmail: optionalText(z.email()),
      replyTo: optionalText(z.email()),
    })
    .prefault({}),
  channels: z.object({ email: z.boolean().default(true), sms: z.boolean().default(false), flow: z.boolean().default(false) }).prefault({}),
  sms: z.object({ fromNumber: optionalText(z.string().regex(E164)) }).prefault({}),
  anomalies: z
    .object({
      domesticTransitDays: bounded(CARE_SETTING_BOUNDS.anomalies.domesticTransitDays),
      internationalTransitDays: bounded(CARE_SETTING_BOUNDS.anomalies.internationalTransitDays),
      noUpdateDays: bounded(CARE_SETTING_BOUNDS.anomalies.noUpdateDays),
      untrackedDeliveryDays: bounded(CARE_SETTING_BOUNDS.anomalies.untrackedDeliveryDays),
      notifyCustomer: z.boolean().default(true),
    })
    .prefault({}),
  validityDefaultDays: bounded(CARE_SETTING_BOUNDS.validityDefaultDays),
  messageCosts: z.object({ email: bounded(CARE_SETTING_BOUNDS.messageCost), sms: bounded(CARE_SETTING_BOUNDS.messageCost) }).prefault({}),
});

const text = (key: MessageKey, vars?: MessageVars): CareText => (vars ? { key, vars } : { key });

/** The error for a path zod refused, from the field it names. */
function fieldError(path: PropertyKey[], code: string): CareText {
  const [section, second, third] = path.map(String);
  const range = (bound: Bound) => text("care.settings.errors.wholeRange", { min: bound.min, max: bound.max });
  switch (section) {
    case "quietHours":
      return second === undefined ? text("care.settings.errors.invalid") : text("care.settings.errors.time");
    case "caps":
      if (second === undefined) return code === "too_big" ? text("care.settings.errors.tooManyCaps", { max: MAX_CAPS }) : text("care.settings.errors.invalid");
      if (third === "messages") return range(CARE_SETTING_BOUNDS.cap.messages);
      if (third === "hours") return range(CARE_SETTING_BOUNDS.cap.hours);
      return text("care.settings.errors.invalid");
    case "sender":
      if (second === "fromEmail" || second === "replyTo") return text("care.settings.errors.email");
      if (second === "fromName") return code === "custom" ? text("care.settings.errors.fromNameAddress") : text("care.settings.errors.fromName", { max: 100 });
      return text("care.settings.errors.invalid");
    case "sms":
      return second === "fromNumber" ? text("care.settings.errors.phone") : text("care.settings.errors.invalid");
    case "anomalies": {
      const bound = (CARE_SETTING_BOUNDS.anomalies as Record<string, Bound>)[second ?? ""];
      return bound ? range(bound) : text("care.settings.errors.invalid");
    }
    case "validityDefaultDays":
      return range(CARE_SETTING_BOUNDS.validityDefaultDays);
    case "messageCosts":
      return second === "email" || second === "sms" ? range(CARE_SETTING_BOUNDS.messageCost) : text("care.settings.errors.invalid");
    default:
      return text("care.settings.errors.invalid");
  }
}

/** Errors that span fields, for settings whose every field is valid on its own. */
export function crossFieldErrors(settings: CareSettings): CareSettingsErrors {
  const errors: CareSettingsErrors = {};
  // An SMS channel with no number to send from would block every SMS.
  if (settings.channels.sms && !settings.sms.fromNumber) errors["sms.fromNumber"] = text("care.settings.errors.smsNumberNeeded");
  // Two caps over the same window: one of them is meaningless, and likely a typo.
  const sorted = settings.caps.map((cap, index) => ({ ...cap, index })).sort((a, b) => a.hours - b.hours);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].hours === sorted[i - 1].hours) errors[`caps.${sorted[i].index}.hours`] = text("care.settings.errors.capSameWindow");
  }
  if (settings.anomalies.internationalTransitDays < settings.anomalies.domesticTransitDays) {
    errors["anomalies.internationalTransitDays"] = text("care.settings.errors.internationalShorter", { domestic: settings.anomalies.domesticTransitDays });
  }
  return errors;
}

/**
 * Reads settings as stored or submitted (numbers and booleans; a form route
 * converts its strings first). Errors are keyed by field path
 * (`quietHours.start`, `caps.1.hours`, `sender.fromEmail`).
 */
export function validateCareSettings(input: unknown): CareSettingsResult {
  const parsed = careSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const errors: CareSettingsErrors = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".") || "settings";
      if (!errors[path]) errors[path] = fieldError(issue.path, issue.code);
    }
    return { ok: false, errors };
  }
  const settings = parsed.data as CareSettings;
  const errors = crossFieldErrors(settings);
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, settings };
}

/** The name Shop.careSettings' comment gives the reader of stored settings. */
export const parseCareSettings = validateCareSettings;

/** Minutes after local midnight of an HH:MM time. */
export function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(":").map(Number);
  return hours * 60 + minutes;
}

/**
 * The sender a message goes out with (issue 18, ./sender.ts): From the
 * merchant's own address only when it is the address a followed link
 * confirmed, else the app's address; the display name is the sender name or
 * the shop's, cleaned so it can carry no header; Reply-To the merchant's
 * reply address, else the address they asked to send from (confirmed or
 * not: replies should reach the shop, not the app).
 */
export function resolveSender(
  settings: CareSettings,
  shopName: string,
  appFromEmail: string,
  confirmedFromEmail: string | null,
): { fromName: string; fromEmail: string; replyTo: string | null; smsFrom: string | null } {
  const own = settings.sender.fromEmail;
  const confirmed = own !== null && sameAddress(own, confirmedFromEmail);
  return {
    fromName: cleanDisplayName(settings.sender.fromName ?? shopName, cleanDisplayName(shopName, "MemberCare")),
    fromEmail: confirmed ? own : appFromEmail,
    replyTo: settings.sender.replyTo ?? own,
    smsFrom: settings.sms.fromNumber,
  };
}
