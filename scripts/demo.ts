// `npm run demo`: MemberCare's main job on the embedded default, with no Shopify
// account and no network. It starts the store simulator and the built app (with
// its in-process inbox worker) on a fresh SQLite file, installs the app on a
// store whose past orders are already in Shopify (the install imports them with
// bulk queries), sends the rest of a generated store's history as signed webhooks over HTTP (with Shopify's duplicates and
// out-of-order deliveries), waits until every event is applied, and prints what
// the app now knows about the store's members; then it saves a tier program,
// places every member and writes each one's tier to the simulated store.
//
//   npm run demo -- [--customers 300] [--seed 7] [--keep-running]
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { SimulatorState } from "../tools/simulator/state";

export interface DemoOptions {
  customers: number;
  seed: number;
  databaseFile: string;
  log: (line: string) => void;
  keepRunning?: boolean;
}

const SHOP = "membercare-demo.myshopify.com";
const SECRET = "demo-secret";
const root = path.resolve(import.meta.dirname, "..");

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Delivery {
  topic: string;
  body: unknown;
  webhookId: string;
}

/** A store's history: a few heavy buyers, many one-time buyers, refunds, cancellations, deliveries. */
export function generateHistory(customers: number, seed: number) {
  const { orderPayload, refundPayload, fulfillmentPayload, fulfillmentEventPayload } = payloads;
  const next = random(seed);
  const deliveries: Delivery[] = [];
  const push = (topic: string, body: unknown) => deliveries.push({ topic, body, webhookId: randomUUID() });
  let orderId = 5_000_000;
  const start = Date.UTC(2026, 0, 5);
  for (let c = 0; c < customers; c++) {
    const customerId = String(800_000 + c);
    const heavy = next() < 0.08;
    const orders = heavy ? 6 + Math.floor(next() * 10) : next() < 0.6 ? 1 : 2 + Math.floor(next() * 3);
    let day = Math.floor(next() * 200);
    for (let o = 0; o < orders; o++) {
      const id = String(++orderId);
      const createdAt = new Date(start + day * 86_400_000 + Math.floor(next() * 86_400_000)).toISOString();
      const subtotal = ((heavy ? 80 : 25) + Math.floor(next() * 120)).toFixed(2);
      const email = `customer${c}@example.com`;
      push("orders/create", orderPayload({ id, customerId, email, subtotal, createdAt }));
      const roll = next();
      if (roll < 0.05) {
        push("orders/cancelled", orderPayload({ id, customerId, email, subtotal, createdAt, updatedAt: new Date(Date.parse(createdAt) + 3_600_000).toISOString(), cancelledAt: createdAt }));
        continue;
      }
      push("orders/paid", orderPayload({ id, customerId, email, subtotal, createdAt, updatedAt: new Date(Date.parse(createdAt) + 60_000).toISOString() }));
      if (roll < 0.12) push("refunds/create", refundPayload({ id: `7${id}`, orderId: id, amount: (Number(subtotal) / 2).toFixed(2), createdAt: new Date(Date.parse(createdAt) + 5 * 86_400_000).toISOString() }));
      const fulfillmentId = `6${id}`;
      push("fulfillments/create", fulfillmentPayload({ id: fulfillmentId, orderId: id, updatedAt: new Date(Date.parse(createdAt) + 86_400_000).toISOString() }));
      if (next() < 0.9) {
        push("fulfillment_events/create", fulfillmentEventPayload({ id: `4${id}`, fulfillmentId, orderId: id, status: "delivered", happenedAt: new Date(Date.parse(createdAt) + 3 * 86_400_000).toISOString() }));
      }
      day += heavy ? 10 + Math.floor(next() * 20) : 30 + Math.floor(next() * 60);
    }
  }
  // Shopify retries some deliveries and does not keep order across topics.
  const extra: Delivery[] = [];
  for (const delivery of deliveries) if (next() < 0.05) extra.push({ ...delivery });
  const all = deliveries.concat(extra);
  for (let i = all.length - 1; i > 0; i--) {
    if (next() < 0.2) {
      const j = Math.max(0, i - 1 - Math.floor(next() * 5));
      [all[i], all[j]] = [all[j], all[i]];
    }
  }
  return all;
}

let payloads: typeof import("../tests/support/payloads");

