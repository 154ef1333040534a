// Session tokens (App Bridge calls them ID tokens) as Shopify admin issues them
// to an embedded app: an HS256 JWT signed with the app's client secret, valid
// for one minute, naming the shop in `iss`/`dest`, the app in `aud` and the
// staff member in `sub`. The app verifies them with Shopify's own library.
import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

export interface SessionTokenInput {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The staff member's user id (the token's `sub`). */
  userId: string;
  /** The admin session (`sid`), the same for every token of one sign-in. */
  sessionId: string;
  /** Seconds since the epoch. */
  now: number;
}

const LIFETIME_SECONDS = 60;
const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function sessionTokenClaims({ shop, apiKey, userId, sessionId, now }: Omit<SessionTokenInput, "apiSecret">): SessionTokenClaims {
  return { iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: apiKey, sub: userId, exp: now + LIFETIME_SECONDS, nbf: now, iat: now, jti: randomUUID(), sid: sessionId };
}

export function issueSessionToken(input: SessionTokenInput): string {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(JSON.stringify(sessionTokenClaims(input)));
  const signature = b64url(createHmac("sha256", input.apiSecret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}
