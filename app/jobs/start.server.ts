// Starts the registry's jobs through the one runner (app/jobs/runner.server.ts).
import { systemClock, type Clock } from "~/services/clock.server";
import { errorReason } from "~/services/inbox-worker.server";
import { recordRunFinished, recordRunStarted } from "./job-runs.server";
import { JOBS, jobNamed, processOwner, type Job, type JobContext, type PeriodicJob } from "./registry.server";
import { startPeriodic, startQueueLoop, type Log, type Running } from "./runner.server";

export interface StartOptions extends Pick<JobContext, "adminFor" | "channels"> {
  log: Log;
  clock?: Clock;
  owner?: string;
}

export interface ShopRun<R = unknown> {
  shop: string;
  /** What the job's runShop returned for the shop. */
  result: R;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One run of a periodic job: the shops due now, one after another; each is
 * claimed first where the job claims (a shop another process took is left to
 * it). A shop that fails is logged and the others still run; the run then
 * fails naming it, so JobRun and `cli jobs status` show which. When the runner
 * is stopping, the shops not reached yet are left due for the next run.
 * Resolves to the shops this process did.
 */
export async function runDueShops(job: PeriodicJob, ctx: JobContext): Promise<ShopRun[]> {
  const now = ctx.clock.now();
  const due = await job.dueShops(now);
  const done: ShopRun[] = [];
  const failed: Array<{ shop: string; error: unknown }> = [];
  for (const row of due) {
    if (ctx.stopping()) break;
    try {
      if (job.claim && !(await job.claim(row, now))) continue;
      done.push({ shop: row.shop, result: await job.runShop(row, now, ctx) });
    } catch (error) {
      failed.push({ shop: row.shop, error });
      ctx.log(`${job.name} (${row.shop}): ${reason(error)}`);
    }
  }
  if (failed.length > 0) {
    const [first] = failed;
    throw new Error(`${failed.length} of ${due.length} due shops failed; ${first.shop}: ${errorReason(first.error)}`, { cause: first.error });
  }
  return done;
}

/**
 * A periodic job's run now, outside the loop (the demo's nightly jobs, tests,
 * operators' scripts): the same due shops, claims and work as the runner's.
 */
export async function runJobNow<R = unknown>(name: string, now: Date, { log = () => {}, owner }: { log?: Log; owner?: string } = {}): Promise<Array<ShopRun<R>>> {
  const job = jobNamed(name);
  if (job.kind !== "periodic") throw new Error(`${name} is a queue job: it has no run to start`);
  const ctx: JobContext = { clock: { now: () => now }, log, owner: owner ?? processOwner(), stopping: () => false };
  return (await runDueShops(job, ctx)) as Array<ShopRun<R>>;
}

/** Starts one job; `stop()` waits for its pass or run under way, then closes what it opened. */
export function startJob(job: Job, options: StartOptions): Running {
  let stopping = false;
  const owner = options.owner ?? processOwner();
  const ctx: JobContext = { clock: options.clock ?? systemClock, log: options.log, owner, stopping: () => stopping, adminFor: options.adminFor, channels: options.channels };
  if (job.kind === "queue") {
    const opened = job.open(ctx);
    const loop = startQueueLoop({ name: job.name, pass: opened.pass, maxPasses: job.maxPasses(), idleMs: job.idleMs, wake: job.wake, log: options.log });
    return {
      async stop() {
        stopping = true;
        await loop.stop();
        opened.close?.();
      },
    };
  }
  const loop = startPeriodic(job.name, job.intervalMs, () => runDueShops(job, ctx), options.log, {
    started: () => recordRunStarted(job.name, owner, ctx.clock.now()),
    finished: (error) => recordRunFinished(job.name, owner, ctx.clock.now(), error === null ? null : errorReason(error)),
  });
  return {
    async stop() {
      stopping = true;
      await loop.stop();
    },
  };
}

/** Starts every registered job (or those named): the one entry point of a process that runs the background work. */
export function startJobs(options: StartOptions & { only?: string[] }): Running {
  const jobs = options.only ? JOBS.filter((job) => options.only!.includes(job.name)) : JOBS;
  const running = jobs.map((job) => startJob(job, options));
  return {
    async stop() {
      await Promise.all(running.map((job) => job.stop()));
    },
  };
}
