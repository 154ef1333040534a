// Shipments in trouble on the real database (SQLite and PostgreSQL), fed
// through the projector as webhooks arrive: a carrier's failure is flagged as
// soon as its event is projected; the sweep finds parcels too long in transit
// (7 days at home, 21 abroad) or without news; each new anomaly opens one staff
// follow-up, pauses the order's care messages and plans the "we are on it"
// note once; a delivery resolves it and resumes the messages; staff can close
// a shipment by hand and it stays closed; shops never see each other's.
import db from "~/db.server";
import { saveCareSettings } from "~/models/care-settings.server";
import { planMessages, type PlannedMessage } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { anomaliesPage, detectAnomalies, noticeKey, resolveShipmentByStaff } from "~/services/anomalies.server";
import { generateFollowUps } from "~/services/follow-ups.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { customerPayload, fulfillmentEventPayload, fulfillmentPayload, orderPayload } from "./support/payloads";
import { installShop } from "./support/session-token";

const shop = "anomalies.myshopify.com";
const other = "anomalies-other.myshopify.com";
const DAY = 86_400_000;
const T0 = new Date("2026-10-20T10:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
let seq = 0;

const project = (topic: string, body: unknown, now: Date, domain = shop) => projectInboxEvent({ shop: domain, topic, body: JSON.stringify(body) }, now);
const ship = (id: string, orderId: string, days: number, tracking: { company: string; number: string } | null = { company: "UPS", number: `1Z${id}` }, domain = shop) =>
  project("fulfillments/create", fulfillmentPayload({ id, orderId, updatedAt: at(days).toISOString(), tracking }), at(days), domain);
const event = (fulfillmentId: string, orderId: string, status: string, days: number, country = "US") =>
  project("fulfillment_events/create", { ...fulfillmentEventPayload({ id: String(700000 + ++seq), fulfillmentId, orderId, status, happenedAt: at(days).toISOString() }), country }, at(days));

const care = (key: string, orderId: string, customerId: string): PlannedMessage => ({
  customerShopifyId: customerId,
  idempotencyKey: key,
  source: "flow",
  sourceId: "postDelivery",
  step: "deliveryCheck",
  channel: "email",
  messageClass: "transactional",
  priority: 10,
  orderShopifyId: orderId,
  variables: {},
  plannedAt: at(3),
  expiresAt: at(10),
});

const anomalies = async (domain = shop) =>
  (await db.shipmentAnomaly.findMany({ where: { shop: domain }, orderBy: [{ fulfillmentShopifyId: "asc" }, { kind: "asc" }] })).map((row) => `${row.fulfillmentShopifyId}:${row.kind}:${row.status}`);
const messageStatus = async (key: string) => (await db.message.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey: key } } }))?.status ?? null;

beforeAll(async () => {
  for (const domain of [shop, other]) {
    await installShop(domain);
    await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, at(-30));
  }
  // 8001 lives in the US like the shop's first scans; 8002 in Canada.
  await project("customers/create", customerPayload({ id: "8001", email: "ada@example.com", firstName: "Ada", address: { city: "Austin", provinceCode: "TX", countryCode: "US" } }), at(-30));
  await project("customers/create", customerPayload({ id: "8002", email: "bo@example.com", firstName: "Bo", address: { city: "Toronto", provinceCode: "ON", countryCode: "CA" } }), at(-30));
  // The shop's orders #1001 to #1005.
  for (const [orderId, customerId, number] of [["9101", "8001", 1001], ["9102", "8002", 1002], ["9103", "8001", 1003], ["9104", "8001", 1004], ["9105", "8002", 1005]] as const) {
    await project("orders/create", orderPayload({ id: orderId, customerId, number, createdAt: at(-10).toISOString() }), at(-10));
  }
  await project("orders/create", orderPayload({ id: "9106", customerId: null, createdAt: at(-10).toISOString() }), at(-10)); // a guest
  await project("orders/create", orderPayload({ id: "9201", customerId: "8101", createdAt: at(-10).toISOString() }), at(-10), other);
  // The order's care messages, planned before trouble showed.
  await planMessages(shop, [care("care-9101", "9101", "8001"), care("care-9103", "9103", "8001"), care("care-9105", "9105", "8002")], at(-8));
});

