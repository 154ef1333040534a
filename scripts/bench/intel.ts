// `npm run bench:intel` (issue 7): classifies every customer of a generated
// shop (200,000 customers, 2,000,000 orders with lines, a share of them with
// tracked deliveries) beside a floor measured in the same run: the same
// per-customer aggregation as one plain SQL statement on the same database.
// Then times the members list at that size, in-process, after classification.
// Each measured part runs in a fresh child process, so its peak memory is its
// own. Checks every stored segment, value class and first delivery against the
// floor's columns, prints a table and appends it to docs/benchmarks.md.
//
//   npm run bench:intel -- [--customers 200000] [--orders 2000000] [--seed 1] [--calls 50] [--reuse] [--generate-only]
//
// --reuse measures on the shop a previous run generated with the same size and
// seed (tmp/bench-intel.json says which) instead of generating it again (the
// full size takes several minutes to generate); the classification rewrites
// the same values, so the figures are those of a fresh run. --generate-only
// stops once the shop is in place.
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
    calls: { type: "string", default: "50" },
    reuse: { type: "boolean", default: false },
    "generate-only": { type: "boolean", default: false },
    phase: { type: "string" }, // internal: "floor", "classify", "read" or "list", run in a child process
    "window-days": { type: "string" }, // internal: the floor's RFM window
  },
});

const SHOP = "bench-intel.myshopify.com";
/** The classification's clock: fixed, so the data and every class are the same from run to run. */
const NOW = new Date("2026-11-20T12:00:00.000Z");
const DAY_MS = 86_400_000;
const PRODUCTS = 400;
const FULFILLED_SHARE = 0.6;
const DEEP_PAGES = 200;

const root = path.resolve(import.meta.dirname, "../..");
const dbFile = path.join(root, "tmp", "bench-intel.sqlite");
/** What the last generation made, beside the database, for --reuse. */
const generatedFile = path.join(root, "tmp", "bench-intel.json");
const databaseUrl = `file:${dbFile}`;

// ------------------------------------------------------------------ floor

/**
 * The floor: one statement computing, for every live customer, what the
 * classification derives from their rows: counted orders (not cancelled or
 * voided, something left after refunds, or free), their number, net spend,
 * first and last; inside the RFM window (now - windowDays, now] the orders, net
 * spend and last order; the first counted order's earliest delivery; and the
 * product purchases (distinct products per counted order, gift cards left
 * out). All rows read back, in Shopify id order (the unique index's order).
 */
async function floorColumns(client: Client, windowDays: number) {
  const result = await client.execute({
    sql: `
      WITH counted AS (
        SELECT o."id", o."shopifyId", o."customerShopifyId" AS customer, o."processedAt" AS at, o."netSpendMinor" AS net
        FROM "Order" o
        WHERE o."shop" = :shop AND o."customerShopifyId" IS NOT NULL AND o."countsAsPurchase" = 1
      ), kept AS (
        SELECT *, ROW_NUMBER() OVER (PARTITION BY customer ORDER BY at, "shopifyId") AS nth FROM counted
      ), per AS (
        SELECT customer, COUNT(*) AS orders, SUM(net) AS spend, MIN(at) AS first, MAX(at) AS last,
               SUM(CASE WHEN at > :start AND at <= :now THEN 1 ELSE 0 END) AS winOrders,
               SUM(CASE WHEN at > :start AND at <= :now THEN net ELSE 0 END) AS winSpend,
               MAX(CASE WHEN at > :start AND at <= :now THEN at END) AS winLast,
               MAX(CASE WHEN nth = 1 THEN (SELECT MIN(f."deliveredAt") FROM "Fulfillment" f INDEXED BY "Fulfillment_shop_orderShopifyId_idx" WHERE f."shop" = :shop AND f."orderShopifyId" = kept."shopifyId" AND f."deliveredAt" IS NOT NULL) END) AS firstDelivered,
               SUM((SELECT COUNT(DISTINCT l."productShopifyId") FROM "OrderLine" l WHERE l."orderId" = kept."id" AND l."giftCard" = 0 AND COALESCE(l."currentQuantity", l."quantity") > 0 AND l."productShopifyId" IS NOT NULL)) AS purchases
        FROM kept GROUP BY customer
      )
      SELECT c."shopifyId" AS customer, COALESCE(p.orders, 0) AS orders, p.spend, p.first, p.last, COALESCE(p.winOrders, 0) AS winOrders, COALESCE(p.winSpend, 0) AS winSpend, p.winLast, p.firstDelivered, COALESCE(p.purchases, 0) AS purchases
      FROM "Customer" c LEFT JOIN per p ON p.customer = c."shopifyId"
      WHERE c."shop" = :shop AND c."deletedAt" IS NULL
      ORDER BY c."shopifyId"`,
    args: { shop: SHOP, now: sqlDate(NOW), start: sqlDate(new Date(NOW.getTime() - windowDays * DAY_MS)) },
  });
  const ms = (value: unknown) => (value === null || value === undefined ? NaN : Date.parse(String(value)));
  return result.rows.map((row) => ({
    customer: String(row.customer),
    orders: Number(row.orders),
    winOrders: Number(row.winOrders),
    winSpend: Number(row.winSpend),
    winLastMs: ms(row.winLast),
    firstDeliveredMs: ms(row.firstDelivered),
    purchases: Number(row.purchases),
  }));
}

