// `npm run storefront`: the test theme page with MemberCare's theme app
// extension, served locally, for a shopper of the demo's store (the database
// `npm run demo` leaves in tmp/demo.sqlite) or of the built-in fixtures.
//
//   npm run storefront -- [--source demo|fixtures] [--port 4590]
//   http://127.0.0.1:4590/?shopper=gold&locale=zh-CN     a Gold member, in Chinese
//   http://127.0.0.1:4590/pages/membership?shopper=guest the Membership page for a guest
//   ...&blocks=0                                         the same page without the extension
//   ...&customer=<Shopify id>                            one customer of the demo
//   ...&cart=vitamin-c-serum-30-ml:2,4910000005          a cart of the page's products (cart.ts):
//                                                        the blocks' progress follows it
//
// No request reaches the app on a page view (as on Shopify: the blocks are
// Liquid over metafields); this server only stands in for Shopify's renderer
// and CDN.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import type { AddressInfo } from "node:net";
import type { Locale } from "~/i18n";
import { CartSpecError, cartFromSpec } from "./cart";
import { imageRequests, storefrontProducts } from "./catalog";
import { EXTENSION_DIR } from "./extension";
import { ensureImages } from "./images";
import { ASSET_PATHS, renderStorefrontPage, THEME_DIR, type StorefrontCustomer, type StorefrontShop } from "./page";
import { utilitiesCss } from "./theme-assets";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const IMAGE_DIR = path.join(ROOT, "tmp", "storefront-images");
export const DEMO_SHOP = "membercare-demo.myshopify.com";
export const DEMO_DATABASE = path.join(ROOT, "tmp", "demo.sqlite");

/** Who is looking at the page: a tier's handle, "nonmember" (signed in, no tier) or "guest". */
export interface ShopperSource {
  shop(): Promise<StorefrontShop>;
  /** Shoppers by name, for the links the server prints. */
  shoppers(): Promise<string[]>;
  /** undefined: no such shopper here. */
  shopper(name: string, customerId: string | null): Promise<StorefrontCustomer | null | undefined>;
  defaultShopper: () => Promise<string>;
}

export async function fixtureSource(): Promise<ShopperSource> {
  const { FIXTURE_SHOP, FIXTURE_SHOPPERS } = await import("./fixtures");
  return {
    shop: async () => FIXTURE_SHOP,
    shoppers: async () => Object.keys(FIXTURE_SHOPPERS),
    shopper: async (name) => (name in FIXTURE_SHOPPERS ? FIXTURE_SHOPPERS[name] : undefined),
    defaultShopper: async () => "silver",
  };
}

/** The demo's database; DATABASE_URL must point at it before this runs (db.server reads it on import). */
export async function demoSource(shop = DEMO_SHOP): Promise<ShopperSource> {
  const { demoNonMember, demoShopper, demoStore } = await import("./demo-data");
  const store = await demoStore(shop);
  // With an entry tier open to everyone (the starter program's), every customer is a member.
  const hasNonMember = (await demoNonMember(shop)) !== null;
  return {
    shop: async () => (await demoStore(shop)).shop,
    shoppers: async () => [...store.tiers.map((tier) => tier.handle), ...(hasNonMember ? ["nonmember"] : []), "guest"],
    async shopper(name, customerId) {
      if (customerId) return (await demoShopper(shop, { customerShopifyId: customerId }))?.customer;
      if (name === "guest") return null;
      if (name === "nonmember") return (await demoNonMember(shop)) ?? undefined;
      if (!store.tiers.some((tier) => tier.handle === name)) return undefined;
      return (await demoShopper(shop, { tierHandle: name }))?.customer;
    },
    defaultShopper: async () => store.tiers[1]?.handle ?? store.tiers[0]?.handle ?? "guest",
  };
}

const TYPES: Record<string, string> = { ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".jpg": "image/jpeg", ".png": "image/png", ".svg": "image/svg+xml", ".json": "application/json" };

function send(request: http.IncomingMessage, response: http.ServerResponse, status: number, type: string, body: Buffer | string, cache: string) {
  let payload = typeof body === "string" ? Buffer.from(body) : body;
  const headers: Record<string, string> = { "Content-Type": type, "Cache-Control": cache };
  // Shopify's CDN compresses text; an uncompressed page would weigh more than the one a shopper gets.
  if (/^(text|application\/json)/.test(type) && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
    payload = gzipSync(payload);
    headers["Content-Encoding"] = "gzip";
    headers.Vary = "Accept-Encoding";
  }
  headers["Content-Length"] = String(payload.length);
  response.writeHead(status, headers);
  response.end(payload);
}

