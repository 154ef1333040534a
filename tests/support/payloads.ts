// Webhook bodies for tests and the generated store, built from explicit fields
// in Shopify's shape (see tests/fixtures/webhooks and
// ../shared/reference/webhook-examples). Nothing is copied from a captured
// body: every value is either the caller's choice or a stated neutral default
// (not a test order, sold on the web, no discount, no shipping, no tax), so no
// incidental value of one development store leaks into every generated body.
// tests/payloads.test.ts holds the generated bodies to the capture's shape.
import fs from "node:fs";
import path from "node:path";
import { minorToAmount, toMinorUnits } from "../../app/domain/money";

const dir = path.resolve("tests/fixtures/webhooks");

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), "utf8")) as T;
}

/** A MoneyBag: shop money in the shop's currency, presentment money in the buyer's. */
function moneyBag(shopMinor: number, money: Money) {
  return {
    shop_money: { amount: minorToAmount(shopMinor, money.shop), currency_code: money.shop },
    presentment_money: { amount: minorToAmount(money.toPresentment(shopMinor), money.presentment), currency_code: money.presentment },
  };
}

interface Money {
  shop: string;
  presentment: string;
  toPresentment(shopMinor: number): number;
}

function moneyOf(currency: string, presentment?: { currency: string; rate: number }): Money {
  if (!presentment || presentment.currency === currency) return { shop: currency, presentment: currency, toPresentment: (minor) => minor };
  // Amounts are converted at the given rate and rounded to the presentment
  // currency's minor unit (JPY has none, KWD three).
  const scale = 10 ** (digitsOf(presentment.currency) - digitsOf(currency));
  return { shop: currency, presentment: presentment.currency, toPresentment: (minor) => Math.round(minor * presentment.rate * scale) };
}

const digitsOf = (currency: string) => minorToAmount(1, currency).split(".")[1]?.length ?? 0;

const restId = (id: string) => (Number(id) <= Number.MAX_SAFE_INTEGER ? Number(id) : id);

// ------------------------------------------------------------------- orders

export interface OrderLineSpec {
  id: string;
  productId: string | null;
  /** Defaults to a variant id derived from the product id (one variant per product). */
  variantId?: string | null;
  title?: string;
  variantTitle?: string | null;
  sku?: string | null;
  vendor?: string | null;
  /** Unit price, in the shop's currency. */
  price: string;
  quantity?: number;
  /** What is left on the order after edits and refunds (Shopify's `current_quantity`); defaults to `quantity`. */
  currentQuantity?: number;
  giftCard?: boolean;
  requiresShipping?: boolean;
  /** Discount allocated to this line, for the whole line; `application` indexes the order's discountApplications (default 0). */
  discounts?: Array<{ amount: string; application?: number }>;
}

export interface DiscountApplicationSpec {
  type: "discount_code" | "automatic" | "manual" | "script";
  /** The code a customer typed (discount_code only). */
  code?: string;
  title?: string;
  description?: string | null;
  valueType: "percentage" | "fixed_amount";
  value: string;
  targetType?: "line_item" | "shipping_line";
  targetSelection?: "all" | "entitled" | "explicit";
  allocationMethod?: "across" | "each" | "one";
}

