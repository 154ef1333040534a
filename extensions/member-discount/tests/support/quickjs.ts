// Runs a function bundle (support/bundle.ts) in QuickJS, the engine Javy
// embeds in the Wasm module Shopify executes. Each run gets a fresh runtime, as
// each Function run gets a fresh Wasm instance. The `ShopifyFunction` global is
// what @shopify/shopify_function 2.x's run() calls (readInput(), then
// writeOutput(value)); here it hands the input over as JSON and takes the
// output back as JSON, where Javy's plugin uses Shopify's Wasm API instead.
//
// This is not Shopify's runtime: there is no instruction count (Shopify's limit
// is 11 million Wasm instructions), only wall-clock time in a QuickJS compiled
// to Wasm by emscripten, which serves as a relative measure.
import { performance } from "node:perf_hooks";
import { getQuickJS, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from "quickjs-emscripten";

export interface QuickJSRun {
  output: unknown;
  /** Bytes of the JSON the function wrote. */
  outputBytes: number;
  /** Time of the exported call alone: read input, run, write output. */
  runMs: number;
  /** Time to evaluate the bundle (module top level), which Javy does when the module is built. */
  evaluateMs: number;
}

let engine: Promise<QuickJSWASMModule> | undefined;
export const quickJS = () => (engine ??= getQuickJS());

const SHIM = `globalThis.ShopifyFunction = {
  readInput() { return JSON.parse(__membercareReadInput()); },
  writeOutput(value) { __membercareWriteOutput(JSON.stringify(value)); },
};`;

function unwrap(context: QuickJSContext, result: ReturnType<QuickJSContext["evalCode"]>, what: string): QuickJSHandle {
  if (result.error) {
    const error = context.dump(result.error);
    result.error.dispose();
    throw new Error(`${what} failed in QuickJS: ${JSON.stringify(error)}`);
  }
  return result.value;
}

/** Calls the bundle's `exportName` (camelCase) with `input` as the Function input. */
export async function runInQuickJS(bundle: string, exportName: string, input: unknown): Promise<QuickJSRun> {
  const module = await quickJS();
  const runtime = module.newRuntime();
  const context = runtime.newContext();
  try {
    const inputJson = JSON.stringify(input);
    let outputJson: string | undefined;
    const readInput = context.newFunction("__membercareReadInput", () => context.newString(inputJson));
    const writeOutput = context.newFunction("__membercareWriteOutput", (json) => {
      if (outputJson !== undefined) throw new Error("writeOutput called twice");
      outputJson = context.getString(json);
    });
    context.setProp(context.global, "__membercareReadInput", readInput);
    context.setProp(context.global, "__membercareWriteOutput", writeOutput);
    readInput.dispose();
    writeOutput.dispose();
    unwrap(context, context.evalCode(SHIM, "shim.js", { type: "global" }), "shim").dispose();

    const evaluateStart = performance.now();
    const exports = unwrap(context, context.evalCode(bundle, "function.js", { type: "module" }), "evaluating the bundle");
    const evaluateMs = performance.now() - evaluateStart;
    const exported = context.getProp(exports, exportName);
    exports.dispose();
    if (context.typeof(exported) !== "function") {
      exported.dispose();
      throw new Error(`the bundle exports no function ${exportName}`);
    }

    const runStart = performance.now();
    const result = context.callFunction(exported, context.undefined);
    const runMs = performance.now() - runStart;
    exported.dispose();
    unwrap(context, result, exportName).dispose();
    if (outputJson === undefined) throw new Error(`${exportName} wrote no output`);
    return { output: JSON.parse(outputJson), outputBytes: Buffer.byteLength(outputJson), runMs, evaluateMs };
  } finally {
    context.dispose();
    runtime.dispose();
  }
}
