// The worker's contract: every stored event is projected exactly once or kept
// as failed with its reason; a dead worker's rows are taken over after its lease.
import db, { dialect } from "~/db.server";
import { inboxStatusCounts, listFailedInboxEvents, retryInboxEvents, storeInboxEvent } from "~/models/inbox.server";
import { ManualClock } from "~/services/clock.server";
import { drainInbox, drainInboxBatch, retryDelayMs } from "~/services/inbox-worker.server";
import { orderPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";

const shop = "worker-shop.myshopify.com";
let seq = 0;

async function store(topic: string, body: unknown, clock: ManualClock, webhookId = `wh-${++seq}`) {
  return storeInboxEvent({
    shop,
    webhookId,
    topic,
    apiVersion: "2026-10",
    eventId: null,
    triggeredAt: null,
    body: typeof body === "string" ? body : JSON.stringify(body),
    receivedAt: clock.now(),
  });
}

describe("inbox worker", () => {
  beforeAll(() => installTestShop(shop));

  it("stores a webhook id once however often it is delivered", async () => {
    const clock = new ManualClock(new Date("2026-10-01T00:00:00Z"));
    const body = orderPayload({ id: "1001", customerId: "2001" });
    expect(await store("orders/create", body, clock, "dup-1")).toEqual({ stored: true });
    expect(await store("orders/create", body, clock, "dup-1")).toEqual({ stored: false });
    expect(await db.inboxEvent.count({ where: { webhookId: "dup-1" } })).toBe(1);
  });

  it("projects a delivery the previous release stored with its body in InboxEvent (a deploy's overlap), and its scrub reaches the body (ADR 0038)", async () => {
    const clock = new ManualClock(new Date("2026-10-01T00:00:00Z"));
    const body = JSON.stringify(orderPayload({ id: "1009", customerId: "2009", email: "overlap@example.com" }));
    // The previous release's insert, as it wrote it: the body in the event's own row.
    await db.$executeRaw`INSERT INTO "InboxEvent" ("shop", "webhookId", "topic", "apiVersion", "receivedAt", "availableAt", "body") VALUES (${shop}, ${"old-release-1"}, ${"orders/create"}, ${"2026-10"}, ${clock.now()}, ${clock.now()}, ${body})`;
    const row = await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "old-release-1" }, include: { payload: true } });
    expect(row.retiredBody).toBeNull();
    expect(row.payload?.body).toBe(body);
    await drainInbox({ clock });
    expect(await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "old-release-1" } })).toMatchObject({ status: "done" });
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "2009" } } })).toMatchObject({ email: "overlap@example.com" });
    // The previous release's erasure scrubbed the body in the event's row: it lands on the body.
    await db.$executeRaw`UPDATE "InboxEvent" SET "body" = ${'{"redacted":true}'} WHERE "webhookId" = ${"old-release-1"}`;
    expect(await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "old-release-1" }, include: { payload: true } })).toMatchObject({ retiredBody: null, payload: { body: '{"redacted":true}' } });
  });

  it("keeps a payload it cannot use as failed with the reason, and re-processes it after a retry", async () => {
    const clock = new ManualClock(new Date("2026-10-01T00:00:00Z"));
    const broken = orderPayload({ id: "1002", customerId: "2002" });
    delete (broken as Record<string, unknown>).line_items;
    await store("orders/create", broken, clock, "broken-1");
    const result = await drainInbox({ clock });
    expect(result.failed).toBe(1);
    const [failed] = await listFailedInboxEvents(shop);
    expect(failed).toMatchObject({ webhookId: "broken-1", topic: "orders/create", attempts: 1 });
    expect(failed.lastError).toMatch(/line_items/);

    // "Fix" the payload (a deploy that handles it would do the same) and retry.
    await db.inboxBody.updateMany({ where: { event: { webhookId: "broken-1" } }, data: { body: JSON.stringify(orderPayload({ id: "1002", customerId: "2002" })) } });
    expect(await retryInboxEvents(shop, undefined, clock.now())).toBe(1);
    expect((await drainInbox({ clock })).done).toBe(1);
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "2002" } } })).toMatchObject({ orderCount: 1 });
  });

  it("retries a transient failure with backoff and marks it failed after the last attempt", async () => {
    const clock = new ManualClock(new Date("2026-10-01T00:00:00Z"));
    await store("orders/create", orderPayload({ id: "1003", customerId: "2003" }), clock, "transient-1");
    // Make the database refuse the projection: a trigger that aborts inserts into Order.
    if (dialect() === "postgresql") {
      await db.$executeRawUnsafe(`CREATE FUNCTION refuse_orders() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk unavailable'; END $$ LANGUAGE plpgsql`);
      await db.$executeRawUnsafe(`CREATE TRIGGER refuse_orders BEFORE INSERT ON "Order" FOR EACH ROW EXECUTE FUNCTION refuse_orders()`);
    } else {
      await db.$executeRawUnsafe(`CREATE TRIGGER refuse_orders BEFORE INSERT ON "Order" BEGIN SELECT RAISE(ABORT, 'disk unavailable'); END`);
    }
    try {
      const first = await drainInboxBatch({ clock, maxAttempts: 3 });
      expect(first).toMatchObject({ claimed: 1, retried: 1 });
      // Not due again before its backoff.
      expect((await drainInboxBatch({ clock, maxAttempts: 3 })).claimed).toBe(0);
      clock.advance(retryDelayMs(1));
      expect(await drainInboxBatch({ clock, maxAttempts: 3 })).toMatchObject({ claimed: 1, retried: 1 });
      clock.advance(retryDelayMs(2));
      expect(await drainInboxBatch({ clock, maxAttempts: 3 })).toMatchObject({ claimed: 1, failed: 1 });
      const row = await db.inboxEvent.findUnique({ where: { webhookId: "transient-1" } });
      expect(row).toMatchObject({ status: "failed", attempts: 3 });
      expect(row?.lastError).toMatch(/\S+.*\(attempt 3 of 3\)$/);
    } finally {
      if (dialect() === "postgresql") {
        await db.$executeRawUnsafe(`DROP TRIGGER refuse_orders ON "Order"`);
        await db.$executeRawUnsafe(`DROP FUNCTION refuse_orders()`);
      } else {
        await db.$executeRawUnsafe(`DROP TRIGGER refuse_orders`);
      }
    }
  });

  it("lets another worker take over rows whose lease expired, and the first worker cannot complete them", async () => {
    const clock = new ManualClock(new Date("2026-10-02T00:00:00Z"));
    await store("orders/create", orderPayload({ id: "1004", customerId: "2004" }), clock, "lease-1");
    // Worker A claims and "dies" (never completes).
    const { claimInboxEvents, completeInboxEvent } = await import("~/models/inbox.server");
    const [held] = await claimInboxEvents({ claimToken: "worker-a:1", limit: 10, now: clock.now(), leaseMs: 30_000 });
    expect(held.webhookId).toBe("lease-1");
    expect((await drainInboxBatch({ clock, owner: "worker-b" })).claimed).toBe(0);
    clock.advance(31_000);
    expect(await drainInboxBatch({ clock, owner: "worker-b" })).toMatchObject({ claimed: 1, done: 1 });
    // Worker A wakes up late: its completion is refused, nothing is processed twice.
    expect(await completeInboxEvent(held, { status: "done", now: clock.now() })).toBe(false);
    const row = await db.inboxEvent.findUnique({ where: { webhookId: "lease-1" } });
    expect(row).toMatchObject({ status: "done", attempts: 2 });
  });

  it("counts inbox rows by status for the shop only", async () => {
    const counts = await inboxStatusCounts(shop);
    expect(counts.done + counts.failed + counts.pending + counts.processing + counts.skipped).toBe(await db.inboxEvent.count({ where: { shop } }));
    expect(await inboxStatusCounts("other-shop.myshopify.com")).toEqual({ pending: 0, processing: 0, done: 0, failed: 0, skipped: 0 });
  });
});
