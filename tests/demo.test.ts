// `npm run demo` on a small store over a few days: it completes, the store's
// past is imported at install, the replayed days are applied exactly once,
// every member is placed and written to the simulated store, and a checkout
// through the member discount Function shows the member's discount.
import path from "node:path";
import { runDemo } from "../scripts/demo";

it("runs the main job on the embedded default and reports what it applied", { timeout: 300_000 }, async () => {
  const lines: string[] = [];
  const result = await runDemo({ customers: 120, days: 21, seed: 3, databaseFile: path.join(process.env.MEMBERCARE_TEST_DB_DIR!, "demo.sqlite"), log: (line) => lines.push(line) });
  const text = lines.join("\n");

  // The past, in Shopify before install, came in through the bulk queries.
  expect(result.backfill).toMatchObject({ status: "done", historySource: "orders", skippedLines: 0 });
  expect(result.importedOrders).toBe(result.past.orders);
  expect(result.past.orders).toBeGreaterThan(0);
  // Every replayed webhook (duplicates included) was accepted and applied once.
  expect(Object.keys(result.statuses)).toEqual(["200"]);
  expect(result.sent).toBeGreaterThan(0);
  expect(result.inbox.failed).toBe(0);
  expect(result.inbox.pending + result.inbox.processing).toBe(0);
  expect(result.orders).toBeGreaterThan(result.past.orders);
  expect(result.shipments.delivered).toBeGreaterThan(0);
  expect(result.shipments.delivered + result.shipments.stuck + result.shipments.failed).toBeLessThanOrEqual(result.orders);

  // Every customer with an order is a member in a tier, written to the store.
  const placed = Object.values(result.perTierCounts).reduce((sum, n) => sum + n, 0);
  expect(placed).toBeGreaterThan(0);
  expect(result.synced).toEqual({ members: placed, synced: placed, rejected: 0 });
  expect(result.segments).toContain('"MemberCare: Platinum"');
  expect(result.discount).toBe("MemberCare member pricing");

  // A top member's checkout gets the tier discount, with the excluded product left out; a guest gets none.
  expect(result.checkout).toMatch(/^\w+ member \d+, cart \$\d+\.\d\d: ".+ member · \d+% off" -\$\d+\.\d\d \(Limited Edition Teapot left out\)/);
  expect(result.checkout).toContain("a guest with the same cart: no discount");

  expect(text).toContain("MemberCare demo: MemberCare Demo Store (membercare-demo.myshopify.com, Asia/Shanghai, USD)");
  expect(text).toMatch(/members per tier now: Member \d+, Silver \d+, Gold \d+, Platinum \d+/);
  // Classified every night of the replay; the day's follow-ups listed.
  expect(text).toMatch(/RFM segments: (\w+ \d+, )*champions \d+/);
  expect(text).toMatch(/lifecycle: .*active \d+/);
  expect(text).toMatch(/follow-ups for today: \d+/);
  expect(text).toMatch(/admin \(session tokens from a local admin frame\): http:\/\/127\.0\.0\.1:\d+\/app/);
  expect(text).toMatch(/SMTP inbox: http:\/\/127\.0\.0\.1:\d+\//);

  // Care (issue 8): the planner's messages and one campaign went through the
  // dispatcher into the SMTP inbox; every sent email is there once, under the
  // Message-ID its row recorded, and the summary counts them by flow and campaign.
  const { messages } = result;
  const count = (activity: string, status: string) => messages.byActivity[activity]?.[status] ?? 0;
  const total = (status: string) => Object.keys(messages.byActivity).reduce((sum, activity) => sum + count(activity, status), 0);
  expect(total("sent")).toBeGreaterThan(0);
  expect(count("postDelivery", "sent")).toBeGreaterThan(0);
  expect(messages.campaign).toMatchObject({ name: "Autumn tasting", status: "done" });
  expect(count('campaign "Autumn tasting"', "sent")).toBeGreaterThan(0);
  expect(count('campaign "Autumn tasting"', "heldOut")).toBeGreaterThan(0);
  expect(messages.inbox).toBe(messages.sentEmails.length);
  expect(result.inboxMessages.map((mail) => mail.headers["message-id"]).sort()).toEqual([...messages.sentEmails].sort());
  expect(text).toMatch(/care messages: sent \d+/);
  expect(text).toMatch(/postDelivery: sent \d+/);
  expect(text).toMatch(/campaign "Autumn tasting": done, sent on \d{4}-\d\d-\d\d at 10:00 local/);
  expect(text).toMatch(/the SMTP inbox has \d+ messages: http:\/\/127\.0\.0\.1:\d+\//);
});
