// Erasure covers every table, the next one too (issue 18). The models are read
// from the Prisma schema itself (its DMMF), so a model added later is in this
// test at once: it fails until the new table is seeded here with data about
// the customer and the shop (and so is shown to be exported and erased), or
// named below with why it cannot hold any. Every check scans every column of
// every row of every model for the customer's email, name, phone and id, and
// for the shop's domain, not a list of the columns the code knows about.
import { isDeepStrictEqual } from "node:util";
import { Prisma } from "@prisma/client";
import db from "~/db.server";
import { saveShopLocations } from "~/models/shop-locations.server";
import { recordStaffMember } from "~/models/staff-members.server";
import { customerFileFormSchema } from "~/domain/customer-file";
import { saveCustomerFile } from "~/models/customer-file.server";
import { storeInboxEvent } from "~/models/inbox.server";
import { planMessages } from "~/models/messages.server";
import { requestEffect } from "~/models/outbox.server";
import { saveTierProgram } from "~/models/tiers.server";
import { createSavedView } from "~/models/saved-list-views.server";
import { ManualClock } from "~/services/clock.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { GIFT_NOTE } from "~/services/gifts.server";
import { recordInstall } from "~/services/install.server";
import { exportCustomer } from "~/services/privacy.server";
import { runJobNow } from "~/jobs/start.server";
import { customerPayload, fulfillmentEventPayload, fulfillmentPayload, orderPayload, refundPayload } from "./support/payloads";

const clock = new ManualClock(new Date("2026-10-10T09:00:00Z"));
const SHOP = "erasure-coverage.myshopify.com";
const BYSTANDER_SHOP = "erasure-bystander.myshopify.com";
// Ids as large as Shopify's, so matching them cannot hit an unrelated number.
const person = { id: "7310000000000451", email: "quilla.vantongeren@example.com", firstName: "Quilla", lastName: "Vantongeren", phone: "+15550197346", orders: ["5610000000000101", "5610000000000102"] };
const other = { id: "7310000000000452", email: "oswin.trelawny@example.com", firstName: "Oswin", lastName: "Trelawny", phone: "+15550197347", orders: ["5610000000000201", "5610000000000202"] };

/** Models that by design hold nothing about any one customer, and why. */
const NOT_ABOUT_CUSTOMERS: Record<string, string> = {
  Session: "staff members' admin sessions (the merchant's staff, not customers)",
  Shop: "the shop's own settings",
  Backfill: "counters of a history import",
  TierProgram: "the shop's tier rules",
  ProductInterval: "a product's replenishment interval learned over many customers",
  FollowUpRun: "the daily follow-up list's claim",
  IntelSnapshot: "daily counts of members per stage",
  CareFlow: "a care flow's settings",
  CarePlanState: "the care planner's progress",
  Campaign: "a campaign's audience rules and content",
  Gift: "the merchant's gift list",
  ErasureTombstone: "one-way digests of what was erased: holding nothing about anyone is its point",
  JobRun: "a background job's last run and last error, one row per job across all shops",
  StaffMember: "the merchant's staff members' names from Shopify (staff are not customers); erased with the shop on shop/redact",
  ShopLocation: "the shop's own locations (its stores) as Shopify names them; erased with the shop on shop/redact",
};
/** Models about a customer that the export leaves out, and why. */
const NOT_EXPORTED: Record<string, string> = {
  DataRequest: "an earlier export: a copy of the export itself",
};
/** Models with no shop column, and why. */
const NO_SHOP_COLUMN: Record<string, string> = {
  ErasureTombstone: "digests only, so nothing names the shop; shop/redact replaces the shop's customer tombstones by one of the shop",
  JobRun: "one row per registered job, shared by every shop (ADR 0025)",
};

type Row = Record<string, unknown>;
const MODELS = Prisma.dmmf.datamodel.models;
const delegate = (model: string) => (db as unknown as Record<string, { findMany(): Promise<Row[]> }>)[model[0].toLowerCase() + model.slice(1)];
// Rows as JSON would carry them (dates as ISO strings, BigInt as text).
const plain = <T,>(value: T): T => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));

async function allRows(): Promise<Map<string, Row[]>> {
  const rows = new Map<string, Row[]>();
  for (const model of MODELS) rows.set(model.name, plain(await delegate(model.name).findMany()));
  return rows;
}

