import db from "~/db.server";
import type { FactOrder, FactRefund } from "~/domain/member-facts";
import type { OrderRecord, RefundRecord } from "~/domain/webhook-payloads";

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
  const order = await db.order.upsert({
    where: { shop_shopifyId: { shop, shopifyId: record.shopifyId } },
    create: { shop, shopifyId: record.shopifyId, ...fields },
    update: fields,
    select: { id: true },
  });
  // Lines are replaced as a whole: an order edit can add, remove or change them.
  await db.orderLine.deleteMany({ where: { shop, orderId: order.id } });
  if (record.lines.length > 0) {
    await db.orderLine.createMany({ data: record.lines.map((line) => ({ shop, orderId: order.id, ...line })) });
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

/** What member facts are computed from: the customer's orders and their refunds. */
export async function factInputs(shop: string, customerShopifyId: string): Promise<{ orders: FactOrder[]; refunds: FactRefund[] }> {
  const orders = await db.order.findMany({
    where: { shop, customerShopifyId },
    select: { shopifyId: true, processedAt: true, subtotalMinor: true, currencyCode: true, cancelledAt: true, financialStatus: true },
  });
  const refunds =
    orders.length === 0
      ? []
      : await db.refund.findMany({
          where: { shop, orderShopifyId: { in: orders.map((order) => order.shopifyId) } },
          select: { orderShopifyId: true, amountMinor: true },
        });
  return { orders, refunds };
}
