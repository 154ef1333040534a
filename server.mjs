// The production HTTP server: Node's http module in front of the Remix build.
// A bare adapter (not Express) keeps webhook acknowledgement cheap; the only
// other job here is serving the client assets the build wrote to public/build.
//
//   node server.mjs            (npm start; PORT, HOST from the environment)
//
// Tests and the demo import createAppServer() to run it in-process.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  broadcastDevReady,
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
} from "@remix-run/node";

const root = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.join(root, "public");
const CONTENT_TYPES = { ".js": "text/javascript", ".css": "text/css", ".map": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".json": "application/json" };

function serveStatic(req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (!pathname.startsWith("/build/") && pathname !== "/favicon.ico") return false;
  const file = path.join(publicDir, path.normalize(pathname));
  if (!file.startsWith(publicDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return false;
  res.writeHead(200, {
    "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
    // Build assets carry a content hash in their names.
    "Cache-Control": pathname.startsWith("/build/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
  });
  if (req.method === "HEAD") res.end();
  else fs.createReadStream(file).pipe(res);
  return true;
}

function toRequest(req, res, origin) {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(new URL(req.url, origin), init);
}

async function sendResponse(res, response) {
  res.statusCode = response.status;
  res.statusMessage = response.statusText;
  for (const [key, value] of response.headers) {
    if (key === "set-cookie") continue;
    res.setHeader(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/**
 * Starts the app server. Returns its URL, the loaded build and a close()
 * that stops background work and the HTTP server.
 */
export async function createAppServer({ port = 0, host = "127.0.0.1", buildPath = path.join(root, "build/index.js"), background = true } = {}) {
  const build = await import(pathToFileURL(buildPath).href);
  const handle = createRequestHandler(build, process.env.NODE_ENV ?? "production");
  const origin = process.env.SHOPIFY_APP_URL ?? `http://${host}`;
  const webhookRoutes = new Map(
    Object.values(build.routes)
      .filter((route) => route.path?.startsWith("webhooks/") && route.module.action)
      .map((route) => [`/${route.path}`, route.module.action]),
  );
  const server = http.createServer(async (req, res) => {
    try {
      if (serveStatic(req, res)) return;
      // Webhooks are Shopify's hot path with a 5 s deadline: their route's action
      // is called directly, without Remix's document and loader machinery.
      const webhookRoute = req.method === "POST" ? webhookRoutes.get(new URL(req.url, origin).pathname) : undefined;
      if (webhookRoute) {
        await sendResponse(res, await webhookRoute({ request: toRequest(req, res, origin), params: {}, context: {} }));
        return;
      }
      await sendResponse(res, await handle(toRequest(req, res, origin)));
    } catch (error) {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("Internal Server Error");
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(port, host, resolve));
  const worker = background ? build.entry.module.startBackgroundWork?.() : undefined;
  // Under `remix dev --manual` (shopify app dev), tell the dev server this build is live.
  if (process.env.NODE_ENV === "development") await broadcastDevReady(build);
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    build,
    async close() {
      await worker?.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
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
