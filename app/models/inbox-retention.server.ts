import db from "~/db.server";

/** A row's last outcome is in: what it had is projected, or it was given up on. */
const PROCESSED = ["done", "skipped", "failed"];

/**
 * Raw webhook bodies are kept only as long as they can be of use (issue 18):
 * a processed row (done or skipped) has given what it had to the projections,
 * and a failed one is kept for a fix and a retry, not forever. Rows whose last
 * outcome (processedAt: done, skipped, or failed for good) is older than the
 * cutoff are deleted, row and body: nothing reads an old processed row, and a
 * redelivery of its webhook id (which the row would recognise) comes within
 * Shopify's retry window of hours, far inside the shortest retention (1 day).
 * Rows not yet processed (pending, in flight) are never touched. A failed row
 * retried successfully is done from then on, and counted from that outcome.
 *
 * Deleted in slices so no single statement holds SQLite's write lock long.
 */
export async function purgeProcessedInbox(shop: string, cutoff: Date, { slice = 500 }: { slice?: number } = {}): Promise<number> {
  const old = { shop, status: { in: PROCESSED }, processedAt: { lt: cutoff } };
  let purged = 0;
  for (;;) {
    const rows = await db.inboxEvent.findMany({ where: old, orderBy: { id: "asc" }, take: slice, select: { id: true } });
    if (rows.length === 0) return purged;
    const { count } = await db.inboxEvent.deleteMany({ where: { ...old, id: { in: rows.map((row) => row.id) } } });
    purged += count;
  }
}

/** Shops with processed rows older than the cutoff: the retention pass is due for them. */
export async function shopsWithProcessedInboxBefore(cutoff: Date): Promise<string[]> {
  const rows = await db.inboxEvent.findMany({ where: { status: { in: PROCESSED }, processedAt: { lt: cutoff } }, distinct: ["shop"], select: { shop: true } });
  return rows.map((row) => row.shop);
}

/** Shops with rows no worker holds right now: those of an erased shop are purged whatever their age. */
export async function shopsWithInboxRows(): Promise<string[]> {
  return (await db.inboxEvent.findMany({ where: { status: { not: "processing" } }, distinct: ["shop"], select: { shop: true } })).map((row) => row.shop);
}

/**
 * Webhooks that reached the inbox for a shop erased by shop/redact (a late
 * retry, a delivery queued before the uninstall): the not-installed gate keeps
 * them from being projected, and this deletes them whole, whatever their age,
 * so nothing names an erased shop. The caller knows the shop is erased (its
 * tombstone); a shop that installed again is not, and keeps its rows.
 * A row a worker holds right now is left to the next pass.
 */
export async function purgeErasedShopInbox(shop: string): Promise<number> {
  return (await db.inboxEvent.deleteMany({ where: { shop, status: { not: "processing" } } })).count;
}
