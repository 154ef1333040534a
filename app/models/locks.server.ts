// Work that must not run for one shop in two processes at once. On PostgreSQL
// (many workers) a transaction-scoped advisory lock keyed by the shop is held
// while the work runs on the pool's other connections, and released when it
// ends, even if the process dies. SQLite has one writer at a time and, on the
// embedded default, one worker: the work simply runs.
import db, { dialect } from "~/db.server";

/** Longest a holder may keep a shop's lock before PostgreSQL ends its transaction. */
const LOCK_TIMEOUT_MS = 10 * 60_000;

export async function withShopLock<T>(purpose: string, shop: string, work: () => Promise<T>): Promise<T> {
  if (dialect() !== "postgresql") return work();
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${purpose}:${shop}`}))`;
      return work();
    },
    { maxWait: LOCK_TIMEOUT_MS, timeout: LOCK_TIMEOUT_MS },
  );
}
