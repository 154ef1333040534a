import { env } from "~/env.server";
import { startJobs } from "~/jobs/start.server";

export { offlineAdmin } from "./offline-admin.server";

/**
 * Work the web process runs beside requests on the embedded default: every
 * job of the registry (app/jobs/registry.server.ts). With
 * INBOX_WORKER_IN_PROCESS=false they run only in `npm run worker` processes
 * instead (the scale path).
 */
export function startBackgroundWork(options: { log?: (message: string) => void } = {}): { stop(): Promise<void> } {
  const config = env();
  if (!config.INBOX_WORKER_IN_PROCESS) return { stop: async () => {} };
  return startWorkers(options.log ?? ((message) => console.warn(message)));
}

/** Every registered background job, in whichever process runs them (`npm run worker`, the web process, a worker child). */
export function startWorkers(log: (message: string) => void): { stop(): Promise<void> } {
  return startJobs({ log });
}