export interface OrderSpec {
  id: string;
  customerId?: string | null;
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  createdAt?: string;
  updatedAt?: string;
  /**
   * With no `lines`: the price of the order's single line. With `lines`: must
   * equal the lines' total after discounts (a mismatch is an error in the test's data).
   */
  subtotal?: string;
  /** The shop's currency (every `shop_money`). */
  currency?: string;
  /** A buyer who paid in another currency: presentment amounts at `rate` presentment units per shop unit. */
  presentment?: { currency: string; rate: number };
  cancelledAt?: string | null;
  cancelReason?: "customer" | "fraud" | "inventory" | "declined" | "other" | null;
  financialStatus?: string;
  fulfillmentStatus?: string | null;
  lines?: OrderLineSpec[];
  /** The order number (#1001 is the first order of a shop); defaults to a per-order counter from 1001. */
  number?: number;
  /** Only a test that is about test orders sets this. */
  test?: boolean;
  /** "web", "pos", "shopify_draft_order", an app's id … (default "web"). */
  sourceName?: string;
  discountApplications?: DiscountApplicationSpec[];
  /** Shipping charged, before any shipping discount. */
  shipping?: string;
  /** A discount on the shipping line (a free-shipping perk): an automatic application of its own, allocated to the shipping line. */
  shippingDiscount?: { amount: string; title: string };
  /** The store a POS sale was made in (Shopify's `location_id`). */
  locationId?: string | null;
  /** The POS user (staff member) who rang up a POS sale (Shopify's `user_id`). */
  userId?: string | null;
  tax?: string;
  taxesIncluded?: boolean;
  tags?: string;
  note?: string | null;
  address?: { city: string | null; provinceCode: string | null; province?: string | null; countryCode: string } | null;
  /** Shopify's `current_*` amounts when they differ from what the lines say (an order adjustment after a refund). */
  current?: { subtotal?: string; total?: string; tax?: string; shipping?: string; discounts?: string };
  /** Refund bodies (refundPayload) as the order carries them in orders/updated after a refund. */
  refunds?: Array<Record<string, unknown>>;
}

// Shopify numbers a shop's orders #1001, #1002 …; the same order keeps its
// number in every body sent about it (create, paid, updated, cancelled).
const orderNumbers = new Map<string, number>();
let lastOrderNumber = 1000;

function orderNumber(spec: OrderSpec): number {
  if (spec.number !== undefined) {
    orderNumbers.set(spec.id, spec.number);
    return spec.number;
  }
  let number = orderNumbers.get(spec.id);
  if (number === undefined) {
    number = ++lastOrderNumber;
    orderNumbers.set(spec.id, number);
  }
  return number;
}

// The sales channel's app id, as Shopify reports it (Online Store, Point of Sale, Draft Orders).
const appIds: Record<string, number> = { web: 580111, pos: 129785, shopify_draft_order: 1354745 };

function addressWithoutGeo<T extends { latitude: unknown; longitude: unknown }>(address: T): Omit<T, "latitude" | "longitude"> {
  const { latitude: _latitude, longitude: _longitude, ...rest } = address;
  return rest;
}

function allocation(amountMinor: number, application: number, money: Money) {
  return { amount: minorToAmount(amountMinor, money.shop), amount_set: moneyBag(amountMinor, money), discount_application_index: application };
}

