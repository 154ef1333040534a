import db from "~/db.server";
import type { FulfillmentEventRecord, FulfillmentRecord } from "~/domain/webhook-payloads";

const DELIVERED = "delivered";

function earliest(a: Date | null | undefined, b: Date | null | undefined): Date | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a < b ? a : b;
}

/**
 * Applies a fulfillment unless a newer one is stored. Delivery time is the
 * earliest "delivered" signal seen (shipment status or event), a minimum, so it
 * converges whatever order fulfillments and events arrive in.
 */
export async function applyFulfillment(shop: string, record: FulfillmentRecord): Promise<{ applied: boolean; delivered: boolean }> {
  const existing = await db.fulfillment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: record.shopifyId } } });
  if (existing?.shopifyUpdatedAt && record.shopifyUpdatedAt && record.shopifyUpdatedAt < existing.shopifyUpdatedAt) {
    return { applied: false, delivered: !!existing.deliveredAt };
  }
  const deliveredSignal = record.shipmentStatus === DELIVERED ? (record.shopifyUpdatedAt ?? record.shopifyCreatedAt) : null;
  const deliveredAt = earliest(existing?.deliveredAt, deliveredSignal);
  const fields = {
    orderShopifyId: record.orderShopifyId,
    status: record.status,
    shipmentStatus: record.shipmentStatus,
    trackingCompany: record.trackingCompany,
    trackingNumber: record.trackingNumber,
    trackingUrl: record.trackingUrl,
    shopifyCreatedAt: record.shopifyCreatedAt,
    shopifyUpdatedAt: record.shopifyUpdatedAt,
    deliveredAt,
  };
  await db.fulfillment.upsert({
    where: { shop_shopifyId: { shop, shopifyId: record.shopifyId } },
    create: { shop, shopifyId: record.shopifyId, ...fields },
    update: fields,
  });
  return { applied: true, delivered: !!deliveredAt };
}

/**
 * Records a carrier event and folds it into its fulfillment (creating a
 * placeholder when the event arrives first; fulfillments/create fills it later).
 */
export async function applyFulfillmentEvent(shop: string, record: FulfillmentEventRecord): Promise<{ delivered: boolean; orderShopifyId: string | null }> {
  const known = await db.fulfillmentEvent.findUnique({ where: { shop_shopifyId: { shop, shopifyId: record.shopifyId } }, select: { id: true } });
  if (!known) await db.fulfillmentEvent.create({ data: { shop, ...record } });

  const fulfillment = await db.fulfillment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: record.fulfillmentShopifyId } } });
  const isNewest = !fulfillment?.lastEventAt || record.happenedAt >= fulfillment.lastEventAt;
  const deliveredAt = earliest(fulfillment?.deliveredAt, record.status === DELIVERED ? record.happenedAt : null);
  const eventFields = {
    deliveredAt,
    ...(isNewest ? { lastEventAt: record.happenedAt, lastEventStatus: record.status } : {}),
  };
  const orderShopifyId = fulfillment?.orderShopifyId ?? record.orderShopifyId;
  await db.fulfillment.upsert({
    where: { shop_shopifyId: { shop, shopifyId: record.fulfillmentShopifyId } },
    create: { shop, shopifyId: record.fulfillmentShopifyId, orderShopifyId: orderShopifyId ?? "", ...eventFields },
    update: eventFields,
  });
  return { delivered: !!deliveredAt, orderShopifyId };
}
