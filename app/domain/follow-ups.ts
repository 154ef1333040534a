/**
 * Staff follow-ups (issue 7), pure: from what the app knows of each customer
 * (value class, lifecycle stage, birthday, a delivery problem, how complete
 * their file is, when staff last contacted them) the day's list of whom to
 * contact and why. Dates are the shop's local calendar days as YYYY-MM-DD
 * strings (they sort as dates do); callers pass `today`.
 */
import { DEFAULT_INTELLIGENCE_SETTINGS, type FollowUpListSettings } from "./intelligence/settings";

/** Why to contact someone, in priority order. */
export const FOLLOW_UP_REASONS = ["deliveryProblem", "highValueAtRisk", "keyCustomerTouch", "birthday", "thinFile", "personalContact"] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];

/** 1 high, 2 normal, 3 low. */
export const REASON_PRIORITY: Readonly<Record<FollowUpReason, 1 | 2 | 3>> = Object.freeze({
  deliveryProblem: 1,
  highValueAtRisk: 1,
  keyCustomerTouch: 2,
  birthday: 2,
  thinFile: 3,
  personalContact: 2,
});

export const FOLLOW_UP_OUTCOMES = ["reached", "noAnswer", "declined", "resolved", "notNeeded"] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
/** open and snoozed are pending; done: staff completed it; closed: it closed by itself when its reason went away. */
export const TASK_STATUSES = ["open", "snoozed", "done", "closed"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const PENDING_STATUSES = ["open", "snoozed"] as const;

/**
 * Why a task closed by itself (FollowUpTask.closedReason), one per way its
 * reason can go away; shown in the list's history as `followUps.closed.*`.
 */
export const CLOSE_REASONS = [
  "reordered", // highValueAtRisk: the customer ordered after the task was made
  "noLongerAtRisk", // highValueAtRisk: back to buying as usual (stage new, honeymoon or active) without an order after the task
  "delivered", // deliveryProblem: the parcel in trouble arrived
  "shipmentResolved", // deliveryProblem: staff closed the shipment's trouble on the Anomalies page
  "birthdayPassed", // birthday: the day has gone
  "noLongerKey", // keyCustomerTouch: no longer a key customer
  "fileCompleted", // thinFile: the customer file is now complete enough
  "noLongerValuable", // highValueAtRisk, thinFile: no longer key or main
  "customerGone", // any: the customer was deleted in Shopify
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/**
 * The follow-up settings live with the classification thresholds they build
 * on (the Settings page, app/domain/intelligence/settings.ts: ranges,
 * defaults and field errors in one table):
 * - keyTouchDays: a key customer gets a personal touch when not contacted for this many days;
 * - birthdayLeadDays: birthdays this many days ahead (and today) are proposed;
 * - cooldownDays: after a completed task a customer is not proposed again for this many days;
 * - thinFileBelow: a valuable customer's file under this completeness is "thin";
 * - dailyCapacity: how many follow-ups the team can take a day. Today's list
 *   shows this many, most valuable first (VALUE_CLASS_RANK below), and says
 *   how many more are waiting. It limits what is shown, never what is made:
 *   every customer with a reason has a task, so the waiting count is the truth.
 */
export type FollowUpSettings = FollowUpListSettings;
export const DEFAULT_FOLLOW_UP_SETTINGS: Readonly<FollowUpSettings> = DEFAULT_INTELLIGENCE_SETTINGS.followUps;

/**
 * When each kind of task is due, counted from the day it is made: the day it
 * is for, not the day it was noticed (a task due the day it is made was
 * overdue from its second day, whatever it was for). A parcel in trouble is
 * for today and tomorrow (the customer has already had the automatic "we are
 * on it" note); a valuable customer slipping away, within three days (they are
 * at risk, not lost yet); a key customer's personal touch and a thin file
 * have no day of their own: a week and a fortnight, the next natural
 * occasion. A birthday is due on the birthday itself. A personal contact
 * (issue 21: the customer file asks for a call, or for no messages, so the
 * dispatcher handed an automated touch to staff) within two days: the
 * message it replaces was due that day.
 */
export const DUE_WITHIN_DAYS: Readonly<Record<Exclude<FollowUpReason, "birthday">, number>> = Object.freeze({
  deliveryProblem: 1,
  highValueAtRisk: 3,
  keyCustomerTouch: 7,
  thinFile: 14,
  personalContact: 2,
});

/** The local day a task made on `today` for `reason` is due (a birthday task: the birthday, `detail.on`). */
export function dueOnFor(reason: FollowUpReason, today: string, detail: Record<string, string | number> = {}): string {
  if (reason === "birthday") return typeof detail.on === "string" ? detail.on : today;
  return addLocalDays(today, DUE_WITHIN_DAYS[reason]);
}

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
/** Stages of a customer buying as usual again (LIFECYCLE_STAGES). */
const RECOVERED = new Set(["new", "honeymoon", "active"]);

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
 * first, then the bigger spender. All of them: how many the team sees a day
 * is `dailyCapacity`, applied to the list (the rest are counted as waiting),
 * not here, where a cut would leave customers with a reason and no task.
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
      dueOn: dueOnFor(first.reason, today, first.detail),
      alsoReasons: rest.map((other) => other.reason),
      detail: first.detail,
      spend: facts.netSpentMinor,
    });
  }
  picked.sort((a, b) => a.priority - b.priority || b.spend - a.spend || (a.customerShopifyId < b.customerShopifyId ? -1 : 1));
  return picked.map(({ spend: _spend, ...candidate }) => candidate);
}

