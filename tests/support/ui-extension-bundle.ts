// The JavaScript Shopify CLI would upload for a UI extension (checkout,
// customer account, POS), built the way the CLI builds it (Shopify/cli
// packages/app/src/cli/services/extensions/bundle.ts and
// models/extensions/specifications/ui_extension.ts):
//
// - one bundle per [[extensions]] entry, from a generated entry that imports
//   each target's module and, for API versions from 2025-10 on, registers its
//   default export with `shopify.extend(target, ...)`;
// - esbuild with bundle, minify, jsx "automatic" (the import source, Preact,
//   comes from the extension's tsconfig.json), target es6, legalComments none,
//   process.env.NODE_ENV defined, the CLI's loaders and resolve extensions, and
//   no `format` (esbuild's default for a browser bundle: an IIFE).
//
// Shopify refuses a bundle over 64 KB compressed (the CLI measures with Brotli;
// for POS from API 2025-10 on: shopify.dev/docs/apps/build/pos/optimize-bundle-size).
// Our budget is 20 KB gzipped, per extension and per target alone.
// Each extension's tests/bundle.test.ts calls describeUiExtensionBundles.
import fs from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import toml from "toml";

const BUDGET_GZIP_BYTES = 20 * 1024;
const SHOPIFY_LIMIT_COMPRESSED_BYTES = 64 * 1024;

interface Targeting {
  target: string;
  module: string;
}
interface Extension {
  handle: string;
  targeting: Targeting[];
}

/** The CLI's generated entry for a Remote DOM (2025-10+) UI extension. */
const entryFor = (targeting: Targeting[]) =>
  targeting.map(({ target, module }, index) => `import Target_${index} from '${module}';shopify.extend('${target}', (...args) => Target_${index}(...args));`).join("\n");

interface Bundle {
  /** dist/<handle>.js for an extension as the CLI writes it; the target's name for a target bundled alone. */
  name: string;
  code: string;
  inputs: Metafile["inputs"];
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

async function bundle(extensionDir: string, name: string, targeting: Targeting[]): Promise<Bundle> {
  const result = await build({
    stdin: { contents: entryFor(targeting), resolveDir: extensionDir, loader: "tsx" },
    outfile: path.join(extensionDir, "dist", "bundle.js"),
    write: false,
    metafile: true,
    logLevel: "silent",
    bundle: true,
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    jsx: "automatic",
    loader: { ".esnext": "ts", ".js": "jsx" },
    legalComments: "none",
    minify: true,
    target: "es6",
    resolveExtensions: [".tsx", ".ts", ".js", ".json", ".esnext", ".mjs", ".ejs"],
  });
  const code = result.outputFiles[0].contents;
  return {
    name,
    code: Buffer.from(code).toString("utf8"),
    inputs: result.metafile.inputs,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    brotliBytes: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * The bundle tests of the UI extension in `extensionDir` (extensions/<name>):
 * every bundle within budget, nothing in them but our code, Preact, Preact
 * signals and the ui-extensions Preact bridge, every target registered.
 */
export function describeUiExtensionBundles(extensionDir: string): void {
  const name = path.basename(extensionDir);
  const config = toml.parse(fs.readFileSync(path.join(extensionDir, "shopify.extension.toml"), "utf8")) as { extensions: Extension[] };
  let bundles: Bundle[];
  beforeAll(async () => {
    const perExtension = config.extensions.map((extension) => bundle(extensionDir, `dist/${extension.handle}.js`, extension.targeting));
    const perTarget = config.extensions.flatMap((extension) => extension.targeting.map((targeting) => bundle(extensionDir, targeting.target, [targeting])));
    bundles = await Promise.all([...perExtension, ...perTarget]);
    const rows = bundles.map((b) => `  ${b.name.padEnd(46)} ${kb(b.bytes).padStart(9)} raw ${kb(b.gzipBytes).padStart(8)} gzip ${kb(b.brotliBytes).padStart(8)} brotli`);
    process.stdout.write(`\n${name} bundles (budget ${kb(BUDGET_GZIP_BYTES)} gzip; Shopify's limit ${kb(SHOPIFY_LIMIT_COMPRESSED_BYTES)} compressed):\n${rows.join("\n")}\n`);
  }, 60_000);

  it(`keeps every bundle within ${BUDGET_GZIP_BYTES / 1024} KB gzipped, far inside Shopify's 64 KB`, () => {
    expect(bundles).toHaveLength(config.extensions.length + config.extensions.flatMap((extension) => extension.targeting).length);
    for (const { name, gzipBytes, brotliBytes } of bundles) {
      expect(gzipBytes, name).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
      expect(brotliBytes, name).toBeLessThanOrEqual(SHOPIFY_LIMIT_COMPRESSED_BYTES);
    }
  });

  it("bundles only our code, Preact, Preact signals and the ui-extensions Preact bridge: no zod, no app runtime, no Node", () => {
    for (const { name: bundleName, inputs } of bundles) {
      const packages = new Set(
        Object.keys(inputs)
          .filter((input) => input.includes("node_modules/"))
          .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)![1]),
      );
      expect([...packages].sort(), bundleName).toEqual(["@preact/signals", "@preact/signals-core", "@shopify/ui-extensions", "preact"]);
      const ours = Object.keys(inputs).filter((input) => !input.includes("node_modules/") && input !== "<stdin>");
      expect(ours.every((input) => input.startsWith(`extensions/${name}/src/`)), bundleName).toBe(true);
      expect(ours.some((input) => input.endsWith(".test.ts") || input.endsWith(".test.tsx")), bundleName).toBe(false);
    }
  });

  it("registers every target of an extension with shopify.extend, as the CLI's entry does", () => {
    for (const extension of config.extensions) {
      const { code } = bundles.find((b) => b.name === `dist/${extension.handle}.js`)!;
      for (const { target } of extension.targeting) expect(code).toContain(`shopify.extend("${target}"`);
    }
  });
}
