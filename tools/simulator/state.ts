// The simulated stores' data: what Shopify holds for each shop. Resolvers read
// and change it; tests seed it directly and assert on it afterwards.
import { STORE_LOCATIONS } from "./store-generator";

/** Ids are the numeric part of Shopify gids, kept as strings: they exceed 2^53. */
export type NumericId = string;

export interface SimCustomer {
  id: NumericId;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  emailMarketingState: "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "INVALID";
  phone: string | null;
  smsMarketingState: "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "REDACTED";
  defaultAddress: { city: string | null; provinceCode: string | null; province?: string | null; countryCode: string } | null;
  locale: string;
  note: string | null;
  state: "DISABLED" | "INVITED" | "ENABLED" | "DECLINED";
  tags: string[];
  numberOfOrders: number;
  /** In the shop currency's minor units. */
  amountSpentMinor: number;
  createdAt: string;
  updatedAt: string;
}

export interface SimMetafield {
  id: NumericId;
  ownerId: string; // gid
  namespace: string; // as stored: `$app` already resolved to `app--<client id>`
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimLineItem {
  id: NumericId;
  title: string;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  productId: NumericId | null;
  variantId: NumericId | null;
  /** Minor units, like every amount the simulator keeps. */
  unitPriceMinor: number;
  discountMinor: number;
  isGiftCard: boolean;
}

export interface SimRefund {
  id: NumericId;
  createdAt: string;
  amountMinor: number;
}

export interface SimOrder {
  id: NumericId;
  name: string;
  customerId: NumericId | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF" | null;
  displayFinancialStatus: "AUTHORIZED" | "EXPIRED" | "PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED" | "PENDING" | "REFUNDED" | "VOIDED";
  displayFulfillmentStatus: "FULFILLED" | "UNFULFILLED" | "PARTIALLY_FULFILLED" | "IN_PROGRESS";
  test: boolean;
  sourceName: string;
  subtotalMinor: number;
  totalDiscountsMinor: number;
  totalTaxMinor: number;
  totalShippingMinor: number;
  lineItems: SimLineItem[];
  refunds: SimRefund[];
  /** The order's note and tags, as orderUpdate leaves them (packing notes, issue 10). */
  note: string | null;
  tags: string[];
}

/** Shopify's bulk query run, driven by the simulator's `runBulkOperations`. */
export interface SimBulkOperation {
  id: NumericId;
  query: string;
  groupObjects: boolean;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "EXPIRED";
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  createdAt: string;
  completedAt: string | null;
  /** The JSONL result, once completed; null when the query matched nothing (Shopify gives no file then). */
  result: string | null;
  objectCount: number;
  rootObjectCount: number;
  /** Whether the result URL still answers (Shopify keeps results seven days). */
  expired: boolean;
  /** Test hook: the next download breaks off after this many lines, as a dropped connection does. */
  dropAfterLines?: number;
}

export interface SimSegment {
  id: NumericId;
  name: string;
  query: string;
  createdAt: string;
  updatedAt: string;
}

export type SimDiscountClass = "ORDER" | "PRODUCT" | "SHIPPING";

/** An automatic app discount, run by a Shopify Function (the member discount, or another app's). */
export interface SimDiscount {
  id: NumericId;
  title: string;
  /** The Function's handle; another app's discounts carry that app's. */
  functionHandle: string;
  ownedByApp: boolean;
  discountClasses: SimDiscountClass[];
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  startsAt: string;
  endsAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A basic code discount (discountCodeBasicCreate): one code, a percentage or
 * a fixed amount off every item, for the listed customers (null: all buyers).
 */
export interface SimCodeDiscount {
  id: NumericId;
  /** The redeem code's own id (DiscountRedeemCode). */
  codeId: NumericId;
  code: string;
  title: string;
  /** Customer ids the code is for; null when every buyer may use it. */
  customerIds: NumericId[] | null;
  value: { percentage: number } | { amountMinor: number; appliesOnEachItem: boolean };
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  startsAt: string;
  endsAt: string | null;
  usageCount: number;
  /** Customers who redeemed it (appliesOncePerCustomer). */
  usedBy?: NumericId[];
  /** When discountCodeDeactivate paused it. */
  deactivatedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimLocale {
  locale: string;
  primary: boolean;
  published: boolean;
}

export interface SimShop {
  id: NumericId;
  domain: string;
  accessToken: string;
  /** The app's client id, which `$app` namespaces resolve to. */
  apiClientId: string;
  name: string;
  email: string;
  ianaTimezone: string;
  currencyCode: string;
  locales: SimLocale[];
  customers: Map<NumericId, SimCustomer>;
  orders: Map<NumericId, SimOrder>;
  bulkOperations: Map<NumericId, SimBulkOperation>;
  segments: Map<NumericId, SimSegment>;
  discounts: Map<NumericId, SimDiscount>;
  /** Code discounts, by id (codes are unique per shop, case-insensitively). */
  codeDiscounts: Map<NumericId, SimCodeDiscount>;
  /** Handles of the app's deployed Functions (`functionHandle` must name one). */
  functionHandles: string[];
  /** The app's granted access scopes; without `read_all_orders` only 60 days of orders are visible. */
  grantedScopes: string[];
  /** Keyed by `metafieldKey(ownerId, namespace, key)`. */
  metafields: Map<string, SimMetafield>;
  /** Handles of the app's deployed Flow trigger extensions. */
  flowTriggerHandles: string[];
  /** Every trigger the app sent, oldest first. */
  flowTriggers: Array<{ handle: string; payload: unknown; receivedAt: string }>;
  /** The shop's staff accounts, by user id (a session token's `sub`); token exchange names them. */
  staff: Map<string, SimStaffMember>;
  /** The shop's locations (its stores, a warehouse), by id; `locations` needs read_locations. */
  locations: Map<NumericId, SimLocation>;
  createdAt: string;
}

/** A staff account as an online token's `associated_user` describes it. */
export interface SimStaffMember {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  accountOwner: boolean;
  locale: string;
}

/** A location as the Admin API's `Location` describes it (the fields the app reads). */
export interface SimLocation {
  id: NumericId;
  name: string;
  /** False once deactivated: listed only with `includeInactive: true`. */
  isActive: boolean;
  city: string | null;
  countryCode: string | null;
}

/**
 * Locations of a simulated shop unless the test names its own: the generated
 * store's two shops (store-generator.ts STORE_LOCATIONS, the ids its POS sales
 * carry) and the warehouse that ships online orders, which sells nothing at a
 * counter. Shopify's default location of a new shop is named after its address.
 */
export function defaultLocations(): SimLocation[] {
  return [
    ...STORE_LOCATIONS.map((store) => ({ id: store.id, name: store.name, isActive: true, city: store.city, countryCode: store.countryCode })),
    { id: "71000000003", name: "Ningbo warehouse", isActive: true, city: "Ningbo", countryCode: "CN" },
  ];
}

/**
 * Staff of a simulated shop unless the test names its own: the account owner
 * is user 1 (the admin frame's default signed-in user) and user 7 is the one
 * the browser suite signs in as; one writes her name in Chinese characters.
 */
export function defaultStaff(domain: string): SimStaffMember[] {
  const at = (local: string) => `${local}@${domain.replace(/\.myshopify\.com$/, "")}.example`;
  return [
    { id: "1", firstName: "Morgan", lastName: "Reyes", email: at("morgan"), accountOwner: true, locale: "en" },
    { id: "4", firstName: "静", lastName: "陈", email: at("chen.jing"), accountOwner: false, locale: "zh-CN" },
    { id: "7", firstName: "Priya", lastName: "Natarajan", email: at("priya"), accountOwner: false, locale: "en" },
    { id: "9", firstName: "Tomás", lastName: "Okafor", email: at("tomas"), accountOwner: false, locale: "en" },
  ];
}

export interface AddShopOptions {
  shop: string;
  accessToken: string;
  apiClientId?: string;
  name?: string;
  email?: string;
  ianaTimezone?: string;
  currencyCode?: string;
  /** Published locales, the first one primary. */
  locales?: string[];
  grantedScopes?: string[];
  functionHandles?: string[];
  flowTriggerHandles?: string[];
  /** Staff accounts (default: defaultStaff). */
  staff?: SimStaffMember[];
  /** Locations (default: defaultLocations). */
  locations?: SimLocation[];
}

export type NewOrder = Partial<Omit<SimOrder, "lineItems" | "refunds">> & {
  /** Line items; the subtotal is their sum unless given. */
  lineItems?: Array<Partial<SimLineItem> & { unitPriceMinor: number }>;
};

/** The handles of MemberCare's Flow trigger extensions, deployed with the app. */
export const DEFAULT_FLOW_TRIGGER_HANDLES = ["member-delivered", "member-tier-changed", "care-touch-due"] as const;

/** What MemberCare's shopify.app.toml asks for, `read_all_orders` included. */
export const DEFAULT_SCOPES = ["read_customers", "write_customers", "read_orders", "read_all_orders", "read_products", "read_discounts", "write_discounts", "read_locations"];

export type NewCustomer = Partial<SimCustomer>;

export const metafieldKey = (ownerId: string, namespace: string, key: string) => `${ownerId}|${namespace}|${key}`;

export class SimulatorState {
  readonly shops = new Map<string, SimShop>();
  // Past 2^53 from the first id on, so anything that rounds ids fails at once.
  private nextId = 2n ** 53n + 1n;

