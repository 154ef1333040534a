// Shipments in trouble (issue 8): the in-flight fulfillments the sweep judges,
// ShipmentAnomaly rows (one per shop, fulfillment and kind, so detecting again
// opens nothing twice and a kind staff closed stays closed), their resolution,
// and the Anomalies page's list. Every function takes `shop`.
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import type { AnomalyDetail, ShipmentFacts } from "~/domain/care/anomalies";
import type { AnomalyKind } from "~/domain/care/types";
import { offsetOf, SHIPMENT_AGE_DAYS, type ShipmentListQuery } from "~/domain/list-query";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { empty, join, raw, sql, storedDateText } from "./sql.server";

const DAY_MS = 86_400_000;

/**
 * Fulfillments older than this (shipped, or last carrier news) are no longer
 * judged: the first sweep after install should not flag years of parcels
 * whose carrier never reported a delivery.
 */
export const ANOMALY_HORIZON_DAYS = 90;

export interface InFlightShipment {
  /** Fulfillment.id. */
  id: string;
  fulfillmentShopifyId: string;
  orderShopifyId: string;
  /** False while the order's own webhook has not arrived: the shipment waits for it (whose customer to tell). */
  orderKnown: boolean;
  orderName: string | null;
  customerShopifyId: string | null;
  trackingUrl: string | null;
  facts: ShipmentFacts;
}

function inFlightWhere(shop: string, now: Date, fulfillmentShopifyId?: string) {
  const horizon = new Date(now.getTime() - ANOMALY_HORIZON_DAYS * DAY_MS);
  return {
    shop,
    deliveredAt: null,
    OR: [{ status: null }, { status: { not: "cancelled" } }],
    AND: [{ OR: [{ shopifyCreatedAt: { gte: horizon } }, { lastEventAt: { gte: horizon } }] }],
    ...(fulfillmentShopifyId !== undefined ? { shopifyId: fulfillmentShopifyId } : {}),
  };
}

/**
 * The ids of the shop's undelivered, uncancelled fulfillments with news within
 * the horizon: one pass over the (shop, deliveredAt) index per sweep, rather
 * than one per page.
 */
export async function inFlightIds(shop: string, now: Date, fulfillmentShopifyId?: string): Promise<string[]> {
  const rows = await db.fulfillment.findMany({ where: inFlightWhere(shop, now, fulfillmentShopifyId), select: { id: true }, orderBy: { id: "asc" } });
  return rows.map((row) => row.id);
}

/**
 * These fulfillments (ids from inFlightIds, at most MAX_IN_LIST) with their
 * carrier events, their order's customer and the customer's country: a few
 * statements whatever the count.
 */
