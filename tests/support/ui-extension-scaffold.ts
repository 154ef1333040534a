// What every UI extension's tests need (extensions/member-perks, extensions/member-pos;
// the Function, extensions/member-discount, uses typeErrors),
// in one place: Shopify's runtime stand-ins (the locale files' translate, the
// text a person reads in rendered markup) and the checks every extension
// passes the same way (its locale files, its package.json, its API version and
// targets as Shopify CLI reads them, its TypeScript). Each extension's
// tests/support.ts binds the stand-ins to its own directory and types; its
// tests/locales.test.ts and tests/extension.test.ts call the describe* functions
// and add what is its own. tests/support/ui-extension-bundle.ts is the bundle's half.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import toml from "toml";

const ROOT = path.resolve(import.meta.dirname, "../..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

export type Catalog = { [key: string]: string | Catalog };
export type LocaleFile = "en.default.json" | "zh-CN.json";

export function readCatalog(extensionDir: string, file: LocaleFile): Catalog {
  return readJson(path.join(extensionDir, "locales", file));
}

/**
 * Shopify's translate as documented: dotted keys into the locale file,
 * `{{name}}` replacements, and plural entries ({ one, other }) chosen by
 * `count` with the locale's plural rules. `file` is the locale file Shopify
 * resolves for the locale (the extension's own rule). Unlike Shopify, a
 * missing key or replacement throws, so tests fail loudly.
 */
export function catalogTranslator(extensionDir: string, locale: string, file: LocaleFile) {
  const catalog = readCatalog(extensionDir, file);
  const plurals = new Intl.PluralRules(locale);
  return (key: string, replacements: Record<string, string | number> = {}): string => {
    let entry: string | Catalog | undefined = catalog;
    for (const part of key.split(".")) entry = typeof entry === "object" ? entry[part] : undefined;
    if (typeof entry === "object" && entry !== null && typeof replacements.count === "number") {
      entry = entry[plurals.select(replacements.count)] ?? entry.other;
    }
    if (typeof entry !== "string") throw new Error(`no message "${key}" for ${locale}`);
    return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      if (!(name in replacements)) throw new Error(`message "${key}" needs {{${name}}}`);
      return String(replacements[name]);
    });
  };
}

/**
 * The text a person reads in rendered markup: the text, plus the attributes
 * Polaris elements show as text (`<s-section heading="…">`; which ones the
 * extension's elements use is its call), in document order; entities decoded,
 * whitespace collapsed.
 */
export function readableText(html: string, shownAttributes: readonly string[]): string {
  const shown = new RegExp(`\\b(?:${shownAttributes.join("|")})="([^"]*)"`, "g");
  return html
    .replace(/<[a-z][\w-]*([^>]*)>/g, (_, attributes: string) => ` ${[...attributes.matchAll(shown)].map((match) => match[1]).join(" ")} `)
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** Every message as "dotted.key" → text; a plural entry contributes "key.one", "key.other". */
export function flatMessages(catalog: Catalog, prefix = ""): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === "string") flat.set(prefix + key, value);
    else for (const [leaf, text] of flatMessages(value, `${prefix}${key}.`)) flat.set(leaf, text);
  }
  return flat;
}

/** The extension's source files, tests left out. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

export interface LocaleChecks {
  /** Every plural key ("….one", "….other") the files hold, in file order. */
  plurals: string[];
  /** How the code calls translate: group 1 is the first argument (default `t("…"`). */
  translateCall?: RegExp;
  /** First arguments that are not a literal key, each read another way (below). */
  otherArguments?: string[];
  /** Keys the code names in a table instead of in a call: group 1 is the key. */
  tabledKey?: RegExp;
  /** At least this many calls (so the call pattern is known to match). */
  minCalls: number;
}

/**
 * locales/en.default.json and zh-CN.json say the same things, with the same
 * placeholders; plurals are { one, other } with the count in them; and the
 * code asks only for keys they have, and uses them all.
 */
