/**
 * Every background job, declared once (issue 19). The web process on the
 * embedded default, `npm run worker`, `cli jobs status`, docs/operations.md
 * (held to this list by tests/jobs.test.ts) and the test that runs every job
 * all read this list. Adding a job is adding an entry here.
 *
 * - queue jobs work the rows of a table described to the one leased queue
 *   (app/jobs/queue.server.ts); the table says what is due.
 * - periodic jobs run every `intervalMs`; each finds the shops it is due for
 *   itself (`due` says how) and claims a shop's run where two processes could
 *   otherwise both do it. Their last runs are kept in JobRun.
 */
import os from "node:os";
import type { Channel } from "~/domain/care/types";
import { env } from "~/env.server";
import { INBOX_QUEUE } from "~/models/inbox.server";
import { MESSAGE_QUEUE } from "~/models/message-dispatch.server";
import { OUTBOX_QUEUE } from "~/models/outbox.server";
import { detectAllAnomalies } from "~/services/anomalies.server";
import { advanceAllCampaigns } from "~/services/campaigns.server";
import { planCareForAllShops } from "~/services/care-planner.server";
import { channelsFromEnv, closeChannels } from "~/services/channels/index.server";
import type { AdminClientFor } from "~/services/admin-client.server";
import type { ChannelSender } from "~/services/channels/types";
import type { Clock } from "~/services/clock.server";
import { dispatchDue } from "~/services/dispatcher.server";
import { generateDueFollowUps } from "~/services/follow-ups.server";
import { drainInboxBatch, inboxSignal } from "~/services/inbox-worker.server";
import { classifyDueShops } from "~/services/intelligence.server";
import { sweepExpiredCodes } from "~/services/offer-codes.server";
import { offlineAdmin } from "~/services/offline-admin.server";
import { drainOutboxBatch } from "~/services/outbox-worker.server";
import { purgeOldWebhookBodies } from "~/services/retention.server";
import type { LaneHooks } from "~/services/shop-lanes.server";
import { shopConcurrency } from "~/services/shop-lanes.server";
import { sweepDueShops } from "~/services/tiers.server";
import type { QueueTable } from "./queue.server";
import type { Log } from "./runner.server";

export interface JobContext {
  clock: Clock;
  log: Log;
  /** This process, as lease owners and JobRun.runningOwner name it. */
  owner: string;
  /** True once the runner is stopping: a long pass may end early and give back what it did not get to. */
  stopping(): boolean;
  /** The shops' Admin clients (default: their offline sessions). */
  adminFor?: AdminClientFor;
  /** The dispatcher's channels (default: from the environment). */
  channels?: Record<Channel, ChannelSender>;
}

interface JobBase {
  /** Unique; the name `cli jobs status` and docs/operations.md use. */
  name: string;
  /** One line for operators. */
  summary: string;
}

export interface QueueJob extends JobBase {
  kind: "queue";
  table: QueueTable;
  /** How long an idle loop waits before looking again (sooner when woken). */
  idleMs: number;
  /** Shops side by side (issue 18's shop lanes): how many passes may run at once; 1 for one pass after another. */
  maxPasses(): number;
  wake?: { emitter: import("node:events").EventEmitter; event: string };
  /** What the job needs while it runs (channels, clients): its pass, and what to close at stop. */
  open(ctx: JobContext): { pass(hooks: LaneHooks): Promise<{ claimed: number }>; close?(): void };
}

export interface PeriodicJob extends JobBase {
  kind: "periodic";
  intervalMs: number;
  /** Which shops a run does work for. */
  due: string;
  run(ctx: JobContext): Promise<unknown>;
}

export type Job = QueueJob | PeriodicJob;

const MINUTE = 60_000;

