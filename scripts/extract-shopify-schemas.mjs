#!/usr/bin/env node
// Takes Shopify's published GraphQL schemas out of the @shopify/dev-mcp package
// tarball, without installing that package (it pulls the Shopify CLI, Hydrogen
// and React Router, about 370 MB). The extracted files are committed, the way
// Shopify CLI projects commit their function's schema.graphql.
//
//   npm run schemas:extract
//
// Plain Node (runs on Node 20 too), no dependencies.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = "@shopify/dev-mcp@1.16.0";
const FILES = ["admin_2026-10.json.gz", "functions_discount_2026-10.json.gz"];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(root, "shopify-schemas");

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dev-mcp-"));
try {
  const tarball = execFileSync("npm", ["pack", PACKAGE, "--pack-destination", work, "--silent"], { encoding: "utf8" }).trim().split("\n").at(-1);
  execFileSync("tar", ["-xzf", path.join(work, tarball), "-C", work, ...FILES.map((file) => `package/dist/data/${file}`)]);
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of FILES) {
    fs.copyFileSync(path.join(work, "package/dist/data", file), path.join(outDir, file));
    console.log(`shopify-schemas/${file} (${fs.statSync(path.join(outDir, file)).size} bytes) from ${PACKAGE}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
