/**
 * Shipments in trouble (issue 8): a sweep over each shop's in-flight
 * fulfillments (and a check of one fulfillment right after its webhook is
 * projected) turns the pure rules of app/domain/care/anomalies.ts into
 * ShipmentAnomaly rows. Each new anomaly, once:
 * - opens a staff follow-up (deliveryProblem) for the customer, or joins the
 *   one already pending for them;
 * - pauses that order's care messages (pauseOrderMessages) so nobody asks
 *   "how do you like it?" about a parcel that never came;
 * - plans the customer's "we are on it" note (flow shipmentNotice, step onIt,
 *   transactional, one per fulfillment) when the shop's settings want it.
 * A delivery resolves the fulfillment's anomalies, drops a note not yet sent
 * and, once no anomaly of the order is left open, resumes its messages. Staff
 * can resolve a shipment by hand (resolvedBy). Runs under the shop's lock
 * ("anomalies"), so the sweep and a webhook's check take turns.
 */
import { detectShipmentAnomalies } from "~/domain/care/anomalies";
import type { CareSettings } from "~/domain/care/settings";
import { ANOMALY_KINDS, FLOW_STEPS, type AnomalyKind, type Channel } from "~/domain/care/types";
import { dueOnFor } from "~/domain/follow-ups";
import type { ShipmentListQuery } from "~/domain/list-query";
import { localDate } from "~/domain/local-time";
import {
  deliveredAmong,
  inFlightIds,
  inFlightShipments,
  insertAnomalies,
  linkFollowUp,
  linkNotice,
  messageIdsByKey,
  openAnomalies,
  openAnomalyList,
  openShipmentPage,
  ordersWithOpenAnomaly,
  pendingDeliveryTasks,
  resolveAnomaliesOf,
  anomalyFulfillment,
  type AnomalyRow,
  type InFlightShipment,
  type NewAnomaly,
} from "~/models/anomalies.server";
import { getCareContext, type CareContext } from "~/models/care-settings.server";
import { createFollowUpTasks } from "~/models/follow-ups.server";
import { withShopLock } from "~/models/locks.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";
import { cancelMessages, pauseOrderMessages, planMessages, resumeOrderMessages, type PlannedMessage } from "~/models/messages.server";
import { closeGoneFollowUps } from "./follow-ups.server";

const DAY_MS = 86_400_000;
const PAGE = MAX_IN_LIST;
/** The note goes before any other care message due at the same moment. */
const NOTICE_PRIORITY = 0;
const NOTICE_STEP: (typeof FLOW_STEPS.shipmentNotice)[number] = "onIt";

/** One note per fulfillment, however many kinds of trouble it has. */
export const noticeKey = (fulfillmentShopifyId: string) => `shipmentNotice:${NOTICE_STEP}:${fulfillmentShopifyId}`;

export interface AnomalySweep {
  shop: string;
  opened: number;
  resolved: number;
}

/** The channel the note goes by: email when on, else SMS, else a Shopify Flow trigger; none when all are off. */
export function noticeChannel(settings: CareSettings): Channel | null {
  if (settings.channels.email) return "email";
  if (settings.channels.sms) return "sms";
  if (settings.channels.flow) return "flow";
  return null;
}

/** Resolves the given fulfillments' open anomalies and resumes orders left with none. */
async function resolve(shop: string, fulfillmentShopifyIds: string[], resolvedBy: string | null, now: Date): Promise<AnomalyRow[]> {
  const resolved = await resolveAnomaliesOf(shop, fulfillmentShopifyIds, resolvedBy, now);
  if (resolved.length === 0) return resolved;
  if (resolvedBy === null) {
    // Delivered: a note not yet gone would only confuse.
    await cancelMessages(shop, { idempotencyKeys: [...new Set(resolved.map((row) => noticeKey(row.fulfillmentShopifyId)))] }, "shipmentResolved", now);
  }
  const orders = [...new Set(resolved.map((row) => row.orderShopifyId))];
  const stillOpen = await ordersWithOpenAnomaly(shop, orders);
  for (const order of orders) if (!stillOpen.has(order)) await resumeOrderMessages(shop, order, now);
  // The customers' delivery follow-ups close now ("delivered", or "shipment
  // resolved" by staff) unless another of their parcels is still in trouble.
  await closeGoneFollowUps(shop, now, { customerShopifyIds: [...new Set(resolved.flatMap((row) => (row.customerShopifyId ? [row.customerShopifyId] : [])))] });
  return resolved;
}

