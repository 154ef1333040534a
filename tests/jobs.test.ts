// Issue 19: every background job is declared once (app/jobs/registry.server.ts)
// and runs through the one runner. Each registered job is started here the
// way a worker process starts it (startJob), on data seeded for it, and must
// do its work; `cli jobs status` reports them; docs/operations.md lists
// exactly the registered jobs.
import fs from "node:fs";
import db from "~/db.server";
import type { TierProgram, TierRule } from "~/domain/tiers";
import type { Channel } from "~/domain/care/types";
import { JOBS, jobNamed } from "~/jobs/registry.server";
import { runDueShops, runJobNow, startJob } from "~/jobs/start.server";
import { storeInboxEvent } from "~/models/inbox.server";
import { planMessages } from "~/models/messages.server";
import { effectStatus } from "~/models/outbox.server";
import { createAdminClient } from "~/services/admin-client.server";
import type { ChannelSender, OutgoingMessage } from "~/services/channels/types";
import { installProcessClock, ManualClock } from "~/services/clock.server";
import { saveProgram } from "~/services/tiers.server";
import { runCli } from "../scripts/cli";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { orderPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";

const NOW = new Date("2026-11-03T10:00:00Z");
const DAY = 86_400_000;
const SHOP = "jobs-shop.myshopify.com";
const clock = new ManualClock(NOW);
let simulator: StoreSimulator;
let unroute: () => void;
const sent: OutgoingMessage[] = [];
const recording: ChannelSender = {
  send: async (message) => {
    sent.push(message);
    return { status: "accepted", providerMessageId: `test-${sent.length}` };
  },
};
const channels = { email: recording, sms: recording, flow: recording } as Record<Channel, ChannelSender>;

const tier = (handle: string, rank: number, minNetSpendMinor: number | null): TierRule => ({
  handle,
  rank,
  name: { en: handle, "zh-CN": handle },
  minNetSpendMinor,
  minOrders: null,
  qualifyBy: "either",
  entryGift: null,
  perks: { discountPercent: rank * 5, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] },
});
const program: Omit<TierProgram, "timeZone"> = { tiers: [tier("member", 1, null), tier("gold", 2, 10_000)], window: { kind: "lifetime" }, graceDays: 14 };

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime() });
  unroute = installShopRouting(simulator.url);
  simulator.addShop({ shop: SHOP, accessToken: "shpat_jobs" });
  await installTestShop(SHOP, {}, new Date(NOW.getTime() - 30 * DAY));
});
afterAll(async () => {
  unroute();
  await simulator.close();
});

const run = async (name: string, until: () => Promise<unknown>) => {
  const logged: string[] = [];
  const job = startJob(jobNamed(name), {
    clock,
    log: (line) => logged.push(line),
    owner: "jobs-test",
    adminFor: async (shop) => createAdminClient({ shop, accessToken: "shpat_jobs", apiVersion: "2026-10" }),
    channels,
  });
  try {
    await vi.waitFor(until, { timeout: 20_000, interval: 50 });
  } finally {
    await job.stop();
  }
  return logged;
};

const statusOf = async (name: string) => {
  const out: string[] = [];
  expect(await runCli(["jobs", "status", "--json"], { out: (text) => out.push(text), err: () => {} })).toBe(0);
  const rows = JSON.parse(out.join("\n")) as Array<{ name: string; due: number; dueShops: number | null; running: number; failed: number; lastRunAt: string | null; lastError: string | null }>;
  expect(rows.map((row) => row.name)).toEqual(JOBS.map((job) => job.name));
  return rows.find((row) => row.name === name)!;
};

it("inbox: a stored webhook of an installed shop is projected", async () => {
  const customer = simulator.state.addCustomer(SHOP, { email: "ada@example.com" });
  for (let i = 0; i < 3; i++) {
    const body = JSON.stringify(orderPayload({ id: String(9_100_000 + i), customerId: customer.id, subtotal: "150.00", createdAt: "2026-10-01T00:00:00Z" }));
    await storeInboxEvent({ shop: SHOP, webhookId: `jobs-${i}`, topic: "orders/paid", apiVersion: "2026-10", eventId: null, triggeredAt: null, body, receivedAt: clock.now() });
  }
  expect(await statusOf("inbox")).toMatchObject({ due: 3, failed: 0 });
  await run("inbox", async () => expect(await db.inboxEvent.count({ where: { shop: SHOP, status: "done" } })).toBe(3));
  expect(await db.order.count({ where: { shop: SHOP } })).toBe(3);
  expect(await statusOf("inbox")).toMatchObject({ due: 0, running: 0, failed: 0 });
});

