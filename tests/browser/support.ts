// The browser suite's harness: Debian's chromium through playwright-core, the
// problems a page reports (console errors, uncaught exceptions, failed or
// refused requests, in the admin page and the app's iframe alike), and
// full-page screenshots in artifacts/screenshots/ (git-ignored).
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Frame, type Page, type Request } from "playwright-core";
import { expect } from "vitest";
import { adminFrameAppEnv, freePort, startAdminFrame, type AdminFrame } from "../../tools/admin-frame";
import { startStoreSimulator, type StoreSimulator } from "../../tools/simulator/admin-api";
import { installShopRouting } from "../../tools/simulator/route-shop-domains";
import { TEST_SECRET } from "../../tools/simulator/webhooks";
import { saveShopSettings } from "~/models/shops.server";
import { installShop } from "../support/session-token";
import { startTestApp, type TestApp } from "../support/app";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOT_DIR = path.resolve("artifacts/screenshots");

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests drive Debian's chromium, and there is none at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` (.ci/run does this), or point CHROMIUM_PATH at a Chromium binary.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** A browser tab that records every problem it runs into, for the test to fail on with the messages. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  problems: string[];
  /** Requests the page (or its app iframe) has sent and not yet seen answered or failed. */
  inFlight: Set<Request>;
  close(): Promise<void>;
}

export async function openWatchedPage(browser: Browser, { locale }: { locale: string }): Promise<WatchedPage> {
  // Headless Chromium names itself HeadlessChrome, and Shopify's library answers bots 410 Gone on admin pages: present as the desktop browser it is.
  const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale, deviceScaleFactor: 1, userAgent });
  const page = await context.newPage();
  page.setDefaultTimeout(Number(process.env.BROWSER_TIMEOUT_MS ?? 60_000));
  const problems: string[] = [];
  const inFlight = new Set<Request>();
  page.on("request", (request) => inFlight.add(request));
  page.on("requestfinished", (request) => inFlight.delete(request));
  const where = (frame: Frame | null | undefined) => (frame && frame !== page.mainFrame() ? "app iframe" : "admin page");
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // A sandboxed frame (a sent email's HTML on its message page) refusing a
    // script is the sandbox doing its job, not a fault a person sees; the script
    // refused is often the harness's own (measureWebVitals' init script runs in
    // every frame).
    if (/^Blocked script execution in '.*' because the document's frame is sandboxed/.test(message.text())) return;
    problems.push(`console error (${message.location().url || "?"}): ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught exception: ${error.stack ?? error.message}`));
  page.on("requestfailed", (request) => {
    inFlight.delete(request);
    // Cancelled by the browser itself (the page navigated on, a fetch was aborted):
    // not a failure a person would see. A server that fails answers with a status
    // (counted below) or drops the connection (ERR_CONNECTION_*, ERR_EMPTY_RESPONSE).
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request failed in the ${where(request.frame())}: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "?"})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} in the ${where(response.frame())}: ${response.request().method()} ${response.url()}`);
  });
  return { page, context, problems, inFlight, close: () => context.close() };
}

/** A screenshot of the whole admin page (the iframe grows to the app's page), or of what the window shows. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // A whole page from its top: left scrolled (a test scrolled to a preview
  // before), the admin's sticky top bar would be drawn over the title bar.
  if (fullPage) await page.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
  await page.screenshot({ path: file, fullPage });
  return file;
}

/**
 * Waits until every request the page has sent so far is answered or has failed,
 * so a failure it ends in is counted. Not Playwright's network-idle state (500 ms with
 * no request at all, which a loaded 2-core machine may not give for a minute):
 * only the requests already sent, and a request still unanswered after
 * `settleMs` is itself reported as a problem, by its URL.
 */
export async function requestsSettled(watched: WatchedPage, settleMs = 30_000): Promise<void> {
  const until = Date.now() + settleMs;
  const waitingFor = new Set(watched.inFlight);
  while ([...waitingFor].some((request) => watched.inFlight.has(request)) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const request of waitingFor) {
    if (watched.inFlight.has(request)) watched.problems.push(`no answer after ${settleMs / 1000} s: ${request.method()} ${request.url()}`);
  }
}

/** Fails with every problem the page ran into, once the requests it has sent have settled. */
export async function expectNoProblems(watched: WatchedPage): Promise<void> {
  await requestsSettled(watched);
  expect(watched.problems, watched.problems.join("\n")).toEqual([]);
}

/**
 * The built app inside the local admin frame for `shop`: the app has to know
 * the frame before it starts (App Bridge from the frame's stand-in, the frame
 * allowed to embed it), and the frame issues session tokens for staff user 7.
 */
export async function startEmbeddedApp({ shop, worker }: { shop: string; worker?: boolean }): Promise<{ app: TestApp; frame: AdminFrame; close(): Promise<void> }> {
  const framePort = await freePort();
  Object.assign(process.env, adminFrameAppEnv(`http://127.0.0.1:${framePort}`));
  const app = await startTestApp({ worker });
  const frame = await startAdminFrame({
    appUrl: app.url,
    shop,
    apiKey: process.env.SHOPIFY_API_KEY ?? "test-api-key",
    apiSecret: process.env.SHOPIFY_API_SECRET ?? TEST_SECRET,
    port: framePort,
    staffUserId: "7",
  });
  return {
    app,
    frame,
    async close() {
      await frame.close();
      await app.close();
      delete process.env.APP_BRIDGE_URL;
      delete process.env.ADMIN_FRAME_ORIGIN;
    },
  };
}

/**
 * A shop the store simulator answers for (its Admin API and its myshopify
 * domain), installed with an offline session, its settings saved as the
 * install would: UTC, USD, English.
 */
export async function startSimulatedShop({ shop, name, now }: { shop: string; name: string; now: Date }): Promise<{ simulator: StoreSimulator; close(): Promise<void> }> {
  const simulator = await startStoreSimulator();
  const unroute = installShopRouting(simulator.url);
  simulator.addShop({ shop, accessToken: `shpat_${shop}`, name, ianaTimezone: "UTC", currencyCode: "USD" });
  await installShop(shop);
  await saveShopSettings(shop, { name, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, now);
  return {
    simulator,
    async close() {
      unroute();
      await simulator.close();
    },
  };
}
