import db from "~/db.server";

/** Waits until the app's worker has nothing due or in flight (reads only). */
export async function waitForInboxDrained({ timeoutMs = 120_000 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await db.inboxEvent.count({ where: { status: { in: ["pending", "processing"] } } });
    if (busy === 0) return;
    if (Date.now() > deadline) throw new Error(`inbox still has ${busy} rows to process after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
