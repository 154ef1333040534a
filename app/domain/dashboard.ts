/**
 * The dashboard's trend (issue 7), pure: members in the lifecycle stages
 * "active" and "dormant" at the end of each of the last weeks, from the daily
 * snapshots the nightly classification leaves (IntelSnapshot). A week's point
 * is the latest snapshot on or before its last day and after the week before
 * ended; a week with none (before the app was installed, or a night the
 * classification did not run) has no point rather than an invented one.
 */
import { LIFECYCLE_STAGES, type LifecycleStage } from "./intelligence";

export type StageCounts = Partial<Record<LifecycleStage, number>>;

export interface StageSnapshot {
  day: string; // YYYY-MM-DD, the shop's local date
  stages: StageCounts;
}

export interface TrendPoint {
  /** The week's last day (YYYY-MM-DD). */
  weekEnding: string;
  active: number | null;
  dormant: number | null;
}

/** YYYY-MM-DD plus whole days, on the calendar (no time zone involved). */
export function shiftDay(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The first day the trend of `weeks` weeks ending on `today` reads. */
export function trendStart(today: string, weeks: number): string {
  return shiftDay(today, -7 * weeks + 1);
}

/** One point per week, oldest first, the last week ending `today`. */
export function weeklyTrend(snapshots: readonly StageSnapshot[], today: string, weeks = 12): TrendPoint[] {
  const sorted = [...snapshots].sort((a, b) => a.day.localeCompare(b.day));
  const points: TrendPoint[] = [];
  for (let w = weeks - 1; w >= 0; w--) {
    const weekEnding = shiftDay(today, -7 * w);
    const weekStart = shiftDay(weekEnding, -6);
    let latest: StageSnapshot | undefined;
    for (const snapshot of sorted) if (snapshot.day >= weekStart && snapshot.day <= weekEnding) latest = snapshot;
    points.push({ weekEnding, active: latest ? (latest.stages.active ?? 0) : null, dormant: latest ? (latest.stages.dormant ?? 0) : null });
  }
  return points;
}

/** Parses a stored snapshot's JSON, keeping only known stages with counts. */
export function parseStageCounts(json: string): StageCounts {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  const counts: StageCounts = {};
  if (value && typeof value === "object") {
    for (const stage of LIFECYCLE_STAGES) {
      const n = (value as Record<string, unknown>)[stage];
      if (typeof n === "number" && Number.isFinite(n) && n >= 0) counts[stage] = n;
    }
  }
  return counts;
}
