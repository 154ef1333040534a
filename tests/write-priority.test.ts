// Acknowledgements first (ADR 0035): on the embedded default the web process
// tells the background jobs' process while it writes webhook deliveries, and
// the jobs hold their next write until it is done, or for a bounded time if
// the word never comes. Shown here with the jobs' connection (Prisma's) and
// the acknowledgement's own (storeInboxEvents) in one process, reading the
// file from a third connection as another process would.
import Database from "libsql";
import db, { dialect, holdWrites } from "~/db.server";
import { storeInboxEvents, type NewInboxEvent } from "~/models/inbox.server";

const sqlite = dialect() === "sqlite";
const shop = "priority-shop.myshopify.com";

const delivery = (webhookId: string): NewInboxEvent => ({
  shop,
  webhookId,
  topic: "orders/create",
  apiVersion: "2026-10",
  eventId: null,
  triggeredAt: null,
  body: "{}",
  receivedAt: new Date(),
});

/** A write of the jobs' connection (Prisma's): a delivery stored as a job would store one. */
const jobWrite = (webhookId: string) => {
  const { body, ...event } = delivery(webhookId);
  return db.inboxEvent.create({ data: { ...event, availableAt: new Date(), payload: { create: { shop, body } } } });
};

/** What another process reading the file sees: the webhook ids stored, in the order they were written. */
function storedIds(): string[] {
  const reader = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""));
  try {
    return reader.prepare(`SELECT "webhookId" FROM "InboxEvent" WHERE "shop" = ? ORDER BY "id"`).all(shop).map((row) => (row as { webhookId: string }).webhookId);
  } finally {
    reader.close();
  }
}

describe.skipIf(!sqlite)("the jobs' writes wait while acknowledgements are written", () => {
  afterEach(() => holdWrites(false));

  it("holds a job's write until the acknowledgement's group is stored and the hold is released", async () => {
    holdWrites(true, 60_000);
    // Started now (a Prisma query runs only once something awaits it).
    const held = jobWrite("job-1").then((row) => row);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const acknowledged = await storeInboxEvents([delivery("ack-1"), delivery("ack-2")]);
    expect([...acknowledged]).toEqual(["ack-1", "ack-2"]);
    // The acknowledgement went in; the job's write has not started.
    expect(storedIds()).toEqual(["ack-1", "ack-2"]);
    holdWrites(false);
    await held;
    expect(storedIds()).toEqual(["ack-1", "ack-2", "job-1"]);
  });

  it("lets the job write anyway once the hold has lasted its longest, so a lost release never stops the jobs", async () => {
    holdWrites(true, 50);
    await jobWrite("job-2");
    expect(storedIds()).toContain("job-2");
  });

  it("leaves reads alone while writes are held", async () => {
    holdWrites(true, 60_000);
    expect(await db.inboxEvent.count({ where: { shop, webhookId: "ack-1" } })).toBe(1);
  });
});
