/**
 * The app's session storage: Shopify's Prisma session storage, with the
 * access and refresh tokens sealed before they are written and opened after
 * they are read (app/services/token-cipher.server.ts). Every reader of
 * sessions goes through it: the embedded pages (authenticate.admin), the
 * background Admin client (unauthenticated.admin, offline-admin.server.ts), the
 * token refresh of expiring offline tokens, all through shopify.server.ts.
 *
 * A row that does not open (changed, or sealed with a key no longer in
 * TOKEN_ENCRYPTION_KEYS) is reported loudly and treated as no session: the
 * embedded app then gets a fresh token by token exchange when the merchant
 * next opens it, and background work for that shop fails with "no session"
 * until then, instead of calling Shopify with a wrong token. A plaintext
 * token from before encryption is read as it is and sealed on the next store
 * (a token exchange or refresh) or by `npm run cli -- tokens reencrypt`.
 */
import { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorageInterface } from "@shopify/shopify-app-session-storage-prisma";
import type { KeyRing } from "~/domain/keyring";
import { replaceStoredSessionTokens, shopsWithSessions, storedSessionTokens } from "~/models/session-tokens.server";
import { openToken, sealedKeyId, sealToken, TokenDecryptionError } from "./token-cipher.server";

type TokenField = "accessToken" | "refreshToken";

/** What binds a sealed token to its row and column (the associated data). */
const contextOf = (sessionId: string, field: TokenField) => `membercare:session:${sessionId}:${field}`;

/** A token sealed as this storage stores it, for code that writes session rows itself (the demo, test fixtures). */
export const sealSessionToken = (sessionId: string, field: TokenField, token: string, ring: KeyRing): string => sealToken(token, ring, contextOf(sessionId, field));

export class EncryptedSessionStorage implements PrismaSessionStorageInterface {
  constructor(
    private readonly inner: PrismaSessionStorageInterface,
    private readonly keys: () => KeyRing,
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  async storeSession(session: Session): Promise<boolean> {
    // A copy: the library keeps using its session object, with the plain token.
    const sealed = new Session(session.toObject());
    const ring = this.keys();
    if (session.accessToken) sealed.accessToken = sealToken(session.accessToken, ring, contextOf(session.id, "accessToken"));
    if (session.refreshToken) sealed.refreshToken = sealToken(session.refreshToken, ring, contextOf(session.id, "refreshToken"));
    return this.inner.storeSession(sealed);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    return stored && this.opened(stored);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const stored = await this.inner.findSessionsByShop(shop);
    return stored.map((session) => this.opened(session)).filter((session): session is Session => session !== undefined);
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  isReady(): Promise<boolean> {
    return this.inner.isReady();
  }

  /** The session with its tokens opened, or undefined (reported) when one does not open. */
  private opened(stored: Session): Session | undefined {
    const ring = this.keys();
    const session = new Session(stored.toObject());
    try {
      if (stored.accessToken) session.accessToken = openToken(stored.accessToken, ring, contextOf(stored.id, "accessToken")).token;
      if (stored.refreshToken) session.refreshToken = openToken(stored.refreshToken, ring, contextOf(stored.id, "refreshToken")).token;
      return session;
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
      this.log(`[membercare] session ${stored.id} of ${stored.shop} is treated as missing: ${error.message}. The shop re-authenticates on its next admin visit.`);
      return undefined;
    }
  }
}

export interface ReencryptResult {
  /** Session rows looked at. */
  sessions: number;
  /** Rows written again under the current key (plaintext ones, or sealed with an older key). */
  reencrypted: number;
  /** Rows already sealed with the current key. */
  current: number;
  /** Rows that do not open (changed, or their key is gone): left as they are, by id. */
  unreadable: string[];
  /** Rows whose tokens changed while the command ran (the app refreshed them, already sealed anew): left as they are. */
  changedMeanwhile: number;
}

/**
 * Seals every stored token under the ring's current key: plaintext rows from
 * before encryption, and rows sealed with an older key after a rotation. A
 * row that does not open is reported and left untouched (nothing is lost;
 * the shop re-authenticates). Safe to run again, and beside the running app.
 */
export async function reencryptSessionTokens(ring: KeyRing): Promise<ReencryptResult> {
  const result: ReencryptResult = { sessions: 0, reencrypted: 0, current: 0, unreadable: [], changedMeanwhile: 0 };
  for (const shop of await shopsWithSessions()) {
    for (const row of await storedSessionTokens(shop)) {
      result.sessions++;
      const fields: Array<[TokenField, string | null]> = [["accessToken", row.accessToken], ["refreshToken", row.refreshToken]];
      if (fields.every(([, value]) => !value || sealedKeyId(value) === ring.current.id)) {
        // Sealed with the current key already; opened anyway, so a changed row is reported rather than counted as fine.
        try {
          for (const [field, value] of fields) if (value) openToken(value, ring, contextOf(row.id, field));
          result.current++;
        } catch (error) {
          if (!(error instanceof TokenDecryptionError)) throw error;
          result.unreadable.push(row.id);
        }
        continue;
      }
      let next: Record<TokenField, string | null>;
      try {
        const reseal = (field: TokenField, value: string | null) => (value ? sealToken(openToken(value, ring, contextOf(row.id, field)).token, ring, contextOf(row.id, field)) : value);
        next = { accessToken: reseal("accessToken", row.accessToken), refreshToken: reseal("refreshToken", row.refreshToken) };
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
        result.unreadable.push(row.id);
        continue;
      }
      if (await replaceStoredSessionTokens(shop, row, { accessToken: next.accessToken ?? "", refreshToken: next.refreshToken })) result.reencrypted++;
      else result.changedMeanwhile++;
    }
  }
  return result;
}
