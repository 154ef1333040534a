// Starts the registry's jobs through the one runner (app/jobs/runner.server.ts).
import { systemClock, type Clock } from "~/services/clock.server";
import { errorReason } from "~/services/inbox-worker.server";
import { recordRunFinished, recordRunStarted } from "./job-runs.server";
import { JOBS, processOwner, type Job, type JobContext } from "./registry.server";
import { startPeriodic, startQueueLoop, type Log, type Running } from "./runner.server";

export interface StartOptions extends Pick<JobContext, "adminFor" | "channels"> {
  log: Log;
  clock?: Clock;
  owner?: string;
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
  const loop = startPeriodic(job.name, job.intervalMs, () => job.run(ctx), options.log, {
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
