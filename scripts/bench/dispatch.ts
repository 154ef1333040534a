// `npm run bench:dispatch` (issue 8): 100,000 due care messages through the
// contact policy and the dispatcher to a local SMTP server, beside a floor
// measured in the same run: the same messages rendered and sent by the same
// nodemailer pool (the email channel) with no policy and no database, one at
// a time as the dispatcher sends, and as many at once as the pool has
// connections (what nodemailer alone can do).
//
// The data: half as many customers as messages, each with one marketing and
// one transactional email due, subscribed, in zones where the run's moment is
// daytime (or no zone: the shop's), caps that let both go. Every message is
// sent; the SMTP sink counts deliveries and distinct Message-IDs per part,
// and the run checks that each part delivered every message once. Each
// measured part runs in a fresh child process, for its own peak memory; the
// sink runs in this process (reading the headers only, no parsing).
//
// The dispatcher hands the pool as many messages at once as it has
// connections (DISPATCH_IN_FLIGHT = --connections). With --processes 1,2,4
// the dispatcher part runs once per count, that many dispatcher processes at
// once on the same due messages (reset between runs, not measured): how it
// scales with processes (PostgreSQL; on SQLite they share one writer).
//
//   npm run bench:dispatch -- [--messages 100000] [--db sqlite|postgres] [--connections 5] [--processes 1]
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { measured, type PhaseResult } from "./generated-shop";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "100000" },
    db: { type: "string", default: "sqlite" },
    connections: { type: "string", default: "5" },
    processes: { type: "string", default: "1" },
    phase: { type: "string" }, // internal: "floor1", "floorPool" or "dispatch", run in a child process
    "smtp-url": { type: "string" }, // internal
  },
});
if (values.db !== "sqlite" && values.db !== "postgres") throw new Error("--db is sqlite or postgres");
const postgres = values.db === "postgres";
const messageCount = Number(values.messages);
const connections = Number(values.connections);
if (!Number.isInteger(messageCount) || messageCount < 2 || messageCount % 2 !== 0) throw new Error("--messages must be an even whole number, 2 or more");
if (!Number.isInteger(connections) || connections < 1) throw new Error("--connections must be a whole number, 1 or more");
const processCounts = values.processes.split(",").map(Number);
if (processCounts.some((count) => !Number.isInteger(count) || count < 1)) throw new Error("--processes is a list of whole numbers, 1 or more: 1,2,4");

const SHOP = "bench-dispatch.myshopify.com";
// 15:00 UTC: between 09:00 and 21:00 in every zone below, so nothing waits for quiet hours.
const NOW = new Date("2026-11-20T15:00:00.000Z");
const ZONES = ["Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Toronto", "America/Sao_Paulo", "Africa/Lagos", "Asia/Dubai", null];
const SHOP_ZONE = "Europe/London";
const CONTENT = {
  subject: "{{firstName}}, how is your {{productTitle}}?",
  body: "Hello {{firstName}},\n\nYour {{productTitle}} arrived a few days ago. Steep it at 85 °C for three minutes; a second infusion brings out the sweetness.\n\nReply to this email if anything is not right.",
  sms: "Hi {{firstName}}, how is your {{productTitle}}?",
};
const SENDER = { fromName: "Bench Tea", fromEmail: "care@bench-tea.example", replyTo: null, smsFrom: null };
const customerId = (i: number) => String(8_000_000_000_000 + i);
const root = path.resolve(import.meta.dirname, "../..");
const dbFile = path.join(root, "tmp", "bench-dispatch.sqlite");
const unsubscribeUrl = (shop: string, customer: string, channel: string) => `https://membercare.bench/unsubscribe/${shop}/${customer}/${channel}`;

interface BenchMessage {
  customer: string;
  key: string;
  marketing: boolean;
  firstName: string;
  email: string;
  locale: string;
}

/** The messages, the same in every part: customer i has a marketing and a transactional email. */
function* benchMessages(): Generator<BenchMessage> {
  for (let i = 0; i < messageCount / 2; i++) {
    const customer = customerId(i);
    const base = { customer, firstName: `Ann${i}`, email: `c${i}@bench.example`, locale: i % 5 === 0 ? "zh-CN" : "en" };
    yield { ...base, key: `postDelivery:deliveryCheck:${customer}`, marketing: false };
    yield { ...base, key: `winBack:atRisk:${customer}`, marketing: true };
  }
}

/** startedAt, endedAt: wall-clock bounds of the measured work (epoch ms), to time processes that run at once. */
type Phase = PhaseResult & { detail?: string; startedAt?: number; endedAt?: number };

