// Calls out have deadlines, and one hung shop holds up only its own work
// (issue 18). A "hung" shop is a local HTTP server that takes the Admin API
// request and never answers (what a stalled connection to Shopify looks
// like); the healthy shop is the schema-true store simulator. An SMTP server
// that accepts the connection and never greets stands for a hung mail server.
// Outcomes are asserted (which effects are done, what is kept as the reason),
// never how long anything took.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { renderMessage } from "~/domain/care/templates";
import type { TierProgram, TierRule } from "~/domain/tiers";
import db from "~/db.server";
import { saveCareSettings } from "~/models/care-settings.server";
import { messageDecisions, planMessages, type PlannedMessage } from "~/models/messages.server";
import { cancelShopEffects, effectStatus } from "~/models/outbox.server";
import { saveShopSettings } from "~/models/shops.server";
import { createAdminClient, type AdminClient } from "~/services/admin-client.server";
import { jsonLines } from "~/services/backfill.server";
import { emailChannel } from "~/services/channels/email.server";
import { flowChannel } from "~/services/channels/flow.server";
import type { OutgoingMessage } from "~/services/channels/types";
import { TransientChannelError } from "~/services/channels/types";
import { ManualClock } from "~/services/clock.server";
import { defaultRetryDelayMs, dispatchDue, type DispatchOptions } from "~/services/dispatcher.server";
import { retryDelayMs } from "~/services/inbox-worker.server";
import { drainOutboxBatch, startOutboxWorker } from "~/services/outbox-worker.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveProgram } from "~/services/tiers.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { startSmtpInbox, type SmtpInbox } from "../tools/smtp-inbox";
import { orderPayload } from "./support/payloads";

const clock = new ManualClock(new Date("2026-11-02T08:00:00Z"));
let simulator: StoreSimulator;
let unroute: () => void;

/** Takes every request and never answers; `cut()` drops the connections it holds. */
interface Hanging {
  url: string;
  open: () => number;
  received: () => number;
  cut(): void;
  close(): Promise<void>;
}
let hanging: Hanging;
const HUNG = /^https:\/\/(hung-[a-z0-9-]*\.myshopify\.com)\//i;

async function startHanging(): Promise<Hanging> {
  const held = new Set<http.ServerResponse>();
  let received = 0;
  const server = http.createServer((request, response) => {
    received++;
    request.resume();
    held.add(response);
    response.on("close", () => held.delete(response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open: () => held.size,
    received: () => received,
    cut: () => server.closeAllConnections(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime(), bucketSize: 2000, restoreRate: 100 });
  hanging = await startHanging();
  const unrouteSimulator = installShopRouting(simulator.url);
  // Shops named hung-* go to the server that never answers; every other shop to the simulator.
  const routed = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    return HUNG.test(url) ? routed(url.replace(HUNG, `${hanging.url}/`), init) : routed(input, init);
  };
  unroute = () => {
    globalThis.fetch = routed;
    unrouteSimulator();
  };
});
afterAll(async () => {
  unroute();
  await hanging.close();
  await simulator.close();
});

const perks = (discountPercent: number): TierRule["perks"] => ({ discountPercent, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] });
const tier = (handle: string, rank: number, minNetSpendMinor: number | null, discount: number): TierRule => ({
  handle, rank, name: { en: handle, "zh-CN": handle }, minNetSpendMinor, minOrders: null, qualifyBy: "either", entryGift: null, perks: perks(discount),
});
const program: Omit<TierProgram, "timeZone"> = { tiers: [tier("member", 1, null, 0), tier("gold", 2, 10_000, 10)], window: { kind: "lifetime" }, graceDays: 14 };

let nextOrder = 7_100_000;
/** A shop with three paying customers and a tier program saved: its membership and discount syncs and its program publish are due in the outbox. */
async function shopWithDueEffects(domain: string, inSimulator: boolean) {
  const accessToken = `shpat_${domain}`;
  if (inSimulator) simulator.addShop({ shop: domain, accessToken });
  await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  for (let i = 0; i < 3; i++) {
    const customerId = inSimulator ? simulator.state.addCustomer(domain, { email: `c${i}@example.com` }).id : String(8_000_000 + nextOrder);
    await projectInboxEvent({ shop: domain, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(nextOrder++), customerId, subtotal: "150.00", createdAt: "2026-10-01T00:00:00Z" })) }, clock.now());
  }
  await saveProgram(domain, program, "now", clock.now());
  return accessToken;
}

