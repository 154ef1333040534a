// Work that must not run for one shop in two processes at once. On PostgreSQL
// (many workers) a transaction-scoped advisory lock keyed by the shop is held
// while the work runs on the pool's other connections, and released when it
// ends, even if the process dies. SQLite has one writer at a time and, on the
// embedded default, one worker: the work simply runs.
import type { Prisma } from "@prisma/client";
import db, { dialect } from "~/db.server";
import { join, sql } from "./sql.server";

/**
 * Inside a transaction: on PostgreSQL, waits for and holds `key`'s advisory
 * lock until the transaction ends, so two processes doing the same read-then-
 * write for that key take turns. On SQLite the transaction's first write
 * already takes the database's one write lock, so nothing is needed.
 */
export async function lockInTransaction(tx: Prisma.TransactionClient, key: string): Promise<void> {
  if (dialect() === "postgresql") await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
}

/**
 * lockInTransaction for many keys in one statement: on PostgreSQL each key's
 * advisory lock, taken in ascending order of its hash (every caller takes
 * them in the same order, so two transactions wanting overlapping keys wait
 * for each other and never deadlock). Nothing on SQLite (see above).
 */
export async function lockAllInTransaction(tx: Prisma.TransactionClient, keys: string[]): Promise<void> {
  if (dialect() !== "postgresql" || keys.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext(v.key) AS k FROM (VALUES ${join(keys.map((key) => sql`(${key})`))}) AS v(key) ORDER BY k) AS ordered`;
}

/** Longest a holder may keep a shop's lock before PostgreSQL ends its transaction. */
const LOCK_TIMEOUT_MS = 10 * 60_000;

export async function withShopLock<T>(purpose: string, shop: string, work: () => Promise<T>): Promise<T> {
  if (dialect() !== "postgresql") return work();
  return db.$transaction(
    async (tx) => {
      await lockInTransaction(tx, `${purpose}:${shop}`);
      return work();
    },
    { maxWait: LOCK_TIMEOUT_MS, timeout: LOCK_TIMEOUT_MS },
  );
}