/** The store's customers and their 2025 orders, in Shopify before MemberCare is installed; returns the order count. */
function seedPastOrders(state: SimulatorState, customers: number, seed: number): number {
  const next = random(seed * 31 + 1);
  let orders = 0;
  for (let c = 0; c < customers; c++) {
    const customer = state.addCustomer(SHOP, { id: String(800_000 + c), email: `customer${c}@example.com`, firstName: `Customer ${c}` });
    for (let o = Math.floor(next() * 4); o > 0; o--) {
      const createdAt = new Date(Date.UTC(2025, 0, 1) + Math.floor(next() * 364) * 86_400_000).toISOString();
      state.addOrder(SHOP, { customerId: customer.id, createdAt, lineItems: [{ unitPriceMinor: 2_000 + Math.floor(next() * 20_000), quantity: 1 + Math.floor(next() * 2) }] });
      orders++;
    }
  }
  return orders;
}

/** Polls until `check` gives a value (two minutes at most: the demo must end). */
async function waitFor<T>(check: () => Promise<T | null | false>): Promise<T | null> {
  for (let waited = 0; waited < 120_000; waited += 200) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

export async function runDemo(options: DemoOptions) {
  const log = options.log;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(options.databaseFile + suffix, { force: true });
  Object.assign(process.env, {
    NODE_ENV: "production",
    DATABASE_URL: `file:${options.databaseFile}`,
    SHOPIFY_API_KEY: "demo-api-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://membercare.demo",
    INBOX_WORKER_IN_PROCESS: "true",
    WORKER_BATCH_SIZE: "200",
    LOG_LEVEL: "error",
  });
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { env: process.env, stdio: "ignore" });
  payloads = await import("../tests/support/payloads");

  const { startStoreSimulator } = await import("../tools/simulator/admin-api");
  const { installShopRouting } = await import("../tools/simulator/route-shop-domains");
  const { webhookRequest } = await import("../tools/simulator/webhooks");
  const simulator = await startStoreSimulator();
  simulator.addShop({ shop: SHOP, accessToken: "shpat_demo", apiClientId: "demo-api-key", name: "MemberCare Demo Store", ianaTimezone: "Asia/Shanghai", currencyCode: "USD", locales: ["en", "zh-CN"] });
  const uninstallRouting = installShopRouting(simulator.url);
  const { createAppServer } = await import("../server.mjs");
  const app = await createAppServer({ port: 0, host: "127.0.0.1" });
  log(`store simulator at ${simulator.url}, app at ${app.url}, database ${options.databaseFile}`);

  // Before the app is installed, the store already has customers and a past
  // (2025) in Shopify: the simulator holds them under the ids the webhooks carry.
  const pastOrders = seedPastOrders(simulator.state, options.customers, options.seed);

  // Install: the app records the shop's settings from the Admin API (the simulator)
  // and queues the history import, which reads that past with bulk queries.
  const { default: db } = await import("../app/db.server");
  const { recordInstall } = await import("../app/services/install.server");
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_demo", scope: process.env.SCOPES ?? "read_customers,write_customers,read_orders,read_fulfillments" } });
  const { unauthenticated } = await import("../app/shopify.server");
  const { admin } = await unauthenticated.admin(SHOP);
  const installed = performance.now();
  await recordInstall({ shop: SHOP, scopes: null, admin });
  const { latestBackfill } = await import("../app/models/backfills.server");
  const backfill = await waitFor(async () => {
    const run = await latestBackfill(SHOP);
    return run && ["done", "failed"].includes(run.status) ? run : null;
  });
  const imported = performance.now();

  const deliveries = generateHistory(options.customers, options.seed);
  log(`sending ${deliveries.length} signed webhooks for ${options.customers} customers...`);
  const started = performance.now();
  let cursor = 0;
  const statuses = new Map<number, number>();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (cursor < deliveries.length) {
        const delivery = deliveries[cursor++];
        const { url, init } = webhookRequest(app.url, { ...delivery, shop: SHOP }, SECRET);
        const response = await fetch(url, init);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  const acknowledged = performance.now();
  for (;;) {
    const busy = await db.inboxEvent.count({ where: { shop: SHOP, status: { in: ["pending", "processing"] } } });
    if (busy === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const drained = performance.now();

  // Tiers: the starter program, saved as a merchant would on the Tiers page;
  // every member is placed from history and written to the store by the outbox.
  const { starterProgram, byRank } = await import("../app/domain/tiers");
  const { saveProgram } = await import("../app/services/tiers.server");
  const { membersPerTier, membershipSyncStatus } = await import("../app/models/tiers.server");
  const program = starterProgram();
  await saveProgram(SHOP, program, "now", new Date());
  await waitFor(async () => {
    const sync = await db.outboxEffect.findFirst({ where: { shop: SHOP, kind: "membership.sync" } });
    return !sync || sync.status === "done" || sync.status === "failed";
  });
  const perTier = await membersPerTier(SHOP);
  const synced = await membershipSyncStatus(SHOP);

  const { memberSummary } = await import("../app/models/customers.server");
  const { inboxStatusCounts } = await import("../app/models/inbox.server");
  const { formatMoney } = await import("../app/i18n");
  const summary = await memberSummary(SHOP);
  const inbox = await inboxStatusCounts(SHOP);
  const shop = await db.shop.findUnique({ where: { shop: SHOP } });
  const top = await db.customer.findMany({ where: { shop: SHOP }, orderBy: { netSpentMinor: "desc" }, take: 5 });
  const delivered = await db.fulfillment.count({ where: { shop: SHOP, deliveredAt: { not: null } } });
  const orderCount = await db.order.count({ where: { shop: SHOP } });
  const pastImported = await db.order.count({ where: { shop: SHOP, shopifyCreatedAt: { lt: new Date(Date.UTC(2026, 0, 1)) } } });
  const currency = summary.currencyCode ?? "USD";

  const lines = [
    "",
    `MemberCare demo: ${shop?.name} (${SHOP}, ${shop?.ianaTimezone}, ${shop?.currencyCode})`,
    `  history import at install (Shopify bulk queries): ${backfill?.status}, ${backfill?.customersApplied} customers and ${pastOrders} past orders read in ${((imported - installed) / 1000).toFixed(1)} s${backfill?.error ? ` (${backfill.error})` : ""}`,
    `  webhooks: ${deliveries.length} sent, ${[...statuses].map(([status, n]) => `${n} answered ${status}`).join(", ")} in ${((acknowledged - started) / 1000).toFixed(1)} s; applied ${((drained - started) / 1000).toFixed(1)} s after the first`,
    `  inbox: ${Object.entries(inbox).map(([status, n]) => `${status} ${n}`).join(", ")} (repeats of a webhook id are acknowledged and not stored)`,
    `  members: ${summary.members}, with orders ${summary.withOrders}; orders ${orderCount}; deliveries recorded ${delivered}`,
    `  net spend of all members: ${formatMoney(summary.netSpentMinor, currency, "en")}`,
    "  top members by net spend:",
    ...top.map((m) => `    ${m.email?.padEnd(28)} ${String(m.orderCount).padStart(3)} orders  ${formatMoney(m.netSpentMinor, currency, "en").padStart(12)}  median gap ${m.medianGapDays ?? "-"} days`),
    `  tiers (${program.window.kind === "rolling" ? `rolling ${program.window.months} months` : program.window.kind}): ${byRank(program.tiers)
      .map((tier) => `${tier.name.en} ${perTier.get(tier.handle) ?? 0}`)
      .join(", ")}`,
    `  written to the store's customers ($app:membership metafield): ${synced.synced} of ${synced.members}${synced.rejected ? `, ${synced.rejected} refused` : ""}`,
    `  e.g. ${top[0]?.email}: ${[...simulator.state.shop(SHOP).metafields.values()].find((m) => m.ownerId === `gid://shopify/Customer/${top[0]?.shopifyId}`)?.value ?? "(not written)"}`,
    `  inspect one: npm run cli -- member show --shop ${SHOP} --customer ${top[0]?.shopifyId ?? "?"}  (DATABASE_URL=file:${path.relative(root, options.databaseFile)})`,
    "",
  ];
  lines.forEach((line) => log(line));

  const stop = async () => {
    await app.close();
    await simulator.close();
    uninstallRouting();
    await db.$disconnect();
  };
  if (options.keepRunning) {
    log(`the app keeps running at ${app.url} (Ctrl-C stops it)`);
    await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  }
  await stop();
  return { backfill, pastOrders, pastImported, summary, inbox, statuses: Object.fromEntries(statuses), deliveries: deliveries.length, orderCount, delivered, perTier: Object.fromEntries(perTier), synced };
}

if (process.argv[1]?.endsWith("demo.ts")) {
  const { values } = parseArgs({ options: { customers: { type: "string", default: "300" }, seed: { type: "string", default: "7" }, "keep-running": { type: "boolean", default: false } } });
  await runDemo({
    customers: Number(values.customers),
    seed: Number(values.seed),
    databaseFile: path.join(root, "tmp", "demo.sqlite"),
    log: (line) => console.log(line),
    keepRunning: values["keep-running"],
  });
  process.exit(0);
}
