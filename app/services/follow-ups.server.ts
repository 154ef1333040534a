/**
 * The daily follow-up list (issue 7): once per shop per local day, the
 * customers to contact and why (app/domain/follow-ups.ts) become tasks;
 * snoozed tasks whose date has come are open again. Staff assign, snooze and
 * complete them on the Follow-ups page.
 */
import { completeness } from "~/domain/customer-file";
import { DEFAULT_FOLLOW_UP_SETTINGS, isOverdue, proposeFollowUps, type FollowUpFacts, type FollowUpSettings } from "~/domain/follow-ups";
import { localDate } from "~/domain/local-time";
import { customerFilesOf } from "~/models/customer-file.server";
import {
  claimFollowUpRun,
  createFollowUpTasks,
  customersWithDeliveryProblem,
  customersWithPendingTask,
  followUpCustomers,
  followUpList,
  lastCompletedFollowUps,
  listShopsForFollowUps,
  wakeSnoozedTasks,
} from "~/models/follow-ups.server";
import { getShop } from "~/models/shops.server";
import { startSweeper, type SweeperOptions } from "./sweeper.server";

export interface FollowUpGeneration {
  shop: string;
  today: string;
  woken: number;
  created: number;
}

async function shopTimeZone(shop: string): Promise<string> {
  return (await getShop(shop))?.ianaTimezone ?? "UTC";
}

/** The facts follow-ups are proposed from, for the customers any reason could hold for. */
async function followUpFacts(shop: string, now: Date, timeZone: string): Promise<FollowUpFacts[]> {
  const [problems, birthdays, lastDone] = await Promise.all([customersWithDeliveryProblem(shop), customerFilesOf(shop, { withBirthday: true }), lastCompletedFollowUps(shop)]);
  const customers = await followUpCustomers(shop, [...problems, ...birthdays.map((file) => file.customerShopifyId)]);
  const files = new Map((await customerFilesOf(shop, { customerShopifyIds: customers.map((row) => row.shopifyId) })).map((file) => [file.customerShopifyId, file]));
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

/** Today's generation for one shop (callers claim it first; tests and the CLI may call it directly). */
export async function generateFollowUps(shop: string, now: Date, settings: FollowUpSettings = DEFAULT_FOLLOW_UP_SETTINGS, timeZone?: string): Promise<FollowUpGeneration> {
  const zone = timeZone ?? (await shopTimeZone(shop));
  const today = localDate(now, zone);
  const woken = await wakeSnoozedTasks(shop, today, now);
  const [facts, pendingCustomers] = await Promise.all([followUpFacts(shop, now, zone), customersWithPendingTask(shop)]);
  const created = await createFollowUpTasks(shop, proposeFollowUps(facts, { today, pendingCustomers, settings }), now);
  return { shop, today, woken, created };
}

/** Generates for every installed shop not yet generated on its local today; one worker per shop and day by a claim. */
export async function generateDueFollowUps(now: Date): Promise<FollowUpGeneration[]> {
  const done: FollowUpGeneration[] = [];
  for (const { shop, timeZone } of await listShopsForFollowUps()) {
    if (await claimFollowUpRun(shop, localDate(now, timeZone), now)) done.push(await generateFollowUps(shop, now, DEFAULT_FOLLOW_UP_SETTINGS, timeZone));
  }
  return done;
}

/** Looks for shops due their daily list every `intervalMs` (as the tier sweeper does). */
export function startFollowUpSweeper({ clock, intervalMs = 15 * 60_000, log }: SweeperOptions) {
  return startSweeper("follow-ups", intervalMs, () => generateDueFollowUps(clock.now()), log);
}

/** The Follow-ups page: today's tasks, each marked overdue or not, in the shop's calendar. */
export async function todaysFollowUps(shop: string, now: Date) {
  const today = localDate(now, await shopTimeZone(shop));
  const tasks = await followUpList(shop, today);
  return { today, tasks: tasks.map((task) => ({ ...task, overdue: isOverdue(task, today) })) };
}

export async function shopToday(shop: string, now: Date): Promise<string> {
  return localDate(now, await shopTimeZone(shop));
}