export const JOBS: readonly Job[] = [
  {
    kind: "queue",
    name: "inbox",
    summary: "Projects stored webhooks (orders, refunds, customers, compliance topics) into the shop's data.",
    table: INBOX_QUEUE,
    idleMs: 1_000,
    // Projection order matters (a refund after its order): one pass at a time per process.
    maxPasses: () => 1,
    wake: { emitter: inboxSignal, event: "stored" },
    open: (ctx) => {
      const config = env();
      const options = { clock: ctx.clock, log: ctx.log, owner: ctx.owner, batchSize: config.WORKER_BATCH_SIZE, leaseMs: config.WORKER_LEASE_SECONDS * 1000, maxAttempts: config.WORKER_MAX_ATTEMPTS };
      return { pass: () => drainInboxBatch(options) };
    },
  },
  {
    kind: "queue",
    name: "outbox",
    summary: "Writes recorded effects to Shopify (membership values and tags, segments, the member discount, history imports, codes, gift notes, unsubscribes).",
    table: OUTBOX_QUEUE,
    idleMs: 1_000,
    maxPasses: () => shopConcurrency(),
    open: (ctx) => ({ pass: (hooks) => drainOutboxBatch({ adminFor: ctx.adminFor ?? offlineAdmin, clock: ctx.clock, log: ctx.log, owner: ctx.owner }, hooks) }),
  },
  {
    kind: "queue",
    name: "dispatcher",
    summary: "Decides and sends due care messages and campaigns under the contact policy (email, SMS, Shopify Flow).",
    table: MESSAGE_QUEUE,
    idleMs: 5_000,
    maxPasses: () => shopConcurrency(),
    open: (ctx) => {
      const channels = ctx.channels ?? channelsFromEnv();
      return {
        pass: (hooks) => dispatchDue(ctx.clock.now(), { channels, clock: ctx.clock, log: ctx.log, owner: ctx.owner, stopping: ctx.stopping }, hooks),
        close: ctx.channels ? undefined : closeChannels,
      };
    },
  },
  {
    kind: "periodic",
    name: "tier-sweep",
    summary: "Reviews memberships: downgrades and their warnings, tier changes waiting for their date.",
    intervalMs: 15 * MINUTE,
    due: "shops whose review period came round in their time zone, or with a pending tier change due",
    run: (ctx) => sweepDueShops(ctx.clock.now()),
  },
  {
    kind: "periodic",
    name: "intelligence",
    summary: "Classifies customers (RFM, value class, cadence, lifecycle) nightly.",
    intervalMs: 15 * MINUTE,
    due: "shops not yet classified today in their time zone (each shop's run is claimed)",
    run: (ctx) => classifyDueShops(ctx.clock.now()),
  },
  {
    kind: "periodic",
    name: "follow-ups",
    summary: "Builds each shop's daily follow-up list.",
    intervalMs: 15 * MINUTE,
    due: "shops without today's list in their time zone",
    run: (ctx) => generateDueFollowUps(ctx.clock.now()),
  },
  {
    kind: "periodic",
    name: "anomalies",
    summary: "Shipments in trouble: sweeps in-flight fulfillments for anomalies (a staff follow-up, the order's care messages paused, the customer's note).",
    intervalMs: 30 * MINUTE,
    due: "every installed shop (its in-flight fulfillments)",
    run: (ctx) => detectAllAnomalies(ctx.clock.now()),
  },
  {
    kind: "periodic",
    name: "campaigns",
    summary: "Moves campaigns along: scheduled to sending when their messages are due, sending to done when all are out.",
    intervalMs: MINUTE,
    due: "every installed shop with a scheduled or sending campaign",
    run: (ctx) => advanceAllCampaigns(ctx.clock.now()),
  },
  {
    kind: "periodic",
    name: "care-planner",
    summary: "Plans care flow messages from new events and the periodic flow sweep.",
    intervalMs: 5 * MINUTE,
    due: "every installed shop (new events since its last run; the flow sweep when its own period came round)",
    run: (ctx) => planCareForAllShops(ctx.clock.now(), ctx.log),
  },
  {
    kind: "periodic",
    name: "code-expiry",
    summary: "Asks for offer and reward codes that expired unused to be deactivated in Shopify (through the outbox).",
    intervalMs: 60 * MINUTE,
    due: "installed shops with codes past their end and not yet deactivated",
    run: (ctx) => sweepExpiredCodes(ctx.clock.now()),
  },
  {
    kind: "periodic",
    name: "inbox-retention",
    summary: "Purges raw webhook bodies older than INBOX_RETENTION_DAYS (the projections stay).",
    intervalMs: 60 * MINUTE,
    due: "every shop with processed webhooks past the retention period",
    run: (ctx) => purgeOldWebhookBodies(ctx.clock),
  },
];

export function jobNamed(name: string): Job {
  const job = JOBS.find((candidate) => candidate.name === name);
  if (!job) throw new Error(`no background job named ${name} (known: ${JOBS.map((known) => known.name).join(", ")})`);
  return job;
}

export const processOwner = () => `${os.hostname()}:${process.pid}`;
