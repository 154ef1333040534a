// Orders: `order(id)`, `orders(query, sortKey, ...)` and the Order object with
// the fields the simulator keeps. Without the `read_all_orders` scope Shopify
// shows an app only the last 60 days of orders; so does the simulator.
import { orderTotalMinor, type SimLineItem, type SimOrder } from "../state";
import { connection, type ConnectionArgs } from "./connection";
import { customerObject } from "./customers";
import { gid, moneyV2, NotImplemented, parseGid, type FieldResolver, type ResolverContext } from "./common";
import { matchesTime, parseSearchQuery, type SearchTerm } from "./search-query";

const SIXTY_DAYS_MS = 60 * 86_400_000;

/** Whether the app may see this order (https://shopify.dev/docs/api/usage/access-scopes#orders-permissions). */
export function visibleOrder(order: SimOrder, { shop, state }: ResolverContext): boolean {
  return shop.grantedScopes.includes("read_all_orders") || Date.parse(order.createdAt) >= state.clock() - SIXTY_DAYS_MS;
}

function moneyBag(minorUnits: number, { shop }: ResolverContext) {
  const money = moneyV2(minorUnits, shop.currencyCode);
  return { shopMoney: money, presentmentMoney: money };
}

function lineItemObject(item: SimLineItem, context: ResolverContext) {
  return {
    __typename: "LineItem",
    id: gid("LineItem", item.id),
    title: item.title,
    name: item.title,
    sku: item.sku,
    vendor: item.vendor,
    quantity: item.quantity,
    currentQuantity: item.quantity,
    product: item.productId ? { __typename: "Product", id: gid("Product", item.productId) } : null,
    variant: item.variantId ? { __typename: "ProductVariant", id: gid("ProductVariant", item.variantId) } : null,
    originalUnitPriceSet: moneyBag(item.unitPriceMinor, context),
    totalDiscountSet: moneyBag(item.discountMinor, context),
    isGiftCard: item.isGiftCard,
  };
}

export function orderObject(order: SimOrder, context: ResolverContext) {
  const customer = order.customerId ? context.shop.customers.get(order.customerId) : undefined;
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: order.id,
    name: order.name,
    createdAt: order.createdAt,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    closed: false,
    displayFinancialStatus: order.displayFinancialStatus,
    displayFulfillmentStatus: order.displayFulfillmentStatus,
    test: order.test,
    sourceName: order.sourceName,
    note: order.note,
    tags: order.tags,
    currencyCode: context.shop.currencyCode,
    presentmentCurrencyCode: context.shop.currencyCode,
    subtotalPriceSet: moneyBag(order.subtotalMinor, context),
    totalPriceSet: moneyBag(orderTotalMinor(order), context),
    totalDiscountsSet: moneyBag(order.totalDiscountsMinor, context),
    totalTaxSet: moneyBag(order.totalTaxMinor, context),
    totalShippingPriceSet: moneyBag(order.totalShippingMinor, context),
    totalRefundedSet: moneyBag(order.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0), context),
    customer: customer ? customerObject(customer, context) : null,
    refunds: ({ first }: { first?: number | null }) =>
      order.refunds.slice(0, first ?? undefined).map((refund) => ({
        __typename: "Refund",
        id: gid("Refund", refund.id),
        createdAt: refund.createdAt,
        totalRefundedSet: moneyBag(refund.amountMinor, context),
      })),
    lineItems: (args: ConnectionArgs) => connection(order.lineItems, args, { id: (item) => item.id }, (item) => lineItemObject(item, context)),
  };
}

export function findOrder(orderId: string, context: ResolverContext) {
  const order = context.shop.orders.get(orderId);
  return order && visibleOrder(order, context) ? orderObject(order, context) : null;
}

function matches(order: SimOrder, term: SearchTerm, now: number): boolean {
  switch (term.field) {
    case "created_at":
      return matchesTime(term, order.createdAt, now);
    case "updated_at":
      return matchesTime(term, order.updatedAt, now);
    case "processed_at":
      return matchesTime(term, order.processedAt, now);
  }
  throw new NotImplemented(`the order search term ${term.field}`);
}

const SORT_VALUES: Record<string, ((order: SimOrder) => string | number) | undefined> = {
  ID: undefined,
  CREATED_AT: (order) => Date.parse(order.createdAt),
  UPDATED_AT: (order) => Date.parse(order.updatedAt),
  PROCESSED_AT: (order) => Date.parse(order.processedAt),
};

interface OrdersArgs extends ConnectionArgs {
  query?: string | null;
  sortKey?: string | null;
}

export const orderQueries: Record<string, FieldResolver> = {
  order: ({ id }: { id: string }, context) => {
    const { type, id: orderId } = parseGid(id);
    return type === "Order" ? findOrder(orderId, context) : null;
  },
  orders: (args: OrdersArgs, context) => {
    const sortKey = args.sortKey ?? "PROCESSED_AT";
    if (!(sortKey in SORT_VALUES)) throw new NotImplemented(`orders(sortKey: ${sortKey})`);
    const terms = parseSearchQuery(args.query);
    const now = context.state.clock();
    const selected = [...context.shop.orders.values()].filter((order) => visibleOrder(order, context) && terms.every((term) => matches(order, term, now)));
    return connection(selected, args, { id: (order) => order.id, sortValue: SORT_VALUES[sortKey] }, (order) => orderObject(order, context));
  },
};

interface OrderUpdateInput {
  id: string;
  note?: string | null;
  tags?: string[] | null;
}

/**
 * `orderUpdate`: the fields the app writes (a packing note, tags). As in
 * Shopify, `tags` replaces the order's tags (tagsAdd adds), a null or absent
 * field is left as it is, and an unknown order is a userError.
 */
export const orderMutations: Record<string, FieldResolver> = {
  orderUpdate: ({ input }: { input: OrderUpdateInput }, context) => {
    const { type, id } = parseGid(input.id);
    const order = type === "Order" ? context.shop.orders.get(id) : undefined;
    if (!order || !visibleOrder(order, context)) return { order: null, userErrors: [{ field: ["id"], message: "Order does not exist" }] };
    if (input.note !== undefined && input.note !== null) order.note = input.note;
    if (input.tags !== undefined && input.tags !== null) {
      const tags = input.tags.flatMap((tag) => tag.split(",")).map((tag) => tag.trim()).filter(Boolean);
      order.tags = tags.filter((tag, i) => tags.findIndex((other) => other.toLowerCase() === tag.toLowerCase()) === i).sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
    }
    order.updatedAt = context.state.now();
    return { order: orderObject(order, context), userErrors: [] };
  },
};
