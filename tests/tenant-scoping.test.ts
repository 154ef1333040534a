// Shop A's admin session cannot read or change shop B's rows through any route.
import db from "~/db.server";
import { recordRunFinished, recordRunStarted } from "~/jobs/job-runs.server";
import { storeInboxEvent } from "~/models/inbox.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";

const shopA = "tenant-a.myshopify.com";
const shopB = "tenant-b.myshopify.com";
let app: TestApp;
// The library answers bots (Node's own user agent counts) with 410: be a browser.
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

async function deliver(shop: string, webhookId: string, body: unknown) {
  await storeInboxEvent({ shop, webhookId, topic: "orders/create", apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(body), receivedAt: new Date() });
}

beforeAll(async () => {
  await installShop(shopA);
  await installShop(shopB);
  await installTestShop(shopA);
  await installTestShop(shopB);
  await deliver(shopA, "a-1", orderPayload({ id: "71", customerId: "81", subtotal: "10.00" }));
  await deliver(shopB, "b-1", orderPayload({ id: "72", customerId: "82", subtotal: "20.00" }));
  await deliver(shopB, "b-2", orderPayload({ id: "73", customerId: "83", subtotal: "30.00" }));
  const broken = orderPayload({ id: "74", customerId: "84" });
  delete (broken as Record<string, unknown>).line_items;
  await deliver(shopA, "a-broken", broken);
  await deliver(shopB, "b-broken", broken);
  await drainInbox();
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const page = (route: "app._index" | "app.status", shop: string, init: RequestInit = {}) =>
  fetch(`${app.url}/app${route === "app.status" ? "/status" : ""}?_data=${encodeURIComponent(`routes/${route}`)}`, {
    ...init,
    headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER, ...(init.headers ?? {}) },
  });

it("shows each shop its own members (Overview) and failed events (Status) only", async () => {
  const a = await page("app._index", shopA);
  expect(a.status).toBe(200);
  expect((await a.json()).members).toMatchObject({ members: 1, netSpentMinor: 1000 });
  expect((await (await page("app._index", shopB)).json()).members).toMatchObject({ members: 2, netSpentMinor: 5000 });

  const statusA = await (await page("app.status", shopA)).json();
  expect(statusA.failed.map((f: { webhookId: string }) => f.webhookId)).toEqual(["a-broken"]);
  const statusB = await (await page("app.status", shopB)).json();
  expect(statusB.failed.map((f: { webhookId: string }) => f.webhookId)).toEqual(["b-broken"]);
});

it("never shows a merchant a background job's error text, which may be about another shop", async () => {
  // The jobs serve every shop; this run failed on shop B.
  await recordRunStarted("tier-sweep", "test", new Date());
  await recordRunFinished("tier-sweep", "test", new Date(), `1 of 2 due shops failed; ${shopB}: database is locked`);
  const statusA = await (await page("app.status", shopA)).json();
  expect(statusA.jobs.find((job: { name: string }) => job.name === "tier-sweep")).toMatchObject({ failed: 1 });
  expect(JSON.stringify(statusA)).not.toContain(shopB);
});

it("re-queues only the caller's failed events, even when given another shop's row ids", async () => {
  const bRow = await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "b-broken" } });
  const aRow = await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "a-broken" } });
  const response = await page("app.status", shopA, {
    method: "POST",
    body: new URLSearchParams([["intent", "retry"], ["id", String(bRow.id)], ["id", String(aRow.id)]]),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true, retried: 1 });
  expect((await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "b-broken" } })).status).toBe("failed");
  expect((await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "a-broken" } })).status).toBe("pending");
});

it("answers invalid form input with 422 and retries nothing", async () => {
  await db.inboxEvent.update({ where: { webhookId: "a-broken" }, data: { status: "failed" } });
  const response = await page("app.status", shopA, { method: "POST", body: new URLSearchParams([["intent", "delete-everything"], ["id", "-3"]]) });
  expect(response.status).toBe(422);
  expect(await response.json()).toEqual({ ok: false, retried: null });
  expect((await db.inboxEvent.findUniqueOrThrow({ where: { webhookId: "a-broken" } })).status).toBe("failed");
});

it("refuses a session token not signed with the app's secret", async () => {
  const response = await fetch(`${app.url}/app?_data=${encodeURIComponent("routes/app._index")}`, {
    headers: { Authorization: `Bearer ${sessionToken(shopB, { secret: "someone-else" })}`, "User-Agent": BROWSER },
  });
  expect(response.status).toBe(401);
  expect(await response.text()).not.toContain("b-broken");
});
