// What the POS counter reads (issue 21): a customer's open follow-ups and a
// location's follow-ups for today. Every function takes `shop` and filters on it.
import db from "~/db.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { raw, sql } from "./sql.server";

/** A customer's open follow-ups (snoozed ones are not for today), most urgent first. */
export async function openFollowUpsOf(shop: string, customerShopifyId: string) {
  return db.followUpTask.findMany({
    where: { shop, customerShopifyId, status: "open" },
    select: { id: true, reason: true, dueOn: true, detail: true, assignee: true, assigneeName: true },
    orderBy: [{ priority: "asc" }, { dueOn: "asc" }, { id: "asc" }],
  });
}

/**
 * Today's follow-ups of one location: tasks on the list (open, or snoozed
 * until today or before) of customers whose file was last saved at that
 * location's POS (CustomerFile.posLocationId: the store that knows them), most
 * urgent first (priority, then due date), at most `limit`, with how many
 * there are in all and each customer's name.
 */
export async function locationFollowUps(shop: string, locationId: string, today: string, limit: number) {
  const onList = sql`(t."status" = 'open' OR (t."status" = 'snoozed' AND t."snoozedUntil" <= ${today}))`;
  const from = sql`FROM "FollowUpTask" t JOIN "CustomerFile" f ON f."shop" = t."shop" AND f."customerShopifyId" = t."customerShopifyId"
    WHERE t."shop" = ${shop} AND f."posLocationId" = ${locationId} AND ${onList}`;
  const [ranked, [{ total }]] = await Promise.all([
    db.$queryRaw<Array<{ id: string }>>`SELECT t."id" ${from} ORDER BY t."priority" ASC, t."dueOn" ASC, t."createdAt" ASC, t."id" ASC LIMIT ${raw(String(Math.max(0, Math.trunc(limit))))}`,
    db.$queryRaw<Array<{ total: bigint | number }>>`SELECT COUNT(*) AS "total" ${from}`,
  ]);
  const order = new Map(ranked.map((row, index) => [row.id, index]));
  const tasks = [];
  for (const ids of chunks([...order.keys()], MAX_IN_LIST)) {
    tasks.push(
      ...(await db.followUpTask.findMany({
        where: { shop, id: { in: ids } },
        select: { id: true, customerShopifyId: true, reason: true, dueOn: true, detail: true, status: true, assignee: true, assigneeName: true },
      })),
    );
  }
  tasks.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const customers = new Map<string, { firstName: string | null; lastName: string | null; email: string | null; phone: string | null }>();
  for (const ids of chunks([...new Set(tasks.map((task) => task.customerShopifyId))], MAX_IN_LIST)) {
    for (const row of await db.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, firstName: true, lastName: true, email: true, phone: true } })) {
      customers.set(row.shopifyId, row);
    }
  }
  return { total: Number(total), tasks: tasks.map((task) => ({ ...task, customer: customers.get(task.customerShopifyId) ?? null })) };
}

/** Whether the file of this customer exists (registered), and by whom and where. */
export async function fileRegistration(shop: string, customerShopifyId: string) {
  return db.customerFile.findUnique({
    where: { shop_customerShopifyId: { shop, customerShopifyId } },
    select: { createdAt: true, registeredSource: true, registeredBy: true, registeredLocationId: true, updatedBy: true, updatedAt: true },
  });
}
