/**
 * Every background job, declared once (issue 19). The web process on the
 * embedded default, `npm run worker`, `cli jobs status`, docs/operations.md
 * (held to this list by tests/jobs.test.ts) and the test that runs every job
 * all read this list. Adding a job is adding an entry here.
 *
 * - queue jobs work the rows of a table described to the one leased queue
 *   (app/jobs/queue.server.ts); the table says what is due.
 * - periodic jobs run every `intervalMs` and declare which shops are due
 *   (`dueShops`, most through the shared declarations of due-shops.server.ts),
 *   how a shop's run is claimed where two processes could otherwise both do
 *   it, and the shop's work (`runShop`); the runner does the rest
 *   (start.server.ts). Their last runs are kept in JobRun.
 */
import os from "node:os";
import type { Channel } from "~/domain/care/types";
import { localDate } from "~/domain/local-time";
import { sweepDue } from "~/domain/tiers";
import { env } from "~/env.server";
import { claimFollowUpRun, listShopsForFollowUps } from "~/models/follow-ups.server";
import { INBOX_QUEUE } from "~/models/inbox.server";
import { shopsDueForLocations } from "~/models/shop-locations.server";
import { claimClassification, listShopsForClassification } from "~/models/intelligence.server";
import { MESSAGE_QUEUE } from "~/models/message-dispatch.server";
import { OUTBOX_QUEUE } from "~/models/outbox.server";
import { claimSweep, listTierPrograms } from "~/models/tiers.server";
import type { AdminClientFor } from "~/services/admin-client.server";
import { detectAnomalies } from "~/services/anomalies.server";
import { advanceCampaigns } from "~/services/campaigns.server";
import { planCare } from "~/services/care-planner.server";
import { channelsFromEnv, closeChannels } from "~/services/channels/index.server";
import type { ChannelSender } from "~/services/channels/types";
import type { Clock } from "~/services/clock.server";
import { dispatchDue } from "~/services/dispatcher.server";
import { generateFollowUps } from "~/services/follow-ups.server";
import { drainInboxBatch, inboxSignal } from "~/services/inbox-worker.server";
import { requestLocationsRefresh } from "~/services/locations.server";
import { classifyShop } from "~/services/intelligence.server";
import { expireUnusedCodes } from "~/services/offer-codes.server";
import { offlineAdmin } from "~/services/offline-admin.server";
import { drainOutboxBatch } from "~/services/outbox-worker.server";
import { purgeOldMessageWords, purgeOldWebhookBodies, shopsWithWebhookBodiesToPurge } from "~/services/retention.server";
import type { LaneHooks } from "~/services/shop-lanes.server";
import { shopConcurrency } from "~/services/shop-lanes.server";
import { sweepShop } from "~/services/tiers.server";
import { everyInstalledShop, onANewLocalDay, type DueDeclaration, type DueShop } from "./due-shops.server";
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

/**
 * A run every `intervalMs`: the runner asks which shops are due now
 * (`dueShops`, also what `cli jobs status` counts), takes each one's run with
 * `claim` where two processes could otherwise both do it (false: another has
 * it, or had it), and calls `runShop` for it, one shop after another.
 */
export interface PeriodicJob<D extends DueShop = DueShop> extends JobBase, DueDeclaration<D> {
  kind: "periodic";
  intervalMs: number;
  claim?(due: D, now: Date): Promise<boolean>;
  /** The shop's work (the service's per-shop function); `due` is the row the due query read. */
  runShop(due: D, now: Date, ctx: JobContext): Promise<unknown>;
}

export type Job = QueueJob | PeriodicJob;

/** Declares a periodic job; the row type of its due shops flows from `dueShops` to `claim` and `runShop`. */
const periodic = <D extends DueShop>(job: Omit<PeriodicJob<D>, "kind">): PeriodicJob<D> => ({ kind: "periodic", ...job });

const MINUTE = 60_000;