async function runPhase(phase: string, smtpUrl: string): Promise<Phase> {
  const { emailChannel } = await import("../../app/services/channels/email.server");
  const email = emailChannel({ smtpUrl, maxConnections: connections });
  if (phase === "floor1" || phase === "floorPool") {
    // No policy, no database: render and hand to the pool, `inFlight` at a time.
    const { renderMessage } = await import("../../app/domain/care/templates");
    const inFlight = phase === "floor1" ? 1 : connections;
    const run = await measured(async () => {
      const all = benchMessages();
      let sent = 0;
      const worker = async () => {
        for (let next = all.next(); !next.done; next = all.next()) {
          const m = next.value;
          const unsubscribe = m.marketing ? unsubscribeUrl(SHOP, m.customer, "email") : null;
          const rendered = renderMessage(CONTENT, { firstName: m.firstName, productTitle: "Oolong" }, { locale: m.locale, unsubscribeUrl: unsubscribe, shopName: "Bench Tea" });
          const result = await email.send({
            shop: SHOP,
            messageId: m.key,
            idempotencyKey: m.key,
            channel: "email",
            messageClass: m.marketing ? "marketing" : "transactional",
            customer: { shopifyId: m.customer, email: m.email, phone: null, firstName: m.firstName, lastName: null, locale: m.locale },
            rendered,
            sender: SENDER,
            unsubscribeUrl: unsubscribe,
            flow: null,
          });
          if (result.status === "accepted") sent++;
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      return sent;
    });
    email.close();
    return { seconds: run.seconds, baselineRss: run.baselineRss, peakRss: run.peakRss, maxRss: run.maxRss, rows: run.value, detail: `${inFlight} in flight` };
  }
  if (phase === "dispatch") {
    const { dispatchAllDue } = await import("../../app/services/dispatcher.server");
    const { default: db } = await import("../../app/db.server");
    const unused = { send: async () => ({ status: "rejected" as const, reason: "not used" }) };
    const startedAt = Date.now();
    const run = await measured(() =>
      dispatchAllDue(NOW, {
        channels: { email, sms: unused, flow: unused },
        // The flows' content as the care planner will store it: fixed here, read once per pass as the real resolver caches it.
        content: { flow: async () => ({ enabled: true, allowWithoutConsent: false, content: CONTENT }) },
        unsubscribeUrl,
        clock: { now: () => NOW },
      }),
    );
    const endedAt = Date.now();
    email.close();
    const statuses = await db.message.groupBy({ by: ["status"], where: { shop: SHOP }, _count: { _all: true } });
    await db.$disconnect();
    const r = run.value;
    const detail = `${r.claimed} claimed, ${r.sent} sent, ${r.deferred} deferred, ${r.blocked} blocked, ${r.failed} failed, ${r.retried} retried; rows ${statuses.map((s) => `${s.status} ${s._count._all}`).join(", ")}`;
    return { seconds: run.seconds, baselineRss: run.baselineRss, peakRss: run.peakRss, maxRss: run.maxRss, rows: r.sent, detail, startedAt, endedAt };
  }
  throw new Error(`unknown phase ${phase}`);
}

if (values.phase) {
  const result = await runPhase(values.phase, values["smtp-url"]!);
  process.send!(result);
  process.exit(0);
}

// ------------------------------------------------------------ the SMTP sink

/** A real SMTP server that keeps only each message's Message-ID (read from the header block), per part. */
async function startSink() {
  let ids = new Set<string>();
  let deliveries = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // The senders' pool keeps its connections: no limit on messages per connection.
    maxClients: 100,
    onData(stream, _session, callback) {
      let head = "";
      let headDone = false;
      stream.on("data", (chunk: Buffer) => {
        if (headDone) return;
        head += chunk.toString("latin1");
        const end = head.indexOf("\r\n\r\n");
        if (end >= 0) {
          head = head.slice(0, end);
          headDone = true;
        }
      });
      stream.on("end", () => {
        const match = /^Message-ID:\s*(<[^>]+>)/im.exec(head);
        deliveries++;
        if (match) ids.add(match[1]);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    take() {
      const taken = { deliveries, distinct: ids.size };
      ids = new Set();
      deliveries = 0;
      return taken;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ------------------------------------------------------------------ the run

let databaseUrl = `file:${dbFile}`;
if (postgres) {
  // A fresh database on the private cluster, migrated as production is.
  const { startPostgres, postgresUrl } = await import("../postgres.mjs");
  const { migratePostgres } = await import("../migrate-postgres.mjs");
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: startPostgres() });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS membercare_bench_dispatch WITH (FORCE)");
  await admin.query("CREATE DATABASE membercare_bench_dispatch");
  await admin.end();
  databaseUrl = postgresUrl("membercare_bench_dispatch");
  await migratePostgres(databaseUrl);
} else {
  const { execFileSync } = await import("node:child_process");
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(dbFile + suffix, { force: true });
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
}
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  NODE_ENV: "production",
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: "bench-secret",
  SHOPIFY_APP_URL: "https://membercare.bench",
  // Production requires the app's own keys (docs/operations.md, "Keys and rotation").
  TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
  UNSUBSCRIBE_SIGNING_KEYS: `bench:${randomBytes(32).toString("base64")}`,
  // As many messages handed to the pool at once as it has connections (the 5-in-flight floor's condition).
  DISPATCH_IN_FLIGHT: String(connections),
  LOG_LEVEL: "error",
});

// Generation (not measured): the shop, its care settings, the customers and the planned messages.
const generationStarted = performance.now();
const { default: db } = await import("../../app/db.server");
const { saveShopSettings } = await import("../../app/models/shops.server");
const { saveCareSettings } = await import("../../app/models/care-settings.server");
const { planMessages } = await import("../../app/models/messages.server");
await saveShopSettings(SHOP, { name: "Bench Tea", ianaTimezone: SHOP_ZONE, currencyCode: "USD", primaryLocale: "en", scopes: null }, NOW);
const saved = await saveCareSettings(SHOP, { caps: [{ messages: 2, hours: 72 }, { messages: 8, hours: 720 }], sender: { fromName: SENDER.fromName, fromEmail: SENDER.fromEmail } });
if (!saved.ok) throw new Error(`care settings refused: ${JSON.stringify(saved)}`);
const customerRows = [];
for (let i = 0; i < messageCount / 2; i++) {
  customerRows.push({ shop: SHOP, shopifyId: customerId(i), firstName: `Ann${i}`, email: `c${i}@bench.example`, locale: i % 5 === 0 ? "zh-CN" : "en", timeZone: ZONES[i % ZONES.length], emailConsentState: "SUBSCRIBED" });
  if (customerRows.length === 1000 || i === messageCount / 2 - 1) await db.customer.createMany({ data: customerRows.splice(0) });
}
const EXPIRES = new Date(NOW.getTime() + 7 * 86_400_000);
let batch = [];
let index = 0;
for (const m of benchMessages()) {
  batch.push({
    customerShopifyId: m.customer,
    idempotencyKey: m.key,
    source: "flow" as const,
    sourceId: m.marketing ? "winBack" : "postDelivery",
    step: m.marketing ? "atRisk" : "deliveryCheck",
    channel: "email" as const,
    messageClass: m.marketing ? ("marketing" as const) : ("transactional" as const),
    priority: m.marketing ? 50 : 10,
    variables: { productTitle: "Oolong" },
    // Due over the hour before the run, oldest first in generation order.
    plannedAt: new Date(NOW.getTime() - 3_600_000 + Math.floor((index++ * 3_600_000) / messageCount)),
    expiresAt: EXPIRES,
  });
  if (batch.length === 5000) {
    await planMessages(SHOP, batch, NOW);
    batch = [];
  }
}
if (batch.length) await planMessages(SHOP, batch, NOW);
const planned = await db.message.count({ where: { shop: SHOP, status: "scheduled" } });
await db.$disconnect();
const generationSeconds = (performance.now() - generationStarted) / 1000;
console.log(`generated ${messageCount / 2} customers and ${planned} due messages in ${generationSeconds.toFixed(1)} s (${postgres ? "PostgreSQL" : "SQLite"})`);

const sink = await startSink();

function runChild(phase: "floor1" | "floorPool" | "dispatch"): Promise<Phase> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ["--phase", phase, "--smtp-url", sink.url, "--messages", String(messageCount), "--connections", String(connections), "--db", values.db!], {
      execArgv: [...process.execArgv, "--expose-gc"],
      env: process.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: Phase | undefined;
    child.once("message", (message: Phase) => (result = message));
    child.once("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the ${phase} phase exited with ${code}`))));
  });
}

/** Every message due again, as planned (not measured): for the next dispatcher run. */
async function resetMessages() {
  const { default: db } = await import("../../app/db.server");
  await db.messageDecision.deleteMany({ where: { shop: SHOP, decision: { not: "planned" } } });
  await db.$executeRaw`
    UPDATE "Message" SET "status" = 'scheduled', "availableAt" = "plannedAt", "attempts" = 0, "leaseOwner" = NULL, "leaseUntil" = NULL,
      "sentAt" = NULL, "providerMessageId" = NULL, "lastReason" = 'flowPlanned'
    WHERE "shop" = ${SHOP}`;
  await db.$disconnect();
}

/** `count` dispatcher processes at once: wall time from the first one's start to the last one's end, their sends summed. */
async function runDispatchers(count: number): Promise<Phase> {
  const results = await Promise.all(Array.from({ length: count }, () => runChild("dispatch")));
  const startedAt = Math.min(...results.map((result) => result.startedAt!));
  const endedAt = Math.max(...results.map((result) => result.endedAt!));
  return {
    seconds: (endedAt - startedAt) / 1000,
    baselineRss: Math.max(...results.map((result) => result.baselineRss)),
    peakRss: Math.max(...results.map((result) => result.peakRss)),
    maxRss: Math.max(...results.map((result) => result.maxRss)),
    rows: results.reduce((sum, result) => sum + result.rows, 0),
    detail: count === 1 ? results[0].detail : `${count} processes, sent ${results.map((result) => result.rows).join(" + ")}; ${results.at(-1)!.detail!.replace(/^.*; rows/, "rows")}`,
  };
}

const parts: Array<{ name: string; result: Phase; wire: { deliveries: number; distinct: number } }> = [];
const record = (name: string, result: Phase) => {
  const wire = sink.take();
  parts.push({ name, result, wire });
  console.log(`${name}: ${result.seconds.toFixed(2)} s, ${(result.rows / result.seconds).toFixed(0)} messages/s, ${wire.deliveries} delivered (${wire.distinct} distinct Message-IDs)${result.detail ? `; ${result.detail}` : ""}`);
};
record("floor: nodemailer pool, no policy, no database, 1 in flight", await runChild("floor1"));
record(`floor: nodemailer pool, no policy, no database, ${connections} in flight`, await runChild("floorPool"));
for (const [index, count] of processCounts.entries()) {
  if (index > 0) await resetMessages();
  record(`app: dispatchAllDue, ${count} process${count === 1 ? "" : "es"} (claim, policy per claim, ${connections} in flight, results grouped)`, await runDispatchers(count));
}
await sink.close();

const floor = parts[0].result;
const pooled = parts[1].result;
const app = parts[2].result;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)}`;
const allOnce = parts.every((part) => part.result.rows === messageCount && part.wire.deliveries === messageCount && part.wire.distinct === messageCount);
const table = [
  `### bench:dispatch, ${new Date().toISOString().slice(0, 16)}Z (${os.cpus().length} cores, Node ${process.version}, ${postgres ? "PostgreSQL (private cluster, fsync off)" : "SQLite"}, ${messageCount} messages to ${messageCount / 2} customers, local SMTP sink, pool of ${connections} connections)`,
  "",
  "| run | seconds | x floor (1 in flight) | messages/s | RSS before, MB | peak RSS sampled every 50 ms, MB | peak RSS (kernel VmHWM), MB | delivered (distinct Message-IDs) |",
  "|---|---|---|---|---|---|---|---|",
  ...parts.map(({ name, result, wire }) => `| ${name} | ${result.seconds.toFixed(2)} | ${(result.seconds / floor.seconds).toFixed(1)}x | ${(result.rows / result.seconds).toFixed(0)} | ${mb(result.baselineRss)} | ${mb(result.peakRss)} | ${mb(result.maxRss)} | ${wire.deliveries} (${wire.distinct}) |`),
  "",
  `Dispatcher (${processCounts[0]} process${processCounts[0] === 1 ? "" : "es"}): **${(app.rows / app.seconds).toFixed(0)} messages/s**, ${((app.rows / app.seconds / (pooled.rows / pooled.seconds)) * 100).toFixed(0)}% of the ${connections}-in-flight floor, ${(app.seconds / floor.seconds).toFixed(1)}x the one-at-a-time floor's time. ${app.detail}. Every part delivered each message once: ${allOnce ? "yes" : "NO"}. Data generated in ${generationSeconds.toFixed(0)} s (not measured).`,
  "",
].join("\n");
console.log(table);
// Only full-size runs are recorded; a smaller --messages only prints.
if (messageCount === 100_000) fs.appendFileSync(path.join(root, "docs", "benchmarks.md"), table + "\n");
if (!allOnce) {
  console.error("bench:dispatch failed: a part did not deliver every message exactly once");
  process.exit(1);
}
process.exit(0);
