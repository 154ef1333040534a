/**
 * Time zones with Intl only (no library), DST-correct: wall-clock parts of an
 * instant in a zone, and the instant a wall-clock time in a zone names. A
 * local time that does not exist (skipped when clocks go forward) is moved
 * forward by the gap (02:30 becomes 03:30); one that happens twice (clocks go
 * back) is the first of the two. Unknown zone names read as UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    } catch {
      formatter = null; // not a zone this runtime knows
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The customer's zone if it is a real one, else the shop's, else UTC. */
export function resolveTimeZone(customerZone: string | null, shopZone: string): string {
  if (customerZone && formatterFor(customerZone)) return customerZone;
  if (shopZone && formatterFor(shopZone)) return shopZone;
  return "UTC";
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock date and time of an instant in `timeZone`. */
export function localParts(at: number, timeZone: string): LocalParts {
  const formatter = formatterFor(timeZone) ?? formatterFor("UTC")!;
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(at)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at an instant, in ms (east positive). */
function offsetAt(at: number, timeZone: string): number {
  const local = localParts(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time in `timeZone` names. In the autumn's repeated
 * hour it is the first of the two; a time skipped in spring is moved forward
 * by the gap (02:30 becomes 03:30), as java.time does.
 */
export function zonedTimeToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Offsets before and after any transition near this wall time (none are within 14 h of each other).
  const before = offsetAt(wall - 14 * 3_600_000, timeZone);
  const after = offsetAt(wall + 14 * 3_600_000, timeZone);
  const candidates = [wall - before, wall - after].filter((instant, i) => offsetAt(instant, timeZone) === (i === 0 ? before : after)).sort((a, b) => a - b);
  return candidates.length > 0 ? candidates[0] : wall - before;
}

/** Minutes `timeZone` is ahead of UTC at `instant`. */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  return Math.round(offsetAt(instant.getTime(), timeZone) / 60_000);
}

/** The instant when it is `date` (YYYY-MM-DD) at `hour`:`minute` in `timeZone`. */
export function zonedInstant(date: string, hour: number, timeZone: string, minute = 0): Date {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(zonedTimeToUtc(year, month, day, hour, minute, timeZone));
}

/**
 * The first instant of a local calendar day in `timeZone`. Days and months
 * past their end roll over (day 32 of December is 1 January), so "the day
 * after" is `day + 1`. Where a zone skips midnight (Santiago's spring change is
 * at 00:00) it is the day's first instant, 01:00, never an instant of the day before.
 */
export function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  return new Date(zonedTimeToUtc(year, month, day, 0, 0, timeZone));
}

/** The first instant of the local calendar month `now` falls in, in `timeZone`. */
export function localMonthStart(now: Date, timeZone: string): Date {
  const { year, month } = localParts(now.getTime(), timeZone);
  return localMidnight(year, month, 1, timeZone);
}

/** The local hour (fractional, 0 <= h < 24) of `at` in `timeZone`. */
export function localHour(at: Date, timeZone: string): number {
  const local = localParts(at.getTime(), timeZone);
  return local.hour + local.minute / 60;
}

/** The local calendar date (YYYY-MM-DD, which sorts as dates do) of an instant in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const local = localParts(instant.getTime(), timeZone);
  return `${String(local.year).padStart(4, "0")}-${String(local.month).padStart(2, "0")}-${String(local.day).padStart(2, "0")}`;
}
