import { randomUUID } from "node:crypto";
import os from "node:os";
import { claimEffects, completeEffect, failEffect, postponeEffect, type ClaimedEffect } from "~/models/outbox.server";
import type { AdminClientFor } from "./admin-client.server";
import { runBackfillPass } from "./backfill.server";
import type { Clock } from "./clock.server";
import { systemClock } from "./clock.server";
import { GIFT_NOTE, writeGiftNote } from "./gifts.server";
import { LOCATIONS_REFRESH, refreshLocations } from "./locations.server";
import { REWARD_CODE } from "./rewards.server";
import { isTimeout } from "./call-deadlines.server";
import { errorReason } from "./inbox-worker.server";
import { syncMemberships, syncSegments } from "./membership-sync.server";
import { syncMemberDiscount } from "./member-discount.server";
import { CODE_DEACTIVATE, deactivateCodeEffect, settleCodeEffect } from "./offer-codes.server";
import type { PassResult } from "./paced-send.server";
import { PROGRAM_PUBLISH, publishProgram } from "./program-publish.server";
import { startQueueLoop } from "~/jobs/runner.server";
import { forEachShop, shopConcurrency, type LaneHooks } from "./shop-lanes.server";
import { CONSENT_UNSUBSCRIBE, writeUnsubscribeToShopify } from "./unsubscribe.server";

/**
 * The outbox worker: claims due effects with a lease and runs each through its
 * handler. A handler that must wait (Shopify's throttle) or has more to do
 * puts the effect off without spending an attempt; an error is retried with
 * back-off and, after the last attempt, kept as failed with its reason.
 */
type Handler = (effect: ClaimedEffect, adminFor: AdminClientFor, now: Date) => Promise<PassResult>;

const HANDLERS: Record<string, Handler> = {
  "membership.sync": async (effect, adminFor, now) => syncMemberships(effect.shop, await adminFor(effect.shop), now),
  "segments.sync": async (effect, adminFor, now) => syncSegments(effect.shop, await adminFor(effect.shop), now),
  "discount.sync": async (effect, adminFor, now) => syncMemberDiscount(effect.shop, await adminFor(effect.shop), now),
  [PROGRAM_PUBLISH]: async (effect, adminFor, now) => publishProgram(effect.shop, await adminFor(effect.shop), now),
  "backfill.run": async (effect, adminFor, now) => runBackfillPass(effect.shop, (JSON.parse(effect.payload) as { backfillId: string }).backfillId, await adminFor(effect.shop), now),
  [CONSENT_UNSUBSCRIBE]: async (effect, adminFor, now) => writeUnsubscribeToShopify(effect, await adminFor(effect.shop), now),
  [GIFT_NOTE]: async (effect, adminFor, now) => writeGiftNote(effect, await adminFor(effect.shop), now),
  // Staff rewards' codes and care messages' offer codes (issue 17) alike.
  [REWARD_CODE]: async (effect, adminFor, now) => settleCodeEffect(effect, await adminFor(effect.shop), now),
  [CODE_DEACTIVATE]: async (effect, adminFor, now) => deactivateCodeEffect(effect, await adminFor(effect.shop), now),
  // The shop's stores by name (issue 21).
  [LOCATIONS_REFRESH]: async (effect, adminFor, now) => refreshLocations(effect.shop, await adminFor(effect.shop), now),
};

export interface OutboxWorkerOptions {
  adminFor: AdminClientFor;
  clock?: Clock;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  idleMs?: number;
  owner?: string;
  log?: (message: string) => void;
  /** Shops run side by side in a pass (default WORKER_SHOP_CONCURRENCY). */
  shopConcurrency?: number;
}

export interface OutboxDrainResult {
  claimed: number;
  done: number;
  postponed: number;
  failed: number;
}

/**
 * One pass: claims due effects (none of `lanes.excludeShops`), then runs them
 * shop by shop, shops side by side (shop-lanes.server.ts), so a shop whose
 * calls hang holds up only its own effects. Within a shop, effects run in
 * their order; after one of its calls timed out, the shop's other effects of
 * this pass are not tried: they wait with it for the retry, no attempt spent,
 * instead of each waiting out the same deadline.
 */
