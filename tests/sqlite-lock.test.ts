// The database cannot wedge (issue 18): another process holds SQLite's write
// lock past the wait (an ops shell, `npm run cli`, a migration, the separate
// worker) and writes while it holds it. Before the fix, libsql kept the
// statement that met SQLITE_BUSY un-reset, the next read opened a snapshot that
// never closed, and every later webhook answered 500 SQLITE_BUSY_SNAPSHOT until
// the process restarted. Here the lock is taken by a real second process on the
// same file; webhooks are real signed HTTP requests to the built server. On
// PostgreSQL the equivalent is a database that refuses writes (read-only). The
// health endpoints (/healthz, /readyz) are tested on both.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import pg from "pg";
import db, { createDb, dialect } from "~/db.server";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";
import { orderPayload } from "./support/payloads";
import { waitForInboxDrained } from "./support/wait";
import { sendWebhook } from "../tools/simulator/webhooks";

const shop = "lock-shop.myshopify.com";
const sqlite = dialect() === "sqlite";

let app: TestApp;
beforeAll(async () => {
  await installTestShop(shop);
  await installShop(shop);
  app = await startTestApp();
});
afterAll(() => app?.close());

interface HeldLock {
  /** True until the other process has committed and let the lock go. */
  readonly holding: boolean;
  /** Tells the other process to commit; resolves once it has exited. */
  release(): Promise<void>;
}

/**
 * Another process takes the write lock on this test's SQLite file, writes a
 * row (so the file changes under our connection's feet, as an operator's fix
 * would) and holds the lock until told to commit.
 */
async function holdWriteLock(webhookId: string): Promise<HeldLock> {
  const file = process.env.DATABASE_URL!.replace(/^file:/, "");
  const script = `
    const Database = require("libsql");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    db.prepare('INSERT INTO "InboxEvent" ("shop", "webhookId", "topic", "receivedAt", "availableAt", "status") VALUES (?, ?, ?, ?, ?, ?)')
      .run("other-shop.myshopify.com", process.argv[2], "shop/update", Date.now(), Date.now(), "skipped");
    console.log("locked");
    require("node:readline").createInterface({ input: process.stdin }).on("line", () => { db.exec("COMMIT"); db.close(); console.log("released"); process.exit(0); });`;
  const child = spawn(process.execPath, ["-e", script, file, webhookId], { stdio: ["pipe", "pipe", "inherit"] });
  let holding = false;
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`the lock holder exited with ${code} before locking`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line === "locked") {
        holding = true;
        resolve();
      }
      if (line === "released") holding = false;
    });
  });
  return {
    get holding() {
      return holding;
    },
    async release() {
      child.stdin!.write("commit\n");
      await exited;
    },
  };
}