export async function inFlightShipments(shop: string, ids: string[]): Promise<InFlightShipment[]> {
  if (ids.length === 0) return [];
  const fulfillments = await db.fulfillment.findMany({ where: { shop, id: { in: ids }, deliveredAt: null }, orderBy: { id: "asc" } });
  if (fulfillments.length === 0) return [];
  const shopifyIds = fulfillments.map((row) => row.shopifyId);
  const orderIds = [...new Set(fulfillments.map((row) => row.orderShopifyId).filter(Boolean))];
  const [events, orders] = await Promise.all([
    db.fulfillmentEvent.findMany({ where: { shop, fulfillmentShopifyId: { in: shopifyIds } }, select: { fulfillmentShopifyId: true, status: true, happenedAt: true, countryCode: true } }),
    orderIds.length ? db.order.findMany({ where: { shop, shopifyId: { in: orderIds } }, select: { shopifyId: true, name: true, customerShopifyId: true } }) : [],
  ]);
  const customerIds = [...new Set(orders.map((order) => order.customerShopifyId).filter((id): id is string => !!id))];
  const customers = customerIds.length ? await db.customer.findMany({ where: { shop, shopifyId: { in: customerIds }, deletedAt: null }, select: { shopifyId: true, countryCode: true } }) : [];
  const orderById = new Map(orders.map((order) => [order.shopifyId, order]));
  const countryOf = new Map(customers.map((customer) => [customer.shopifyId, customer.countryCode]));
  const eventsOf = new Map<string, ShipmentFacts["events"]>();
  for (const event of events) eventsOf.set(event.fulfillmentShopifyId, [...(eventsOf.get(event.fulfillmentShopifyId) ?? []), event]);

  return fulfillments.map((row) => {
    const order = orderById.get(row.orderShopifyId);
    const customerShopifyId = order?.customerShopifyId && countryOf.has(order.customerShopifyId) ? order.customerShopifyId : null;
    const rowEvents = (eventsOf.get(row.shopifyId) ?? []).sort((a, b) => a.happenedAt.getTime() - b.happenedAt.getTime());
    return {
      id: row.id,
      fulfillmentShopifyId: row.shopifyId,
      orderShopifyId: row.orderShopifyId,
      orderKnown: order !== undefined,
      orderName: order?.name ?? null,
      customerShopifyId,
      trackingUrl: row.trackingUrl,
      facts: {
        status: row.status,
        shipmentStatus: row.shipmentStatus,
        trackingNumber: row.trackingNumber,
        trackingCompany: row.trackingCompany,
        shippedAt: row.shopifyCreatedAt,
        deliveredAt: row.deliveredAt,
        lastEventAt: row.lastEventAt,
        lastEventStatus: row.lastEventStatus,
        events: rowEvents,
        // Where the parcel goes: the customer's address (the fulfillment's own destination is not kept).
        destinationCountry: customerShopifyId ? (countryOf.get(customerShopifyId) ?? null) : null,
        // Where it ships from: the carrier's first scan (the shop's own country is not kept).
        shopCountry: rowEvents.find((event) => event.countryCode)?.countryCode ?? null,
      },
    };
  });
}

export interface NewAnomaly {
  fulfillmentShopifyId: string;
  orderShopifyId: string;
  customerShopifyId: string | null;
  kind: AnomalyKind;
  detail: AnomalyDetail;
}

export interface AnomalyRow {
  id: string;
  fulfillmentShopifyId: string;
  orderShopifyId: string;
  customerShopifyId: string | null;
  kind: AnomalyKind;
}

// Rows per statement, under libsql's 999 bound parameters (8 a row).
const ANOMALIES_PER_INSERT = 100;

/**
 * Inserts the anomalies not yet recorded (a row for the same fulfillment and
 * kind, open or resolved, is left alone) and returns only the new ones: the
 * insert is the claim, so two sweeps never both act on one anomaly.
 */
export async function insertAnomalies(shop: string, anomalies: NewAnomaly[], now: Date): Promise<AnomalyRow[]> {
  const created: AnomalyRow[] = [];
  for (const rows of chunks(anomalies, ANOMALIES_PER_INSERT)) {
    const values = rows.map(
      (row) => sql`(${randomUUID()}, ${shop}, ${row.fulfillmentShopifyId}, ${row.orderShopifyId}, ${row.customerShopifyId}, ${row.kind}, ${JSON.stringify(row.detail)}, 'open', ${now})`,
    );
    created.push(
      ...(await db.$queryRaw<AnomalyRow[]>`
        INSERT INTO "ShipmentAnomaly" ("id", "shop", "fulfillmentShopifyId", "orderShopifyId", "customerShopifyId", "kind", "detail", "status", "detectedAt")
        VALUES ${join(values)}
        ON CONFLICT ("shop", "fulfillmentShopifyId", "kind") DO NOTHING
        RETURNING "id", "fulfillmentShopifyId", "orderShopifyId", "customerShopifyId", "kind"`),
    );
  }
  return created;
}

/** Open anomalies of the shop (optionally of one fulfillment). */
export async function openAnomalies(shop: string, fulfillmentShopifyId?: string) {
  return db.shipmentAnomaly.findMany({ where: { shop, status: "open", ...(fulfillmentShopifyId !== undefined ? { fulfillmentShopifyId } : {}) }, orderBy: [{ detectedAt: "desc" }, { id: "asc" }] });
}

