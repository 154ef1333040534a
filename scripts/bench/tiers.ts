// `npm run bench:tiers`: places every customer of a shop (200,000 customers,
// 2,000,000 orders, generated) beside a floor measured in the same run: the
// same per-customer aggregation as one plain SQL query on the same database.
// Each measured part runs in a fresh child process, so its peak memory is its
// own. Checks every placed tier against the floor's totals, prints a table and
// appends it to docs/benchmarks.md.
//
//   npm run bench:tiers -- [--customers 200000] [--orders 2000000] [--seed 1]
import { execFileSync, fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createClient, type Client } from "@libsql/client";
import { seededRandom } from "../../tools/simulator/store-generator";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "200000" },
    orders: { type: "string", default: "2000000" },
    seed: { type: "string", default: "1" },
    phase: { type: "string" }, // internal: "floor" or "place", run in a child process
    "window-start": { type: "string" }, // internal: the floor's window
  },
});

const SHOP = "bench-tiers.myshopify.com";
/** The placement's clock: fixed, so the data and every tier are the same from run to run. */
const NOW = new Date("2026-11-20T12:00:00.000Z");
const YEAR_MS = 365.25 * 86_400_000;
const RSS_SAMPLE_MS = 50;

const root = path.resolve(import.meta.dirname, "../..");
const dbFile = path.join(root, "tmp", "bench-tiers.sqlite");
const databaseUrl = `file:${dbFile}`;

/** Dates as the libsql adapter stores and binds them (ISO 8601, "+00:00"). */
const sqlDate = (date: Date) => date.toISOString().replace("Z", "+00:00");

// ------------------------------------------------------------------ floor

/**
 * The floor: one statement over the whole shop computing what
 * `qualifyingTotalsOf` computes per chunk of members (net spend after refunds,
 * orders with something left after refunds, the oldest of them, the recent
 * spend; cancelled and voided orders left out; inside the window), for every
 * customer that placement looks at (not deleted), all rows read back.
 */
async function floorTotals(client: Client, window: { start: Date | null; end: Date }) {
  const recentSince = window.end; // what placement passes (no recentSince)
  const result = await client.execute({
    sql: `
      SELECT c."shopifyId" AS customer, t.spend, COALESCE(t.orders, 0) AS orders, t.oldest, t.recent
      FROM "Customer" c
      LEFT JOIN (
        SELECT "customerShopifyId" AS customer,
               SUM(net) AS spend,
               COUNT(*) AS orders,
               MIN("processedAt") AS oldest,
               SUM(CASE WHEN "processedAt" >= :recentSince THEN net ELSE 0 END) AS recent
        FROM (
          SELECT o."customerShopifyId", o."processedAt",
                 o."subtotalMinor" - COALESCE((SELECT SUM(r."amountMinor") FROM "Refund" r WHERE r."shop" = o."shop" AND r."orderShopifyId" = o."shopifyId"), 0) AS net
          FROM "Order" o
          WHERE o."shop" = :shop
            AND o."customerShopifyId" IS NOT NULL
            AND o."cancelledAt" IS NULL
            AND (o."financialStatus" IS NULL OR o."financialStatus" <> 'voided')
            AND o."processedAt" <= :end
            ${window.start ? `AND o."processedAt" >= :start` : ""}
        ) counted
        WHERE net > 0
        GROUP BY "customerShopifyId"
      ) t ON t.customer = c."shopifyId"
      WHERE c."shop" = :shop AND c."deletedAt" IS NULL`,
    args: { shop: SHOP, end: sqlDate(window.end), recentSince: sqlDate(recentSince), ...(window.start ? { start: sqlDate(window.start) } : {}) },
  });
  return result.rows.map((row) => ({
    customer: String(row.customer),
    netSpendMinor: Number(row.spend ?? 0),
    orders: Number(row.orders),
    oldestCountedAt: row.oldest === null ? null : new Date(String(row.oldest)),
  }));
}