export async function drainOutboxBatch(options: OutboxWorkerOptions, lanes?: LaneHooks): Promise<OutboxDrainResult> {
  const clock = options.clock ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 8;
  const now = clock.now();
  let effects: ClaimedEffect[];
  try {
    effects = await claimEffects({
      claimToken: `${options.owner ?? `${os.hostname()}:${process.pid}`}:outbox:${randomUUID()}`,
      limit: options.batchSize ?? 10,
      now,
      leaseMs: options.leaseMs ?? 5 * 60_000,
      excludeShops: lanes?.excludeShops,
    });
  } catch (error) {
    // Told even when the claim failed, so the loop may claim again.
    lanes?.claimed([]);
    throw error;
  }
  return runClaimed(effects, options, clock, maxAttempts, lanes);
}

async function runClaimed(effects: ClaimedEffect[], options: OutboxWorkerOptions, clock: Clock, maxAttempts: number, lanes?: LaneHooks): Promise<OutboxDrainResult> {
  const result: OutboxDrainResult = { claimed: effects.length, done: 0, postponed: 0, failed: 0 };
  lanes?.claimed([...new Set(effects.map((effect) => effect.shop))]);
  await forEachShop(effects, options.shopConcurrency ?? shopConcurrency(), async (shop, shopEffects) => {
    try {
      let timedOut: { at: Date; reason: string } | null = null;
      for (const effect of shopEffects) {
        if (timedOut) {
          await postponeEffect(effect, timedOut.at, { reason: `not tried: ${timedOut.reason}`, countAttempt: false });
          result.postponed++;
          continue;
        }
        const outcome = await runEffect(effect, options, clock, maxAttempts);
        result[outcome.status]++;
        if (outcome.status === "postponed" && outcome.timedOut) timedOut = { at: outcome.retryAt!, reason: outcome.reason! };
      }
    } finally {
      lanes?.settled(shop);
    }
  });
  return result;
}

type EffectOutcome = { status: "done" | "failed" } | { status: "postponed"; timedOut?: boolean; retryAt?: Date; reason?: string };

async function runEffect(effect: ClaimedEffect, options: OutboxWorkerOptions, clock: Clock, maxAttempts: number): Promise<EffectOutcome> {
  const handler = HANDLERS[effect.kind];
  try {
    if (!handler) throw new Error(`no handler for outbox effect kind ${effect.kind}`);
    const pass = await handler(effect, options.adminFor, clock.now());
    if (pass.status === "done") {
      await completeEffect(effect, clock.now());
      return { status: "done" };
    }
    await postponeEffect(effect, pass.at, { reason: pass.reason, countAttempt: false });
    return { status: "postponed" };
  } catch (error) {
    // A call that timed out is transient like any other: the same back-off, the reason says so.
    const reason = errorReason(error);
    options.log?.(`outbox ${effect.kind} for ${effect.shop}: ${reason}`);
    const retryAt = await failEffect(effect, reason, clock.now(), maxAttempts);
    if (!retryAt) return { status: "failed" };
    return { status: "postponed", timedOut: isTimeout(error), retryAt, reason };
  }
}

/** Drains until nothing is due now (tests and the demo; effects put off to later stay put off). */
export async function drainOutbox(options: OutboxWorkerOptions): Promise<OutboxDrainResult> {
  const total: OutboxDrainResult = { claimed: 0, done: 0, postponed: 0, failed: 0 };
  for (let rounds = 0; rounds < 1000; rounds++) {
    const batch = await drainOutboxBatch(options);
    for (const key of Object.keys(total) as Array<keyof OutboxDrainResult>) total[key] += batch[key];
    if (batch.claimed === 0) return total;
  }
  return total;
}

/**
 * The outbox on its own through the one runner (tests; processes start it
 * from the registry): a pass stuck on one shop does not hold back the next
 * pass, which leaves that shop's effects alone.
 */
export function startOutboxWorker(options: OutboxWorkerOptions) {
  const concurrency = options.shopConcurrency ?? shopConcurrency();
  return startQueueLoop({
    name: "outbox worker",
    pass: (lanes) => drainOutboxBatch(options, lanes),
    maxPasses: concurrency,
    idleMs: options.idleMs ?? 1000,
    log: options.log,
  });
}
