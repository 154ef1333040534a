// What every resolver module shares: the per-request context, the two kinds of
// error, Shopify's global ids and money.
import type { NumericId, SimShop, SimulatorState } from "../state";

export interface ResolverContext {
  state: SimulatorState;
  shop: SimShop;
}

/**
 * A root field. graphql-js's default resolver calls a function-valued property
 * with (args, context), so root tables and record objects share this shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each resolver declares its own argument type
export type FieldResolver = (args: any, context: ResolverContext) => unknown;

/** An error Shopify itself would answer with; its message reaches the client as is. */
export class ShopifyError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A part of the Admin API the simulator lacks: the test fails loudly instead of passing on a null. */
export class NotImplemented extends Error {
  constructor(what: string) {
    super(`store simulator does not implement ${what}`);
  }
}

export const gid = (type: string, id: NumericId) => `gid://shopify/${type}/${id}`;

export function parseGid(value: unknown): { type: string; id: NumericId } {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(String(value));
  if (!match) throw new ShopifyError(`Invalid global id '${String(value)}'`, "argumentLiteralsIncompatible");
  return { type: match[1], id: match[2] };
}

/** MoneyV2 the way Shopify prints Decimal amounts: "12.5", "10.0", "1000.0" (JPY). */
export function moneyV2(minorUnits: number, currencyCode: string) {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
  const amount = (minorUnits / 10 ** digits).toFixed(Math.max(digits, 1)).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, ".0");
  return { amount, currencyCode };
}