const mentions = (row: Row, terms: string[]) =>
  Object.values(row).some((value) => typeof value === "string" && terms.some((term) => value.toLowerCase().includes(term.toLowerCase())));

/**
 * Rows that mention any of the terms in any column, and rows that belong to
 * such a row through a relation of the schema (an order's lines).
 */
function rowsAbout(all: Map<string, Row[]>, terms: string[]): Map<string, Row[]> {
  const about = new Map<string, Row[]>();
  for (const [model, rows] of all) about.set(model, rows.filter((row) => mentions(row, terms)));
  for (const model of MODELS) {
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const parents = about.get(field.type) ?? [];
      const [from] = field.relationFromFields;
      const [to] = field.relationToFields ?? ["id"];
      const linked = (all.get(model.name) ?? []).filter((row) => parents.some((parent) => parent[to] === row[from]));
      about.set(model.name, [...new Set([...(about.get(model.name) ?? []), ...linked])]);
    }
  }
  return about;
}

/** Whether an object somewhere in the export has every field of the row with the same value. */
function exportHolds(exported: unknown, row: Row): boolean {
  if (Array.isArray(exported)) return exported.some((item) => exportHolds(item, row));
  if (exported === null || typeof exported !== "object") return false;
  const object = exported as Row;
  if (Object.entries(row).every(([key, value]) => isDeepStrictEqual(object[key], value))) return true;
  return Object.values(object).some((value) => exportHolds(value, row));
}

let seq = 0;
async function store(shop: string, topic: string, body: unknown, receivedAt = clock.now()) {
  await storeInboxEvent({ shop, webhookId: `coverage-${++seq}`, topic, apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(body), receivedAt });
}
async function deliver(shop: string, topic: string, body: unknown) {
  await store(shop, topic, body);
  expect((await drainInbox({ clock })).failed).toBe(0);
}

// The install as afterAuth records it (recordInstall), with Shopify's answer to the shop settings query.
const admin = (shop: string) => ({
  graphql: async () => Response.json({ data: { shop: { name: shop, ianaTimezone: "UTC", currencyCode: "USD" }, shopLocales: [{ locale: "en", primary: true }] } }),
});

const perks = { discountPercent: 0, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] } as const;
const tier = (handle: string, rank: number, minNetSpendMinor: number | null) => ({ handle, rank, name: { en: handle, "zh-CN": handle }, minNetSpendMinor, minOrders: null, qualifyBy: "either" as const, entryGift: null, perks: { ...perks, excludedProductTags: [], notes: [] } });