// ------------------------------------------------------------- the members list

interface ListFigures {
  name: string;
  calls: number;
  p50: number;
  p95: number;
  max: number;
  rows: number;
}

/** Calls `listMembers` `calls` times with the same query; server time per call in ms. */
async function timeList(name: string, calls: number, call: () => Promise<{ members: unknown[] }>): Promise<ListFigures> {
  await call(); // warm: the statement prepared, the pages in the cache
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    const page = await call();
    times.push(performance.now() - started);
    rows = page.members.length;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { name, calls, p50: at(0.5), p95: at(0.95), max: times.at(-1)!, rows };
}

async function listFigures(calls: number): Promise<ListFigures[]> {
  const { listMembers } = await import("../../app/models/members.server");
  const shop = SHOP;
  // The members list counts each member's net spend in the tier program's window (issue 20): a rolling 12 months here.
  const end = new Date();
  const start = new Date(end.getTime());
  start.setUTCMonth(start.getUTCMonth() - 12);
  const window = { start, end, lifetimeFloor: false };
  const list = (query: Parameters<typeof listMembers>[1]) => listMembers(shop, query, window);
  const figures: ListFigures[] = [];
  figures.push(await timeList("first page, by qualifying spend", calls, () => list({})));
  figures.push(await timeList("first page, by last order", calls, () => list({ sort: "recent" })));
  figures.push(await timeList(`page ${DEEP_PAGES + 1}, by qualifying spend`, calls, () => list({ page: DEEP_PAGES + 1 })));
  figures.push(await timeList("segment: atRisk", calls, () => list({ segment: "atRisk" })));
  figures.push(await timeList("segment: champions, by last order", calls, () => list({ segment: "champions", sort: "recent" })));
  figures.push(await timeList("lifecycle stage: dormant", calls, () => list({ stage: "dormant" })));
  figures.push(await timeList("value class: key", calls, () => list({ valueClass: "key" })));
  figures.push(await timeList("tier: gold", calls, () => list({ tier: "gold" })));
  figures.push(await timeList("tier gold + segment loyal", calls, () => list({ tier: "gold", segment: "loyal" })));
  return figures;
}

// ------------------------------------------------------------- the phases

type Phase = PhaseResult & { list?: ListFigures[]; detail?: string };

