import db from "~/db.server";
import { addLocalDays, PENDING_STATUSES, UNCLASSIFIED_RANK, VALUE_CLASS_RANK, type CloseReason, type FollowUpCandidate, type FollowUpOutcome } from "~/domain/follow-ups";
import type { StaffMember } from "./customer-file.server";
import { customersWithOpenAnomaly } from "./anomalies.server";
import { MAX_IN_LIST, chunks } from "./sql-limits.server";
import { offsetOf, type FollowUpListQuery } from "~/domain/list-query";
import { empty, epochMs, join, raw, sql } from "./sql.server";

/** Installed shops with their time zone and the local day of their last generation (null: never), for the daily generation. */
export async function listShopsForFollowUps(): Promise<Array<{ shop: string; timeZone: string; lastDay: string | null }>> {
  const [rows, runs] = await Promise.all([
    db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true, ianaTimezone: true }, orderBy: { shop: "asc" } }),
    db.followUpRun.findMany({ select: { shop: true, generatedOn: true } }),
  ]);
  const lastDay = new Map(runs.map((run) => [run.shop, run.generatedOn]));
  return rows.map((row) => ({ shop: row.shop, timeZone: row.ianaTimezone, lastDay: lastDay.get(row.shop) ?? null }));
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

/** On today's list: open, or snoozed until a day that has come (the daily generation wakes them; until then they count already). */
const onListWhere = (today: string) => ({ OR: [{ status: "open" }, { status: "snoozed", snoozedUntil: { lte: today } }] });

async function namesOf(shop: string, customerShopifyIds: string[]) {
  const names = new Map<string, { firstName: string | null; lastName: string | null; email: string | null }>();
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    const rows = await db.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, firstName: true, lastName: true, email: true } });
    for (const row of rows) names.set(row.shopifyId, row);
  }
  return names;
}

/**
 * Today's list: the `capacity` most valuable tasks on the list (the order
 * app/domain/follow-ups.ts defines: reason's priority, value class, tier,
 * net spend, then earliest due and oldest), with the customer's name; and
 * how many are on the list in all and how many of them are overdue, so the
 * page can say how many more are waiting. The ranking is one statement with
 * LIMIT (indexes: FollowUpTask by shop and status, Customer and MemberTier by
 * shop and customer), whatever the number of tasks.
 * `tierRanks`: each tier handle's rank (higher is better), from the program.
 */
/**
 * The value ranking as ORDER BY terms over tasks `t`, customers `c` and member
 * tiers `m`: reason's priority, value class, tier, net spend, then earliest
 * due and oldest. `reverse` gives least valuable first.
 */
function valueOrder(tierRanks: ReadonlyMap<string, number>, reverse = false) {
  const [up, down] = reverse ? [raw("DESC"), raw("ASC")] : [raw("ASC"), raw("DESC")];
  const classRank = sql`CASE c."valueClass" ${join(Object.entries(VALUE_CLASS_RANK).map(([name, rank]) => sql`WHEN ${name} THEN ${raw(String(Math.trunc(rank)))}`), " ")} ELSE ${raw(String(UNCLASSIFIED_RANK))} END`;
  // Without a program nobody has a tier to rank by (and a bare number in ORDER BY would name a column).
  const tierRank = tierRanks.size
    ? sql`CASE m."tierHandle" ${join([...tierRanks].map(([handle, rank]) => sql`WHEN ${handle} THEN ${raw(String(Math.trunc(rank)))}`), " ")} ELSE ${raw(String(Math.min(0, ...tierRanks.values()) - 1))} END ${down}, `
    : empty;
  return sql`t."priority" ${up}, ${classRank} ${up}, ${tierRank}COALESCE(c."netSpentMinor", 0) ${down}, t."dueOn" ${up}, t."createdAt" ${up}, t."id" ${up}`;
}

