/**
 * Records from the backfill's bulk-operation results (JSONL, one object per
 * line; a nested connection's items follow their parent as lines carrying
 * `__parentId`). Pure: the same shapes the webhook projectors store, so history
 * read in bulk and history received by webhook land identically.
 */
import { z } from "zod";
import { toMinorUnits } from "./money";
import { shopifyId } from "./shopify-json";
import { EMPTY_CUSTOMER, PayloadError, type CustomerRecord, type OrderLineRecord, type OrderRecord, type RefundRecord } from "./webhook-payloads";

const SOURCE = "bulk operation";
const gid = z.string().regex(/^gid:\/\/shopify\/\w+\/\d+/);
const shopMoney = z.object({ shopMoney: z.object({ amount: z.union([z.string(), z.number()]) }) });

const customerLine = z.object({
  id: gid,
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  locale: z.string().nullish(),
  defaultAddress: z.object({ city: z.string().nullish(), provinceCode: z.string().nullish(), province: z.string().nullish(), countryCodeV2: z.string().nullish() }).nullish(),
  defaultEmailAddress: z.object({ marketingState: z.string(), marketingUpdatedAt: z.string().nullish() }).nullish(),
  defaultPhoneNumber: z.object({ marketingState: z.string().nullish(), marketingUpdatedAt: z.string().nullish() }).nullish(),
  tags: z.array(z.string()).nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  numberOfOrders: z.union([z.string(), z.number()]).nullish(),
  amountSpent: z.object({ amount: z.union([z.string(), z.number()]), currencyCode: z.string() }).nullish(),
});

export interface BulkCustomer {
  record: CustomerRecord;
  /** Shopify's lifetime totals; the fallback when the app cannot read every order. */
  lifetime: { amountSpentMinor: number | null; numberOfOrders: number | null };
}

const date = (value: string | null | undefined) => (value ? new Date(value) : null);

function parseLine<T>(schema: z.ZodType<T>, line: unknown, what: string): T {
  const result = schema.safeParse(line);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PayloadError(SOURCE, `${what} ${issue.path.join(".") || "(line)"}: ${issue.message}`);
  }
  return result.data;
}

export function bulkCustomer(line: unknown): BulkCustomer {
  const body = parseLine(customerLine, line, "customer");
  return {
    record: {
      shopifyId: shopifyId(body.id)!,
      firstName: body.firstName ?? null,
      lastName: body.lastName ?? null,
      email: body.email ?? null,
      phone: body.phone ?? null,
      locale: body.locale ?? null,
      countryCode: body.defaultAddress?.countryCodeV2 ?? null,
      provinceCode: body.defaultAddress?.provinceCode ?? null,
      provinceName: body.defaultAddress?.province ?? null,
      city: body.defaultAddress?.city ?? null,
      tags: body.tags ? body.tags.join(", ") : null,
      emailConsent: body.defaultEmailAddress ? { state: body.defaultEmailAddress.marketingState, updatedAt: date(body.defaultEmailAddress.marketingUpdatedAt) } : null,
      smsConsent: body.defaultPhoneNumber?.marketingState ? { state: body.defaultPhoneNumber.marketingState, updatedAt: date(body.defaultPhoneNumber.marketingUpdatedAt) } : null,
      shopifyCreatedAt: date(body.createdAt),
      shopifyUpdatedAt: date(body.updatedAt),
    },
    lifetime: {
      amountSpentMinor: body.amountSpent ? toMinorUnits(body.amountSpent.amount, body.amountSpent.currencyCode) : null,
      numberOfOrders: body.numberOfOrders == null ? null : Number(body.numberOfOrders),
    },
  };
}

const lineItemLine = z.object({
  id: gid,
  __parentId: gid,
  title: z.string(),
  sku: z.string().nullish(),
  vendor: z.string().nullish(),
  quantity: z.number().int(),
  currentQuantity: z.number().int().nullish(),
  product: z.object({ id: gid }).nullish(),
  variant: z.object({ id: gid }).nullish(),
  originalUnitPriceSet: shopMoney,
  totalDiscountSet: shopMoney,
  isGiftCard: z.boolean().nullish(),
});

