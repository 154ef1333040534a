import { env } from "~/env.server";
import { purgeErasedShopsInbox, purgeProcessedInbox } from "~/models/inbox-retention.server";
import { erasedShops } from "~/models/tombstones.server";
import type { Clock } from "./clock.server";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One retention pass: processed and failed raw bodies older than the period
 * (INBOX_RETENTION_DAYS) go, and every row that reached the inbox for an
 * erased shop after its shop/redact.
 */
export async function purgeOldWebhookBodies(clock: Clock, retentionDays = env().INBOX_RETENTION_DAYS): Promise<{ expired: number; erasedShops: number }> {
  const expired = await purgeProcessedInbox(new Date(clock.now().getTime() - retentionDays * DAY_MS));
  return { expired, erasedShops: await purgeErasedShopsInbox(erasedShops) };
}
