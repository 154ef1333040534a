// The history import against the store simulator: every customer placed from a
// generated history read with Shopify bulk queries, the fallback to Shopify's
// lifetime totals without read_all_orders, progress that survives a dropped
// download, a bad line skipped and counted, expired results queried again.
import db from "~/db.server";
import { ledgerColumns } from "./support/ledger";
import { qualifiedTier, qualifyingTotals, starterProgram, withLifetimeFloor, type TierProgram } from "~/domain/tiers";
import { latestBackfill } from "~/models/backfills.server";
import { saveShopSettings } from "~/models/shops.server";
import { requestBackfill } from "~/services/backfill.server";
import type { Backfill } from "@prisma/client";
import { createAdminClient, type AdminClient } from "~/services/admin-client.server";
import { ManualClock } from "~/services/clock.server";
import { drainOutboxBatch } from "~/services/outbox-worker.server";
import { saveProgram } from "~/services/tiers.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import type { SimOrder } from "../tools/simulator/state";

const DAY = 86_400_000;
const clock = new ManualClock(new Date("2026-11-02T08:00:00Z"));
const program: TierProgram = { ...starterProgram(), timeZone: "UTC" };
let simulator: StoreSimulator;
let unroute: () => void;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime(), bulkRunMs: 10_000 });
  unroute = installShopRouting(simulator.url);
});
afterAll(async () => {
  unroute();
  await simulator.close();
});

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * A shop whose history lives only in Shopify: `customers` customers with up to
 * eight orders each over three years, some refunded, some cancelled, some with
 * several line items. The app has the tier program but no order yet.
 */
async function seedHistory(domain: string, customers: number, options: { grantedScopes?: string[] } = {}) {
  const simShop = simulator.addShop({ shop: domain, accessToken: `shpat_${domain}`, grantedScopes: options.grantedScopes });
  await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  await saveProgram(domain, starterProgram(), "now", clock.now());
  const next = random(customers);
  for (let c = 0; c < customers; c++) {
    const customer = simulator.state.addCustomer(domain, { firstName: `Member ${c}`, email: `m${c}@example.com` });
    const orders = Math.floor(next() * 9);
    for (let o = 0; o < orders; o++) {
      const createdAt = new Date(clock.now().getTime() - Math.floor(next() * 3 * 365) * DAY - 3_600_000).toISOString();
      const lineItems = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({ unitPriceMinor: 1_000 + Math.floor(next() * 30_000), quantity: 1 + Math.floor(next() * 2) }));
      const cancelled = next() < 0.05;
      const order = simulator.state.addOrder(domain, { customerId: customer.id, createdAt, lineItems, ...(cancelled ? { cancelledAt: createdAt, cancelReason: "CUSTOMER" as const, displayFinancialStatus: "VOIDED" as const } : {}) });
      if (!cancelled && next() < 0.15) simulator.state.addRefund(domain, order.id, Math.floor(order.subtotalMinor * (next() < 0.5 ? 1 : 0.3)), createdAt);
    }
  }
  // Guests' orders have no customer; the import must take them without placing anyone.
  simulator.state.addOrder(domain, { createdAt: new Date(clock.now().getTime() - 5 * DAY).toISOString() });
  const client = createAdminClient({ shop: domain, accessToken: simShop.accessToken, apiVersion: "2026-10" });
  return { simShop, adminFor: async () => client };
}

