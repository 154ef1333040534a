/**
 * What the customer-intelligence modules share: days, and translatable text in
 * the house form (`{ key, vars }`, as `ProgramIssue` in ../tiers.ts).
 */
import type { MessageKey, MessageVars } from "~/i18n";

export const DAY_MS = 86_400_000;

/** A sentence for the admin, in the merchant's language: `translate(locale, key, vars)`. */
export interface IntelText {
  key: MessageKey;
  vars?: MessageVars;
}

export const text = (key: MessageKey, vars?: MessageVars): IntelText => (vars ? { key, vars } : { key });

/** Whole days from `from` to `to` (rounded down; negative when `to` is earlier). */
export function wholeDaysBetween(from: Date | number, to: Date | number): number {
  return Math.floor((+to - +from) / DAY_MS);
}

export function addDays(from: Date | number, days: number): Date {
  return new Date(+from + Math.round(days * DAY_MS));
}

/** Median of numbers sorted ascending (null when empty). */
export function sortedMedian(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Index of the first element of `sorted` (ascending) that is >= value. */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of `sorted` (ascending) that is > value. */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rounds to one decimal, as member facts store gaps. */
export const tenth = (value: number) => Math.round(value * 10) / 10;
