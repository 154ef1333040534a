// locales/en.default.json and zh-CN.json say the same things, with the same
// placeholders, and the code asks only for keys they have (and uses them all).
import fs from "node:fs";
import path from "node:path";
import { EXTENSION_DIR, readCatalog } from "./support";

type Catalog = ReturnType<typeof readCatalog>;

/** Every message as "dotted.key" → text; a plural entry contributes "key.one", "key.other". */
function messages(catalog: Catalog, prefix = ""): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === "string") flat.set(prefix + key, value);
    else for (const [leaf, text] of messages(value, `${prefix}${key}.`)) flat.set(leaf, text);
  }
  return flat;
}

const en = messages(readCatalog("en.default.json"));
const zh = messages(readCatalog("zh-CN.json"));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

/** The extension's source files, tests left out. */
function sources(dir = path.join(EXTENSION_DIR, "src")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}
const code = sources().map((file) => fs.readFileSync(file, "utf8"));

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
  expect(plurals).toEqual([
    "member.progress.orders.one",
    "member.progress.orders.other",
    "member.review.orders.one",
    "member.review.orders.other",
    "member.review.spendAndOrders.one",
    "member.review.spendAndOrders.other",
    "page.invitation.orders.one",
    "page.invitation.orders.other",
    "page.invitation.window.rolling.one",
    "page.invitation.window.rolling.other",
  ]);
  for (const key of plurals) expect(placeholders(en.get(key)!)).toContain("count");
});

describe("the code", () => {
  const calls = code.flatMap((source) => [...source.matchAll(/\bt\(\s*([^,)]*)/g)].map((match) => match[1].trim()));
  const used = new Set(calls.map((argument) => /^"([\w.]+)"$/.exec(argument)?.[1]));
  /** A message key: plural entries are asked for without their form. */
  const keys = new Set([...en.keys()].map((key) => key.replace(/\.(one|other)$/, "")));

  it("passes translate a literal key every time, so this test sees them all", () => {
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.filter((argument) => !/^"[\w.]+"$/.test(argument))).toEqual([]);
  });

  it("asks only for keys that exist", () => {
    expect([...used].filter((key) => !key || !keys.has(key))).toEqual([]);
  });

  it("uses every message, so none goes stale", () => {
    expect([...keys].filter((key) => !used.has(key))).toEqual([]);
  });
});
