/**
 * The app's own key rings, from the environment (TOKEN_ENCRYPTION_KEYS,
 * UNSUBSCRIBE_SIGNING_KEYS; docs/operations.md, "Keys and rotation").
 *
 * Production must set both (app/env.server.ts refuses to start without them).
 * In development and tests, so that `npm run demo` and `npm test` need no
 * step, an unset ring is one key ("dev") derived from the app secret with
 * HKDF and a label per use: stable across the web process, the worker and the
 * CLI of one machine, different for every app secret, and never the secret
 * itself. Development says so once on stderr; tests stay quiet.
 */
import { hkdfSync } from "node:crypto";
import { keyRing, type KeyRing } from "~/domain/keyring";
import { env, type Env } from "~/env.server";

type KeyConfig = Pick<Env, "NODE_ENV" | "SHOPIFY_API_SECRET" | "TOKEN_ENCRYPTION_KEYS" | "UNSUBSCRIBE_SIGNING_KEYS">;

const DERIVED_KEY_ID = "dev";
const warned = new Set<string>();

function derived(config: KeyConfig, variable: string, label: string): KeyRing {
  if (config.NODE_ENV === "production") throw new Error(`${variable} is required in production`); // env.server.ts stops earlier; never derive there
  if (config.NODE_ENV === "development" && !warned.has(variable)) {
    warned.add(variable);
    console.warn(`[membercare] ${variable} is not set: using a development key derived from SHOPIFY_API_SECRET. Set ${variable} in production (docs/operations.md, "Keys and rotation").`);
  }
  const secret = Buffer.from(hkdfSync("sha256", config.SHOPIFY_API_SECRET, "membercare-dev-keys", label, 32));
  return keyRing([{ id: DERIVED_KEY_ID, secret }]);
}

/** AES-256-GCM keys sealing Shopify access and refresh tokens in the Session table. */
export function tokenEncryptionKeys(config: KeyConfig = env()): KeyRing {
  return config.TOKEN_ENCRYPTION_KEYS ?? derived(config, "TOKEN_ENCRYPTION_KEYS", "membercare:token-encryption:v1");
}

/** HMAC-SHA256 keys signing unsubscribe links. */
export function unsubscribeSigningKeys(config: KeyConfig = env()): KeyRing {
  return config.UNSUBSCRIBE_SIGNING_KEYS ?? derived(config, "UNSUBSCRIBE_SIGNING_KEYS", "membercare:unsubscribe-signing:v1");
}
