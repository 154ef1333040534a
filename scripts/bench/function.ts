// `npm run bench:function`: the member discount Function's bundle, built the
// way Shopify CLI builds it (extensions/member-discount/tests/support/bundle.ts),
// run in QuickJS (the engine Javy embeds) on carts of 1, 50 and 200 lines,
// beside a floor measured in the same run: a bundle of the same shape whose
// function reads the input and writes no operations. Prints a table and
// appends it to docs/benchmarks.md.
//
//   npm run bench:function -- [--runs 51]
//
// Shopify limits a Function to 11 million Wasm instructions (carts of up to
// 200 lines). No instruction counter runs here: Javy's Wasm cannot be built
// offline, so the QuickJS times below are a proxy, for comparing against the
// floor and across runs, not against Shopify's limit.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { bundleFloorFunction, bundleMemberDiscount, type FunctionBundle } from "../../extensions/member-discount/tests/support/bundle";
import { deliveryInput, goldMember, largeCart } from "../../extensions/member-discount/tests/support/carts";
import { runInQuickJS } from "../../extensions/member-discount/tests/support/quickjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "51" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive whole number");
const WARM_UP = 5;
const CART_SIZES = [1, 50, 200];

const root = path.resolve(import.meta.dirname, "../..");
const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Median of `runs` runs, each in a fresh QuickJS runtime (as each Function run gets a fresh Wasm instance). */
async function measure(bundle: FunctionBundle, exportName: string, input: unknown) {
  let last = await runInQuickJS(bundle.code, exportName, input);
  for (let i = 1; i < WARM_UP; i++) await runInQuickJS(bundle.code, exportName, input);
  const runTimes: number[] = [];
  const evaluateTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    last = await runInQuickJS(bundle.code, exportName, input);
    runTimes.push(last.runMs);
    evaluateTimes.push(last.evaluateMs);
  }
  return { runMs: median(runTimes), evaluateMs: median(evaluateTimes), outputBytes: last.outputBytes, output: last.output };
}

const memberDiscount = await bundleMemberDiscount();
const floor = await bundleFloorFunction();
const ms = (value: number) => value.toFixed(3);
const rows: string[] = [];
let evaluateMs = 0;

for (const lines of CART_SIZES) {
  // Every tenth line is on clearance, which the Gold tier excludes.
  const excluded = (index: number) => index % 10 === 9;
  const subtotalCart = largeCart(lines, { membership: goldMember(), excluded });
  const productsCart = largeCart(lines, { membership: goldMember({ scope: "products" }), excluded });
  const inputBytes = Buffer.byteLength(JSON.stringify(productsCart));
  const floorRun = await measure(floor, "cartLinesDiscountsGenerateRun", productsCart);
  const subtotal = await measure(memberDiscount, "cartLinesDiscountsGenerateRun", subtotalCart);
  const products = await measure(memberDiscount, "cartLinesDiscountsGenerateRun", productsCart);
  if ((subtotal.output as { operations: unknown[] }).operations.length !== 1 || (products.output as { operations: unknown[] }).operations.length !== 1) {
    throw new Error(`the ${lines}-line cart got no discount: the benchmark would measure the wrong path`);
  }
  evaluateMs = Math.max(evaluateMs, products.evaluateMs);
  rows.push(`| ${lines} | ${inputBytes} | ${ms(floorRun.runMs)} | ${ms(subtotal.runMs)} | ${ms(products.runMs)} | ${(products.runMs / floorRun.runMs).toFixed(1)}x | ${subtotal.outputBytes} / ${products.outputBytes} |`);
}

const delivery = deliveryInput({ membership: goldMember(), groups: [["standard-shipping", "express-shipping"], ["pickup-soho-store"]] });
const deliveryFloor = await measure(floor, "cartDeliveryOptionsDiscountsGenerateRun", delivery);
const deliveryRun = await measure(memberDiscount, "cartDeliveryOptionsDiscountsGenerateRun", delivery);

const table = [
  `### bench:function, ${new Date().toISOString().slice(0, 16)}Z (${os.cpus().length} cores, Node ${process.version}, quickjs-emscripten, median of ${runs} runs after ${WARM_UP} warm-up, a fresh runtime each)`,
  "",
  "cart.lines.discounts.generate.run, a Gold member (10%), every tenth line excluded:",
  "",
  "| cart lines | input bytes | floor ms | subtotal scope ms | products scope ms | products / floor | output bytes (subtotal / products) |",
  "|---|---|---|---|---|---|---|",
  ...rows,
  "",
  `cart.delivery-options.discounts.generate.run, 3 delivery options: floor ${ms(deliveryFloor.runMs)} ms, free shipping ${ms(deliveryRun.runMs)} ms, output ${deliveryRun.outputBytes} bytes.`,
  "",
  `Bundle (dist/function.js as Shopify CLI's esbuild step writes it): **${memberDiscount.bytes} bytes, ${memberDiscount.gzipBytes} gzip**; the floor's: ${floor.bytes} bytes, ${floor.gzipBytes} gzip. Loading the bundle (evaluating its top level, not in the times above): ${ms(evaluateMs)} ms.`,
  "Times are the exported call alone (read input, run, write output) in QuickJS compiled to Wasm by emscripten: a proxy. Shopify's limit is 11 million Wasm instructions per run of the Javy-built module, which cannot be built or counted offline.",
  "",
].join("\n");
console.log(table);
const file = path.join(root, "docs", "benchmarks.md");
if (!fs.existsSync(file)) fs.writeFileSync(file, "# Benchmarks\n\nFigures appended by the `npm run bench:*` scripts, newest last. Each run measures its own floor on the same machine.\n\n");
fs.appendFileSync(file, table + "\n");
