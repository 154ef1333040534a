import { randomUUID } from "node:crypto";
import os from "node:os";
import { claimEffects, completeEffect, failEffect, postponeEffect, type ClaimedEffect } from "~/models/outbox.server";
import type { AdminClientFor } from "./admin-client.server";
import { runBackfillPass } from "./backfill.server";
import type { Clock } from "./clock.server";
import { systemClock } from "./clock.server";
import { GIFT_NOTE, writeGiftNote } from "./gifts.server";
import { REWARD_CODE } from "./rewards.server";
import { errorReason, retryDelayMs } from "./inbox-worker.server";
import { syncMemberships, syncSegments } from "./membership-sync.server";
import { syncMemberDiscount } from "./member-discount.server";
import { CODE_DEACTIVATE, deactivateCodeEffect, settleCodeEffect } from "./offer-codes.server";
import type { PassResult } from "./paced-send.server";
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
  "backfill.run": async (effect, adminFor, now) => runBackfillPass(effect.shop, (JSON.parse(effect.payload) as { backfillId: string }).backfillId, await adminFor(effect.shop), now),
  [CONSENT_UNSUBSCRIBE]: async (effect, adminFor, now) => writeUnsubscribeToShopify(effect, await adminFor(effect.shop), now),
  [GIFT_NOTE]: async (effect, adminFor, now) => writeGiftNote(effect, await adminFor(effect.shop), now),
  // Staff rewards' codes and care messages' offer codes (issue 17) alike.
  [REWARD_CODE]: async (effect, adminFor, now) => settleCodeEffect(effect, await adminFor(effect.shop), now),
  [CODE_DEACTIVATE]: async (effect, adminFor, now) => deactivateCodeEffect(effect, await adminFor(effect.shop), now),
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
}

export interface OutboxDrainResult {
  claimed: number;
  done: number;
  postponed: number;
  failed: number;
}

export async function drainOutboxBatch(options: OutboxWorkerOptions): Promise<OutboxDrainResult> {
  const clock = options.clock ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 8;
  const now = clock.now();
  const effects = await claimEffects({
    claimToken: `${options.owner ?? `${os.hostname()}:${process.pid}`}:outbox:${randomUUID()}`,
    limit: options.batchSize ?? 10,
    now,
    leaseMs: options.leaseMs ?? 5 * 60_000,
  });
  const result: OutboxDrainResult = { claimed: effects.length, done: 0, postponed: 0, failed: 0 };
  for (const effect of effects) {
    const handler = HANDLERS[effect.kind];
    try {
      if (!handler) throw new Error(`no handler for outbox effect kind ${effect.kind}`);
      const pass = await handler(effect, options.adminFor, clock.now());
      if (pass.status === "done") {
        await completeEffect(effect, clock.now());
        result.done++;
      } else {
        await postponeEffect(effect, pass.at, { reason: pass.reason, countAttempt: false });
        result.postponed++;
      }
    } catch (error) {
      const reason = errorReason(error);
      options.log?.(`outbox ${effect.kind} for ${effect.shop}: ${reason}`);
      if (effect.attempts >= maxAttempts) {
        await failEffect(effect, reason, clock.now());
        result.failed++;
      } else {
        await postponeEffect(effect, new Date(clock.now().getTime() + retryDelayMs(effect.attempts)), { reason, countAttempt: true });
        result.postponed++;
      }
    }
  }
  return result;
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

export function startOutboxWorker(options: OutboxWorkerOptions) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const loop = () => {
    running = drainOutboxBatch(options)
      .catch((error) => options.log?.(`outbox worker: ${errorReason(error)}`))
      .then((result) => {
        if (stopped) return;
        const busy = result && result.claimed > 0;
        timer = setTimeout(loop, busy ? 0 : (options.idleMs ?? 1000));
      });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
