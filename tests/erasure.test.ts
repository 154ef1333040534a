// Erasure that erases and stays complete (issue 18), through signed webhooks
// to the built server: the bytes leave the SQLite file and its write-ahead log;
// late webhooks about an erased customer or shop are acknowledged and project
// nothing; a shop that installs again starts afresh; raw bodies are purged
// after the retention period. tests/erasure-coverage.test.ts covers every table.
import fs from "node:fs";
import db, { dialect } from "~/db.server";
import { parseEnv } from "~/env.server";
import { storeInboxEvent } from "~/models/inbox.server";
import { planMessages } from "~/models/messages.server";
import { buryCustomer, tombstoneDigest } from "~/models/tombstones.server";
import type { ChannelSender } from "~/services/channels/types";
import { ManualClock, systemClock } from "~/services/clock.server";
import { dispatchDue } from "~/services/dispatcher.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { recordInstall } from "~/services/install.server";
import { forgetErasedInBatch } from "~/services/privacy.server";
import { applyInboxBatch } from "~/services/projectors.server";
import { jobNamed } from "~/jobs/registry.server";
import { startJob } from "~/jobs/start.server";
import { runJobNow } from "~/jobs/start.server";
import { purgeOldWebhookBodies } from "~/services/retention.server";
import { sendWebhook } from "../tools/simulator/webhooks";
import { startTestApp, type TestApp } from "./support/app";
import { customerPayload, orderPayload } from "./support/payloads";

// The server stamps what it receives with the real time, so the worker here works at it too.
const clock = systemClock;
interface Person {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  order: string;
}
const ada = { id: "7320000000000101", email: "ada.quennell@example.org", firstName: "Adaline", lastName: "Quennell", phone: "+15550164410", order: "5620000000000101" } satisfies Person;
const bo: Person = { id: "7320000000000102", email: "bo.strandquist@example.org", firstName: "Bo", lastName: "Strandquist", phone: null, order: "5620000000000102" };

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

// The install as afterAuth records it, with Shopify's answer to the shop settings query.
const install = (shop: string) =>
  recordInstall({ shop, scopes: "read_customers,read_orders", admin: { graphql: async () => Response.json({ data: { shop: { name: shop, ianaTimezone: "UTC", currencyCode: "USD" }, shopLocales: [{ locale: "en", primary: true }] } }) } }, clock);

async function send(shop: string, topic: string, body: unknown) {
  const response = await sendWebhook(app.url, { shop, topic, body });
  expect(response.status, `${topic} acknowledged`).toBe(200);
}
const drain = () => drainInbox({ clock });

async function seed(shop: string, who: Person) {
  await send(shop, "customers/create", customerPayload({ id: who.id, email: who.email, firstName: who.firstName, lastName: who.lastName, phone: who.phone }));
  await send(shop, "orders/create", orderPayload({ id: who.order, customerId: who.id, email: who.email, firstName: who.firstName, lastName: who.lastName, subtotal: "90.00" }));
}
// A care message sent to them through the dispatcher: its words, kept as sent (ADR 0032), say "Dear <first> <last>", which no other column holds.
const accepting: ChannelSender = { send: async (message) => ({ status: "accepted", providerMessageId: `p-${message.idempotencyKey}` }) };
const dearLine = (who: Person) => `Dear ${who.firstName} ${who.lastName}`;
async function sendCareMessage(shop: string, who: Person) {
  const now = clock.now();
  // Noon UTC tomorrow: outside the quiet hours of the shop's zone (UTC).
  const noon = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 12));
  await planMessages(shop, [{ customerShopifyId: who.id, idempotencyKey: `erasure-words-${who.id}`, source: "flow", sourceId: "postDelivery", step: "deliveryCheck", channel: "email", messageClass: "transactional", priority: 10, variables: {}, plannedAt: now, expiresAt: new Date(noon.getTime() + 86_400_000) }], now);
  await dispatchDue(noon, {
    channels: { email: accepting, sms: accepting, flow: accepting },
    content: { flow: async () => ({ enabled: true, allowWithoutConsent: true, content: { subject: "A note for {{fullName}}", body: "Dear {{fullName}}, thank you for your order.", sms: "Thanks" } }) },
  });
  expect((await db.message.findFirstOrThrow({ where: { shop, customerShopifyId: who.id } })).sentText).toContain(dearLine(who));
}
const redact = (shop: string, who: Person) =>
  send(shop, "customers/redact", { shop_id: 1, shop_domain: shop, customer: { id: Number(who.id), email: who.email, phone: who.phone }, orders_to_redact: [Number(who.order)] });

