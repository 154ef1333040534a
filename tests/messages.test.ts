// The messages model on the real database (SQLite and PostgreSQL): planning
// is idempotent per shop and key and logs each new row once; cancellation,
// pausing and resuming move only unsent rows (never one being sent), each
// with a decision; the Messages log pages newest first without repeats;
// erasure and export cover a customer's messages; shops never see each other's.
import db from "~/db.server";
import {
  cancelMessages,
  cancelShopMessages,
  customerMessagesExport,
  eraseCustomerMessages,
  eraseShopMessages,
  messageDecisions,
  messagesLog,
  pauseOrderMessages,
  planMessages,
  resumeOrderMessages,
  type PlannedMessage,
} from "~/models/messages.server";

const shop = "messages.myshopify.com";
const other = "messages-other.myshopify.com";
const T0 = new Date("2026-03-02T10:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const planned = (key: string, overrides: Partial<PlannedMessage> = {}): PlannedMessage => ({
  customerShopifyId: "c1",
  idempotencyKey: key,
  source: "flow",
  sourceId: "postDelivery",
  step: "deliveryCheck",
  channel: "email",
  messageClass: "transactional",
  priority: 10,
  orderShopifyId: "o1",
  fulfillmentShopifyId: "f1",
  variables: { product: "Tea", amount: 5, tier: null },
  plannedAt: new Date(T0.getTime() + DAY),
  expiresAt: new Date(T0.getTime() + 5 * DAY),
  ...overrides,
});

const statusOf = async (domain: string, key: string) => (await db.message.findUnique({ where: { shop_idempotencyKey: { shop: domain, idempotencyKey: key } } }))?.status;
const decisionsOf = async (domain: string, key: string) => {
  const row = await db.message.findUnique({ where: { shop_idempotencyKey: { shop: domain, idempotencyKey: key } } });
  return (await messageDecisions(domain, row!.id)).map((entry) => `${entry.decision}/${entry.reason}`);
};

beforeEach(async () => {
  await eraseShopMessages(shop);
  await eraseShopMessages(other);
});

it("plans each key once per shop, logs 'planned' for new rows only and keeps what was fixed when planned", async () => {
  expect(await planMessages(shop, [planned("a"), planned("b")], T0)).toBe(2);
  // Planning again (and a new one beside it) inserts only the new one, even with other values.
  expect(await planMessages(shop, [planned("a", { priority: 1 }), planned("c")], T0)).toBe(1);
  // The same key in another shop is another message.
  expect(await planMessages(other, [planned("a")], T0)).toBe(1);
  const a = await db.message.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey: "a" } } });
  expect(a).toMatchObject({ status: "scheduled", priority: 10, availableAt: planned("a").plannedAt, lastReason: "flowPlanned", holdout: false });
  expect(JSON.parse(a!.variables)).toEqual({ product: "Tea", amount: 5, tier: null });
  expect(await decisionsOf(shop, "a")).toEqual(["planned/flowPlanned"]);
  expect(await db.messageDecision.count({ where: { shop } })).toBe(3);
});

it("stores a holdout as held out, never due", async () => {
  expect(await planMessages(shop, [planned("h", { holdout: true, source: "campaign", sourceId: "camp1" })], T0)).toBe(1);
  expect(await statusOf(shop, "h")).toBe("heldOut");
  expect(await decisionsOf(shop, "h")).toEqual(["heldOut/holdout"]);
});

it("plans in statements of many rows (more than one chunk)", async () => {
  const many = Array.from({ length: 230 }, (_, i) => planned(`bulk-${i}`, { customerShopifyId: `c${i % 7}` }));
  expect(await planMessages(shop, many, T0)).toBe(230);
  expect(await planMessages(shop, many, T0)).toBe(0);
  expect(await db.messageDecision.count({ where: { shop, decision: "planned" } })).toBe(230);
});

it("cancels unsent messages matching the filter, with the reason, and leaves one being sent alone", async () => {
  await planMessages(shop, [planned("k1"), planned("k2", { step: "usageTips" }), planned("k3", { orderShopifyId: "o2" }), planned("k4")], T0);
  await planMessages(other, [planned("k1")], T0);
  await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: "k4" } }, data: { status: "sending", leaseOwner: "w", leaseUntil: new Date(T0.getTime() + HOUR) } });
  expect(await cancelMessages(shop, { orderShopifyId: "o1" }, "orderCancelled", T0)).toBe(2);
  expect(await statusOf(shop, "k1")).toBe("cancelled");
  expect(await statusOf(shop, "k2")).toBe("cancelled");
  expect(await statusOf(shop, "k3")).toBe("scheduled");
  expect(await statusOf(shop, "k4")).toBe("sending");
  expect(await statusOf(other, "k1")).toBe("scheduled");
  expect(await decisionsOf(shop, "k1")).toEqual(["planned/flowPlanned", "cancelled/orderCancelled"]);
  // Cancelling again finds nothing and logs nothing.
  expect(await cancelMessages(shop, { orderShopifyId: "o1" }, "orderCancelled", T0)).toBe(0);
  expect(await decisionsOf(shop, "k1")).toHaveLength(2);
  // By keys and step together: both must match.
  await planMessages(shop, [planned("k5", { step: "usageTips" }), planned("k6")], T0);
  expect(await cancelMessages(shop, { idempotencyKeys: ["k5", "k6", "k3"], step: "usageTips" }, "replaced", T0)).toBe(1);
  expect(await statusOf(shop, "k5")).toBe("cancelled");
  expect(await statusOf(shop, "k6")).toBe("scheduled");
});

