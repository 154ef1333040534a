// `npm run bench:tiers`: places every customer of a shop (200,000 customers,
// 2,000,000 orders, generated) beside a floor measured in the same run: the
// same per-customer aggregation as one plain SQL query on the same database.
// Each measured part runs in a fresh child process, so its peak memory is its
// own. Checks every placed tier against the floor's totals, prints a table and
// appends it to docs/benchmarks.md.
//
//   npm run bench:tiers -- [--customers 200000] [--orders 2000000] [--seed 1]
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createClient, type Client } from "@libsql/client";
import { freshDatabase, generateShop, measured, sqlDate, type PhaseResult } from "./generated-shop";

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

const root = path.resolve(import.meta.dirname, "../..");
const dbFile = path.join(root, "tmp", "bench-tiers.sqlite");
const databaseUrl = `file:${dbFile}`;

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
          SELECT o."customerShopifyId", o."processedAt", o."netSpendMinor" AS net
          FROM "Order" o
          WHERE o."shop" = :shop
            AND o."customerShopifyId" IS NOT NULL
            AND o."countsAsPurchase" = 1
            AND o."processedAt" <= :end
            ${window.start ? `AND o."processedAt" >= :start` : ""}
        ) counted
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

// -------------------------------------------------------------- the run

const generationStarted = performance.now();
const client = await freshDatabase(root, dbFile);
const generated = await generateShop(client, { shop: SHOP, name: "Bench Tiers", now: NOW, seed: Number(values.seed), customers: customerCount, orders: orderCount });
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