async function seedCustomer(shop: string, who: typeof person, { everything }: { everything: boolean }) {
  const now = clock.now();
  await deliver(shop, "customers/create", customerPayload({ id: who.id, email: who.email, firstName: who.firstName, lastName: who.lastName, phone: who.phone, address: { city: "Tromsø", provinceCode: null, countryCode: "NO" }, emailMarketing: "SUBSCRIBED" }));
  for (const [index, orderId] of who.orders.entries()) {
    await deliver(shop, "orders/create", orderPayload({ id: orderId, customerId: who.id, email: who.email, firstName: who.firstName, lastName: who.lastName, subtotal: "250.00", createdAt: `2026-10-0${index + 1}T10:00:00Z`, note: `Gift wrap for ${who.firstName}` }));
  }
  if (!everything) return;
  const [first] = who.orders;
  // Ids of the customer's own refund, edit, parcel and request.
  const own = (prefix: string) => `${prefix}00000${who.id.slice(-4)}`;
  await deliver(shop, "refunds/create", refundPayload({ id: own("991"), orderId: first, amount: "20.00" }));
  await deliver(shop, "orders/edited", { order_edit: { id: Number(own("992")), order_id: Number(first), created_at: "2026-10-02T10:00:00Z", committed_at: "2026-10-02T10:00:00Z", line_items: { additions: [], removals: [] } } });
  await deliver(shop, "fulfillments/create", fulfillmentPayload({ id: own("993"), orderId: first, shipmentStatus: "in_transit", tracking: { company: "Posten", number: "TRACK-QV-0001" } }));
  await deliver(shop, "fulfillment_events/create", fulfillmentEventPayload({ id: own("994"), fulfillmentId: own("993"), orderId: first, status: "in_transit", happenedAt: "2026-10-03T10:00:00Z" }));
  await deliver(shop, "customers/data_request", { shop_id: 1, shop_domain: shop, orders_requested: who.orders.map(Number), customer: { id: Number(who.id), email: who.email, phone: who.phone }, data_request: { id: Number(own("995")) } });
  // A webhook that failed (an order body without its lines) and one not yet due: both name the customer.
  const broken = orderPayload({ id: who.orders[1], customerId: who.id, email: who.email, firstName: who.firstName, lastName: who.lastName, updatedAt: "2026-10-04T00:00:00Z" });
  delete (broken as Row).line_items;
  await store(shop, "orders/updated", broken);
  expect((await drainInbox({ clock })).failed).toBe(1);
  await store(shop, "customers/update", customerPayload({ id: who.id, email: who.email, firstName: who.firstName, lastName: who.lastName, phone: who.phone }), new Date(now.getTime() + 24 * 3600_000));

  // Staff data, through the app's own models where they have one.
  await saveCustomerFile(shop, who.id, customerFileFormSchema.parse({ hobbies: `${who.firstName} sails`, birthday: "04-12" }), { id: "staff-1", name: "Sam Staff" }, now);
  await db.tierWarning.create({ data: { shop, customerShopifyId: who.id, tierHandle: "gold", toHandle: "silver", announcedAt: now } });
  const task = await db.followUpTask.create({ data: { shop, customerShopifyId: who.id, reason: "thinFile", priority: 3, dueOn: "2026-10-10", outcomeNote: `Call ${who.firstName}`, createdAt: now, updatedAt: now } });
  await planMessages(shop, [{ customerShopifyId: who.id, idempotencyKey: `postDelivery:deliveryCheck:${who.id}`, source: "flow", sourceId: "postDelivery", step: "deliveryCheck", channel: "email", messageClass: "transactional", priority: 1, orderShopifyId: first, variables: { firstName: who.firstName }, plannedAt: now, expiresAt: new Date(now.getTime() + 3 * 24 * 3600_000) }], now);
  // Sent, with its words as sent kept on the row (ADR 0032): they name the customer.
  await db.message.updateMany({ where: { shop, customerShopifyId: who.id }, data: { status: "sent", sentAt: now, sentSubject: `For ${who.firstName} ${who.lastName}`, sentText: `Dear ${who.firstName}, write to ${who.email}`, sentHtml: `<p>Dear ${who.firstName} ${who.lastName}</p>` } });
  await db.shipmentAnomaly.create({ data: { shop, fulfillmentShopifyId: own("993"), orderShopifyId: first, customerShopifyId: who.id, kind: "stuck", detectedAt: now, followUpTaskId: task.id } });
  const reward = await db.reward.create({ data: { shop, customerShopifyId: who.id, kind: "gift", issuedBy: "staff-1", reason: `Sorry, ${who.firstName}`, currencyCode: "USD", createdAt: now, updatedAt: now } });
  const gift = await db.gift.create({ data: { shop, name: "Silk scarf", position: 1, createdAt: now, updatedAt: now } });
  // The packing note to write on their order (an effect about them, as the gift service requests it).
  await requestEffect(shop, GIFT_NOTE, `${GIFT_NOTE}:${first}`, now, { orderShopifyId: first }, who.id);
  await db.giftGiven.create({ data: { shop, customerShopifyId: who.id, giftId: gift.id, giftName: gift.name, orderShopifyId: first, reason: "staff", dueKey: `staff:${reward.id}`, rewardId: reward.id, givenAt: now } });
  // Saved list views (issue 20): one searching for them by email, one named after them.
  await createSavedView(shop, "messages", `Bounced (${who.id.slice(-3)})`, `q=${encodeURIComponent(who.email)}&status=failed`, now);
  await createSavedView(shop, "followUps", `Calls for ${who.firstName}`, "reason=thinFile", now);
}

