// `cli jobs status`: every registered job's state, read from where each kind
// keeps it (a queue's rows; JobRun for periodic jobs).
import { jobRuns } from "./job-runs.server";
import { queueStatus, type QueueStatus } from "./queue.server";
import { JOBS } from "./registry.server";

/**
 * A job's state. Queue jobs report their table's rows (QueueStatus); periodic
 * jobs report their JobRun row in the same fields: `due` 1 when a run is due
 * (never run, or its interval has passed since the last start), `running` 1
 * while a run is under way, `failed` the runs failed in a row, `lagMs` how far
 * past its time the next run is, `lastRunAt` when the last run ended; and
 * `dueShops`, how many shops its registry entry declares due now (what a run
 * started now would do, before claims).
 */
export interface JobStatus extends QueueStatus {
  name: string;
  kind: "queue" | "periodic";
  /** Periodic only: how often it runs. */
  intervalMs: number | null;
  /** Periodic only: the shops due now. */
  dueShops: number | null;
}

export async function jobsStatus(now: Date): Promise<JobStatus[]> {
  const runs = await jobRuns();
  return Promise.all(
    JOBS.map(async (job): Promise<JobStatus> => {
      if (job.kind === "queue") return { name: job.name, kind: job.kind, intervalMs: null, dueShops: null, ...(await queueStatus(job.table, now)) };
      const run = runs.get(job.name);
      const nextAt = run?.lastStartedAt ? run.lastStartedAt.getTime() + job.intervalMs : null;
      const due = nextAt === null || nextAt <= now.getTime();
      return {
        name: job.name,
        kind: job.kind,
        due: due ? 1 : 0,
        running: run?.runningSince ? 1 : 0,
        failed: run?.failures ?? 0,
        lagMs: nextAt !== null && due ? now.getTime() - nextAt : 0,
        lastRunAt: run?.lastFinishedAt ?? null,
        lastError: run?.lastError ?? null,
        intervalMs: job.intervalMs,
        dueShops: (await job.dueShops(now)).length,
      };
    }),
  );
}

const duration = (ms: number) => (ms < 1_000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`);

/** The table an operator reads: one line per job. */
export function formatJobsStatus(rows: JobStatus[]): string[] {
  const cells = rows.map((row) => [
    row.name,
    row.kind === "queue" ? "queue" : `every ${row.intervalMs! % 60_000 === 0 ? `${row.intervalMs! / 60_000} min` : duration(row.intervalMs!)}`,
    String(row.due),
    row.dueShops === null ? "-" : String(row.dueShops),
    String(row.running),
    String(row.failed),
    duration(row.lagMs),
    row.lastRunAt ? row.lastRunAt.toISOString().replace(/\.\d{3}Z$/, "Z") : "never",
    row.lastError ? row.lastError.replace(/\s+/g, " ").slice(0, 80) : "-",
  ]);
  const header = ["job", "kind", "due", "due shops", "running", "failed", "lag", "last run", "last error"];
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) => values.map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...cells.map(line)];
}
