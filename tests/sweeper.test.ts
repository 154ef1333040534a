// The background jobs' shared loop: runs at once and on every interval, never
// two runs at a time (a tick during a slow run is skipped, not queued), a
// failure logged with the job's name and the next run as usual, and stop
// waiting for the run in progress.
import { startPeriodic as startSweeper } from "~/jobs/runner.server";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it("runs now and every interval, one run at a time, logging failures and going on", async () => {
  const log: string[] = [];
  let runs = 0;
  let release: (() => void) | null = null;
  const sweeper = startSweeper(
    "test sweep",
    1_000,
    async () => {
      runs++;
      if (runs === 2) await new Promise<void>((resolve) => (release = resolve));
      if (runs === 3) throw new Error("database is locked");
    },
    (line) => log.push(line),
  );
  expect(runs).toBe(1);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(runs).toBe(2);
  // Run 2 is still going: three more ticks pass without starting another.
  await vi.advanceTimersByTimeAsync(3_000);
  expect(runs).toBe(2);
  release!();
  await vi.advanceTimersByTimeAsync(1_000);
  expect(runs).toBe(3);
  expect(log).toEqual(["test sweep: database is locked"]);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(runs).toBe(4);
  await sweeper.stop();
  await vi.advanceTimersByTimeAsync(5_000);
  expect(runs).toBe(4);
});

it("stop waits for the run in progress", async () => {
  let finished = false;
  const sweeper = startSweeper("slow", 1_000, async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    finished = true;
  });
  const stopped = sweeper.stop();
  await vi.advanceTimersByTimeAsync(500);
  await stopped;
  expect(finished).toBe(true);
});