async function seedShop(shop: string) {
  const now = clock.now();
  await recordInstall({ shop, scopes: "read_customers,read_orders", admin: admin(shop) }, clock);
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "sealed-elsewhere", scope: "read_customers" } });
  await recordStaffMember(shop, { id: 31, first_name: "Sam", last_name: "Staff", email: "sam@staff.example", account_owner: true, locale: "en" }, now);
  await saveShopLocations(shop, [{ locationId: "71000000001", name: "Shanghai Jing'an store", active: true, city: "Shanghai", countryCode: "CN" }], now);
  await saveTierProgram(shop, { tiers: [tier("member", 1, null), tier("gold", 2, 30_000)], window: { kind: "rolling", months: 12 }, graceDays: 14 } as never, now);
  await db.productInterval.create({ data: { shop, productShopifyId: "632910392", days: 30, gaps: 4, customers: 3, updatedAt: now } });
  await db.followUpRun.create({ data: { shop, generatedOn: "2026-10-10", generatedAt: now } });
  await db.intelSnapshot.create({ data: { shop, day: "2026-10-10", stages: "{}", takenAt: now } });
  await db.careFlow.create({ data: { shop, flow: "postDelivery", enabled: true, updatedAt: now } });
  await db.carePlanState.create({ data: { shop, updatedAt: now } });
  await db.campaign.create({ data: { shop, name: "Autumn", createdAt: now, updatedAt: now } });
  await createSavedView(shop, "members", "Key customers in Norway", "country=NO&valueClass=key", now);
}

const customerTerms = (who: typeof person) => [who.email, who.firstName, who.lastName, who.phone, who.id];