/** The tier the pure rules give a customer from what Shopify holds (the app's own view of it). */
function expectedTier(domain: string, customerId: string, { lifetimeFloor = false } = {}): string {
  const shop = simulator.state.shop(domain);
  const now = clock.now();
  const visible = (order: SimOrder) => shop.grantedScopes.includes("read_all_orders") || Date.parse(order.createdAt) >= now.getTime() - 60 * DAY;
  const orders = [...shop.orders.values()].filter((order) => order.customerId === customerId && visible(order));
  const qualifying = orders.map((order) => {
    const ledger = ledgerColumns({
      subtotalMinor: order.subtotalMinor,
      cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
      financialStatus: order.displayFinancialStatus.toLowerCase(),
      refundMinor: order.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0),
    });
    return { processedAt: new Date(order.processedAt), netMinor: ledger.netSpendMinor, countsAsPurchase: ledger.countsAsPurchase };
  });
  let totals = qualifyingTotals(program, qualifying, now);
  if (lifetimeFloor) {
    const customer = shop.customers.get(customerId)!;
    totals = withLifetimeFloor(totals, { netSpendMinor: customer.amountSpentMinor, orders: customer.numberOfOrders });
  }
  return qualifiedTier(program, totals).handle;
}

/**
 * Runs the outbox one batch at a time as the worker would, moving the clock
 * past each wait, until the import ends or `stopWhen` holds after a batch.
 */
async function runImport(domain: string, adminFor: () => Promise<AdminClient>, { stopWhen }: { stopWhen?: (backfill: Backfill) => boolean } = {}) {
  for (let round = 0; round < 500; round++) {
    const batch = await drainOutboxBatch({ adminFor, clock });
    const backfill = (await latestBackfill(domain))!;
    if (backfill.status === "done" || backfill.status === "failed" || stopWhen?.(backfill)) return backfill;
    if (batch.claimed === 0) clock.advance(5_000);
  }
  throw new Error("the import did not finish in 500 rounds");
}

const tiersOf = async (domain: string) => new Map((await db.memberTier.findMany({ where: { shop: domain } })).map((row) => [row.customerShopifyId, row.tierHandle]));

it("places every customer from the whole history read in bulk, and keeps orders, line items and refunds", async () => {
  const domain = "history-shop.myshopify.com";
  const { simShop, adminFor } = await seedHistory(domain, 120);
  await requestBackfill(domain, clock.now());
  const backfill = await runImport(domain, adminFor);

  expect(backfill).toMatchObject({ status: "done", historySource: "orders", skippedLines: 0, customersTotal: 120, placed: 120, error: null });
  expect(backfill.customersApplied).toBe(backfill.customersTotal);
  expect(backfill.ordersApplied).toBe(backfill.ordersTotal);

  const simOrders = [...simShop.orders.values()];
  expect(await db.order.count({ where: { shop: domain } })).toBe(simOrders.length);
  expect(await db.orderLine.count({ where: { shop: domain } })).toBe(simOrders.reduce((sum, order) => sum + order.lineItems.length, 0));
  expect(await db.refund.count({ where: { shop: domain } })).toBe(simOrders.reduce((sum, order) => sum + order.refunds.length, 0));

  const tiers = await tiersOf(domain);
  expect(tiers.size).toBe(120);
  for (const customer of simShop.customers.values()) expect(tiers.get(customer.id), `customer ${customer.id}`).toBe(expectedTier(domain, customer.id));
  // The generated history reaches every tier, so the comparison above means something.
  expect(new Set(tiers.values())).toEqual(new Set(["member", "silver", "gold", "platinum"]));
  // Orders were asked for grouped, so each one's line items follow it.
  const runs = simulator.requests.filter((r) => r.shop === domain && r.operationName === "RunBulkQuery");
  expect(runs.map((r) => r.variables.groupObjects)).toEqual([false, true]);
});

