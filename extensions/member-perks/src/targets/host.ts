/**
 * The few things the targets take from Shopify's host APIs, typed by shape so
 * the checkout and customer-account flavours of each API both fit.
 */
import type { OrderFacts } from "../order";
import type { Formatters } from "../view-model";

/** Declared in shopify.extension.toml ([[extensions.metafields]]) and in shopify.app.toml (the definition). */
export const MEMBERSHIP_METAFIELD = { namespace: "$app", key: "membership" } as const;

interface AppMetafieldEntryLike {
  target: { type: string };
  metafield: { namespace: string; key: string; value: unknown };
}

/** The customer's `$app:membership` value among the metafields Shopify preloaded, or undefined. */
export function membershipMetafield(entries: readonly AppMetafieldEntryLike[] | undefined): unknown {
  const entry = entries?.find(
    ({ target, metafield }) => target.type === "customer" && metafield.namespace === MEMBERSHIP_METAFIELD.namespace && metafield.key === MEMBERSHIP_METAFIELD.key,
  );
  return entry?.metafield.value;
}

interface I18nLike {
  formatCurrency(amount: number, options?: Intl.NumberFormatOptions): string;
  formatDate(date: Date, options?: Intl.DateTimeFormatOptions): string;
}

/** Money and dates in the shopper's locale, as Shopify formats them elsewhere on the page. */
export function hostFormatters(i18n: I18nLike): Formatters {
  return {
    money: (amount, currencyCode) => i18n.formatCurrency(amount, { currency: currencyCode }),
    date: (date) => i18n.formatDate(date, { dateStyle: "long" }),
  };
}

interface OrderApiLike {
  lines: { value: OrderFacts["lines"] };
  discountAllocations: { value: OrderFacts["discountAllocations"] };
}

/**
 * The cart's (checkout) or order's (thank-you, order status) lines and
 * order-level discount allocations, read while rendering so the block follows
 * the cart as the buyer changes it.
 */
export function orderFacts(shopify: OrderApiLike): OrderFacts {
  return { lines: shopify.lines.value, discountAllocations: shopify.discountAllocations.value };
}