/** An orders/* body (create, paid, updated, edited's order, cancelled) with exactly the fields the spec gives. */
export function orderPayload(spec: OrderSpec): Record<string, unknown> {
  const currency = spec.currency ?? "USD";
  const money = moneyOf(currency, spec.presentment);
  const minor = (amount: string | undefined) => toMinorUnits(amount ?? "0", currency);
  const amount = (value: number) => minorToAmount(value, currency);
  const bag = (value: number) => moneyBag(value, money);
  const createdAt = spec.createdAt ?? "2026-10-01T12:00:00Z";
  const updatedAt = spec.updatedAt ?? createdAt;
  const number = orderNumber(spec);
  const customerId = spec.customerId === undefined ? "7001" : spec.customerId;
  const email = customerId === null ? (spec.email ?? null) : (spec.email ?? `member${customerId}@example.com`);
  const specLines = spec.lines ?? [{ id: `${spec.id}1`, productId: "8100000001", price: spec.subtotal ?? "50.00" }];
  const shippingDiscountMinor = spec.shippingDiscount ? toMinorUnits(spec.shippingDiscount.amount, currency) : 0;
  // The shipping discount is its own application, after the line applications.
  const applications: DiscountApplicationSpec[] = [
    ...(spec.discountApplications ?? []),
    ...(spec.shippingDiscount ? [{ type: "automatic" as const, title: spec.shippingDiscount.title, valueType: "percentage" as const, value: "100.0", targetType: "shipping_line" as const, targetSelection: "all" as const, allocationMethod: "each" as const }] : []),
  ];

  const lines = specLines.map((line) => {
    const quantity = line.quantity ?? 1;
    const current = line.currentQuantity ?? quantity;
    if (current < 0 || current > quantity) throw new Error(`orderPayload: line ${line.id} currentQuantity ${current} outside 0..${quantity}`);
    const unit = minor(line.price);
    const discounts = (line.discounts ?? []).map((discount) => {
      const index = discount.application ?? 0;
      if (!applications[index]) throw new Error(`orderPayload: line ${line.id} has a discount for application ${index}, which the order does not have`);
      return { minor: minor(discount.amount), index };
    });
    const discountMinor = discounts.reduce((sum, discount) => sum + discount.minor, 0);
    // A line's discount is spread over its units; what is left after an edit or
    // a refund keeps its share (Shopify's current amounts).
    const currentDiscountMinor = quantity === 0 ? 0 : Math.round((discountMinor * current) / quantity);
    return { line, quantity, current, unit, discounts, discountMinor, currentDiscountMinor };
  });

  const lineItemsMinor = lines.reduce((sum, line) => sum + line.unit * line.quantity, 0);
  const discountsMinor = lines.reduce((sum, line) => sum + line.discountMinor, 0);
  const subtotalMinor = lineItemsMinor - discountsMinor;
  if (spec.lines && spec.subtotal !== undefined && minor(spec.subtotal) !== subtotalMinor) {
    throw new Error(`orderPayload: subtotal ${spec.subtotal} is not the lines' total after discounts (${amount(subtotalMinor)})`);
  }
  const currentLinesMinor = lines.reduce((sum, line) => sum + line.unit * line.current - line.currentDiscountMinor, 0);
  const currentDiscountsComputed = lines.reduce((sum, line) => sum + line.currentDiscountMinor, 0);
  const shippingMinor = minor(spec.shipping);
  const taxMinor = minor(spec.tax);
  const taxesIncluded = spec.taxesIncluded ?? false;
  const totalMinor = subtotalMinor + shippingMinor - shippingDiscountMinor + (taxesIncluded ? 0 : taxMinor);
  const current = {
    subtotal: spec.current?.subtotal !== undefined ? minor(spec.current.subtotal) : currentLinesMinor,
    discounts: spec.current?.discounts !== undefined ? minor(spec.current.discounts) : currentDiscountsComputed + shippingDiscountMinor,
    shipping: spec.current?.shipping !== undefined ? minor(spec.current.shipping) : shippingMinor,
    tax: spec.current?.tax !== undefined ? minor(spec.current.tax) : subtotalMinor === 0 ? 0 : Math.round((taxMinor * currentLinesMinor) / subtotalMinor),
  };
  const currentTotalMinor = spec.current?.total !== undefined ? minor(spec.current.total) : current.subtotal + current.shipping - (current.shipping > 0 ? shippingDiscountMinor : 0) + (taxesIncluded ? 0 : current.tax);
  const codes = applications
    .map((application, index) => ({ application, index }))
    .filter(({ application }) => application.type === "discount_code")
    .map(({ application, index }) => ({
      code: application.code ?? "",
      amount: amount(lines.reduce((sum, line) => sum + line.discounts.filter((discount) => discount.index === index).reduce((s, d) => s + d.minor, 0), 0)),
      type: application.targetType === "shipping_line" ? "shipping" : application.valueType,
    }));
  const address = spec.address
    ? {
        first_name: spec.firstName ?? null,
        last_name: spec.lastName ?? null,
        name: [spec.firstName, spec.lastName].filter(Boolean).join(" ") || null,
        address1: null,
        address2: null,
        city: spec.address.city,
        zip: null,
        province: spec.address.province ?? spec.address.provinceCode,
        province_code: spec.address.provinceCode,
        country: spec.address.countryCode,
        country_code: spec.address.countryCode,
        company: null,
        phone: null,
        latitude: null,
        longitude: null,
      }
    : null;
  const gid = `gid://shopify/Order/${spec.id}`;
  return {
    id: restId(spec.id),
    admin_graphql_api_id: gid,
    name: `#${number}`,
    number: number - 1000,
    order_number: number,
    confirmation_number: `C${spec.id.slice(-8).padStart(8, "0")}`,
    note: spec.note ?? null,
    tags: spec.tags ?? "",
    test: spec.test ?? false,
    email,
    contact_email: email,
    phone: null,
    token: `token-${spec.id}`,
    app_id: appIds[spec.sourceName ?? "web"] ?? null,
    company: null,
    refunds: spec.refunds ?? [],
    returns: [],
    user_id: spec.userId ? restId(spec.userId) : null,
    currency,
    presentment_currency: money.presentment,
    customer:
      customerId === null
        ? null
        : {
            id: Number(customerId),
            admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
            email,
            phone: null,
            first_name: spec.firstName ?? null,
            last_name: spec.lastName ?? null,
            note: null,
            state: "enabled",
            currency,
            tax_exempt: false,
            tax_exemptions: [],
            verified_email: true,
            multipass_identifier: null,
            created_at: createdAt,
            updated_at: createdAt,
            default_address: address ? { ...addressWithoutGeo(address), id: Number(customerId) + 1, customer_id: Number(customerId), country_name: spec.address!.countryCode, default: true } : null,
          },
    closed_at: null,
    confirmed: true,
    device_id: null,
    po_number: null,
    reference: null,
    tax_lines: [],
    total_tax: amount(taxMinor),
    browser_ip: null,
    cart_token: null,
    created_at: createdAt,
    processed_at: createdAt,
    updated_at: updatedAt,
    line_items: lines.map(({ line, quantity, current: currentQuantity, unit, discounts, discountMinor }) => ({
      id: restId(line.id),
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      sku: line.sku ?? null,
      name: line.variantTitle ? `${line.title ?? `Product ${line.productId}`} - ${line.variantTitle}` : (line.title ?? `Product ${line.productId}`),
      title: line.title ?? `Product ${line.productId}`,
      variant_title: line.variantTitle ?? null,
      vendor: line.vendor ?? null,
      grams: 0,
      price: amount(unit),
      price_set: bag(unit),
      duties: [],
      taxable: true,
      quantity,
      current_quantity: currentQuantity,
      fulfillable_quantity: currentQuantity,
      gift_card: line.giftCard ?? false,
      tax_lines: [],
      product_id: line.productId === null ? null : restId(line.productId),
      variant_id: line.variantId === undefined ? (line.productId === null ? null : restId(`${line.productId}01`)) : line.variantId === null ? null : restId(line.variantId),
      properties: [],
      product_exists: line.productId !== null,
      total_discount: amount(discountMinor),
      total_discount_set: bag(discountMinor),
      attributed_staffs: [],
      requires_shipping: line.requiresShipping ?? !(line.giftCard ?? false),
      fulfillment_status: null,
      fulfillment_service: "manual",
      discount_allocations: discounts.map((discount) => allocation(discount.minor, discount.index, money)),
      sales_line_item_group_id: null,
      variant_inventory_management: line.giftCard ? null : "shopify",
    })),
    source_url: null,
    tax_exempt: false,
    location_id: spec.locationId ? restId(spec.locationId) : null,
    source_name: spec.sourceName ?? "web",
    total_price: amount(totalMinor),
    cancelled_at: spec.cancelledAt ?? null,
    cancel_reason: spec.cancelledAt ? (spec.cancelReason ?? "customer") : null,
    fulfillments: [],
    landing_site: null,
    total_weight: 0,
    payment_terms: null,
    total_tax_set: bag(taxMinor),
    checkout_token: null,
    client_details: { browser_ip: null, user_agent: null, session_hash: null, browser_width: null, browser_height: null, accept_language: null },
    discount_codes: codes,
    referring_site: null,
    shipping_lines:
      shippingMinor > 0
        ? [
            {
              id: restId(`${spec.id}9`),
              code: "Standard",
              title: "Standard",
              source: "shopify",
              phone: null,
              price: amount(shippingMinor),
              price_set: bag(shippingMinor),
              discounted_price: amount(shippingMinor - shippingDiscountMinor),
              discounted_price_set: bag(shippingMinor - shippingDiscountMinor),
              current_discounted_price_set: bag(current.shipping),
              is_removed: false,
              tax_lines: [],
              carrier_identifier: null,
              discount_allocations: shippingDiscountMinor > 0 ? [allocation(shippingDiscountMinor, applications.length - 1, money)] : [],
              requested_fulfillment_service_id: null,
            },
          ]
        : [],
    subtotal_price: amount(subtotalMinor),
    subtotal_price_set: bag(subtotalMinor),
    taxes_included: taxesIncluded,
    billing_address: address,
    shipping_address: address,
    customer_locale: "en",
    duties_included: false,
    estimated_taxes: false,
    note_attributes: [],
    total_discounts: amount(discountsMinor + shippingDiscountMinor),
    total_discounts_set: bag(discountsMinor + shippingDiscountMinor),
    total_price_set: bag(totalMinor),
    financial_status: spec.financialStatus ?? "paid",
    fulfillment_status: spec.fulfillmentStatus ?? null,
    landing_site_ref: null,
    line_item_groups: [],
    order_status_url: `https://example.myshopify.com/orders/${spec.id}/authenticate`,
    current_total_tax: amount(current.tax),
    current_total_tax_set: bag(current.tax),
    source_identifier: null,
    total_outstanding: "0.00",
    total_tip_received: "0.00",
    current_total_price: amount(currentTotalMinor),
    current_total_price_set: bag(currentTotalMinor),
    current_total_duties_set: null,
    total_shipping_price_set: bag(shippingMinor),
    merchant_of_record_app_id: null,
    original_total_duties_set: null,
    current_shipping_price_set: bag(current.shipping),
    current_subtotal_price: amount(current.subtotal),
    current_subtotal_price_set: bag(current.subtotal),
    total_line_items_price: amount(lineItemsMinor),
    total_line_items_price_set: bag(lineItemsMinor),
    current_total_discounts: amount(current.discounts),
    current_total_discounts_set: bag(current.discounts),
    merchant_business_entity_id: null,
    current_total_additional_fees_set: null,
    original_total_additional_fees_set: null,
    total_cash_rounding_refund_adjustment_set: bag(0),
    total_cash_rounding_payment_adjustment_set: bag(0),
    discount_applications: applications.map((application) => ({
      type: application.type,
      ...(application.type === "discount_code" ? { code: application.code ?? "" } : { title: application.title ?? application.code ?? "Discount", description: application.description ?? null }),
      value: application.value,
      value_type: application.valueType,
      target_type: application.targetType ?? "line_item",
      target_selection: application.targetSelection ?? "all",
      allocation_method: application.allocationMethod ?? "across",
    })),
    payment_gateway_names: ["shopify_payments"],
    buyer_accepts_marketing: false,
  };
}