async function runPhase(phase: string): Promise<Phase> {
  if (phase === "floor") {
    // Nothing of the app is loaded here: the floor is the query and the driver.
    const client = createClient({ url: databaseUrl });
    await client.execute("PRAGMA journal_mode = WAL");
    const run = await measured(() => floorColumns(client, Number(values["window-days"])));
    client.close();
    return { seconds: run.seconds, baselineRss: run.baselineRss, peakRss: run.peakRss, maxRss: run.maxRss, rows: run.value.length };
  }
  process.env.DATABASE_URL = databaseUrl;
  const { default: db } = await import("../../app/db.server");
  if (phase === "classify") {
    const { classifyShop } = await import("../../app/services/intelligence.server");
    const run = await measured(() => classifyShop(SHOP, NOW));
    await db.$disconnect();
    const s = run.value;
    const detail = `${s.scored} scored, ${s.productIntervals} product intervals, shop interval ${s.shopInterval.days?.toFixed(1) ?? "none"} days; stages ${JSON.stringify(s.stages)}`;
    return { seconds: run.seconds, baselineRss: run.baselineRss, peakRss: run.peakRss, maxRss: run.maxRss, rows: s.customers, detail };
  }
  if (phase === "read") {
    // The classification's reading alone: every page of customers through
    // classificationFacts (pages as classifyShop turns them), the facts
    // dropped (where the time goes).
    const { CLASSIFICATION_PAGE, classificationFacts, liveCustomerIdPages } = await import("../../app/models/intelligence.server");
    const windowStart = NOW.getTime() - Number(values["window-days"]) * DAY_MS;
    const run = await measured(async () => {
      let customers = 0;
      let orders = 0;
      for await (const page of liveCustomerIdPages(SHOP, CLASSIFICATION_PAGE)) {
        for (const facts of (await classificationFacts(SHOP, { first: page[0], last: page.at(-1)! }, windowStart, NOW.getTime())).values()) orders += facts.orderTimesMs.length;
        customers += page.length;
      }
      return { customers, orders };
    });
    await db.$disconnect();
    return { seconds: run.seconds, baselineRss: run.baselineRss, peakRss: run.peakRss, maxRss: run.maxRss, rows: run.value.customers, detail: `${run.value.orders} counted orders read` };
  }
  if (phase === "list") {
    const run = await measured(() => listFigures(Number(values.calls)));
    await db.$disconnect();
    return { seconds: run.seconds, baselineRss: run.baselineRss, peakRss: run.peakRss, maxRss: run.maxRss, rows: run.value.length, list: run.value };
  }
  throw new Error(`unknown phase ${phase}`);
}

if (values.phase) {
  const result = await runPhase(values.phase);
  process.send!(result);
  process.exit(0);
}

// -------------------------------------------------------------- the run

const customerCount = Number(values.customers);
const orderCount = Number(values.orders);
if (!Number.isInteger(customerCount) || customerCount < 1 || !Number.isInteger(orderCount) || orderCount < 0) throw new Error("--customers and --orders must be whole numbers");

type Generated = { customers: number; orders: number; seed: number; seconds: number; shop: Awaited<ReturnType<typeof generateShop>> };
const previous: Generated | null = fs.existsSync(generatedFile) && fs.existsSync(dbFile) ? JSON.parse(fs.readFileSync(generatedFile, "utf8")) : null;
const reusing = values.reuse && previous?.customers === customerCount && previous.orders === orderCount && previous.seed === Number(values.seed);
if (values.reuse && !reusing) console.log("no shop of that size and seed to reuse: generating it");

let client: Client;
let generated: Generated["shop"];
let generationSeconds: number;
if (reusing) {
  process.env.DATABASE_URL = databaseUrl;
  client = createClient({ url: databaseUrl });
  generated = previous!.shop;
  generationSeconds = previous!.seconds;
  console.log(`reusing the shop generated in ${generationSeconds.toFixed(0)} s (${dbFile})`);
} else {
  fs.rmSync(generatedFile, { force: true });
  const generationStarted = performance.now();
  client = await freshDatabase(root, dbFile);
  generated = await generateShop(client, { shop: SHOP, name: "Bench Intel", now: NOW, seed: Number(values.seed), customers: customerCount, orders: orderCount, products: PRODUCTS, fulfilledShare: FULFILLED_SHARE });
  // Member facts as the member refresh would have stored them (the list sorts
  // and shows them): one set-based update, not measured.
  await client.execute({
    sql: `UPDATE "Customer" SET "orderCount" = f.orders, "netSpentMinor" = f.spend, "firstOrderAt" = f.first, "lastOrderAt" = f.last, "currencyCode" = 'USD', "factsComputedAt" = :computed
          FROM (
            SELECT customer, COUNT(*) AS orders, SUM(net) AS spend, MIN(at) AS first, MAX(at) AS last FROM (
              SELECT o."customerShopifyId" AS customer, o."processedAt" AS at, o."netSpendMinor" AS net
              FROM "Order" o WHERE o."shop" = :shop AND o."customerShopifyId" IS NOT NULL AND o."countsAsPurchase" = 1
            ) GROUP BY customer
          ) f
          WHERE "Customer"."shop" = :shop AND "Customer"."shopifyId" = f.customer`,
    // Before the run's clock: a member refreshed at or after it would be classified again at the end.
    args: { shop: SHOP, computed: sqlDate(new Date(NOW.getTime() - DAY_MS)) },
  });
  console.log(
    `generated ${customerCount} customers (${generated.withoutOrders} without orders), ${generated.orders} orders (${generated.guests} guest, ${generated.cancelled} cancelled, ${generated.refunded} refunded), ${generated.refunds} refunds, ${generated.lines} lines, ${generated.fulfillments} fulfillments (${generated.delivered} delivered) in ${((performance.now() - generationStarted) / 1000).toFixed(1)} s`,
  );

  // Tiers, for the list's tier filter: the starter program placed (not measured).
  const { starterProgram } = await import("../../app/domain/tiers");
  const { saveTierProgram } = await import("../../app/models/tiers.server");
  const { placeShop } = await import("../../app/services/tiers.server");
  const { default: db } = await import("../../app/db.server");
  await saveTierProgram(SHOP, starterProgram(), NOW);
  await placeShop(SHOP, NOW, { sweep: false });
  await db.$disconnect();
  generationSeconds = (performance.now() - generationStarted) / 1000;
  console.log(`member facts and tiers in place after ${generationSeconds.toFixed(1)} s`);
  fs.writeFileSync(generatedFile, JSON.stringify({ customers: customerCount, orders: orderCount, seed: Number(values.seed), seconds: generationSeconds, shop: generated } satisfies Generated));
}
if (values["generate-only"]) {
  client.close();
  process.exit(0);
}
const { getIntelligenceContext } = await import("../../app/models/intelligence.server");
const { default: db } = await import("../../app/db.server");
const { settings } = await getIntelligenceContext(SHOP);
await db.$disconnect();

