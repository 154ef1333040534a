import { Prisma } from "@prisma/client";
import db, { dialect } from "~/db.server";
import { parseShopifyJson } from "~/domain/shopify-json";
import { isAbout, webhookSubjects } from "~/domain/webhook-subjects";
import { REDACTED_BODY, scrubInboxBodies } from "./inbox.server";
import { eraseCustomerAnomalies } from "./anomalies.server";
import { customerMessagesExport, eraseCustomerMessages } from "./messages.server";
import { customerGiftsExport, eraseCustomerGifts } from "./gifts.server";
import { customerRewardsExport, eraseCustomerRewards } from "./rewards.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { eraseCustomerFromSavedViews, savedViewsNaming } from "./saved-list-views.server";

/**
 * The customer's orders: those linked to them and those the request names
 * (Shopify lists the orders of the last six months; older ones may be linked).
 */
async function customerOrderIds(shop: string, customerShopifyId: string, orderShopifyIds: string[]): Promise<string[]> {
  const orders = await db.order.findMany({
    where: { shop, OR: [{ customerShopifyId }, { shopifyId: { in: orderShopifyIds } }] },
    select: { shopifyId: true },
  });
  return [...new Set([...orders.map((order) => order.shopifyId), ...orderShopifyIds])];
}

/**
 * Every inbox row about the customer or one of their orders, whatever its
 * state. Projected rows carry the subjects the projector recorded (indexed);
 * a row that is pending, in flight or failed has none yet, and neither has a
 * row projected before subjects were recorded: their bodies are read (a few,
 * as the retention job purges processed ones) to see whom they name.
 */