it("flags a carrier's failure as soon as the event is projected: follow-up, paused messages, the note", async () => {
  await ship("6103", "9103", -8);
  expect(await anomalies()).toEqual([]);
  await event("6103", "9103", "in_transit", -7);
  await event("6103", "9103", "failure", -1);

  expect(await anomalies()).toEqual(["6103:failure:open"]);
  const row = await db.shipmentAnomaly.findFirstOrThrow({ where: { shop, fulfillmentShopifyId: "6103" } });
  expect(row).toMatchObject({ orderShopifyId: "9103", customerShopifyId: "8001", detectedAt: at(-1), resolvedBy: null });
  expect(JSON.parse(row.detail)).toMatchObject({ carrier: "UPS", trackingNumber: "1Z6103", lastEventStatus: "failure", international: false });

  const task = await db.followUpTask.findUniqueOrThrow({ where: { id: row.followUpTaskId! } });
  expect(task).toMatchObject({ customerShopifyId: "8001", reason: "deliveryProblem", priority: 1, status: "open", dueOn: "2026-10-20" });
  expect(await messageStatus("care-9103")).toBe("paused");
  expect(await messageStatus("care-9101")).toBe("scheduled"); // another order: untouched

  const note = await db.message.findUniqueOrThrow({ where: { shop_idempotencyKey: { shop, idempotencyKey: noticeKey("6103") } } });
  expect(note).toMatchObject({ id: row.noticeMessageId, source: "flow", sourceId: "shipmentNotice", step: "onIt", channel: "email", messageClass: "transactional", status: "scheduled", orderShopifyId: "9103", customerShopifyId: "8001" });
  expect(JSON.parse(note.variables)).toMatchObject({ orderName: "#1003", carrier: "UPS", trackingNumber: "1Z6103", anomaly: "failure" });
});

it("sweeps for parcels too long in transit (domestic vs abroad) or without news, once", async () => {
  await ship("6101", "9101", -8); // domestic, moving: too long at 8 days
  await event("6101", "9101", "in_transit", -1);
  await ship("6102", "9102", -8); // to Canada, scanned in the US: international, 8 of 21 days is fine
  await event("6102", "9102", "in_transit", -1);
  await ship("6104", "9104", -2); // two days, fresh news: fine
  await event("6104", "9104", "in_transit", -1);
  await ship("6106", "9106", -30, null); // untracked, a guest: nothing to judge
  await ship("6107", "9104", -6); // tracked, the carrier never said a word in 6 days
  await ship("7201", "9201", -9, { company: "DHL", number: "JD1" }, other);

  // The note for the failed parcel goes out meanwhile (the dispatcher's doing); a second anomaly must not pause it.
  await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: noticeKey("6103") } }, data: { status: "deferred" } });
  expect(await detectAnomalies(shop, T0)).toEqual({ shop, opened: 3, resolved: 0 });
  expect(await anomalies()).toEqual(["6101:longTransit:open", "6103:failure:open", "6103:longTransit:open", "6107:noUpdate:open"]);
  expect(await messageStatus(noticeKey("6103"))).toBe("deferred");
  expect(await messageStatus("care-9101")).toBe("paused");
  expect(await messageStatus("care-9105")).toBe("scheduled");

  // Customer 8001 has three parcels in trouble: one follow-up, linked from each.
  const rows = await db.shipmentAnomaly.findMany({ where: { shop } });
  expect(new Set(rows.map((row) => row.followUpTaskId)).size).toBe(1);
  expect(await db.followUpTask.count({ where: { shop, reason: "deliveryProblem" } })).toBe(1);
  // One note per parcel, whatever its kinds.
  expect(await db.message.count({ where: { shop, sourceId: "shipmentNotice" } })).toBe(3);

  // Again, later: nothing new; the other shop only sees its own.
  expect(await detectAnomalies(shop, at(0.5))).toEqual({ shop, opened: 0, resolved: 0 });
  expect(await anomalies(other)).toEqual([]);
  expect(await detectAnomalies(other, T0)).toMatchObject({ opened: 2 });
  expect(await anomalies(other)).toEqual(["7201:longTransit:open", "7201:noUpdate:open"]);
  expect(await db.followUpTask.count({ where: { shop: other } })).toBe(1);

  // Two weeks on: abroad past 21 days is now too long too, and every parcel has been silent for days.
  expect(await detectAnomalies(shop, at(14))).toMatchObject({ opened: 7 });
  expect(await anomalies()).toEqual([
    "6101:longTransit:open",
    "6101:noUpdate:open",
    "6102:longTransit:open",
    "6102:noUpdate:open",
    "6103:failure:open",
    "6103:longTransit:open",
    "6103:noUpdate:open",
    "6104:longTransit:open",
    "6104:noUpdate:open",
    "6107:longTransit:open",
    "6107:noUpdate:open",
  ]);
  expect(await messageStatus("care-9105")).toBe("scheduled"); // 9105 shipped nothing
});

