/**
 * The clock is injected: services take one, the simulator and tests move it
 * instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

/**
 * Where a process may install its own clock for everything that reads the
 * system clock: the demo replays 90 days on a clock it moves, and its web
 * server (the built app, loaded as separate modules in the same process) must
 * stamp webhooks on that clock too. A global symbol, so only code inside the
 * process can set it: no setting or request can move a server's clock.
 */
const PROCESS_CLOCK = Symbol.for("membercare.processClock");
type WithProcessClock = typeof globalThis & { [PROCESS_CLOCK]?: Clock };

export const systemClock: Clock = { now: () => (globalThis as WithProcessClock)[PROCESS_CLOCK]?.now() ?? new Date() };

/** Makes `clock` the process's clock (null: the real one again). */
export function installProcessClock(clock: Clock | null): void {
  if (clock) (globalThis as WithProcessClock)[PROCESS_CLOCK] = clock;
  else delete (globalThis as WithProcessClock)[PROCESS_CLOCK];
}

/** A clock tests and the demo move by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
