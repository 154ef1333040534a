import db, { dialect, withLockDeadline } from "~/db.server";

/**
 * Readiness: can this process write to its database right now? The probe takes
 * the write lock and gives it back without changing anything: on SQLite a
 * BEGIN IMMEDIATE (the lock another process may be holding) rolled back; on
 * PostgreSQL a transaction that asks for a transaction id (refused by a
 * read-only server or a standby, and it needs a live connection) rolled back.
 * It answers within about `timeoutMs` whatever the database does, so a process
 * manager polling every few seconds never piles probes up.
 */
export async function databaseWritable({ timeoutMs = 1000 }: { timeoutMs?: number } = {}): Promise<{ ok: true } | { ok: false; reason: string }> {
  const rolledBack = new Error("readiness probe: rolled back on purpose");
  const probe = withLockDeadline(timeoutMs, () =>
    db.$transaction(
      async (tx) => {
        if (dialect() === "postgresql") await tx.$queryRaw`SELECT txid_current()`;
        else await tx.$queryRaw`SELECT 1`;
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