// ------------------------------------------------------------------ refunds

export interface RefundLineSpec {
  /** The order's line item being refunded. */
  lineItemId: string;
  quantity: number;
  /** The merchandise refunded for this line, after its discount. */
  subtotal: string;
  tax?: string;
  restockType?: "no_restock" | "cancel" | "return";
}

export interface RefundSpec {
  id: string;
  orderId: string;
  /**
   * Shorthand for one refunded unit of the order's default line (`${orderId}1`,
   * the line orderPayload makes when a spec gives no lines) worth this amount.
   */
  amount?: string;
  currency?: string;
  presentment?: { currency: string; rate: number };
  createdAt?: string;
  note?: string | null;
  lines?: RefundLineSpec[];
  /** Shipping refunded (a refund_shipping_lines entry). */
  shipping?: string;
  /**
   * Money returned that no line accounts for (a goodwill refund: positive), or
   * money kept back from what the lines are worth (a restocking fee: negative).
   * Shopify records it as a refund_discrepancy order adjustment whose amount has
   * the opposite sign (as captured refunds/create bodies show).
   */
  discrepancy?: string;
  /** The order body (orderPayload) the refund belongs to: each refund line then carries its `line_item`, as Shopify's do. */
  order?: Record<string, unknown>;
  /** The refund transactions; by default one successful refund of everything above. */
  transactions?: Array<{ id?: string; amount: string; gateway?: string; status?: "success" | "failure" | "pending" }>;
}

