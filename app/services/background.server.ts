import { startJobs } from "~/jobs/start.server";

/** Every registered background job, in whichever process runs them (`npm run worker`, the web process, a worker child). */
export function startWorkers(log: (message: string) => void): { stop(): Promise<void> } {
  return startJobs({ log });
}
