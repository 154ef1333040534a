import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import db from "./db.server";
import { env } from "./env.server";
import { recordInstall } from "./services/install.server";
import { tokenEncryptionKeys } from "./services/keys.server";
import { EncryptedSessionStorage } from "./services/session-storage.server";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { callDeadlineMs, fetchWithDeadline } from "./services/call-deadlines.server";

// Shopify's library sets no timeout on its own requests (token exchange and
// refresh, the request-bound Admin client): each gets ADMIN_API_TIMEOUT_MS
// (issue 18), unless its caller passed a signal that ends sooner.
setAbstractFetchFunc(fetchWithDeadline(abstractFetch, () => callDeadlineMs("adminApi")));

/** The Admin API version every document in app/graphql is written for. */
export const API_VERSION = ApiVersion.October26;

const config = env();
const logLevel = { error: LogSeverity.Error, warn: LogSeverity.Warning, info: LogSeverity.Info, debug: LogSeverity.Debug }[config.LOG_LEVEL];
const scopes = config.SCOPES.split(",").map((scope) => scope.trim());
const tokenKeys = tokenEncryptionKeys(config);

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Access and refresh tokens sealed at rest (issue 18), with the keys read
  // once at boot (env() has already refused a bad or, in production, missing TOKEN_ENCRYPTION_KEYS).
  sessionStorage: new EncryptedSessionStorage(new PrismaSessionStorage(db), () => tokenKeys),
  distribution: AppDistribution.AppStore,
  logger: { level: logLevel },
  // Offline tokens serve background work (worker, backfills); the new embedded
  // strategy gets them by token exchange, with no OAuth redirect.
  useOnlineTokens: false,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await recordInstall({ shop: session.shop, scopes: session.scope ?? null, admin });
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

/**
 * Webhook verification through Shopify's library, without the session lookup
 * that `authenticate.webhook` performs on every delivery: the inbox only needs
 * the HMAC checked and the headers read, and must answer fast.
 */
const shopifyLibrary = shopifyApi({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes,
  hostName: new URL(config.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: { level: logLevel },
});

/**
 * Token exchange through Shopify's library, for the one thing the app asks an
 * ONLINE token for: who the staff member is (its associated_user, see
 * services/staff-identity.server.ts). shopifyApp keeps its own exchange
 * internal, and with useOnlineTokens off it only ever asks for offline tokens.
 */
export const tokenExchange = shopifyLibrary.auth.tokenExchange;

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
