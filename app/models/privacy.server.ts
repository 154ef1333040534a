import db from "~/db.server";
import { ERASED_PERSONAL_DATA } from "./customers.server";
import { REDACTED_BODY } from "./inbox.server";
import { ERASED_CLASSIFICATION } from "./intelligence.server";
import { eraseCustomerAnomalies, eraseShopAnomalies } from "./anomalies.server";
import { customerMessagesExport, eraseCustomerMessages, eraseShopMessages } from "./messages.server";
import { customerGiftsExport, eraseCustomerGifts, eraseShopGifts } from "./gifts.server";
import { customerRewardsExport, eraseCustomerRewards, eraseShopRewards } from "./rewards.server";

/** Everything the app holds on one customer, for customers/data_request. */
export async function collectCustomerData(shop: string, customerShopifyId: string, orderShopifyIds: string[]) {
  const member = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } } });
  const orders = await db.order.findMany({
    where: { shop, OR: [{ customerShopifyId }, { shopifyId: { in: orderShopifyIds } }] },
    include: { lines: { select: { shopifyId: true, productShopifyId: true, variantShopifyId: true, title: true, sku: true, quantity: true, unitPriceMinor: true, discountMinor: true } } },
    orderBy: { processedAt: "asc" },
  });
  const orderIds = orders.map((order) => order.shopifyId);
  const [refunds, fulfillments, fulfillmentEvents, effects, tier, tierHistory, tierWarnings, customerFile, customerFileEdits, followUps] = await Promise.all([
    db.refund.findMany({ where: { shop, orderShopifyId: { in: orderIds } } }),
    db.fulfillment.findMany({ where: { shop, orderShopifyId: { in: orderIds } } }),
    db.fulfillmentEvent.findMany({ where: { shop, orderShopifyId: { in: orderIds } } }),
    db.outboxEffect.findMany({ where: { shop, customerShopifyId } }),
    db.memberTier.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } } }),
    db.tierChange.findMany({ where: { shop, customerShopifyId }, orderBy: { at: "asc" } }),
    // Downgrade warnings: when and where each reached them (ADR 0011).
    db.tierWarning.findMany({ where: { shop, customerShopifyId }, orderBy: { announcedAt: "asc" } }),
    // The customer file (soft data staff entered), its change log and staff follow-ups.
    db.customerFile.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } } }),
    db.customerFileEdit.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "asc" } }),
    db.followUpTask.findMany({ where: { shop, customerShopifyId }, orderBy: { createdAt: "asc" } }),
  ]);
  // Care messages (issue 8) with every decision about them.
  const { messages, messageDecisions } = await customerMessagesExport(shop, customerShopifyId);
  // Their shipments' troubles (issue 8).
  const shipmentAnomalies = await db.shipmentAnomaly.findMany({ where: { shop, customerShopifyId }, orderBy: { detectedAt: "asc" } });
  // Rewards staff issued them (issue 10).
  const rewards = await customerRewardsExport(shop, customerShopifyId);
  // Gifts packed in their parcels (issue 10).
  const gifts = await customerGiftsExport(shop, customerShopifyId);
  return { member, orders, refunds, fulfillments, fulfillmentEvents, effects, tier, tierHistory, tierWarnings, customerFile, customerFileEdits, followUps, messages, messageDecisions, shipmentAnomalies, rewards, gifts };
}

export async function saveDataRequest(shop: string, request: { customerShopifyId: string; requestShopifyId: string | null; exported: unknown }) {
  return db.dataRequest.create({
    data: {
      shop,
      customerShopifyId: request.customerShopifyId,
      requestShopifyId: request.requestShopifyId,
      export: JSON.stringify(request.exported),
    },
  });
}

export async function listDataRequests(shop: string, customerShopifyId?: string) {
  return db.dataRequest.findMany({ where: { shop, ...(customerShopifyId ? { customerShopifyId } : {}) }, orderBy: { createdAt: "desc" } });
}

/**
 * customers/redact: erases the customer's personal data everywhere the app keeps
 * it. What stays is anonymous: order amounts and lines (no longer linked to the
 * customer) and a tombstone id so a late webhook cannot recreate the file.
 */