/** Which of these fulfillments have been delivered. */
export async function deliveredAmong(shop: string, fulfillmentShopifyIds: string[]): Promise<Set<string>> {
  const delivered = new Set<string>();
  for (const ids of chunks([...new Set(fulfillmentShopifyIds)], MAX_IN_LIST)) {
    const rows = await db.fulfillment.findMany({ where: { shop, shopifyId: { in: ids }, deliveredAt: { not: null } }, select: { shopifyId: true } });
    for (const row of rows) delivered.add(row.shopifyId);
  }
  return delivered;
}

/**
 * Closes the open anomalies of these fulfillments (by a delivery when
 * `resolvedBy` is null, else by that staff member) and returns the ones this
 * call closed, so a concurrent resolution acts once.
 */
export async function resolveAnomaliesOf(shop: string, fulfillmentShopifyIds: string[], resolvedBy: string | null, now: Date): Promise<AnomalyRow[]> {
  const resolved: AnomalyRow[] = [];
  for (const ids of chunks([...new Set(fulfillmentShopifyIds)], MAX_IN_LIST)) {
    resolved.push(
      ...(await db.$queryRaw<AnomalyRow[]>`
        UPDATE "ShipmentAnomaly" SET "status" = 'resolved', "resolvedAt" = ${now}, "resolvedBy" = ${resolvedBy}
        WHERE "shop" = ${shop} AND "status" = 'open' AND "fulfillmentShopifyId" IN (${join(ids)})
        RETURNING "id", "fulfillmentShopifyId", "orderShopifyId", "customerShopifyId", "kind"`),
    );
  }
  return resolved;
}

/** Orders among these that still have an open anomaly (their care messages stay paused). */
export async function ordersWithOpenAnomaly(shop: string, orderShopifyIds: string[]): Promise<Set<string>> {
  const open = new Set<string>();
  for (const ids of chunks([...new Set(orderShopifyIds)], MAX_IN_LIST)) {
    const rows = await db.shipmentAnomaly.findMany({ where: { shop, status: "open", orderShopifyId: { in: ids } }, select: { orderShopifyId: true }, distinct: ["orderShopifyId"] });
    for (const row of rows) open.add(row.orderShopifyId);
  }
  return open;
}

/** The fulfillment one anomaly belongs to (null for another shop's id). */
export async function anomalyFulfillment(shop: string, id: string): Promise<string | null> {
  const row = await db.shipmentAnomaly.findFirst({ where: { shop, id }, select: { fulfillmentShopifyId: true } });
  return row?.fulfillmentShopifyId ?? null;
}

export async function linkFollowUp(shop: string, anomalyIds: string[], followUpTaskId: string): Promise<void> {
  for (const ids of chunks(anomalyIds, MAX_IN_LIST)) await db.shipmentAnomaly.updateMany({ where: { shop, id: { in: ids } }, data: { followUpTaskId } });
}

export async function linkNotice(shop: string, fulfillmentShopifyId: string, noticeMessageId: string): Promise<void> {
  await db.shipmentAnomaly.updateMany({ where: { shop, fulfillmentShopifyId, noticeMessageId: null }, data: { noticeMessageId } });
}

/** Customers with a shipment in trouble now: the follow-up list's deliveryProblem reason. */
export async function customersWithOpenAnomaly(shop: string): Promise<Set<string>> {
  const rows = await db.shipmentAnomaly.findMany({ where: { shop, status: "open", customerShopifyId: { not: null } }, select: { customerShopifyId: true }, distinct: ["customerShopifyId"] });
  return new Set(rows.map((row) => row.customerShopifyId!));
}

/** When each of these customers last had a shipment's trouble ended by its delivery (not by staff): why their delivery follow-up closed. */
export async function lastDeliveredResolutions(shop: string, customerShopifyIds: string[]): Promise<Map<string, Date>> {
  const found = new Map<string, Date>();
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    const rows = await db.shipmentAnomaly.groupBy({ by: ["customerShopifyId"], where: { shop, status: "resolved", resolvedBy: null, customerShopifyId: { in: ids } }, _max: { resolvedAt: true } });
    for (const row of rows) if (row.customerShopifyId && row._max.resolvedAt) found.set(row.customerShopifyId, row._max.resolvedAt);
  }
  return found;
}

