/**
 * A Liquid engine for rendering the theme app extension (extensions/member-theme)
 * and a test theme page outside Shopify: liquidjs, plus stand-ins for the
 * Shopify filters and tags our Liquid uses. Test and demo code only; Shopify
 * renders the real thing.
 *
 * What the stand-ins do, and where it is documented:
 * - `t`: the key looked up in the extension's locale files for the request's
 *   locale (`zh-CN.json`), falling back to `en.default.json`; `{{ name }}`
 *   placeholders filled from the filter's named arguments; with `count`, the
 *   plural form (`one`/`other`, CLDR rules through Intl.PluralRules). The
 *   result is HTML-escaped unless the key ends in `_html`, as Shopify does
 *   (https://shopify.dev/docs/api/liquid/filters/translate, and
 *   https://shopify.dev/docs/storefronts/themes/architecture/locales/storefront-locale-files).
 * - `money`, `money_with_currency`, `money_without_currency`,
 *   `money_without_trailing_zeros`: Shopify's money values in Liquid are in
 *   cents, whatever the currency (https://shopify.dev/docs/api/liquid/objects/money:
 *   "the money value in cents"), formatted with the shop's money format
 *   (`shop.money_format`, e.g. `${{amount}}`, `¥{{amount_no_decimals}}`) when the
 *   page's currency is the shop's, or with that currency's usual format
 *   otherwise (https://shopify.dev/docs/api/liquid/filters/money).
 * - `asset_url`, `stylesheet_tag`, `script_tag`: URLs under `assetBase`.
 * - `{% schema %}`: a block's settings JSON, not rendered (read it with
 *   `blockSchema`); `{% doc %}`: a snippet's documented parameters, not
 *   rendered; `{% style %}` renders a `<style>` element, as Shopify does.
 * Liquid itself (render, liquid, echo, json, default...) is liquidjs's, which
 * follows Shopify's. Shopify does not escape output by itself, and neither does
 * this engine: a template that prints data without `| escape` is caught here too.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid, Tag, type Context, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";

export type StorefrontLocale = "en" | "zh-CN";

export const THEME_EXTENSION_ROOT = path.resolve(import.meta.dirname, "../../extensions/member-theme");

type Translations = Record<string, unknown>;

export interface StorefrontLiquidOptions {
  /** Folders holding `blocks/`, `snippets/` and `locales/`, searched in order (the extension first by default). */
  roots?: string[];
  /** Where `asset_url` points (the preview server serves the extension's assets there). */
  assetBase?: string;
}

export interface StorefrontLiquid {
  engine: Liquid;
  /** Render `blocks/<name>.liquid` with a page's scope (shop, customer, request...) and the block's settings. */
  renderBlock(name: string, page: PageScope, settings?: Record<string, unknown>): Promise<string>;
  /**
   * Render Liquid source on a page. The page's objects are globals, as Shopify's
   * are: a snippet rendered with `{% render %}` sees `shop`, `customer` and
   * `request` but not the variables of the template that rendered it.
   */
  renderTemplate(source: string, page: PageScope, locals?: Record<string, unknown>): Promise<string>;
  /** The `{% schema %}` of `blocks/<name>.liquid`. */
  blockSchema(name: string): BlockSchema;
}

/** What Shopify puts in a page's Liquid scope, as far as our blocks read it. */
export interface PageScope {
  shop: {
    name: string;
    /** The shop's currency (ISO 4217). */
    currency: string;
    money_format: string;
    money_with_currency_format: string;
    metafields?: Record<string, Record<string, unknown>>;
  };
  /** null for a guest: Shopify's `customer` is nil unless a customer is signed in. */
  customer: null | { id: number; first_name: string; email?: string; metafields?: Record<string, Record<string, unknown>> };
  request: { locale: { iso_code: StorefrontLocale }; design_mode?: boolean };
  /**
   * The shopper's cart (https://shopify.dev/docs/api/liquid/objects/cart): its currency is the one the shopper sees
   * prices in (Markets), the shop's when absent; amounts in that currency's cents (1000 JPY is 100000).
   */
  cart?: {
    currency: { iso_code: string };
    item_count?: number;
    total_price?: number;
    items?: Array<{ quantity: number; final_line_price: number; gift_card: boolean; [key: string]: unknown }>;
  };
  routes: { account_login_url: string; account_register_url: string; account_url: string; root_url: string };
  [key: string]: unknown;
}

export interface BlockSetting {
  type: string;
  id?: string;
  label?: string;
  default?: unknown;
  [key: string]: unknown;
}

export interface BlockSchema {
  name: string;
  target: string;
  stylesheet?: string;
  javascript?: string;
  settings?: BlockSetting[];
  [key: string]: unknown;
}

