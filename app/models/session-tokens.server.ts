/**
 * The stored Shopify tokens of the Session table, as sealed text, for the key
 * rotation command (`npm run cli -- tokens reencrypt`). Everything else reads
 * sessions through the app's session storage (app/services/session-storage.server.ts),
 * which opens them.
 */
import db from "~/db.server";

export interface StoredSessionTokens {
  id: string;
  accessToken: string;
  refreshToken: string | null;
}

/** Every shop that has a session row (installed or not: an old row still holds a token). */
export async function shopsWithSessions(): Promise<string[]> {
  return (await db.session.findMany({ distinct: ["shop"], select: { shop: true }, orderBy: { shop: "asc" } })).map((row) => row.shop);
}

export async function storedSessionTokens(shop: string): Promise<StoredSessionTokens[]> {
  return db.session.findMany({ where: { shop }, select: { id: true, accessToken: true, refreshToken: true }, orderBy: { id: "asc" } });
}

/**
 * Replaces a session's stored tokens, only if they are still what was read:
 * a token refreshed meanwhile (by the app, sealed with the current key) is
 * newer and stays. Returns whether the row was written.
 */
export async function replaceStoredSessionTokens(shop: string, before: StoredSessionTokens, after: Pick<StoredSessionTokens, "accessToken" | "refreshToken">): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { shop, id: before.id, accessToken: before.accessToken, refreshToken: before.refreshToken },
    data: { accessToken: after.accessToken, refreshToken: after.refreshToken },
  });
  return count === 1;
}
