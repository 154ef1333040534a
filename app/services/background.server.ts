import { env } from "~/env.server";
import { API_VERSION, unauthenticated } from "~/shopify.server";
import { createAdminClient, type AdminClientFor } from "./admin-client.server";
import { startAnomalySweeper } from "./anomalies.server";
import { systemClock } from "./clock.server";
import { startCampaignSweeper } from "./campaigns.server";
import { startCarePlanner } from "./care-planner.server";
import { channelsFromEnv, closeChannels } from "./channels/index.server";
import { startDispatcher } from "./dispatcher.server";
import { startFollowUpSweeper } from "./follow-ups.server";
import { startInboxWorker } from "./inbox-worker.server";
import { startCodeExpirySweeper } from "./offer-codes.server";
import { startOutboxWorker } from "./outbox-worker.server";
import { startIntelligenceSweeper } from "./intelligence.server";
import { startRetentionSweeper } from "./retention.server";
import { startTierSweeper } from "./tiers.server";

/** The offline Admin client of an installed shop, its token refreshed by Shopify's library when it expired. */
export const offlineAdmin: AdminClientFor = async (shop) => {
  const { session } = await unauthenticated.admin(shop);
  return createAdminClient({ shop, accessToken: session.accessToken!, apiVersion: API_VERSION });
};

/**
 * Work the web process runs beside requests on the embedded default: the inbox
 * worker, the tier sweeper, the nightly customer classification, the daily
 * follow-up list, the campaign sweeper, the care planner and the care dispatcher. With INBOX_WORKER_IN_PROCESS=false they run only
 * in `npm run worker` processes instead (the scale path).
 */
export function startBackgroundWork(options: { log?: (message: string) => void } = {}): { stop(): Promise<void> } {
  const config = env();
  if (!config.INBOX_WORKER_IN_PROCESS) return { stop: async () => {} };
  return startWorkers(options.log ?? ((message) => console.warn(message)));
}

/** The background jobs, in whichever process runs them. */
export function startWorkers(log: (message: string) => void): { stop(): Promise<void> } {
  const config = env();
  const jobs = [
    startInboxWorker({ batchSize: config.WORKER_BATCH_SIZE, leaseMs: config.WORKER_LEASE_SECONDS * 1000, maxAttempts: config.WORKER_MAX_ATTEMPTS, log }),
    startTierSweeper({ clock: systemClock, log }),
    startIntelligenceSweeper({ clock: systemClock, log }),
    startFollowUpSweeper({ clock: systemClock, log }),
    startAnomalySweeper({ clock: systemClock, log }),
    startOutboxWorker({ adminFor: offlineAdmin, log }),
    startCampaignSweeper({ clock: systemClock, log }),
    startCarePlanner({ clock: systemClock, log }),
    // Issue 17: codes that expired unused are deactivated in Shopify.
    startCodeExpirySweeper({ clock: systemClock, log }),
    // Issue 18: raw webhook bodies are purged after INBOX_RETENTION_DAYS.
    startRetentionSweeper({ clock: systemClock, log }),
    startDispatcher({ channels: channelsFromEnv(), clock: systemClock, log }),
  ];
  return {
    stop: async () => {
      await Promise.all(jobs.map((job) => job.stop()));
      closeChannels();
    },
  };
}