  constructor(readonly clock: () => number) {}

  /** The simulated clock as Shopify formats DateTime: UTC, whole seconds. */
  now(): string {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  newId(): NumericId {
    return String(this.nextId++);
  }

  addShop(options: AddShopOptions): SimShop {
    const shop: SimShop = {
      id: this.newId(),
      domain: options.shop,
      accessToken: options.accessToken,
      apiClientId: options.apiClientId ?? "test-api-key",
      name: options.name ?? options.shop.replace(/\.myshopify\.com$/, ""),
      email: options.email ?? `owner@${options.shop}`,
      ianaTimezone: options.ianaTimezone ?? "America/New_York",
      currencyCode: options.currencyCode ?? "USD",
      locales: (options.locales ?? ["en"]).map((locale, index) => ({ locale, primary: index === 0, published: true })),
      customers: new Map(),
      orders: new Map(),
      bulkOperations: new Map(),
      segments: new Map(),
      discounts: new Map(),
      codeDiscounts: new Map(),
      functionHandles: options.functionHandles ?? ["member-discount"],
      grantedScopes: options.grantedScopes ?? DEFAULT_SCOPES,
      metafields: new Map(),
      // The app's flow_trigger extensions (extensions/flow-*; tests/flow-triggers.test.ts keeps this list in step).
      flowTriggerHandles: options.flowTriggerHandles ?? [...DEFAULT_FLOW_TRIGGER_HANDLES],
      flowTriggers: [],
      staff: new Map((options.staff ?? defaultStaff(options.shop)).map((member) => [member.id, member])),
      locations: new Map((options.locations ?? defaultLocations()).map((location) => [location.id, { ...location }])),
      createdAt: this.now(),
    };
    this.shops.set(shop.domain, shop);
    return shop;
  }

  shop(domain: string): SimShop {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`store simulator has no shop ${domain}`);
    return shop;
  }

