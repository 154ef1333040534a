// Each committed input query within Shopify's input-query limits, by a
// calculator that applies Shopify's published cost table (support/query-cost.ts).
import fs from "node:fs";
import path from "node:path";
import { buildSchema, parse } from "graphql";
import toml from "toml";
import { assertWithinInputQueryLimits, inputQueryBytes, inputQueryCost, MAX_INPUT_QUERY_COST } from "./support/query-cost";
import { extensionDir } from "./support/bundle";

const schema = buildSchema(fs.readFileSync(path.join(extensionDir, "schema.graphql"), "utf8"));
const costOf = (query: string) => inputQueryCost(schema, parse(query)).cost;
const { extensions } = toml.parse(fs.readFileSync(path.join(extensionDir, "shopify.extension.toml"), "utf8"));
const inputQueries: string[] = extensions[0].targeting.map((target: { input_query: string }) => target.input_query);

describe("the calculator applies Shopify's cost table", () => {
  it.each([
    ["a leaf", "{ cart { lines { id quantity } } }", 2],
    ["__typename", "{ cart { lines { merchandise { __typename } } } }", 0],
    ["objects and lists, which cost nothing themselves", "{ cart { lines { cost { subtotalAmount { amount currencyCode } } } } }", 2],
    ["a metafield with its fields", '{ shop { metafield(namespace: "$app", key: "a") { value jsonValue type } } }', 3],
    ["hasTags with its responses", '{ cart { buyerIdentity { customer { hasTags(tags: ["vip"]) { tag hasTag } } } } }', 3],
    ["hasAnyTag", '{ cart { buyerIdentity { customer { hasAnyTag(tags: ["vip"]) } } } }', 3],
    ["inCollections with its memberships", '{ cart { lines { merchandise { ... on ProductVariant { product { inCollections(ids: ["gid://shopify/Collection/1"]) { collectionId isMember } } } } } } }', 3],
    ["inAnyCollection", '{ cart { lines { merchandise { ... on ProductVariant { product { inAnyCollection(ids: []) } } } } } }', 3],
    ["a metaobject and one of its fields", '{ shop { metaobject(handle: { type: "$app:tier", handle: "gold" }) { handle field(key: "percent") { value } } } }', 1 + 1 + 3 + 1],
    ["a fragment, once per spread", "query Q { cart { lines { ...L } deliverableLines { id } } } fragment L on CartLine { id quantity }", 3],
  ])("%s", (_, query, cost) => {
    expect(costOf(query)).toBe(cost);
  });

  it("fails a query that costs more than 30", () => {
    const fields = Array.from({ length: 11 }, (_, i) => `m${i}: metafield(namespace: "$app", key: "k${i}") { value }`).join(" ");
    const query = `{ shop { ${fields} } }`;
    expect(costOf(query)).toBe(33);
    expect(() => assertWithinInputQueryLimits(schema, parse(query), query)).toThrow(/cost 33 > 30/);
  });

  it("fails a query over 3000 bytes, comments not counted", () => {
    const comment = `# ${"x".repeat(4000)}\n`;
    const small = `${comment}{ cart { lines { id } } }`;
    expect(inputQueryBytes(small)).toBe("{ cart { lines { id } } }".length + 1);
    expect(() => assertWithinInputQueryLimits(schema, parse(small), small)).not.toThrow();
    const aliases = Array.from({ length: 20 }, (_, i) => `line${i}: id`).join(" ");
    const long = `{ cart { lines { ${aliases} } } }${" ".repeat(3000)}`;
    expect(() => assertWithinInputQueryLimits(schema, parse(long), long)).toThrow(/bytes without comments > 3000/);
  });

  it("fails a list argument of more than 100 elements", () => {
    const tags = JSON.stringify(Array.from({ length: 101 }, (_, i) => `t${i}`));
    const query = `{ cart { buyerIdentity { customer { hasAnyTag(tags: ${tags}) } } } }`;
    expect(() => assertWithinInputQueryLimits(schema, parse(query), query)).toThrow(/101 elements > 100/);
  });
});

describe("the committed input queries", () => {
  it("are the two the TOML names", () => {
    expect(inputQueries).toEqual(["src/cart_lines_discounts_generate_run.graphql", "src/cart_delivery_options_discounts_generate_run.graphql"]);
  });

  it.each([
    ["src/cart_lines_discounts_generate_run.graphql", 19],
    ["src/cart_delivery_options_discounts_generate_run.graphql", 6],
  ])("%s costs %i, within Shopify's limits", (file, expected) => {
    const source = fs.readFileSync(path.join(extensionDir, file), "utf8");
    const document = parse(source);
    const { cost, items } = inputQueryCost(schema, document);
    expect({ cost, items }).toMatchObject({ cost: expected });
    expect(cost).toBeLessThanOrEqual(MAX_INPUT_QUERY_COST);
    expect(() => assertWithinInputQueryLimits(schema, document, source)).not.toThrow();
  });
});
