// The periodic jobs' last runs (JobRun, one row per job name): written by the
// runner, read by `cli jobs status`. Operator data about the app's own work,
// not about a shop, so not shop-scoped.
import db from "~/db.server";

export interface JobRunRow {
  name: string;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failures: number;
  runningSince: Date | null;
  runningOwner: string | null;
}

export async function recordRunStarted(name: string, owner: string, now: Date): Promise<void> {
  await db.jobRun.upsert({
    where: { name },
    create: { name, lastStartedAt: now, runningSince: now, runningOwner: owner },
    update: { lastStartedAt: now, runningSince: now, runningOwner: owner },
  });
}

/** The run ended: a success clears the failures in a row; a failure keeps its reason (kept after later successes too). */
export async function recordRunFinished(name: string, owner: string, now: Date, error: string | null): Promise<void> {
  const ended = { lastFinishedAt: now, ...(error ? { lastError: error, lastErrorAt: now } : {}) };
  await db.jobRun.upsert({
    where: { name },
    create: { name, ...ended, failures: error ? 1 : 0 },
    update: { ...ended, failures: error ? { increment: 1 } : 0 },
  });
  // Another process may have started a run meanwhile: clear only our own mark.
  await db.jobRun.updateMany({ where: { name, runningOwner: owner }, data: { runningSince: null, runningOwner: null } });
}

export async function jobRuns(): Promise<Map<string, JobRunRow>> {
  return new Map((await db.jobRun.findMany()).map((row) => [row.name, row]));
}
