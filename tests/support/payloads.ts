// Realistic webhook bodies for tests, built from Shopify's own shapes
// (tests/fixtures/webhooks) with the fields a test cares about overridden.
import fs from "node:fs";
import path from "node:path";

const dir = path.resolve("tests/fixtures/webhooks");

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), "utf8")) as T;
}

const money = (amount: string, currency = "USD") => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

export interface OrderSpec {
  id: string;
  customerId?: string | null;
  email?: string;
  createdAt?: string;
  updatedAt?: string;
  subtotal?: string;
  currency?: string;
  cancelledAt?: string | null;
  financialStatus?: string;
  lines?: Array<{ id: string; productId: string; quantity?: number; price: string }>;
}

/** An orders/* body shaped like the development-store capture, with exact ids. */
export function orderPayload(spec: OrderSpec): Record<string, unknown> {
  const base = fixture("orders__create-3");
  const currency = spec.currency ?? "USD";
  const createdAt = spec.createdAt ?? "2026-10-01T12:00:00Z";
  const lines = spec.lines ?? [{ id: `${spec.id}1`, productId: "15394248065257", price: spec.subtotal ?? "50.00" }];
  const customerId = spec.customerId === undefined ? "7001" : spec.customerId;
  return {
    ...base,
    id: Number(spec.id) <= Number.MAX_SAFE_INTEGER ? Number(spec.id) : spec.id,
    admin_graphql_api_id: `gid://shopify/Order/${spec.id}`,
    name: `#${spec.id.slice(-4)}`,
    created_at: createdAt,
    processed_at: createdAt,
    updated_at: spec.updatedAt ?? createdAt,
    currency,
    presentment_currency: currency,
    subtotal_price_set: money(spec.subtotal ?? "50.00", currency),
    total_price_set: money(spec.subtotal ?? "50.00", currency),
    total_discounts_set: money("0.00", currency),
    total_tax_set: money("0.00", currency),
    total_shipping_price_set: money("0.00", currency),
    financial_status: spec.financialStatus ?? "paid",
    cancelled_at: spec.cancelledAt ?? null,
    customer:
      customerId === null
        ? null
        : {
            ...(base.customer as object),
            id: Number(customerId),
            admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
            email: spec.email ?? `member${customerId}@example.com`,
            updated_at: createdAt,
          },
    line_items: lines.map((line) => ({
      ...(base.line_items as object[])[0],
      id: Number(line.id),
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      product_id: Number(line.productId),
      quantity: line.quantity ?? 1,
      price: line.price,
      price_set: money(line.price, currency),
      discount_allocations: [],
    })),
  };
}

export function refundPayload(spec: { id: string; orderId: string; amount: string; currency?: string; createdAt?: string }) {
  const currency = spec.currency ?? "USD";
  return {
    id: Number(spec.id),
    admin_graphql_api_id: `gid://shopify/Refund/${spec.id}`,
    order_id: Number(spec.orderId),
    created_at: spec.createdAt ?? "2026-10-05T12:00:00Z",
    processed_at: spec.createdAt ?? "2026-10-05T12:00:00Z",
    note: "damaged",
    refund_line_items: [{ id: 1, line_item_id: 1, quantity: 1, subtotal_set: money(spec.amount, currency) }],
    transactions: [],
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
  address?: { city: string | null; provinceCode: string | null; countryCode: string } | null;
  emailMarketing?: string | null;
  smsMarketing?: string | null;
}

/** A customers/create or customers/update body with the address, locale and consent a test gives. */
export function customerPayload(spec: CustomerSpec): Record<string, unknown> {
  const base = fixture("customers__create");
  const createdAt = spec.createdAt ?? "2026-10-01T12:00:00Z";
  const address = spec.address
    ? { ...(base.default_address as object), customer_id: Number(spec.id), city: spec.address.city, province: spec.address.provinceCode, province_code: spec.address.provinceCode, country: spec.address.countryCode, country_code: spec.address.countryCode, country_name: spec.address.countryCode }
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
