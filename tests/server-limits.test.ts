// Limits before work (issue 18), against the built server in a process of its
// own, so its memory can be read from /proc: oversized bodies (declared and
// chunked without a length), slow and endless ones, trickled headers, idle
// connections and more connections than the cap. Each is refused (413, 408, or
// the connection closed) before the body is buffered: the server's peak memory
// grows by far less than the bytes thrown at it, and afterwards it still takes
// a real signed webhook. Assertions are on outcomes (statuses, closed sockets,
// memory), never on how long anything took.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import db from "~/db.server";
import { orderPayload } from "./support/payloads";
import { installShop } from "./support/session-token";
import { sendWebhook, signBody } from "../tools/simulator/webhooks";

const MB = 1024 * 1024;
// The defaults the server runs with (app/env.server.ts): the size limits are the
// production ones; only the deadlines and the connection cap are shortened, so
// the slow cases end within the test's time.
const WEBHOOK_LIMIT = 5 * MB;
const FORM_LIMIT = 512 * 1024;
const CONNECTION_CAP = 40;

let child: ChildProcess;
let port: number;
let output = "";

beforeAll(async () => {
  // server.mjs's own createAppServer on a free port (PORT must name one).
  const start = `const { createAppServer } = await import(${JSON.stringify(path.resolve("server.mjs"))}); const app = await createAppServer({ port: 0 }); console.log("listening on " + app.url);`;
  child = spawn(process.execPath, ["--input-type=module", "-e", start], {
    env: {
      ...process.env,
      INBOX_WORKER_IN_PROCESS: "false",
      WEBHOOK_BODY_TIMEOUT_MS: "2000",
      HTTP_HEADERS_TIMEOUT_MS: "2000",
      HTTP_REQUEST_TIMEOUT_MS: "4000",
      HTTP_KEEP_ALIVE_TIMEOUT_MS: "2000",
      HTTP_MAX_CONNECTIONS: String(CONNECTION_CAP),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  await installShop(shop);
  // Warm up what a first request loads (routes, the database client), so the
  // memory measured later is the requests' own.
  expect((await sendWebhook(base(), { topic: "orders/create", shop, body: orderPayload({ id: "70001" }), webhookId: "limits-warmup" })).status).toBe(200);
  expect((await fetch(`${base()}/auth/login`)).status).toBe(200);
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
});

const shop = "limits-shop.myshopify.com";
const base = () => `http://127.0.0.1:${port}`;

/** The server process's resident memory now and its peak so far, in bytes (/proc/<pid>/status). */
function memory() {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

interface Exchange {
  /** The status line's code, when the server answered before closing. */
  status: number | null;
  /** Whether every byte the client meant to send was accepted before the connection closed. */
  sentAll: boolean;
  bytesSent: number;
}

/**
 * One HTTP/1.1 exchange over a raw socket: writes `head`, then up to `total`
 * body bytes (chunked encoding when `chunked`), `chunk` at a time, `pauseMs`
 * between chunks, honouring back-pressure, until the body is sent or the server
 * closes the connection. Resolves when the server has closed it.
 */
function exchange(head: string, { total = 0, chunk = 64 * 1024, chunked = false, pauseMs = 0 }: { total?: number; chunk?: number; chunked?: boolean; pauseMs?: number } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    let closed = false;
    let sentAll = false;
    let bytesSent = 0;
    const piece = Buffer.alloc(chunk, "a");
    socket.on("data", (data) => (received += data.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      closed = true;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : null, sentAll, bytesSent });
    });
    socket.on("connect", async () => {
      socket.write(head);
      while (!closed && bytesSent < total) {
        const size = Math.min(chunk, total - bytesSent);
        const data = size === chunk ? piece : piece.subarray(0, size);
        const flushed = socket.write(chunked ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), data, Buffer.from("\r\n")]) : data);
        bytesSent += size;
        if (!flushed) await new Promise((next) => (socket.once("drain", next), socket.once("close", next)));
        if (pauseMs) await new Promise((next) => setTimeout(next, pauseMs));
      }
      if (closed) return;
      if (chunked) socket.write("0\r\n\r\n");
      sentAll = true;
    });
  });
}