  addCustomer(domain: string, fields: NewCustomer = {}): SimCustomer {
    const now = this.now();
    const customer: SimCustomer = {
      id: this.newId(),
      firstName: null,
      lastName: null,
      email: null,
      emailMarketingState: "NOT_SUBSCRIBED",
      phone: null,
      smsMarketingState: "NOT_SUBSCRIBED",
      defaultAddress: null,
      locale: "en",
      note: null,
      state: "DISABLED",
      tags: [],
      numberOfOrders: 0,
      amountSpentMinor: 0,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    this.shop(domain).customers.set(customer.id, customer);
    return customer;
  }

  /**
   * An order, with the customer's lifetime totals moved as Shopify moves them:
   * every order counts, test and cancelled ones do not add to the amount spent.
   */
  addOrder(domain: string, fields: NewOrder = {}): SimOrder {
    const shop = this.shop(domain);
    const now = this.now();
    const lineItems: SimLineItem[] = (fields.lineItems ?? [{ unitPriceMinor: 5000 }]).map((item) => ({
      id: this.newId(),
      title: "Simulated product",
      sku: null,
      vendor: null,
      quantity: 1,
      productId: this.newId(),
      variantId: this.newId(),
      discountMinor: 0,
      isGiftCard: false,
      ...item,
    }));
    const createdAt = fields.createdAt ?? now;
    const order: SimOrder = {
      id: this.newId(),
      name: `#${1001 + shop.orders.size}`,
      customerId: null,
      createdAt,
      processedAt: createdAt,
      updatedAt: createdAt,
      cancelledAt: null,
      cancelReason: null,
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "UNFULFILLED",
      test: false,
      sourceName: "web",
      subtotalMinor: lineItems.reduce((sum, item) => sum + item.unitPriceMinor * item.quantity - item.discountMinor, 0),
      totalDiscountsMinor: lineItems.reduce((sum, item) => sum + item.discountMinor, 0),
      totalTaxMinor: 0,
      totalShippingMinor: 0,
      note: null,
      tags: [],
      ...fields,
      lineItems,
      refunds: [],
    };
    shop.orders.set(order.id, order);
    const customer = order.customerId ? shop.customers.get(order.customerId) : undefined;
    if (order.customerId && !customer) throw new Error(`store simulator has no customer ${order.customerId} in ${domain}`);
    if (customer) {
      customer.numberOfOrders++;
      if (!order.test && !order.cancelledAt) customer.amountSpentMinor += orderTotalMinor(order);
      customer.updatedAt = now;
    }
    return order;
  }

  /** Another app's automatic discount, active now unless told otherwise: it counts toward Shopify's limit. */
  addOtherAppDiscount(domain: string, fields: Partial<SimDiscount> = {}): SimDiscount {
    const now = this.now();
    const discount: SimDiscount = {
      id: this.newId(),
      title: "Another app's discount",
      functionHandle: "other-app-function",
      ownedByApp: false,
      discountClasses: ["PRODUCT"],
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
      startsAt: now,
      endsAt: null,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    this.shop(domain).discounts.set(discount.id, discount);
    return discount;
  }

  /** A refund of part or all of an order, taken off the customer's amount spent. */
  addRefund(domain: string, orderId: NumericId, amountMinor: number, createdAt = this.now()): SimRefund {
    const shop = this.shop(domain);
    const order = shop.orders.get(orderId);
    if (!order) throw new Error(`store simulator has no order ${orderId} in ${domain}`);
    const refund: SimRefund = { id: this.newId(), createdAt, amountMinor };
    order.refunds.push(refund);
    const refunded = order.refunds.reduce((sum, each) => sum + each.amountMinor, 0);
    order.displayFinancialStatus = refunded >= orderTotalMinor(order) ? "REFUNDED" : "PARTIALLY_REFUNDED";
    order.updatedAt = this.now();
    const customer = order.customerId ? shop.customers.get(order.customerId) : undefined;
    if (customer) customer.amountSpentMinor -= amountMinor;
    return refund;
  }
}

export const orderTotalMinor = (order: SimOrder) => order.subtotalMinor + order.totalTaxMinor + order.totalShippingMinor;