/** A metafield as Liquid sees it: `.value` is the parsed JSON for a json metafield. */
export function liquidMetafield(value: unknown, type = "json") {
  return { value, type };
}

// ------------------------------------------------------------------ money

/** Usual formats of currencies a test page may be shown in, when it is not the shop's (Shopify's defaults for them). */
const CURRENCY_FORMATS: Record<string, { money: string; withCurrency: string }> = {
  USD: { money: "${{amount}}", withCurrency: "${{amount}} USD" },
  CAD: { money: "${{amount}}", withCurrency: "${{amount}} CAD" },
  EUR: { money: "€{{amount_with_comma_separator}}", withCurrency: "€{{amount_with_comma_separator}} EUR" },
  GBP: { money: "£{{amount}}", withCurrency: "£{{amount}} GBP" },
  CNY: { money: "¥{{amount}}", withCurrency: "¥{{amount}} CNY" },
  JPY: { money: "¥{{amount_no_decimals}}", withCurrency: "¥{{amount_no_decimals}} JPY" },
};

function groupDigits(whole: string, separator: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** Shopify's money format placeholders, from cents. */
export function formatMoney(cents: number, format: string): string {
  const value = Math.round(Number(cents) || 0);
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  const whole = String(Math.floor(abs / 100));
  const fraction = String(abs % 100).padStart(2, "0");
  const rounded = String(Math.round(abs / 100));
  const placeholders: Record<string, string> = {
    amount: `${groupDigits(whole, ",")}.${fraction}`,
    amount_no_decimals: groupDigits(rounded, ","),
    amount_with_comma_separator: `${groupDigits(whole, ".")},${fraction}`,
    amount_no_decimals_with_comma_separator: groupDigits(rounded, "."),
    amount_with_apostrophe_separator: `${groupDigits(whole, "'")}.${fraction}`,
    amount_no_decimals_with_space_separator: groupDigits(rounded, " "),
    amount_with_space_separator: `${groupDigits(whole, " ")},${fraction}`,
    amount_with_period_and_space_separator: `${groupDigits(whole, " ")}.${fraction}`,
  };
  return sign + format.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) => placeholders[name] ?? match);
}

function scopeValue(context: Context, paths: string[]): unknown {
  try {
    return context.getSync(paths);
  } catch {
    return undefined;
  }
}

function moneyFormats(context: Context): { money: string; withCurrency: string } {
  const shopCurrency = String(scopeValue(context, ["shop", "currency"]) ?? "USD");
  const shown = String(scopeValue(context, ["cart", "currency", "iso_code"]) ?? shopCurrency);
  if (shown === shopCurrency) {
    return {
      money: String(scopeValue(context, ["shop", "money_format"]) ?? CURRENCY_FORMATS[shopCurrency]?.money ?? "{{amount}}"),
      withCurrency: String(scopeValue(context, ["shop", "money_with_currency_format"]) ?? CURRENCY_FORMATS[shopCurrency]?.withCurrency ?? `{{amount}} ${shopCurrency}`),
    };
  }
  return CURRENCY_FORMATS[shown] ?? { money: "{{amount}}", withCurrency: `{{amount}} ${shown}` };
}

// ------------------------------------------------------------ translations

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function readJson(file: string): Translations | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Translations;
  } catch {
    return null;
  }
}

function lookup(translations: Translations | null, key: string): unknown {
  let node: unknown = translations;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

// ------------------------------------------------------------------ schema

/**
 * A tag whose body is for tools, not for the page: `{% schema %}` (the block's
 * settings) and `{% doc %}` (a snippet's parameters, read by Theme Check).
 */
function silentTag(name: string) {
  return class extends Tag {
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      while (remain.length) {
        const next = remain.shift()!;
        if ("name" in next && next.name === `end${name}`) return;
      }
      throw new Error(`tag ${token.getText()} not closed`);
    }
    render(): void {}
  };
}

/** `{% style %}...{% endstyle %}`: a `<style>` element around the rendered content. */
class StyleTag extends Tag {
  private readonly templates: ReturnType<Liquid["parser"]["parseTokens"]> = [];
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    const stream = liquid.parser.parseStream(remain);
    stream
      .on("tag:endstyle", () => stream.stop())
      .on("template", (template) => this.templates.push(template as (typeof this.templates)[number]))
      .on("end", () => {
        throw new Error(`tag ${token.getText()} not closed`);
      });
    stream.start();
  }
  *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    emitter.write("<style>");
    yield this.liquid.renderer.renderTemplates(this.templates, context, emitter);
    emitter.write("</style>");
  }
}

export function readBlockSchema(source: string): BlockSchema {
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  if (!match) throw new Error("no {% schema %} in block");
  return JSON.parse(match[1]) as BlockSchema;
}