describe.runIf(dialect() === "sqlite")("on SQLite", () => {
  // The database file and its write-ahead log, as bytes: what a copy of the disk would show.
  const files = () => {
    const file = new URL(process.env.DATABASE_URL!).pathname;
    return [file, `${file}-wal`].map((path) => (fs.existsSync(path) ? fs.readFileSync(path) : Buffer.alloc(0)));
  };
  const onDisk = (text: string) => files().some((bytes) => bytes.includes(Buffer.from(text, "utf8")));

  it("leaves none of the customer's bytes in the database file or its WAL after customers/redact, failed and waiting webhooks included", async () => {
    const shop = "erasure-bytes.myshopify.com";
    await install(shop);
    await seed(shop, ada);
    await seed(shop, bo);
    expect((await drain()).failed).toBe(0);
    // One that fails (no line items) and one not yet due: both carry her name and email.
    const broken = orderPayload({ id: ada.order, customerId: ada.id, email: ada.email, firstName: ada.firstName, lastName: ada.lastName, updatedAt: "2026-10-09T00:00:00Z" });
    delete (broken as Record<string, unknown>).line_items;
    await send(shop, "orders/updated", broken);
    expect((await drain()).failed).toBe(1);
    await storeInboxEvent({ shop, webhookId: "erasure-bytes-later", topic: "customers/update", apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(customerPayload({ id: ada.id, email: ada.email, firstName: ada.firstName, lastName: ada.lastName })), receivedAt: new Date(clock.now().getTime() + 86_400_000) });
    // Each was sent a care message, whose words (subject, text and HTML parts) the row keeps as sent.
    await sendCareMessage(shop, ada);
    await sendCareMessage(shop, bo);
    // The test can fail: before the redact the bytes are there.
    for (const text of [ada.email, ada.lastName, ada.phone, dearLine(ada)]) expect(onDisk(text), text).toBe(true);

    await redact(shop, ada);
    expect((await drain()).failed).toBe(0);
    for (const text of [ada.email, ada.lastName, ada.phone, dearLine(ada)]) expect(onDisk(text), `${text} still on disk`).toBe(false);
    // Bo is untouched, on disk too, his message's words included.
    expect(onDisk(bo.email)).toBe(true);
    expect(onDisk(dearLine(bo))).toBe(true);
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: bo.id } } })).toMatchObject({ email: bo.email });
  });
});

it("acknowledges a late webhook about an erased customer and projects nothing: no member re-created, no order re-linked", async () => {
  const shop = "erasure-late.myshopify.com";
  await install(shop);
  await seed(shop, ada);
  await drain();
  await redact(shop, ada);
  await drain();

  await send(shop, "orders/updated", orderPayload({ id: ada.order, customerId: ada.id, email: ada.email, firstName: ada.firstName, subtotal: "95.00", updatedAt: "2026-10-11T00:00:00Z" }));
  await send(shop, "customers/update", customerPayload({ id: ada.id, email: ada.email, firstName: ada.firstName, lastName: ada.lastName }));
  await send(shop, "orders/create", orderPayload({ id: "5620000000000109", customerId: ada.id, email: ada.email, subtotal: "15.00" }));
  const result = await drain();
  expect(result).toMatchObject({ failed: 0, skipped: 3 });
  expect(await db.customer.count({ where: { shop } })).toBe(0);
  // The anonymous order keeps the amounts it had at erasure; the new one is not stored.
  expect(await db.order.findMany({ where: { shop }, select: { shopifyId: true, customerShopifyId: true, subtotalMinor: true } })).toEqual([{ shopifyId: ada.order, customerShopifyId: null, subtotalMinor: 9000 }]);
  const late = await db.inboxEvent.findMany({ where: { shop }, orderBy: { id: "asc" }, include: { payload: true } });
  expect(late.slice(-3).map((row) => [row.status, row.payload?.body, row.subjectCustomerId])).toEqual(Array(3).fill(["skipped", JSON.stringify({ redacted: true }), null]));
  expect(JSON.stringify(await db.inboxEvent.findMany({ where: { shop }, include: { payload: true } }))).not.toContain(ada.email);
});

