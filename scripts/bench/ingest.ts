// `npm run bench:ingest`: signed orders/create webhooks against the built
// server, beside a floor measured in the same run (a bare node:http server that
// only verifies the HMAC), then the time the worker takes to drain the inbox,
// then the same load again while the background jobs server.mjs runs beside
// the web process (ADR 0023) drain a backlog of --backlog events: the
// condition a merchant meets on a busy day. Prints a table and appends it to
// docs/benchmarks.md. With --db postgres it runs on the private PostgreSQL
// cluster (scripts/postgres.mjs) and drains the inbox with 1, 2 and 4 worker
// processes (npm run worker) in turn.
//
//   npm run bench:ingest -- [--seconds 10] [--connections 20] [--rate 200] [--backlog 30000] [--db sqlite|postgres]
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { orderPayload } from "../../tests/support/payloads";
import { webhookRequest } from "../../tools/simulator/webhooks";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "10" }, connections: { type: "string", default: "20" }, rate: { type: "string", default: "200" }, backlog: { type: "string", default: "30000" }, db: { type: "string", default: "sqlite" } },
});
if (values.db !== "sqlite" && values.db !== "postgres") throw new Error("--db is sqlite or postgres");
const postgres = values.db === "postgres";
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rate = Number(values.rate);
const backlog = Number(values.backlog);

const SECRET = "bench-secret";
const root = path.resolve(import.meta.dirname, "../..");
const dbFile = path.join(root, "tmp", "bench-ingest.sqlite");
fs.mkdirSync(path.dirname(dbFile), { recursive: true });
let databaseUrl = `file:${dbFile}`;
if (postgres) {
  // A fresh database on the private cluster, migrated as production is.
  const { startPostgres, postgresUrl } = await import("../postgres.mjs");
  const { migratePostgres } = await import("../migrate-postgres.mjs");
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: startPostgres() });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS membercare_bench WITH (FORCE)");
  await admin.query("CREATE DATABASE membercare_bench");
  await admin.end();
  databaseUrl = postgresUrl("membercare_bench");
  await migratePostgres(databaseUrl);
} else {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });
}
const env = {
  ...process.env,
  NODE_ENV: "production" as const,
  DATABASE_URL: databaseUrl,
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: "https://membercare.bench",
  // Production requires the app's own keys (docs/operations.md, "Keys and rotation").
  TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
  UNSUBSCRIBE_SIGNING_KEYS: `bench:${randomBytes(32).toString("base64")}`,
  INBOX_WORKER_IN_PROCESS: "false",
  // The jobs run with the app's defaults (WORKER_BATCH_SIZE 100), as a merchant's do: a larger
  // batch drains faster alone but holds SQLite's write lock longer in each of its statements.
  LOG_LEVEL: "error",
};
if (!postgres) execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { env, stdio: "ignore" });
// The drain below runs the app's source in this process: it reads the same
// environment as the app (without it every event failed the environment check and was retried).
Object.assign(process.env, env);
const { drainInbox } = await import("../../app/services/inbox-worker.server");
const { env: appEnv } = await import("../../app/env.server");
const { default: db } = await import("../../app/db.server");
const { INBOX_INSERT_ROWS, storeInboxEvents } = await import("../../app/models/inbox.server");
// The worker projects only the webhooks of installed shops, and holds then
// purges those that arrived before the install (issue 18, ADR 0020): the bench
// shop is installed before any load, as afterAuth would record it.
const { saveShopSettings } = await import("../../app/models/shops.server");
await saveShopSettings("bench.myshopify.com", { name: "Bench", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, new Date());

function start(script: string, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { env: { ...env, ...extraEnv }, stdio: ["ignore", "ignore", "inherit", "ipc"] });
    child.once("message", (message: { port: number }) => resolve({ child, port: message.port }));
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

let sequence = 0;
function signedOrder(): { body: string; headers: Record<string, string> } {
  sequence++;
  const body = orderPayload({ id: String(1_000_000 + sequence), customerId: String(10_000 + (sequence % 5_000)), subtotal: "48.50" });
  const { init } = webhookRequest("", { topic: "orders/create", shop: "bench.myshopify.com", body, webhookId: randomUUID() }, SECRET);
  return { body: init.body as string, headers: init.headers as Record<string, string> };
}

async function load(url: string) {
  const result = await autocannon({
    url,
    method: "POST",
    connections,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, ...signedOrder() }) }],
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, total: result.requests.total, non2xx };
}

