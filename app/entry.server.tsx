import { Transform } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { env, SHOPIFY_APP_BRIDGE_URL, type Env } from "./env.server";
import { addDocumentResponseHeaders } from "./shopify.server";

// server.mjs starts the background work (the in-process inbox worker) from the
// build's entry module, so the worker shares this bundle's database client.
export { startBackgroundWork } from "./services/background.server";

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
  applyAdminFrameSettings(responseHeaders, env());
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
