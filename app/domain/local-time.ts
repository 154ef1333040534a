/**
 * Local wall-clock times to UTC instants, DST-correct, with Intl only. A
 * local time that does not exist (the hour skipped when clocks go forward)
 * comes out as the instant one hour later; one that happens twice (clocks go
 * back) as the first of the two.
 */

/** Minutes `timeZone` is ahead of UTC at `instant`. */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant when it is `date` (YYYY-MM-DD) at `hour`:`minute` in `timeZone`. */
export function zonedInstant(date: string, hour: number, timeZone: string, minute = 0): Date {
  const [year, month, day] = date.split("-").map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Two passes: the offset at the first guess can differ from the offset at the answer across a DST change.
  const first = wall - zoneOffsetMinutes(new Date(wall), timeZone) * 60_000;
  const second = wall - zoneOffsetMinutes(new Date(first), timeZone) * 60_000;
  if (second === first) return new Date(first);
  // Clocks changed between the guesses: of the two candidates take the one that reads back as the wall time, else the later (a skipped hour).
  const readsBack = (candidate: number) => candidate + zoneOffsetMinutes(new Date(candidate), timeZone) * 60_000 === wall;
  if (readsBack(Math.min(first, second))) return new Date(Math.min(first, second));
  if (readsBack(Math.max(first, second))) return new Date(Math.max(first, second));
  return new Date(Math.max(first, second));
}
