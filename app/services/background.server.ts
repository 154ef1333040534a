import { env } from "~/env.server";
import { startInboxWorker } from "./inbox-worker.server";

/**
 * Work the web process runs beside requests on the embedded default: the inbox
 * worker. With INBOX_WORKER_IN_PROCESS=false it runs only in `npm run worker`
 * processes instead (the scale path).
 */
export function startBackgroundWork(options: { log?: (message: string) => void } = {}): { stop(): Promise<void> } {
  const config = env();
  if (!config.INBOX_WORKER_IN_PROCESS) return { stop: async () => {} };
  return startInboxWorker({
    batchSize: config.WORKER_BATCH_SIZE,
    leaseMs: config.WORKER_LEASE_SECONDS * 1000,
    maxAttempts: config.WORKER_MAX_ATTEMPTS,
    log: options.log ?? ((message) => console.warn(message)),
  });
}
