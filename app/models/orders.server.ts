import db from "~/db.server";
import type { FactOrder, FactRefund } from "~/domain/member-facts";
import type { OrderRecord, RefundRecord } from "~/domain/webhook-payloads";

/** Ids per IN list: the libsql driver adapter refuses statements with more than 999 parameters. */
export const MAX_IN_LIST = 500;

/**
 * Applies an order payload unless a newer version (by Shopify's updated_at) is
 * already stored. Returns the customers whose facts may have changed: the
 * order's customer and, if the order moved, the one it moved from.
 */
export async function applyOrder(shop: string, record: OrderRecord): Promise<{ applied: boolean; customers: string[] }> {
  const existing = await db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: record.shopifyId } },
    select: { id: true, shopifyUpdatedAt: true, customerShopifyId: true },
  });
  const customerShopifyId = record.customer?.shopifyId ?? existing?.customerShopifyId ?? null;
  const affected = [...new Set([customerShopifyId, existing?.customerShopifyId].filter((id): id is string => !!id))];
  if (existing && existing.shopifyUpdatedAt > record.shopifyUpdatedAt) return { applied: false, customers: affected };

  const fields = {
    customerShopifyId,
    name: record.name,
    shopifyCreatedAt: record.shopifyCreatedAt,
    processedAt: record.processedAt,
    shopifyUpdatedAt: record.shopifyUpdatedAt,
    currencyCode: record.currencyCode,
    presentmentCurrency: record.presentmentCurrency,
    subtotalMinor: record.subtotalMinor,
    totalMinor: record.totalMinor,
    totalDiscountsMinor: record.totalDiscountsMinor,
    totalTaxMinor: record.totalTaxMinor,
    shippingMinor: record.shippingMinor,
    financialStatus: record.financialStatus,
    fulfillmentStatus: record.fulfillmentStatus,
    cancelledAt: record.cancelledAt,
    cancelReason: record.cancelReason,
    test: record.test,
    sourceName: record.sourceName,
  };
  // Explicit create/update: Prisma's upsert costs a read and a write again, and
  // the existing row has just been read.
  if (existing) {
    await db.order.update({ where: { id: existing.id }, data: fields, select: { id: true } });
    // Lines are replaced as a whole: an order edit can add, remove or change them.
    await db.orderLine.deleteMany({ where: { shop, orderId: existing.id } });
  }
  const orderId = existing?.id ?? (await db.order.create({ data: { shop, shopifyId: record.shopifyId, ...fields }, select: { id: true } })).id;
  if (record.lines.length > 0) {
    await db.orderLine.createMany({ data: record.lines.map((line) => ({ shop, orderId, ...line })) });
  }
  return { applied: true, customers: affected };
}

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
  const orderIds = [...customerOfOrder.keys()];
  for (let i = 0; i < orderIds.length; i += MAX_IN_LIST) {
    const refunds = await db.refund.findMany({
      where: { shop, orderShopifyId: { in: orderIds.slice(i, i + MAX_IN_LIST) } },
      select: { orderShopifyId: true, amountMinor: true },
    });
    for (const refund of refunds) inputs.get(customerOfOrder.get(refund.orderShopifyId)!)!.refunds.push(refund);
  }
  return inputs;
}
