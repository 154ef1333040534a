import { Transform } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { parseShopDomain } from "./domain/shop-domain";
import { env, SHOPIFY_APP_BRIDGE_URL, type Env } from "./env.server";
import { addDocumentResponseHeaders } from "./shopify.server";

// server.mjs runs the background jobs beside the web process in a child process
// it manages (ADR 0023); that child loads this build and calls startWorkers,
// the function `npm run worker` calls; a webhook stored here wakes the child's
// inbox job over IPC (onInboxStored here, wakeInbox there).
export { holdWrites, onAcknowledging, onInboxStored, startWorkers, wakeInbox } from "./services/background.server";
// server.mjs acknowledges webhooks with the bytes it read, without Remix or a Fetch Request (ADR 0035).
export { acknowledgeWebhook } from "./services/ingest.server";

/** Whether this environment runs the background jobs beside the web process (the embedded default) rather than in `npm run worker` processes. */
export function workersBesideWeb(): boolean {
  return env().INBOX_WORKER_IN_PROCESS;
}

const ABORT_DELAY = 5_000;

/**
 * Shopify's document headers preload App Bridge from its CDN and let only the
 * shop's and Shopify's admin frame the page. With APP_BRIDGE_URL elsewhere (the
 * local admin frame's stand-in) the preload names that script instead, and
 * ADMIN_FRAME_ORIGIN joins frame-ancestors; by default both stay as Shopify set them.
 */
export function applyAdminFrameSettings(headers: Headers, { APP_BRIDGE_URL, ADMIN_FRAME_ORIGIN }: Pick<Env, "APP_BRIDGE_URL" | "ADMIN_FRAME_ORIGIN">) {
  const link = headers.get("Link");
  if (link && APP_BRIDGE_URL !== SHOPIFY_APP_BRIDGE_URL) headers.set("Link", link.replace(`<${SHOPIFY_APP_BRIDGE_URL}>`, `<${APP_BRIDGE_URL}>`));
  const policy = headers.get("Content-Security-Policy");
  if (policy && ADMIN_FRAME_ORIGIN && !policy.includes("frame-ancestors 'none'")) {
    headers.set("Content-Security-Policy", policy.replace(/frame-ancestors ([^;]*)/, (_, sources: string) => `frame-ancestors ${sources.trim()} ${ADMIN_FRAME_ORIGIN}`));
  }
}

/**
 * The HTTP limits server.mjs enforces before any work, from the validated
 * environment (app/env.server.ts documents each one and why its default).
 */
export function httpLimits() {
  const config = env();
  return {
    webhookBodyBytes: config.WEBHOOK_BODY_LIMIT_BYTES,
    formBodyBytes: config.FORM_BODY_LIMIT_BYTES,
    webhookBodyTimeoutMs: config.WEBHOOK_BODY_TIMEOUT_MS,
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
    // One webhook at its limit must always fit.
    bodyMemoryBytes: Math.max(config.HTTP_BODY_MEMORY_BYTES, config.WEBHOOK_BODY_LIMIT_BYTES),
  };
}

/** Pages Shopify's admin frames: the app's own and the library's auth pages (session-token bounce, exit-iframe), not the login form. */
const framedByAdmin = (pathname: string) => pathname === "/app" || pathname.startsWith("/app/") || (pathname.startsWith("/auth/") && pathname !== "/auth/login");

/**
 * The frame and referrer policy of every HTML response. Shopify asks for
 * frame-ancestors "set to the authenticated shop's domain and
 * https://admin.shopify.com" on every route that renders HTML, and 'none' on
 * pages the admin does not frame
 * (shopify.dev/docs/apps/build/security/app-server/set-up-iframe-protection).
 * `addDocumentResponseHeaders` builds on `?shop=` as Shopify's `sanitizeShop`
 * reads it, and adds Shopify's internal development hosts (*.spin.dev,
 * admin.myshopify.io, admin.shop.dev), which no merchant's admin is served
 * from; its session-token bounce page takes `?shop=` unchecked (it answered
 * `frame-ancestors https://evil.example.com` to `?shop=evil.example.com`). So
 * an admin page may be framed only when `?shop=` is a shop domain by the app's
 * one check (parseShopDomain), and only by that shop and admin.shopify.com.
 * Everything else (the landing page, /auth/login, /unsubscribe, the sender
 * confirmation page, an admin page without a valid shop) cannot be framed at
 * all, with X-Frame-Options for browsers that predate frame-ancestors.
 * Unsubscribe and sender-confirmation links carry a signed token in the path,
 * so those pages send no Referer at all.
 */
const TOKEN_IN_PATH = ["/unsubscribe/", "/sender/confirm/"];

export function applySecurityHeaders(request: Request, headers: Headers, { SHOP_CUSTOM_DOMAIN }: Pick<Env, "SHOP_CUSTOM_DOMAIN">) {
  const url = new URL(request.url);
  const shop = framedByAdmin(url.pathname) ? parseShopDomain(url.searchParams.get("shop"), SHOP_CUSTOM_DOMAIN ? [SHOP_CUSTOM_DOMAIN] : []) : null;
  if (shop) {
    headers.set("Content-Security-Policy", `frame-ancestors https://${shop} https://admin.shopify.com;`);
    headers.delete("X-Frame-Options");
  } else {
    headers.set("Content-Security-Policy", "frame-ancestors 'none';");
    headers.set("X-Frame-Options", "DENY");
  }
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", TOKEN_IN_PATH.some((prefix) => url.pathname.startsWith(prefix)) ? "no-referrer" : "strict-origin-when-cross-origin");
}

/**
 * Every HTML response's security headers, then the local admin frame's
 * settings (test and demo only). Documents get them here; server.mjs applies
 * the same to every other HTML response (a resource route's thrown page, such
 * as Shopify's session-token bounce), so no page leaves without them.
 */
export function securePageHeaders(request: Request, headers: Headers) {
  const config = env();
  applySecurityHeaders(request, headers, config);
  applyAdminFrameSettings(headers, config);
}

/**
 * React 18.3's streaming renderer can leave NUL bytes where a multi-byte
 * character (most of a zh-CN page) meets the end of its write buffer
 * (react/react#31134). The characters themselves are whole; the NULs are
 * padding. HTML never contains a NUL, so they are dropped on the way out.
 */
export const withoutNulBytes = () =>
  new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? Buffer.from(chunk.filter((byte) => byte !== 0)) : chunk);
    },
  });

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  addDocumentResponseHeaders(request, responseHeaders);
  securePageHeaders(request, responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />, {
      [callbackName]: () => {
        const body = withoutNulBytes();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
}