export async function followUpList(shop: string, today: string, capacity: number, tierRanks: ReadonlyMap<string, number>) {
  const limit = Math.max(0, Math.trunc(capacity));
  const [ranked, total, overdue] = await Promise.all([
    limit === 0
      ? Promise.resolve([] as Array<{ id: string }>)
      : db.$queryRaw<Array<{ id: string }>>`
        SELECT t."id" FROM "FollowUpTask" t
        LEFT JOIN "Customer" c ON c."shop" = t."shop" AND c."shopifyId" = t."customerShopifyId"
        LEFT JOIN "MemberTier" m ON m."shop" = t."shop" AND m."customerShopifyId" = t."customerShopifyId"
        WHERE t."shop" = ${shop} AND (t."status" = 'open' OR (t."status" = 'snoozed' AND t."snoozedUntil" <= ${today}))
        ORDER BY ${valueOrder(tierRanks)}
        LIMIT ${raw(String(limit))}`,
    db.followUpTask.count({ where: { shop, ...onListWhere(today) } }),
    db.followUpTask.count({ where: { shop, ...onListWhere(today), dueOn: { lt: today } } }),
  ]);
  const order = new Map(ranked.map((row, index) => [row.id, index]));
  const rows = [];
  for (const ids of chunks(ranked.map((row) => row.id), MAX_IN_LIST)) rows.push(...(await db.followUpTask.findMany({ where: { shop, id: { in: ids } } })));
  const tasks = rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const names = await namesOf(shop, tasks.map((task) => task.customerShopifyId));
  return { tasks: tasks.map((task) => ({ ...task, customer: names.get(task.customerShopifyId) ?? null })), total, overdue };
}

export interface FollowUpListContext {
  /** The shop's local date. */
  today: string;
  /** The dailyCapacity setting: how many the `today` view holds. */
  capacity: number;
  tierRanks: ReadonlyMap<string, number>;
  /** The staff member looking (their id), for the `mine` view and the "me" assignee. */
  me: string | null;
}

export interface FollowUpListRow {
  id: string;
  customerShopifyId: string;
  reason: string;
  priority: number;
  detail: string;
  dueOn: string;
  status: string;
  snoozedUntil: string | null;
  assignee: string | null;
  assigneeName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  lastOrderAt: Date | null;
  tierHandle: string | null;
}

/**
 * One page of the Follow-ups list (issue 20) as `query` asks (app/domain/list-query.ts),
 * with what staff need to act on each row (the customer's name, phone, email,
 * last order and tier) from the same statement; how many rows match in all,
 * and the counts the page's views and summary show. Four statements
 * whatever the list's size: the page (LIMIT/OFFSET), its count, and the counts
 * (FollowUpTask's (shop, status, dueOn) index; Customer and MemberTier by
 * their unique (shop, customer) keys).
 */
export async function followUpListPage(shop: string, query: FollowUpListQuery, context: FollowUpListContext) {
  const { today, tierRanks, me } = context;
  const capacity = Math.max(0, Math.trunc(context.capacity));
  const onList = sql`(t."status" = 'open' OR (t."status" = 'snoozed' AND t."snoozedUntil" <= ${today}))`;
  const from = sql`FROM "FollowUpTask" t
    LEFT JOIN "Customer" c ON c."shop" = t."shop" AND c."shopifyId" = t."customerShopifyId"
    LEFT JOIN "MemberTier" m ON m."shop" = t."shop" AND m."customerShopifyId" = t."customerShopifyId"`;
  const conditions = [sql`t."shop" = ${shop}`];
  if (query.view === "snoozed") conditions.push(sql`t."status" = 'snoozed' AND t."snoozedUntil" > ${today}`);
  else conditions.push(onList);
  // The day's list: the `capacity` most valuable on the list, whatever the filters then keep of them.
  if (query.view === "today") conditions.push(sql`t."id" IN (SELECT t."id" ${from} WHERE t."shop" = ${shop} AND ${onList} ORDER BY ${valueOrder(tierRanks)} LIMIT ${raw(String(capacity))})`);
  if (query.view === "mine") conditions.push(me ? sql`t."assignee" = ${me}` : sql`1 = 0`);
  if (query.reasons.length) conditions.push(sql`t."reason" IN (${join(query.reasons)})`);
  if (query.assignee === "none") conditions.push(sql`t."assignee" IS NULL`);
  else if (query.assignee === "me") conditions.push(me ? sql`t."assignee" = ${me}` : sql`1 = 0`);
  else if (query.assignee) conditions.push(sql`t."assignee" = ${query.assignee}`);
  if (query.due === "overdue") conditions.push(sql`t."dueOn" < ${today}`);
  else if (query.due === "today") conditions.push(sql`t."dueOn" = ${today}`);
  else if (query.due === "week") conditions.push(sql`t."dueOn" >= ${today} AND t."dueOn" <= ${addLocalDays(today, 6)}`);
  else if (query.due === "later") conditions.push(sql`t."dueOn" > ${addLocalDays(today, 6)}`);
  if (query.q) {
    const like = `%${query.q.toLowerCase()}%`;
    conditions.push(
      sql`(LOWER(COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", '')) LIKE ${like} OR LOWER(COALESCE(c."email", '')) LIKE ${like} OR COALESCE(c."phone", '') LIKE ${like} OR t."customerShopifyId" = ${query.q})`,
    );
  }
  const where = join(conditions, " AND ");
  const dir = raw(query.direction === "desc" ? "DESC" : "ASC");
  const value = valueOrder(tierRanks);
  const order =
    query.sort === "due"
      ? sql`t."dueOn" ${dir}, ${value}`
      : query.sort === "lastOrder"
        ? // Customers who never ordered last either way (SQLite and PostgreSQL put NULL at opposite ends).
          sql`CASE WHEN c."lastOrderAt" IS NULL THEN 1 ELSE 0 END ASC, c."lastOrderAt" ${dir}, ${value}`
        : query.sort === "customer"
          ? sql`LOWER(COALESCE(NULLIF(TRIM(COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", '')), ''), c."email", t."customerShopifyId")) ${dir}, t."id" ASC`
          : valueOrder(tierRanks, query.direction === "desc");
  type Raw = Omit<FollowUpListRow, "lastOrderAt" | "priority"> & { priority: number | bigint; lastOrderMs: number | bigint | null };
  const [rows, [{ total }], counts] = await Promise.all([
    db.$queryRaw<Raw[]>`
      SELECT t."id", t."customerShopifyId", t."reason", t."priority", t."detail", t."dueOn", t."status", t."snoozedUntil", t."assignee", t."assigneeName",
        c."firstName", c."lastName", c."email", c."phone", ${epochMs(sql`c."lastOrderAt"`)} AS "lastOrderMs", m."tierHandle"
      ${from} WHERE ${where} ORDER BY ${order} LIMIT ${raw(String(query.pageSize))} OFFSET ${raw(String(offsetOf(query)))}`,
    db.$queryRaw<Array<{ total: number | bigint }>>`SELECT COUNT(*) AS "total" ${from} WHERE ${where}`,
    followUpCounts(shop, today, me),
  ]);
  return {
    rows: rows.map(({ lastOrderMs, priority, ...row }): FollowUpListRow => ({ ...row, priority: Number(priority), lastOrderAt: lastOrderMs === null ? null : new Date(Number(lastOrderMs)) })),
    total: Number(total),
    counts: { ...counts, today: Math.min(capacity, counts.onList) },
  };
}

