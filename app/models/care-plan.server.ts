// What the care planner (app/services/care-planner.server.ts) reads and
// remembers: its progress per shop (CarePlanState), and the facts its flows
// start from, derived from the projected tables because DomainEvent carries
// only tier events: deliveries (Fulfillment.deliveredAt), untracked shipments,
// cancellations, refunds and new orders, reminder points and lifecycle stages
// (Customer), birthdays (CustomerFile). Every function takes `shop`.
import db from "~/db.server";
import { UNSENT_STATUSES } from "./messages.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

/**
 * `read` over the ids a chunk at a time: a whole shop's customers in one IN
 * list would pass SQLite's bound-parameter limit (999).
 */
async function inChunks<T, R>(ids: T[], size: number, read: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  for (const part of chunks(ids, size)) rows.push(...(await read(part)));
  return rows;
}

export async function carePlanState(shop: string) {
  return db.carePlanState.findUnique({ where: { shop } });
}

export async function saveCarePlanState(shop: string, state: { lastEventId: number; sweptAt: Date | null }, now: Date) {
  await db.carePlanState.upsert({
    where: { shop },
    create: { shop, lastEventId: state.lastEventId, sweptAt: state.sweptAt, updatedAt: now },
    update: { lastEventId: state.lastEventId, sweptAt: state.sweptAt, updatedAt: now },
  });
}

export interface PlanCustomer {
  shopifyId: string;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  timeZone: string | null;
  lastOrderAt: Date | null;
  reminderAt: Date | null;
  lifecycleStage: string | null;
}

const customerSelect = { shopifyId: true, firstName: true, lastName: true, locale: true, timeZone: true, lastOrderAt: true, reminderAt: true, lifecycleStage: true } as const;

/** The customers (not deleted) among the ids. */
export async function planCustomers(shop: string, ids: string[]): Promise<Map<string, PlanCustomer>> {
  if (ids.length === 0) return new Map();
  const rows = await inChunks([...new Set(ids)], MAX_IN_LIST, (part) => db.customer.findMany({ where: { shop, shopifyId: { in: part }, deletedAt: null }, select: customerSelect }));
  return new Map(rows.map((row) => [row.shopifyId, row]));
}

export interface PlanOrder {
  shopifyId: string;
  customerShopifyId: string | null;
  name: string | null;
  processedAt: Date;
  cancelledAt: Date | null;
  /** The purchase ledger's answer: a test, cancelled or fully refunded order counts for nothing. */
  countsAsPurchase: boolean;
  lines: Array<{ title: string; vendor: string | null; sku: string | null }>;
}

const planOrderSelect = { shopifyId: true, customerShopifyId: true, name: true, processedAt: true, cancelledAt: true, countsAsPurchase: true, lines: { select: { title: true, vendor: true, sku: true }, orderBy: { shopifyId: "asc" } } } as const;

export async function planOrders(shop: string, ids: string[]): Promise<Map<string, PlanOrder>> {
  if (ids.length === 0) return new Map();
  const rows = await inChunks([...new Set(ids)], MAX_IN_LIST, (part) =>
    db.order.findMany({ where: { shop, shopifyId: { in: part } }, select: planOrderSelect }),
  );
  return new Map(rows.map((row) => [row.shopifyId, row]));
}

/** Each customer's most recent purchase (an order the purchase ledger counts, with lines), for replenishment and win-back. */
export async function lastOrders(shop: string, customers: Array<{ shopifyId: string; lastOrderAt: Date | null }>): Promise<Map<string, PlanOrder>> {
  const wanted = customers.filter((c) => c.lastOrderAt);
  if (wanted.length === 0) return new Map();
  // Two parameters a customer.
  const rows = await inChunks(wanted, MAX_IN_LIST / 2, (part) =>
    db.order.findMany({ where: { shop, countsAsPurchase: true, OR: part.map((c) => ({ customerShopifyId: c.shopifyId, processedAt: c.lastOrderAt! })) }, select: planOrderSelect }),
  );
  return new Map(rows.map((row) => [row.customerShopifyId!, row]));
}

export interface PlanFulfillment {
  shopifyId: string;
  orderShopifyId: string;
  deliveredAt: Date | null;
  shopifyCreatedAt: Date | null;
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
}

const fulfillmentSelect = { shopifyId: true, orderShopifyId: true, deliveredAt: true, shopifyCreatedAt: true, trackingCompany: true, trackingNumber: true, trackingUrl: true } as const;

/** Fulfillments delivered in [from, to]. */
export async function deliveredBetween(shop: string, from: Date, to: Date): Promise<PlanFulfillment[]> {
  return db.fulfillment.findMany({ where: { shop, deliveredAt: { gte: from, lte: to } }, select: fulfillmentSelect, orderBy: { deliveredAt: "asc" } });
}

/**
 * Successful fulfillments without tracking (no number, no carrier status)
 * created in [from, to]: nobody will tell us they arrived, so they count as
 * delivered a fixed number of days after they shipped.
 */
export async function untrackedShippedBetween(shop: string, from: Date, to: Date): Promise<PlanFulfillment[]> {
  return db.fulfillment.findMany({
    where: { shop, status: "success", deliveredAt: null, trackingNumber: null, shipmentStatus: null, shopifyCreatedAt: { gte: from, lte: to } },
    select: fulfillmentSelect,
  });
}

