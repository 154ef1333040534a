/**
 * Key rings: the app's own secrets (token encryption, link signing), each key
 * with an id so that what was sealed or signed with it names the key to open
 * or check it with. The first key is the current one (everything new uses it);
 * the others are kept only to read what older keys produced, which is what
 * makes a rotation possible without breaking anything already stored or sent.
 *
 * Written as `kid:base64key,oldkid:base64key` in the environment
 * (docs/operations.md, "Keys and rotation"). Pure: parsing only.
 */

export interface Key {
  /** 1 to 32 characters of [A-Za-z0-9_-]: safe in a URL and between `:` or `.` separators. */
  id: string;
  secret: Buffer;
}

export interface KeyRing {
  /** The key everything new is sealed or signed with. */
  current: Key;
  /** Every key by id, the current one included. */
  byId: ReadonlyMap<string, Key>;
}

export class KeyRingError extends Error {
  name = "KeyRingError";
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$|^[A-Za-z0-9_-]+$/;

export interface KeyLength {
  /** AES-256 needs exactly 32 bytes. */
  exactBytes?: number;
  /** HMAC-SHA256 wants at least its block of output, 32 bytes. */
  minBytes?: number;
}

/** A ring of given keys, the first current. */
export function keyRing(keys: Key[]): KeyRing {
  if (keys.length === 0) throw new KeyRingError("a key ring needs at least one key");
  const byId = new Map<string, Key>();
  for (const key of keys) {
    if (!KEY_ID.test(key.id)) throw new KeyRingError(`key id ${JSON.stringify(key.id)} must be 1 to 32 letters, digits, '-' or '_'`);
    if (byId.has(key.id)) throw new KeyRingError(`key id ${key.id} appears twice`);
    byId.set(key.id, key);
  }
  return { current: keys[0]!, byId };
}

/**
 * Parses `kid:base64key[,kid:base64key...]` (standard or URL-safe base64).
 * The error names what is wrong, never the key material.
 */
export function parseKeyRing(value: string, length: KeyLength): KeyRing {
  const entries = value.split(",").map((entry) => entry.trim()).filter(Boolean);
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new KeyRingError(`entry ${index + 1} is not kid:base64key`);
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!BASE64.test(encoded)) throw new KeyRingError(`key ${id} is not base64`);
    const secret = Buffer.from(encoded, encoded.includes("-") || encoded.includes("_") ? "base64url" : "base64");
    if (length.exactBytes !== undefined && secret.length !== length.exactBytes) throw new KeyRingError(`key ${id} is ${secret.length} bytes, not ${length.exactBytes} (generate one with: openssl rand -base64 ${length.exactBytes})`);
    if (length.minBytes !== undefined && secret.length < length.minBytes) throw new KeyRingError(`key ${id} is ${secret.length} bytes, fewer than ${length.minBytes} (generate one with: openssl rand -base64 ${length.minBytes})`);
    return { id, secret };
  });
  return keyRing(keys);
}
