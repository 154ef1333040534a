// The test theme page: an Online Store 2.0 theme's layout (layout/theme.liquid,
// sections, a template), rendered with liquidjs, with MemberCare's theme app
// extension placed in it or not. Shopify renders a page the same way: the
// template's sections into the layout's content_for_layout, app blocks inside
// an "Apps" section, the app embeds (target body) before </body>, and the
// blocks' schema `stylesheet`/`javascript` assets in the page's head.
//
// The theme here is ours (tools/storefront/theme); the extension's Liquid is
// rendered by the extension's own engine (./extension.ts), as Shopify renders
// an app block with the app's locales, not the theme's.
import fs from "node:fs";
import path from "node:path";
import { Tag, type Context, type Emitter, type Liquid, type TagToken, type TopLevelToken } from "liquidjs";
import type { Locale } from "~/i18n";
import type { LiquidCart } from "./cart";
import { emptyCart } from "./cart";
import type { StorefrontProduct } from "./catalog";
import { HERO } from "./catalog";
import { pageScope, renderExtension, type ExtensionRender } from "./extension";
import { blockSettings, createStorefrontLiquid, readBlockSchema, type StorefrontLiquid } from "./liquid";

export const THEME_DIR = path.join(import.meta.dirname, "theme");

/** Where the page's server serves each kind of file (server.ts). */
export const ASSET_PATHS = { theme: "/cdn/theme", extension: "/cdn/extension", images: "/cdn/images" } as const;

export interface StorefrontCustomer {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** The `$app:membership` metafield's value as Shopify holds it (JSON text), null: none. */
  membership: string | null;
}

export interface StorefrontShop {
  name: string;
  currencyCode: string;
  /** The `$app:program` shop metafield's value as Shopify holds it (JSON text), null: none. */
  program: string | null;
}

export interface StorefrontRequest {
  template: "index" | "page.membership";
  locale: Locale;
  shop: StorefrontShop;
  /** null: a guest (Liquid's `customer` is nil unless the shopper is logged in). */
  customer: StorefrontCustomer | null;
  products: StorefrontProduct[];
  /** Place the extension's blocks and its embed (false: the same page without MemberCare). */
  blocks: boolean;
  /** The shopper's cart as Liquid shows it (cart.ts cartFromSpec); the empty cart when left out. */
  cart?: LiquidCart;
}

/** The theme settings a merchant sets (config/settings_data.json in a real theme). */
export const THEME_SETTINGS = {
  colors_background: "#ffffff",
  colors_text: "#121212",
  colors_accent: "#1f3a5f",
  colors_accent_contrast: "#ffffff",
  font_body: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Microsoft YaHei', sans-serif",
  font_heading: "Georgia, 'Times New Roman', 'Songti SC', serif",
  page_width: 1200,
};

