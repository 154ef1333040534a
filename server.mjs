// The production HTTP server: Node's http module in front of the Remix build.
// A bare adapter (not Express) keeps webhook acknowledgement cheap; the only
// other job here is serving the client assets the build wrote to public/build.
//
//   node server.mjs            (npm start; PORT, HOST from the environment)
//
// Tests and the demo import createAppServer() to run it in-process. With
// INBOX_WORKER_IN_PROCESS=true (the embedded default) it also starts the
// background jobs in a child process it manages (ADR 0023):
//
//   node server.mjs --workers <build>   (that child; not run by hand)
import { fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  broadcastDevReady,
  createRequestHandler,
  writeReadableStreamToWritable,
} from "@remix-run/node";

const root = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.join(root, "public");
const CONTENT_TYPES = { ".js": "text/javascript", ".css": "text/css", ".map": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".json": "application/json" };

// public/ is served at the site's root, as a Remix app's is (remix.config.js's
// defaults: assetsBuildDirectory public/build, publicPath /build/): the build's
// assets under /build/, and the files kept in the repository beside them (the
// app's icon, the favicon, the empty-state illustration). Only files that exist
// are answered here; every other path goes to Remix.
function serveStatic(req, res, pathname) {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (pathname === "/" || pathname.endsWith("/") || pathname.startsWith("/app/") || pathname.startsWith("/webhooks/")) return false;
  const file = path.join(publicDir, path.normalize(pathname));
  if (!file.startsWith(publicDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return false;
  res.writeHead(200, {
    "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
    // Build assets carry a content hash in their names and never change; the
    // icon and favicon keep their names, so a new one reaches browsers within the hour.
    "Cache-Control": pathname.startsWith("/build/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
  });
  if (req.method === "HEAD") res.end();
  else fs.createReadStream(file).pipe(res);
  return true;
}

/** One header of a node request as a string (node joins repeated ones, except set-cookie). */
function headerValue(value) {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The Fetch API request Remix and the webhook actions take, with the body server.mjs has already read within its limits. */
function toRequest(req, res, url, body) {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const init = { method: req.method, headers, signal: controller.signal };
  if (body !== undefined) init.body = body;
  return new Request(url, init);
}

// ---- Limits before work (issue 18; docs/operations.md, "Limits") ----
// Every refusal below happens before the body is buffered, before a webhook's
// HMAC is computed and before Remix runs: a 413 as soon as Content-Length or
// the bytes counted so far pass the route's limit, a 408 when a webhook body
// trickles, a 503 when the bodies all connections hold together reach
// HTTP_BODY_MEMORY_BYTES. A refused connection is not read any further and is
// closed after the answer.

/** Security headers every response carries; documents add their frame policy (app/entry.server.tsx). */
const BASE_HEADERS = { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" };

/** Answers a refused request with a plain-text reason and closes the connection (unless the whole body was read). */
function refuse(req, res, { status, message, headers = {}, keepAlive = false }) {
  if (!keepAlive) req.pause();
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...BASE_HEADERS, "Content-Type": "text/plain; charset=utf-8", ...(keepAlive ? {} : { Connection: "close" }), ...headers });
  res.end(`${message}\n`);
  // A client that never reads the answer does not keep the connection.
  if (!keepAlive) setTimeout(() => req.socket.destroy(), 5_000).unref();
}

const tooLarge = (limit) => ({ status: 413, message: `Payload too large: this address takes bodies up to ${limit} bytes` });

/** The request's declared Content-Length, when it already says the body is too large. */
function declaredTooLarge(req, limit) {
  const length = Number(req.headers["content-length"]);
  return Number.isFinite(length) && length > limit ? tooLarge(limit) : undefined;
}

/**
 * Reads a request body, counting bytes as they arrive: `{ body }`, or the
 * refusal the moment the body passes `limit`, overruns `memory` (the bytes all
 * bodies in flight hold) or misses `deadline`; `{ gone: true }` when the client
 * went away. Bytes are released when the response closes.
 */
function readBody(req, res, { limit, timeoutMs, memory }) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let held = 0;
    let settled = false;
    const release = () => {
      memory.used -= held;
      held = 0;
    };
    res.once("close", release);
    const timer = timeoutMs ? setTimeout(() => settle({ status: 408, message: `Request timeout: the body did not arrive within ${timeoutMs / 1000} s` }), timeoutMs) : undefined;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) return settle(tooLarge(limit));
      if (memory.used + chunk.length > memory.max) return settle({ status: 503, message: "Service unavailable: too many request bodies in flight, retry shortly", headers: { "Retry-After": "5" } });
      memory.used += chunk.length;
      held += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => settle({ body: Buffer.concat(chunks, size) });
    const onGone = () => settle({ gone: true });
    function settle(result) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", onGone).off("close", onGone);
      if (!result.body) {
        chunks.length = 0;
        release();
      }
      resolve(result);
    }
    req.on("data", onData).on("end", onEnd).on("error", onGone).on("close", onGone);
  });
}