const KEYS = ["membership.sync", "discount.sync", "program.publish"] as const;
const statuses = async (shop: string) => Promise.all(KEYS.map(async (key) => (await effectStatus(shop, key))?.status));

it("a hung shop holds up only its own outbox effects: the healthy shop's are done while its call still hangs", async () => {
  // The hung shop's effects are due first, so a worker that ran shops one after another would start with them.
  const hungToken = await shopWithDueEffects("hung-a.myshopify.com", false);
  clock.advance(1_000);
  const healthyToken = await shopWithDueEffects("healthy-a.myshopify.com", true);
  clock.advance(1_000);
  const clients = new Map<string, AdminClient>([
    // A deadline far beyond this test: the hung call ends only when its connection is cut.
    ["hung-a.myshopify.com", createAdminClient({ shop: "hung-a.myshopify.com", accessToken: hungToken, apiVersion: "2026-10", timeoutMs: 120_000 })],
    ["healthy-a.myshopify.com", createAdminClient({ shop: "healthy-a.myshopify.com", accessToken: healthyToken, apiVersion: "2026-10" })],
  ]);
  const receivedBefore = hanging.received();

  const pass = drainOutboxBatch({ adminFor: async (shop) => clients.get(shop)!, clock, batchSize: 10, shopConcurrency: 2 });
  await vi.waitFor(async () => expect(await statuses("healthy-a.myshopify.com")).toEqual(["done", "done", "done"]), { timeout: 25_000, interval: 50 });
  // Meanwhile the hung shop's first call is still open and its effect still held.
  expect(hanging.open()).toBe(1);
  expect(hanging.received()).toBe(receivedBefore + 1);
  expect((await effectStatus("hung-a.myshopify.com", "membership.sync"))?.status).toBe("processing");

  hanging.cut();
  // Its other effects are tried one after another once the one before failed (a cut connection is no timeout), and hang too.
  await vi.waitFor(() => expect(hanging.received()).toBe(receivedBefore + 2), { timeout: 10_000, interval: 20 });
  hanging.cut();
  await vi.waitFor(() => expect(hanging.received()).toBe(receivedBefore + 3), { timeout: 10_000, interval: 20 });
  hanging.cut();
  const result = await pass;
  expect(result).toMatchObject({ claimed: 6, done: 3, failed: 0 });
  const hung = await effectStatus("hung-a.myshopify.com", "membership.sync");
  expect(hung).toMatchObject({ status: "pending", attempts: 1 });
  expect(hung!.lastError).toMatch(/^Admin API unreachable for hung-a\.myshopify\.com/);
  expect((await effectStatus("hung-a.myshopify.com", "discount.sync"))?.status).toBe("pending");
  expect((await effectStatus("hung-a.myshopify.com", "program.publish"))?.status).toBe("pending");
  // The shop is left out of what follows (as app/uninstalled would).
  await cancelShopEffects("hung-a.myshopify.com", clock.now());
});

