import db, { withLockDeadline } from "~/db.server";

/**
 * Readiness: can this process write to its database right now? The probe takes
 * a write that changes no row, in a transaction it rolls back: on SQLite the
 * transaction's BEGIN IMMEDIATE takes the write lock another process may be
 * holding; PostgreSQL refuses the UPDATE on a read-only server or a standby
 * (and needs a live connection to say anything).
 * It answers within about `timeoutMs` whatever the database does, so a process
 * manager polling every few seconds never piles probes up.
 */
export async function databaseWritable({ timeoutMs = 1000 }: { timeoutMs?: number } = {}): Promise<{ ok: true } | { ok: false; reason: string }> {
  const rolledBack = new Error("readiness probe: rolled back on purpose");
  const probe = withLockDeadline(timeoutMs, () =>
    db.$transaction(
      async (tx) => {
        // A write that changes no row: PostgreSQL refuses it in a read-only
        // transaction (a standby, a database set read-only) before looking at rows.
        await tx.$executeRaw`UPDATE "InboxEvent" SET "id" = "id" WHERE 1 = 0`;
        throw rolledBack;
      },
      { maxWait: timeoutMs, timeout: timeoutMs * 2 },
    ),
  ).then(
    () => ({ ok: true as const }),
    (error: unknown) => (error === rolledBack ? { ok: true as const } : { ok: false as const, reason: "the database cannot be written" }),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ ok: false; reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: "the database did not answer in time" }), timeoutMs + 500);
  });
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}
