/**
 * Shipments in trouble (issue 8), pure: from what the app holds on one
 * fulfillment (its status, tracking, carrier events as projected from
 * webhooks) and the shop's thresholds (care settings' `anomalies`), which
 * anomalies hold at `now`, or that the parcel is delivered (which resolves
 * them all).
 *
 * - failure, attemptedDelivery, delayed: the carrier said so, in any event or
 *   in the fulfillment's latest shipment status. Once said it stays true: a
 *   parcel that failed and moved on is still one staff should look at, and
 *   the service keeps an anomaly open until a delivery or staff close it.
 * - longTransit: shipped longer ago than the threshold, domestic or
 *   international (destination country differs from the shop's, or the
 *   carrier's scans span two countries).
 * - noUpdate: no carrier news for `noUpdateDays`.
 * The time-based kinds need tracking: an untracked parcel has no news to miss
 * (the care planner counts it delivered after `untrackedDeliveryDays`).
 */
import type { CareSettings } from "./settings";
import { ANOMALY_KINDS, type AnomalyKind } from "./types";

const DAY_MS = 86_400_000;

/** Carrier statuses that are an anomaly of their own (lowercase, as the webhooks send them). */
const EVENT_KINDS: Readonly<Record<string, AnomalyKind>> = { failure: "failure", attempted_delivery: "attemptedDelivery", delayed: "delayed" };

export interface ShipmentEvent {
  status: string;
  happenedAt: Date;
  countryCode: string | null;
}

export interface ShipmentFacts {
  /** Fulfillment.status: pending, open, success, cancelled, error, failure. */
  status: string | null;
  /** The latest carrier status on the fulfillment itself (fulfillments/update). */
  shipmentStatus: string | null;
  trackingNumber: string | null;
  trackingCompany: string | null;
  /** When it was fulfilled (Shopify's created_at); null when only events are known. */
  shippedAt: Date | null;
  deliveredAt: Date | null;
  lastEventAt: Date | null;
  lastEventStatus: string | null;
  events: ShipmentEvent[];
  /** The shipping address's country (ISO 3166-1 alpha-2), when known. */
  destinationCountry: string | null;
  /** The shop's own country, when known. */
  shopCountry: string | null;
}

export interface AnomalyFinding {
  kind: AnomalyKind;
  /** When it became true: the event's time, or the moment the threshold passed. */
  since: Date;
  detail: AnomalyDetail;
}

/** What the Anomalies page shows beside the kind (stored as ShipmentAnomaly.detail). */
export interface AnomalyDetail {
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: string | null;
  lastEventStatus: string | null;
  lastEventAt: string | null;
  international: boolean;
  /** The threshold that was passed (longTransit, noUpdate), in days. */
  thresholdDays?: number;
}

export type ShipmentState = { delivered: true } | { delivered: false; findings: AnomalyFinding[] };

export type AnomalyThresholds = CareSettings["anomalies"];

/** Carrier scans in two countries, or a destination abroad from the shop, make it international; unknown is domestic. */
export function isInternational(facts: Pick<ShipmentFacts, "events" | "destinationCountry" | "shopCountry">): boolean {
  const scanned = new Set(facts.events.map((event) => event.countryCode?.toUpperCase()).filter((code): code is string => !!code));
  if (scanned.size > 1) return true;
  if (facts.destinationCountry && facts.shopCountry) return facts.destinationCountry.toUpperCase() !== facts.shopCountry.toUpperCase();
  return false;
}

export function isDelivered(facts: Pick<ShipmentFacts, "deliveredAt" | "shipmentStatus" | "lastEventStatus" | "events">): boolean {
  return facts.deliveredAt !== null || facts.shipmentStatus === "delivered" || facts.lastEventStatus === "delivered" || facts.events.some((event) => event.status === "delivered");
}

/** Whole days from `from` to `to`, rounded down. */
export function wholeDays(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** The anomalies that hold for one fulfillment at `now`, in ANOMALY_KINDS order, or delivered. */
export function detectShipmentAnomalies(facts: ShipmentFacts, thresholds: AnomalyThresholds, now: Date): ShipmentState {
  if (isDelivered(facts)) return { delivered: true };
  // A cancelled fulfillment is not on its way; its order's cancellation does the rest.
  if (facts.status === "cancelled") return { delivered: false, findings: [] };

  const international = isInternational(facts);
  const events = [...facts.events].sort((a, b) => a.happenedAt.getTime() - b.happenedAt.getTime());
  const firstEventAt = events[0]?.happenedAt ?? facts.lastEventAt;
  const lastEventAt = [facts.lastEventAt, events.at(-1)?.happenedAt].filter((at): at is Date => !!at).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  const detail: AnomalyDetail = {
    carrier: facts.trackingCompany,
    trackingNumber: facts.trackingNumber,
    shippedAt: facts.shippedAt?.toISOString() ?? null,
    lastEventStatus: facts.lastEventStatus ?? events.at(-1)?.status ?? null,
    lastEventAt: lastEventAt?.toISOString() ?? null,
    international,
  };
  const found = new Map<AnomalyKind, AnomalyFinding>();

  // Whatever the carrier said, earliest first (the first time it said it).
  for (const event of events) {
    const kind = EVENT_KINDS[event.status];
    if (kind && !found.has(kind) && event.happenedAt <= now) found.set(kind, { kind, since: event.happenedAt, detail });
  }
  for (const status of [facts.lastEventStatus, facts.shipmentStatus]) {
    const kind = status ? EVENT_KINDS[status] : undefined;
    if (kind && !found.has(kind)) found.set(kind, { kind, since: facts.lastEventAt ?? facts.shippedAt ?? now, detail });
  }

  const tracked = facts.trackingNumber !== null || lastEventAt !== null;
  if (tracked) {
    const start = facts.shippedAt ?? firstEventAt;
    const transitDays = international ? thresholds.internationalTransitDays : thresholds.domesticTransitDays;
    if (start) {
      const since = new Date(start.getTime() + transitDays * DAY_MS);
      if (since < now) found.set("longTransit", { kind: "longTransit", since, detail: { ...detail, thresholdDays: transitDays } });
    }
    const lastNews = lastEventAt ?? facts.shippedAt;
    if (lastNews) {
      const since = new Date(lastNews.getTime() + thresholds.noUpdateDays * DAY_MS);
      if (since < now) found.set("noUpdate", { kind: "noUpdate", since, detail: { ...detail, thresholdDays: thresholds.noUpdateDays } });
    }
  }
  return { delivered: false, findings: ANOMALY_KINDS.flatMap((kind) => (found.has(kind) ? [found.get(kind)!] : [])) };
}