function staticFile(dir: string, name: string): Buffer | null {
  const file = path.resolve(dir, name);
  if (!file.startsWith(path.resolve(dir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
  return fs.readFileSync(file);
}

export interface StorefrontServer {
  url: string;
  close(): Promise<void>;
}

/** `drawImages: false` skips drawing missing product photos (a test that fetches none needs no Chromium for them). */
export async function startStorefrontServer({ source, port = 0, host = "127.0.0.1", drawImages = true }: { source: ShopperSource; port?: number; host?: string; drawImages?: boolean }): Promise<StorefrontServer> {
  const products = storefrontProducts();
  if (drawImages) await ensureImages(imageRequests(products), IMAGE_DIR);
  const utilities = utilitiesCss();
  const server = http.createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", "http://storefront.local");
      const asset = (prefix: string, dir: string) => (url.pathname.startsWith(`${prefix}/`) ? staticFile(dir, decodeURIComponent(url.pathname.slice(prefix.length + 1))) : undefined);
      const year = "public, max-age=31536000, immutable";
      if (url.pathname === `${ASSET_PATHS.theme}/utilities.css`) return send(request, response, 200, TYPES[".css"], utilities, year);
      for (const [prefix, dir] of [[ASSET_PATHS.theme, path.join(THEME_DIR, "assets")], [ASSET_PATHS.extension, path.join(EXTENSION_DIR, "assets")], [ASSET_PATHS.images, IMAGE_DIR]] as const) {
        const file = asset(prefix, dir);
        if (file === undefined) continue;
        if (file === null) return send(request, response, 404, "text/plain; charset=utf-8", "not found", "no-store");
        return send(request, response, 200, TYPES[path.extname(url.pathname)] ?? "application/octet-stream", file, year);
      }
      if (url.pathname === "/favicon.ico") {
        response.writeHead(204, { "Cache-Control": year });
        return response.end();
      }
      const template = url.pathname === "/" ? "index" : url.pathname === "/pages/membership" ? "page.membership" : null;
      if (!template) return send(request, response, 404, "text/plain; charset=utf-8", "not found", "no-store");
      const locale: Locale = url.searchParams.get("locale") === "zh-CN" ? "zh-CN" : "en";
      const name = url.searchParams.get("shopper") ?? (await source.defaultShopper());
      const customer = await source.shopper(name, url.searchParams.get("customer"));
      if (customer === undefined) {
        return send(request, response, 404, "text/plain; charset=utf-8", `no shopper "${name}" here; try one of: ${(await source.shoppers()).join(", ")}`, "no-store");
      }
      const shop = await source.shop();
      let cart;
      try {
        cart = cartFromSpec(url.searchParams.get("cart") ?? "", products, shop.currencyCode);
      } catch (error) {
        if (error instanceof CartSpecError) return send(request, response, 400, "text/plain; charset=utf-8", error.message, "no-store");
        throw error;
      }
      const page = await renderStorefrontPage({ template, locale, shop, customer, products, cart, blocks: url.searchParams.get("blocks") !== "0" });
      return send(request, response, 200, "text/html; charset=utf-8", page.html, "no-store");
    } catch (error) {
      console.error(error);
      if (!response.headersSent) send(request, response, 500, "text/plain; charset=utf-8", "the page could not be rendered; see the server's output", "no-store");
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

if (process.argv[1]?.endsWith("server.ts")) {
  const { values } = parseArgs({ options: { source: { type: "string", default: "demo" }, port: { type: "string", default: "4590" } } });
  if (values.source !== "demo" && values.source !== "fixtures") {
    console.error("npm run storefront -- [--source demo|fixtures] [--port 4590]");
    process.exit(2);
  }
  let source: ShopperSource;
  if (values.source === "demo") {
    if (!fs.existsSync(DEMO_DATABASE)) {
      console.error(`No demo database at ${path.relative(ROOT, DEMO_DATABASE)}: run \`npm run demo -- --exit\` first, or \`npm run storefront -- --source fixtures\`.`);
      process.exit(1);
    }
    process.env.DATABASE_URL = `file:${DEMO_DATABASE}`;
    source = await demoSource();
  } else {
    source = await fixtureSource();
  }
  const server = await startStorefrontServer({ source, port: Number(values.port) });
  console.log(`Test theme page with MemberCare's blocks (${values.source}): ${server.url}/`);
  for (const shopper of await source.shoppers()) {
    console.log(`  ${shopper.padEnd(10)} ${server.url}/?shopper=${shopper}   ${server.url}/pages/membership?shopper=${shopper}&locale=zh-CN`);
  }
  const [first, second] = storefrontProducts();
  console.log(`  add &cart=${first.handle}:2,${second.variant_id} for a cart (products by handle or variant id), &blocks=0 for the page without the extension; Ctrl-C to stop`);
}