const escapeAttr = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * `{% section 'name' %}` and `{% section 'apps' with expression %}` (the
 * expression gives the section's blocks): renders sections/name.liquid with
 * `section.settings` from its schema's defaults, in its own scope as Shopify
 * renders a section (the page's objects are globals).
 */
class SectionTag extends Tag {
  private sectionName: string;
  private blocksExpression: string | null;
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    const match = /^\s*['"]([\w-]+)['"](?:\s+with\s+([\w.]+))?\s*$/.exec(token.args);
    if (!match) throw new Error(`section tag: expected 'name' [with expression], got "${token.args}"`);
    this.sectionName = match[1];
    this.blocksExpression = match[2] ?? null;
  }
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const file = path.join(THEME_DIR, "sections", `${this.sectionName}.liquid`);
    const source = fs.readFileSync(file, "utf8");
    const blocks = this.blocksExpression ? ((yield this.liquid.evalValue(this.blocksExpression, ctx)) as unknown[] | undefined) : [];
    // An Apps section with no block is not rendered at all (nothing placed there).
    if (this.blocksExpression && !blocks?.length) return;
    const child = ctx.spawn({ section: { id: this.sectionName, settings: blockSettings(readBlockSchema(source)), blocks: blocks ?? [] } });
    const templates = this.liquid.parse(source, file);
    yield this.liquid.renderer.renderTemplates(templates, child, emitter);
  }
}

/**
 * The theme's engine: the same Liquid stand-ins as the extension's (liquid.ts:
 * `t`, money from cents, asset_url, stylesheet_tag, schema), rooted at the
 * theme, so its `t` reads the theme's locales as an app block's reads the
 * app's; plus the two things only a theme uses here, `section` and `image_url`.
 */
function themeEngine(): StorefrontLiquid {
  const theme = createStorefrontLiquid({ roots: [THEME_DIR], assetBase: ASSET_PATHS.theme });
  const { engine } = theme;
  engine.registerTag("section", SectionTag);
  engine.registerFilter("image_url", (name: string, ...args: Array<[string, unknown]>) => {
    const width = Number(Object.fromEntries(args.filter(Array.isArray)).width ?? 800);
    return `${ASSET_PATHS.images}/${name}-${width}.jpg`;
  });
  return theme;
}
let theme: StorefrontLiquid | null = null;
const themeFile = (...parts: string[]) => fs.readFileSync(path.join(THEME_DIR, ...parts), "utf8");

export interface RenderedPage {
  html: string;
  /** What the extension added (null when the blocks are not placed). */
  extension: ExtensionRender | null;
}

export async function renderStorefrontPage(request: StorefrontRequest): Promise<RenderedPage> {
  const { locale, shop, customer } = request;
  const cart = request.cart ?? emptyCart(shop.currencyCode);
  const extension = request.blocks ? await renderExtension({ locale, shop, customer, cart }, ASSET_PATHS.extension) : null;
  // App blocks sit in Apps sections: the status under the banner, the ladder lower on the home page and on the Membership page.
  const block = (id: string, html: string | undefined) => (html ? [{ id, html }] : []);
  const appSections = {
    after_banner: block("member-status", extension?.blocks.memberStatus),
    after_collection: block("tier-ladder", extension?.blocks.tierLadder),
    membership_page: [...block("member-status", extension?.blocks.memberStatus), ...block("tier-ladder", extension?.blocks.tierLadder)],
  };
  if (request.template === "page.membership") appSections.after_collection = [];
  // Shopify puts an app's block and embed assets in the head (content_for_header):
  // stylesheets as links, scripts with `defer`.
  const contentForHeader = [
    ...(extension?.stylesheets ?? []).map((file) => `<link href="${ASSET_PATHS.extension}/${escapeAttr(file)}" rel="stylesheet" type="text/css" media="all">`),
    ...(extension?.scripts ?? []).map((file) => `<script src="${ASSET_PATHS.extension}/${escapeAttr(file)}" defer></script>`),
  ].join("\n    ");
  const scope = pageScope({ locale, shop, customer, cart });
  const globals = {
    ...scope,
    settings: THEME_SETTINGS,
    products: request.products,
    hero: { image: HERO.image, alt: "" },
    // The theme's menu (a real theme's comes from the shop's navigation): titles are keys of the theme's locales.
    menu: [
      { title: "menu.home", url: "/" },
      { title: "menu.catalog", url: "/collections/all" },
      { title: "menu.membership", url: "/pages/membership" },
      { title: "menu.contact", url: "/pages/contact" },
    ],
    app_sections: appSections,
    canonical_url: request.template === "index" ? "/" : "/pages/membership",
    template: request.template,
  };
  theme ??= themeEngine();
  const contentForLayout = await theme.renderTemplate(themeFile("templates", `${request.template}.liquid`), globals);
  const html = await theme.renderTemplate(themeFile("layout", "theme.liquid"), globals, { content_for_layout: contentForLayout, content_for_header: contentForHeader, content_for_body_end: extension?.embed ?? "" });
  return { html, extension };
}
