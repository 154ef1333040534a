/**
 * The daily follow-up list (issue 7): once per shop per local day, the
 * customers to contact and why (app/domain/follow-ups.ts) become tasks;
 * snoozed tasks whose date has come are open again. Staff assign, snooze and
 * complete them on the Follow-ups page, which shows as many a day as the team
 * can take (the dailyCapacity setting), most valuable first, and how many
 * more are waiting (issue 17).
 *
 * A task closes by itself when its reason is gone (closeGoneFollowUps), with
 * the reason recorded. Where that runs, and why:
 * - on the events that remove a reason, so nobody calls an "at risk" customer
 *   who ordered this morning or a customer whose parcel has just arrived:
 *   refreshMembers (app/services/projectors.server.ts) after each inbox batch,
 *   for the customers whose orders, facts and stage just changed; and the
 *   anomalies' resolution (app/services/anomalies.server.ts), on a delivery
 *   or when staff close a shipment's trouble; and a customer file saved on
 *   the member page (a thin file filled in);
 * - and in the daily generation, before anything is proposed, for the whole
 *   shop: the reasons nothing "happens" for go there (a birthday passes at
 *   midnight; the nightly classification moves value classes and stages),
 *   and it catches whatever an event path missed.
 * Both read the pending tasks (few: the list, not the 200,000 customers) and
 * the facts of their customers a chunk at a time, decide with the pure
 * closeReasonFor, and close each reason's tasks in one statement per chunk.
 */
import { completeness } from "~/domain/customer-file";
import { closeReasonFor, isOverdue, proposeFollowUps, type CloseReason, type FollowUpFacts, type FollowUpSettings, type OpenTaskFacts } from "~/domain/follow-ups";
import type { FollowUpListQuery } from "~/domain/list-query";
import { localDate } from "~/domain/local-time";
import { lastDeliveredResolutions } from "~/models/anomalies.server";
import { customerFilesOf } from "~/models/customer-file.server";
import {
  closedCountsByReason,
  closedFollowUps,
  closeFollowUps,
  createFollowUpTasks,
  customersForClosing,
  customersWithDeliveryProblem,
  customersWithPendingTask,
  followUpCustomers,
  followUpList,
  followUpListPage,
  lastCompletedFollowUps,
  pendingTasks,
  wakeSnoozedTasks,
} from "~/models/follow-ups.server";
import { getIntelligenceContext } from "~/models/intelligence.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";
import { getTierProgram } from "~/models/tiers.server";

const DAY_MS = 86_400_000;
/** The page's history: tasks that closed by themselves in the last week. */
const CLOSED_HISTORY_DAYS = 7;

export interface FollowUpGeneration {
  shop: string;
  today: string;
  woken: number;
  created: number;
  /** Tasks closed by themselves before the proposal, by why. */
  closed: Partial<Record<CloseReason, number>>;
}

interface FollowUpContext {
  timeZone: string;
  settings: FollowUpSettings;
}

/** The shop's time zone and follow-up settings (stored with the classification settings on the Settings page). */
async function followUpContext(shop: string): Promise<FollowUpContext> {
  const context = await getIntelligenceContext(shop);
  return { timeZone: context.timeZone, settings: context.settings.followUps };
}

/** Each customer's file completeness now, for these customers (a chunk at a time). */
async function completenessOf(shop: string, customerShopifyIds: string[], now: Date): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    for (const file of await customerFilesOf(shop, { customerShopifyIds: ids })) scores.set(file.customerShopifyId, completeness(file.values, file.confirmedAt, now).score);
  }
  return scores;
}

/**
 * Closes the pending tasks whose reason is gone (of the whole shop, or of
 * these customers), recording why; returns how many closed, by why. See the
 * header for where it runs.
 */
export async function closeGoneFollowUps(shop: string, now: Date, { customerShopifyIds, context }: { customerShopifyIds?: string[]; context?: FollowUpContext } = {}): Promise<Partial<Record<CloseReason, number>>> {
  if (customerShopifyIds?.length === 0) return {};
  const tasks = await pendingTasks(shop, customerShopifyIds);
  if (tasks.length === 0) return {};
  const { timeZone, settings } = context ?? (await followUpContext(shop));
  const today = localDate(now, timeZone);
  const customersOf = (reason: string) => [...new Set(tasks.filter((task) => task.reason === reason).map((task) => task.customerShopifyId))];
  const parcels = customersOf("deliveryProblem");
  const thin = customersOf("thinFile");
  const [customers, inTrouble, delivered, scores] = await Promise.all([
    customersForClosing(shop, tasks.map((task) => task.customerShopifyId)),
    parcels.length ? customersWithDeliveryProblem(shop) : Promise.resolve(new Set<string>()),
    parcels.length ? lastDeliveredResolutions(shop, parcels) : Promise.resolve(new Map<string, Date>()),
    thin.length ? completenessOf(shop, thin, now) : Promise.resolve(new Map<string, number>()),
  ]);
  const byReason = new Map<CloseReason, string[]>();
  for (const task of tasks) {
    const deliveredAt = delivered.get(task.customerShopifyId);
    const facts: OpenTaskFacts = {
      customer: customers.get(task.customerShopifyId) ?? null,
      shipmentInTrouble: inTrouble.has(task.customerShopifyId),
      deliveredSinceTask: deliveredAt !== undefined && deliveredAt >= task.createdAt,
      completeness: scores.get(task.customerShopifyId) ?? null,
    };
    const reason = closeReasonFor({ ...task, detail: JSON.parse(task.detail) as Record<string, unknown> }, facts, today, settings);
    if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), task.id]);
  }
  const closed: Partial<Record<CloseReason, number>> = {};
  for (const [reason, ids] of byReason) {
    const count = await closeFollowUps(shop, ids, reason, now);
    if (count) closed[reason] = count;
  }
  return closed;
}