/** Runs `work` while sampling the process's RSS every 50 ms. */
async function measured<T>(work: () => Promise<T>) {
  global.gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  // The kernel's high-water mark, which also sees what the sampler cannot (a
  // synchronous query blocks the timer): VmHWM, not getrusage's maxRSS, which
  // a forked child inherits from its parent.
  const status = fs.existsSync("/proc/self/status") ? fs.readFileSync("/proc/self/status", "utf8") : "";
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
  const maxRss = hwm ? Number(hwm[1]) * 1024 : peakRss;
  return { value, seconds, baselineRss, peakRss, maxRss };
}

export type PhaseResult = { seconds: number; baselineRss: number; peakRss: number; maxRss: number; rows: number };

async function runPhase(phase: string): Promise<PhaseResult> {
  if (phase === "floor") {
    // Nothing of the app is loaded here: the floor is the query and the driver.
    const start = values["window-start"] ? new Date(values["window-start"]) : null;
    const client = createClient({ url: databaseUrl });
    await client.execute("PRAGMA journal_mode = WAL");
    const run = await measured(() => floorTotals(client, { start, end: NOW }));
    client.close();
    return { seconds: run.seconds, baselineRss: run.baselineRss, peakRss: run.peakRss, maxRss: run.maxRss, rows: run.value.length };
  }
  process.env.DATABASE_URL = databaseUrl;
  const { placeShop } = await import("../../app/services/tiers.server");
  const { default: db } = await import("../../app/db.server");
  const run = await measured(() => placeShop(SHOP, NOW, { sweep: false }));
  await db.$disconnect();
  return { seconds: run.seconds, baselineRss: run.baselineRss, peakRss: run.peakRss, maxRss: run.maxRss, rows: run.value.members };
}

if (values.phase) {
  const result = await runPhase(values.phase);
  process.send!(result);
  process.exit(0);
}

// ------------------------------------------------------------- generation

const customerCount = Number(values.customers);
const orderCount = Number(values.orders);
if (!Number.isInteger(customerCount) || customerCount < 1 || !Number.isInteger(orderCount) || orderCount < 0) throw new Error("--customers and --orders must be whole numbers");

const customerShopifyId = (i: number) => String(7_000_000_000_000 + i);
const pad = (n: number) => String(n).padStart(9, "0");
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const FIRST = ["Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jia", "Kofi", "Lena", "Mei", "Noor", "Omar", "Pia"];
const LAST = ["Smith", "Wang", "Garcia", "Müller", "Okafor", "Tanaka", "Silva", "O'Brien", "Kowalski", "Nguyen", "Haddad", "Larsen"];

/**
 * 200,000 customers and 2,000,000 orders by default: about 12% of customers
 * without orders, a long tail of frequent buyers (log-normal weights), dates
 * over three years with more recent ones, about 1.5% guest checkouts, 2.5%
 * cancelled, 0.5% voided, 0.3% test orders, 5% refunded (fully or partly,
 * some twice). Raw multi-row INSERTs in one transaction per table.
 */
