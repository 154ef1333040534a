// npm run bench:storefront: what MemberCare's theme app extension costs a
// storefront, by Lighthouse (the tool Shopify's storefront performance rule
// names: an app may not lower the store's Lighthouse performance score by
// more than 10 points, https://shopify.dev/docs/apps/build/performance/storefront).
//
// The test theme page (tools/storefront: a Dawn-shaped home page with a
// banner, eight product photos of real size, the theme's render-blocking CSS
// and deferred JS) is measured with the extension's blocks and embed placed
// and without them, for a signed-in Gold member and for a guest, several runs
// each, alternating with and without so a change in the machine's load falls
// on both. Lighthouse 13's default (mobile) configuration with its simulated
// throttling, Debian's chromium. Prints the medians beside each other and
// appends them to docs/benchmarks.md.
//
//   npm run bench:storefront -- [--runs 5] [--no-append]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import lighthouse from "lighthouse";
import { freePort } from "../../tools/admin-frame";
import { fixtureSource, startStorefrontServer } from "../../tools/storefront/server";
import { ASSET_PATHS } from "../../tools/storefront/page";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, "no-append": { type: "boolean", default: false } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  console.error("npm run bench:storefront -- [--runs N (1 to 50)] [--no-append]");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "../..");
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

interface Run {
  score: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  fcpMs: number;
  /** Bytes the page transferred, and those of the extension's own assets. */
  totalBytes: number;
  extensionBytes: number;
  /** Requests Lighthouse counts as render-blocking, by URL. */
  renderBlocking: string[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

interface NetworkItem {
  url: string;
  transferSize?: number;
}

async function measure(url: string, port: number): Promise<Run> {
  const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const audit = (id: string) => lhr.audits[id];
  const network = ((audit("network-requests")?.details as { items?: NetworkItem[] } | undefined)?.items ?? []) as NetworkItem[];
  const blocking = audit("render-blocking-insight") ?? audit("render-blocking-resources");
  const blockingItems = ((blocking?.details as { items?: Array<{ url?: string }> } | undefined)?.items ?? []).map((item) => item.url ?? "").filter(Boolean);
  return {
    score: Math.round((lhr.categories.performance.score ?? 0) * 100),
    lcpMs: audit("largest-contentful-paint").numericValue ?? NaN,
    tbtMs: audit("total-blocking-time").numericValue ?? NaN,
    cls: audit("cumulative-layout-shift").numericValue ?? NaN,
    fcpMs: audit("first-contentful-paint").numericValue ?? NaN,
    totalBytes: network.reduce((sum, item) => sum + (item.transferSize ?? 0), 0),
    extensionBytes: network.filter((item) => new URL(item.url).pathname.startsWith(`${ASSET_PATHS.extension}/`)).reduce((sum, item) => sum + (item.transferSize ?? 0), 0),
    renderBlocking: blockingItems,
  };
}

const scenarios = [
  { name: "home page, Gold member", query: "shopper=gold" },
  { name: "home page, guest", query: "shopper=guest" },
] as const;

const server = await startStorefrontServer({ source: await fixtureSource() });
const debuggingPort = await freePort();
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [`--remote-debugging-port=${debuggingPort}`, "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const results = new Map<string, { with: Run[]; without: Run[] }>();
const loadBefore = os.loadavg()[0];
try {
  for (const scenario of scenarios) {
    const entry = { with: [] as Run[], without: [] as Run[] };
    results.set(scenario.name, entry);
    for (let run = 0; run < runs; run++) {
      // Alternate which goes first, so a drift in the machine's load falls on both.
      const order = run % 2 === 0 ? (["with", "without"] as const) : (["without", "with"] as const);
      for (const variant of order) {
        const url = `${server.url}/?${scenario.query}${variant === "without" ? "&blocks=0" : ""}`;
        const measured = await measure(url, debuggingPort);
        entry[variant].push(measured);
        console.log(`${scenario.name}, ${variant} the extension, run ${run + 1}: score ${measured.score}, LCP ${Math.round(measured.lcpMs)} ms, TBT ${Math.round(measured.tbtMs)} ms, CLS ${measured.cls.toFixed(3)}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const loadAfter = os.loadavg()[0];

const fmt = (value: number, digits = 0) => value.toFixed(digits);
const rows = [...results].flatMap(([name, { with: withRuns, without }]) => {
  const row = (label: string, list: Run[]) =>
    `| ${name} | ${label} | **${fmt(median(list.map((r) => r.score)))}** (${Math.min(...list.map((r) => r.score))}–${Math.max(...list.map((r) => r.score))}) | ${fmt(median(list.map((r) => r.lcpMs)))} | ${fmt(median(list.map((r) => r.tbtMs)))} | ${fmt(median(list.map((r) => r.cls)), 3)} | ${fmt(median(list.map((r) => r.fcpMs)))} | ${fmt(median(list.map((r) => r.totalBytes)) / 1024, 1)} | ${fmt(median(list.map((r) => r.extensionBytes)) / 1024, 1)} |`;
  return [row("without", without), row("with", withRuns)];
});
const deltas = [...results].map(([name, { with: withRuns, without }]) => `${name}: ${fmt(median(withRuns.map((r) => r.score)) - median(without.map((r) => r.score)))} points (Shopify's limit: −10)`);
const blockingFromExtension = [...new Set([...results.values()].flatMap((entry) => entry.with.flatMap((run) => run.renderBlocking)).filter((url) => url.includes(`${ASSET_PATHS.extension}/`)))];
const table = [
  `### bench:storefront, ${new Date().toISOString().slice(0, 16)}Z (${os.cpus().length} cores, Node ${process.version}, Lighthouse 13 mobile defaults with simulated throttling, ${path.basename(CHROMIUM_PATH)} ${browser.version()}, ${runs} runs each, load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after)`,
  "",
  "| page | extension | performance score, median (range) | LCP ms | TBT ms | CLS | FCP ms | page KiB | extension KiB |",
  "|---|---|---|---|---|---|---|---|---|",
  ...rows,
  "",
  `Change in the median score with the extension: ${deltas.join("; ")}. Render-blocking requests of the extension, as Lighthouse counts them: ${blockingFromExtension.length ? blockingFromExtension.join(", ") : "none"}.`,
  "",
].join("\n");
console.log(`\n${table}`);
if (!values["no-append"]) fs.appendFileSync(path.join(root, "docs", "benchmarks.md"), `\n${table}`);
process.exit(0);