function orderLine(order: Record<string, unknown>, lineItemId: string): Record<string, unknown> {
  const line = (order.line_items as Array<Record<string, unknown>>).find((candidate) => String(candidate.id) === lineItemId);
  if (!line) throw new Error(`refundPayload: the order has no line ${lineItemId}`);
  return line;
}

/** A refunds/create body (also what orders/updated carries in `refunds`). */
export function refundPayload(spec: RefundSpec): Record<string, unknown> {
  const currency = spec.currency ?? "USD";
  const money = moneyOf(currency, spec.presentment);
  const minor = (value: string | undefined) => toMinorUnits(value ?? "0", currency);
  const amount = (value: number) => minorToAmount(value, currency);
  const bag = (value: number) => moneyBag(value, money);
  const createdAt = spec.createdAt ?? "2026-10-05T12:00:00Z";
  const lines = spec.lines ?? (spec.amount !== undefined ? [{ lineItemId: `${spec.orderId}1`, quantity: 1, subtotal: spec.amount }] : []);
  const linesMinor = lines.reduce((sum, line) => sum + minor(line.subtotal) + minor(line.tax), 0);
  const shippingMinor = minor(spec.shipping);
  const discrepancyMinor = minor(spec.discrepancy);
  const transactions = spec.transactions ?? (linesMinor + shippingMinor + discrepancyMinor > 0 ? [{ amount: amount(linesMinor + shippingMinor + discrepancyMinor) }] : []);
  const adjustment = (index: number, kind: string, reason: string, adjustmentMinor: number) => ({
    id: restId(`${spec.id}${index}`),
    order_id: restId(spec.orderId),
    refund_id: restId(spec.id),
    amount: amount(adjustmentMinor),
    tax_amount: amount(0),
    kind,
    reason,
    amount_set: bag(adjustmentMinor),
    tax_amount_set: bag(0),
  });
  return {
    id: restId(spec.id),
    admin_graphql_api_id: `gid://shopify/Refund/${spec.id}`,
    order_id: restId(spec.orderId),
    created_at: createdAt,
    processed_at: createdAt,
    note: spec.note === undefined ? null : spec.note,
    user_id: null,
    restock: lines.some((line) => (line.restockType ?? "no_restock") !== "no_restock"),
    duties: [],
    total_duties_set: bag(0),
    return: null,
    refund_line_items: lines.map((line, index) => ({
      id: restId(`${spec.id}${index + 1}`),
      line_item_id: restId(line.lineItemId),
      quantity: line.quantity,
      location_id: null,
      restock_type: line.restockType ?? "no_restock",
      subtotal: Number(minorToAmount(minor(line.subtotal), currency)),
      subtotal_set: bag(minor(line.subtotal)),
      total_tax: Number(minorToAmount(minor(line.tax), currency)),
      total_tax_set: bag(minor(line.tax)),
      ...(spec.order ? { line_item: orderLine(spec.order, line.lineItemId) } : {}),
    })),
    refund_shipping_lines:
      shippingMinor > 0
        ? [{ id: restId(`${spec.id}8`), shipping_line_id: restId(`${spec.orderId}9`), subtotal_amount_set: bag(shippingMinor) }]
        : [],
    order_adjustments: discrepancyMinor !== 0 ? [adjustment(7, "refund_discrepancy", "Refund discrepancy", -discrepancyMinor)] : [],
    transactions: transactions.map((transaction, index) => ({
      id: restId(transaction.id ?? `${spec.id}${index + 5}`),
      admin_graphql_api_id: `gid://shopify/OrderTransaction/${transaction.id ?? `${spec.id}${index + 5}`}`,
      order_id: restId(spec.orderId),
      kind: "refund",
      gateway: transaction.gateway ?? "shopify_payments",
      status: transaction.status ?? "success",
      message: null,
      created_at: createdAt,
      processed_at: createdAt,
      test: false,
      authorization: null,
      location_id: null,
      user_id: null,
      parent_id: null,
      device_id: null,
      error_code: null,
      source_name: "web",
      receipt: {},
      amount: transaction.amount,
      currency,
      payment_id: null,
      manual_payment_gateway: false,
      amount_rounding: null,
      total_unsettled_set: { presentment_money: { amount: "0.0", currency: money.presentment }, shop_money: { amount: "0.0", currency } },
    })),
  };
}

