import { startJobs } from "~/jobs/start.server";
import { inboxSignal } from "./inbox-worker.server";

/** Every registered background job, in whichever process runs them (`npm run worker`, the web process, a worker child). */
export function startWorkers(log: (message: string) => void): { stop(): Promise<void> } {
  return startJobs({ log });
}

/**
 * The inbox job's wake-up across processes (ADR 0023, amended): the web
 * process hears every webhook it stores (`onInboxStored`, which server.mjs
 * forwards to the jobs' child over IPC) and the child wakes its idle inbox
 * loop with `wakeInbox`, so a stored webhook is projected at once rather than
 * at the loop's next look (WORKER_IDLE_MS).
 */
export function onInboxStored(listener: () => void): () => void {
  inboxSignal.on("stored", listener);
  return () => inboxSignal.off("stored", listener);
}

export function wakeInbox(): void {
  inboxSignal.emit("stored");
}

/**
 * Acknowledgements come first (ADR 0035): while the web process writes a group
 * of deliveries (`onAcknowledging`, forwarded by server.mjs over IPC) the jobs'
 * child holds its next write (`holdWrites`), so a delivery waits for at most
 * the one statement the jobs were running, not for every statement they would
 * start meanwhile.
 */
export function onAcknowledging(listener: (writing: boolean) => void): () => void {
  inboxSignal.on("acknowledging", listener);
  return () => inboxSignal.off("acknowledging", listener);
}

export { holdWrites } from "~/db.server";