const webhookHead = (extra: string) =>
  `POST /webhooks/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Shopify-Topic: orders/create\r\nX-Shopify-Shop-Domain: ${shop}\r\nX-Shopify-Hmac-Sha256: ${signBody("{}")}\r\nX-Shopify-Webhook-Id: limits-oversized\r\nX-Shopify-API-Version: 2026-10\r\n${extra}\r\n`;

/** Runs `work` while sampling the server's memory; returns how far its resident and peak memory rose above where they started. */
async function growthDuring<T>(work: () => Promise<T>): Promise<{ result: T; rssGrowth: number; peakGrowth: number }> {
  const before = memory();
  let highest = before.rss;
  const sampler = setInterval(() => (highest = Math.max(highest, memory().rss)), 20);
  try {
    const result = await work();
    return { result, rssGrowth: highest - before.rss, peakGrowth: memory().peak - before.peak };
  } finally {
    clearInterval(sampler);
  }
}

describe("body size limits, enforced while the body arrives", () => {
  it("refuses a webhook whose Content-Length is over the limit without reading it", async () => {
    // Like a client that waits for an early answer (curl's Expect: 100-continue),
    // it sends the headers and its first kilobytes, then waits.
    const result = await exchange(webhookHead(`Content-Length: ${100 * MB}\r\n`), { total: 64 * 1024 });
    expect(result.status).toBe(413);
    // One that asks first (Expect: 100-continue) hears 413, not "100 Continue".
    const asked = await exchange(webhookHead(`Content-Length: ${100 * MB}\r\nExpect: 100-continue\r\n`));
    expect(asked.status).toBe(413);
  }, 60_000);

  it("stops a chunked webhook of 80 MB without a length at the limit: memory grows by far less than was sent", async () => {
    const total = 80 * MB;
    const { result, rssGrowth, peakGrowth } = await growthDuring(() => exchange(webhookHead("Transfer-Encoding: chunked\r\n"), { total, chunked: true }));
    // 413 when the answer reached the client before the close, else just the close.
    expect([413, null]).toContain(result.status);
    expect(result.sentAll).toBe(false);
    // The server stopped reading soon after its 5 MiB limit: what the client got
    // into the connection is the limit plus socket buffers, not the 80 MB.
    expect(result.bytesSent).toBeLessThan(WEBHOOK_LIMIT + 16 * MB);
    expect(rssGrowth).toBeLessThan(total / 4);
    expect(peakGrowth).toBeLessThan(total / 4);
  }, 60_000);

  it("holds four 25 MB chunked webhooks at once to their limits", async () => {
    const total = 25 * MB;
    const { result, rssGrowth, peakGrowth } = await growthDuring(() => Promise.all([1, 2, 3, 4].map(() => exchange(webhookHead("Transfer-Encoding: chunked\r\n"), { total, chunked: true }))));
    for (const one of result) {
      expect([413, null]).toContain(one.status);
      expect(one.sentAll).toBe(false);
    }
    // Four bodies buffered whole would be 100 MB (and several times that once
    // decoded); held to their limits they are at most 4 × 5 MiB.
    // (Measured: about 21 MB; the server before the limits grew by about 400 MB.)
    // Half of what was sent leaves room for a garbage collector slowed by a busy machine.
    expect(rssGrowth).toBeLessThan((4 * total) / 2);
    expect(peakGrowth).toBeLessThan((4 * total) / 2);
  }, 60_000);

  it("stops an endless webhook body (it never ends, the server ends it)", async () => {
    const result = await exchange(webhookHead("Transfer-Encoding: chunked\r\n"), { total: Number.MAX_SAFE_INTEGER, chunked: true });
    expect([413, null]).toContain(result.status);
    expect(result.sentAll).toBe(false);
  }, 60_000);

  it("refuses a 50 MB login form, declared or chunked, before /auth/login parses it", async () => {
    const form = (extra: string) => `POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n${extra}\r\n`;
    const declared = await exchange(form(`Content-Length: ${50 * MB}\r\n`), { total: 64 * 1024 });
    expect(declared.status).toBe(413);
    const { result: streamed, rssGrowth } = await growthDuring(() => exchange(form("Transfer-Encoding: chunked\r\n"), { total: 50 * MB, chunked: true }));
    expect([413, null]).toContain(streamed.status);
    expect(streamed.sentAll).toBe(false);
    expect(streamed.bytesSent).toBeLessThan(FORM_LIMIT + 16 * MB);
    expect(rssGrowth).toBeLessThan(10 * MB);
  }, 60_000);

  it("still takes a signed order body over 1 MB (more than Shopify puts inline even on EventBridge, 1,000,000 bytes)", async () => {
    const lines = Array.from({ length: 1300 }, (_, i) => ({ id: `7100${i}`, productId: `8100${i}`, price: "10.00" }));
    const body = orderPayload({ id: "70002", lines, subtotal: "13000.00" });
    expect(JSON.stringify(body).length).toBeGreaterThan(1_000_000);
    const response = await sendWebhook(base(), { topic: "orders/create", shop, body, webhookId: "limits-large-order" });
    expect(response.status).toBe(200);
    expect(await db.inboxEvent.count({ where: { webhookId: "limits-large-order" } })).toBe(1);
  }, 60_000);
});

