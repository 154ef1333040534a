// `npm run demo` on a small store: it completes, the store's past is imported
// at install, its summary adds up, and every member is placed in a tier and
// written to the simulated store.
import path from "node:path";
import { runDemo } from "../scripts/demo";

it("runs the main job on the embedded default and reports what it applied", { timeout: 180_000 }, async () => {
  const lines: string[] = [];
  const result = await runDemo({ customers: 25, seed: 3, databaseFile: path.join(process.env.MEMBERCARE_TEST_DB_DIR!, "demo.sqlite"), log: (line) => lines.push(line) });
  expect(result.statuses).toEqual({ 200: result.deliveries });
  expect(result.inbox.failed).toBe(0);
  expect(result.inbox.pending + result.inbox.processing).toBe(0);
  expect(result.summary.members).toBe(25);
  // The store's past, in Shopify before install, was imported at install.
  expect(result.backfill).toMatchObject({ status: "done", historySource: "orders", customersApplied: 25, skippedLines: 0 });
  expect(result.pastOrders).toBeGreaterThan(0);
  expect(result.pastImported).toBe(result.pastOrders);
  expect(result.orderCount).toBeGreaterThan(25);
  expect(result.delivered).toBeGreaterThan(0);
  const text = lines.join("\n");
  expect(text).toMatch(/history import at install \(Shopify bulk queries\): done, 25 customers and \d+ past orders read/);
  expect(text).toContain("MemberCare demo: MemberCare Demo Store (membercare-demo.myshopify.com, Asia/Shanghai, USD)");
  expect(text).toMatch(/members: 25, with orders \d+; orders \d+/);
  expect(text).toMatch(/customer\d+@example\.com +\d+ orders/);
  // Every member placed in a tier and written to the store.
  expect(Object.values(result.perTier).reduce((sum, n) => sum + n, 0)).toBe(25);
  expect(result.synced).toEqual({ members: 25, synced: 25, rejected: 0 });
  expect(text).toMatch(/tiers \(rolling 12 months\): Member \d+, Silver \d+, Gold \d+, Platinum \d+/);
});