export async function redactCustomer(shop: string, customerShopifyId: string, orderShopifyIds: string[], now: Date) {
  const orders = await db.order.findMany({
    where: { shop, OR: [{ customerShopifyId }, { shopifyId: { in: orderShopifyIds } }] },
    select: { shopifyId: true },
  });
  const orderIds = orders.map((order) => order.shopifyId);
  await db.customer.upsert({
    where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } },
    create: { shop, shopifyId: customerShopifyId, deletedAt: now },
    update: { ...ERASED_PERSONAL_DATA, ...ERASED_CLASSIFICATION, countryCode: null, shopifyCreatedAt: null, deletedAt: now },
  });
  await db.order.updateMany({ where: { shop, shopifyId: { in: orderIds } }, data: { customerShopifyId: null, name: null } });
  await db.fulfillment.updateMany({ where: { shop, orderShopifyId: { in: orderIds } }, data: { trackingNumber: null, trackingUrl: null } });
  await db.fulfillmentEvent.updateMany({ where: { shop, orderShopifyId: { in: orderIds } }, data: { city: null, message: null } });
  await db.refund.updateMany({ where: { shop, orderShopifyId: { in: orderIds } }, data: { note: null } });
  await db.outboxEffect.updateMany({
    where: { shop, customerShopifyId },
    data: { payload: REDACTED_BODY, status: "cancelled", customerShopifyId: null },
  });
  await db.dataRequest.deleteMany({ where: { shop, customerShopifyId } });
  // Tier state and history are about the person (pinned reasons are staff notes).
  await db.memberTier.deleteMany({ where: { shop, customerShopifyId } });
  await db.tierChange.deleteMany({ where: { shop, customerShopifyId } });
  await db.tierWarning.deleteMany({ where: { shop, customerShopifyId } });
  // The customer file is soft data staff entered about the person: erased with
  // its change log (old and new values) and the follow-ups (outcome notes).
  await db.customerFile.deleteMany({ where: { shop, customerShopifyId } });
  await db.customerFileEdit.deleteMany({ where: { shop, customerShopifyId } });
  await db.followUpTask.deleteMany({ where: { shop, customerShopifyId } });
  // Care messages hold names and products in their variables: erased with their log.
  await eraseCustomerMessages(shop, customerShopifyId);
  await eraseCustomerAnomalies(shop, customerShopifyId);
  await eraseCustomerRewards(shop, customerShopifyId);
  await eraseCustomerGifts(shop, customerShopifyId);
  // Raw webhook bodies carry names, emails and addresses: scrub every one that
  // concerns this customer or their orders.
  const scrubbed = await db.inboxEvent.updateMany({
    where: { shop, OR: [{ subjectCustomerId: customerShopifyId }, { subjectOrderId: { in: orderIds } }] },
    data: { body: REDACTED_BODY },
  });
  return { orders: orderIds.length, inboxRowsScrubbed: scrubbed.count };
}

/** shop/redact: every row of the shop, in every table. */
export async function deleteShopData(shop: string) {
  const where = { where: { shop } };
  const counts = await Promise.all([
    db.orderLine.deleteMany(where),
    db.refund.deleteMany(where),
    db.orderEdit.deleteMany(where),
    db.fulfillmentEvent.deleteMany(where),
    db.fulfillment.deleteMany(where),
    db.dataRequest.deleteMany(where),
    db.outboxEffect.deleteMany(where),
    db.session.deleteMany(where),
    db.memberTier.deleteMany(where),
    db.tierChange.deleteMany(where),
    db.tierWarning.deleteMany(where),
    db.tierProgram.deleteMany(where),
    db.productInterval.deleteMany(where),
    db.customerFile.deleteMany(where),
    db.customerFileEdit.deleteMany(where),
    db.followUpTask.deleteMany(where),
    db.followUpRun.deleteMany(where),
    db.intelSnapshot.deleteMany(where),
  ]);
  const messages = (await eraseShopMessages(shop)) + (await eraseShopAnomalies(shop)) + (await eraseShopRewards(shop)) + (await eraseShopGifts(shop));
  const orders = await db.order.deleteMany(where);
  const customers = await db.customer.deleteMany(where);
  const inbox = await db.inboxEvent.deleteMany(where);
  await db.shop.deleteMany(where);
  return counts.reduce((sum, result) => sum + result.count, 0) + messages + orders.count + customers.count + inbox.count;
}
