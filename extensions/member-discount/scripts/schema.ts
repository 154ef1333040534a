// Writes schema.graphql: Shopify's Discount Function API schema for the
// extension's api_version, printed from the introspection JSON committed in
// shopify-schemas/ (taken from @shopify/dev-mcp, see shopify-schemas/README.md).
// It stands in for `shopify app function schema`, which needs a linked app and
// the network. tests/schema.test.ts fails when the committed file differs.
//
//   npx tsx extensions/member-discount/scripts/schema.ts
//
// Introspection carries no applied directives, so unlike the CLI's copy this
// file has no `@oneOf` on the operation inputs and no `@restrictTarget` or
// `@scaleLimits` on fields; tests/fixtures.test.ts checks the one-of rule itself.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, printSchema, type IntrospectionQuery } from "graphql";

export const API_VERSION = "2026-10";

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const schemaPath = path.join(extensionDir, "schema.graphql");
const introspectionPath = path.resolve(extensionDir, "../../shopify-schemas", `functions_discount_${API_VERSION}.json.gz`);

/** The SDL `schema.graphql` must hold. */
export function discountFunctionSchemaSource(): string {
  const json = JSON.parse(gunzipSync(fs.readFileSync(introspectionPath)).toString("utf8")) as { data: IntrospectionQuery };
  return printSchema(buildClientSchema(json.data)) + "\n";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(schemaPath, discountFunctionSchemaSource());
  process.stdout.write(`${path.relative(process.cwd(), schemaPath)} (Discount Function API ${API_VERSION})\n`);
}
