import { localDate } from "../local-time";

/**
 * When the nightly classification is due: once per calendar day in the shop's
 * time zone, from its first minute (stages move with the date, and RFM
 * recency counts whole days). Not due again the same local day, however often
 * a worker asks; not due when the clock reads earlier than the last run.
 */
export function classificationDue(lastClassifiedAt: Date | null, now: Date, timeZone: string): boolean {
  if (!lastClassifiedAt) return true;
  return localDate(now, timeZone) > localDate(lastClassifiedAt, timeZone);
}