async function generate(client: Client) {
  const random = seededRandom(Number(values.seed));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const nowIso = sqlDate(NOW);

  // Each customer's share of the orders.
  const cumulative = new Float64Array(customerCount);
  let sum = 0;
  for (let i = 0; i < customerCount; i++) {
    sum += random() < 0.12 ? 0 : Math.exp(1.1 * normal());
    cumulative[i] = sum;
  }
  // Each order's customer (-1: a guest checkout) and time. More orders lately
  // (the shop grew): u^1.3 leans toward now.
  const perCustomer = new Uint32Array(customerCount);
  const orderCustomer = new Int32Array(orderCount);
  const orderTime = new Float64Array(orderCount);
  let guestOrders = 0;
  for (let j = 0; j < orderCount; j++) {
    orderTime[j] = NOW.getTime() - Math.pow(random(), 1.3) * 3 * YEAR_MS;
    if (random() < 0.015) {
      guestOrders++;
      orderCustomer[j] = -1;
      continue;
    }
    const target = random() * sum;
    let lo = 0;
    let hi = customerCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    perCustomer[lo]++;
    orderCustomer[j] = lo;
  }

  const ROWS_PER_STATEMENT = 500;
  async function insertAll(table: string, columns: string[], rows: Iterable<string>) {
    const transaction = await client.transaction("write");
    let batch: string[] = [];
    const head = `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES `;
    for (const row of rows) {
      batch.push(row);
      if (batch.length === ROWS_PER_STATEMENT) {
        await transaction.execute(head + batch.join(","));
        batch = [];
      }
    }
    if (batch.length > 0) await transaction.execute(head + batch.join(","));
    await transaction.commit();
  }

  await client.execute({ sql: `INSERT INTO "Shop" ("shop", "name", "ianaTimezone", "currencyCode", "historySource", "updatedAt") VALUES (?, 'Bench Tiers', 'America/New_York', 'USD', 'orders', ?)`, args: [SHOP, nowIso] });

  await insertAll(
    "Customer",
    ["id", "shop", "shopifyId", "firstName", "lastName", "email", "locale", "countryCode", "tags", "emailConsentState", "shopifyCreatedAt", "shopifyUpdatedAt", "createdAt", "updatedAt"],
    (function* () {
      for (let i = 0; i < customerCount; i++) {
        const first = FIRST[Math.floor(random() * FIRST.length)];
        const last = LAST[Math.floor(random() * LAST.length)];
        const created = sqlDate(new Date(NOW.getTime() - (3.2 * random() + 0.01) * YEAR_MS));
        yield `('c${pad(i)}', '${SHOP}', '${customerShopifyId(i)}', ${quote(first)}, ${quote(last)}, ${quote(`${first}.${last}.${i}@example.com`.toLowerCase())}, 'en', 'US', '${random() < 0.1 ? "vip" : ""}', '${random() < 0.6 ? "SUBSCRIBED" : "NOT_SUBSCRIBED"}', '${created}', '${created}', '${nowIso}', '${nowIso}')`;
      }
    })(),
  );

  const refunds: string[] = [];
  let refundSequence = 0;
  const refund = (orderShopifyId: string, at: Date, amount: number) => {
    refundSequence++;
    refunds.push(`('r${pad(refundSequence)}', '${SHOP}', '${9_000_000_000_000 + refundSequence}', '${orderShopifyId}', '${sqlDate(at)}', ${amount}, 'USD', '[]', '${nowIso}')`);
  };
  let orderSequence = 0;
  let cancelled = 0;
  let refunded = 0;
  function orderRow(customer: string | null, processed: Date): string {
    orderSequence++;
    const shopifyId = String(5_000_000_000_000 + orderSequence);
    const subtotal = Math.max(300, Math.min(250_000, Math.round(Math.exp(8.6 + 0.7 * normal()) / 5) * 5));
    const discounts = random() < 0.2 ? Math.round(subtotal * 0.1) : 0;
    const shipping = subtotal >= 7_500 ? 0 : 695;
    const tax = Math.round((subtotal - discounts) * 0.08);
    const roll = random();
    let financialStatus = "paid";
    let cancelledAt: Date | null = null;
    let test = 0;
    if (roll < 0.025) {
      cancelledAt = new Date(processed.getTime() + 3_600_000 * (1 + 48 * random()));
      financialStatus = random() < 0.5 ? "refunded" : "voided";
      if (financialStatus === "refunded") refund(shopifyId, cancelledAt, subtotal);
      cancelled++;
    } else if (roll < 0.03) {
      financialStatus = "voided";
    } else if (roll < 0.033) {
      test = 1;
    } else if (roll < 0.083) {
      refunded++;
      const at = new Date(processed.getTime() + 86_400_000 * (2 + 40 * random()));
      if (random() < 0.4) {
        financialStatus = "refunded";
        refund(shopifyId, at, subtotal);
      } else {
        financialStatus = "partially_refunded";
        refund(shopifyId, at, Math.round(subtotal * (0.1 + 0.5 * random())));
        if (random() < 0.1) refund(shopifyId, new Date(at.getTime() + 86_400_000 * 7), Math.round(subtotal * 0.2));
      }
    } else if (processed.getTime() > NOW.getTime() - 86_400_000 * 3 && random() < 0.3) {
      financialStatus = "pending";
    }
    const processedIso = sqlDate(processed);
    return `('o${pad(orderSequence)}', '${SHOP}', '${shopifyId}', ${customer ? `'${customer}'` : "NULL"}, '#${1000 + orderSequence}', '${processedIso}', '${processedIso}', '${processedIso}', 'USD', 'USD', ${subtotal}, ${subtotal - discounts + shipping + tax}, ${discounts}, ${tax}, ${shipping}, '${financialStatus}', ${cancelledAt ? "NULL" : "'fulfilled'"}, ${cancelledAt ? `'${sqlDate(cancelledAt)}'` : "NULL"}, ${cancelledAt ? "'customer'" : "NULL"}, ${test}, 'web', '${nowIso}', '${nowIso}')`;
  }
  await insertAll(
    "Order",
    ["id", "shop", "shopifyId", "customerShopifyId", "name", "shopifyCreatedAt", "processedAt", "shopifyUpdatedAt", "currencyCode", "presentmentCurrency", "subtotalMinor", "totalMinor", "totalDiscountsMinor", "totalTaxMinor", "shippingMinor", "financialStatus", "fulfillmentStatus", "cancelledAt", "cancelReason", "test", "sourceName", "createdAt", "updatedAt"],
    (function* () {
      // In the order they were placed, as a shop's rows are: a customer's orders
      // lie apart in the table, not side by side.
      const byTime = new Uint32Array(orderCount).map((_, j) => j).sort((a, b) => orderTime[a] - orderTime[b]);
      for (const j of byTime) yield orderRow(orderCustomer[j] < 0 ? null : customerShopifyId(orderCustomer[j]), new Date(orderTime[j]));
    })(),
  );
  await insertAll("Refund", ["id", "shop", "shopifyId", "orderShopifyId", "processedAt", "amountMinor", "currencyCode", "lines", "createdAt"], refunds);
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  return { orders: orderSequence, guests: guestOrders, cancelled, refunded, refunds: refundSequence, withoutOrders: perCustomer.filter((n) => n === 0).length };
}