describe("slow clients are closed", () => {
  it("answers 408 and closes a webhook whose body trickles", async () => {
    // 1 KB every 200 ms: 1 MB would take over three minutes.
    const result = await exchange(webhookHead(`Content-Length: ${MB}\r\n`), { total: MB, chunk: 1024, pauseMs: 200 });
    expect(result.status).toBe(408);
    expect(result.sentAll).toBe(false);
  }, 60_000);

  it("closes a form whose body trickles", async () => {
    const result = await exchange(`POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n`, { total: 100_000, chunk: 100, pauseMs: 200 });
    expect([408, null]).toContain(result.status);
    expect(result.sentAll).toBe(false);
  }, 60_000);

  it("closes a connection that trickles its headers", async () => {
    const result = await new Promise<{ status: number | null }>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      let received = "";
      let line = 0;
      // A header line every 200 ms, never the blank line that ends them.
      const timer = setInterval(() => socket.write(`X-Slow-${line++}: a\r\n`), 200);
      socket.on("connect", () => socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
      socket.on("data", (data) => (received += data.toString()));
      socket.on("error", () => {});
      socket.on("close", () => {
        clearInterval(timer);
        const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
        resolve({ status: match ? Number(match[1]) : null });
      });
    });
    // Closed, with Node's 408 or without an answer; never served.
    expect(result.status === null || result.status >= 400, `answered ${result.status}`).toBe(true);
  }, 60_000);

  it("closes a connection that opens and sends nothing", async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("error", () => {});
      socket.on("close", () => resolve(true));
    });
    expect(closed).toBe(true);
  }, 60_000);

  it("closes new connections past the cap, and serves again once they go", async () => {
    const held: net.Socket[] = [];
    // Fill the cap with connections that are mid-request (headers begun), so no timer frees them yet.
    for (let i = 0; i < CONNECTION_CAP; i++) {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("error", () => {});
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write("GET / HTTP/1.1\r\n");
      held.push(socket);
    }
    // Let the server register every one of them.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await exchange("GET /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    expect(refused.status).toBe(null);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${base()}/auth/login`)).status).toBe(200);
  }, 60_000);
});

it("answers a normal signed webhook after all of the above", async () => {
  const response = await sendWebhook(base(), { topic: "orders/create", shop, body: orderPayload({ id: "70003" }), webhookId: "limits-after" });
  expect(response.status).toBe(200);
  expect(await db.inboxEvent.count({ where: { webhookId: "limits-after" } })).toBe(1);
  expect(child.exitCode).toBe(null);
}, 60_000);
