/**
 * Fairness between shops for the workers that call out on a shop's behalf
 * (the outbox, the dispatcher; issue 18): one slow or hung shop delays only
 * its own work.
 *
 * - Within a pass, the claimed rows are grouped by shop and the shops run
 *   side by side, at most `concurrency` at once; each shop's rows keep their
 *   order (a shop's effects and a customer's messages are sequential).
 * - Between passes, the background loop (startQueueLoop in
 *   app/jobs/runner.server.ts) does not wait for a pass stuck on one shop: as soon as the pass has claimed, or any of its shops is done, the
 *   next pass may start, and it claims no work of a shop still running
 *   (`excludeShops`), so a hung shop's later rows stay unclaimed and unleased
 *   until its lane is free.
 *
 * Every call out has a deadline (call-deadlines.server.ts), so a lane ends.
 * Leases are unchanged: a row is run only under its claim's lease, whichever
 * pass holds it.
 */
import { env } from "~/env.server";

export const shopConcurrency = () => env().WORKER_SHOP_CONCURRENCY;

/** Runs each shop's items through `run`, up to `concurrency` shops at once; resolves when every shop is done. */
export async function forEachShop<T extends { shop: string }>(items: T[], concurrency: number, run: (shop: string, items: T[]) => Promise<void>): Promise<void> {
  const byShop = new Map<string, T[]>();
  for (const item of items) {
    const list = byShop.get(item.shop);
    if (list) list.push(item);
    else byShop.set(item.shop, [item]);
  }
  const queue = [...byShop];
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await run(next[0], next[1]);
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, lane));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
}

/** What a pass is told by the loop, and tells it back. */
export interface LaneHooks {
  /** Shops another pass is still running: claim none of their work. */
  excludeShops: string[];
  /** Called once, right after the claim, with the shops claimed (empty when none). */
  claimed(shops: string[]): void;
  /** Called when a shop's part of the pass is over. */
  settled(shop: string): void;
}
