/**
 * Staff follow-ups (issue 7), pure: from what the app knows of each customer
 * (value class, lifecycle stage, birthday, a delivery problem, how complete
 * their file is, when staff last contacted them) the day's list of whom to
 * contact and why. Dates are the shop's local calendar days as YYYY-MM-DD
 * strings (they sort as dates do); callers pass `today`.
 */

/** Why to contact someone, in priority order. */
export const FOLLOW_UP_REASONS = ["deliveryProblem", "highValueAtRisk", "keyCustomerTouch", "birthday", "thinFile"] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];

/** 1 high, 2 normal, 3 low. */
export const REASON_PRIORITY: Readonly<Record<FollowUpReason, 1 | 2 | 3>> = Object.freeze({
  deliveryProblem: 1,
  highValueAtRisk: 1,
  keyCustomerTouch: 2,
  birthday: 2,
  thinFile: 3,
});

export const FOLLOW_UP_OUTCOMES = ["reached", "noAnswer", "declined", "resolved", "notNeeded"] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
export const TASK_STATUSES = ["open", "snoozed", "done"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface FollowUpSettings {
  /** A key customer gets a personal touch when not contacted for this many days. */
  keyTouchDays: number;
  /** Birthdays this many days ahead (and today) are proposed. */
  birthdayLeadDays: number;
  /** After a completed task a customer is not proposed again for this many days. */
  cooldownDays: number;
  /** A valuable customer's file under this completeness is "thin". */
  thinFileBelow: number;
  /** At most this many new tasks a day, highest priority first. */
  dailyLimit: number;
}

export const DEFAULT_FOLLOW_UP_SETTINGS: Readonly<FollowUpSettings> = Object.freeze({
  keyTouchDays: 30,
  birthdayLeadDays: 7,
  cooldownDays: 14,
  thinFileBelow: 50,
  dailyLimit: 50,
});

export interface FollowUpFacts {
  customerShopifyId: string;
  valueClass: string | null; // key, main, regular
  lifecycleStage: string | null; // LIFECYCLE_STAGES
  birthday: string | null; // MM-DD or YYYY-MM-DD
  deliveryProblem: boolean;
  completeness: number | null; // null: no file yet
  lastContactOn: string | null; // local date of the last completed follow-up
  netSpentMinor: number;
}

export interface FollowUpCandidate {
  customerShopifyId: string;
  reason: FollowUpReason;
  priority: 1 | 2 | 3;
  dueOn: string;
  /** The other reasons that held for this customer today. */
  alsoReasons: FollowUpReason[];
  detail: Record<string, string | number>;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

export function addLocalDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both local dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round(dayNumber(to) - dayNumber(from));
}

/** Days from `today` to the next birthday (0: today); 29 February is kept on 28 February in other years. */
export function daysUntilBirthday(birthday: string, today: string): number | null {
  const match = /(\d{2})-(\d{2})$/.exec(birthday);
  if (!match) return null;
  const [month, day] = [Number(match[1]), Number(match[2])];
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    const last = new Date(Date.UTC(y, month, 0)).getUTCDate();
    const date = `${y}-${String(month).padStart(2, "0")}-${String(Math.min(day, last)).padStart(2, "0")}`;
    const days = daysBetween(today, date);
    if (days >= 0) return days;
  }
  return null;
}

const VALUABLE = new Set(["key", "main"]);
const AT_RISK = new Set(["atRisk", "dormant"]);

/** Every reason that holds for one customer today, highest priority first. */
export function reasonsFor(facts: FollowUpFacts, today: string, settings: FollowUpSettings = DEFAULT_FOLLOW_UP_SETTINGS): Array<{ reason: FollowUpReason; detail: Record<string, string | number> }> {
  const found: Array<{ reason: FollowUpReason; detail: Record<string, string | number> }> = [];
  const valuable = facts.valueClass !== null && VALUABLE.has(facts.valueClass);
  if (facts.deliveryProblem) found.push({ reason: "deliveryProblem", detail: {} });
  if (valuable && facts.lifecycleStage !== null && AT_RISK.has(facts.lifecycleStage)) found.push({ reason: "highValueAtRisk", detail: { stage: facts.lifecycleStage } });
  if (facts.valueClass === "key" && (facts.lastContactOn === null || daysBetween(facts.lastContactOn, today) >= settings.keyTouchDays)) {
    found.push({ reason: "keyCustomerTouch", detail: facts.lastContactOn ? { lastContactOn: facts.lastContactOn } : {} });
  }
  if (facts.birthday) {
    const inDays = daysUntilBirthday(facts.birthday, today);
    if (inDays !== null && inDays <= settings.birthdayLeadDays) found.push({ reason: "birthday", detail: { inDays, on: addLocalDays(today, inDays) } });
  }
  if (valuable && (facts.completeness ?? 0) < settings.thinFileBelow) found.push({ reason: "thinFile", detail: { completeness: facts.completeness ?? 0 } });
  return found.sort((a, b) => REASON_PRIORITY[a.reason] - REASON_PRIORITY[b.reason] || FOLLOW_UP_REASONS.indexOf(a.reason) - FOLLOW_UP_REASONS.indexOf(b.reason));
}

/**
 * Today's new follow-ups: one per customer (the highest-priority reason, the
 * others named), none for a customer who already has an open or snoozed task,
 * none within `cooldownDays` of their last completed one; highest priority
 * first, then the bigger spender, at most `dailyLimit`.
 */
export function proposeFollowUps(
  customers: Iterable<FollowUpFacts>,
  { today, pendingCustomers, settings = DEFAULT_FOLLOW_UP_SETTINGS }: { today: string; pendingCustomers: ReadonlySet<string>; settings?: FollowUpSettings },
): FollowUpCandidate[] {
  const picked: Array<FollowUpCandidate & { spend: number }> = [];
  for (const facts of customers) {
    if (pendingCustomers.has(facts.customerShopifyId)) continue;
    if (facts.lastContactOn !== null && daysBetween(facts.lastContactOn, today) < settings.cooldownDays) continue;
    const [first, ...rest] = reasonsFor(facts, today, settings);
    if (!first) continue;
    picked.push({
      customerShopifyId: facts.customerShopifyId,
      reason: first.reason,
      priority: REASON_PRIORITY[first.reason],
      dueOn: today,
      alsoReasons: rest.map((other) => other.reason),
      detail: first.detail,
      spend: facts.netSpentMinor,
    });
  }
  picked.sort((a, b) => a.priority - b.priority || b.spend - a.spend || (a.customerShopifyId < b.customerShopifyId ? -1 : 1));
  return picked.slice(0, settings.dailyLimit).map(({ spend: _spend, ...candidate }) => candidate);
}

/** A task not done whose due date has passed. */
export function isOverdue(task: { status: string; dueOn: string }, today: string): boolean {
  return task.status !== "done" && task.dueOn < today;
}

/** A snoozed task is back on the list from its snooze date on. */
export function isOnList(task: { status: string; snoozedUntil: string | null }, today: string): boolean {
  if (task.status === "open") return true;
  return task.status === "snoozed" && task.snoozedUntil !== null && task.snoozedUntil <= today;
}
