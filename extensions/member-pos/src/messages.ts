/**
 * The extension's strings live in locales/*.json, where Shopify reads them and
 * serves them through `shopify.i18n.translate` in the shopper's language. This
 * module only derives the key type from the default catalog, so a key that is
 * not in en.default.json fails the typecheck (locales.test.ts also keeps
 * zh-CN.json in step and checks every literal key the code passes).
 *
 * Type-only: nothing here reaches the bundle.
 */
type Catalog = typeof import("../locales/en.default.json");

/** A plural entry ({ one, other }) is one message: translate picks the form from `count`. */
type PluralForms = { other: string };

type KeysOf<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string | PluralForms ? `${Prefix}${K}` : KeysOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = KeysOf<Catalog>;

/** The subset of Shopify's `i18n.translate` the components use: primitive replacements only, so it returns a string. */
export type Translate = (key: MessageKey, replacements?: Record<string, string | number>) => string;
