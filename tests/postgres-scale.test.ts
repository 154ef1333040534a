// The scale path (issue 6): two app instances and three workers, separate
// processes on one PostgreSQL database. A burst of 20,000 webhooks, duplicates
// included, spread over both instances: every event is stored and projected
// once, every member's facts and tier come out right, and each tier change is
// recorded once. A worker that dies holding claimed rows loses nothing: another
// worker finishes them after the lease. On SQLite this file is skipped: its
// scale story is one writer (the embedded default).
import { spawn, type ChildProcess } from "node:child_process";
import db, { dialect } from "~/db.server";
import { claimInboxEvents } from "~/models/inbox.server";
import { saveShopSettings } from "~/models/shops.server";
import { starterProgram } from "~/domain/tiers";
import { saveProgram } from "~/services/tiers.server";
import { freePort } from "../tools/admin-frame";
import { emitWebhooks, type WebhookDelivery } from "../tools/simulator/webhooks";
import { seededRandom } from "../tools/simulator/store-generator";
import { orderPayload } from "./support/payloads";

const SHOPS = ["scale-a.myshopify.com", "scale-b.myshopify.com"];
const CUSTOMERS_PER_SHOP = 400;
const ORDERS = 18_500;
const DUPLICATES = 1_500;
const children: ChildProcess[] = [];
const outputs: string[] = [];

function start(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const index = outputs.push("") - 1;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      outputs[index] = output;
      const match = ready.exec(output);
      if (match) resolve({ child, line: match[0] });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      outputs[index] = output;
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}: ${output.slice(-2000)}`)));
  });
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 300));
});

describe.runIf(dialect() === "postgresql")("two app instances and three workers on one PostgreSQL database", () => {
  it("projects a 20,000-webhook burst exactly once, and finishes what a dead worker held", { timeout: 600_000 }, async () => {
    const now = new Date("2026-11-01T00:00:00Z");
    for (const shop of SHOPS) {
      await saveShopSettings(shop, { name: shop, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, now);
      await saveProgram(shop, starterProgram(), "now", now);
    }
    const common = { DATABASE_URL: process.env.DATABASE_URL!, DATABASE_POOL_SIZE: "8", INBOX_WORKER_IN_PROCESS: "false", WORKER_LEASE_SECONDS: "5", WORKER_BATCH_SIZE: "100", LOG_LEVEL: "error" };
    const ports = [await freePort(), await freePort()];
    const apps = await Promise.all(ports.map((port) => start(process.execPath, ["server.mjs"], { ...common, PORT: String(port), HOST: "127.0.0.1" }, /MemberCare listening on (\S+)/)));
    const urls = apps.map(({ line }) => line.split(" ").at(-1)!);

    // A worker dies holding rows: claimed with a 5 s lease and never completed.
    // node itself with tsx's loader, not the tsx command: SIGKILL to that
    // command kills its wrapper and leaves the worker inside it running.
    const workers = await Promise.all([0, 1, 2].map(() => start(process.execPath, ["--import", "tsx", "scripts/worker.ts"], common, /worker \d+ started/)));

    // 18,500 orders from 800 customers (about 23 each) and 1,500 repeats of them.
    const random = seededRandom(11);
    const deliveries: Array<WebhookDelivery & { orderId: string; shop: string; customerId: string }> = [];
    for (let i = 0; i < ORDERS; i++) {
      const shop = SHOPS[i % 2];
      const customerId = String(500_000 + (i % 2) * CUSTOMERS_PER_SHOP + Math.floor(random() * CUSTOMERS_PER_SHOP));
      const orderId = String(9_000_000 + i);
      deliveries.push({ topic: "orders/paid", shop, orderId, customerId, webhookId: `scale-${i}`, body: orderPayload({ id: orderId, customerId, subtotal: "20.00", createdAt: new Date(now.getTime() + i * 1000).toISOString() }) });
    }
    for (let i = 0; i < DUPLICATES; i++) deliveries.push({ ...deliveries[Math.floor(random() * ORDERS)] });
    // Shuffled, half to each instance.
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    const halves = [deliveries.filter((_, i) => i % 2 === 0), deliveries.filter((_, i) => i % 2 === 1)];
    const sending = Promise.all(halves.map((half, i) => emitWebhooks(urls[i], half, { secret: process.env.SHOPIFY_API_SECRET, concurrency: 8 })));

    // Mid-burst: one worker is killed outright, and a "worker" claims rows and dies.
    let orphaned: Awaited<ReturnType<typeof claimInboxEvents>> = [];
    for (let tries = 0; orphaned.length === 0 && tries < 300; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      orphaned = await claimInboxEvents({ claimToken: "dead-worker", limit: 50, now: new Date(), leaseMs: 5_000 });
    }
    workers[0].child.kill("SIGKILL");
    expect(orphaned.length).toBeGreaterThan(0);

    const statuses = await sending;
    for (const status of statuses) expect([...status.keys()]).toEqual([200]);
    expect(statuses.reduce((sum, status) => sum + status.get(200)!, 0)).toBe(ORDERS + DUPLICATES);

    // Wait for the remaining workers to drain the inbox, leases included.
    for (let waited = 0; ; waited += 500) {
      const busy = await db.inboxEvent.count({ where: { status: { in: ["pending", "processing"] } } });
      if (busy === 0) break;
      if (waited > 300_000) throw new Error(`${busy} events still not applied after 5 minutes; the processes said:\n${outputs.map((output) => output.slice(-1500)).join("\n---\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    // Every event stored once and applied once, the dead worker's rows included.
    expect(await db.inboxEvent.count()).toBe(ORDERS);
    expect(await db.inboxEvent.count({ where: { status: "done" } })).toBe(ORDERS);
    expect(await db.inboxEvent.count({ where: { id: { in: orphaned.map((row) => row.id) }, status: "done", attempts: { gte: 2 } } })).toBe(orphaned.length);
    expect(await db.order.count()).toBe(ORDERS);

    // Each member's facts count every one of their orders, whichever worker applied them.
    const expected = new Map<string, number>();
    for (const { shop, customerId } of new Map(deliveries.map((delivery) => [delivery.orderId, delivery])).values()) {
      expected.set(`${shop}|${customerId}`, (expected.get(`${shop}|${customerId}`) ?? 0) + 1);
    }
    const customers = await db.customer.findMany({ select: { shop: true, shopifyId: true, orderCount: true, netSpentMinor: true } });
    expect(customers).toHaveLength(expected.size);
    for (const customer of customers) {
      const count = expected.get(`${customer.shop}|${customer.shopifyId}`);
      expect({ id: customer.shopifyId, orderCount: customer.orderCount, netSpentMinor: customer.netSpentMinor }).toEqual({ id: customer.shopifyId, orderCount: count, netSpentMinor: count! * 2_000 });
    }
    // One tier per member, and no tier change recorded twice (each member moves up once per tier it reaches).
    expect(await db.memberTier.count()).toBe(expected.size);
    const changes = await db.tierChange.groupBy({ by: ["shop", "customerShopifyId", "toHandle"], _count: { _all: true } });
    expect(changes.filter((change) => change._count._all > 1)).toEqual([]);
  });
});
