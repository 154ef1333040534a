import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import os from "node:os";
import { PayloadError } from "~/domain/webhook-payloads";
import { backoffMs } from "~/jobs/queue.server";
import { startQueueLoop } from "~/jobs/runner.server";
import { claimInboxEvents, completeInboxEvent, completeInboxEvents, failInboxEvent, postponeInboxEvent, type ClaimedInboxEvent, type InboxCompletion } from "~/models/inbox.server";
import { installedAmong } from "~/models/shops.server";
import type { Clock } from "./clock.server";
import { systemClock } from "./clock.server";
import { applyInboxBatch, refreshMembers, type BatchResult } from "./projectors.server";

/**
 * The inbox worker: claims due rows with a lease, projects each, and records the
 * outcome. A payload the projector cannot use (PayloadError) fails at once with
 * its reason; anything else (a locked database, a bug fixed by a deploy) is
 * retried with exponential backoff, then marked failed with the last reason.
 * Failed rows stay in the inbox, visible and re-processable.
 */
export interface InboxWorkerOptions {
  clock?: Clock;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** How long an idle worker waits before looking again (woken earlier by new webhooks in-process). */
  idleMs?: number;
  owner?: string;
  log?: (message: string) => void;
  /** How long a webhook of a shop that is not installed waits for its install to be recorded (default INSTALL_HOLD_MS). */
  installHoldMs?: number;
}

export interface DrainResult {
  claimed: number;
  done: number;
  skipped: number;
  retried: number;
  failed: number;
  /** Rows of shops not installed (yet), put back to wait for the install (issue 18). */
  held: number;
}

/** In-process wake-up: the ingest route signals it after storing a webhook. */
export const inboxSignal = new EventEmitter();
inboxSignal.setMaxListeners(0);

/** The job queue's one back-off policy (app/jobs/queue.server.ts), by the name the tests and the outbox know. */
export const retryDelayMs = backoffMs;

/**
 * A reason a merchant or an operator can read. Prisma prefixes its messages with
 * the call site over several lines; the cause is on the last one.
 */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n").map((line) => line.trim()).filter(Boolean);
  return (lines.at(-1) ?? "unknown error").slice(0, 1000);
}

let claimCounter = 0;

export async function drainInboxBatch(options: InboxWorkerOptions = {}): Promise<DrainResult> {
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? `${os.hostname()}:${process.pid}`;
  const maxAttempts = options.maxAttempts ?? 6;
  const now = clock.now();
  let events = await claimInboxEvents({
    claimToken: `${owner}:${++claimCounter}:${randomUUID().slice(0, 8)}`,
    limit: options.batchSize ?? 100,
    now,
    leaseMs: options.leaseMs ?? 60_000,
  });
  const result: DrainResult = { claimed: events.length, done: 0, skipped: 0, retried: 0, failed: 0, held: 0 };
  if (events.length === 0) return result;
  const claimToken = events[0].leaseOwner;
  const gate = await gateShopsNotInstalled(events, now, options.installHoldMs ?? INSTALL_HOLD_MS);
  result.held = gate.held;
  result.skipped += gate.purged;
  events = gate.project;
  if (events.length === 0) return result;
  let batch: BatchResult;
  try {
    batch = await applyInboxBatch(events, now);
  } catch (error) {
    // Nothing of the batch is known to be applied: every event tries again.
    batch = { outcomes: new Map(), failures: new Map(events.map((event) => [event.id, error])), factsChanged: new Map() };
  }

  for (const event of events) {
    if (!batch.failures.has(event.id)) continue;
    const error = batch.failures.get(event.id);
    const permanent = error instanceof PayloadError;
    const reason = errorReason(error);
    const retryAt = await failInboxEvent(event, {
      reason: permanent ? reason : `${reason} (attempt ${event.attempts} of ${maxAttempts})`,
      now,
      maxAttempts,
      permanent,
    });
    const retry = retryAt !== null;
    result[retry ? "retried" : "failed"]++;
    options.log?.(`inbox ${event.id} ${event.topic} ${retry ? "will retry" : "failed"}: ${reason}`);
  }

  // Member facts and tiers are derived from stored rows, so they are recomputed
  // once per customer per batch, before the events are marked done: a crash in between
  // leaves the events claimed, and they are re-applied (idempotently) after the lease.
  for (const [shop, customers] of batch.factsChanged) await refreshMembers(shop, customers, clock.now());

  const byShop = new Map<string, InboxCompletion[]>();
  for (const event of events) {
    const outcome = batch.outcomes.get(event.id);
    if (!outcome) continue;
    result[outcome.status === "done" ? "done" : "skipped"]++;
    if (outcome.scrubBody) {
      await completeInboxEvent(event, { ...outcome, now: clock.now() });
      continue;
    }
    const completion = { id: event.id, status: outcome.status, subjectCustomerId: outcome.subjectCustomerId, subjectOrderId: outcome.subjectOrderId, note: outcome.note };
    byShop.set(event.shop, [...(byShop.get(event.shop) ?? []), completion]);
  }
  for (const [shop, completions] of byShop) await completeInboxEvents(shop, claimToken, completions, clock.now());
  return result;
}