it("feeds the day's follow-up list from open anomalies", async () => {
  expect(await db.followUpTask.count({ where: { shop, customerShopifyId: "8002", reason: "deliveryProblem" } })).toBe(1);
  // Staff called 8002 long ago; the parcel is still in trouble: back on today's list. 8001's task is still open: nothing new.
  await db.followUpTask.updateMany({ where: { shop, customerShopifyId: "8002" }, data: { status: "done", completedAt: at(-20) } });
  expect(await generateFollowUps(shop, at(14))).toMatchObject({ created: 1 });
  const tasks = await db.followUpTask.findMany({ where: { shop, reason: "deliveryProblem", status: "open" } });
  expect(tasks.map((task) => task.customerShopifyId).sort()).toEqual(["8001", "8002"]);
});

it("resolves on delivery: the unsent note dropped, the order's messages resumed once none of its parcels is in trouble", async () => {
  await event("6101", "9101", "delivered", 14.5);
  const resolved = await db.shipmentAnomaly.findFirstOrThrow({ where: { shop, fulfillmentShopifyId: "6101" } });
  expect(resolved).toMatchObject({ status: "resolved", resolvedAt: at(14.5), resolvedBy: null });
  expect(await messageStatus("care-9101")).toBe("scheduled");
  expect(await messageStatus(noticeKey("6101"))).toBe("cancelled");
  const decisions = await db.messageDecision.findMany({ where: { shop, messageId: (await db.message.findFirstOrThrow({ where: { shop, idempotencyKey: "care-9101" } })).id }, orderBy: { id: "asc" } });
  expect(decisions.map((row) => `${row.decision}/${row.reason}`)).toEqual(["planned/flowPlanned", "paused/shipmentProblem", "resumed/shipmentResolved"]);

  // Order 9104 has two parcels: one delivered, the other still silent. Its messages stay paused.
  await planMessages(shop, [care("care-9104", "9104", "8001")], at(14.5));
  await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: "care-9104" } }, data: { status: "paused" } });
  await project("fulfillments/update", fulfillmentPayload({ id: "6104", orderId: "9104", shipmentStatus: "delivered", updatedAt: at(15).toISOString(), tracking: { company: "UPS", number: "1Z6104" } }), at(15));
  expect((await anomalies()).filter((row) => row.startsWith("6104"))).toEqual(["6104:longTransit:resolved", "6104:noUpdate:resolved"]);
  expect((await anomalies()).filter((row) => row.startsWith("6107"))).toEqual(["6107:longTransit:open", "6107:noUpdate:open"]);
  expect(await messageStatus("care-9104")).toBe("paused");
});

it("lets staff close a shipment by hand; it stays closed and the order's messages go on", async () => {
  const failed = await db.shipmentAnomaly.findFirstOrThrow({ where: { shop, fulfillmentShopifyId: "6103", kind: "failure" } });
  expect(await resolveShipmentByStaff(other, failed.id, "77", at(16))).toBe(false);
  expect(await resolveShipmentByStaff(shop, failed.id, "77", at(16))).toBe(true);
  expect((await anomalies()).filter((row) => row.startsWith("6103"))).toEqual(["6103:failure:resolved", "6103:longTransit:resolved", "6103:noUpdate:resolved"]);
  expect(await db.shipmentAnomaly.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ resolvedBy: "77", resolvedAt: at(16) });
  expect(await messageStatus("care-9103")).toBe("scheduled");
  expect(await resolveShipmentByStaff(shop, failed.id, "77", at(16))).toBe(false); // nothing open any more
  expect(await detectAnomalies(shop, at(17))).toMatchObject({ opened: 0 });

  // The page: one row per shipment still in trouble, newest first, with its order, customer and follow-up.
  const page = await anomaliesPage(shop, at(17));
  expect(page.map((row) => [row.fulfillmentShopifyId, row.kinds])).toEqual([
    ["6102", ["longTransit", "noUpdate"]],
    ["6107", ["longTransit", "noUpdate"]],
  ]);
  // 8002's follow-up is the one open today, not the call done long ago.
  expect(page[0]).toMatchObject({ daysInTransit: 25, carrier: "UPS", lastEventStatus: "in_transit", orderName: "#1002", customerShopifyId: "8002", customer: { firstName: "Bo" }, followUp: { status: "open" } });
});

