import db from "~/db.server";

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
export async function purgeProcessedInbox(cutoff: Date, { slice = 500 }: { slice?: number } = {}): Promise<number> {
  let purged = 0;
  for (;;) {
    const rows = await db.inboxEvent.findMany({
      where: { status: { in: ["done", "skipped", "failed"] }, processedAt: { lt: cutoff } },
      orderBy: { id: "asc" },
      take: slice,
      select: { id: true },
    });
    if (rows.length === 0) return purged;
    const { count } = await db.inboxEvent.deleteMany({
      where: { id: { in: rows.map((row) => row.id) }, status: { in: ["done", "skipped", "failed"] }, processedAt: { lt: cutoff } },
    });
    purged += count;
  }
}