it("recreates nothing when an order and the redact of its customer are projected in one batch", async () => {
  const shop = "erasure-batch.myshopify.com";
  await install(shop);
  await seed(shop, ada);
  await redact(shop, ada);
  // One drain: the projectors take orders first, then the redact; the member refresh after the batch must not bring her back.
  await drain();
  expect(await db.customer.count({ where: { shop } })).toBe(0);
  expect(await db.order.findMany({ where: { shop }, select: { customerShopifyId: true } })).toEqual([{ customerShopifyId: null }]);
  expect(JSON.stringify(await db.inboxEvent.findMany({ where: { shop }, include: { payload: true } }))).not.toContain(ada.id);
});

it("erases again what a batch wrote about a customer that another worker erased while the batch was projected", async () => {
  const shop = "erasure-race.myshopify.com";
  await install(shop);
  const now = clock.now();
  await storeInboxEvent({ shop, webhookId: "erasure-race-1", topic: "orders/create", apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(orderPayload({ id: ada.order, customerId: ada.id, email: ada.email, firstName: ada.firstName, lastName: ada.lastName, subtotal: "90.00" })), receivedAt: now });
  const row = await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "erasure-race-1" }, include: { payload: true } });
  const events = [{ id: row.id, shop, topic: row.topic, body: row.payload!.body }];
  // This worker's gate let the order through (nobody erased yet) and it wrote the order and her member row...
  const batch = await applyInboxBatch(events, now);
  expect(await db.customer.count({ where: { shop, shopifyId: ada.id } })).toBe(1);
  // ...while another worker carried out her customers/redact (its deletions came before these writes).
  await buryCustomer(shop, ada.id, [ada.order], now);
  await forgetErasedInBatch(events, batch.outcomes, batch.factsChanged, now);
  expect(await db.customer.count({ where: { shop } })).toBe(0);
  expect(await db.order.findMany({ where: { shop }, select: { customerShopifyId: true, name: true } })).toEqual([{ customerShopifyId: null, name: null }]);
  expect(batch.factsChanged.get(shop)?.has(ada.id) ?? false).toBe(false);
  expect(batch.outcomes.get(row.id)).toMatchObject({ subjectCustomerId: null, scrubBody: true });
  expect((await db.inboxBody.findUniqueOrThrow({ where: { inboxEventId: row.id } })).body).not.toContain(ada.email);
});

it("acknowledges an erased shop's late retry without projecting it, and a shop that installs again starts afresh", async () => {
  const shop = "erasure-reinstall.myshopify.com";
  await install(shop);
  await seed(shop, ada);
  await drain();
  await send(shop, "shop/redact", { shop_id: 7, shop_domain: shop });
  await drain();
  expect(await db.order.count({ where: { shop } })).toBe(0);

  await send(shop, "orders/create", orderPayload({ id: ada.order, customerId: ada.id, email: ada.email, subtotal: "90.00" }));
  await drain();
  await runJobNow("inbox-retention", clock.now());
  expect([await db.order.count({ where: { shop } }), await db.customer.count({ where: { shop } }), await db.inboxEvent.count({ where: { shop } })]).toEqual([0, 0, 0]);

  // The merchant installs the app again: the shop is a tenant again, from scratch.
  await install(shop);
  await seed(shop, bo);
  expect((await drain()).failed).toBe(0);
  expect(await db.customer.findMany({ where: { shop }, select: { shopifyId: true, email: true } })).toEqual([{ shopifyId: bo.id, email: bo.email }]);
});

it("keeps no personal data in a tombstone: a keyed digest, different per shop and per kind", () => {
  const digest = tombstoneDigest("customer", "a.myshopify.com", ada.id);
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  expect(digest).not.toContain(ada.id);
  expect(tombstoneDigest("customer", "b.myshopify.com", ada.id)).not.toBe(digest);
  expect(tombstoneDigest("order", "a.myshopify.com", ada.id)).not.toBe(digest);
  // A key of its own must be a real secret.
  expect(() => parseEnv({ ...process.env, ERASURE_TOMBSTONE_KEY: "short" })).toThrow(/ERASURE_TOMBSTONE_KEY: invalid/);
});