it("the background outbox worker goes on with other shops' effects, asked for later, while a pass waits on a hung shop", async () => {
  const hungToken = await shopWithDueEffects("hung-w.myshopify.com", false);
  const clients = new Map<string, AdminClient>([["hung-w.myshopify.com", createAdminClient({ shop: "hung-w.myshopify.com", accessToken: hungToken, apiVersion: "2026-10", timeoutMs: 120_000 })]]);
  const receivedBefore = hanging.received();
  const worker = startOutboxWorker({ adminFor: async (shop) => clients.get(shop)!, clock, idleMs: 20, shopConcurrency: 2 });
  let stopped = false;
  try {
    await vi.waitFor(() => expect(hanging.received()).toBe(receivedBefore + 1), { timeout: 10_000, interval: 20 });
    // Only now does the healthy shop have anything due: a later pass must take it while the first still waits.
    const healthyToken = await shopWithDueEffects("healthy-w.myshopify.com", true);
    clients.set("healthy-w.myshopify.com", createAdminClient({ shop: "healthy-w.myshopify.com", accessToken: healthyToken, apiVersion: "2026-10" }));
    await vi.waitFor(async () => expect(await statuses("healthy-w.myshopify.com")).toEqual(["done", "done", "done"]), { timeout: 25_000, interval: 50 });
    expect(hanging.open()).toBe(1);
    expect(await statuses("hung-w.myshopify.com")).toEqual(["processing", "processing", "processing"]);
  } finally {
    const stopping = worker.stop().then(() => (stopped = true));
    // The hung lane ends when its connections are cut (each cut is a failure, retried later).
    while (!stopped) {
      hanging.cut();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stopping;
  }
  expect(await statuses("hung-w.myshopify.com")).toEqual(["pending", "pending", "pending"]);
  await cancelShopEffects("hung-w.myshopify.com", clock.now());
});

it("a call past its deadline is a retryable failure whose reason says it timed out; the shop's other effects wait with it, no attempt spent", async () => {
  const hungToken = await shopWithDueEffects("hung-b.myshopify.com", false);
  clock.advance(1_000);
  const healthyToken = await shopWithDueEffects("healthy-b.myshopify.com", true);
  clock.advance(1_000);
  const clients = new Map<string, AdminClient>([
    ["hung-b.myshopify.com", createAdminClient({ shop: "hung-b.myshopify.com", accessToken: hungToken, apiVersion: "2026-10", timeoutMs: 300 })],
    ["healthy-b.myshopify.com", createAdminClient({ shop: "healthy-b.myshopify.com", accessToken: healthyToken, apiVersion: "2026-10", timeoutMs: 300 })],
  ]);
  const receivedBefore = hanging.received();
  const now = clock.now();

  const result = await drainOutboxBatch({ adminFor: async (shop) => clients.get(shop)!, clock, batchSize: 10 });
  expect(result).toMatchObject({ claimed: 6, done: 3, postponed: 3, failed: 0 });
  expect(await statuses("healthy-b.myshopify.com")).toEqual(["done", "done", "done"]);

  const first = await effectStatus("hung-b.myshopify.com", "membership.sync");
  expect(first).toMatchObject({ status: "pending", attempts: 1, lastError: "Admin API for hung-b.myshopify.com timed out after 0.3 s" });
  // The inbox's and outbox's back-off: due again after the first retry's delay.
  expect(first!.availableAt).toEqual(new Date(now.getTime() + retryDelayMs(1)));
  const second = await effectStatus("hung-b.myshopify.com", "discount.sync");
  expect(second).toMatchObject({ status: "pending", attempts: 0, lastError: "not tried: Admin API for hung-b.myshopify.com timed out after 0.3 s" });
  expect(second!.availableAt).toEqual(first!.availableAt);
  expect(await effectStatus("hung-b.myshopify.com", "program.publish")).toMatchObject({ status: "pending", attempts: 0, lastError: second!.lastError, availableAt: first!.availableAt });
  // One call reached the hung shop, not one per effect.
  expect(hanging.received()).toBe(receivedBefore + 1);
  hanging.cut();

  // When the retry is due, the effect is tried again (and times out again): it is retried, never lost.
  clock.advance(retryDelayMs(1));
  const again = await drainOutboxBatch({ adminFor: async (shop) => clients.get(shop)!, clock, batchSize: 10 });
  expect(again).toMatchObject({ claimed: 3, done: 0, failed: 0 });
  expect(await effectStatus("hung-b.myshopify.com", "membership.sync")).toMatchObject({ status: "pending", attempts: 2, lastError: "Admin API for hung-b.myshopify.com timed out after 0.3 s" });
  hanging.cut();
  await cancelShopEffects("hung-b.myshopify.com", clock.now());
});

it("a bulk result download that stalls mid-stream ends at its deadline as a retryable failure", async () => {
  // The download's deadline is on silence: headers and some lines come, then nothing.
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "application/jsonl" });
    response.write('{"id":"gid://shopify/Customer/1"}\n');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const lines: unknown[] = [];
    const read = async () => {
      for await (const line of jsonLines(`http://127.0.0.1:${(server.address() as AddressInfo).port}/result.jsonl`, 0, 300)) lines.push(line);
    };
    await expect(read()).rejects.toThrow("bulk result download timed out after 0.3 s");
    expect(lines).toEqual([{ id: "gid://shopify/Customer/1" }]);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

it("an SMTP server that accepts the connection and never greets is given up on at the deadline, and the message is retryable", async () => {
  const sockets = new Set<net.Socket>();
  const mute = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
  const channel = emailChannel({ smtpUrl: `smtp://127.0.0.1:${(mute.address() as AddressInfo).port}`, timeoutMs: 300 });
  const rendered = renderMessage({ subject: "Hello", body: "Hi {{firstName}}", sms: "" }, { firstName: "Ava" }, { locale: "en", unsubscribeUrl: null, shopName: "Maple" });
  const message: OutgoingMessage = {
    shop: "maple.myshopify.com",
    messageId: "m-1",
    idempotencyKey: "test:mute-smtp",
    channel: "email",
    messageClass: "transactional",
    customer: { shopifyId: "1", email: "ava@example.com", phone: null, firstName: "Ava", lastName: null, locale: "en" },
    rendered,
    sender: { fromName: "Maple", fromEmail: "care@maple.example", replyTo: null, smsFrom: null },
    unsubscribeUrl: null,
    flow: null,
  };
  try {
    const sent = channel.send(message);
    await expect(sent).rejects.toThrow(TransientChannelError);
    await expect(sent).rejects.toThrow(/^SMTP timed out after 0\.3 s/);
  } finally {
    channel.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => mute.close(() => resolve()));
  }
});