/** A block's settings as the theme editor starts them: every setting's default, then the merchant's changes. */
export function blockSettings(schema: BlockSchema, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const setting of schema.settings ?? []) if (setting.id) settings[setting.id] = setting.default ?? null;
  return { ...settings, ...overrides };
}

// ------------------------------------------------------------------ engine

export function createStorefrontLiquid(options: StorefrontLiquidOptions = {}): StorefrontLiquid {
  const roots = options.roots ?? [THEME_EXTENSION_ROOT];
  const assetBase = (options.assetBase ?? "/assets").replace(/\/$/, "");
  const engine = new Liquid({
    root: roots.flatMap((root) => [path.join(root, "blocks"), path.join(root, "snippets")]),
    partials: roots.map((root) => path.join(root, "snippets")),
    extname: ".liquid",
    relativeReference: false,
    // Shopify renders an unknown variable as nothing, as liquidjs does by default. An unknown filter is an error
    // here, so a Shopify filter the blocks use without a stand-in fails the tests instead of vanishing.
    strictFilters: true,
    cache: process.env.NODE_ENV === "production",
  });

  const localeCache = new Map<string, Translations | null>();
  const locales = (locale: string): Array<Translations | null> => {
    const files = [`${locale}.json`, "en.default.json"];
    return roots.flatMap((root) =>
      files.map((file) => {
        const full = path.join(root, "locales", file);
        if (!localeCache.has(full)) localeCache.set(full, readJson(full));
        return localeCache.get(full)!;
      }),
    );
  };

  engine.registerTag("schema", silentTag("schema"));
  engine.registerTag("doc", silentTag("doc"));
  engine.registerTag("style", StyleTag);

  engine.registerFilter("t", function (this: { context: Context }, key: unknown, ...args: unknown[]) {
    const name = String(key);
    const locale = String(scopeValue(this.context, ["request", "locale", "iso_code"]) ?? "en");
    const vars: Record<string, unknown> = {};
    for (const arg of args) if (Array.isArray(arg) && arg.length === 2) vars[String(arg[0])] = arg[1];
    let found: unknown;
    for (const translations of locales(locale)) {
      found = lookup(translations, name);
      if (found !== undefined) break;
    }
    if (found && typeof found === "object" && "count" in vars) {
      const forms = found as Record<string, string>;
      const count = Number(vars.count);
      const category = count === 0 && forms.zero !== undefined ? "zero" : new Intl.PluralRules(locale).select(count);
      found = forms[category] ?? forms.other;
    }
    // Shopify shows a missing key as "translation missing: en.key".
    if (typeof found !== "string") return `translation missing: ${locale}.${name}`;
    const html = name.endsWith("_html");
    const text = found.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, variable: string) => (variable in vars ? String(vars[variable] ?? "") : match));
    return html ? text : escapeHtml(text);
  });

  engine.registerFilter("money", function (this: { context: Context }, cents: unknown) {
    return formatMoney(Number(cents), moneyFormats(this.context).money);
  });
  engine.registerFilter("money_with_currency", function (this: { context: Context }, cents: unknown) {
    return formatMoney(Number(cents), moneyFormats(this.context).withCurrency);
  });
  engine.registerFilter("money_without_currency", (cents: unknown) => formatMoney(Number(cents), "{{amount}}"));
  engine.registerFilter("money_without_trailing_zeros", function (this: { context: Context }, cents: unknown) {
    return formatMoney(Number(cents), moneyFormats(this.context).money).replace(/[.,]00(?!\d)/, "");
  });

  engine.registerFilter("asset_url", (file: unknown) => `${assetBase}/${String(file)}`);
  engine.registerFilter("stylesheet_tag", (url: unknown) => `<link href="${escapeHtml(String(url))}" rel="stylesheet" type="text/css" media="all" />`);
  engine.registerFilter("script_tag", (url: unknown) => `<script src="${escapeHtml(String(url))}" type="text/javascript"></script>`);

  const blockFile = (name: string) => {
    for (const root of roots) {
      const file = path.join(root, "blocks", `${name}.liquid`);
      try {
        return { file, source: readFileSync(file, "utf8") };
      } catch {
        continue;
      }
    }
    throw new Error(`no block ${name} under ${roots.join(", ")}`);
  };

  const renderTemplate = (source: string, page: PageScope, locals: Record<string, unknown> = {}) => engine.parseAndRender(source, locals, { globals: page }) as Promise<string>;

  return {
    engine,
    blockSchema: (name) => readBlockSchema(blockFile(name).source),
    renderTemplate,
    async renderBlock(name, page, settings = {}) {
      const { source } = blockFile(name);
      const schema = readBlockSchema(source);
      const block = { id: `${name}-block`, type: name, settings: blockSettings(schema, settings), shopify_attributes: `data-block-id="${name}-block"` };
      return renderTemplate(source, page, { block });
    },
  };
}
