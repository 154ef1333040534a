// The extension as Shopify CLI reads it: its TOML (targets, modules, API
// version), its package.json, and its TypeScript, which the repo's
// tsconfig.json leaves out (extensions/ has its own compiler settings).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import toml from "toml";
import { EXTENSION_DIR } from "./support";

const ROOT = path.resolve(EXTENSION_DIR, "../..");
const read = (file: string) => fs.readFileSync(path.join(EXTENSION_DIR, file), "utf8");
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const uiExtensionsVersion: string = readJson(path.join(ROOT, "node_modules/@shopify/ui-extensions/package.json")).version;

interface Extension {
  name: string;
  handle: string;
  type: string;
  targeting: Array<{ target: string; module: string }>;
  capabilities?: unknown;
}

describe("shopify.extension.toml", () => {
  const config = toml.parse(read("shopify.extension.toml")) as { api_version: string; extensions: Extension[] };

  it("uses the API version of the installed @shopify/ui-extensions (2026.7.x → 2026-07)", () => {
    const [year, month] = uiExtensionsVersion.split(".");
    expect(config.api_version).toBe(`${year}-${month.padStart(2, "0")}`);
  });

  it("is one POS UI extension: the customer details block, its action menu item and modal, the home tile and its modal", () => {
    expect(config.extensions).toHaveLength(1);
    const [pos] = config.extensions;
    expect(pos).toMatchObject({ type: "ui_extension", handle: "member-pos" });
    expect(pos.targeting.map(({ target }) => target)).toEqual([
      "pos.customer-details.block.render",
      "pos.customer-details.action.menu-item.render",
      "pos.customer-details.action.render",
      "pos.home.tile.render",
      "pos.home.modal.render",
    ]);
    // POS extensions call their own app's backend without a network capability.
    expect(pos.capabilities).toBeUndefined();
  });

  it("names targets that @shopify/ui-extensions defines for POS, each with a module whose default export renders it", async () => {
    for (const { target, module } of config.extensions.flatMap((extension) => extension.targeting)) {
      expect(fs.existsSync(path.join(ROOT, "node_modules/@shopify/ui-extensions/build/ts/surfaces/point-of-sale/targets", `${target}.d.ts`)), target).toBe(true);
      const entry = await import(path.join(EXTENSION_DIR, module));
      expect(typeof entry.default, module).toBe("function");
    }
  });
});

describe("package.json", () => {
  it("names the versions of Preact, signals and @shopify/ui-extensions the repo installs", () => {
    const pkg = JSON.parse(read("package.json"));
    const root = readJson(path.join(ROOT, "package.json"));
    for (const name of ["preact", "@preact/signals", "@shopify/ui-extensions"]) expect(pkg.dependencies[name], name).toBe(root.devDependencies[name]);
  });
});

describe("locales", () => {
  it("has the one default locale Shopify requires, and zh-CN", () => {
    expect(fs.readdirSync(path.join(EXTENSION_DIR, "locales")).sort()).toEqual(["en.default.json", "zh-CN.json"]);
  });
});

describe("TypeScript", () => {
  const tsc = path.join(ROOT, "node_modules/.bin/tsc");
  /** tsc's report ("" when clean). */
  const typeErrors = (project: string): string => {
    try {
      execFileSync(tsc, ["-p", project], { cwd: EXTENSION_DIR, encoding: "utf8", stdio: "pipe" });
      return "";
    } catch (error) {
      return String((error as { stdout?: string }).stdout || error);
    }
  };

  it("the extension's code typechecks with Preact's JSX, the POS elements' props and each target's API, and no Node globals", () => {
    expect(typeErrors("tsconfig.json")).toBe("");
  }, 60_000);

  it("the tests typecheck too", () => {
    expect(typeErrors("tests/tsconfig.json")).toBe("");
  }, 60_000);
});
