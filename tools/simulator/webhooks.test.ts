// The webhook emitter delivers as Shopify does: signed with the app secret,
// over HTTP, some deliveries twice under the same webhook id, some out of order.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "./store-generator";
import { emitWebhooks } from "./webhooks";

it("signs every delivery, repeats some under the same id and reorders some", async () => {
  const received: Array<{ id: string; n: number; valid: boolean }> = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac("sha256", "emit-secret").update(raw).digest("base64");
      received.push({ id: String(request.headers["x-shopify-webhook-id"]), n: JSON.parse(raw.toString()).n, valid: request.headers["x-shopify-hmac-sha256"] === expected });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deliveries = Array.from({ length: 400 }, (_, n) => ({ topic: "orders/paid", shop: "emit.myshopify.com", body: { n } }));
  const statuses = await emitWebhooks(url, deliveries, { secret: "emit-secret", duplicateRate: 0.05, reorderRate: 0.2, concurrency: 1, random: seededRandom(9) });
  server.close();

  expect(received.every((delivery) => delivery.valid)).toBe(true);
  expect(statuses.get(200)).toBe(received.length);
  const repeats = received.length - new Set(received.map((delivery) => delivery.id)).size;
  expect(repeats).toBeGreaterThan(5);
  expect(new Set(received.map((delivery) => delivery.n)).size).toBe(400); // nothing lost
  const order = received.map((delivery) => delivery.n);
  expect(order.some((n, i) => i > 0 && n < order[i - 1])).toBe(true); // not in the order they happened
});
