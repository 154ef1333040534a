// MemberCare's theme app extension (extensions/member-theme) rendered for the
// test page: its app blocks and app embed as HTML, through the extension's
// Liquid engine (liquid.ts), with the page's Liquid objects as Shopify would
// give them, and the assets the blocks' schemas ask Shopify to load.
import type { Locale } from "~/i18n";
import type { LiquidCart } from "./cart";
import { createStorefrontLiquid, liquidMetafield, type PageScope } from "./liquid";
import type { StorefrontCustomer, StorefrontShop } from "./page";

export { THEME_EXTENSION_ROOT as EXTENSION_DIR } from "./liquid";

/** The blocks as a merchant places them on the test page: two app blocks in Apps sections and the embed. */
export const PLACED = { memberStatus: "member-status", tierLadder: "tier-ladder", embed: "member-embed" } as const;

export interface ExtensionInput {
  locale: Locale;
  shop: StorefrontShop;
  customer: StorefrontCustomer | null;
  /** The shopper's cart (cart.ts); the blocks' progress follows it. */
  cart: LiquidCart;
}

export interface ExtensionRender {
  blocks: { memberStatus: string; tierLadder: string };
  /** The app embed (target body), placed before </body>. */
  embed: string;
  /** Files in the extension's assets/ the blocks' schemas load: stylesheets in <head>, scripts deferred. */
  stylesheets: string[];
  scripts: string[];
}

/**
 * A json metafield as Liquid sees it: `.value` is the parsed value. Shopify
 * only stores valid JSON in a json metafield; a value of the wrong shape (an
 * older version, a hand edit) still reaches the blocks, which must cope.
 */
function metafield(text: string | null) {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return liquidMetafield(value);
}

/** Shopify's Liquid objects for the page, as far as the blocks read them (liquid.ts PageScope). */
export function pageScope({ locale, shop, customer, cart }: ExtensionInput): PageScope {
  const program = metafield(shop.program);
  const membership = customer ? metafield(customer.membership) : undefined;
  return {
    shop: {
      name: shop.name,
      currency: shop.currencyCode,
      // The demo's store and the fixtures are in USD; the money filters fall back to the currency's usual format otherwise.
      money_format: shop.currencyCode === "USD" ? "${{amount}}" : `{{amount}} ${shop.currencyCode}`,
      money_with_currency_format: `{{amount}} ${shop.currencyCode}`,
      metafields: program ? { $app: { program } } : {},
    },
    customer: customer ? { id: Number(customer.id), first_name: customer.firstName ?? "", email: customer.email ?? undefined, metafields: membership ? { $app: { membership } } : {} } : null,
    request: { locale: { iso_code: locale } },
    cart,
    routes: { account_login_url: "/account/login", account_register_url: "/account/register", account_url: "/account", root_url: "/" },
  };
}

let liquid: ReturnType<typeof createStorefrontLiquid> | null = null;

export async function renderExtension(input: ExtensionInput, assetBase: string): Promise<ExtensionRender> {
  liquid ??= createStorefrontLiquid({ assetBase });
  const page = pageScope(input);
  const [memberStatus, tierLadder, embed] = await Promise.all([liquid.renderBlock(PLACED.memberStatus, page), liquid.renderBlock(PLACED.tierLadder, page), liquid.renderBlock(PLACED.embed, page)]);
  const schemas = Object.values(PLACED).map((name) => liquid!.blockSchema(name));
  // Each asset once per page, however many blocks name it (as Shopify loads them).
  const unique = (files: Array<string | undefined>) => [...new Set(files.filter((file): file is string => Boolean(file)))];
  return {
    blocks: { memberStatus, tierLadder },
    embed,
    stylesheets: unique(schemas.map((schema) => schema.stylesheet)),
    scripts: unique(schemas.map((schema) => schema.javascript)),
  };
}
