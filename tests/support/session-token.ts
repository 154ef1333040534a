// Session tokens as App Bridge issues them: an HS256 JWT signed with the app's
// client secret, naming the shop in `dest` and the app in `aud`.
import { createHmac, randomUUID } from "node:crypto";
import db from "~/db.server";
import { tokenEncryptionKeys } from "~/services/keys.server";
import { sealSessionToken } from "~/services/session-storage.server";
import { TEST_SECRET } from "../../tools/simulator/webhooks";

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function sessionToken(shop: string, { apiKey = "test-api-key", secret = TEST_SECRET, userId = "42" } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: apiKey, sub: userId, exp: now + 60, nbf: now - 5, iat: now, jti: randomUUID(), sid: randomUUID() }),
  );
  const signature = b64url(createHmac("sha256", secret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}

/** The offline session the app keeps after install (token exchange would create it), its token sealed as the app stores it. */
export async function installShop(shop: string, accessToken = `shpat_${shop}`) {
  const id = `offline_${shop}`;
  await db.session.create({
    data: { id, shop, state: "", isOnline: false, accessToken: sealSessionToken(id, "accessToken", accessToken, tokenEncryptionKeys()), scope: process.env.SCOPES ?? "" },
  });
}