it("falls back to Shopify's lifetime totals without read_all_orders, and says so", async () => {
  const domain = "recent-only-shop.myshopify.com";
  const { simShop, adminFor } = await seedHistory(domain, 60, { grantedScopes: ["read_customers", "write_customers", "read_orders"] });
  await requestBackfill(domain, clock.now());
  const backfill = await runImport(domain, adminFor);

  expect(backfill).toMatchObject({ status: "done", historySource: "customerTotals" });
  expect((await db.shop.findUnique({ where: { shop: domain } }))!.historySource).toBe("customerTotals");
  const visible = [...simShop.orders.values()].filter((order) => Date.parse(order.createdAt) >= clock.now().getTime() - 60 * DAY);
  expect(await db.order.count({ where: { shop: domain } })).toBe(visible.length);
  const tiers = await tiersOf(domain);
  const customers = [...simShop.customers.values()];
  for (const customer of customers) expect(tiers.get(customer.id), `customer ${customer.id}`).toBe(expectedTier(domain, customer.id, { lifetimeFloor: true }));
  // Customers whose spending is all older than 60 days still reach their tier.
  expect(customers.some((customer) => tiers.get(customer.id) !== "member" && expectedTier(domain, customer.id) === "member")).toBe(true);
});

it("shows progress and resumes where it stopped when a download breaks off", async () => {
  const domain = "dropped-shop.myshopify.com";
  const { simShop, adminFor } = await seedHistory(domain, 300);
  await requestBackfill(domain, clock.now());
  const importing = await runImport(domain, adminFor, { stopWhen: (backfill) => backfill.status === "importing" });
  const orders = simShop.bulkOperations.get(importing.ordersOperation!.split("/").pop()!)!;
  orders.dropAfterLines = Math.floor(orders.objectCount * 0.6);

  await drainOutboxBatch({ adminFor, clock });
  const interrupted = (await latestBackfill(domain))!;
  expect(interrupted.status).toBe("importing");
  expect(interrupted.ordersApplied).toBeGreaterThan(0);
  expect(interrupted.ordersApplied).toBeLessThan(interrupted.ordersTotal!);
  const effect = await db.outboxEffect.findFirst({ where: { shop: domain, kind: "backfill.run" } });
  expect(effect).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringMatching(/terminated|aborted|socket|premature/i) });

  clock.advance(10 * 60_000);
  const backfill = await runImport(domain, adminFor);
  expect(backfill).toMatchObject({ status: "done", placed: 300 });
  expect(backfill.ordersApplied).toBe(backfill.ordersTotal);
  expect(await db.order.count({ where: { shop: domain } })).toBe(simShop.orders.size);
  expect(await db.orderLine.count({ where: { shop: domain } })).toBe([...simShop.orders.values()].reduce((sum, order) => sum + order.lineItems.length, 0));
});

it("skips and counts a line it cannot read, imports the rest, and queries again when the results expired", async () => {
  const domain = "damaged-shop.myshopify.com";
  const { simShop, adminFor } = await seedHistory(domain, 40);
  await requestBackfill(domain, clock.now());
  const importing = await runImport(domain, adminFor, { stopWhen: (backfill) => backfill.status === "importing" });
  for (const operation of simShop.bulkOperations.values()) operation.expired = true;

  // The next pass finds the results gone and starts new queries; one of their orders is damaged.
  await runImport(domain, adminFor, { stopWhen: (backfill) => backfill.status === "running" });
  const requeried = [...simShop.bulkOperations.values()].filter((operation) => !operation.expired);
  expect(requeried).toHaveLength(2);
  const ordersRun = requeried.find((operation) => operation.query.includes("lineItems"))!;
  const lines = ordersRun.result!.split("\n");
  const damaged = lines.findIndex((line) => line.includes('"displayFinancialStatus"'));
  lines[damaged] = lines[damaged].replace(/"totalPriceSet":\{[^}]*\}\}/, '"totalPriceSet":"lots"');
  ordersRun.result = lines.join("\n");

  const backfill = await runImport(domain, adminFor);
  expect(backfill.id).toBe(importing.id);
  expect(backfill).toMatchObject({ status: "done", skippedLines: 1, skipReason: expect.stringContaining("totalPriceSet") });
  expect(await db.order.count({ where: { shop: domain } })).toBe(simShop.orders.size - 1);
  expect(await db.memberTier.count({ where: { shop: domain } })).toBe(40);
});