async function loadOverview() {
  const params = new URLSearchParams({ embedded: "1", shop, host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"), id_token: sessionToken(shop) });
  const response = await fetch(`${app.url}/app?${params}`, { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0" } });
  return { status: response.status, html: await response.text() };
}

const delivery = (n: number) => ({ topic: "orders/create", shop, body: orderPayload({ id: String(70_000 + n), customerId: "71000" }), webhookId: `lock-delivery-${n}` });

describe.skipIf(!sqlite)("another process holds SQLite's write lock", () => {
  it("keeps this process's connection usable: a write refused during the lock, reads in between, writes and fresh reads after", async () => {
    // The same connection layer the server runs, driven directly.
    const own = createDb();
    try {
      await own.inboxEvent.count(); // opens and tunes the connection
      const lock = await holdWriteLock("direct-other-1");
      await expect(
        own.$executeRaw`INSERT INTO "InboxEvent" ("shop", "webhookId", "topic", "receivedAt", "availableAt") VALUES (${shop}, ${"direct-1"}, ${"orders/create"}, ${new Date()}, ${new Date()})`,
      ).rejects.toThrow(/SQLITE_BUSY|locked/);
      expect(lock.holding).toBe(true);
      // The read that, before the fix, opened the snapshot that never closed.
      expect(await own.inboxEvent.count({ where: { webhookId: "direct-other-1" } })).toBe(0);
      await lock.release();
      // After the lock: our writes land and our reads see what the other process wrote.
      await own.$executeRaw`INSERT INTO "InboxEvent" ("shop", "webhookId", "topic", "receivedAt", "availableAt") VALUES (${shop}, ${"direct-1"}, ${"orders/create"}, ${new Date()}, ${new Date()})`;
      expect(await own.inboxEvent.count({ where: { webhookId: { in: ["direct-1", "direct-other-1"] } } })).toBe(2);
      // An interactive transaction works too (Prisma's deferred BEGIN would fail with SQLITE_BUSY_SNAPSHOT).
      await own.$transaction(async (tx) => {
        await tx.inboxEvent.findMany({ where: { webhookId: "direct-1" } });
        await tx.inboxEvent.updateMany({ where: { webhookId: "direct-1" }, data: { status: "skipped" } });
      });
      expect(await db.inboxEvent.findUnique({ where: { webhookId: "direct-1" } })).toMatchObject({ status: "skipped" });
    } finally {
      await own.$disconnect();
    }
  });

  it("answers webhooks 503 with Retry-After while the lock is held, 200 after, and every delivery is stored once", async () => {
    const before = await sendWebhook(app.url, delivery(0));
    expect(before.status).toBe(200);
    await waitForInboxDrained();

    const lock = await holdWriteLock("http-other-1");
    const during = [];
    for (const n of [1, 2, 3, 4]) {
      const response = await sendWebhook(app.url, delivery(n));
      // Answered while the other process still holds the lock: the
      // acknowledgement does not wait for it, Shopify's retry will bring it back.
      during.push({ status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.text(), stillLocked: lock.holding });
    }
    const overview = await loadOverview();
    const health = await fetch(`${app.url}/healthz`);
    const ready = await fetch(`${app.url}/readyz`);
    const readyDuring = { health: health.status, ready: ready.status, overview: overview.status, stillLocked: lock.holding };
    await lock.release();

    expect(during).toEqual([1, 2, 3, 4].map(() => ({ status: 503, retryAfter: "5", body: expect.stringMatching(/retry/i), stillLocked: true })));
    // Pages read, and reads do not need the lock: the Overview keeps answering.
    expect(readyDuring).toEqual({ health: 200, ready: 503, overview: 200, stillLocked: true });
    expect(await db.inboxEvent.count({ where: { webhookId: { in: [1, 2, 3, 4].map((n) => `lock-delivery-${n}`) } } })).toBe(0);

    // After the lock: Shopify's retries of the same deliveries, and a new one, all 200.
    for (const n of [1, 2, 3, 4, 5]) expect((await sendWebhook(app.url, delivery(n))).status).toBe(200);
    // A second retry of one (Shopify may deliver twice) is acknowledged, not stored again.
    const again = await sendWebhook(app.url, delivery(2));
    expect([again.status, again.headers.get("x-membercare-inbox")]).toEqual([200, "duplicate"]);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

    await waitForInboxDrained();
    const rows = await db.inboxEvent.findMany({ where: { webhookId: { startsWith: "lock-delivery-" } }, select: { webhookId: true, status: true } });
    expect(rows.map((row) => row.webhookId).sort()).toEqual([0, 1, 2, 3, 4, 5].map((n) => `lock-delivery-${n}`));
    // The worker, on the same connection, projected them: it was not wedged either.
    expect(rows.every((row) => row.status === "done")).toBe(true);
    expect(await db.order.count({ where: { shop, shopifyId: { in: [0, 1, 2, 3, 4, 5].map((n) => String(70_000 + n)) } } })).toBe(6);
    // What the other process wrote while holding the lock is kept.
    expect(await db.inboxEvent.count({ where: { webhookId: "http-other-1" } })).toBe(1);
  });
});

describe.skipIf(sqlite)("PostgreSQL refuses writes", () => {
  // PostgreSQL's locks are per row: another session cannot hold the whole
  // database as SQLite's write lock does. Its equivalent of "cannot be written"
  // is a read-only database (a standby promoted late, a database an operator set
  // read-only): every new session of this database starts read-only.
  async function setReadOnly(on: boolean) {
    const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.MEMBERCARE_TEST_PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = ${on ? "on" : "off"}`);
      // Sessions take the setting when they start: end the open ones (the pools reconnect).
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    } finally {
      await admin.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // the pools notice their ended connections
  }
  /** Shopify's retries, compressed: the same delivery until it is acknowledged, a few times at most. */
  async function deliverUntilAccepted(n: number) {
    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await sendWebhook(app.url, delivery(n));
      statuses.push(response.status);
      if (response.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return statuses;
  }

  it("answers /readyz and webhooks 503 while the database is read-only, 200 after, and every delivery is stored once", async () => {
    await setReadOnly(true);
    let during;
    try {
      during = [];
      for (const n of [11, 12, 13]) {
        const response = await sendWebhook(app.url, delivery(n));
        during.push([response.status, response.headers.get("retry-after")]);
      }
      during.push([(await fetch(`${app.url}/readyz`)).status], [(await fetch(`${app.url}/healthz`)).status]);
    } finally {
      await setReadOnly(false);
    }
    expect(during).toEqual([[503, "5"], [503, "5"], [503, "5"], [503], [200]]);
    for (const n of [11, 12, 13]) expect((await deliverUntilAccepted(n)).at(-1)).toBe(200);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    await waitForInboxDrained();
    const rows = await db.inboxEvent.findMany({ where: { webhookId: { in: [11, 12, 13].map((n) => `lock-delivery-${n}`) } }, select: { webhookId: true, status: true } });
    expect(rows.map((row) => [row.webhookId, row.status]).sort()).toEqual([11, 12, 13].map((n) => [`lock-delivery-${n}`, "done"]));
  });
});

describe("health endpoints", () => {
  it("/healthz answers 200 without touching the database, with nothing about any shop", async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toBe("ok\n");
  });

  it("/readyz answers 200 when the database can be written, and writes nothing", async () => {
    const counts = async () => Promise.all([db.inboxEvent.count(), db.shop.count(), db.session.count()]);
    const before = await counts();
    const response = await fetch(`${app.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ready\n");
    expect(await counts()).toEqual(before);
  });

  it("needs no authentication and refuses nothing a process manager sends (HEAD too)", async () => {
    for (const path of ["/healthz", "/readyz"]) {
      const head = await fetch(`${app.url}${path}`, { method: "HEAD" });
      expect(head.status).toBe(200);
    }
  });
});