/**
 * Remix refuses a form submitted from another origin (throwIfPotentialCSRFAttack
 * in @remix-run/server-runtime: Origin must name the Host, or X-Forwarded-Host
 * behind a proxy) by throwing, which answered 500. The same comparison here
 * answers 403 before the body is read.
 */
function crossOriginSubmission(req) {
  if (!["POST", "PUT", "PATCH", "DELETE"].includes(req.method)) return undefined;
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  const host = req.headers["x-forwarded-host"]?.split(",")[0]?.trim() || req.headers.host;
  let originHost;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (host && originHost === host) return undefined;
  return { status: 403, message: "Forbidden: a form submitted from another site is refused" };
}

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * The POS UI extension's backend (app/routes/pos.*, issue 21): Shopify POS
 * calls it from Shopify's origin with the POS session token in Authorization
 * and a JSON body. A bearer token is no ambient credential a forged cross-site
 * form could carry, so the cross-site form check does not apply there; the
 * routes answer CORS (Shopify's authenticate.public.pos) and read only JSON.
 */
const isPosRoute = (pathname) => pathname.startsWith("/pos/");
const JSON_TYPE = "application/json";

/** A POS request's body is JSON (or empty: a preflight); anything else is 415. */
function posBodyRefusal(body, contentType) {
  if (body.length === 0) return undefined;
  if ((contentType ?? "").split(";")[0].trim().toLowerCase() === JSON_TYPE) return undefined;
  return { status: 415, message: "Unsupported media type: send application/json", keepAlive: true };
}

/**
 * Every action outside the webhooks reads a form (request.formData()), which
 * threw on any other body, or on a multipart body that does not parse, and so
 * answered 500. Refused here instead: 415 for another media type, 400 for a
 * form that cannot be read. An empty body passes (RFC 8058 one-click
 * unsubscribe and bodiless POSTs carry nothing to parse).
 */
async function formRefusal(body, contentType) {
  if (body.length === 0) return undefined;
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (!FORM_TYPES.has(type)) {
    return { status: 415, message: "Unsupported media type: send application/x-www-form-urlencoded or multipart/form-data", keepAlive: true };
  }
  if (type === "multipart/form-data") {
    try {
      await new Response(body, { headers: { "Content-Type": contentType } }).formData();
    } catch {
      return { status: 400, message: "Bad request: the form could not be read", keepAlive: true };
    }
  }
  return undefined;
}

/** Writes a Fetch API response; `securePage` adds an HTML page's security headers (app/entry.server.tsx). */
async function sendResponse(res, response, securePage) {
  res.statusCode = response.status;
  res.statusMessage = response.statusText;
  let headers = response.headers;
  if (/^text\/html/i.test(headers.get("content-type") ?? "")) {
    headers = new Headers(headers);
    securePage(headers);
  }
  for (const [key, value] of headers) {
    if (key === "set-cookie") continue;
    res.setHeader(key, value);
  }
  const cookies = headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

// ---- Background jobs beside the web process (ADR 0023) ----
// The jobs (inbox worker, sweepers, dispatcher) run in a child process of this
// one, never on the event loop that acknowledges webhooks: libsql runs every
// statement synchronously, so a worker's batch on this loop held every
// acknowledgement behind it (p99 1.45 s while a backlog drained, issue 19).
// The child is this file run with --workers: it loads the same build and calls
// its startWorkers, the function `npm run worker` calls, so the embedded
// default and the scale path run the same jobs the same way.

/** Restart delays after the child dies: doubling from 1 s to 30 s, back to 1 s once a child has lived a minute. */
const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;
const STABLE_MS = 60_000;
/** The background jobs' niceness (0 is the web process's; 19 the lowest priority). */
const WORKER_NICENESS = 10;
/** How long a stopping child may finish its current batch before it is killed. */
const STOP_GRACE_MS = 10_000;

/** The IPC message that tells the child a webhook was stored (it wakes its idle inbox job). */
const INBOX_STORED = "inbox-stored";
/** The IPC message that says whether the web process is writing webhook deliveries (the child holds its writes meanwhile). */
const ACKNOWLEDGING = "acknowledging";

/**
 * Starts the background jobs' child process, restarts it when it dies (with
 * backoff, logged) and stops it on stop(). The child gets this process's
 * environment as it is now. `pid` is the running child's, if any.
 *
 * Webhooks are stored here, so the inbox job's wake-up (`onInboxStored`) is
 * heard here: each is forwarded to the child as one small IPC message, at
 * most one in flight however many webhooks arrive meanwhile (those ask for
 * one more message once it is sent: the child's pass then finds them all).
 * A child (re)starting begins with a pass, so nothing waits on a message it
 * missed.
 */
function manageWorkerChild({ buildPath, onInboxStored, onAcknowledging, log = (message) => console.warn(message) }) {
  let child;
  let stopping = false;
  let delay = RESTART_MIN_MS;
  let restartTimer;
  let inFlight = false;
  let again = false;
  const wake = () => {
    const current = child;
    if (!current?.connected) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    current.send({ type: INBOX_STORED }, (error) => {
      inFlight = false;
      // A send that failed went to a child that is gone; its successor starts with a pass.
      if (error || !again) return;
      again = false;
      wake();
    });
  };
  const stopForwarding = onInboxStored?.(wake);
  // While a group of deliveries is being written here, the child holds its next
  // write (ADR 0035); only changes are sent.
  let holding = false;
  const stopHolding = onAcknowledging?.((writing) => {
    if (writing === holding || !child?.connected) return;
    holding = writing;
    child.send({ type: ACKNOWLEDGING, writing });
  });
  const start = () => {
    const startedAt = Date.now();
    const current = fork(fileURLToPath(import.meta.url), ["--workers", buildPath], {
      env: { ...process.env },
      // The child is plain JavaScript: a loader the parent runs under (tsx, vitest) is not needed there.
      execArgv: [],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child = current;
    // The jobs yield the CPU to the web process: on a busy day the 2 cores are
    // shared by acknowledgements, which Shopify waits for, and the drain, which
    // nobody waits for (ADR 0035). Raising a child's niceness needs no privilege.
    try {
      os.setPriority(current.pid, WORKER_NICENESS);
    } catch (error) {
      log(`[workers] could not lower the background jobs' priority: ${error.message}`);
    }
    current.on("error", (error) => log(`[workers] child process error: ${error.message}`));
    current.once("exit", (code, signal) => {
      if (child === current) child = undefined;
      if (stopping) return;
      if (Date.now() - startedAt >= STABLE_MS) delay = RESTART_MIN_MS;
      log(`[workers] background jobs process ${current.pid} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
      restartTimer = setTimeout(start, delay);
      delay = Math.min(delay * 2, RESTART_MAX_MS);
    });
  };
  start();
  return {
    get pid() {
      return child?.pid;
    },
    async stop() {
      stopping = true;
      stopForwarding?.();
      stopHolding?.();
      clearTimeout(restartTimer);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once("exit", resolve));
      current.kill("SIGTERM");
      const killer = setTimeout(() => current.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * The child's side: loads the build, starts every background job, and stops
 * them (finishing the current batch) on SIGTERM or when the parent goes away
 * (its IPC channel closes, even if it was killed). SIGINT is the parent's to
 * handle: Ctrl+C reaches the whole process group, and the parent then stops
 * the child itself rather than see it exit and restart it.
 */
async function runWorkerChild(buildPath) {
  const build = await import(pathToFileURL(buildPath).href);
  const workers = build.entry.module.startWorkers((message) => console.warn(message));
  let stopping;
  const stop = () =>
    (stopping ??= workers.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    ));
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
  // The web process stored a webhook: the inbox job looks now instead of at its next idle look.
  process.on("message", (message) => {
    if (message?.type === INBOX_STORED) build.entry.module.wakeInbox();
    if (message?.type === ACKNOWLEDGING) build.entry.module.holdWrites(message.writing === true);
  });
  process.on("SIGINT", () => {});
}

/**
 * Starts the app server. Returns its URL, the loaded build, `workers` (the
 * background jobs' child process, when this environment runs them beside the
 * web process) and a close() that stops the child and the HTTP server.
 */
export async function createAppServer({ port = 0, host = "127.0.0.1", buildPath = path.join(root, "build/index.js"), background = true } = {}) {
  const build = await import(pathToFileURL(buildPath).href);
  const handle = createRequestHandler(build, process.env.NODE_ENV ?? "production");
  const origin = process.env.SHOPIFY_APP_URL ?? `http://${host}`;
  // Each webhook address with the topics its route declares (app/routes/webhooks.*).
  const webhookRoutes = new Map(
    Object.values(build.routes)
      .filter((route) => route.path?.startsWith("webhooks/") && route.module.TOPICS)
      .map((route) => [`/${route.path}`, route.module.TOPICS]),
  );
  const limits = build.entry.module.httpLimits();
  const memory = { used: 0, max: limits.bodyMemoryBytes };
  const refuseAndLog = (req, res, refusal, url) => {
    if (refusal.status === 413 || refusal.status === 408 || refusal.status === 503) console.warn(`[limits] ${refusal.status} ${req.method} ${url?.pathname ?? "?"}: ${refusal.message}`);
    refuse(req, res, refusal);
  };
  const server = http.createServer(
    {
      // Node checks these every connectionsCheckingInterval (30 s by default):
      // once a second, so a trickling connection is closed near its deadline.
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    async (req, res) => {
      try {
        for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
        let url;
        let pathname;
        try {
          url = new URL(req.url, origin);
          pathname = decodeURIComponent(url.pathname);
        } catch {
          return refuse(req, res, { status: 400, message: "Bad request: the URL is not valid" });
        }
        if (serveStatic(req, res, pathname)) return;
        const webhookRoute = req.method === "POST" ? webhookRoutes.get(url.pathname) : undefined;
        const limit = webhookRoute ? limits.webhookBodyBytes : limits.formBodyBytes;
        const posRoute = isPosRoute(url.pathname);
        const early = declaredTooLarge(req, limit) ?? (webhookRoute || posRoute ? undefined : crossOriginSubmission(req));
        if (early) return refuseAndLog(req, res, early, url);
        let body;
        if (req.method !== "GET" && req.method !== "HEAD") {
          const read = await readBody(req, res, { limit, memory, timeoutMs: webhookRoute ? limits.webhookBodyTimeoutMs : undefined });
          if (read.gone) return;
          if (!read.body) return refuseAndLog(req, res, read, url);
          body = read.body;
          const refusal = webhookRoute ? undefined : posRoute ? posBodyRefusal(body, req.headers["content-type"]) : await formRefusal(body, req.headers["content-type"]);
          if (refusal) return refuse(req, res, refusal);
        }
        if (webhookRoute) {
          // Webhooks are Shopify's hot path with a 5 s deadline: acknowledged from
          // the bytes read above, without a Fetch Request, Remix or its document
          // machinery (ADR 0035).
          const ack = await build.entry.module.acknowledgeWebhook(
            { method: req.method, header: (name) => headerValue(req.headers[name]), body },
            { topics: webhookRoute },
          );
          res.writeHead(ack.status, ack.headers);
          res.end(ack.text ?? undefined);
          return;
        }
        const request = toRequest(req, res, url, body);
        const securePage = (headers) => build.entry.module.securePageHeaders(request, headers);
        await sendResponse(res, await handle(request), securePage);
      } catch (error) {
        console.error(error);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("Internal Server Error");
      }
    },
  );
  // A client that asks before sending its body (Expect: 100-continue, as curl
  // does for large ones) hears 413 rather than an invitation to send it.
  server.on("checkContinue", (req, res) => {
    let url;
    try {
      url = new URL(req.url, origin);
    } catch {
      url = undefined;
    }
    const refusal = declaredTooLarge(req, req.method === "POST" && url && webhookRoutes.has(url.pathname) ? limits.webhookBodyBytes : limits.formBodyBytes);
    if (refusal) return refuseAndLog(req, res, refusal, url);
    res.writeContinue();
    server.emit("request", req, res);
  });
  // Idle keep-alive connections close after this; above a load balancer's own idle timeout.
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Past the cap Node closes new connections at once (and emits "drop").
  server.maxConnections = limits.maxConnections;
  // Node's headersTimeout runs from a request's first byte: a connection that
  // opens and sends nothing is not covered by it, nor by keepAliveTimeout
  // (which starts after a first response). It gets the same deadline to begin.
  const firstRequest = new WeakMap();
  server.on("connection", (socket) => {
    firstRequest.set(socket, setTimeout(() => socket.destroy(), limits.headersTimeoutMs).unref());
    socket.once("close", () => clearTimeout(firstRequest.get(socket)));
  });
  server.on("request", (req) => clearTimeout(firstRequest.get(req.socket)));
  let lastDropLog = 0;
  server.on("drop", () => {
    if (Date.now() - lastDropLog < 10_000) return;
    lastDropLog = Date.now();
    console.warn(`[limits] connection refused: ${limits.maxConnections} connections open (HTTP_MAX_CONNECTIONS)`);
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const workers = background && build.entry.module.workersBesideWeb() ? manageWorkerChild({ buildPath, onInboxStored: build.entry.module.onInboxStored, onAcknowledging: build.entry.module.onAcknowledging }) : undefined;
  // Under `remix dev --manual` (shopify app dev), tell the dev server this build is live.
  if (process.env.NODE_ENV === "development") await broadcastDevReady(build);
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    build,
    workers,
    async close() {
      await workers?.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const main = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (main && process.argv[2] === "--workers") {
  await runWorkerChild(process.argv[3]);
} else if (main) {
  const app = await createAppServer({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? "0.0.0.0" }).catch((error) => {
    // A missing variable is an operator's fix, not a crash: say which, without a stack.
    console.error(error?.name === "InvalidEnvironmentError" ? error.message : error);
    process.exit(1);
  });
  console.log(`MemberCare listening on ${app.url}`);
  const shutdown = async () => {
    await app.close();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