describe("raw body retention", () => {
  const shop = "erasure-retention.myshopify.com";
  const DAY = 86_400_000;
  let n = 0;
  async function at(daysAgo: number, body: unknown, topic = "orders/create") {
    const past = new ManualClock(new Date(clock.now().getTime() - daysAgo * DAY));
    const webhookId = `retention-${++n}`;
    await storeInboxEvent({ shop, webhookId, topic, apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(body), receivedAt: past.now() });
    await drainInbox({ clock: past, maxAttempts: 1 });
    return webhookId;
  }
  const order = (id: string) => orderPayload({ id, customerId: "7320000000000200", subtotal: "10.00" });
  const broken = (id: string) => {
    const body = order(id);
    delete (body as Record<string, unknown>).line_items;
    return body;
  };

  it("deletes processed and failed bodies older than INBOX_RETENTION_DAYS (30 by default), keeps newer and unprocessed ones, in a job the background runs", async () => {
    await install(shop);
    const oldDone = await at(31, order("5620000000000301"));
    const recentDone = await at(29, order("5620000000000302"));
    const oldFailed = await at(31, broken("5620000000000303"));
    const recentFailed = await at(2, broken("5620000000000304"));
    // Failed 40 days ago, retried successfully (fixed) 10 days ago: counted from its success.
    const retried = await at(40, broken("5620000000000305"));
    await db.inboxEvent.updateMany({ where: { webhookId: retried }, data: { status: "pending", availableAt: new Date(clock.now().getTime() - 10 * DAY) } });
    await db.inboxBody.updateMany({ where: { event: { webhookId: retried } }, data: { body: JSON.stringify(order("5620000000000305")) } });
    await drainInbox({ clock: new ManualClock(new Date(clock.now().getTime() - 10 * DAY)) });
    // Received long ago and never processed (not due yet): never purged.
    await storeInboxEvent({ shop, webhookId: "retention-waiting", topic: "orders/create", apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(order("5620000000000306")), receivedAt: new Date(clock.now().getTime() + DAY) });
    await db.inboxEvent.updateMany({ where: { webhookId: "retention-waiting" }, data: { receivedAt: new Date(clock.now().getTime() - 90 * DAY) } });
    const statuses = Object.fromEntries((await db.inboxEvent.findMany({ where: { shop } })).map((row) => [row.webhookId, row.status]));
    expect(statuses).toMatchObject({ [oldDone]: "done", [recentDone]: "done", [oldFailed]: "failed", [recentFailed]: "failed", [retried]: "done", "retention-waiting": "pending" });

    expect(parseEnv({ ...process.env, INBOX_RETENTION_DAYS: undefined }).INBOX_RETENTION_DAYS).toBe(30);
    // The background job: a pass at start, then hourly.
    const job = startJob(jobNamed("inbox-retention"), { clock, log: () => {} });
    // Stopped once that pass has ended (a runner told to stop leaves the shops it has not reached for the next run).
    await vi.waitFor(async () => expect((await db.jobRun.findUnique({ where: { name: "inbox-retention" } }))?.lastFinishedAt).toBeTruthy(), { timeout: 20_000, interval: 50 });
    await job.stop();
    const left = (await db.inboxEvent.findMany({ where: { shop }, select: { webhookId: true } })).map((row) => row.webhookId).sort();
    expect(left).toEqual([recentDone, recentFailed, retried, "retention-waiting"].sort());
    // The projections stay: only raw bodies go.
    expect(await db.order.count({ where: { shop, shopifyId: "5620000000000301" } })).toBe(1);

    // A shorter period set by the operator.
    expect((await purgeOldWebhookBodies(shop, clock.now(), 5)).expired).toBe(2);
    expect((await db.inboxEvent.findMany({ where: { shop }, select: { webhookId: true } })).map((row) => row.webhookId).sort()).toEqual([recentFailed, "retention-waiting"].sort());
  });
});