/** The facts follow-ups are proposed from, for the customers any reason could hold for. */
async function followUpFacts(shop: string, now: Date, timeZone: string): Promise<FollowUpFacts[]> {
  const [problems, birthdays, lastDone] = await Promise.all([customersWithDeliveryProblem(shop), customerFilesOf(shop, { withBirthday: true }), lastCompletedFollowUps(shop)]);
  const customers = await followUpCustomers(shop, [...problems, ...birthdays.map((file) => file.customerShopifyId)]);
  const files = new Map<string, (typeof birthdays)[number]>();
  for (const ids of chunks(customers.map((row) => row.shopifyId), MAX_IN_LIST)) {
    for (const file of await customerFilesOf(shop, { customerShopifyIds: ids })) files.set(file.customerShopifyId, file);
  }
  return customers.map((row) => {
    const file = files.get(row.shopifyId);
    const done = lastDone.get(row.shopifyId);
    return {
      customerShopifyId: row.shopifyId,
      valueClass: row.valueClass,
      lifecycleStage: row.lifecycleStage,
      birthday: file?.values.birthday ?? null,
      deliveryProblem: problems.has(row.shopifyId),
      completeness: file ? completeness(file.values, file.confirmedAt, now).score : null,
      lastContactOn: done ? localDate(done, timeZone) : null,
      netSpentMinor: row.netSpentMinor,
    };
  });
}

/**
 * Today's generation for one shop (callers claim it first; tests and the CLI
 * may call it directly): snoozed tasks due back wake, tasks whose reason is
 * gone close, then every customer with a reason and no pending task gets one.
 * `settings` and `timeZone` default to the shop's own.
 */
export async function generateFollowUps(shop: string, now: Date, settings?: FollowUpSettings, timeZone?: string): Promise<FollowUpGeneration> {
  const stored = settings && timeZone ? null : await followUpContext(shop);
  const context = { timeZone: timeZone ?? stored!.timeZone, settings: settings ?? stored!.settings };
  const today = localDate(now, context.timeZone);
  const woken = await wakeSnoozedTasks(shop, today, now);
  const closed = await closeGoneFollowUps(shop, now, { context });
  const [facts, pendingCustomers] = await Promise.all([followUpFacts(shop, now, context.timeZone), customersWithPendingTask(shop)]);
  const created = await createFollowUpTasks(shop, proposeFollowUps(facts, { today, pendingCustomers, settings: context.settings }), now);
  return { shop, today, woken, created, closed };
}


/**
 * Today's follow-ups, the one definition every place that counts them reads
 * (the Follow-ups page, the Overview's card, the demo's summary):
 * - `tasks`: the day's list, the `capacity` most valuable tasks on it (the
 *   order is VALUE_CLASS_RANK's comment in app/domain/follow-ups.ts), each
 *   marked overdue or not in the shop's calendar;
 * - `open`: every task on the list today (open, or snoozed until today or
 *   before), whatever the capacity; `waiting` = open - tasks.length, the ones
 *   the team has not reached; `overdue`: of all open ones, those past due.
 */
export async function todaysFollowUps(shop: string, now: Date) {
  const [{ timeZone, settings }, program] = await Promise.all([followUpContext(shop), getTierProgram(shop)]);
  const today = localDate(now, timeZone);
  const tierRanks = new Map((program?.tiers ?? []).map((tier) => [tier.handle, tier.rank]));
  const list = await followUpList(shop, today, settings.dailyCapacity, tierRanks);
  return {
    today,
    capacity: settings.dailyCapacity,
    open: list.total,
    waiting: list.total - list.tasks.length,
    overdue: list.overdue,
    tasks: list.tasks.map((task) => ({ ...task, overdue: isOverdue(task, today) })),
  };
}

/** The page's history: tasks that closed by themselves in the last week, newest first, with why. */
export async function recentlyClosedFollowUps(shop: string, now: Date) {
  return { days: CLOSED_HISTORY_DAYS, ...(await closedFollowUps(shop, new Date(now.getTime() - CLOSED_HISTORY_DAYS * DAY_MS))) };
}

/**
 * How many follow-ups closed by themselves, by why (CLOSE_REASONS), since
 * `since` or ever: for summaries (the demo's) that say what the list did.
 */
export async function followUpClosures(shop: string, since?: Date): Promise<Partial<Record<CloseReason, number>>> {
  return closedCountsByReason(shop, since) as Promise<Partial<Record<CloseReason, number>>>;
}

export async function shopToday(shop: string, now: Date): Promise<string> {
  return localDate(now, (await followUpContext(shop)).timeZone);
}

/**
 * The Follow-ups page (issue 20): one page of the list as `query` asks, each
 * task marked overdue or not in the shop's calendar, the day's counts, and
 * the tier program's tiers (their names) for the rows. `me`: the staff member
 * looking (their user id).
 */
export async function followUpsPage(shop: string, query: FollowUpListQuery, now: Date, me: string | null) {
  const [{ timeZone, settings }, program] = await Promise.all([followUpContext(shop), getTierProgram(shop)]);
  const today = localDate(now, timeZone);
  const tierRanks = new Map((program?.tiers ?? []).map((tier) => [tier.handle, tier.rank]));
  const page = await followUpListPage(shop, query, { today, capacity: settings.dailyCapacity, tierRanks, me });
  return {
    today,
    timeZone,
    capacity: settings.dailyCapacity,
    tiers: (program?.tiers ?? []).map((tier) => ({ handle: tier.handle, name: tier.name })),
    total: page.total,
    counts: page.counts,
    rows: page.rows.map((row) => ({ ...row, overdue: isOverdue(row, today) })),
  };
}
