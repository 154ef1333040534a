/**
 * Signed, expiring tokens for links the app sends to people outside the admin
 * (unsubscribe links, sender confirmation links): the link itself carries
 * what it is about, so the public page needs no login and no lookup table,
 * and nobody can change what it names without the key.
 *
 *   <kid>.<payload>.<signature>      (each part base64url or a key id: safe in a URL path segment)
 *   payload   = "<expires, unix seconds>\n<field>\n<field>..."
 *   signature = HMAC-SHA256(key[kid], "<purpose>\n<kid>\n<payload>")
 *
 * The key id names which key of the ring signed it, so a link keeps working
 * after a rotation for as long as its key stays in the ring. The purpose
 * label is signed but not sent: a token made for one kind of link never
 * passes as another kind. The signature is checked before the expiry is
 * read, so "expired" is only ever said of a token we really issued.
 *
 * Pure: the keys and the time are passed in; the domain never reads a clock.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { KeyRing } from "./keyring";

export type SignedTokenCheck =
  | { ok: true; fields: string[]; keyId: string; expiresAt: Date }
  /** malformed: not a token at all; unknownKey: signed with a key not (or no longer) in the ring; forged: the signature does not hold. */
  | { ok: false; reason: "malformed" | "unknownKey" | "forged" }
  /** Authentic but past its time: the fields are given so a page can say whose link it was. */
  | { ok: false; reason: "expired"; fields: string[]; keyId: string; expiresAt: Date };

const TOKEN = /^([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/;

const mac = (secret: Buffer, purpose: string, keyId: string, payload: string) => createHmac("sha256", secret).update(`${purpose}\n${keyId}\n${payload}`).digest();

/** A token for `fields`, valid until `expiresAt`, signed with the ring's current key. */
export function signToken(purpose: string, fields: string[], ring: KeyRing, expiresAt: Date): string {
  if (!purpose || /[\n\r]/.test(purpose)) throw new Error("a signed token needs a one-line purpose");
  for (const field of fields) {
    // The payload is newline separated; a value with a newline could shift the fields.
    if (!field || /[\n\r]/.test(field)) throw new Error(`cannot sign a token field ${JSON.stringify(field)}`);
  }
  const expires = Math.floor(expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(expires) || expires <= 0) throw new Error("a signed token needs a valid expiry");
  const payload = [String(expires), ...fields].join("\n");
  const { id, secret } = ring.current;
  return `${id}.${Buffer.from(payload, "utf8").toString("base64url")}.${mac(secret, purpose, id, payload).toString("base64url")}`;
}

/** Checks a token made by signToken for `purpose`, as of `now`. */
export function verifyToken(purpose: string, token: string, ring: KeyRing, now: Date): SignedTokenCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, keyId, encoded, signature] = match as unknown as [string, string, string, string];
  const key = ring.byId.get(keyId);
  if (!key) return { ok: false, reason: "unknownKey" };
  const payload = Buffer.from(encoded, "base64url").toString("utf8");
  // Re-encoding must give the same text: base64url has more than one spelling
  // of the same bytes (unused trailing bits), and only ours is accepted.
  if (Buffer.from(payload, "utf8").toString("base64url") !== encoded) return { ok: false, reason: "malformed" };
  const given = Buffer.from(signature, "base64url");
  const expected = mac(key.secret, purpose, keyId, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "forged" };
  const [expires, ...fields] = payload.split("\n");
  if (!/^[1-9][0-9]{0,15}$/.test(expires ?? "")) return { ok: false, reason: "malformed" };
  const expiresAt = new Date(Number(expires) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: "expired", fields, keyId, expiresAt };
  return { ok: true, fields, keyId, expiresAt };
}