it("plans no note when the shop switched it off, and skips a customer-less parcel's follow-up", async () => {
  expect((await saveCareSettings(shop, { anomalies: { notifyCustomer: false } })).ok).toBe(true);
  await project("orders/create", orderPayload({ id: "9107", customerId: "8002", createdAt: at(10).toISOString() }), at(10));
  await project("orders/create", orderPayload({ id: "9108", customerId: null, createdAt: at(10).toISOString() }), at(10));
  await ship("6108", "9107", 10);
  await ship("6109", "9108", 10);
  await event("6108", "9107", "attempted_delivery", 17);
  await event("6109", "9108", "delayed", 17);
  expect((await anomalies()).filter((row) => row.startsWith("6108") || row.startsWith("6109"))).toEqual(["6108:attemptedDelivery:open", "6109:delayed:open"]);
  expect(await db.message.count({ where: { shop, sourceId: "shipmentNotice", orderShopifyId: { in: ["9107", "9108"] } } })).toBe(0);
  expect(await db.shipmentAnomaly.findFirstOrThrow({ where: { shop, fulfillmentShopifyId: "6109" } })).toMatchObject({ customerShopifyId: null, followUpTaskId: null });
  // 8002's pending delivery task is reused.
  expect(await db.followUpTask.count({ where: { shop, customerShopifyId: "8002", reason: "deliveryProblem", status: "open" } })).toBe(1);
});

it("sweeps a shop with more in-flight parcels than one page, once each", async () => {
  const many = "anomalies-many.myshopify.com";
  await installShop(many);
  await saveShopSettings(many, { name: many, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, at(-30));
  const ids = Array.from({ length: 620 }, (_, index) => String(50_000 + index));
  const base = { currencyCode: "USD", subtotalMinor: 1000, totalMinor: 1000, totalDiscountsMinor: 0, shopifyCreatedAt: at(-12), processedAt: at(-12), shopifyUpdatedAt: at(-12) };
  await db.order.createMany({ data: ids.map((id) => ({ shop: many, shopifyId: id, ...base })) });
  await db.fulfillment.createMany({
    data: ids.map((id) => ({ shop: many, shopifyId: `f${id}`, orderShopifyId: id, status: "success", trackingNumber: `T${id}`, shopifyCreatedAt: at(-10), lastEventAt: at(-9), lastEventStatus: "in_transit" })),
  });
  // Delivered, cancelled and long-gone parcels are not judged.
  await db.fulfillment.createMany({
    data: [
      { shop: many, shopifyId: "delivered", orderShopifyId: "50000", status: "success", trackingNumber: "D", shopifyCreatedAt: at(-10), deliveredAt: at(-2) },
      { shop: many, shopifyId: "cancelled", orderShopifyId: "50000", status: "cancelled", trackingNumber: "C", shopifyCreatedAt: at(-10) },
      { shop: many, shopifyId: "ancient", orderShopifyId: "50000", status: "success", trackingNumber: "A", shopifyCreatedAt: at(-200), lastEventAt: at(-190) },
    ],
  });
  expect(await detectAnomalies(many, T0)).toEqual({ shop: many, opened: 1240, resolved: 0 }); // in transit too long and silent, each
  expect(await db.shipmentAnomaly.count({ where: { shop: many, fulfillmentShopifyId: { in: ["delivered", "cancelled", "ancient"] } } })).toBe(0);
  expect(await detectAnomalies(many, at(0.1))).toEqual({ shop: many, opened: 0, resolved: 0 });
});

it("is exported with the customer and erased on customers/redact and shop/redact", async () => {
  expect(await db.shipmentAnomaly.count({ where: { shop, customerShopifyId: "8002" } })).toBeGreaterThan(0);
  await project("customers/data_request", { shop_id: 1, shop_domain: shop, orders_requested: [9102], customer: { id: 8002, email: "bo@example.com", phone: null }, data_request: { id: 77 } }, at(18));
  const request = await db.dataRequest.findFirstOrThrow({ where: { shop, customerShopifyId: "8002" } });
  const exported = JSON.parse(request.export) as { shipmentAnomalies: Array<{ fulfillmentShopifyId: string; kind: string }> };
  expect(exported.shipmentAnomalies.map((row) => `${row.fulfillmentShopifyId}:${row.kind}`).sort()).toEqual(["6102:longTransit", "6102:noUpdate", "6108:attemptedDelivery"]);

  await project("customers/redact", { shop_id: 1, shop_domain: shop, customer: { id: 8002, email: "bo@example.com", phone: null }, orders_to_redact: [9102, 9105, 9107] }, at(18));
  expect(await db.shipmentAnomaly.count({ where: { shop, customerShopifyId: "8002" } })).toBe(0);
  expect(await db.shipmentAnomaly.count({ where: { shop, customerShopifyId: "8001" } })).toBeGreaterThan(0);

  await project("shop/redact", { shop_id: 2, shop_domain: other }, at(18), other);
  expect(await db.shipmentAnomaly.count({ where: { shop: other } })).toBe(0);
  expect(await db.shipmentAnomaly.count({ where: { shop } })).toBeGreaterThan(0);
});
