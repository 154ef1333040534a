/**
 * Shopify access and refresh tokens encrypted at rest (issue 18): whoever
 * reads the database (a backup, a leaked dump, a read-only replica, a
 * `sqlite3` shell) gets no token that can act on a shop.
 *
 *   enc:v1:<kid>:<nonce>:<ciphertext+tag>      (nonce and ciphertext base64url)
 *
 * AES-256-GCM (node:crypto) with a 96-bit random nonce per seal, as NIST SP
 * 800-38D recommends; the 128-bit tag makes any change to the stored text fail
 * to open instead of yielding a wrong token. The associated data binds the
 * ciphertext to its row and column (`context`), so a token copied into
 * another shop's row does not open there either. The key id names which key
 * of TOKEN_ENCRYPTION_KEYS sealed it, so a rotation keeps old rows readable
 * until `npm run cli -- tokens reencrypt` moves them to the current key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KeyRing } from "~/domain/keyring";

const PREFIX = "enc:v1:";
const SEALED = /^enc:v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class TokenDecryptionError extends Error {
  name = "TokenDecryptionError";
}

/** Whether a stored value is sealed (anything else is a plaintext token from before encryption). */
export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** The key id a sealed value names, or null for a plaintext one. */
export const sealedKeyId = (stored: string): string | null => SEALED.exec(stored)?.[1] ?? null;

/** Seals a token with the ring's current key, for the row and column `context` names. */
export function sealToken(plaintext: string, ring: KeyRing, context: string): string {
  const { id, secret } = ring.current;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", secret, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${id}:${nonce.toString("base64url")}:${sealed.toString("base64url")}`;
}

/**
 * Opens a sealed token; a plaintext one (stored before encryption) is returned
 * as it is, marked `sealed: false` so the caller can seal it. Throws
 * TokenDecryptionError when the value was changed, belongs to another row, or
 * names a key no longer in the ring: never a wrong token.
 */
export function openToken(stored: string, ring: KeyRing, context: string): { token: string; sealed: boolean; keyId: string | null } {
  if (!isSealed(stored)) return { token: stored, sealed: false, keyId: null };
  const match = SEALED.exec(stored);
  if (!match) throw new TokenDecryptionError("a sealed token is malformed");
  const [, keyId, nonce, body] = match as unknown as [string, string, string, string];
  const key = ring.byId.get(keyId);
  if (!key) throw new TokenDecryptionError(`a sealed token names key ${keyId}, which TOKEN_ENCRYPTION_KEYS does not hold`);
  const bytes = Buffer.from(body, "base64url");
  if (bytes.length < TAG_BYTES) throw new TokenDecryptionError("a sealed token is malformed");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.secret, Buffer.from(nonce, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const token = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    return { token, sealed: true, keyId };
  } catch {
    throw new TokenDecryptionError(`a sealed token under key ${keyId} does not decrypt: changed, or copied from another row`);
  }
}
