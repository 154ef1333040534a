// Group commit on the acknowledgement path (ADR 0023): deliveries that arrive
// together share one insert, yet each 200 means its own row is already stored,
// and a delivery sent several times at once is stored once. Real signed HTTP
// requests to the built server, many in flight at the same moment.
import db from "~/db.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";
import { sendWebhook } from "../tools/simulator/webhooks";

const shop = "group-shop.myshopify.com";

let app: TestApp;
beforeAll(async () => {
  await installTestShop(shop);
  // No background jobs: rows stay as the acknowledgement left them.
  app = await startTestApp({ worker: false });
});
afterAll(() => app.close());

it("answers each of many simultaneous deliveries only once its row is stored, and stores a repeated delivery once", async () => {
  const distinct = Array.from({ length: 60 }, (_, n) => ({ webhookId: `group-${n}`, orderId: String(90_000 + n) }));
  // Shopify may deliver the same webhook more than once; here five copies of three of them arrive together.
  const repeated = distinct.slice(0, 3).flatMap((delivery) => Array.from({ length: 4 }, () => delivery));
  const sends = [...distinct, ...repeated].map(async ({ webhookId, orderId }) => {
    const response = await sendWebhook(app.url, { topic: "orders/create", shop, body: orderPayload({ id: orderId, customerId: "91000" }), webhookId });
    // Read at the moment the answer arrives: a 200 for a row not yet stored would be lost if the server died now.
    const rowsNow = await db.inboxEvent.count({ where: { webhookId } });
    return { webhookId, status: response.status, inbox: response.headers.get("x-membercare-inbox"), rowsNow };
  });
  const answers = await Promise.all(sends);

  expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
  expect(answers.filter((answer) => answer.rowsNow !== 1)).toEqual([]);
  // One "stored" per webhook id, every other copy a "duplicate".
  for (const { webhookId } of distinct) {
    const mine = answers.filter((answer) => answer.webhookId === webhookId).map((answer) => answer.inbox).sort();
    expect(mine).toEqual(["stored", ...Array.from({ length: mine.length - 1 }, () => "duplicate")].sort());
  }
  const rows = await db.inboxEvent.findMany({ where: { shop }, select: { webhookId: true, status: true, payload: { select: { body: true } } } });
  expect(rows.map((row) => row.webhookId).sort()).toEqual(distinct.map((delivery) => delivery.webhookId).sort());
  // Each row holds its own delivery's body, not a neighbour's from the same group.
  for (const row of rows) {
    const orderId = distinct.find((delivery) => delivery.webhookId === row.webhookId)!.orderId;
    expect(JSON.parse(row.payload!.body).id).toBe(Number(orderId));
    expect(row.status).toBe("pending");
  }
});
