// The extension as Shopify CLI reads it: its TOML (targets, modules, API
// version, the metafield), its package.json, and its TypeScript, which the
// repo's tsconfig.json leaves out (extensions/ has its own compiler settings).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import toml from "toml";
import { CUSTOMER_ACCOUNT_API_VERSION } from "../src/customer-account-api";
import { MEMBERSHIP_METAFIELD } from "../src/targets/host";
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
  metafields?: Array<{ namespace: string; key: string }>;
  capabilities?: unknown;
}

describe("shopify.extension.toml", () => {
  const config = toml.parse(read("shopify.extension.toml")) as { api_version: string; extensions: Extension[] };
  const [perks, page] = config.extensions;

  it("uses the API version of the installed @shopify/ui-extensions (2026.7.x → 2026-07), and the page's Customer Account API calls the same", () => {
    const [year, month] = uiExtensionsVersion.split(".");
    expect(config.api_version).toBe(`${year}-${month.padStart(2, "0")}`);
    expect(CUSTOMER_ACCOUNT_API_VERSION).toBe(config.api_version);
  });

  it("puts the checkout, thank-you and order-status targets in one extension that preloads $app:membership", () => {
    expect(perks).toMatchObject({ type: "ui_extension", handle: "member-perks" });
    expect(perks.targeting.map(({ target }) => target)).toEqual([
      "purchase.checkout.reductions.render-after",
      "purchase.thank-you.block.render",
      "customer-account.order-status.block.render",
    ]);
    expect(perks.metafields).toEqual([MEMBERSHIP_METAFIELD]);
    expect(perks.capabilities).toBeUndefined();
  });

  it("gives the full-page target an extension of its own, as Shopify requires", () => {
    expect(config.extensions).toHaveLength(2);
    expect(page).toMatchObject({ type: "ui_extension", handle: "member-perks-page" });
    expect(page.targeting.map(({ target }) => target)).toEqual(["customer-account.page.render"]);
    expect(page.capabilities).toBeUndefined();
  });

  it("names targets that @shopify/ui-extensions defines, each with a module whose default export renders it", async () => {
    for (const { target, module } of config.extensions.flatMap((extension) => extension.targeting)) {
      const surface = target.startsWith("purchase.") ? "checkout" : "customer-account";
      expect(fs.existsSync(path.join(ROOT, "node_modules/@shopify/ui-extensions/build/ts/surfaces", surface, "targets", `${target}.d.ts`)), target).toBe(true);
      const entry = await import(path.join(EXTENSION_DIR, module));
      expect(typeof entry.default, module).toBe("function");
    }
  });

  it("reads the metafield the app defines for customer accounts to read (shopify.app.toml)", () => {
    // (The toml package predates dotted keys such as `access.customer_account`, so the block is read as text.)
    const app = fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");
    const block = /^\[customer\.metafields\.app\.membership\]\n([^[]*)/m.exec(app)?.[1] ?? "";
    expect(block).toMatch(/^type = "json"$/m);
    expect(block).toMatch(/^access\.customer_account = "read"$/m);
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

  it("the extension's code typechecks with Preact's JSX, Polaris elements' props and each target's API, and no Node globals", () => {
    expect(typeErrors("tsconfig.json")).toBe("");
  }, 60_000);

  it("the tests typecheck too", () => {
    expect(typeErrors("tests/tsconfig.json")).toBe("");
  }, 60_000);
});