/** Each customer's pending (open or snoozed) deliveryProblem follow-up, the oldest when there are several. */
export async function pendingDeliveryTasks(shop: string, customerShopifyIds: string[]): Promise<Map<string, string>> {
  const tasks = new Map<string, string>();
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    const rows = await db.followUpTask.findMany({
      where: { shop, reason: "deliveryProblem", status: { in: ["open", "snoozed"] }, customerShopifyId: { in: ids } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, customerShopifyId: true },
    });
    for (const row of rows) if (!tasks.has(row.customerShopifyId)) tasks.set(row.customerShopifyId, row.id);
  }
  return tasks;
}

/** The ids of messages planned under these keys. */
export async function messageIdsByKey(shop: string, keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(keys, MAX_IN_LIST)) {
    const rows = await db.message.findMany({ where: { shop, idempotencyKey: { in: part } }, select: { id: true, idempotencyKey: true } });
    for (const row of rows) found.set(row.idempotencyKey, row.id);
  }
  return found;
}

/**
 * One page of the shipments in trouble (issue 20), as `query` asks: the
 * shipments (fulfillments) with an open anomaly, one row each however many
 * kinds of trouble it has, filtered by kind (any of its open kinds), by days
 * since it shipped (counted at `now`; a shipment whose shipping date is not
 * known matches no age) and by the order's name, the tracking number or the
 * customer's name or email; newest trouble first or longest on the way first.
 * Returns the page's fulfillment ids in order and how many shipments match.
 * Two statements (the page and its count), whatever the number of anomalies.
 */
export async function openShipmentPage(shop: string, query: ShipmentListQuery, now: Date): Promise<{ fulfillmentShopifyIds: string[]; total: number }> {
  const before = (days: number) => storedDateText(new Date(now.getTime() - days * DAY_MS));
  const conditions = [sql`a."shop" = ${shop}`, sql`a."status" = 'open'`];
  if (query.age) {
    const { from, to } = SHIPMENT_AGE_DAYS[query.age];
    conditions.push(sql`f."shopifyCreatedAt" <= ${before(from)}`);
    if (to !== null) conditions.push(sql`f."shopifyCreatedAt" > ${before(to)}`);
  }
  if (query.q) {
    const like = `%${query.q.toLowerCase()}%`;
    conditions.push(
      sql`(LOWER(COALESCE(o."name", '')) LIKE ${like} OR LOWER(COALESCE(f."trackingNumber", '')) LIKE ${like} OR LOWER(COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", '')) LIKE ${like} OR LOWER(COALESCE(c."email", '')) LIKE ${like})`,
    );
  }
  const having = query.kinds.length ? sql`HAVING SUM(CASE WHEN a."kind" IN (${join(query.kinds)}) THEN 1 ELSE 0 END) > 0` : empty;
  const grouped = sql`
    SELECT a."fulfillmentShopifyId" AS "id", MAX(a."detectedAt") AS "detectedAt", f."shopifyCreatedAt" AS "shippedAt"
    FROM "ShipmentAnomaly" a
    LEFT JOIN "Fulfillment" f ON f."shop" = a."shop" AND f."shopifyId" = a."fulfillmentShopifyId"
    LEFT JOIN "Order" o ON o."shop" = a."shop" AND o."shopifyId" = a."orderShopifyId"
    LEFT JOIN "Customer" c ON c."shop" = a."shop" AND c."shopifyId" = a."customerShopifyId"
    WHERE ${join(conditions, " AND ")}
    GROUP BY a."fulfillmentShopifyId", f."shopifyCreatedAt"
    ${having}`;
  const dir = raw(query.direction === "asc" ? "ASC" : "DESC");
  // Either database puts NULL at its own end: a shipment with no shipping date goes last either way.
  const order = query.sort === "shipped" ? sql`CASE WHEN g."shippedAt" IS NULL THEN 1 ELSE 0 END ASC, g."shippedAt" ${dir}, g."detectedAt" DESC` : sql`g."detectedAt" ${dir}`;
  const [rows, [{ total }]] = await Promise.all([
    db.$queryRaw<Array<{ id: string }>>`
      SELECT g."id" FROM (${grouped}) g
      ORDER BY ${order}, g."id" ASC LIMIT ${raw(String(query.pageSize))} OFFSET ${raw(String(offsetOf(query)))}`,
    db.$queryRaw<Array<{ total: number | bigint }>>`SELECT COUNT(*) AS "total" FROM (${grouped}) g`,
  ]);
  return { fulfillmentShopifyIds: rows.map((row) => row.id), total: Number(total) };
}