/** On the list (open, or snoozed until today or before), of them overdue and assigned to `me`, and snoozed to a later day. */
async function followUpCounts(shop: string, today: string, me: string | null) {
  const [onList, overdue, mine, snoozed] = await Promise.all([
    db.followUpTask.count({ where: { shop, ...onListWhere(today) } }),
    db.followUpTask.count({ where: { shop, ...onListWhere(today), dueOn: { lt: today } } }),
    me ? db.followUpTask.count({ where: { shop, ...onListWhere(today), assignee: me } }) : Promise.resolve(0),
    db.followUpTask.count({ where: { shop, status: "snoozed", snoozedUntil: { gt: today } } }),
  ]);
  return { onList, overdue, mine, snoozed };
}

/**
 * Whom a task may be assigned to (user ids): the shop's staff the app has
 * recorded (app/models/staff-members.server.ts, as each opens the admin) and
 * whoever pending tasks are assigned to already.
 */
export async function staffToAssign(shop: string): Promise<string[]> {
  const [staff, assignees] = await Promise.all([
    db.staffMember.findMany({ where: { shop }, select: { userId: true } }),
    db.followUpTask.findMany({ where: { shop, assignee: { not: null }, status: { in: [...PENDING_STATUSES] } }, select: { assignee: true }, distinct: ["assignee"] }),
  ]);
  return [...new Set([...staff.map((row) => row.userId), ...assignees.map((row) => row.assignee!)])];
}

/** Tasks that closed by themselves since `since`, newest first (at most `limit`), with how many there were in all. */
export async function closedFollowUps(shop: string, since: Date, limit = 50) {
  const where = { shop, status: "closed", completedAt: { gte: since } };
  const [tasks, total] = await Promise.all([db.followUpTask.findMany({ where, orderBy: [{ completedAt: "desc" }, { id: "asc" }], take: limit }), db.followUpTask.count({ where })]);
  const names = await namesOf(shop, tasks.map((task) => task.customerShopifyId));
  return { tasks: tasks.map((task) => ({ ...task, customer: names.get(task.customerShopifyId) ?? null })), total };
}

/** How many tasks closed by themselves, by why (since `since`, or ever). */
export async function closedCountsByReason(shop: string, since?: Date): Promise<Record<string, number>> {
  const rows = await db.followUpTask.groupBy({ by: ["closedReason"], where: { shop, status: "closed", ...(since ? { completedAt: { gte: since } } : {}) }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.closedReason ?? "unknown", row._count._all]));
}

