import { z } from "zod";
import { KeyRingError, parseKeyRing, type KeyLength } from "./domain/keyring";

/**
 * The environment, validated once at boot. Every variable is documented in
 * .env.example. A missing or invalid variable stops the process with a message
 * that names each one, instead of failing later somewhere deep in a request.
 */
const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((value) => value === "true" || value === "1");

/** Where Shopify serves App Bridge, the script every embedded admin page loads first. */
export const SHOPIFY_APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

const httpUrl = (description: string) => z.url({ protocol: /^https?$/, error: description });

/** A variable with no default: its description is what the operator reads when it is missing. */
const required = (description: string) => z.string({ error: description }).min(1, description);

/** A key ring variable, read into its keys; the message names what is wrong, never a key. */
const keyRingVariable = (length: KeyLength) =>
  z.string().transform((value, ctx) => {
    try {
      return parseKeyRing(value, length);
    } catch (error) {
      if (!(error instanceof KeyRingError)) throw error;
      ctx.addIssue({ code: "custom", message: `${error.message}; the format is kid:base64key[,oldkid:base64key], current first` });
      return z.NEVER;
    }
  });

/** Keys production must be given: derived ones would be as secret as the app secret and rotate with it. */
const REQUIRED_IN_PRODUCTION = {
  TOKEN_ENCRYPTION_KEYS: "required in production: kid:base64key of 32 random bytes (openssl rand -base64 32) encrypting Shopify tokens at rest",
  UNSUBSCRIBE_SIGNING_KEYS: "required in production: kid:base64key of 32 random bytes (openssl rand -base64 32) signing unsubscribe links",
} as const;

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: required("the app's client id from the Partner Dashboard"),
  SHOPIFY_API_SECRET: required("the app's client secret; webhooks are verified with it"),
  SHOPIFY_APP_URL: z.url({ error: "the public https URL of this app" }),
  SCOPES: z
    .string()
    .min(1)
    .default("read_customers,write_customers,read_orders,read_fulfillments,read_locations"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z
    .string()
    .default("file:./prisma/dev.sqlite")
    .refine((url) => url.startsWith("file:") || /^postgres(ql)?:\/\//.test(url), { error: "a file: URL (SQLite) or a postgresql:// URL" }),
  /** Connections each process keeps to PostgreSQL (ignored on SQLite). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * How long a write waits for SQLite's write lock held by another process before
   * failing (webhooks then answer 503; ignored on PostgreSQL). Read by app/db.server.ts,
   * which runs before the environment is checked; validated here.
   */
  SQLITE_LOCK_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  PORT: z.coerce.number().int().positive().default(3000),
  /** Run the inbox worker inside the web process (the embedded default). */
  INBOX_WORKER_IN_PROCESS: booleanFlag.default(true),
  /** Rows a worker claims at once and how long its lease on them lasts. */
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  WORKER_LEASE_SECONDS: z.coerce.number().int().min(5).default(60),
  /**
   * How long the idle inbox job waits before looking for webhooks again. A
   * webhook the web process stores wakes it at once (in the jobs' child too,
   * over IPC: ADR 0023), so this only bounds how late it notices rows another
   * process stored (another web process on PostgreSQL, a retry coming due).
   */
  WORKER_IDLE_MS: z.coerce.number().int().min(50).max(3_600_000).default(1_000),
  /** Attempts before an inbox row is marked failed with its reason. */
  WORKER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  /**
   * Erasure (issue 18, docs/operations.md "Erasure and retention"): processed
   * raw webhook bodies are deleted this many days after they were processed
   * (failed ones this long after they last failed); and the key of the erasure
   * tombstones' digests (default: SHOPIFY_API_SECRET). Keep the key unchanged:
   * a new one makes the old tombstones match nothing.
   */
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * A sent message's words (subject, text and HTML parts, kept on its row by
   * the dispatcher: ADR 0032) are blanked this many days after it was sent;
   * the message, its decisions and its results stay.
   */
  MESSAGE_WORDS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  ERASURE_TOMBSTONE_KEY: z.string().min(32, "at least 32 characters of a random secret").optional(),
  LOG_LEVEL: z.enum(["error", "warn", "info", "debug"]).default("info"),
  /**
   * HTTP limits, enforced by server.mjs before any work (issue 18; docs/operations.md,
   * "Limits"). Bodies are counted while they arrive and refused with 413 the
   * moment they pass the limit (or their Content-Length says they will), so an
   * oversized body is never buffered. Webhooks: Shopify documents no cap for HTTPS
   * deliveries, puts payloads up to 1,000,000 bytes inline even on EventBridge, and
   * says bodies can be "upwards of a megabyte"; 5 MiB leaves five times that.
   * Forms (admin actions, /auth/login, /unsubscribe): the largest field is a
   * 20,000-character campaign body, about 180 KB form-encoded in Chinese.
   */
  WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().min(64 * 1024).max(64 * 1024 * 1024).default(5 * 1024 * 1024),
  FORM_BODY_LIMIT_BYTES: z.coerce.number().int().min(4 * 1024).max(16 * 1024 * 1024).default(512 * 1024),
  /** A webhook body must arrive this soon after its headers; Shopify itself gives up on a delivery after 5 s. */
  WEBHOOK_BODY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(10_000),
  /** Whole request headers, then the whole request, must arrive within these; a connection trickling either is closed with 408. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  /** How long an idle keep-alive connection stays open; above a load balancer's idle timeout (60 s on AWS ALB, the common default). */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(65_000),
  /** Open connections this process accepts; past it new connections are closed at once. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(10).max(100_000).default(1000),
  /**
   * Request bodies all connections together may hold in memory at once; past it a
   * request is answered 503 with Retry-After (Shopify retries) instead of buffered.
   * Never less than one webhook at its limit.
   */
  HTTP_BODY_MEMORY_BYTES: z.coerce.number().int().min(1024 * 1024).max(4 * 1024 * 1024 * 1024).default(128 * 1024 * 1024),
  /**
   * Care messages (issue 8). Email goes over SMTP (smtp:// with STARTTLS when
   * offered, smtps:// for TLS from the start; user:pass@ for auth). SMS goes
   * to a provider with Twilio's Messages API; without an account SID and
   * token the SMS channel refuses each message as "not configured".
   */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "an smtp:// or smtps:// URL such as smtp://user:pass@smtp.example.com:587" }).default("smtp://127.0.0.1:2525"),
  SMS_API_BASE_URL: httpUrl("the SMS provider's API base URL, such as https://api.twilio.com").default("https://api.twilio.com"),
  SMS_ACCOUNT_SID: z.string().optional(),
  SMS_AUTH_TOKEN: z.string().optional(),
  /**
   * The app's own sending address (issue 18): the From of every care email
   * whose shop has no confirmed address of its own (with the shop's name as
   * the display name), and always the envelope sender (MAIL FROM,
   * Return-Path), so SPF and DMARC are judged against the operator's domain.
   * Unset: notifications@ the host of SHOPIFY_APP_URL (see appMailFrom).
   */
  CARE_FROM_EMAIL: z.email({ error: "an email address such as care@membercare.example" }).optional(),
  /**
   * Deadlines on calls out, in milliseconds (issue 18, app/services/call-deadlines.server.ts):
   * an Admin API request (and each gap in a bulk result download), an SMTP
   * connection, greeting or silent socket, an SMS provider request. A call past
   * its deadline is a retryable failure. Keep them well under the workers' leases.
   */
  ADMIN_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  SMS_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Shops whose queued work (outbox effects, messages) a worker process runs at once; one slow shop holds only its own lane. */
  WORKER_SHOP_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * Messages the dispatcher hands one channel at once (issue 19, ADR 0024),
   * at most the channel's own limit (the email pool's 5 connections; one for
   * SMS and Flow). Unset: the channel's limit, as fast as the pool allows. A
   * dispatcher killed mid-send leaves up to this many messages in doubt, each
   * sent again under the same Message-ID; 1 keeps that to one message.
   */
  DISPATCH_IN_FLIGHT: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * The app's own keys (issue 18; docs/operations.md, "Keys and rotation"), each
   * `kid:base64key[,oldkid:base64key...]`, the first current. Required in
   * production; in development and tests a key is derived from the app secret
   * (app/services/keys.server.ts) so the demo and the suite need no step.
   * TOKEN_ENCRYPTION_KEYS: AES-256-GCM keys (32 bytes) sealing Shopify access and refresh tokens at rest.
   * UNSUBSCRIBE_SIGNING_KEYS: HMAC-SHA256 keys (32 bytes or more) signing unsubscribe links.
   */
  TOKEN_ENCRYPTION_KEYS: keyRingVariable({ exactBytes: 32 }).optional(),
  UNSUBSCRIBE_SIGNING_KEYS: keyRingVariable({ minBytes: 32 }).optional(),
  /**
   * Test and demo only: App Bridge from somewhere other than Shopify's CDN (the
   * local admin frame's stand-in, tools/admin-frame), and the frame's origin,
   * which then may embed the admin pages beside Shopify's own admin. Neither is
   * set in production.
   */
  APP_BRIDGE_URL: httpUrl("an http(s) URL of the App Bridge script").default(SHOPIFY_APP_BRIDGE_URL),
  ADMIN_FRAME_ORIGIN: httpUrl("an origin such as http://127.0.0.1:3100, with no path")
    .refine((value) => `${new URL(value).origin}/` === new URL(value).href, "an origin such as http://127.0.0.1:3100, with no path")
    .transform((value) => new URL(value).origin)
    .optional(),
});

