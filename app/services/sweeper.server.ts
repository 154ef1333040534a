// The periodic background jobs (tier sweep, classification, follow-ups,
// anomalies, care planning, campaigns) share one loop: run now, then every
// interval; a run still going when the next is due makes that tick skip (it
// would only queue behind it); a failed run is logged and the next runs as
// usual; stop waits for the run in progress.
import type { Clock } from "./clock.server";

export interface SweeperOptions {
  clock: Clock;
  intervalMs?: number;
  log?: (message: string) => void;
}

export function startSweeper(name: string, intervalMs: number, sweep: () => Promise<unknown>, log?: (message: string) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = sweep()
      .then(
        () => undefined,
        (error: unknown) => log?.(`${name}: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
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