describe("erasure covers every model of the schema", () => {
  let before: Map<string, Row[]>;

  beforeAll(async () => {
    await seedShop(SHOP);
    await seedShop(BYSTANDER_SHOP);
    await seedCustomer(SHOP, person, { everything: true });
    // The shop's other customer has rows in the same tables, so shop/redact has them to erase after the redact.
    await seedCustomer(SHOP, other, { everything: true });
    await seedCustomer(BYSTANDER_SHOP, { id: "7310000000000999", email: "ines.obradovic@example.net", firstName: "Ines", lastName: "Obradovic", phone: "+15550100001", orders: ["5610000000000901"] }, { everything: false });
    before = await allRows();
  }, 120_000);

  it("has, for every model, a row about the customer, or says why the model cannot hold one", () => {
    const about = rowsAbout(before, [...customerTerms(person), ...person.orders]);
    const uncovered = MODELS.map((model) => model.name).filter((name) => !NOT_ABOUT_CUSTOMERS[name] && (about.get(name) ?? []).length === 0);
    expect(uncovered, "seed these with data about the customer (or name why they hold none)").toEqual([]);
    // And the ones named as not about customers hold nothing about them.
    const contradicted = Object.keys(NOT_ABOUT_CUSTOMERS).filter((name) => before.get(name)!.some((row) => mentions(row, customerTerms(person))));
    expect(contradicted).toEqual([]);
  });

  it("exports every row of every model about the customer (customers/data_request)", async () => {
    const exported = plain(await exportCustomer(SHOP, { customerShopifyId: person.id, email: person.email, orderShopifyIds: person.orders, requestShopifyId: null }, clock.now()));
    const about = rowsAbout(before, [...customerTerms(person), ...person.orders]);
    const missing: string[] = [];
    for (const [model, rows] of about) {
      if (NOT_EXPORTED[model] || NOT_ABOUT_CUSTOMERS[model]) continue;
      for (const row of rows) if (!exportHolds(exported, row)) missing.push(`${model} ${JSON.stringify(row).slice(0, 120)}`);
    }
    expect(missing).toEqual([]);
    // The raw bodies as Shopify sent them, the failed and the waiting one among them.
    expect(JSON.stringify(exported)).toContain(person.phone);
    expect(JSON.stringify(exported)).not.toContain(other.email);
  });

  it("leaves nothing of the customer in any column of any model after customers/redact, and a late webhook brings nothing back", async () => {
    await deliver(SHOP, "customers/redact", { shop_id: 1, shop_domain: SHOP, customer: { id: Number(person.id), email: person.email, phone: person.phone }, orders_to_redact: person.orders.map(Number) });
    const leftovers = (all: Map<string, Row[]>) =>
      [...all].flatMap(([model, rows]) => rows.filter((row) => mentions(row, customerTerms(person))).map((row) => `${model} ${JSON.stringify(row).slice(0, 160)}`));
    expect(leftovers(await allRows())).toEqual([]);
    // The scan finds what is there: the other customer of the shop is untouched.
    const kept = await allRows();
    expect(kept.get("Customer")!.some((row) => row.email === other.email)).toBe(true);
    expect([...kept.values()].flat().some((row) => mentions(row, [other.email]))).toBe(true);
    // The orders stay, anonymous, with their amounts.
    expect(kept.get("Order")!.filter((row) => person.orders.includes(row.shopifyId as string)).map((row) => [row.customerShopifyId, row.subtotalMinor])).toEqual([
      [null, 25000],
      [null, 25000],
    ]);

    // Late webhooks: an update of an erased order, a new order, a customer update, consent.
    await deliver(SHOP, "orders/updated", orderPayload({ id: person.orders[0], customerId: person.id, email: person.email, firstName: person.firstName, lastName: person.lastName, subtotal: "250.00", updatedAt: "2026-10-11T00:00:00Z" }));
    await deliver(SHOP, "orders/create", orderPayload({ id: "5610000000000109", customerId: person.id, email: person.email, firstName: person.firstName, lastName: person.lastName, subtotal: "80.00" }));
    await deliver(SHOP, "customers/update", customerPayload({ id: person.id, email: person.email, firstName: person.firstName, lastName: person.lastName, phone: person.phone }));
    await deliver(SHOP, "refunds/create", refundPayload({ id: "9910000000000009", orderId: person.orders[1], amount: "5.00" }));
    expect(leftovers(await allRows())).toEqual([]);
    expect(await db.customer.count({ where: { shop: SHOP, shopifyId: person.id } })).toBe(0);
    expect(await db.order.count({ where: { shop: SHOP, shopifyId: "5610000000000109" } })).toBe(0);
    // Acknowledged, with why, not failed.
    expect(await db.inboxEvent.count({ where: { shop: SHOP, lastError: { contains: "erased customer" } } })).toBe(4);
  });

  it("leaves no row of the shop in any model after shop/redact, and a late retry recreates nothing", async () => {
    const all = await allRows();
    const withShop = MODELS.filter((model) => model.fields.some((field) => field.name === "shop"));
    const noShop = MODELS.filter((model) => !model.fields.some((field) => field.name === "shop")).map((model) => model.name);
    expect(noShop.filter((name) => !NO_SHOP_COLUMN[name]), "a model without a shop column: name why").toEqual([]);
    expect(withShop.filter((model) => !all.get(model.name)!.some((row) => row.shop === SHOP)).map((model) => model.name), "seed these for the shop").toEqual([]);

    await deliver(SHOP, "shop/redact", { shop_id: 1, shop_domain: SHOP });
    const naming = (rows: Map<string, Row[]>) => [...rows].flatMap(([model, list]) => list.filter((row) => mentions(row, [SHOP])).map((row) => `${model} ${JSON.stringify(row).slice(0, 160)}`));
    expect(naming(await allRows())).toEqual([]);
    // The other shop keeps everything it had.
    const after = await allRows();
    const bystanderRows = (rows: Map<string, Row[]>) => withShop.map((model) => [model.name, rows.get(model.name)!.filter((row) => row.shop === BYSTANDER_SHOP).length]);
    expect(bystanderRows(after)).toEqual(bystanderRows(all));
    expect(after.get("Customer")!.filter((row) => row.shop === BYSTANDER_SHOP)).toHaveLength(1);

    // A late retry of a delivery, and a customers/redact for the gone shop:
    // acknowledged, nothing projected (no row of the shop outside the inbox),
    // and the retention pass deletes what reached the inbox.
    await deliver(SHOP, "orders/create", orderPayload({ id: other.orders[0], customerId: other.id, email: other.email, subtotal: "250.00" }));
    await deliver(SHOP, "customers/redact", { shop_id: 1, shop_domain: SHOP, customer: { id: Number(other.id), email: other.email, phone: null }, orders_to_redact: [] });
    expect(naming(await allRows()).filter((row) => !row.startsWith("InboxEvent ") && !row.startsWith("InboxBody "))).toEqual([]);
    await runJobNow("inbox-retention", clock.now());
    expect(naming(await allRows())).toEqual([]);
  });
});