const orderLine = z.object({
  id: gid,
  name: z.string().nullish(),
  createdAt: z.string(),
  processedAt: z.string().nullish(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullish(),
  cancelReason: z.string().nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string().nullish(),
  test: z.boolean().nullish(),
  sourceName: z.string().nullish(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string().nullish(),
  subtotalPriceSet: shopMoney.nullish(),
  totalPriceSet: shopMoney,
  totalDiscountsSet: shopMoney.nullish(),
  totalTaxSet: shopMoney.nullish(),
  totalShippingPriceSet: shopMoney.nullish(),
  customer: z.object({ id: gid }).nullish(),
  refunds: z.array(z.object({ id: gid, createdAt: z.string().nullish(), totalRefundedSet: shopMoney })).nullish(),
});

/** Is this JSONL object a child line (a line item) rather than an order? */
export const isChildLine = (line: unknown) => typeof line === "object" && line !== null && "__parentId" in line;

/**
 * An order and its refunds from its JSONL line and the line-item lines that
 * followed it. Statuses come as GraphQL enums (PAID); they are stored the way
 * webhooks spell them (paid).
 */
export function bulkOrder(line: unknown, itemLines: unknown[]): { order: OrderRecord; refunds: RefundRecord[] } {
  const body = parseLine(orderLine, line, "order");
  const currency = body.currencyCode;
  const money = (set: z.infer<typeof shopMoney> | null | undefined) => (set ? toMinorUnits(set.shopMoney.amount, currency) : 0);
  const orderId = shopifyId(body.id)!;
  const lines: OrderLineRecord[] = itemLines.map((itemLine) => {
    const item = parseLine(lineItemLine, itemLine, "line item");
    if (item.__parentId !== body.id) throw new PayloadError(SOURCE, `line item ${item.id} belongs to ${item.__parentId}, not ${body.id}`);
    return {
      shopifyId: shopifyId(item.id)!,
      productShopifyId: item.product ? shopifyId(item.product.id) : null,
      variantShopifyId: item.variant ? shopifyId(item.variant.id) : null,
      title: item.title,
      sku: item.sku ?? null,
      vendor: item.vendor ?? null,
      quantity: item.quantity,
      currentQuantity: item.currentQuantity ?? null,
      unitPriceMinor: money(item.originalUnitPriceSet),
      discountMinor: money(item.totalDiscountSet),
      giftCard: item.isGiftCard ?? false,
    };
  });
  const createdAt = new Date(body.createdAt);
  const order: OrderRecord = {
    shopifyId: orderId,
    customer: body.customer ? { ...EMPTY_CUSTOMER, shopifyId: shopifyId(body.customer.id)! } : null,
    name: body.name ?? null,
    shopifyCreatedAt: createdAt,
    processedAt: body.processedAt ? new Date(body.processedAt) : createdAt,
    shopifyUpdatedAt: new Date(body.updatedAt),
    currencyCode: currency,
    presentmentCurrency: body.presentmentCurrencyCode ?? null,
    subtotalMinor: money(body.subtotalPriceSet),
    totalMinor: money(body.totalPriceSet),
    totalDiscountsMinor: money(body.totalDiscountsSet),
    totalTaxMinor: money(body.totalTaxSet),
    shippingMinor: money(body.totalShippingPriceSet),
    financialStatus: body.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillmentStatus: body.displayFulfillmentStatus?.toLowerCase() ?? null,
    cancelledAt: date(body.cancelledAt),
    cancelReason: body.cancelReason?.toLowerCase() ?? null,
    test: body.test ?? false,
    sourceName: body.sourceName ?? null,
    // The backfill does not ask who processed a POS order (Order.staffMember needs read_users); only webhooks carry it (issue 21).
    posUserId: null,
    posLocationId: null,
    lines,
  };
  const refunds: RefundRecord[] = (body.refunds ?? []).map((refund) => ({
    shopifyId: shopifyId(refund.id)!,
    orderShopifyId: orderId,
    processedAt: refund.createdAt ? new Date(refund.createdAt) : createdAt,
    // The bulk read has each refund's total only (no lines): the ledger takes
    // it as merchandise returned, so a shipping or tax refund read this way
    // lowers spend a little more than Shopify's net sales would.
    amountMinor: money(refund.totalRefundedSet),
    unallocatedMinor: 0,
    currencyCode: currency,
    lines: [],
    note: null,
  }));
  return { order, refunds };
}

