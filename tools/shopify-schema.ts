// Shopify's real schemas (shopify-schemas/, extracted from @shopify/dev-mcp),
// loaded once per process, and a validator that reports errors readably.
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, GraphQLError, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/** The Admin API version the app pins and the committed schemas describe. */
export const ADMIN_API_VERSION = "2026-10";

const dir = path.resolve(import.meta.dirname, "../shopify-schemas");
const cache = new Map<string, GraphQLSchema>();

function load(file: string): GraphQLSchema {
  let schema = cache.get(file);
  if (!schema) {
    // dev-mcp's files are introspection responses (`{ data: { __schema } }`); a bare result is accepted too.
    const json = JSON.parse(gunzipSync(fs.readFileSync(path.join(dir, file))).toString("utf8")) as { data?: IntrospectionQuery } & IntrospectionQuery;
    schema = buildClientSchema(json.data ?? json);
    cache.set(file, schema);
  }
  return schema;
}

export const loadAdminSchema = () => load(`admin_${ADMIN_API_VERSION}.json.gz`);
export const loadDiscountFunctionSchema = () => load(`functions_discount_${ADMIN_API_VERSION}.json.gz`);

/** Parse and validation errors of a document, as "line:column message"; empty when valid. */
export function validateDocument(schema: GraphQLSchema, source: string): string[] {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    return [describe(error as GraphQLError)];
  }
  return validate(schema, document).map(describe);
}

function describe(error: GraphQLError): string {
  const where = error.locations?.map((l) => `${l.line}:${l.column}`).join(",") ?? "?";
  return `${where} ${error.message}`;
}