// -------------------------------------------------------------- the run

fs.mkdirSync(path.dirname(dbFile), { recursive: true });
for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(dbFile + suffix, { force: true });
process.env.DATABASE_URL = databaseUrl;
execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { env: process.env, stdio: "ignore" });

const generationStarted = performance.now();
const client = createClient({ url: databaseUrl });
await client.execute("PRAGMA journal_mode = WAL");
await client.execute("PRAGMA synchronous = OFF"); // generation only; the measured parts use the app's settings
const generated = await generate(client);
const generationSeconds = (performance.now() - generationStarted) / 1000;
console.log(
  `generated ${customerCount} customers (${generated.withoutOrders} without orders), ${generated.orders} orders (${generated.guests} guest, ${generated.cancelled} cancelled, ${generated.refunded} refunded), ${generated.refunds} refunds in ${generationSeconds.toFixed(1)} s`,
);

// The tier program, saved at the model level: nothing is placed on saving.
const { starterProgram, qualifiedTier, progressToNext, windowStart } = await import("../../app/domain/tiers");
const { saveTierProgram, getTierProgram } = await import("../../app/models/tiers.server");
const { default: db } = await import("../../app/db.server");
await saveTierProgram(SHOP, starterProgram(), NOW);
const program = (await getTierProgram(SHOP))!;
await db.$disconnect();

const start = windowStart(program, NOW);
function runChild(phase: "floor" | "place"): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const args = ["--phase", phase, ...(start ? ["--window-start", start.toISOString()] : [])];
    const child = fork(import.meta.filename, args, { execArgv: [...process.execArgv, "--expose-gc"], env: process.env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: PhaseResult | undefined;
    child.once("message", (message: PhaseResult) => (result = message));
    child.once("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the ${phase} phase exited with ${code}`))));
  });
}

const floor = await runChild("floor");
const place = await runChild("place");