it("pauses an order's care messages and resumes them at their planned time, or now when that has passed", async () => {
  await planMessages(shop, [
    planned("p1", { plannedAt: new Date(T0.getTime() + HOUR) }),
    planned("p2", { plannedAt: new Date(T0.getTime() + 10 * DAY), expiresAt: new Date(T0.getTime() + 20 * DAY) }),
    planned("p3", { orderShopifyId: "o9" }),
    planned("p4", { source: "campaign", sourceId: "camp" }),
  ], T0);
  expect(await pauseOrderMessages(shop, "o1", "shipmentProblem", T0)).toBe(2);
  expect(await statusOf(shop, "p1")).toBe("paused");
  expect(await statusOf(shop, "p3")).toBe("scheduled");
  expect(await statusOf(shop, "p4")).toBe("scheduled");
  const later = new Date(T0.getTime() + 2 * DAY);
  expect(await resumeOrderMessages(shop, "o1", later)).toBe(2);
  const [p1, p2] = await Promise.all(["p1", "p2"].map((key) => db.message.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey: key } } })));
  expect(p1).toMatchObject({ status: "scheduled", availableAt: later });
  expect(p2).toMatchObject({ status: "scheduled", availableAt: new Date(T0.getTime() + 10 * DAY) });
  expect(await decisionsOf(shop, "p1")).toEqual(["planned/flowPlanned", "paused/shipmentProblem", "resumed/shipmentResolved"]);
  // Paused messages can still be cancelled (with the order's other unsent ones).
  await pauseOrderMessages(shop, "o1", "shipmentProblem", later);
  expect(await cancelMessages(shop, { orderShopifyId: "o1", sourceId: "postDelivery" }, "orderRefunded", later)).toBe(2);
  expect(await statusOf(shop, "p1")).toBe("cancelled");
});

it("cancels all of a shop's unsent messages at uninstall, not another shop's", async () => {
  await planMessages(shop, [planned("u1"), planned("u2", { customerShopifyId: "c2" })], T0);
  await planMessages(other, [planned("u1")], T0);
  expect(await cancelShopMessages(shop, T0)).toBe(2);
  expect(await decisionsOf(shop, "u2")).toEqual(["planned/flowPlanned", "cancelled/shopUninstalled"]);
  expect(await statusOf(other, "u1")).toBe("scheduled");
});

it("pages the log newest first without repeats, filtered, scoped to the shop", async () => {
  const rows = Array.from({ length: 25 }, (_, i) => planned(`l${i}`, { customerShopifyId: i % 2 ? "odd" : "even", sourceId: i < 5 ? "winBack" : "postDelivery" }));
  // Each planned at its own moment, so newest first is l24 .. l0.
  for (const [i, row] of rows.entries()) await planMessages(shop, [row], new Date(T0.getTime() + i * 1000));
  await planMessages(other, [planned("l0")], T0);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof messagesLog>> = await messagesLog(shop, { limit: 10, cursor });
    seen.push(...page.entries.map((entry) => entry.idempotencyKey));
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toEqual(rows.map((row) => row.idempotencyKey).reverse());
  const winBack = await messagesLog(shop, { limit: 50, flow: "winBack", customerShopifyId: "even" });
  expect(winBack.entries.map((entry) => entry.idempotencyKey)).toEqual(["l4", "l2", "l0"]);
  await cancelMessages(shop, { idempotencyKeys: ["l3"] }, "unsubscribed", new Date(T0.getTime() + DAY));
  const cancelled = await messagesLog(shop, { limit: 50, status: "cancelled" });
  expect(cancelled.entries.map((entry) => [entry.idempotencyKey, entry.lastReason])).toEqual([["l3", "unsubscribed"]]);
  // Another shop's message id shows no decisions here.
  const theirs = await db.message.findFirstOrThrow({ where: { shop: other } });
  expect(await messageDecisions(shop, theirs.id)).toEqual([]);
});

it("exports and erases a customer's messages and decisions, and a whole shop's", async () => {
  await planMessages(shop, [planned("e1"), planned("e2", { customerShopifyId: "c2" })], T0);
  await planMessages(other, [planned("e1")], T0);
  const exported = await customerMessagesExport(shop, "c1");
  expect(exported.messages.map((row) => row.idempotencyKey)).toEqual(["e1"]);
  expect(exported.messageDecisions.map((row) => row.decision)).toEqual(["planned"]);
  expect(await eraseCustomerMessages(shop, "c1")).toBe(1);
  expect(await db.message.count({ where: { shop, customerShopifyId: "c1" } })).toBe(0);
  expect(await db.messageDecision.count({ where: { shop, customerShopifyId: "c1" } })).toBe(0);
  expect(await db.message.count({ where: { shop } })).toBe(1);
  expect(await db.message.count({ where: { shop: other, customerShopifyId: "c1" } })).toBe(1);
  await eraseShopMessages(shop);
  expect(await db.message.count({ where: { shop } })).toBe(0);
  expect(await db.messageDecision.count({ where: { shop } })).toBe(0);
  expect(await db.message.count({ where: { shop: other } })).toBe(1);
});
