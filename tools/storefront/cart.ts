// The shopper's cart on the test page (`?cart=`), as Liquid's `cart` object
// shows it, so the blocks' progress that follows the cart
// (extensions/member-theme/snippets/member-cart-spend.liquid) can be seen.
//
//   ?cart=vitamin-c-serum-30-ml:2,4910000005   two serums and one green tea
//
// Each entry is a product of the page's own catalog (catalog.ts), named by its
// handle or its variant id, with `:quantity` (1 when left out), priced as the
// catalog prices it. What Liquid gives
// (https://shopify.dev/docs/api/liquid/objects/cart,
// https://shopify.dev/docs/api/liquid/objects/line_item):
// - money in cents whatever the currency ("1000 Japanese yen is output as
//   100000"), while the catalog holds the currency's minor units;
// - `item_count` the sum of the lines' quantities; `total_price` the lines'
//   `final_line_price` after discounts (none here: the preview's cart has no
//   discount applied); `gift_card` false (the page's catalog sells none).
import { currencyDigits } from "~/domain/money";
import type { StorefrontProduct } from "./catalog";

// Type aliases, not interfaces: liquid.ts's PageScope takes lines with more fields than it names.
export type LiquidCartItem = {
  product_id: string;
  variant_id: string;
  title: string;
  quantity: number;
  final_price: number;
  final_line_price: number;
  gift_card: boolean;
};

export type LiquidCart = {
  currency: { iso_code: string };
  item_count: number;
  total_price: number;
  items: LiquidCartItem[];
};

/** A `?cart=` that names no product of the catalog or a quantity that is not one; the message says which and what is there. */
export class CartSpecError extends Error {}

/** The largest quantity a line takes here (Shopify's own cart limits are far above a preview's needs; this keeps sums exact). */
const MAX_QUANTITY = 999;

/** The empty cart of a shopper who has added nothing (Liquid's `cart` is never nil on a storefront page). */
export function emptyCart(currencyCode: string): LiquidCart {
  return { currency: { iso_code: currencyCode }, item_count: 0, total_price: 0, items: [] };
}

/** Minor units of `currencyCode` as Liquid's cents. */
export function liquidCents(minor: number, currencyCode: string): number {
  return Math.round(minor * 10 ** (2 - currencyDigits(currencyCode)));
}

/**
 * The cart `spec` describes (`handle-or-variant-id[:quantity],...`), from
 * `products` in `currencyCode`. The same product named twice is one line with
 * both quantities, as adding it twice to a Shopify cart does. An empty spec is
 * the empty cart.
 */
export function cartFromSpec(spec: string, products: StorefrontProduct[], currencyCode: string): LiquidCart {
  const lines = new Map<StorefrontProduct, number>();
  for (const entry of spec.split(",").map((part) => part.trim()).filter(Boolean)) {
    const match = /^([\w-]+)(?::(\d+))?$/.exec(entry);
    const product = match ? products.find((candidate) => candidate.handle === match[1] || candidate.variant_id === match[1]) : undefined;
    if (!match || !product) {
      throw new CartSpecError(`cart: "${entry}" is not a product of this page; use handle[:quantity] or variant id[:quantity], separated by commas, from: ${products.map((candidate) => `${candidate.handle} (${candidate.variant_id})`).join(", ")}`);
    }
    const quantity = match[2] === undefined ? 1 : Number(match[2]);
    const total = (lines.get(product) ?? 0) + quantity;
    if (quantity < 1 || total > MAX_QUANTITY) throw new CartSpecError(`cart: "${entry}": a quantity of ${product.handle} is from 1 to ${MAX_QUANTITY} in all`);
    lines.set(product, total);
  }
  const items = [...lines].map(([product, quantity]): LiquidCartItem => {
    const unit = liquidCents(product.price, currencyCode);
    return { product_id: product.handle, variant_id: product.variant_id, title: product.title, quantity, final_price: unit, final_line_price: unit * quantity, gift_card: false };
  });
  return {
    currency: { iso_code: currencyCode },
    item_count: items.reduce((sum, item) => sum + item.quantity, 0),
    total_price: items.reduce((sum, item) => sum + item.final_line_price, 0),
    items,
  };
}