export function fulfillmentPayload(spec: { id: string; orderId: string; shipmentStatus?: string | null; updatedAt?: string; tracking?: { company: string; number: string } | null }) {
  const base = fixture("fulfillments__create");
  const tracking =
    spec.tracking === undefined
      ? {}
      : { tracking_company: spec.tracking?.company ?? null, tracking_number: spec.tracking?.number ?? null, tracking_numbers: spec.tracking ? [spec.tracking.number] : [], tracking_url: null, tracking_urls: [] };
  return {
    ...base,
    ...tracking,
    id: Number(spec.id),
    admin_graphql_api_id: `gid://shopify/Fulfillment/${spec.id}`,
    order_id: Number(spec.orderId),
    status: "success",
    shipment_status: spec.shipmentStatus ?? null,
    created_at: spec.updatedAt ?? "2026-10-02T10:00:00Z",
    updated_at: spec.updatedAt ?? "2026-10-02T10:00:00Z",
  };
}

export function fulfillmentEventPayload(spec: { id: string; fulfillmentId: string; orderId: string; status: string; happenedAt: string }) {
  const base = fixture("fulfillment_events__create");
  return {
    ...base,
    id: Number(spec.id),
    admin_graphql_api_id: `gid://shopify/FulfillmentEvent/${spec.id}`,
    fulfillment_id: Number(spec.fulfillmentId),
    order_id: Number(spec.orderId),
    status: spec.status,
    happened_at: spec.happenedAt,
    created_at: spec.happenedAt,
  };
}