/** A pending task whose due date has passed (due today is not overdue). */
export function isOverdue(task: { status: string; dueOn: string }, today: string): boolean {
  return (PENDING_STATUSES as readonly string[]).includes(task.status) && task.dueOn < today;
}

/**
 * "Most valuable first", the order of today's list (and so which tasks the
 * day's capacity takes): the reason's weight first (priority: a parcel in
 * trouble or a valuable customer slipping away, then a key customer's touch
 * or a birthday, then a thin file), then the customer's value class (key,
 * main, regular, unclassified), then their tier (highest first), then their
 * net spend (largest first); among equals the earliest due, then the oldest.
 * The model implements it in SQL (a list of 200,000 customers' tasks is not
 * sorted in memory); these ranks are its CASE values.
 */
export const VALUE_CLASS_RANK: Readonly<Record<string, number>> = Object.freeze({ key: 0, main: 1, regular: 2 });
export const UNCLASSIFIED_RANK = 3;

/** What is known, at closing time, about a pending task's customer and reason. */
export interface OpenTaskFacts {
  /** null: no live customer (deleted in Shopify, or never known). */
  customer: { valueClass: string | null; lifecycleStage: string | null; lastOrderAt: Date | null } | null;
  /** The customer has a shipment with an open anomaly now. */
  shipmentInTrouble: boolean;
  /** One of the customer's anomalies was resolved by a delivery since the task was made. */
  deliveredSinceTask: boolean;
  /** The file's completeness score now (null: no file). */
  completeness: number | null;
}

/**
 * Why a pending task's reason is gone, or null while it holds. The same tests
 * the proposal made (reasonsFor), asked again of the task's own reason: a task
 * never outlives what made it, and never closes while that still holds.
 */
export function closeReasonFor(
  task: { reason: string; createdAt: Date; dueOn: string; detail: Record<string, unknown> },
  facts: OpenTaskFacts,
  today: string,
  settings: FollowUpSettings = DEFAULT_FOLLOW_UP_SETTINGS,
): CloseReason | null {
  const customer = facts.customer;
  if (customer === null) return "customerGone";
  const valuable = customer.valueClass !== null && VALUABLE.has(customer.valueClass);
  switch (task.reason) {
    case "deliveryProblem":
      if (facts.shipmentInTrouble) return null;
      return facts.deliveredSinceTask ? "delivered" : "shipmentResolved";
    case "highValueAtRisk":
      // An order after the task was made answers "will they come back?" first.
      if (customer.lastOrderAt !== null && customer.lastOrderAt > task.createdAt) return "reordered";
      if (!valuable) return "noLongerValuable";
      // Back to buying as usual closes it; slipping further (dormant, lost) does not: the call is more needed, not less.
      return customer.lifecycleStage !== null && RECOVERED.has(customer.lifecycleStage) ? "noLongerAtRisk" : null;
    case "keyCustomerTouch":
      return customer.valueClass === "key" ? null : "noLongerKey";
    case "birthday": {
      // Tasks made before due dates followed the birthday were due the day they were made: `on` is the birthday.
      const on = typeof task.detail.on === "string" ? task.detail.on : task.dueOn;
      return on < today ? "birthdayPassed" : null;
    }
    case "thinFile":
      if (!valuable) return "noLongerValuable";
      return (facts.completeness ?? 0) >= settings.thinFileBelow ? "fileCompleted" : null;
    // personalContact: the touch it replaces stays owed until staff record the outcome.
    default:
      return null;
  }
}

/** A snoozed task is back on the list from its snooze date on. */
export function isOnList(task: { status: string; snoozedUntil: string | null }, today: string): boolean {
  if (task.status === "open") return true;
  return task.status === "snoozed" && task.snoozedUntil !== null && task.snoozedUntil <= today;
}
