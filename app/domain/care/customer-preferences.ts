/**
 * What the customer file says about contacting this customer (issue 21), as
 * the contact policy reads it: the preferred channel, the preferred contact
 * time, whether promotions are welcome. Staff record these in conversation
 * (app/domain/customer-file.ts); until issue 21 they were only scored for
 * completeness. Pure: no I/O, no clock.
 *
 * - "No promotions" blocks every marketing message (campaigns, marketing flows
 *   and marketing steps) whatever Shopify's marketing consent says: consent is
 *   what the law requires, the file is what the customer told the shop.
 *   Transactional messages (about an order they placed, their membership) are
 *   not promotions and are unaffected.
 * - Preferred channel "phone" or "none": the customer asked to be contacted in
 *   person, or not by messages; an automated touch becomes a staff follow-up.
 * - Preferred channel email or SMS picks the channel of a message whose flow
 *   is set to "the customer's preferred channel"; a flow with one fixed
 *   channel keeps it. The preferred channel gives way to the flow's own when
 *   the message could not go on it (the shop has it off, no address on it,
 *   no consent on it for this message): the customer still hears from the shop.
 * - Preferred contact time narrows when a message goes: inside the customer's
 *   stated part of the day in their own zone, before (instead of) the learned
 *   active hours; quiet hours and caps still hold. A window quiet hours cover
 *   whole, or that cannot be reached before the message expires, gives way
 *   like the active hours do (the message goes when allowed; the log says so).
 */
import { CONTACT_TIMES, PREFERRED_CHANNELS, type ContactTime, type PreferredChannel } from "../customer-file";
import type { Channel } from "./types";

/** The three fields the policy reads; null: not recorded. */
export interface ContactPreferences {
  preferredChannel: PreferredChannel | null;
  preferredContactTime: ContactTime | null;
  acceptsPromotions: boolean | null;
}

export const NO_PREFERENCES: Readonly<ContactPreferences> = Object.freeze({ preferredChannel: null, preferredContactTime: null, acceptsPromotions: null });

/**
 * The local hours of each part of the day: morning 08:00–12:00, afternoon
 * 12:00–17:00, evening 17:00–21:00 (the default quiet hours, 21:00–09:00,
 * leave 09:00–12:00 of the morning). "any": no narrowing.
 */
export const CONTACT_TIME_WINDOWS: Readonly<Record<Exclude<ContactTime, "any">, { startHour: number; hours: number }>> = Object.freeze({
  morning: Object.freeze({ startHour: 8, hours: 4 }),
  afternoon: Object.freeze({ startHour: 12, hours: 5 }),
  evening: Object.freeze({ startHour: 17, hours: 4 }),
});

export function contactTimeWindow(time: ContactTime | null | undefined): { startHour: number; hours: number } | null {
  return time && time !== "any" ? CONTACT_TIME_WINDOWS[time] : null;
}

/** The customer asked to be contacted by staff (phone) or not by messages (none): the preference that hands a touch to staff. */
export function wantsPersonalContact(preferences: ContactPreferences | null | undefined): preferences is ContactPreferences & { preferredChannel: "phone" | "none" } {
  return preferences?.preferredChannel === "phone" || preferences?.preferredChannel === "none";
}

/** The preferred channel as a message channel, when it is one (email, SMS). */
export function preferredMessageChannel(preferences: ContactPreferences | null | undefined): Extract<Channel, "email" | "sms"> | null {
  return preferences?.preferredChannel === "email" || preferences?.preferredChannel === "sms" ? preferences.preferredChannel : null;
}

/** Reads stored values (CustomerFile columns), keeping only the known ones. */
export function readContactPreferences(row: { preferredChannel: string | null; preferredContactTime: string | null; acceptsPromotions: boolean | null } | null | undefined): ContactPreferences {
  if (!row) return NO_PREFERENCES;
  const channel = (PREFERRED_CHANNELS as readonly string[]).includes(row.preferredChannel ?? "") ? (row.preferredChannel as PreferredChannel) : null;
  const time = (CONTACT_TIMES as readonly string[]).includes(row.preferredContactTime ?? "") ? (row.preferredContactTime as ContactTime) : null;
  return { preferredChannel: channel, preferredContactTime: time, acceptsPromotions: row.acceptsPromotions ?? null };
}