/** Orders cancelled, and orders refunded (their order ids), in [from, to]. */
export async function cancelledOrRefundedBetween(shop: string, from: Date, to: Date): Promise<{ cancelled: string[]; refunded: string[] }> {
  const [cancelled, refunds] = await Promise.all([
    db.order.findMany({ where: { shop, cancelledAt: { gte: from, lte: to } }, select: { shopifyId: true } }),
    db.refund.findMany({ where: { shop, processedAt: { gte: from, lte: to } }, select: { orderShopifyId: true } }),
  ]);
  return { cancelled: cancelled.map((row) => row.shopifyId), refunded: [...new Set(refunds.map((row) => row.orderShopifyId))] };
}

/** Purchases (orders the ledger counts) placed in [from, to] with a customer: each reorder ends that customer's pending reminder and win-back. */
export async function ordersPlacedBetween(shop: string, from: Date, to: Date): Promise<Array<{ customerShopifyId: string; processedAt: Date }>> {
  const rows = await db.order.findMany({
    where: { shop, processedAt: { gte: from, lte: to }, countsAsPurchase: true, customerShopifyId: { not: null } },
    select: { customerShopifyId: true, processedAt: true },
  });
  return rows.map((row) => ({ customerShopifyId: row.customerShopifyId!, processedAt: row.processedAt }));
}

/** Keys of a customer's unsent messages of these flows planned before `before`. */
export async function pendingFlowKeys(shop: string, customerShopifyId: string, flows: string[], before: Date): Promise<string[]> {
  const rows = await db.message.findMany({
    where: { shop, customerShopifyId, source: "flow", sourceId: { in: flows }, status: { in: [...UNSENT_STATUSES] }, createdAt: { lt: before } },
    select: { idempotencyKey: true },
  });
  return rows.map((row) => row.idempotencyKey);
}

/** Customers whose replenishment reminder point falls in [from, to]. */
export async function remindersBetween(shop: string, from: Date, to: Date): Promise<PlanCustomer[]> {
  return db.customer.findMany({ where: { shop, deletedAt: null, reminderAt: { gte: from, lte: to }, lastOrderAt: { not: null } }, select: customerSelect });
}

/** Customers at risk or dormant who have ordered. */
export async function customersInStages(shop: string, stages: string[]): Promise<PlanCustomer[]> {
  return db.customer.findMany({ where: { shop, deletedAt: null, lifecycleStage: { in: stages }, lastOrderAt: { not: null } }, select: customerSelect });
}

/** Customer files whose birthday (MM-DD or YYYY-MM-DD) falls on one of these month-days. */
export async function birthdaysOn(shop: string, monthDays: string[]): Promise<Array<{ customerShopifyId: string; birthday: string }>> {
  if (monthDays.length === 0) return [];
  const rows = await db.customerFile.findMany({ where: { shop, OR: monthDays.map((md) => ({ birthday: { endsWith: md } })) }, select: { customerShopifyId: true, birthday: true } });
  return rows.filter((row): row is { customerShopifyId: string; birthday: string } => row.birthday !== null);
}

/** Members' current tier handles. */
export async function memberTierHandles(shop: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await inChunks([...new Set(ids)], MAX_IN_LIST, (part) =>
    db.memberTier.findMany({ where: { shop, customerShopifyId: { in: part } }, select: { customerShopifyId: true, tierHandle: true, pinnedHandle: true } }),
  );
  return new Map(rows.map((row) => [row.customerShopifyId, row.pinnedHandle ?? row.tierHandle]));
}

/** A customer to preview a journey for: the most recent buyer (null for a shop without orders yet). */
export async function sampleCustomer(shop: string): Promise<PlanCustomer | null> {
  return db.customer.findFirst({ where: { shop, deletedAt: null, lastOrderAt: { not: null } }, orderBy: [{ lastOrderAt: "desc" }, { shopifyId: "asc" }], select: customerSelect });
}

/**
 * Unsent downgrade warnings of members no longer facing a downgrade (they met
 * the threshold again, or the downgrade has happened): their keys by customer.
 */
export async function staleWarningKeys(shop: string): Promise<Map<string, string[]>> {
  const pending = await db.message.findMany({
    where: { shop, source: "flow", sourceId: "downgradeWarning", status: { in: [...UNSENT_STATUSES] } },
    select: { customerShopifyId: true, idempotencyKey: true },
  });
  const out = new Map<string, string[]>();
  if (pending.length === 0) return out;
  const facing = new Set<string>();
  const ids = [...new Set(pending.map((row) => row.customerShopifyId))];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.memberTier.findMany({ where: { shop, customerShopifyId: { in: ids.slice(i, i + 500) }, downgradeOn: { not: null } }, select: { customerShopifyId: true } });
    for (const row of rows) facing.add(row.customerShopifyId);
  }
  for (const row of pending) {
    if (facing.has(row.customerShopifyId)) continue;
    out.set(row.customerShopifyId, [...(out.get(row.customerShopifyId) ?? []), row.idempotencyKey]);
  }
  return out;
}
