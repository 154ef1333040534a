import { detectShipmentAnomalies, isInternational, type ShipmentFacts } from "./anomalies";
import { DEFAULT_CARE_SETTINGS } from "./settings";

const DAY = 86_400_000;
const now = new Date("2026-11-20T12:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const thresholds = DEFAULT_CARE_SETTINGS.anomalies; // 7 days domestic, 21 abroad, 5 without news

const shipment = (over: Partial<ShipmentFacts> = {}): ShipmentFacts => ({
  status: "success",
  shipmentStatus: null,
  trackingNumber: "1Z999",
  trackingCompany: "UPS",
  shippedAt: ago(2),
  deliveredAt: null,
  lastEventAt: ago(1),
  lastEventStatus: "in_transit",
  events: [{ status: "in_transit", happenedAt: ago(1), countryCode: "US" }],
  destinationCountry: "US",
  shopCountry: "US",
  ...over,
});

const kinds = (facts: ShipmentFacts, at = now) => {
  const state = detectShipmentAnomalies(facts, thresholds, at);
  return state.delivered ? "delivered" : state.findings.map((finding) => finding.kind);
};

describe("detectShipmentAnomalies", () => {
  it.each<[string, Partial<ShipmentFacts>, string | string[]]>([
    ["on its way, recent news", {}, []],
    ["domestic, 8 days in transit, news yesterday", { shippedAt: ago(8) }, ["longTransit"]],
    ["domestic, exactly 7 days: not yet", { shippedAt: ago(7) }, []],
    ["abroad (destination differs), 8 days", { shippedAt: ago(8), destinationCountry: "CA" }, []],
    ["abroad, 22 days", { shippedAt: ago(22), destinationCountry: "CA" }, ["longTransit"]],
    ["scans in two countries, 8 days", { shippedAt: ago(8), destinationCountry: null, events: [{ status: "in_transit", happenedAt: ago(6), countryCode: "CN" }, { status: "in_transit", happenedAt: ago(1), countryCode: "US" }] }, []],
    ["no news for 6 days", { shippedAt: ago(6), lastEventAt: ago(6), events: [{ status: "in_transit", happenedAt: ago(6), countryCode: "US" }] }, ["noUpdate"]],
    ["tracked but the carrier never said a thing, shipped 6 days ago", { shippedAt: ago(6), lastEventAt: null, lastEventStatus: null, events: [] }, ["noUpdate"]],
    ["untracked, 30 days: nothing to judge", { shippedAt: ago(30), trackingNumber: null, trackingCompany: null, lastEventAt: null, lastEventStatus: null, events: [] }, []],
    ["attempted delivery", { lastEventStatus: "attempted_delivery", events: [{ status: "attempted_delivery", happenedAt: ago(1), countryCode: "US" }] }, ["attemptedDelivery"]],
    ["failure only in the shipment status (fulfillments/update)", { shipmentStatus: "failure", events: [] }, ["failure"]],
    ["delayed, then moving again: still a delay to look at", { events: [{ status: "delayed", happenedAt: ago(2), countryCode: "US" }, { status: "in_transit", happenedAt: ago(1), countryCode: "US" }] }, ["delayed"]],
    ["failed long ago and silent since", { shippedAt: ago(12), lastEventAt: ago(10), lastEventStatus: "failure", events: [{ status: "failure", happenedAt: ago(10), countryCode: "US" }] }, ["longTransit", "failure", "noUpdate"]],
    ["delivered resolves everything", { shippedAt: ago(30), lastEventStatus: "failure", deliveredAt: ago(1) }, "delivered"],
    ["a delivered event alone counts", { shippedAt: ago(30), events: [{ status: "delivered", happenedAt: ago(1), countryCode: "US" }] }, "delivered"],
    ["a cancelled fulfillment is not on its way", { status: "cancelled", shippedAt: ago(30) }, []],
    ["only events known (no shippedAt): transit counted from the first scan", { shippedAt: null, lastEventAt: ago(9), events: [{ status: "in_transit", happenedAt: ago(9), countryCode: null }] }, ["longTransit", "noUpdate"]],
  ])("%s", (_name, over, expected) => {
    expect(kinds(shipment(over))).toEqual(expected);
  });

  it("follows the shop's thresholds", () => {
    const facts = shipment({ shippedAt: ago(4), lastEventAt: ago(3), events: [{ status: "in_transit", happenedAt: ago(3), countryCode: "US" }] });
    expect(detectShipmentAnomalies(facts, { ...thresholds, domesticTransitDays: 3, noUpdateDays: 2 }, now)).toMatchObject({
      delivered: false,
      findings: [
        { kind: "longTransit", since: ago(1), detail: { thresholdDays: 3, carrier: "UPS", international: false } },
        { kind: "noUpdate", since: ago(1), detail: { thresholdDays: 2, lastEventStatus: "in_transit" } },
      ],
    });
  });

  it("dates an event's anomaly at the event, and ignores events later than now", () => {
    const facts = shipment({ events: [{ status: "attempted_delivery", happenedAt: ago(1), countryCode: "US" }, { status: "failure", happenedAt: ago(-1), countryCode: "US" }] });
    const state = detectShipmentAnomalies(facts, thresholds, now);
    expect(state).toMatchObject({ delivered: false, findings: [{ kind: "attemptedDelivery", since: ago(1) }] });
  });
});

describe("isInternational", () => {
  it.each<[string | null, string | null, Array<string | null>, boolean]>([
    ["US", "US", ["US"], false],
    ["us", "US", [], false],
    ["CA", "US", [], true],
    [null, "US", ["US", null], false],
    [null, null, ["CN", "US"], true],
    [null, null, [], false],
  ])("destination %s, shop %s, scans %j: %s", (destinationCountry, shopCountry, codes, expected) => {
    expect(isInternational({ destinationCountry, shopCountry, events: codes.map((countryCode) => ({ status: "in_transit", happenedAt: now, countryCode })) })).toBe(expected);
  });
});