/**
 * Shopify's deliveries at a steady `perSecond`: request i is due at start + i/perSecond
 * and its latency is counted from when it was due, not from when a free connection
 * sent it, so a stalled server cannot hide its stall by slowing the sender
 * (autocannon's overallRate sends each second's requests in a burst, which
 * measured its own queue). Up to 50 connections, kept alive.
 */
async function paced(url: string, perSecond: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const target = new URL(url);
  const latencies: number[] = [];
  let non2xx = 0;
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const { body, headers } = signedOrder();
      const request = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { ...headers, "Content-Length": Buffer.byteLength(body) } }, (response) => {
        response.resume();
        response.on("end", () => {
          if (response.statusCode !== 200) non2xx++;
          latencies.push(performance.now() - due);
          resolve();
        });
      });
      request.on("error", () => {
        non2xx++;
        resolve();
      });
      request.end(body);
    });
  const start = performance.now() + 10;
  const total = perSecond * seconds;
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  return { rps: latencies.length / ((performance.now() - start) / 1000), p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1)!), total: latencies.length, non2xx };
}

/** Stops a child started by start(): the app server closes (and stops its background jobs' process) on SIGTERM. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  child.removeAllListeners("exit"); // start()'s "exited early" listener
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  return exited;
}

const floor = await start(path.join(root, "scripts/bench/floor-server.mjs"));
const floorMax = await load(`http://127.0.0.1:${floor.port}/webhooks/orders`);
await stop(floor.child);

const app = await start(path.join(root, "scripts/bench/app-server.mjs"));
const appMax = await load(`http://127.0.0.1:${app.port}/webhooks/orders`);
const appAtRate = await paced(`http://127.0.0.1:${app.port}/webhooks/orders`, rate);
await stop(app.child);

// Drain: the worker alone on the inbox the load left behind.
const pending = await db.inboxEvent.count({ where: { status: "pending" } });
const drains: Array<{ workers: number; done: number; seconds: number; note?: string }> = [];
if (!postgres) {
  const started = performance.now();
  const drained = await drainInbox({ batchSize: appEnv().WORKER_BATCH_SIZE });
  drains.push({ workers: 1, done: drained.done, seconds: (performance.now() - started) / 1000, note: `claimed ${drained.claimed}, skipped ${drained.skipped}, held ${drained.held}, retried ${drained.retried}, failed ${drained.failed}` });
} else {
  // The same inbox drained by 1, 2 and 4 worker processes: before each run the
  // projections are emptied and every event is pending again.
  for (const workers of [1, 2, 4]) {
    await db.$executeRawUnsafe(`TRUNCATE "OrderLine", "Order", "Refund", "Customer", "MemberTier", "TierChange", "DomainEvent", "OutboxEffect"`);
    const children = await Promise.all(Array.from({ length: workers }, () => startWorker()));
    const started = performance.now();
    await db.inboxEvent.updateMany({ data: { status: "pending", attempts: 0, leaseOwner: null, leaseUntil: null, processedAt: null, lastError: null, availableAt: new Date() } });
    while ((await db.inboxEvent.count({ where: { status: { in: ["pending", "processing"] } } })) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (performance.now() - started) / 1000;
    drains.push({ workers, done: await db.inboxEvent.count({ where: { status: "done" } }), seconds });
    for (const child of children) child.kill("SIGTERM");
  }
}

// Busy day: a backlog of pending events, and the background jobs beside the web
// process (INBOX_WORKER_IN_PROCESS=true, the embedded default: server.mjs's
// child process) draining it while the same load as above arrives. The drain
// rate is what the jobs projected during the load, counted from outside.
await db.inboxEvent.deleteMany({});
const seeded = performance.now();
for (let i = 0; i < backlog; i += INBOX_INSERT_ROWS) {
  const now = new Date();
  await storeInboxEvents(
    Array.from({ length: Math.min(INBOX_INSERT_ROWS, backlog - i) }, () => {
      const { body } = signedOrder();
      return { shop: "bench.myshopify.com", webhookId: randomUUID(), topic: "orders/create", apiVersion: "2025-10", eventId: null, triggeredAt: null, body, receivedAt: now };
    }),
  );
}
console.warn(`backlog of ${backlog} pending events seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
const doneCount = () => db.inboxEvent.count({ where: { status: { in: ["done", "failed", "skipped"] } } });
const busyApp = await start(path.join(root, "scripts/bench/app-server.mjs"), { INBOX_WORKER_IN_PROCESS: "true" });
// The load starts once the jobs' process is draining.
while ((await doneCount()) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
const busyStart = { at: performance.now(), done: await doneCount() };
const busyMax = await load(`http://127.0.0.1:${busyApp.port}/webhooks/orders`);
const busyAtRate = await paced(`http://127.0.0.1:${busyApp.port}/webhooks/orders`, rate);
const busyEnd = { at: performance.now(), done: await doneCount() };
const backlogLeft = await db.inboxEvent.count({ where: { status: { in: ["pending", "processing"] } } });
// How long the jobs hold SQLite's write lock: with the load over and the jobs
// still draining, a writer on its own connection takes the lock every 50 ms
// (trying without a busy timeout, as the app's connection does) and lets it go
// at once. Its wait is what an acknowledgement arriving then would wait.
const lockWait = postgres ? undefined : await lockWaits(dbFile, 5_000);
await stop(busyApp.child);

async function lockWaits(file: string, forMs: number) {
  const { default: Database } = await import("libsql");
  const connection = new Database(file);
  connection.prepare("PRAGMA busy_timeout = 0").get();
  const waits: number[] = [];
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    const asked = performance.now();
    for (;;) {
      try {
        connection.exec("BEGIN IMMEDIATE");
        break;
      } catch {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    waits.push(performance.now() - asked);
    connection.exec("ROLLBACK");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  connection.close();
  waits.sort((a, b) => a - b);
  const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))].toFixed(0);
  return { samples: waits.length, p50: at(0.5), p99: at(0.99), max: waits.at(-1)!.toFixed(0) };
}
const busyDrainRate = (busyEnd.done - busyStart.done) / ((busyEnd.at - busyStart.at) / 1000);

function startWorker(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/worker.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (/worker \d+ started/.test(chunk.toString())) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

const row = (name: string, r: { rps: number; p50: number; p99: number; max: number; non2xx: number }) =>
  `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.max} | ${r.non2xx} |`;
const table = [
  `### bench:ingest, ${new Date().toISOString().slice(0, 16)}Z (${os.cpus().length} cores, Node ${process.version}, ${postgres ? "PostgreSQL (private cluster, fsync off)" : "SQLite"}, ${seconds} s a run: maximum with ${connections} connections, then a steady ${rate}/s timed from when each request was due)`,
  "",
  "| run | requests/s | p50 ms | p99 ms | max ms | non-2xx |",
  "|---|---|---|---|---|---|",
  row("floor: node:http + HMAC only", floorMax),
  row("app, workers idle: max throughput", appMax),
  row(`app, workers idle: at ${rate} requests/s`, appAtRate),
  row("app, workers draining: max throughput", busyMax),
  row(`app, workers draining: at ${rate} requests/s`, busyAtRate),
  "",
  `Workers idle: acknowledgement throughput **${((appMax.rps / floorMax.rps) * 100).toFixed(0)}% of the floor** (aim ≥ 40%). p99 at ${rate}/s: **${appAtRate.p99} ms** (aim < 50 ms).`,
  `Workers draining a backlog of ${backlog} (the background jobs' process server.mjs manages): p99 at ${rate}/s **${busyAtRate.p99} ms** (aim < 50 ms), slowest acknowledgement **${Math.max(busyMax.max, busyAtRate.max)} ms** (aim < 1000 ms), throughput **${((busyMax.rps / appMax.rps) * 100).toFixed(0)}% of the idle figure** (aim ≥ 50%), drain while serving **${busyDrainRate.toFixed(0)} events/s** (aim > 500/s; ${backlogLeft} events still pending at the end${backlogLeft === 0 ? ": the backlog ran out, so this understates the drain" : ""}).`,
  ...(lockWait
    ? [`Write lock while the jobs drain (load over): a writer waited p50 ${lockWait.p50} ms, p99 ${lockWait.p99} ms, max ${lockWait.max} ms for it (${lockWait.samples} tries, one every 50 ms).`]
    : []),
  ...drains.map(
    (drain) =>
      `Drain${postgres ? ` with ${drain.workers} worker process${drain.workers === 1 ? "" : "es"}` : ""}: ${drain.done} of ${pending} pending orders/create events projected in ${drain.seconds.toFixed(1)} s = **${(drain.done / drain.seconds).toFixed(0)} events/s** (aim > 500/s${drain.note ? `; ${drain.note}` : ""}).`,
  ),
  "",
].join("\n");
console.log(table);
const file = path.join(root, "docs", "benchmarks.md");
if (!fs.existsSync(file)) fs.writeFileSync(file, "# Benchmarks\n\nFigures appended by the `npm run bench:*` scripts, newest last. Each run measures its own floor on the same machine.\n\n");
fs.appendFileSync(file, table + "\n");
await db.$disconnect();