export const JOBS: readonly Job[] = [
  {
    kind: "queue",
    name: "inbox",
    summary: "Projects stored webhooks (orders, refunds, customers, compliance topics) into the shop's data.",
    table: INBOX_QUEUE,
    get idleMs() {
      return env().WORKER_IDLE_MS;
    },
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
  periodic({
    name: "tier-sweep",
    summary: "Reviews memberships: downgrades and their warnings, tier changes waiting for their date.",
    intervalMs: 15 * MINUTE,
    // The program's own period (daily at the shop's midnight, or once its calendar year ended), not a plain local day.
    due: "shops whose review period came round in their time zone, or with a pending tier change due",
    dueShops: async (now) => (await listTierPrograms()).filter(({ program, lastSweptAt, pendingFrom }) => sweepDue(program, lastSweptAt, now) || (pendingFrom !== null && pendingFrom <= now)),
    // Compare-and-set on the shop's last sweep time.
    claim: (due, now) => claimSweep(due.shop, due.lastSweptAt, now),
    runShop: (due, now) => sweepShop(due.shop, now),
  }),
  periodic({
    name: "intelligence",
    summary: "Classifies customers (RFM, value class, cadence, lifecycle) nightly.",
    intervalMs: 15 * MINUTE,
    // A classification asked for anew (settings changed, a history import) clears the shop's last run: due at once.
    ...onANewLocalDay("shops not yet classified on their local today", async () =>
      (await listShopsForClassification()).map((row) => ({ ...row, lastDay: row.classifiedAt && localDate(row.classifiedAt, row.timeZone) })),
    ),
    // Compare-and-set on the shop's last classification time.
    claim: (due, now) => claimClassification(due.shop, due.classifiedAt, now),
    runShop: (due, now) => classifyShop(due.shop, now),
  }),
  periodic({
    name: "follow-ups",
    summary: "Builds each shop's daily follow-up list.",
    intervalMs: 15 * MINUTE,
    ...onANewLocalDay("shops without their local today's list", listShopsForFollowUps),
    // The first claim of the shop's local day wins.
    claim: (due, now) => claimFollowUpRun(due.shop, localDate(now, due.timeZone), now),
    runShop: (due, now) => generateFollowUps(due.shop, now, undefined, due.timeZone),
  }),
  periodic({
    name: "anomalies",
    summary: "Shipments in trouble: sweeps in-flight fulfillments for anomalies (a staff follow-up, the order's care messages paused, the customer's note).",
    intervalMs: 30 * MINUTE,
    ...everyInstalledShop("its in-flight fulfillments"),
    // No claim: the sweep takes the shop's lock and opens an anomaly once.
    runShop: (due, now) => detectAnomalies(due.shop, now),
  }),
  periodic({
    name: "campaigns",
    summary: "Moves campaigns along: scheduled to sending when their messages are due, sending to done when all are out.",
    intervalMs: MINUTE,
    ...everyInstalledShop("its scheduled and sending campaigns"),
    // No claim: a campaign moves only from the status it was read in.
    runShop: (due, now) => advanceCampaigns(due.shop, now),
  }),
  periodic({
    name: "care-planner",
    summary: "Plans care flow messages from new events and the periodic flow sweep.",
    intervalMs: 5 * MINUTE,
    ...everyInstalledShop("new events since its last run; the flow sweep when its own period came round"),
    // No claim: two processes take turns on the shop's lock, and planning is idempotent.
    runShop: (due, now) => planCare(due.shop, now),
  }),
  periodic({
    name: "code-expiry",
    summary: "Asks for offer and reward codes that expired unused to be deactivated in Shopify (through the outbox).",
    intervalMs: 60 * MINUTE,
    ...everyInstalledShop("its codes past their end and not yet deactivated"),
    // No claim: a code is marked expiring only from issued, so its deactivation is asked once.
    runShop: (due, now) => expireUnusedCodes(due.shop, now),
  }),
  periodic({
    name: "locations",
    summary: "Asks Shopify for the shop's locations again (through the outbox), so the Staff page names its stores as the merchant renamed them.",
    intervalMs: 15 * MINUTE,
    due: "shops whose locations were last read before their local today, or whose POS orders since name a store not read yet",
    dueShops: shopsDueForLocations,
    // No claim: asking again for a refresh already asked for is one pending effect.
    runShop: (due, now) => requestLocationsRefresh(due.shop, now),
  }),
  periodic({
    name: "inbox-retention",
    summary: "Purges raw webhook bodies older than INBOX_RETENTION_DAYS (the projections stay).",
    intervalMs: 60 * MINUTE,
    due: "shops with processed webhooks past the retention period, and erased shops with any",
    dueShops: async (now) => (await shopsWithWebhookBodiesToPurge(now)).map((shop) => ({ shop })),
    // No claim: deleting what is already gone deletes nothing.
    runShop: (due, now) => purgeOldWebhookBodies(due.shop, now),
  }),
  periodic({
    name: "message-words-retention",
    summary: "Blanks the words of messages sent more than MESSAGE_WORDS_RETENTION_DAYS ago (the messages and their results stay).",
    intervalMs: 60 * MINUTE,
    // One indexed UPDATE per shop finds the rows newly past the period (ADR 0032); a query across shops could not use the index.
    ...everyInstalledShop("its messages sent more than the retention period ago whose words are still kept"),
    // No claim: blanking what is already blank changes nothing.
    runShop: (due, now) => purgeOldMessageWords(due.shop, now),
  }),
];

export function jobNamed(name: string): Job {
  const job = JOBS.find((candidate) => candidate.name === name);
  if (!job) throw new Error(`no background job named ${name} (known: ${JOBS.map((known) => known.name).join(", ")})`);
  return job;
}

export const processOwner = () => `${os.hostname()}:${process.pid}`;
