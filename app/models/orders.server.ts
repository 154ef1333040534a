import { randomUUID } from "node:crypto";
import db from "~/db.server";
import type { FactOrder, FactRefund } from "~/domain/member-facts";
import type { OrderRecord, RefundRecord } from "~/domain/webhook-payloads";

import { chunks, MAX_IN_LIST } from "./sql-limits.server";

/**
 * Applies a batch of order payloads, each unless a newer version (by Shopify's
 * updated_at) is already stored; within the batch the newest version of each
 * order wins. Set-based: a few statements per batch whatever its size, since a
 * statement costs about a millisecond here. Returns the orders written and the
 * customers whose facts may have changed (an order's customer, and the one it
 * moved from).
 */
export async function applyOrders(shop: string, records: OrderRecord[]): Promise<{ written: Set<string>; customers: string[] }> {
  const newest = new Map<string, OrderRecord>();
  for (const record of records) {
    const current = newest.get(record.shopifyId);
    if (!current || record.shopifyUpdatedAt >= current.shopifyUpdatedAt) newest.set(record.shopifyId, record);
  }
  const existing = new Map<string, { id: string; shopifyUpdatedAt: Date; customerShopifyId: string | null }>();
  for (const ids of chunks([...newest.keys()], MAX_IN_LIST)) {
    const rows = await db.order.findMany({
      where: { shop, shopifyId: { in: ids } },
      select: { id: true, shopifyId: true, shopifyUpdatedAt: true, customerShopifyId: true },
    });
    for (const row of rows) existing.set(row.shopifyId, row);
  }

  const toWrite = [...newest.values()].filter((record) => {
    const stored = existing.get(record.shopifyId);
    return !stored || stored.shopifyUpdatedAt <= record.shopifyUpdatedAt;
  });
  const customers = new Set<string>();
  const orders = toWrite.map((record) => {
    const stored = existing.get(record.shopifyId);
    const customerShopifyId = record.customer?.shopifyId ?? stored?.customerShopifyId ?? null;
    if (customerShopifyId) customers.add(customerShopifyId);
    if (stored?.customerShopifyId) customers.add(stored.customerShopifyId);
    const { customer: _customer, lines: _lines, ...fields } = record;
    // A rewritten order keeps its row id; its lines are replaced as a whole,
    // since an order edit can add, remove or change them.
    return { id: stored?.id ?? randomUUID(), shop, ...fields, customerShopifyId };
  });

  const rewritten = toWrite.flatMap((record) => existing.get(record.shopifyId)?.id ?? []);
  for (const ids of chunks(rewritten, MAX_IN_LIST)) await db.order.deleteMany({ where: { shop, id: { in: ids } } }); // lines cascade
  for (const rows of chunks(orders, ORDERS_PER_INSERT)) await db.order.createMany({ data: rows });
  const lines = toWrite.flatMap((record, index) => record.lines.map((line) => ({ shop, orderId: orders[index].id, ...line })));
  for (const rows of chunks(lines, LINES_PER_INSERT)) await db.orderLine.createMany({ data: rows });
  return { written: new Set(toWrite.map((record) => record.shopifyId)), customers: [...customers] };
}

// Rows per multi-row INSERT: columns × rows stays under 999 parameters.
const ORDERS_PER_INSERT = 40;
const LINES_PER_INSERT = 70;

/** Refunds never change once created; a repeat is a no-op. Returns the order's customer, if known. */
export async function applyRefund(shop: string, record: RefundRecord): Promise<{ stored: boolean; customerShopifyId: string | null }> {
  const existing = await db.refund.findUnique({ where: { shop_shopifyId: { shop, shopifyId: record.shopifyId } }, select: { id: true } });
  if (!existing) {
    await db.refund.create({ data: { shop, ...record, lines: JSON.stringify(record.lines) } });
  }
  const order = await db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: record.orderShopifyId } },
    select: { customerShopifyId: true },
  });
  return { stored: !existing, customerShopifyId: order?.customerShopifyId ?? null };
}

export async function orderCustomer(shop: string, orderShopifyId: string): Promise<string | null> {
  const order = await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } }, select: { customerShopifyId: true } });
  return order?.customerShopifyId ?? null;
}

/** What member facts are computed from: each customer's orders and their refunds, in two queries. */
export async function factInputs(shop: string, customerShopifyIds: string[]): Promise<Map<string, { orders: FactOrder[]; refunds: FactRefund[] }>> {
  const inputs = new Map(customerShopifyIds.map((id) => [id, { orders: [] as FactOrder[], refunds: [] as FactRefund[] }]));
  if (customerShopifyIds.length === 0) return inputs;
  const orders = await db.order.findMany({
    where: { shop, customerShopifyId: { in: customerShopifyIds } },
    select: { shopifyId: true, customerShopifyId: true, processedAt: true, subtotalMinor: true, currencyCode: true, cancelledAt: true, financialStatus: true },
  });
  const customerOfOrder = new Map<string, string>();
  for (const { customerShopifyId, ...order } of orders) {
    inputs.get(customerShopifyId!)!.orders.push(order);
    customerOfOrder.set(order.shopifyId, customerShopifyId!);
  }
  for (const orderIds of chunks([...customerOfOrder.keys()], MAX_IN_LIST)) {
    const refunds = await db.refund.findMany({
      where: { shop, orderShopifyId: { in: orderIds } },
      select: { orderShopifyId: true, amountMinor: true },
    });
    for (const refund of refunds) inputs.get(customerOfOrder.get(refund.orderShopifyId)!)!.refunds.push(refund);
  }
  return inputs;
}
