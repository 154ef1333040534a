// The extension as Shopify CLI reads it: its TOML, the JavaScript function
// layout (package.json's codegen), the committed schema and generated types
// kept current, and its TypeScript checked (the repo's tsconfig leaves extensions/ out).
import fs from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import toml from "toml";
import { typeErrors } from "../../../tests/support/ui-extension-scaffold";
import { API_VERSION, discountFunctionSchemaSource, schemaPath } from "../scripts/schema";
import { extensionDir } from "./support/bundle";

const read = (file: string) => fs.readFileSync(path.join(extensionDir, file), "utf8");

describe("shopify.extension.toml", () => {
  const config = toml.parse(read("shopify.extension.toml"));
  const [extension] = config.extensions;

  it("declares the discount function the app creates its discount with", () => {
    expect(config.api_version).toBe(API_VERSION);
    expect(config.extensions).toHaveLength(1);
    // app/domain/member-discount.ts MEMBER_DISCOUNT_FUNCTION_HANDLE
    expect(extension).toMatchObject({ type: "function", handle: "member-discount" });
  });

  it("runs on both discount targets, each with its input query and a kebab-case export", () => {
    expect(extension.targeting).toEqual([
      { target: "cart.lines.discounts.generate.run", input_query: "src/cart_lines_discounts_generate_run.graphql", export: "cart-lines-discounts-generate-run" },
      { target: "cart.delivery-options.discounts.generate.run", input_query: "src/cart_delivery_options_discounts_generate_run.graphql", export: "cart-delivery-options-discounts-generate-run" },
    ]);
    for (const target of extension.targeting) expect(fs.existsSync(path.join(extensionDir, target.input_query))).toBe(true);
  });

  it("builds as a JavaScript function and takes its variables from the discount's configuration metafield", () => {
    expect(extension.build).toEqual({ command: "", path: "dist/function.wasm" });
    // app/domain/discount-configuration.ts FUNCTION_CONFIGURATION_NAMESPACE / _KEY
    expect(extension.input.variables).toEqual({ namespace: "$app", key: "function-configuration" });
  });
});

describe("package.json", () => {
  const pkg = JSON.parse(read("package.json"));

  it("has the JavaScript function template's codegen: schema.graphql and src/*.graphql into generated/api.ts", () => {
    expect(pkg.codegen).toEqual({
      schema: "schema.graphql",
      documents: "src/*.graphql",
      generates: { "./generated/api.ts": { plugins: ["typescript", "typescript-operations"] } },
      config: { omitOperationSuffix: true },
    });
  });

  it("uses the @shopify/shopify_function the repo installs", () => {
    const root = JSON.parse(fs.readFileSync(path.resolve(extensionDir, "../../package.json"), "utf8"));
    expect(pkg.dependencies["@shopify/shopify_function"]).toBe(root.devDependencies["@shopify/shopify_function"]);
  });
});

describe("committed generated files", () => {
  it("schema.graphql is Shopify's Discount Function schema as scripts/schema.ts prints it", () => {
    expect(fs.readFileSync(schemaPath, "utf8")).toBe(discountFunctionSchemaSource());
  });

  it("generated/api.ts is what `shopify app function typegen` (graphql-codegen with package.json's config) writes", async () => {
    const { codegen } = JSON.parse(read("package.json"));
    const outputs = await generate({ ...codegen, cwd: extensionDir, silent: true }, false);
    expect(outputs.map((output: { filename: string }) => path.normalize(output.filename))).toEqual(["generated/api.ts"]);
    expect(read("generated/api.ts")).toBe(outputs[0].content);
  }, 30_000);
});

describe("TypeScript", () => {
  it("the Function's code uses nothing beyond ECMAScript 2020, which Javy implements, and no Node or DOM globals", () => {
    expect(typeErrors(extensionDir, "tsconfig.json")).toBe("");
  }, 60_000);

  it("the tests and scripts typecheck, with the Function's types held to the app's", () => {
    expect(typeErrors(extensionDir, "tests/tsconfig.json")).toBe("");
  }, 60_000);
});