export async function inboxRowsAbout(shop: string, customerShopifyId: string, orderShopifyIds: string[]): Promise<number[]> {
  const orders = new Set(orderShopifyIds);
  const found = new Set<number>();
  const bySubject = [{ subjectCustomerId: customerShopifyId }, ...chunks(orderShopifyIds, MAX_IN_LIST).map((part) => ({ subjectOrderId: { in: part } }))];
  for (const where of bySubject) {
    for (const row of await db.inboxEvent.findMany({ where: { shop, ...where }, select: { id: true } })) found.add(row.id);
  }
  let after = 0;
  for (;;) {
    const rows = await db.inboxEvent.findMany({
      where: {
        shop,
        id: { gt: after },
        payload: { body: { not: REDACTED_BODY } },
        OR: [{ status: { notIn: ["done", "skipped"] } }, { subjectCustomerId: null, subjectOrderId: null }],
      },
      orderBy: { id: "asc" },
      take: 200,
      select: { id: true, topic: true, payload: { select: { body: true } } },
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    for (const row of rows) {
      let body: unknown;
      try {
        body = parseShopifyJson(row.payload!.body);
      } catch {
        continue; // not JSON: ingest refuses those, so nothing of a customer can be in it
      }
      if (isAbout(webhookSubjects(row.topic, body), customerShopifyId, orders)) found.add(row.id);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * Everything the app holds on one customer, for customers/data_request: one
 * section per table that can hold data about a customer, with whole rows
 * (tests/erasure-coverage.test.ts checks every such row of every model is in
 * it). What is not here is by design not about a person: the shop's settings,
 * programs, flows, campaigns and gift list, learned product intervals, daily
 * counts, staff sessions, and earlier exports (DataRequest: a copy of this).
 */
export async function collectCustomerData(shop: string, customerShopifyId: string, orderShopifyIds: string[]) {
  const member = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } } });
  const orderIds = await customerOrderIds(shop, customerShopifyId, orderShopifyIds);
  const orders = await db.order.findMany({ where: { shop, shopifyId: { in: orderIds } }, include: { lines: true }, orderBy: { processedAt: "asc" } });
  const inboxIds = await inboxRowsAbout(shop, customerShopifyId, orderIds);
  const [refunds, orderEdits, fulfillments, fulfillmentEvents, effects, tier, tierHistory, tierWarnings, customerFile, customerFileEdits, followUps, domainEvents, webhooks] = await Promise.all([
    db.refund.findMany({ where: { shop, orderShopifyId: { in: orderIds } } }),
    db.orderEdit.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, orderBy: { committedAt: "asc" } }),
    db.fulfillment.findMany({ where: { shop, orderShopifyId: { in: orderIds } } }),
    db.fulfillmentEvent.findMany({ where: { shop, orderShopifyId: { in: orderIds } } }),
    db.outboxEffect.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "asc" } }),
    db.memberTier.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } } }),
    db.tierChange.findMany({ where: { shop, customerShopifyId }, orderBy: { at: "asc" } }),
    // Downgrade warnings: when and where each reached them (ADR 0011).
    db.tierWarning.findMany({ where: { shop, customerShopifyId }, orderBy: { announcedAt: "asc" } }),
    // The customer file (soft data staff entered), its change log and staff follow-ups.
    db.customerFile.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } } }),
    db.customerFileEdit.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "asc" } }),
    db.followUpTask.findMany({ where: { shop, customerShopifyId }, orderBy: { createdAt: "asc" } }),
    // What the app concluded about them (tier events the care flows read).
    db.domainEvent.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "asc" } }),
    // The webhooks about them as Shopify sent them, raw bodies included.
    db.inboxEvent.findMany({ where: { shop, id: { in: inboxIds } }, orderBy: { id: "asc" }, include: { payload: true } }),
  ]);
  // Care messages (issue 8) with every decision about them.
  const { messages, messageDecisions } = await customerMessagesExport(shop, customerShopifyId);
  // Their shipments' troubles (issue 8), also those of their orders recorded before the order was linked to them.
  const shipmentAnomalies = await db.shipmentAnomaly.findMany({
    where: { shop, OR: [{ customerShopifyId }, { orderShopifyId: { in: orderIds } }] },
    orderBy: { detectedAt: "asc" },
  });
  // Rewards staff issued them (issue 10).
  const rewards = await customerRewardsExport(shop, customerShopifyId);
  // Gifts packed in their parcels (issue 10).
  const gifts = await customerGiftsExport(shop, customerShopifyId);
  // Saved list views whose search names them (issue 20): staff searched for this person.
  const savedListViews = await savedViewsNaming(shop, customerShopifyId);
  return {
    member,
    orders,
    refunds,
    orderEdits,
    fulfillments,
    fulfillmentEvents,
    effects,
    tier,
    tierHistory,
    tierWarnings,
    customerFile,
    customerFileEdits,
    followUps,
    messages,
    messageDecisions,
    shipmentAnomalies,
    rewards,
    gifts,
    savedListViews,
    domainEvents,
    webhooks,
  };
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
 * customers/redact: erases the customer's personal data everywhere the app
 * keeps it. What stays is anonymous: their orders' amounts and lines (no
 * longer linked to anyone, so the shop's figures do not change). The member
 * row itself goes: the erasure tombstone (./tombstones.server.ts, written by
 * the service) is what stops a late webhook from recreating it.
 */