it("outbox: a saved tier program's membership and discount syncs are written to the store", async () => {
  await saveProgram(SHOP, program, "now", clock.now());
  expect((await statusOf("outbox")).due).toBeGreaterThan(0);
  await run("outbox", async () => {
    expect((await effectStatus(SHOP, "membership.sync"))?.status).toBe("done");
    expect((await effectStatus(SHOP, "discount.sync"))?.status).toBe("done");
  });
  // The store has the member discount the program asks for.
  expect(simulator.state.shop(SHOP).discounts.size).toBeGreaterThan(0);
});

it("dispatcher: a due message is decided and its decision logged", async () => {
  const customer = await db.customer.findFirstOrThrow({ where: { shop: SHOP } });
  await planMessages(
    SHOP,
    [{ customerShopifyId: customer.shopifyId, idempotencyKey: "jobs:welcome", source: "campaign", sourceId: "no-such-campaign", step: "send", channel: "email", messageClass: "marketing", priority: 1, variables: {}, plannedAt: clock.now(), expiresAt: new Date(NOW.getTime() + DAY) }],
    clock.now(),
  );
  expect(await statusOf("dispatcher")).toMatchObject({ due: 1 });
  await run("dispatcher", async () => expect((await db.message.findFirstOrThrow({ where: { shop: SHOP, idempotencyKey: "jobs:welcome" } })).status).not.toBe("scheduled"));
  const message = await db.message.findFirstOrThrow({ where: { shop: SHOP, idempotencyKey: "jobs:welcome" } });
  expect(await db.messageDecision.count({ where: { shop: SHOP, messageId: message.id, NOT: { decision: "planned" } } })).toBeGreaterThan(0);
  expect(await statusOf("dispatcher")).toMatchObject({ due: 0, running: 0 });
});

it("inbox-retention: a raw webhook body past the retention period goes", async () => {
  await storeInboxEvent({ shop: SHOP, webhookId: "jobs-old", topic: "customers/update", apiVersion: "2026-10", eventId: null, triggeredAt: null, body: "{}", receivedAt: new Date(NOW.getTime() - 90 * DAY) });
  await db.inboxEvent.updateMany({ where: { webhookId: "jobs-old" }, data: { status: "done", processedAt: new Date(NOW.getTime() - 90 * DAY) } });
  await run("inbox-retention", async () => expect(await db.inboxEvent.count({ where: { webhookId: "jobs-old" } })).toBe(0));
});

// Which shops are due is declared in the registry: `cli jobs status` counts
// them (at the process's clock), and a run does exactly those.
it("a daily job is due for each shop until its run, then again when the shop's own local day comes round; cli jobs status counts them", async () => {
  const east = "jobs-east.myshopify.com";
  await installTestShop(east, { ianaTimezone: "Asia/Tokyo" }, new Date(NOW.getTime() - 30 * DAY));
  const at = new ManualClock(NOW);
  installProcessClock(at);
  try {
    // 10:00 UTC on 3 November: neither shop has a list yet.
    expect(await statusOf("follow-ups")).toMatchObject({ dueShops: 2 });
    expect((await runJobNow("follow-ups", at.now())).map((run) => run.shop).sort()).toEqual([east, SHOP]);
    expect(await statusOf("follow-ups")).toMatchObject({ dueShops: 0 });
    expect(await runJobNow("follow-ups", at.now())).toEqual([]);
    // 15:30 UTC: already 4 November in Tokyo (00:30), still 3 November in UTC.
    at.advance(5.5 * 3_600_000);
    expect(await statusOf("follow-ups")).toMatchObject({ dueShops: 1 });
    expect((await runJobNow("follow-ups", at.now())).map((run) => run.shop)).toEqual([east]);
    // A queue job has no due shops of its own: its rows say what is due.
    expect(await statusOf("inbox")).toMatchObject({ dueShops: null });
  } finally {
    installProcessClock(null);
    await db.shop.updateMany({ where: { shop: east }, data: { uninstalledAt: NOW } });
  }
});