/** Pending (open or snoozed) tasks, of the whole shop or of these customers, with what deciding whether they still hold needs. */
export async function pendingTasks(shop: string, customerShopifyIds?: string[]) {
  const select = { id: true, customerShopifyId: true, reason: true, dueOn: true, detail: true, createdAt: true } as const;
  const status = { in: [...PENDING_STATUSES] };
  if (customerShopifyIds === undefined) return db.followUpTask.findMany({ where: { shop, status }, select });
  const rows = [];
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) rows.push(...(await db.followUpTask.findMany({ where: { shop, status, customerShopifyId: { in: ids } }, select })));
  return rows;
}

/** What closing needs of these customers: live ones only (a deleted customer is missing from the map). */
export async function customersForClosing(shop: string, customerShopifyIds: string[]) {
  const found = new Map<string, { valueClass: string | null; lifecycleStage: string | null; lastOrderAt: Date | null }>();
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    const rows = await db.customer.findMany({ where: { shop, deletedAt: null, shopifyId: { in: ids } }, select: { shopifyId: true, valueClass: true, lifecycleStage: true, lastOrderAt: true } });
    for (const { shopifyId, ...row } of rows) found.set(shopifyId, row);
  }
  return found;
}

/**
 * Closes these tasks by themselves for `reason`, if still pending (a task
 * staff completed a moment ago stays theirs). Returns how many closed.
 */
export async function closeFollowUps(shop: string, ids: string[], reason: CloseReason, now: Date): Promise<number> {
  let closed = 0;
  for (const part of chunks(ids, MAX_IN_LIST)) {
    const { count } = await db.followUpTask.updateMany({
      where: { shop, id: { in: part }, status: { in: [...PENDING_STATUSES] } },
      data: { status: "closed", closedReason: reason, completedAt: now, snoozedUntil: null, updatedAt: now },
    });
    closed += count;
  }
  return closed;
}

/** A customer's follow-ups, newest first (the data export). */
export async function followUpTasksOf(shop: string, customerShopifyId: string) {
  return db.followUpTask.findMany({ where: { shop, customerShopifyId }, orderBy: { createdAt: "desc" } });
}

const pending = { in: [...PENDING_STATUSES] };

/**
 * Each change below is scoped by shop and id, and changes only pending (open
 * or snoozed) tasks: a task of another shop, or one completed or closed a
 * moment ago, is "not found". The bulk forms return how many changed.
 */
export async function assignFollowUps(shop: string, ids: string[], staff: StaffMember, now: Date): Promise<number> {
  let changed = 0;
  for (const part of chunks([...new Set(ids)], MAX_IN_LIST)) changed += (await db.followUpTask.updateMany({ where: { shop, id: { in: part }, status: pending }, data: { assignee: staff.id, assigneeName: staff.name, updatedAt: now } })).count;
  return changed;
}

export async function snoozeFollowUps(shop: string, ids: string[], until: string, now: Date): Promise<number> {
  let changed = 0;
  for (const part of chunks([...new Set(ids)], MAX_IN_LIST)) changed += (await db.followUpTask.updateMany({ where: { shop, id: { in: part }, status: pending }, data: { status: "snoozed", snoozedUntil: until, updatedAt: now } })).count;
  return changed;
}

export async function completeFollowUps(shop: string, ids: string[], result: { outcome: FollowUpOutcome; note: string | null }, staff: StaffMember, now: Date): Promise<number> {
  let changed = 0;
  for (const part of chunks([...new Set(ids)], MAX_IN_LIST)) {
    changed += (
      await db.followUpTask.updateMany({
        where: { shop, id: { in: part }, status: pending },
        data: { status: "done", outcome: result.outcome, outcomeNote: result.note, completedBy: staff.id, completedAt: now, snoozedUntil: null, updatedAt: now },
      })
    ).count;
  }
  return changed;
}

export async function assignFollowUp(shop: string, id: string, staff: StaffMember, now: Date): Promise<boolean> {
  return (await assignFollowUps(shop, [id], staff, now)) === 1;
}

export async function snoozeFollowUp(shop: string, id: string, until: string, now: Date): Promise<boolean> {
  return (await snoozeFollowUps(shop, [id], until, now)) === 1;
}

export async function completeFollowUp(shop: string, id: string, result: { outcome: FollowUpOutcome; note: string | null }, staff: StaffMember, now: Date): Promise<boolean> {
  return (await completeFollowUps(shop, [id], result, staff, now)) === 1;
}