export function describeExtensionLocales(extensionDir: string, checks: LocaleChecks) {
  const en = flatMessages(readCatalog(extensionDir, "en.default.json"));
  const zh = flatMessages(readCatalog(extensionDir, "zh-CN.json"));
  const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();
  const code = sources(path.join(extensionDir, "src")).map((file) => fs.readFileSync(file, "utf8"));

  it("has the same keys in both languages", () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("has text for every message in both languages, with the same placeholders", () => {
    for (const [key, text] of en) {
      expect(text.trim(), key).not.toBe("");
      expect(zh.get(key)?.trim(), key).not.toBe("");
      expect(placeholders(zh.get(key)!), key).toEqual(placeholders(text));
    }
  });

  it("writes plurals as { one, other } with the count in them", () => {
    const plurals = [...en.keys()].filter((key) => /\.(one|other)$/.test(key));
    expect(plurals).toEqual(checks.plurals);
    for (const key of plurals) expect(placeholders(en.get(key)!)).toContain("count");
  });

  describe("the code", () => {
    const pattern = checks.translateCall ?? /\bt\(\s*([^,)]*)/g;
    const calls = code.flatMap((source) => [...source.matchAll(pattern)].map((match) => match[1].trim())).filter((argument) => !checks.otherArguments?.includes(argument));
    const used = new Set(calls.map((argument) => /^"([\w.]+)"$/.exec(argument)?.[1]));
    const tabled = checks.tabledKey ? code.flatMap((source) => [...source.matchAll(checks.tabledKey!)].map((match) => match[1])) : [];
    /** A message key: plural entries are asked for without their form. */
    const keys = new Set([...en.keys()].map((key) => key.replace(/\.(one|other)$/, "")));

    it("passes translate a literal key every time, so this test sees them all", () => {
      expect(calls.length).toBeGreaterThan(checks.minCalls);
      expect(calls.filter((argument) => !/^"[\w.]+"$/.test(argument))).toEqual([]);
    });

    it("asks only for keys that exist", () => {
      expect([...used, ...tabled].filter((key) => !key || !keys.has(key))).toEqual([]);
    });

    it("uses every message, so none goes stale", () => {
      expect([...keys].filter((key) => !used.has(key) && !tabled.includes(key))).toEqual([]);
    });
  });

  return { en, zh };
}

/** tsc's report on one of an extension's projects ("" when clean): extensions/ has its own compiler settings, which the repo's tsconfig.json leaves out. */
export function typeErrors(extensionDir: string, project: string): string {
  try {
    execFileSync(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", project], { cwd: extensionDir, encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout || error);
  }
}

export interface ExtensionToml {
  api_version: string;
  extensions: Array<{ name: string; handle: string; type: string; targeting: Array<{ target: string; module: string }>; capabilities?: unknown; metafields?: Array<{ namespace: string; key: string }> }>;
}

export function readExtensionToml(extensionDir: string): ExtensionToml {
  return toml.parse(fs.readFileSync(path.join(extensionDir, "shopify.extension.toml"), "utf8")) as ExtensionToml;
}

/**
 * The extension as Shopify CLI reads it, in what every UI extension shares:
 * the API version of the installed @shopify/ui-extensions; targets that the
 * package defines (on the surface `surfaceOf` names), each with a module whose
 * default export renders it; package.json naming the repo's versions; the one
 * default locale and zh-CN; and its TypeScript, which the repo's tsconfig.json
 * leaves out (extensions/ has its own compiler settings), clean for the code
 * and for the tests.
 */
export function describeUiExtension(extensionDir: string, { surfaceOf }: { surfaceOf: (target: string) => string }) {
  const config = readExtensionToml(extensionDir);
  const uiExtensionsVersion: string = readJson(path.join(ROOT, "node_modules/@shopify/ui-extensions/package.json")).version;

  describe("shopify.extension.toml", () => {
    it("uses the API version of the installed @shopify/ui-extensions (2026.7.x → 2026-07)", () => {
      const [year, month] = uiExtensionsVersion.split(".");
      expect(config.api_version).toBe(`${year}-${month.padStart(2, "0")}`);
    });

    it("names targets that @shopify/ui-extensions defines, each with a module whose default export renders it", async () => {
      for (const { target, module } of config.extensions.flatMap((extension) => extension.targeting)) {
        expect(fs.existsSync(path.join(ROOT, "node_modules/@shopify/ui-extensions/build/ts/surfaces", surfaceOf(target), "targets", `${target}.d.ts`)), target).toBe(true);
        const entry = await import(path.join(extensionDir, module));
        expect(typeof entry.default, module).toBe("function");
      }
    });
  });

  describe("package.json", () => {
    it("names the versions of Preact, signals and @shopify/ui-extensions the repo installs", () => {
      const pkg = readJson(path.join(extensionDir, "package.json"));
      const root = readJson(path.join(ROOT, "package.json"));
      for (const name of ["preact", "@preact/signals", "@shopify/ui-extensions"]) expect(pkg.dependencies[name], name).toBe(root.devDependencies[name]);
    });
  });

  describe("locales", () => {
    it("has the one default locale Shopify requires, and zh-CN", () => {
      expect(fs.readdirSync(path.join(extensionDir, "locales")).sort()).toEqual(["en.default.json", "zh-CN.json"]);
    });
  });

  describe("TypeScript", () => {
    it("the extension's code typechecks with Preact's JSX, Polaris elements' props and each target's API, and no Node globals", () => {
      expect(typeErrors(extensionDir, "tsconfig.json")).toBe("");
    }, 60_000);

    it("the tests typecheck too", () => {
      expect(typeErrors(extensionDir, "tests/tsconfig.json")).toBe("");
    }, 60_000);
  });

  return { config, root: ROOT };
}