it("a shop that fails is logged and named, the other due shops still run, and a stopping runner leaves the rest due", async () => {
  const ran: string[] = [];
  const logged: string[] = [];
  let stopping = false;
  const job = {
    kind: "periodic" as const,
    name: "test-job",
    summary: "",
    intervalMs: DAY,
    due: "three shops",
    dueShops: async () => [{ shop: "a.myshopify.com" }, { shop: "b.myshopify.com" }, { shop: "c.myshopify.com" }],
    claim: async (due: { shop: string }) => due.shop !== "c.myshopify.com",
    runShop: async (due: { shop: string }) => {
      if (due.shop === "a.myshopify.com") throw new Error("database is locked");
      ran.push(due.shop);
      return due.shop;
    },
  };
  const ctx = { clock, log: (line: string) => logged.push(line), owner: "jobs-test", stopping: () => stopping };
  // c's claim is another process's: not run here, and not a failure.
  await expect(runDueShops(job, ctx)).rejects.toThrow("1 of 3 due shops failed; a.myshopify.com: database is locked");
  expect(ran).toEqual(["b.myshopify.com"]);
  expect(logged).toEqual(["test-job (a.myshopify.com): database is locked"]);

  ran.length = 0;
  job.runShop = async (due) => {
    ran.push(due.shop);
    stopping = true;
    return due.shop;
  };
  expect(await runDueShops(job, ctx)).toEqual([{ shop: "a.myshopify.com", result: "a.myshopify.com" }]);
  expect(ran).toEqual(["a.myshopify.com"]);
});

// The sweeps: each runs through the runner on the shop seeded above (members,
// orders, a tier program) and its run is recorded as finished without error.
const periodic = JOBS.filter((job) => job.kind === "periodic").map((job) => job.name);
it.each(periodic)("%s: runs through the runner, and its run is recorded", async (name) => {
  const before = await statusOf(name);
  const logged = await run(name, async () => expect((await db.jobRun.findUnique({ where: { name } }))?.lastFinishedAt).toBeTruthy());
  expect(logged).toEqual([]);
  const after = await statusOf(name);
  // Never run before (inbox-retention ran above): due. Afterwards, its last run is this one.
  if (name !== "inbox-retention") expect(before).toMatchObject({ due: 1, lastRunAt: null });
  expect(after).toMatchObject({ running: 0, failed: 0, lastError: null, lastRunAt: NOW.toISOString() });
});

it("records a failed periodic run with its reason, and clears the failures after the next success", async () => {
  const { recordRunFinished, recordRunStarted } = await import("~/jobs/job-runs.server");
  await recordRunStarted("anomalies", "other-worker", NOW);
  expect(await statusOf("anomalies")).toMatchObject({ running: 1 });
  await recordRunFinished("anomalies", "other-worker", NOW, "database is locked");
  expect(await statusOf("anomalies")).toMatchObject({ running: 0, failed: 1, lastError: "database is locked" });
  await run("anomalies", async () => expect((await db.jobRun.findUnique({ where: { name: "anomalies" } }))?.failures).toBe(0));
  expect(await statusOf("anomalies")).toMatchObject({ failed: 0, lastError: "database is locked" });
});

it("docs/operations.md lists exactly the registered jobs, each periodic one with the shops its entry declares due", () => {
  const doc = fs.readFileSync("docs/operations.md", "utf8");
  const section = doc.slice(doc.indexOf("## Background jobs"));
  const end = section.indexOf("\n## ", 3);
  const rows = [...(end > 0 ? section.slice(0, end) : section).matchAll(/^\| `([a-z-]+)` \|(.*)\|$/gm)].map((match) => ({ name: match[1], cells: match[2].split(" | ").map((cell) => cell.trim()) }));
  expect(rows.map((row) => row.name).sort()).toEqual(JOBS.map((job) => job.name).sort());
  const documented = Object.fromEntries(rows.map((row) => [row.name, row.cells.at(-1)]));
  for (const job of JOBS) if (job.kind === "periodic") expect(documented[job.name], job.name).toBe(job.due);
});
