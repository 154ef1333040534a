// The words of a theme's or the theme app extension's locale files, for tests
// that look for them on a rendered page: read from the files as written, with
// placeholders filled by the caller's figures. Deliberately not the `t` filter
// of tools/storefront/liquid.ts (the code under test): a test that found its
// expected words through the renderer's own lookup could not catch it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { THEME_EXTENSION_ROOT, type StorefrontLocale } from "../../tools/storefront/liquid";

const FILES: Record<StorefrontLocale, string> = { en: "en.default.json", "zh-CN": "zh-CN.json" };

export type Words = (locale: StorefrontLocale, key: string, vars?: Record<string, string | number>) => string;

/**
 * `words(locale, key, vars?)` for the locale files under `root`/locales. A key
 * naming plural forms gives its `other` form (name `.one` to get that one).
 * With `vars`, `{{ name }}` placeholders are filled (a missing one throws);
 * without, the text is as written, placeholders and all. A missing key throws.
 */
export function localeWords(root: string): Words {
  const catalogs = new Map<StorefrontLocale, Record<string, unknown>>();
  const catalog = (locale: StorefrontLocale) => {
    if (!catalogs.has(locale)) catalogs.set(locale, JSON.parse(readFileSync(path.join(root, "locales", FILES[locale]), "utf8")));
    return catalogs.get(locale)!;
  };
  return (locale, key, vars) => {
    let entry = key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), catalog(locale));
    if (entry && typeof entry === "object") entry = (entry as Record<string, unknown>).other;
    if (typeof entry !== "string") throw new Error(`no ${locale} words for ${key} in ${path.relative(process.cwd(), root)}/locales`);
    if (!vars) return entry;
    return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      if (!(name in vars)) throw new Error(`${key} (${locale}) needs {{ ${name} }}`);
      return String(vars[name]);
    });
  };
}

/** The theme app extension's words (extensions/member-theme/locales). */
export const extensionWords: Words = localeWords(THEME_EXTENSION_ROOT);
