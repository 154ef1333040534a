import { z } from "zod";
import { toMinorUnits } from "./money";
import { shopifyId } from "./shopify-json";

/**
 * Webhook bodies (REST-shaped JSON) turned into the records the app projects.
 * Pure: no I/O. Schemas are loose on purpose: Shopify adds fields in every API
 * version, and only what the app uses is required. A body that lacks a required
 * field raises PayloadError, which the worker records as a permanent failure
 * with the reason (re-processable after a fix), never retried blindly.
 */
export class PayloadError extends Error {
  constructor(topic: string, detail: string) {
    super(`${topic}: ${detail}`);
    this.name = "PayloadError";
  }
}

const idLike = z.union([z.string(), z.number()]);
const moneySet = z.object({ shop_money: z.object({ amount: z.union([z.string(), z.number()]), currency_code: z.string() }) });
const optionalDate = z.string().nullish();

function parse<T>(topic: string, schema: z.ZodType<T>, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join(".") || "(body)"} ${issue.message}`).join("; ");
    throw new PayloadError(topic, detail);
  }
  return result.data;
}

/** The record's numeric id: the gid when present (exact), else the REST id. */
function recordId(topic: string, body: { admin_graphql_api_id?: string | null; id?: string | number | null }): string {
  const id = shopifyId(body.admin_graphql_api_id) ?? shopifyId(body.id);
  if (!id) throw new PayloadError(topic, "no usable id (admin_graphql_api_id or id)");
  return id;
}

function date(topic: string, field: string, value: string | null | undefined): Date {
  const parsed = value ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) throw new PayloadError(topic, `${field} is not a date: ${JSON.stringify(value)}`);
  return parsed;
}

function optionalDateOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function minor(topic: string, set: z.infer<typeof moneySet> | null | undefined, currency: string): number {
  if (!set) return 0;
  try {
    return toMinorUnits(set.shop_money.amount, currency);
  } catch (error) {
    throw new PayloadError(topic, (error as Error).message);
  }
}

// ---------------------------------------------------------------- customers

const address = z
  .object({ country_code: z.string().nullish(), province_code: z.string().nullish(), province: z.string().nullish(), city: z.string().nullish() })
  .nullish();

const consent = z
  .object({ state: z.string().nullish(), consent_updated_at: optionalDate })
  .nullish();

const customerBody = z.object({
  id: idLike.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  locale: z.string().nullish(),
  tags: z.string().nullish(),
  created_at: optionalDate,
  updated_at: optionalDate,
  default_address: address,
  email_marketing_consent: consent,
  sms_marketing_consent: consent,
});

export interface CustomerRecord {
  shopifyId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  countryCode: string | null;
  provinceCode: string | null;
  /** The province's name as the address gives it (audiences offer provinces by name). */
  provinceName: string | null;
  city: string | null;
  /** null when the payload does not carry tags (2025-01+ bodies): keep what we have. */
  tags: string | null;
  emailConsent: { state: string; updatedAt: Date | null } | null;
  smsConsent: { state: string; updatedAt: Date | null } | null;
  shopifyCreatedAt: Date | null;
  shopifyUpdatedAt: Date | null;
}

/** A customer known by id alone: every field unknown, for what a later customers webhook fills (null never overwrites). */
export const EMPTY_CUSTOMER: Omit<CustomerRecord, "shopifyId"> = {
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  locale: null,
  countryCode: null,
  provinceCode: null,
  provinceName: null,
  city: null,
  tags: null,
  emailConsent: null,
  smsConsent: null,
  shopifyCreatedAt: null,
  shopifyUpdatedAt: null,
};

const consentState = (value: string | null | undefined) => (value ? value.toUpperCase() : null);

function customerRecord(topic: string, body: z.infer<typeof customerBody>): CustomerRecord {
  const emailState = consentState(body.email_marketing_consent?.state);
  const smsState = consentState(body.sms_marketing_consent?.state);
  return {
    shopifyId: recordId(topic, body),
    firstName: body.first_name ?? null,
    lastName: body.last_name ?? null,
    email: body.email ?? null,
    phone: body.phone ?? null,
    locale: body.locale ?? null,
    countryCode: body.default_address?.country_code ?? null,
    provinceCode: body.default_address?.province_code ?? null,
    provinceName: body.default_address?.province ?? null,
    city: body.default_address?.city ?? null,
    tags: body.tags ?? null,
    emailConsent: emailState ? { state: emailState, updatedAt: optionalDateOf(body.email_marketing_consent?.consent_updated_at) } : null,
    smsConsent: smsState ? { state: smsState, updatedAt: optionalDateOf(body.sms_marketing_consent?.consent_updated_at) } : null,
    shopifyCreatedAt: optionalDateOf(body.created_at),
    shopifyUpdatedAt: optionalDateOf(body.updated_at),
  };
}

export function parseCustomer(topic: string, payload: unknown): CustomerRecord {
  return customerRecord(topic, parse(topic, customerBody, payload));
}

export function parseCustomerDelete(topic: string, payload: unknown): { shopifyId: string } {
  return { shopifyId: recordId(topic, parse(topic, customerBody.pick({ id: true, admin_graphql_api_id: true }), payload)) };
}

export interface ConsentRecord {
  customerShopifyId: string;
  channel: "email" | "sms";
  state: string | null;
  updatedAt: Date | null;
}

const consentChange = z.object({ state: z.string().nullish(), consent_updated_at: optionalDate }).nullish();

/**
 * The two consent topics carry the same change under different names:
 * customers_email_marketing_consent/update names the customer `customer_id`,
 * customers_marketing_consent/update (SMS, despite its name) names it `id`.
 */
function consentParser(channel: ConsentRecord["channel"], idField: "customer_id" | "id", consentField: "email_marketing_consent" | "sms_marketing_consent") {
  const schema = z.object({ [idField]: idLike, [consentField]: consentChange });
  return (topic: string, payload: unknown): ConsentRecord => {
    const body = parse(topic, schema, payload) as Record<string, unknown>;
    const id = shopifyId(body[idField]);
    if (!id) throw new PayloadError(topic, `${idField} is not a Shopify id`);
    const change = body[consentField] as z.infer<typeof consentChange>;
    return { customerShopifyId: id, channel, state: consentState(change?.state), updatedAt: optionalDateOf(change?.consent_updated_at) };
  };
}

export const parseEmailConsent = consentParser("email", "customer_id", "email_marketing_consent");
export const parseSmsConsent = consentParser("sms", "id", "sms_marketing_consent");

// ------------------------------------------------------------------- orders

const lineItem = z.object({
  id: idLike.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  product_id: idLike.nullish(),
  variant_id: idLike.nullish(),
  title: z.string().nullish(),
  name: z.string().nullish(),
  sku: z.string().nullish(),
  vendor: z.string().nullish(),
  quantity: z.number().int(),
  current_quantity: z.number().int().nullish(),
  price_set: moneySet,
  gift_card: z.boolean().nullish(),
  discount_allocations: z.array(z.object({ amount_set: moneySet })).nullish(),
});

const orderBody = z.object({
  id: idLike.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  name: z.string().nullish(),
  created_at: z.string(),
  processed_at: optionalDate,
  updated_at: z.string(),
  currency: z.string(),
  presentment_currency: z.string().nullish(),
  subtotal_price_set: moneySet.nullish(),
  total_price_set: moneySet.nullish(),
  total_discounts_set: moneySet.nullish(),
  total_tax_set: moneySet.nullish(),
  total_shipping_price_set: moneySet.nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  cancelled_at: optionalDate,
  cancel_reason: z.string().nullish(),
  test: z.boolean().nullish(),
  source_name: z.string().nullish(),
  // POS orders (issue 21): the POS user who processed the order and the location where (numbers; null online).
  user_id: idLike.nullish(),
  location_id: idLike.nullish(),
  customer: customerBody.nullish(),
  line_items: z.array(lineItem),
});

export interface OrderLineRecord {
  shopifyId: string;
  productShopifyId: string | null;
  variantShopifyId: string | null;
  title: string;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  /** Units left after edits and refunds (`current_quantity`); null when the body does not say. */
  currentQuantity: number | null;
  unitPriceMinor: number;
  discountMinor: number;
  giftCard: boolean;
}

export interface OrderRecord {
  shopifyId: string;
  customer: CustomerRecord | null;
  name: string | null;
  shopifyCreatedAt: Date;
  processedAt: Date;
  shopifyUpdatedAt: Date;
  currencyCode: string;
  presentmentCurrency: string | null;
  subtotalMinor: number;
  totalMinor: number;
  totalDiscountsMinor: number;
  totalTaxMinor: number;
  shippingMinor: number;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  test: boolean;
  sourceName: string | null;
  /** The POS user (staff member) who processed the order, and the location, as text; null online (issue 21). */
  posUserId: string | null;
  posLocationId: string | null;
  lines: OrderLineRecord[];
}

export function parseOrder(topic: string, payload: unknown): OrderRecord {
  const body = parse(topic, orderBody, payload);
  const currency = body.currency;
  const createdAt = date(topic, "created_at", body.created_at);
  return {
    shopifyId: recordId(topic, body),
    // Orders carry a partial customer (no consent or tags since 2025-01); it is
    // enough to create the member when the order arrives before customers/create.
    customer: body.customer && (body.customer.admin_graphql_api_id || body.customer.id) ? customerRecord(topic, body.customer) : null,
    name: body.name ?? null,
    shopifyCreatedAt: createdAt,
    processedAt: body.processed_at ? date(topic, "processed_at", body.processed_at) : createdAt,
    shopifyUpdatedAt: date(topic, "updated_at", body.updated_at),
    currencyCode: currency,
    presentmentCurrency: body.presentment_currency ?? null,
    subtotalMinor: minor(topic, body.subtotal_price_set, currency),
    totalMinor: minor(topic, body.total_price_set, currency),
    totalDiscountsMinor: minor(topic, body.total_discounts_set, currency),
    totalTaxMinor: minor(topic, body.total_tax_set, currency),
    shippingMinor: minor(topic, body.total_shipping_price_set, currency),
    financialStatus: body.financial_status ?? null,
    fulfillmentStatus: body.fulfillment_status ?? null,
    cancelledAt: optionalDateOf(body.cancelled_at),
    cancelReason: body.cancel_reason ?? null,
    test: body.test ?? false,
    sourceName: body.source_name ?? null,
    posUserId: shopifyId(body.user_id),
    posLocationId: shopifyId(body.location_id),
    lines: body.line_items.map((line, index) => ({
      shopifyId: recordIdOrIndex(topic, line, index),
      productShopifyId: shopifyId(line.product_id),
      variantShopifyId: shopifyId(line.variant_id),
      title: line.title ?? line.name ?? "",
      sku: line.sku ?? null,
      vendor: line.vendor ?? null,
      quantity: line.quantity,
      currentQuantity: line.current_quantity ?? null,
      unitPriceMinor: minor(topic, line.price_set, currency),
      discountMinor: (line.discount_allocations ?? []).reduce((sum, allocation) => sum + minor(topic, allocation.amount_set, currency), 0),
      giftCard: line.gift_card ?? false,
    })),
  };
}

function recordIdOrIndex(topic: string, line: { admin_graphql_api_id?: string | null; id?: string | number | null }, index: number): string {
  const id = shopifyId(line.admin_graphql_api_id) ?? shopifyId(line.id);
  if (!id) throw new PayloadError(topic, `line_items.${index} has no usable id`);
  return id;
}

// ------------------------------------------------------------------ refunds

const refundBody = z.object({
  id: idLike.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  order_id: idLike,
  created_at: optionalDate,
  processed_at: optionalDate,
  note: z.string().nullish(),
  refund_line_items: z.array(
    z.object({ line_item_id: idLike.nullish(), quantity: z.number().int(), subtotal_set: moneySet }),
  ),
  refund_shipping_lines: z.array(z.object({}).passthrough()).nullish(),
  order_adjustments: z.array(z.object({ kind: z.string().nullish(), amount_set: moneySet.nullish(), amount: z.union([z.string(), z.number()]).nullish() })).nullish(),
  transactions: z
    .array(z.object({ kind: z.string().nullish(), status: z.string().nullish(), amount: z.union([z.string(), z.number()]).nullish(), currency: z.string().nullish() }))
    .nullish(),
});

export interface RefundRecord {
  shopifyId: string;
  orderShopifyId: string;
  processedAt: Date;
  amountMinor: number;
  /**
   * Money returned that no refund line accounts for: the refund_discrepancy
   * order adjustments, whose amount is negative when more was returned than
   * the lines and shipping (a goodwill refund) and positive when less (a fee
   * kept). Shipping refunds (kind shipping_refund) are not merchandise.
   */
  unallocatedMinor: number;
  currencyCode: string;
  lines: Array<{ lineShopifyId: string | null; quantity: number; subtotalMinor: number }>;
  note: string | null;
}

export function parseRefund(topic: string, payload: unknown): RefundRecord {
  const body = parse(topic, refundBody, payload);
  const orderShopifyId = shopifyId(body.order_id);
  if (!orderShopifyId) throw new PayloadError(topic, "order_id is not a Shopify id");
  const currency =
    body.refund_line_items[0]?.subtotal_set.shop_money.currency_code ??
    body.order_adjustments?.find((adjustment) => adjustment.amount_set)?.amount_set?.shop_money.currency_code ??
    body.transactions?.find((transaction) => transaction.currency)?.currency ??
    "USD";
  const lines = body.refund_line_items.map((line) => ({
    lineShopifyId: shopifyId(line.line_item_id),
    quantity: line.quantity,
    subtotalMinor: minor(topic, line.subtotal_set, line.subtotal_set.shop_money.currency_code),
  }));
  return {
    shopifyId: recordId(topic, body),
    orderShopifyId,
    processedAt: date(topic, "processed_at", body.processed_at ?? body.created_at),
    amountMinor: lines.reduce((sum, line) => sum + line.subtotalMinor, 0),
    unallocatedMinor: unallocatedMinor(topic, body, currency),
    currencyCode: currency,
    lines,
    note: body.note ?? null,
  };
}

/**
 * Money a refund returned that its lines and shipping do not account for: the
 * refund_discrepancy order adjustments, negated (Shopify records the money
 * returned beyond the lines as a negative discrepancy). A refund that has
 * nothing but transactions (no lines, no shipping, no adjustment: a goodwill
 * refund as some bodies carry it) returned its successful refund transactions,
 * when they are in the shop's currency.
 */
function unallocatedMinor(topic: string, body: z.infer<typeof refundBody>, currency: string): number {
  const discrepancies = (body.order_adjustments ?? []).filter((adjustment) => adjustment.kind === "refund_discrepancy");
  if (discrepancies.length > 0) {
    return discrepancies.reduce((sum, adjustment) => sum - (adjustment.amount_set ? minor(topic, adjustment.amount_set, currency) : toMinor(topic, adjustment.amount ?? 0, currency)), 0);
  }
  if (body.refund_line_items.length > 0 || (body.refund_shipping_lines ?? []).length > 0 || (body.order_adjustments ?? []).length > 0) return 0;
  return (body.transactions ?? [])
    .filter((transaction) => (transaction.kind ?? "refund") === "refund" && (transaction.status ?? "success") === "success" && (transaction.currency ?? currency) === currency)
    .reduce((sum, transaction) => sum + toMinor(topic, transaction.amount ?? 0, currency), 0);
}

function toMinor(topic: string, amount: string | number, currency: string): number {
  try {
    return toMinorUnits(amount, currency);
  } catch (error) {
    throw new PayloadError(topic, (error as Error).message);
  }
}

// ---------------------------------------------------------------- order edits

// orders/edited says what an edit changed, not the order after it (Shopify
// sends orders/updated with that too): removals name the line and how many
// units went. Added units are left to the orders/updated that follows, which
// carries their price.
const orderEditBody = z.object({
  order_edit: z.object({
    id: idLike,
    order_id: idLike,
    created_at: optionalDate,
    committed_at: optionalDate,
    line_items: z
      .object({ removals: z.array(z.object({ id: idLike, delta: z.number().int() })).nullish() })
      .nullish(),
  }),
});

export interface OrderEditRecord {
  shopifyId: string;
  orderShopifyId: string;
  committedAt: Date;
  removals: Array<{ lineShopifyId: string; quantity: number }>;
}

export function parseOrderEdit(topic: string, payload: unknown): OrderEditRecord {
  const { order_edit: edit } = parse(topic, orderEditBody, payload);
  const shopifyIdOfEdit = shopifyId(edit.id);
  const orderShopifyId = shopifyId(edit.order_id);
  if (!shopifyIdOfEdit || !orderShopifyId) throw new PayloadError(topic, "order_edit.id or order_edit.order_id is not a Shopify id");
  return {
    shopifyId: shopifyIdOfEdit,
    orderShopifyId,
    committedAt: date(topic, "order_edit.committed_at", edit.committed_at ?? edit.created_at),
    removals: (edit.line_items?.removals ?? []).flatMap((removal) => {
      const lineShopifyId = shopifyId(removal.id);
      return lineShopifyId && removal.delta > 0 ? [{ lineShopifyId, quantity: removal.delta }] : [];
    }),
  };
}

// ------------------------------------------------------------- fulfillments

const fulfillmentBody = z.object({
  id: idLike.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  order_id: idLike,
  status: z.string().nullish(),
  shipment_status: z.string().nullish(),
  tracking_company: z.string().nullish(),
  tracking_number: z.string().nullish(),
  tracking_url: z.string().nullish(),
  created_at: optionalDate,
  updated_at: optionalDate,
});

export interface FulfillmentRecord {
  shopifyId: string;
  orderShopifyId: string;
  status: string | null;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shopifyCreatedAt: Date | null;
  shopifyUpdatedAt: Date | null;
}

export function parseFulfillment(topic: string, payload: unknown): FulfillmentRecord {
  const body = parse(topic, fulfillmentBody, payload);
  const orderShopifyId = shopifyId(body.order_id);
  if (!orderShopifyId) throw new PayloadError(topic, "order_id is not a Shopify id");
  return {
    shopifyId: recordId(topic, body),
    orderShopifyId,
    status: body.status ?? null,
    shipmentStatus: body.shipment_status ?? null,
    trackingCompany: body.tracking_company ?? null,
    trackingNumber: body.tracking_number ?? null,
    trackingUrl: body.tracking_url ?? null,
    shopifyCreatedAt: optionalDateOf(body.created_at),
    shopifyUpdatedAt: optionalDateOf(body.updated_at),
  };
}

const fulfillmentEventBody = z.object({
  id: idLike.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  fulfillment_id: idLike,
  order_id: idLike.nullish(),
  status: z.string(),
  message: z.string().nullish(),
  happened_at: optionalDate,
  created_at: optionalDate,
  estimated_delivery_at: optionalDate,
  city: z.string().nullish(),
  country: z.string().nullish(),
});

export interface FulfillmentEventRecord {
  shopifyId: string;
  fulfillmentShopifyId: string;
  orderShopifyId: string | null;
  status: string;
  message: string | null;
  happenedAt: Date;
  estimatedDeliveryAt: Date | null;
  city: string | null;
  countryCode: string | null;
}

export function parseFulfillmentEvent(topic: string, payload: unknown): FulfillmentEventRecord {
  const body = parse(topic, fulfillmentEventBody, payload);
  const fulfillmentShopifyId = shopifyId(body.fulfillment_id);
  if (!fulfillmentShopifyId) throw new PayloadError(topic, "fulfillment_id is not a Shopify id");
  return {
    shopifyId: recordId(topic, body),
    fulfillmentShopifyId,
    orderShopifyId: shopifyId(body.order_id),
    status: body.status.toLowerCase(),
    message: body.message ?? null,
    happenedAt: date(topic, "happened_at", body.happened_at ?? body.created_at),
    estimatedDeliveryAt: optionalDateOf(body.estimated_delivery_at),
    city: body.city ?? null,
    countryCode: body.country ?? null,
  };
}

// --------------------------------------------------------------- compliance

const compliancePayload = z.object({
  shop_domain: z.string().nullish(),
  customer: z.object({ id: idLike, email: z.string().nullish(), phone: z.string().nullish() }).nullish(),
  orders_requested: z.array(idLike).nullish(),
  orders_to_redact: z.array(idLike).nullish(),
  data_request: z.object({ id: idLike }).nullish(),
});

export interface CustomerPrivacyRequest {
  customerShopifyId: string;
  email: string | null;
  orderShopifyIds: string[];
  requestShopifyId: string | null;
}

export function parseCustomerPrivacyRequest(topic: string, payload: unknown): CustomerPrivacyRequest {
  const body = parse(topic, compliancePayload, payload);
  const customerShopifyId = shopifyId(body.customer?.id);
  if (!customerShopifyId) throw new PayloadError(topic, "customer.id is missing");
  return {
    customerShopifyId,
    email: body.customer?.email ?? null,
    orderShopifyIds: (body.orders_requested ?? body.orders_to_redact ?? []).map(shopifyId).filter((id): id is string => !!id),
    requestShopifyId: shopifyId(body.data_request?.id),
  };
}

// ------------------------------------------------- discount codes of an order

// Issue 17: which discount codes an order redeemed and what each took off, in
// shop money. Shopify's discount applications say what was intended; the
// amount actually taken off is in the allocations of each line item and
// shipping line, which name their application by `discount_application_index`
// (shopify.dev DiscountApplication: "Discount applications don't represent the
// actual final amount discounted on a line ... represented by the
// DiscountAllocation object"). An order without applications (an older body)
// falls back to `discount_codes[].amount`, which is in the shop's currency.
const allocated = z.array(z.object({ amount_set: moneySet, discount_application_index: z.number().int().nullish() })).nullish();
const orderCodesBody = z.object({
  currency: z.string(),
  discount_codes: z.array(z.object({ code: z.string(), amount: z.union([z.string(), z.number()]).nullish() })).nullish(),
  discount_applications: z.array(z.object({ type: z.string().nullish(), code: z.string().nullish() })).nullish(),
  line_items: z.array(z.object({ discount_allocations: allocated })).nullish(),
  shipping_lines: z.array(z.object({ discount_allocations: allocated })).nullish(),
});

export interface RedeemedCode {
  /** As the customer typed it; codes are matched without regard to case, as Shopify does. */
  code: string;
  /** What the code took off the order, shop money. */
  amountMinor: number;
}

export function parseOrderCodes(topic: string, payload: unknown): RedeemedCode[] {
  const body = parse(topic, orderCodesBody, payload);
  const codes = body.discount_codes ?? [];
  if (codes.length === 0) return [];
  const applications = body.discount_applications ?? [];
  const byIndex = new Map<number, string>();
  applications.forEach((application, index) => {
    if (application.type === "discount_code" && application.code) byIndex.set(index, application.code.toLowerCase());
  });
  const taken = new Map<string, number>();
  for (const line of [...(body.line_items ?? []), ...(body.shipping_lines ?? [])]) {
    for (const allocation of line.discount_allocations ?? []) {
      const code = allocation.discount_application_index == null ? undefined : byIndex.get(allocation.discount_application_index);
      if (code !== undefined) taken.set(code, (taken.get(code) ?? 0) + minor(topic, allocation.amount_set, body.currency));
    }
  }
  return codes.map((entry) => {
    const fromAllocations = taken.get(entry.code.toLowerCase());
    if (fromAllocations !== undefined) return { code: entry.code, amountMinor: fromAllocations };
    try {
      return { code: entry.code, amountMinor: toMinorUnits(entry.amount ?? 0, body.currency) };
    } catch (error) {
      throw new PayloadError(topic, (error as Error).message);
    }
  });
}
