// The words of sent messages kept on their rows (issue 20, ADR 0032): their
// retention. The dispatcher writes them with the "sent" outcome
// (settleMessages); erasure deletes them with the message rows.
import db from "~/db.server";
import { sql, typed } from "./sql.server";

/** Rows per statement: a first pass over a shop with a long history must not hold SQLite's write lock for long. */
const PURGE_BATCH = 1_000;

/**
 * Blanks the words of the shop's messages sent before `sentBefore` and stamps
 * them passed over (sentWordsPurgedAt = now), in batches; the message, its
 * decisions and its results stay. Every sent row in range is stamped, words or
 * not (sent before words were kept), so the index (shop, sentWordsPurgedAt,
 * sentAt) leads each later pass to the rows newly past the period only.
 * Returns how many rows it passed over.
 */
export async function purgeSentWords(shop: string, sentBefore: Date, now: Date): Promise<number> {
  const time = (value: Date) => typed(sql`${value}`, "TIMESTAMP(3)");
  let passed = 0;
  for (;;) {
    const count = await db.$executeRaw`
      UPDATE "Message" SET "sentSubject" = NULL, "sentText" = NULL, "sentHtml" = NULL, "sentWordsPurgedAt" = ${time(now)}
      WHERE "shop" = ${shop} AND "id" IN (
        SELECT "id" FROM "Message" WHERE "shop" = ${shop} AND "sentWordsPurgedAt" IS NULL AND "sentAt" < ${time(sentBefore)} LIMIT ${PURGE_BATCH}
      )`;
    passed += count;
    if (count < PURGE_BATCH) return passed;
  }
}
