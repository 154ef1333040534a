// Every fixture (a Function run as Shopify CLI logs it: export, target, input,
// output) checked three ways:
// 1. against the real Discount Function schema with Shopify's test helpers:
//    the input query is valid, the input has exactly the query's shape, the
//    output is a valid result of the target's mutation;
// 2. the Function imported in Node gives the fixture's output;
// 3. the bundle Shopify CLI would compile, run in QuickJS, gives the same.
import fs from "node:fs";
import path from "node:path";
import { loadFixture, loadInputQuery, loadSchema, validateTestAssets, type FixtureData } from "@shopify/shopify-function-test-helpers";
import { buildSchema, getNamedType, getNullableType, isInputObjectType, isListType, type GraphQLInputType, type GraphQLSchema } from "graphql";
import * as memberDiscount from "../src/index";
import { bundleMemberDiscount, camelize, extensionDir } from "./support/bundle";
import { runInQuickJS } from "./support/quickjs";

const fixturesDir = path.join(import.meta.dirname, "fixtures");
const fixtureFiles = fs.readdirSync(fixturesDir).filter((file) => file.endsWith(".json")).sort();
const inputQueryFor: Record<string, string> = {
  "cart.lines.discounts.generate.run": "src/cart_lines_discounts_generate_run.graphql",
  "cart.delivery-options.discounts.generate.run": "src/cart_delivery_options_discounts_generate_run.graphql",
};

// Shopify's SDL marks these inputs @oneOf (exactly one field set); the
// introspection our schema.graphql is printed from cannot carry that, so the
// test helpers would not notice two fields set at once.
const ONE_OF = new Set([
  "CartOperation",
  "DeliveryOperation",
  "OrderDiscountCandidateTarget",
  "ProductDiscountCandidateTarget",
  "DeliveryDiscountCandidateTarget",
  "OrderDiscountCandidateValue",
  "ProductDiscountCandidateValue",
  "DeliveryDiscountCandidateValue",
]);

function oneOfViolations(type: GraphQLInputType, value: unknown, at: string): string[] {
  if (value === null || value === undefined) return [];
  const nullable = getNullableType(type);
  if (isListType(nullable)) return (value as unknown[]).flatMap((item, i) => oneOfViolations(nullable.ofType, item, `${at}[${i}]`));
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return [];
  const record = value as Record<string, unknown>;
  const set = Object.keys(record).filter((key) => record[key] !== null && record[key] !== undefined);
  const problems = ONE_OF.has(named.name) && set.length !== 1 ? [`${at}: ${named.name} needs exactly one field, has ${set.join(", ") || "none"}`] : [];
  const fields = named.getFields();
  return problems.concat(set.flatMap((key) => (fields[key] ? oneOfViolations(fields[key].type, record[key], `${at}.${key}`) : [])));
}

function resultType(schema: GraphQLSchema, target: string): GraphQLInputType {
  const mutation = Object.values(schema.getMutationType()!.getFields()).find((field) => field.description?.includes(`for the ${target} target`));
  return mutation!.args[0].type;
}

const schemaPath = path.join(extensionDir, "schema.graphql");
// The helpers' own graphql module instance has to build the schema they validate with.
let helpersSchema: Awaited<ReturnType<typeof loadSchema>>;
const schema = buildSchema(fs.readFileSync(schemaPath, "utf8"));
let bundle: string;
beforeAll(async () => {
  helpersSchema = await loadSchema(schemaPath);
  bundle = (await bundleMemberDiscount()).code;
});

describe.each(fixtureFiles)("fixture %s", (file) => {
  let fixture: FixtureData;
  beforeAll(async () => {
    fixture = await loadFixture(path.join(fixturesDir, file));
  });

  it("is valid against Shopify's Discount Function schema and the target's input query", async () => {
    const inputQueryAST = await loadInputQuery(path.join(extensionDir, inputQueryFor[fixture.target]));
    const result = await validateTestAssets({ schema: helpersSchema, fixture, inputQueryAST });
    expect(result).not.toHaveProperty("error");
    expect(result.inputQuery.errors).toEqual([]);
    expect(result.inputFixture.errors).toEqual([]);
    expect(result.outputFixture.errors).toEqual([]);
    expect(oneOfViolations(resultType(schema, fixture.target), fixture.expectedOutput, "output")).toEqual([]);
  });

  it("is what the Function returns in Node", () => {
    const run = memberDiscount[camelize(fixture.export) as keyof typeof memberDiscount] as (input: unknown) => unknown;
    expect(JSON.parse(JSON.stringify(run(fixture.input)))).toEqual(fixture.expectedOutput);
  });

  it("is what the CLI's bundle writes in QuickJS", async () => {
    const { output } = await runInQuickJS(bundle, camelize(fixture.export), fixture.input);
    expect(output).toEqual(fixture.expectedOutput);
  });
});

it("covers both targets, members and non-members", () => {
  expect(fixtureFiles.filter((file) => file.startsWith("cart-lines-")).length).toBeGreaterThanOrEqual(2);
  expect(fixtureFiles.filter((file) => file.startsWith("delivery-")).length).toBeGreaterThanOrEqual(2);
});