// Correctness: every customer placed, each in the tier the floor's totals give.
const expected = await floorTotals(client, { start, end: NOW });
const placed = await client.execute({ sql: `SELECT "customerShopifyId" AS customer, "tierHandle" AS tier, "membershipValue" AS value FROM "MemberTier" WHERE "shop" = ?`, args: [SHOP] });
const tiers = new Map(placed.rows.map((row) => [String(row.customer), { tier: String(row.tier), value: JSON.parse(String(row.value)) as { progress: { spendNeededMinor: number | null } | null } }]));
let mismatches = 0;
const perTier: Record<string, number> = Object.fromEntries(program.tiers.map((tier) => [tier.handle, 0]));
for (const totals of expected) {
  const want = qualifiedTier(program, totals);
  const got = tiers.get(totals.customer);
  perTier[want.handle]++;
  const spendNeeded = progressToNext(program, want, totals).spendNeededMinor;
  if (!got || got.tier !== want.handle || (got.value.progress?.spendNeededMinor ?? null) !== spendNeeded) {
    if (mismatches < 5) console.error(`mismatch: customer ${totals.customer} placed ${got?.tier ?? "nowhere"}, expected ${want.handle} (${JSON.stringify(totals)})`);
    mismatches++;
  }
}
const counts = await client.execute({
  sql: `SELECT (SELECT COUNT(*) FROM "MemberTier" WHERE "shop" = :shop) AS members, (SELECT COUNT(*) FROM "TierChange" WHERE "shop" = :shop) AS changes,
               (SELECT COUNT(*) FROM "DomainEvent" WHERE "shop" = :shop) AS events, (SELECT COUNT(*) FROM "OutboxEffect" WHERE "shop" = :shop AND "kind" = 'membership.sync') AS syncs`,
  args: { shop: SHOP },
});
const { members, changes, events, syncs } = counts.rows[0];
client.close();
const countsRight = Number(members) === customerCount && place.rows === customerCount && floor.rows === customerCount && Number(syncs) === 1;

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)}`;
const ratio = place.seconds / floor.seconds;
const row = (name: string, r: PhaseResult) => `| ${name} | ${r.seconds.toFixed(2)} | ${(r.rows / r.seconds).toFixed(0)} | ${mb(r.baselineRss)} | ${mb(r.peakRss)} | ${mb(r.maxRss)} |`;
const table = [
  `### bench:tiers, ${new Date().toISOString().slice(0, 16)}Z (${os.cpus().length} cores, Node ${process.version}, SQLite, ${customerCount} customers, ${generated.orders} orders, ${generated.refunds} refunds)`,
  "",
  "| run | seconds | customers/s | RSS before, MB | peak RSS sampled every 50 ms, MB | peak RSS (kernel VmHWM), MB |",
  "|---|---|---|---|---|---|",
  row("floor: one SQL aggregation, all rows read", floor),
  row("app: placeShop (first placement)", place),
  "",
  `Placement: **${ratio.toFixed(1)}x the floor** (aim ≤ 3x), peak RSS **${mb(Math.max(place.peakRss, place.maxRss))} MB** (aim < 500 MB).`,
  `Checked: ${members} member tiers, ${changes} history entries, ${events} domain events, ${syncs} sync request; ${mismatches} tiers differing from the floor's totals (${Object.entries(perTier)
    .map(([handle, n]) => `${handle} ${n}`)
    .join(", ")}). Data generated in ${generationSeconds.toFixed(0)} s (not measured).`,
  "",
].join("\n");
console.log(table);
// Only full-size runs are recorded; a quick run with --customers/--orders only prints.
if (customerCount === 200_000 && orderCount === 2_000_000) fs.appendFileSync(path.join(root, "docs", "benchmarks.md"), table + "\n");
if (mismatches > 0 || !countsRight) {
  console.error(`bench:tiers failed: ${mismatches} mismatches, ${members} member tiers for ${customerCount} customers, placement counted ${place.rows}, floor read ${floor.rows}, ${syncs} sync requests`);
  process.exit(1);
}
