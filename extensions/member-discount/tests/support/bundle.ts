// The Function bundled the way Shopify CLI bundles a JavaScript function before
// Javy compiles it to Wasm (Shopify/cli packages/app/src/cli/services/function/build.ts):
// when the TOML's targets name exports, the CLI's ExportJavyBuilder feeds esbuild
// a generated entry that wraps each export with @shopify/shopify_function's run(),
// aliases `user-function` to src/index.ts, and builds with bundle, format esm,
// target es2022, legalComments none. Only `define` (the app's env variables)
// is left out: the Function reads none.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const extensionDir = path.resolve(import.meta.dirname, "../..");
const tomlPath = path.join(extensionDir, "shopify.extension.toml");
/** A stand-in function of the same shape that reads the input and writes no operations: the floor. */
const floorFunctionPath = path.join(import.meta.dirname, "floor-function.ts");

/** The `export` of each [[extensions.targeting]], in TOML order (kebab-case, as Wasm exports). */
export function tomlExports(): string[] {
  const toml = fs.readFileSync(tomlPath, "utf8");
  return [...toml.matchAll(/^\s*export\s*=\s*"([^"]+)"\s*$/gm)].map((match) => match[1]);
}

/** The CLI's camelize: "cart-lines-discounts-generate-run" → "cartLinesDiscountsGenerateRun". */
export function camelize(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The entry module the CLI generates for a function with named exports. */
export function entrypointContents(exports: string[]): string {
  const prelude = `\nimport __runFunction from "@shopify/shopify_function/run"`;
  const wrappers = exports.map((name) => {
    const identifier = camelize(name);
    const alias = camelize(`run-${name}`);
    return `\nimport { ${identifier} as ${alias} } from "user-function"\nexport function ${identifier}() { return __runFunction(${alias}) }`;
  });
  return `${prelude}\n${wrappers.join("\n")}`;
}

export interface FunctionBundle {
  code: string;
  bytes: number;
  gzipBytes: number;
}

async function bundle(userFunction: string): Promise<FunctionBundle> {
  const result = await build({
    stdin: { contents: entrypointContents(tomlExports()), loader: "ts", resolveDir: extensionDir },
    outfile: path.join(extensionDir, "dist/function.js"),
    write: false,
    alias: { "user-function": userFunction },
    logLevel: "silent",
    bundle: true,
    legalComments: "none",
    target: "es2022",
    format: "esm",
  });
  const code = result.outputFiles[0].text;
  return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length };
}

/** dist/function.js as `shopify app function build` would write it before running Javy. */
export const bundleMemberDiscount = () => bundle(path.join(extensionDir, "src/index.ts"));

/** The same wrapping around a function that does nothing: what any JS function pays. */
export const bundleFloorFunction = () => bundle(floorFunctionPath);