export type Env = z.infer<typeof schema>;

export class InvalidEnvironmentError extends Error {
  name = "InvalidEnvironmentError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset: `.env` files often carry `KEY=`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  const production = cleaned.NODE_ENV === "production";
  const unsetKeys = production ? Object.entries(REQUIRED_IN_PRODUCTION).filter(([name]) => cleaned[name] === undefined) : [];
  if (result.success && unsetKeys.length === 0) return result.data;
  const lines = (result.success ? [] : result.error.issues).map((issue) => {
    const name = issue.path.join(".");
    const present = cleaned[name] !== undefined;
    return `  - ${name}: ${present ? "invalid" : "missing"} (${issue.message})`;
  });
  lines.push(...unsetKeys.map(([name, message]) => `  - ${name}: missing (${message})`));
  throw new InvalidEnvironmentError(
    `MemberCare cannot start: the environment is incomplete.\n${lines.join("\n")}\nSee .env.example for every variable.`,
  );
}

/**
 * The app's own sending address: CARE_FROM_EMAIL, else notifications@ the
 * host SHOPIFY_APP_URL names (the operator's domain, the one whose SPF and
 * DKIM they control), else, for a bare IP or localhost (the demo, tests),
 * notifications@membercare.localhost, which only a local inbox accepts.
 */
export function appMailFrom(config: Pick<Env, "CARE_FROM_EMAIL" | "SHOPIFY_APP_URL"> = env()): string {
  if (config.CARE_FROM_EMAIL) return config.CARE_FROM_EMAIL;
  const host = new URL(config.SHOPIFY_APP_URL).hostname.toLowerCase();
  const isName = host.includes(".") && !/^[\d.]+$/.test(host) && !host.startsWith("[");
  return `notifications@${isName ? host : "membercare.localhost"}`;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