export async function redactCustomer(shop: string, customerShopifyId: string, orderShopifyIds: string[], now: Date) {
  const orderIds = await customerOrderIds(shop, customerShopifyId, orderShopifyIds);
  // Found before anything is unlinked: the subjects still point at them.
  const inboxIds = await inboxRowsAbout(shop, customerShopifyId, orderIds);
  // Saved list views named after them or searching for them (issue 20): erased while their name is still known.
  await eraseCustomerFromSavedViews(shop, customerShopifyId, now);
  await db.customer.deleteMany({ where: { shop, shopifyId: customerShopifyId } });
  for (const part of chunks(orderIds, MAX_IN_LIST)) {
    await db.order.updateMany({ where: { shop, shopifyId: { in: part } }, data: { customerShopifyId: null, name: null } });
    await db.fulfillment.updateMany({ where: { shop, orderShopifyId: { in: part } }, data: { trackingNumber: null, trackingUrl: null } });
    await db.fulfillmentEvent.updateMany({ where: { shop, orderShopifyId: { in: part } }, data: { city: null, message: null } });
    await db.refund.updateMany({ where: { shop, orderShopifyId: { in: part } }, data: { note: null } });
    // A shipment's trouble names the parcel's carrier events and opened a follow-up about the person.
    await db.shipmentAnomaly.deleteMany({ where: { shop, orderShopifyId: { in: part } } });
  }
  // Effects about them (membership writes, codes, tags) name them in their
  // payloads and keys: an unsent one would act on an erased person.
  await db.outboxEffect.deleteMany({ where: { shop, customerShopifyId } });
  await db.dataRequest.deleteMany({ where: { shop, customerShopifyId } });
  // Tier state and history are about the person (pinned reasons are staff notes).
  await db.memberTier.deleteMany({ where: { shop, customerShopifyId } });
  await db.tierChange.deleteMany({ where: { shop, customerShopifyId } });
  await db.tierWarning.deleteMany({ where: { shop, customerShopifyId } });
  // What the app concluded about them (tier events the care planner reads).
  await db.domainEvent.deleteMany({ where: { shop, customerShopifyId } });
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
  // Raw webhook bodies carry names, emails and addresses: every one about the
  // customer or their orders is scrubbed, in any state. One not yet projected
  // (pending, failed) will never be: it is closed as skipped, with why. A row
  // a worker holds right now keeps its state (the worker's own outcome lands
  // on a scrubbed row; the erasure gate keeps it from projecting anything).
  let scrubbed = 0;
  for (const part of chunks(inboxIds, MAX_IN_LIST)) {
    scrubbed += await scrubInboxBodies(shop, part);
    await db.inboxEvent.updateMany({
      where: { shop, id: { in: part }, status: { in: ["pending", "failed"] } },
      data: { status: "skipped", processedAt: now, lastError: "erased by customers/redact", subjectCustomerId: null },
    });
    await db.inboxEvent.updateMany({
      where: { shop, id: { in: part }, status: { notIn: ["pending", "failed"] } },
      data: { subjectCustomerId: null, lastError: null },
    });
  }
  return { orders: orderIds, inboxRowsScrubbed: scrubbed };
}

/**
 * shop/redact: every row of the shop, in every table that has a shop. The
 * tables are read from the schema itself, so a table added later is erased
 * without anyone remembering to add it here.
 */
export async function deleteShopData(shop: string) {
  let count = 0;
  const models = Prisma.dmmf.datamodel.models.filter((model) => model.fields.some((field) => field.name === "shop" && field.kind === "scalar"));
  // The Shop row last: a shop/redact interrupted half-way leaves a shop that
  // is still there to be erased again (the inbox worker retries it).
  models.sort((a, b) => Number(a.name === "Shop") - Number(b.name === "Shop"));
  for (const model of models) {
    const delegate = (db as unknown as Record<string, { deleteMany(args: { where: { shop: string } }): Promise<{ count: number }> }>)[model.name[0].toLowerCase() + model.name.slice(1)];
    count += (await delegate.deleteMany({ where: { shop } })).count;
  }
  return count;
}

/**
 * After an erasure on SQLite: the deleted and overwritten content is already
 * zeroed in the pages (secure_delete, app/db.server.ts), but the write-ahead
 * log still holds the pages as they were, personal data included, until a
 * checkpoint copies the new pages into the file; TRUNCATE then empties the log.
 * PostgreSQL keeps dead row versions until VACUUM (docs/operations.md).
 * Returns whether the log was emptied (false: a reader held an old snapshot;
 * the next checkpoint, at the latest SQLite's own at 1000 pages, completes it).
 */
export async function checkpointAfterErasure(): Promise<boolean> {
  if (dialect() !== "sqlite") return true;
  const [result] = await db.$queryRawUnsafe<Array<{ busy: number | bigint }>>("PRAGMA wal_checkpoint(TRUNCATE)");
  return Number(result?.busy ?? 0) === 0;
}