export interface CustomerSpec {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  locale?: string;
  createdAt?: string;
  /** `province` is the province's name (Shopify sends it beside the code); without it the code stands in. */
  address?: { city: string | null; provinceCode: string | null; province?: string | null; countryCode: string } | null;
  emailMarketing?: string | null;
  smsMarketing?: string | null;
}

/** A customers/create or customers/update body with the address, locale and consent a test gives. */
export function customerPayload(spec: CustomerSpec): Record<string, unknown> {
  const base = fixture("customers__create");
  const createdAt = spec.createdAt ?? "2026-10-01T12:00:00Z";
  const address = spec.address
    ? { ...(base.default_address as object), customer_id: Number(spec.id), city: spec.address.city, province: spec.address.province ?? spec.address.provinceCode, province_code: spec.address.provinceCode, country: spec.address.countryCode, country_code: spec.address.countryCode, country_name: spec.address.countryCode }
    : null;
  const consent = (state: string | null | undefined, field: string) =>
    state ? { [field]: { state: state.toLowerCase(), opt_in_level: "single_opt_in", consent_updated_at: createdAt } } : {};
  return {
    ...base,
    id: Number(spec.id),
    admin_graphql_api_id: `gid://shopify/Customer/${spec.id}`,
    created_at: createdAt,
    updated_at: createdAt,
    first_name: spec.firstName ?? null,
    last_name: spec.lastName ?? null,
    email: spec.email,
    phone: spec.phone ?? null,
    locale: spec.locale ?? "en",
    addresses: address ? [address] : [],
    default_address: address,
    ...consent(spec.emailMarketing, "email_marketing_consent"),
    ...(spec.phone ? consent(spec.smsMarketing, "sms_marketing_consent") : {}),
  };
}

/** The parts of a generated orders/* body that tests read back (the store generator's and the demo's checks). */
export interface OrderBody {
  id: number;
  name: string;
  order_number: number;
  test: boolean;
  source_name: string;
  location_id: number | null;
  /** The POS user who rang up a POS sale; null online. */
  user_id: number | null;
  total_discounts: string;
  subtotal_price: string;
  total_price: string;
  current_total_price: string;
  customer: { id: number };
  discount_codes: Array<{ code: string }>;
  discount_applications: Array<{ type: string; title?: string; code?: string; value: string; value_type: string; target_type: string }>;
  line_items: Array<{ product_id: number; title: string; sku: string | null; variant_id: number; price: string; vendor: string; quantity: number; discount_allocations: Array<{ amount: string }> }>;
  refunds: Array<{ id: number }>;
  shipping_lines: Array<{ price: string; discounted_price: string; discount_allocations: Array<{ amount: string; discount_application_index: number }> }>;
}
