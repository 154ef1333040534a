/**
 * The few facts of a customer file worth knowing at the counter right now
 * (issue 21): a member of staff glancing at the POS while the customer stands
 * there reads two or three lines, not the file. Pure: the caller passes the
 * shop's local `today`.
 *
 * Order of importance, most useful in the conversation first:
 *  1. a birthday within BIRTHDAY_SOON_DAYS (say it, offer the birthday gift);
 *  2. "no promotions" (do not pitch offers to someone who said no);
 *  3. sizes (what to bring from the stock room);
 *  4. style and product preferences (what to show);
 *  5. how and when they like to be contacted;
 *  6. otherwise the heaviest missing field (what to ask now to complete the file).
 */
import { FIELD_WEIGHTS, FILE_FIELDS, isFilled, type ContactTime, type CustomerFileValues, type FileField, type PreferredChannel } from "./customer-file";
import { daysUntilBirthday } from "./follow-ups";

export const BIRTHDAY_SOON_DAYS = 14;
export const MAX_COUNTER_FACTS = 3;

export type CounterFact =
  | { kind: "birthdaySoon"; days: number }
  | { kind: "noPromotions" }
  | { kind: "sizes"; clothing: string | null; shoe: string | null }
  | { kind: "preferences"; style: string | null; products: string | null }
  | { kind: "contact"; channel: PreferredChannel | null; time: ContactTime | null }
  | { kind: "askFor"; field: FileField };

/** Up to MAX_COUNTER_FACTS facts, most important first (see above). */
export function counterFacts(values: CustomerFileValues, today: string): CounterFact[] {
  const facts: CounterFact[] = [];
  const days = values.birthday ? daysUntilBirthday(values.birthday, today) : null;
  if (days !== null && days <= BIRTHDAY_SOON_DAYS) facts.push({ kind: "birthdaySoon", days });
  if (values.acceptsPromotions === false) facts.push({ kind: "noPromotions" });
  if (values.clothingSize || values.shoeSize) facts.push({ kind: "sizes", clothing: values.clothingSize, shoe: values.shoeSize });
  if (values.stylePreferences || values.productPreferences) facts.push({ kind: "preferences", style: values.stylePreferences, products: values.productPreferences });
  if (values.preferredChannel || values.preferredContactTime) facts.push({ kind: "contact", channel: values.preferredChannel, time: values.preferredContactTime });
  if (facts.length < MAX_COUNTER_FACTS) {
    const missing = FILE_FIELDS.filter((field) => !isFilled(values, field)).sort((a, b) => FIELD_WEIGHTS[b] - FIELD_WEIGHTS[a] || FILE_FIELDS.indexOf(a) - FILE_FIELDS.indexOf(b));
    if (missing.length > 0) facts.push({ kind: "askFor", field: missing[0] });
  }
  return facts.slice(0, MAX_COUNTER_FACTS);
}