/**
 * The Anomalies page: open anomalies with their fulfillment, order, customer
 * and follow-up, newest first (of these fulfillments only, when given).
 */
export async function openAnomalyList(shop: string, { limit = 500, fulfillmentShopifyIds }: { limit?: number; fulfillmentShopifyIds?: string[] } = {}) {
  const anomalies = await db.shipmentAnomaly.findMany({
    where: { shop, status: "open", ...(fulfillmentShopifyIds ? { fulfillmentShopifyId: { in: fulfillmentShopifyIds } } : {}) },
    orderBy: [{ detectedAt: "desc" }, { id: "asc" }],
    take: limit,
  });
  const fulfillmentIds = [...new Set(anomalies.map((row) => row.fulfillmentShopifyId))];
  const orderIds = [...new Set(anomalies.map((row) => row.orderShopifyId))];
  const customerIds = [...new Set(anomalies.map((row) => row.customerShopifyId).filter((id): id is string => !!id))];
  const taskIds = [...new Set(anomalies.map((row) => row.followUpTaskId).filter((id): id is string => !!id))];
  const [fulfillments, orders, customers, tasks] = await Promise.all([
    fulfillmentIds.length ? db.fulfillment.findMany({ where: { shop, shopifyId: { in: fulfillmentIds } } }) : [],
    orderIds.length ? db.order.findMany({ where: { shop, shopifyId: { in: orderIds } }, select: { shopifyId: true, name: true } }) : [],
    customerIds.length ? db.customer.findMany({ where: { shop, shopifyId: { in: customerIds } }, select: { shopifyId: true, firstName: true, lastName: true, email: true } }) : [],
    taskIds.length ? db.followUpTask.findMany({ where: { shop, id: { in: taskIds } }, select: { id: true, status: true, assigneeName: true, assignee: true, dueOn: true } }) : [],
  ]);
  const byId = <T, K>(rows: T[], key: (row: T) => K) => new Map(rows.map((row) => [key(row), row]));
  const fulfillmentOf = byId(fulfillments, (row) => row.shopifyId);
  const orderOf = byId(orders, (row) => row.shopifyId);
  const customerOf = byId(customers, (row) => row.shopifyId);
  const taskOf = byId(tasks, (row) => row.id);
  // The customer's follow-up open now, when the one the anomaly opened is done.
  const pending = await pendingDeliveryTasks(shop, customerIds);
  const pendingTasks = pending.size ? await db.followUpTask.findMany({ where: { shop, id: { in: [...pending.values()] } }, select: { id: true, status: true, assigneeName: true, assignee: true, dueOn: true } }) : [];
  const pendingOf = byId(pendingTasks, (row) => row.id);
  return anomalies.map((row) => ({
    ...row,
    fulfillment: fulfillmentOf.get(row.fulfillmentShopifyId) ?? null,
    order: orderOf.get(row.orderShopifyId) ?? null,
    customer: row.customerShopifyId ? (customerOf.get(row.customerShopifyId) ?? null) : null,
    followUp: (row.customerShopifyId ? pendingOf.get(pending.get(row.customerShopifyId) ?? "") : undefined) ?? (row.followUpTaskId ? (taskOf.get(row.followUpTaskId) ?? null) : null),
  }));
}

/** customers/redact: the customer's anomalies go (their detail names the parcel). */
export async function eraseCustomerAnomalies(shop: string, customerShopifyId: string): Promise<number> {
  return (await db.shipmentAnomaly.deleteMany({ where: { shop, customerShopifyId } })).count;
}

/** shop/redact. */
export async function eraseShopAnomalies(shop: string): Promise<number> {
  return (await db.shipmentAnomaly.deleteMany({ where: { shop } })).count;
}
