import db from "~/db.server";
import type { FollowUpCandidate, FollowUpOutcome } from "~/domain/follow-ups";
import type { StaffMember } from "./customer-file.server";
import { customersWithOpenAnomaly } from "./anomalies.server";
import { MAX_IN_LIST, chunks } from "./sql-limits.server";

/** Installed shops with their time zone, for the daily generation. */
export async function listShopsForFollowUps(): Promise<Array<{ shop: string; timeZone: string }>> {
  const rows = await db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true, ianaTimezone: true }, orderBy: { shop: "asc" } });
  return rows.map((row) => ({ shop: row.shop, timeZone: row.ianaTimezone }));
}

/**
 * Takes the shop's generation for local day `today`: the first caller of the
 * day wins (a create, or a compare-and-set on an earlier day); everyone else
 * that day gets false.
 */
export async function claimFollowUpRun(shop: string, today: string, now: Date): Promise<boolean> {
  try {
    await db.followUpRun.create({ data: { shop, generatedOn: today, generatedAt: now } });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
  }
  const { count } = await db.followUpRun.updateMany({ where: { shop, generatedOn: { lt: today } }, data: { generatedOn: today, generatedAt: now } });
  return count === 1;
}

/**
 * Customers with a shipment in trouble: an open logistics anomaly (issue 8,
 * app/services/anomalies.server.ts: failed, attempted, delayed, too long in
 * transit, no tracking news), which also opened a follow-up when detected.
 */
export async function customersWithDeliveryProblem(shop: string): Promise<Set<string>> {
  return customersWithOpenAnomaly(shop);
}

/** Live customers that are key or main, or are named in `alsoIds`, with what follow-ups need. */
export async function followUpCustomers(shop: string, alsoIds: string[]) {
  const select = { shopifyId: true, valueClass: true, lifecycleStage: true, netSpentMinor: true } as const;
  const rows = await db.customer.findMany({ where: { shop, deletedAt: null, valueClass: { in: ["key", "main"] } }, select });
  const seen = new Set(rows.map((row) => row.shopifyId));
  for (const ids of chunks(alsoIds.filter((id) => !seen.has(id)), MAX_IN_LIST)) {
    rows.push(...(await db.customer.findMany({ where: { shop, deletedAt: null, shopifyId: { in: ids } }, select })));
  }
  return rows;
}

/** Customers with an open or snoozed task (they are not proposed again). */
export async function customersWithPendingTask(shop: string): Promise<Set<string>> {
  const rows = await db.followUpTask.findMany({ where: { shop, status: { in: ["open", "snoozed"] } }, select: { customerShopifyId: true }, distinct: ["customerShopifyId"] });
  return new Set(rows.map((row) => row.customerShopifyId));
}

/** When each customer's last follow-up was completed. */
export async function lastCompletedFollowUps(shop: string): Promise<Map<string, Date>> {
  const rows = await db.followUpTask.groupBy({ by: ["customerShopifyId"], where: { shop, status: "done" }, _max: { completedAt: true } });
  return new Map(rows.filter((row) => row._max.completedAt).map((row) => [row.customerShopifyId, row._max.completedAt!]));
}

/** Snoozed tasks whose date has come are open again. */
export async function wakeSnoozedTasks(shop: string, today: string, now: Date): Promise<number> {
  const { count } = await db.followUpTask.updateMany({ where: { shop, status: "snoozed", snoozedUntil: { lte: today } }, data: { status: "open", snoozedUntil: null, updatedAt: now } });
  return count;
}

export async function createFollowUpTasks(shop: string, candidates: FollowUpCandidate[], now: Date): Promise<number> {
  let created = 0;
  for (const part of chunks(candidates, 50)) {
    const { count } = await db.followUpTask.createMany({
      data: part.map((candidate) => ({
        shop,
        customerShopifyId: candidate.customerShopifyId,
        reason: candidate.reason,
        priority: candidate.priority,
        detail: JSON.stringify({ ...candidate.detail, also: candidate.alsoReasons }),
        dueOn: candidate.dueOn,
        createdAt: now,
        updatedAt: now,
      })),
    });
    created += count;
  }
  return created;
}

/** Today's list: open tasks and snoozed ones whose date has come, most urgent and oldest first, with the customer's name. */
export async function followUpList(shop: string, today: string) {
  const tasks = await db.followUpTask.findMany({
    where: { shop, OR: [{ status: "open" }, { status: "snoozed", snoozedUntil: { lte: today } }] },
    orderBy: [{ priority: "asc" }, { dueOn: "asc" }, { createdAt: "asc" }],
    take: 500,
  });
  const names = new Map<string, { firstName: string | null; lastName: string | null; email: string | null }>();
  for (const ids of chunks([...new Set(tasks.map((task) => task.customerShopifyId))], MAX_IN_LIST)) {
    const rows = await db.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, firstName: true, lastName: true, email: true } });
    for (const row of rows) names.set(row.shopifyId, row);
  }
  return tasks.map((task) => ({ ...task, customer: names.get(task.customerShopifyId) ?? null }));
}

/** A customer's follow-ups, newest first (the data export). */
export async function followUpTasksOf(shop: string, customerShopifyId: string) {
  return db.followUpTask.findMany({ where: { shop, customerShopifyId }, orderBy: { createdAt: "desc" } });
}

const pending = { in: ["open", "snoozed"] };

/** Each change below is scoped by shop and id: a task of another shop is "not found" (false). */
export async function assignFollowUp(shop: string, id: string, staff: StaffMember, now: Date): Promise<boolean> {
  const { count } = await db.followUpTask.updateMany({ where: { shop, id, status: pending }, data: { assignee: staff.id, assigneeName: staff.name, updatedAt: now } });
  return count === 1;
}

export async function snoozeFollowUp(shop: string, id: string, until: string, now: Date): Promise<boolean> {
  const { count } = await db.followUpTask.updateMany({ where: { shop, id, status: pending }, data: { status: "snoozed", snoozedUntil: until, updatedAt: now } });
  return count === 1;
}

export async function completeFollowUp(shop: string, id: string, result: { outcome: FollowUpOutcome; note: string | null }, staff: StaffMember, now: Date): Promise<boolean> {
  const { count } = await db.followUpTask.updateMany({
    where: { shop, id, status: pending },
    data: { status: "done", outcome: result.outcome, outcomeNote: result.note, completedBy: staff.id, completedAt: now, snoozedUntil: null, updatedAt: now },
  });
  return count === 1;
}