/** What follows each new anomaly: the order paused, the staff follow-up, the customer's note. */
async function actOnNew(shop: string, created: AnomalyRow[], shipments: Map<string, InFlightShipment>, context: CareContext, now: Date): Promise<void> {
  for (const order of new Set(created.map((row) => row.orderShopifyId))) await pauseOrderMessages(shop, order, "shipmentProblem", now);

  const withCustomer = created.filter((row) => row.customerShopifyId !== null);
  if (withCustomer.length === 0) return;
  const customers = [...new Set(withCustomer.map((row) => row.customerShopifyId!))];
  let tasks = await pendingDeliveryTasks(shop, customers);
  const missing = customers.filter((customer) => !tasks.has(customer));
  if (missing.length) {
    const today = localDate(now, context.timeZone);
    await createFollowUpTasks(
      shop,
      missing.map((customer) => {
        const first = withCustomer.find((row) => row.customerShopifyId === customer)!;
        return {
          customerShopifyId: customer,
          reason: "deliveryProblem",
          priority: 1,
          dueOn: dueOnFor("deliveryProblem", today),
          alsoReasons: [],
          detail: { kind: first.kind, orderShopifyId: first.orderShopifyId, fulfillmentShopifyId: first.fulfillmentShopifyId },
        };
      }),
      now,
    );
    tasks = await pendingDeliveryTasks(shop, customers);
  }
  for (const [customer, taskId] of tasks) {
    await linkFollowUp(shop, withCustomer.filter((row) => row.customerShopifyId === customer).map((row) => row.id), taskId);
  }

  const channel = noticeChannel(context.settings);
  if (!context.settings.anomalies.notifyCustomer || channel === null) return;
  const fulfillments = new Map(withCustomer.map((row) => [row.fulfillmentShopifyId, row]));
  const notes: PlannedMessage[] = [...fulfillments.values()].map((row) => {
    const shipment = shipments.get(row.fulfillmentShopifyId);
    return {
      customerShopifyId: row.customerShopifyId!,
      idempotencyKey: noticeKey(row.fulfillmentShopifyId),
      source: "flow",
      sourceId: "shipmentNotice",
      step: NOTICE_STEP,
      channel,
      messageClass: "transactional",
      priority: NOTICE_PRIORITY,
      orderShopifyId: row.orderShopifyId,
      fulfillmentShopifyId: row.fulfillmentShopifyId,
      variables: {
        orderName: shipment?.orderName ?? null,
        carrier: shipment?.facts.trackingCompany ?? null,
        trackingNumber: shipment?.facts.trackingNumber ?? null,
        trackingUrl: shipment?.trackingUrl ?? null,
        anomaly: row.kind,
      },
      plannedAt: now,
      expiresAt: new Date(now.getTime() + context.settings.validityDefaultDays * DAY_MS),
    };
  });
  await planMessages(shop, notes, now);
  const ids = await messageIdsByKey(shop, notes.map((note) => note.idempotencyKey));
  for (const note of notes) {
    const id = ids.get(note.idempotencyKey);
    if (id) await linkNotice(shop, note.fulfillmentShopifyId!, id);
  }
}

async function sweep(shop: string, now: Date, fulfillmentShopifyId?: string): Promise<AnomalySweep> {
  const context = await getCareContext(shop);
  if (!context.installed) return { shop, opened: 0, resolved: 0 };

  // Deliveries first: an open anomaly whose parcel has arrived.
  const open = await openAnomalies(shop, fulfillmentShopifyId);
  const delivered = await deliveredAmong(shop, open.map((row) => row.fulfillmentShopifyId));
  const resolved = await resolve(shop, [...delivered], null, now);

  let opened = 0;
  for (const ids of chunks(await inFlightIds(shop, now, fulfillmentShopifyId), PAGE)) {
    const page = await inFlightShipments(shop, ids);
    const found: NewAnomaly[] = [];
    for (const shipment of page) {
      // An event or fulfillment that came before its order: nobody to tell yet; the next sweep will.
      if (!shipment.orderKnown) continue;
      const state = detectShipmentAnomalies(shipment.facts, context.settings.anomalies, now);
      if (state.delivered) continue;
      for (const finding of state.findings) {
        found.push({ fulfillmentShopifyId: shipment.fulfillmentShopifyId, orderShopifyId: shipment.orderShopifyId, customerShopifyId: shipment.customerShopifyId, kind: finding.kind, detail: finding.detail });
      }
    }
    const created = await insertAnomalies(shop, found, now);
    opened += created.length;
    if (created.length) await actOnNew(shop, created, new Map(page.map((shipment) => [shipment.fulfillmentShopifyId, shipment])), context, now);
  }
  return { shop, opened, resolved: resolved.length };
}

/** The sweep over one shop's in-flight fulfillments (set-based, a page at a time). */
export async function detectAnomalies(shop: string, now: Date): Promise<AnomalySweep> {
  return withShopLock("anomalies", shop, () => sweep(shop, now));
}

