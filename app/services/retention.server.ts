import { env } from "~/env.server";
import { purgeErasedShopInbox, purgeProcessedInbox, shopsWithInboxRows, shopsWithProcessedInboxBefore } from "~/models/inbox-retention.server";
import { purgeSentWords } from "~/models/message-words.server";
import { checkpointAfterErasure } from "~/models/privacy.server";
import { erasedShops } from "~/models/tombstones.server";

const DAY_MS = 24 * 60 * 60 * 1000;
const cutoff = (now: Date, retentionDays: number) => new Date(now.getTime() - retentionDays * DAY_MS);

/**
 * Shops the retention pass is due for (the "inbox-retention" job,
 * app/jobs/registry.server.ts): those with processed or failed raw bodies
 * older than the period (INBOX_RETENTION_DAYS), and every erased shop with a
 * row in the inbox (a delivery that arrived after its shop/redact).
 */
export async function shopsWithWebhookBodiesToPurge(now: Date, retentionDays = env().INBOX_RETENTION_DAYS): Promise<string[]> {
  const [old, withRows] = await Promise.all([shopsWithProcessedInboxBefore(cutoff(now, retentionDays)), shopsWithInboxRows()]);
  return [...new Set([...old, ...(await erasedShops(withRows))])].sort();
}

/**
 * One shop's retention pass: its processed and failed raw bodies older than
 * the period go; an erased shop's rows all go (nothing may name it).
 */
export async function purgeOldWebhookBodies(shop: string, now: Date, retentionDays = env().INBOX_RETENTION_DAYS): Promise<{ expired: number; erased: number }> {
  if ((await erasedShops([shop])).has(shop)) return { expired: 0, erased: await purgeErasedShopInbox(shop) };
  return { expired: await purgeProcessedInbox(shop, cutoff(now, retentionDays)), erased: 0 };
}

/**
 * One shop's pass over its sent messages' words (ADR 0032): those sent more
 * than MESSAGE_WORDS_RETENTION_DAYS ago are blanked (the messages stay). On
 * SQLite the write-ahead log, which still holds the old pages, is then
 * checkpointed as after an erasure.
 */
export async function purgeOldMessageWords(shop: string, now: Date, retentionDays = env().MESSAGE_WORDS_RETENTION_DAYS): Promise<{ passed: number }> {
  const passed = await purgeSentWords(shop, cutoff(now, retentionDays), now);
  if (passed > 0) await checkpointAfterErasure();
  return { passed };
}