function runChild(phase: "floor" | "classify" | "read" | "list"): Promise<Phase> {
  return new Promise((resolve, reject) => {
    const args = ["--phase", phase, "--window-days", String(settings.rfm.windowDays), "--calls", String(values.calls)];
    const child = fork(import.meta.filename, args, { execArgv: [...process.execArgv, "--expose-gc"], env: process.env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: Phase | undefined;
    child.once("message", (message: Phase) => (result = message));
    child.once("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the ${phase} phase exited with ${code}`))));
  });
}

const floor = await runChild("floor");
console.log(`floor: ${floor.seconds.toFixed(2)} s, peak RSS ${(floor.maxRss / 1_048_576).toFixed(0)} MB`);
const classify = await runChild("classify");
console.log(`classify: ${classify.seconds.toFixed(2)} s, peak RSS ${(classify.maxRss / 1_048_576).toFixed(0)} MB`);
const list = await runChild("list");
for (const l of list.list!) console.log(`list ${l.name}: p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms`);
const read = await runChild("read");
console.log(`read: ${read.seconds.toFixed(2)} s`);

// Correctness: every live customer classified, each with the segment and value
// class the pure batch functions give on the floor's columns, the first
// delivery the floor found, and "prospect" exactly when the floor counts no order.
const { scoreRfmBatch, classifyValueBatch, rfmScoreAt, valueClassAt, unscoredSegment } = await import("../../app/domain/intelligence");
const expected = await floorColumns(client, settings.rfm.windowDays);
const columns = {
  lastOrderAtMs: Float64Array.from(expected, (e) => e.winLastMs),
  ordersInWindow: Uint32Array.from(expected, (e) => e.winOrders),
  netSpendInWindowMinor: Float64Array.from(expected, (e) => e.winSpend),
};
const rfm = scoreRfmBatch(columns, NOW, settings.rfm);
const valueClasses = classifyValueBatch(columns, settings.valueClass);
const stored = await client.execute({
  sql: `SELECT "shopifyId" AS customer, "rfmSegment" AS segment, "valueClass" AS value, "lifecycleStage" AS stage, "firstDeliveredAt" AS delivered, "classifiedAt" AS classified FROM "Customer" WHERE "shop" = ? AND "deletedAt" IS NULL`,
  args: [SHOP],
});
const byCustomer = new Map(stored.rows.map((row) => [String(row.customer), row]));
let mismatches = 0;
let classifiedCount = 0;
let withDelivery = 0;
expected.forEach((e, i) => {
  const got = byCustomer.get(e.customer);
  const segment = rfmScoreAt(rfm, i)?.segment ?? unscoredSegment(e.orders > 0);
  const value = valueClassAt(valueClasses, i);
  const delivered = got?.delivered === null || got?.delivered === undefined ? NaN : Date.parse(String(got.delivered));
  if (got?.classified) classifiedCount++;
  if (!Number.isNaN(e.firstDeliveredMs)) withDelivery++;
  const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || a === b;
  if (!got || got.segment !== segment || got.value !== value || (got.stage === "prospect") !== (e.orders === 0) || !same(delivered, e.firstDeliveredMs)) {
    if (mismatches < 5) console.error(`mismatch: customer ${e.customer} stored ${JSON.stringify(got)}, expected segment ${segment}, value class ${value}, ${e.orders} orders, first delivery ${e.firstDeliveredMs}`);
    mismatches++;
  }
});
client.close();
const countsRight = classify.rows === customerCount && floor.rows === customerCount && classifiedCount === customerCount;

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)}`;
const ratio = classify.seconds / floor.seconds;
const peak = (r: PhaseResult) => Math.max(r.peakRss, r.maxRss);
const row = (name: string, r: PhaseResult) => `| ${name} | ${r.seconds.toFixed(2)} | ${(r.seconds / floor.seconds).toFixed(1)}x | ${(r.rows / r.seconds).toFixed(0)} | ${mb(r.baselineRss)} | ${mb(r.peakRss)} | ${mb(r.maxRss)} |`;
const listRows = list.list!;
const worstP95 = Math.max(...listRows.map((l) => l.p95));
const classifyMet = ratio <= 3 && peak(classify) < 500 * 1_048_576;
const listMet = worstP95 < 150;
const table = [
  `### bench:intel, ${new Date().toISOString().slice(0, 16)}Z (${os.cpus().length} cores, Node ${process.version}, SQLite, ${customerCount} customers, ${generated.orders} orders, ${generated.refunds} refunds, ${generated.lines} lines, ${generated.fulfillments} fulfillments)`,
  "",
  "| run | seconds | x floor | customers/s | RSS before, MB | peak RSS sampled every 50 ms, MB | peak RSS (kernel VmHWM), MB |",
  "|---|---|---|---|---|---|---|",
  row("floor: one SQL aggregation, all rows read", floor),
  row("app: classifyShop (whole shop)", classify),
  row("of which reading: classificationFacts over every page, alone", read),
  "",
  `Classification: **${ratio.toFixed(1)}x the floor** (aim ≤ 3x: ${ratio <= 3 ? "met" : "missed"}), peak RSS **${mb(peak(classify))} MB** (aim < 500 MB: ${peak(classify) < 500 * 1_048_576 ? "met" : "missed"}). Reading alone is ${(read.seconds / floor.seconds).toFixed(1)}x the floor, ${((100 * read.seconds) / classify.seconds).toFixed(0)}% of the classification.`,
  `Checked: ${classifiedCount} customers classified; ${mismatches} differing from the floor's columns (segment, value class, first delivery, prospect or not); ${withDelivery} with a first delivery. ${classify.detail}. Data generated in ${generationSeconds.toFixed(0)} s (not measured)${reusing ? ", by an earlier run (--reuse)" : ""}.`,
  "",
  `Members list, \`listMembers\` in-process after classification, ${values.calls} calls each after one warm-up, 50 rows a page (peak RSS ${mb(peak(list))} MB):`,
  "",
  "| page | rows | p50 ms | p95 ms | max ms |",
  "|---|---|---|---|---|",
  ...listRows.map((l) => `| ${l.name} | ${l.rows} | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.max.toFixed(1)} |`),
  "",
  `List page: worst p95 **${worstP95.toFixed(1)} ms** (aim < 150 ms: ${listMet ? "met" : "missed"}).`,
  "",
].join("\n");
console.log(table);
console.log(`aims: classification ${classifyMet ? "met" : "missed"}, list page ${listMet ? "met" : "missed"}`);
// Only full-size runs are recorded; a quick run with --customers/--orders only prints.
if (customerCount === 200_000 && orderCount === 2_000_000) fs.appendFileSync(path.join(root, "docs", "benchmarks.md"), table + "\n");
if (mismatches > 0 || !countsRight) {
  console.error(`bench:intel failed: ${mismatches} mismatches, classify counted ${classify.rows}, floor read ${floor.rows}, ${classifiedCount} classified, for ${customerCount} customers`);
  process.exit(1);
}
