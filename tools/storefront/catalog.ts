// The test theme page's products: the demo store's own catalog
// (tools/simulator/store-generator), the first eight a shopper can buy, each
// with a photo drawn by images.ts.
import { generateStore } from "../simulator/store-generator";
import type { ImageRequest } from "./images";

export interface StorefrontProduct {
  handle: string;
  title: string;
  vendor: string;
  /** Minor units of the shop's currency, as Liquid's `product.price` is. */
  price: number;
  variant_id: string;
  /** The image's name (images.ts draws `${image}-${width}.jpg`). */
  image: string;
}

const PALETTES: Array<[string, string]> = [
  ["#f3e9dc", "#c9a27e"],
  ["#e3f0ea", "#7fae96"],
  ["#fdf1d6", "#e2a93b"],
  ["#e8eef8", "#7c93c3"],
  ["#eef3e2", "#8aa35a"],
  ["#f6e6e1", "#c0745f"],
  ["#efe7f5", "#9a7bb8"],
  ["#e6f2f4", "#5e9fae"],
];

export const HERO = { image: "hero-banner", colors: ["#f7efe6", "#b88a66"] as [string, string] };

export function storefrontProducts(count = 8): StorefrontProduct[] {
  // One customer is enough: only the catalog is used, and it does not depend on the seed's draws.
  const store = generateStore({ customers: 1, seed: 7, start: new Date("2026-01-01T00:00:00Z"), end: new Date("2026-01-02T00:00:00Z") });
  return store.products
    .filter((product) => !product.isGiftCard)
    .slice(0, count)
    .map((product) => ({
      handle: product.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""),
      title: product.title,
      vendor: product.vendor,
      price: product.priceMinor,
      variant_id: product.variantId,
      image: `product-${product.sku.toLowerCase()}`,
    }));
}

export function imageRequests(products: StorefrontProduct[]): ImageRequest[] {
  return [
    { name: HERO.image, kind: "hero", colors: HERO.colors },
    ...products.map((product, index): ImageRequest => ({ name: product.image, kind: "product", colors: PALETTES[index % PALETTES.length] })),
  ];
}