/** The same for one fulfillment, right after a fulfillment webhook was projected. */
export async function checkShipment(shop: string, fulfillmentShopifyId: string, now: Date): Promise<AnomalySweep> {
  return withShopLock("anomalies", shop, () => sweep(shop, now, fulfillmentShopifyId));
}

/**
 * Staff closed a shipment's trouble by hand (the anomaly's fulfillment, every
 * open kind): the order's messages resume unless another of its parcels is in
 * trouble. False when there was nothing open with that id in this shop.
 */
export async function resolveShipmentByStaff(shop: string, anomalyId: string, staffId: string | null, now: Date): Promise<boolean> {
  return (await resolveShipmentsByStaff(shop, [anomalyId], staffId, now)) > 0;
}

/**
 * The same for several shipments at once (the page's bulk action; each named
 * by one of its anomalies' ids): returns how many shipments this call closed
 * (one closed a moment ago by a delivery or a colleague is not counted).
 */
export async function resolveShipmentsByStaff(shop: string, anomalyIds: string[], staffId: string | null, now: Date): Promise<number> {
  return withShopLock("anomalies", shop, async () => {
    const fulfillments = (await Promise.all([...new Set(anomalyIds)].map((id) => anomalyFulfillment(shop, id)))).filter((id): id is string => id !== null);
    if (fulfillments.length === 0) return 0;
    // Staff without a user id (an offline token) still leave a mark: who closed it is "staff".
    return new Set((await resolve(shop, fulfillments, staffId ?? "staff", now)).map((row) => row.fulfillmentShopifyId)).size;
  });
}


/**
 * The Shipments in trouble page (issue 20): one page of shipments as `query`
 * asks (app/domain/list-query.ts), each with its kinds, carrier, tracking
 * number and link, order, customer and follow-up, and how many match in all.
 */
export async function shipmentsPage(shop: string, query: ShipmentListQuery, now: Date) {
  const { fulfillmentShopifyIds, total } = await openShipmentPage(shop, query, now);
  const rows = fulfillmentShopifyIds.length ? await openAnomalyList(shop, { fulfillmentShopifyIds }) : [];
  const place = new Map(fulfillmentShopifyIds.map((id, index) => [id, index]));
  const shipments = groupByShipment(rows, now).sort((a, b) => place.get(a.fulfillmentShopifyId)! - place.get(b.fulfillmentShopifyId)!);
  return { shipments, total };
}

/** The Anomalies page: open anomalies grouped by shipment, days since shipped counted at `now`. */
export async function anomaliesPage(shop: string, now: Date) {
  return groupByShipment(await openAnomalyList(shop), now);
}

function groupByShipment(rows: Awaited<ReturnType<typeof openAnomalyList>>, now: Date) {
  const shipments = new Map<string, { anomalyId: string; kinds: string[]; detectedAt: Date; row: (typeof rows)[number] }>();
  for (const row of rows) {
    const shipment = shipments.get(row.fulfillmentShopifyId);
    if (!shipment) shipments.set(row.fulfillmentShopifyId, { anomalyId: row.id, kinds: [row.kind], detectedAt: row.detectedAt, row });
    else {
      shipment.kinds.push(row.kind);
      if (row.detectedAt > shipment.detectedAt) shipment.detectedAt = row.detectedAt;
    }
  }
  // Newest trouble first; kinds in ANOMALY_KINDS order.
  const grouped = [...shipments.values()].sort((a, b) => b.detectedAt.getTime() - a.detectedAt.getTime() || (a.row.fulfillmentShopifyId < b.row.fulfillmentShopifyId ? -1 : 1));
  return grouped.map(({ anomalyId, kinds, detectedAt, row }) => {
    kinds.sort((a, b) => ANOMALY_KINDS.indexOf(a as AnomalyKind) - ANOMALY_KINDS.indexOf(b as AnomalyKind));
    const shippedAt = row.fulfillment?.shopifyCreatedAt ?? null;
    return {
      anomalyId,
      fulfillmentShopifyId: row.fulfillmentShopifyId,
      kinds,
      detectedAt,
      daysInTransit: shippedAt ? Math.floor((now.getTime() - shippedAt.getTime()) / DAY_MS) : null,
      carrier: row.fulfillment?.trackingCompany ?? null,
      trackingNumber: row.fulfillment?.trackingNumber ?? null,
      trackingUrl: row.fulfillment?.trackingUrl ?? null,
      lastEventStatus: row.fulfillment?.lastEventStatus ?? null,
      lastEventAt: row.fulfillment?.lastEventAt ?? null,
      orderShopifyId: row.orderShopifyId,
      orderName: row.order?.name ?? null,
      customerShopifyId: row.customerShopifyId,
      customer: row.customer,
      followUp: row.followUp,
      noticeMessageId: row.noticeMessageId,
    };
  });
}
