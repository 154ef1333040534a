import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import os from "node:os";
import { PayloadError } from "~/domain/webhook-payloads";
import { claimInboxEvents, completeInboxEvent, failInboxEvent } from "~/models/inbox.server";
import type { Clock } from "./clock.server";
import { systemClock } from "./clock.server";
import { applyInboxEvent, refreshMemberFacts, type ProjectionOutcome } from "./projectors.server";

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
  const applied: Array<{ event: (typeof events)[number]; outcome: ProjectionOutcome }> = [];
  for (const event of events) {
    const startedAt = clock.now();
    try {
      applied.push({ event, outcome: await applyInboxEvent(event, startedAt) });
    } catch (error) {
      const permanent = error instanceof PayloadError;
      const reason = errorReason(error);
      const retry = !permanent && event.attempts < maxAttempts;
      await failInboxEvent(event, {
        reason: permanent ? reason : `${reason} (attempt ${event.attempts} of ${maxAttempts})`,
        retryAt: retry ? new Date(startedAt.getTime() + retryDelayMs(event.attempts)) : null,
        now: startedAt,
      });
      result[retry ? "retried" : "failed"]++;
      options.log?.(`inbox ${event.id} ${event.topic} ${retry ? "will retry" : "failed"}: ${reason}`);
    }
  }
  // Member facts are derived from stored rows, so they are recomputed once per
  // customer per batch, before the events are marked done: a crash in between
  // leaves the events claimed, and they are re-applied (idempotently) after the lease.
  const factsChanged = new Map<string, Set<string>>();
  for (const { event, outcome } of applied) {
    const customers = factsChanged.get(event.shop) ?? new Set<string>();
    outcome.factsChanged?.forEach((id) => customers.add(id));
    factsChanged.set(event.shop, customers);
  }
  for (const [shop, customers] of factsChanged) await refreshMemberFacts(shop, customers, clock.now());
  for (const { event, outcome } of applied) {
    await completeInboxEvent(event, { ...outcome, now: clock.now() });
    result[outcome.status === "done" ? "done" : "skipped"]++;
  }
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
