import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import os from "node:os";
import { PayloadError } from "~/domain/webhook-payloads";
import { claimInboxEvents, completeInboxEvent, completeInboxEvents, failInboxEvent, type InboxCompletion } from "~/models/inbox.server";
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
}

export interface DrainResult {
  claimed: number;
  done: number;
  skipped: number;
  retried: number;
  failed: number;
}

/** In-process wake-up: the ingest route signals it after storing a webhook. */
export const inboxSignal = new EventEmitter();
inboxSignal.setMaxListeners(0);

export function retryDelayMs(attempt: number): number {
  return Math.min(2_000 * 4 ** (attempt - 1), 15 * 60_000);
}

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
  const events = await claimInboxEvents({
    claimToken: `${owner}:${++claimCounter}:${randomUUID().slice(0, 8)}`,
    limit: options.batchSize ?? 100,
    now,
    leaseMs: options.leaseMs ?? 60_000,
  });
  const result: DrainResult = { claimed: events.length, done: 0, skipped: 0, retried: 0, failed: 0 };
  if (events.length === 0) return result;
  const claimToken = events[0].leaseOwner;
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
    const retry = !permanent && event.attempts < maxAttempts;
    await failInboxEvent(event, {
      reason: permanent ? reason : `${reason} (attempt ${event.attempts} of ${maxAttempts})`,
      retryAt: retry ? new Date(now.getTime() + retryDelayMs(event.attempts)) : null,
      now,
    });
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

/** Drains until no row is due (tests, the ops CLI and the demo use this). */
export async function drainInbox(options: InboxWorkerOptions = {}): Promise<DrainResult> {
  const total: DrainResult = { claimed: 0, done: 0, skipped: 0, retried: 0, failed: 0 };
  for (;;) {
    const batch = await drainInboxBatch(options);
    for (const key of Object.keys(total) as Array<keyof DrainResult>) total[key] += batch[key];
    if (batch.claimed === 0) return total;
  }
}

/** The long-running worker loop; `stop()` finishes the current batch and resolves. */
export function startInboxWorker(options: InboxWorkerOptions = {}): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | null = null;
  const onSignal = () => wake?.();
  inboxSignal.on("stored", onSignal);
  const idleMs = options.idleMs ?? 1_000;

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = (await drainInboxBatch(options)).claimed;
      } catch (error) {
        options.log?.(`inbox worker: ${(error as Error).message}`);
      }
      if (claimed === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      inboxSignal.off("stored", onSignal);
      await loop;
    },
  };
}
