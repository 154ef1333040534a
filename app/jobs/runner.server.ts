/**
 * The one runner loop of the background jobs (issue 19): every job of the
 * registry (app/jobs/registry.server.ts) runs through it, in whichever
 * process runs the jobs.
 *
 * Queue jobs (inbox, outbox, dispatcher): a pass whenever the last one found
 * work, a shop's lane came free, or a wake-up came (the ingest route's
 * inboxSignal), else every `idleMs`. With shop lanes (issue 18,
 * app/services/shop-lanes.server.ts) up to `maxPasses` passes run at once,
 * each claiming none of the shops the others still run, so a hung shop
 * delays only its own work; without, one pass at a time.
 *
 * Periodic jobs (sweeps): run at start, then every interval; a run still
 * going when the next is due makes that tick skip (it would only queue
 * behind it); a failed run is logged and the next runs as usual.
 *
 * Either: `stop()` waits for the passes or the run under way.
 */
import type { EventEmitter } from "node:events";
import type { LaneHooks } from "~/services/shop-lanes.server";

export type Log = (message: string) => void;
export interface Running {
  stop(): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface QueueLoopOptions {
  name: string;
  /** One pass: claim, work, settle. Lane hooks tell it which shops to leave alone and are told what it claimed. */
  pass(hooks: LaneHooks): Promise<{ claimed: number }>;
  /** Passes running at once at most (each holds at least one shop); 1: one pass after another. */
  maxPasses: number;
  idleMs: number;
  /** A wake-up that ends an idle wait at once (e.g. a webhook stored by this process). */
  wake?: { emitter: EventEmitter; event: string };
  log?: Log;
}

export function startQueueLoop({ pass, maxPasses, idleMs, wake, log, name }: QueueLoopOptions): Running {
  const busy = new Set<string>();
  const running = new Set<Promise<void>>();
  let claiming = false;
  let stopped = false;
  // A wake-up that came while a pass ran: that pass may have claimed before the new row was there.
  let woken = false;
  let idle: NodeJS.Timeout | undefined;

  const start = () => {
    // One claim at a time, so no two passes claim the same shop's rows.
    if (stopped || claiming || running.size >= maxPasses) return;
    clearTimeout(idle);
    idle = undefined;
    woken = false;
    claiming = true;
    let told = false;
    const mine = new Set<string>();
    const hooks: LaneHooks = {
      excludeShops: [...busy],
      claimed(shops) {
        told = true;
        for (const shop of shops) {
          busy.add(shop);
          mine.add(shop);
        }
        claiming = false;
        // The next pass may claim other shops' work while this one runs.
        if (shops.length > 0) queueMicrotask(start);
      },
      settled(shop) {
        if (mine.delete(shop)) busy.delete(shop);
        queueMicrotask(start);
      },
    };
    const current: Promise<void> = Promise.resolve()
      .then(() => pass(hooks))
      .then(
        (result) => result.claimed,
        (error: unknown) => {
          log?.(`${name}: ${message(error)}`);
          return 0;
        },
      )
      .then((claimed) => {
        if (!told) claiming = false;
        // A pass that failed midway frees its shops all the same.
        for (const shop of mine) busy.delete(shop);
        running.delete(current);
        if (stopped) return;
        if (claimed > 0 || woken) start();
        else if (!idle) idle = setTimeout(start, idleMs);
      });
    running.add(current);
  };
  // Woken while idle: look now rather than at the end of the wait; while a pass runs: look again after it.
  const onWake = () => {
    if (idle) start();
    else woken = true;
  };
  wake?.emitter.on(wake.event, onWake);
  start();
  return {
    async stop() {
      stopped = true;
      clearTimeout(idle);
      wake?.emitter.off(wake.event, onWake);
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

export interface PeriodicHooks {
  /** Told when a run starts and how it ended (the registry's runner records them in JobRun). */
  started?(): Promise<void> | void;
  finished?(error: unknown | null): Promise<void> | void;
}

export function startPeriodic(name: string, intervalMs: number, run: () => Promise<unknown>, log?: Log, hooks: PeriodicHooks = {}): Running {
  let running: Promise<void> | null = null;
  // Recording a run must never stop the job: a failure to record is logged.
  const tell = async (what: (() => Promise<void> | void) | undefined) => {
    if (!what) return;
    try {
      await what();
    } catch (error) {
      log?.(`${name}: could not record the run: ${message(error)}`);
    }
  };
  const tick = () => {
    if (running) return;
    running = (async () => {
      // Without hooks the run starts in this tick (no await before it).
      if (hooks.started) await tell(hooks.started);
      let failure: unknown | null = null;
      try {
        await run();
      } catch (error) {
        failure = error;
        log?.(`${name}: ${message(error)}`);
      }
      if (hooks.finished) await tell(() => hooks.finished!(failure));
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