describe("the dispatcher", () => {
  // 12:00 in Shanghai, where every customer lives: outside quiet hours.
  const D0 = new Date("2026-03-02T04:00:00Z");
  let inbox: SmtpInbox;
  let mail: ReturnType<typeof emailChannel>;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
    mail = emailChannel({ smtpUrl: inbox.smtpUrl });
  });
  afterAll(async () => {
    mail.close();
    await inbox.close();
  });

  /** A shop with one customer per message; `channel` flow goes through the shop's own Admin API (a Flow trigger). */
  async function shopWithMessages(domain: string, channel: "email" | "flow", count: number, plannedAt: Date) {
    await saveShopSettings(domain, { name: domain, ianaTimezone: "Asia/Shanghai", currencyCode: "USD", primaryLocale: "en", scopes: null }, plannedAt);
    // Shopify Flow is off until the merchant turns it on.
    if (channel === "flow") expect(await saveCareSettings(domain, { channels: { email: true, sms: false, flow: true } })).toMatchObject({ ok: true });
    const planned: PlannedMessage[] = [];
    for (let i = 1; i <= count; i++) {
      await db.customer.create({ data: { shop: domain, shopifyId: String(i), firstName: `Ann${i}`, email: `c${i}@${domain}`, timeZone: "Asia/Shanghai", emailConsentState: "SUBSCRIBED" } });
      planned.push({
        customerShopifyId: String(i), idempotencyKey: `${domain}:m${i}`, source: "flow", sourceId: channel === "flow" ? "tierUpgrade" : "winBack", step: channel === "flow" ? "upgraded" : "atRisk",
        channel, messageClass: "transactional", priority: 50, variables: { tierName: "Gold" }, plannedAt, expiresAt: new Date(plannedAt.getTime() + 7 * 86_400_000),
      });
    }
    await planMessages(domain, planned, plannedAt);
  }
  const options = (flowTimeoutMs: number): DispatchOptions => ({
    channels: {
      email: mail,
      sms: { send: async () => ({ status: "rejected", reason: "not in this test" }) },
      flow: flowChannel({ adminFor: async (shop) => createAdminClient({ shop, accessToken: `shpat_${shop}`, apiVersion: "2026-10", timeoutMs: flowTimeoutMs }) }),
    },
    content: { flow: async () => ({ enabled: true, allowWithoutConsent: false, content: { subject: "Hello {{firstName}}", body: "Hi {{firstName}}", sms: "" } }) },
    unsubscribeUrl: (shop, customer, channel) => `https://membercare.test/unsubscribe/${shop}/${customer}/${channel}`,
    shopConcurrency: 2,
  });
  const row = (shop: string, key: string) => db.message.findUniqueOrThrow({ where: { shop_idempotencyKey: { shop, idempotencyKey: `${shop}:${key}` } } });
  const statusesOf = async (shop: string, count: number) => Promise.all(Array.from({ length: count }, async (_, i) => (await row(shop, `m${i + 1}`)).status));

  it("sends a healthy shop's messages while another shop's Flow trigger hangs", async () => {
    // The hung shop's messages are due first: a dispatcher that went shop after shop would start with them.
    await shopWithMessages("hung-d.myshopify.com", "flow", 3, new Date(D0.getTime() - 60_000));
    await shopWithMessages("healthy-d.myshopify.com", "email", 2, D0);
    const receivedBefore = hanging.received();
    const mailBefore = inbox.messages.length;

    const pass = dispatchDue(D0, options(120_000));
    await vi.waitFor(async () => expect(await statusesOf("healthy-d.myshopify.com", 2)).toEqual(["sent", "sent"]), { timeout: 25_000, interval: 50 });
    expect(inbox.messages.slice(mailBefore).map((message) => message.to).flat().sort()).toEqual(["c1@healthy-d.myshopify.com", "c2@healthy-d.myshopify.com"]);
    // Meanwhile the hung shop's first trigger is still open, its message "sending" (which of the three goes first is the claim's order).
    expect(hanging.open()).toBe(1);
    expect((await statusesOf("hung-d.myshopify.com", 3)).sort()).toEqual(["scheduled", "scheduled", "sending"]);

    // Each cut connection is a transient failure (not a timeout): the next trigger is tried, and hangs in turn.
    for (let i = 1; i <= 3; i++) {
      await vi.waitFor(() => expect(hanging.received()).toBe(receivedBefore + i), { timeout: 10_000, interval: 20 });
      hanging.cut();
    }
    const result = await pass;
    expect(result).toMatchObject({ claimed: 5, sent: 2, retried: 3, failed: 0 });
    expect(await statusesOf("hung-d.myshopify.com", 3)).toEqual(["scheduled", "scheduled", "scheduled"]);
  });

  it("a Flow trigger past its deadline is retried with the reason; the shop's other triggers of the pass wait for the retry, no attempt spent", async () => {
    await shopWithMessages("hung-e.myshopify.com", "flow", 3, new Date(D0.getTime() - 60_000));
    await shopWithMessages("healthy-e.myshopify.com", "email", 1, D0);
    const receivedBefore = hanging.received();

    const result = await dispatchDue(D0, options(300));
    expect(result).toMatchObject({ claimed: 4, sent: 1, retried: 1, failed: 0 });
    expect(await statusesOf("healthy-e.myshopify.com", 1)).toEqual(["sent"]);
    // The one trigger tried (whichever the claim put first) timed out; the other two were not tried.
    const rows = await Promise.all(["m1", "m2", "m3"].map((key) => row("hung-e.myshopify.com", key)));
    const tried = rows.filter((message) => message.attempts > 0);
    expect(tried).toHaveLength(1);
    const first = tried[0];
    expect(first).toMatchObject({ status: "scheduled", lastReason: "providerError", attempts: 1, availableAt: new Date(D0.getTime() + defaultRetryDelayMs(1)) });
    const retry = (await messageDecisions("hung-e.myshopify.com", first.id)).at(-1)!;
    expect(retry).toMatchObject({ decision: "retry", reason: "providerError" });
    expect(retry.detail.error).toBe("Admin API for hung-e.myshopify.com timed out after 0.3 s");
    for (const waiting of rows.filter((message) => message !== first)) {
      // Not tried: no attempt, no decision beyond the plan, due again with the first retry.
      expect(waiting).toMatchObject({ status: "scheduled", attempts: 0, leaseOwner: null, availableAt: first.availableAt });
      expect((await messageDecisions("hung-e.myshopify.com", waiting.id)).map((entry) => entry.decision)).toEqual(["planned"]);
    }
    // One call reached the hung shop, not one per message.
    expect(hanging.received()).toBe(receivedBefore + 1);
    hanging.cut();
  });
});
