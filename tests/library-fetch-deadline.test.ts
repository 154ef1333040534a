// Shopify's own library (token exchange and refresh, the request-bound Admin
// client behind admin.graphql) makes its requests through the fetch it keeps
// in @shopify/shopify-api/runtime, with no timeout of its own. The app wraps
// that fetch (app/shopify.server.ts) so each of those requests has the Admin
// API deadline too (issue 18). A server that takes the request and never
// answers stands for a hung Shopify.
import http from "node:http";
import type { AddressInfo } from "node:net";

// Before the app's environment is first read in this file.
process.env.ADMIN_API_TIMEOUT_MS = "300";

let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((request) => request.resume());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/api/2026-10/graphql.json`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it("gives every request Shopify's library makes a deadline, and still honours a caller's own signal", async () => {
  await import("~/shopify.server");
  const runtime = await import("@shopify/shopify-api/runtime");
  const post = (init: RequestInit = {}) => runtime.abstractFetch(url, { method: "POST", body: "{}", ...init });

  // No signal of the caller's: the deadline ends it (a TimeoutError, which the app's workers treat as transient).
  await expect(post()).rejects.toMatchObject({ name: "TimeoutError" });

  // The caller's signal still works alongside the deadline.
  const controller = new AbortController();
  const aborted = post({ signal: controller.signal });
  controller.abort(new Error("the merchant left the page"));
  await expect(aborted).rejects.toThrow("the merchant left the page");

  // Evaluating the app's module again (a test file, a reload) does not stack a second deadline on the first.
  const { fetchWithDeadline } = await import("~/services/call-deadlines.server");
  expect(fetchWithDeadline(runtime.abstractFetch, () => 1)).toBe(runtime.abstractFetch);
});