/**
 * Webhooks of shops that do not have the app installed (never installed,
 * uninstalled, or erased) are not turned into tenant data (issue 18): nothing
 * would ever erase it, since shop/redact has come or will not come. They were
 * acknowledged with 200 at receipt (Shopify must stop retrying; we cannot know
 * the shop there without a query on the hot path).
 *
 * Subscriptions declared in shopify.app.toml start at install, before the app
 * first loads and afterAuth records the Shop row, so an order may arrive a
 * moment before its shop is known: such rows wait (re-checked every
 * INSTALL_RECHECK_MS, without spending attempts) up to the hold, then their
 * body is discarded and the row is marked skipped with why. Nothing of a
 * just-installed shop is lost by that: the first install imports the shop's
 * history (requestBackfill in recordInstall).
 *
 * Always carried out, installed or not: app/uninstalled (it is what records
 * the uninstall) and the mandatory compliance topics (shop/redact arrives 48 h
 * after the uninstall; customers/redact and customers/data_request may come
 * for a shop that has left, and must still be honoured).
 */
export const INSTALL_HOLD_MS = 10 * 60_000;
const INSTALL_RECHECK_MS = 30_000;
const EVEN_IF_NOT_INSTALLED = new Set(["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"]);

async function gateShopsNotInstalled(
  events: ClaimedInboxEvent[],
  now: Date,
  holdMs: number,
): Promise<{ project: ClaimedInboxEvent[]; held: number; purged: number }> {
  const gated = events.filter((event) => !EVEN_IF_NOT_INSTALLED.has(event.topic));
  if (gated.length === 0) return { project: events, held: 0, purged: 0 };
  const installed = await installedAmong(gated.map((event) => event.shop));
  const project: ClaimedInboxEvent[] = [];
  let held = 0;
  let purged = 0;
  for (const event of events) {
    if (EVEN_IF_NOT_INSTALLED.has(event.topic) || installed.has(event.shop)) {
      project.push(event);
      continue;
    }
    const holdUntil = new Date(event.receivedAt).getTime() + holdMs;
    if (holdUntil > now.getTime()) {
      await postponeInboxEvent(event, {
        until: new Date(Math.min(holdUntil, now.getTime() + INSTALL_RECHECK_MS)),
        note: "the shop does not have the app installed (yet): waiting for its install",
      });
      held++;
    } else {
      await completeInboxEvent(event, {
        status: "skipped",
        now,
        note: "the shop does not have the app installed: acknowledged, not projected, body discarded",
        scrubBody: true,
      });
      purged++;
    }
  }
  return { project, held, purged };
}

/** Drains until no row is due (tests, the ops CLI and the demo use this). */
export async function drainInbox(options: InboxWorkerOptions = {}): Promise<DrainResult> {
  const total: DrainResult = { claimed: 0, done: 0, skipped: 0, retried: 0, failed: 0, held: 0 };
  for (;;) {
    const batch = await drainInboxBatch(options);
    for (const key of Object.keys(total) as Array<keyof DrainResult>) total[key] += batch[key];
    if (batch.claimed === 0) return total;
  }
}

/** The inbox job on its own through the one runner (tests; processes start it from the registry). `stop()` finishes the current batch. */
export function startInboxWorker(options: InboxWorkerOptions = {}): { stop(): Promise<void> } {
  return startQueueLoop({
    name: "inbox worker",
    pass: () => drainInboxBatch(options),
    maxPasses: 1,
    idleMs: options.idleMs ?? 1_000,
    wake: { emitter: inboxSignal, event: "stored" },
    log: options.log,
  });
}
