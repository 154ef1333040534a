// Basic code discounts: `discountCodeBasicCreate` with the checks Shopify makes
// (a title and a code, a code unique in the shop whatever its case, who may
// use it through `context` or the deprecated `customerSelection` but not both,
// customers that exist, a percentage between 0 and 1 or a positive amount,
// an end after the start), and the `DiscountCodeNode` read back by its code,
// its id or `node`; `discountCodeDeactivate`; and a checkout's redemption
// (redeemCodeDiscount). Discounts on chosen products or collections, segments and
// markets are not simulated and fail loudly.
import { currencyDigits } from "~/domain/money";
import type { SimCodeDiscount } from "../state";
import { gid, moneyV2, NotImplemented, parseGid, type FieldResolver, type ResolverContext } from "./common";
import { findCustomer } from "./customers";

interface CustomersInput {
  add?: string[] | null;
  remove?: string[] | null;
}
interface BuyersInput {
  all?: boolean | string | null;
  customers?: CustomersInput | null;
  customerSegments?: unknown;
  markets?: unknown;
}
interface CodeBasicInput {
  title?: string | null;
  code?: string | null;
  context?: BuyersInput | null;
  customerSelection?: BuyersInput | null;
  customerGets?: {
    value?: { percentage?: number | null; discountAmount?: { amount?: string | null; appliesOnEachItem?: boolean | null } | null; discountOnQuantity?: unknown } | null;
    items?: { all?: boolean | null; products?: unknown; collections?: unknown } | null;
  } | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  combinesWith?: Partial<SimCodeDiscount["combinesWith"]> | null;
  minimumRequirement?: unknown;
}

interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}

/** Shopify's longest discount code. */
const MAX_CODE_LENGTH = 255;

const status = (discount: SimCodeDiscount, now: number) =>
  Date.parse(discount.startsAt) > now ? "SCHEDULED" : discount.endsAt && Date.parse(discount.endsAt) <= now ? "EXPIRED" : "ACTIVE";

function codeBasicObject(discount: SimCodeDiscount, context: ResolverContext) {
  const { shop, state } = context;
  const value =
    "percentage" in discount.value
      ? { __typename: "DiscountPercentage", percentage: discount.value.percentage }
      : { __typename: "DiscountAmount", amount: moneyV2(discount.value.amountMinor, shop.currencyCode), appliesOnEachItem: discount.value.appliesOnEachItem };
  const buyers = discount.customerIds
    ? { __typename: "DiscountCustomers", customers: discount.customerIds.map((id) => findCustomer(id, context)).filter(Boolean) }
    : { __typename: "DiscountBuyerSelectionAll", all: "ALL" };
  const redeemCode = { __typename: "DiscountRedeemCode", id: gid("DiscountRedeemCode", discount.codeId), code: discount.code, asyncUsageCount: discount.usageCount, createdBy: null };
  return {
    __typename: "DiscountCodeBasic",
    title: discount.title,
    status: status(discount, state.clock()),
    startsAt: discount.startsAt,
    endsAt: discount.endsAt,
    usageLimit: discount.usageLimit,
    appliesOncePerCustomer: discount.appliesOncePerCustomer,
    asyncUsageCount: discount.usageCount,
    context: buyers,
    customerGets: { value, items: { __typename: "AllDiscountItems", allItems: true }, appliesOnOneTimePurchase: true, appliesOnSubscription: false },
    combinesWith: { ...discount.combinesWith, productDiscountsWithTagsOnSameCartLine: null },
    codes: { nodes: [redeemCode], edges: [{ cursor: discount.codeId, node: redeemCode }], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: discount.codeId, endCursor: discount.codeId } },
    codesCount: { count: 1, precision: "EXACT" },
    discountClasses: ["PRODUCT"],
    tags: [],
    createdAt: discount.createdAt,
    updatedAt: discount.updatedAt,
  };
}

function codeNode(discount: SimCodeDiscount, context: ResolverContext) {
  return { __typename: "DiscountCodeNode", id: gid("DiscountCodeNode", discount.id), codeDiscount: codeBasicObject(discount, context) };
}

export function findCodeDiscountNode(id: string, context: ResolverContext) {
  const discount = context.shop.codeDiscounts.get(id);
  return discount ? codeNode(discount, context) : null;
}

const byCode = (context: ResolverContext, code: string) => [...context.shop.codeDiscounts.values()].find((discount) => discount.code.toLowerCase() === code.trim().toLowerCase());

/** Decimal text to minor units of the shop's currency; null when it is not a positive amount. */
function amountMinor(amount: string | null | undefined, currencyCode: string): number | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(String(amount ?? "").trim());
  if (!match) return null;
  const digits = currencyDigits(currencyCode);
  const minor = Math.round(Number(`${match[1]}.${match[2] ?? "0"}`) * 10 ** digits);
  return minor > 0 ? minor : null;
}

function check(input: CodeBasicInput, context: ResolverContext): { errors: UserError[]; customerIds: string[] | null } {
  const errors: UserError[] = [];
  const fail = (field: string[] | null, message: string, code: string) => errors.push({ field: field && ["basicCodeDiscount", ...field], message, code });
  if (!input.title?.trim()) fail(["title"], "Title can't be blank", "BLANK");
  const code = input.code?.trim() ?? "";
  if (!code) fail(["code"], "Code can't be blank", "BLANK");
  else if (code.length > MAX_CODE_LENGTH) fail(["code"], `Code is too long (maximum is ${MAX_CODE_LENGTH} characters)`, "TOO_LONG");
  else if (/[\r\n]/.test(code)) fail(["code"], "Code cannot contain newline characters.", "INVALID");
  else if (byCode(context, code)) fail(["code"], "Code must be unique. Please try a different code.", "TAKEN");

  let customerIds: string[] | null = null;
  if (input.context && input.customerSelection) fail(null, "Only one of context or customerSelection can be provided.", "INVALID");
  const buyers = input.context ?? input.customerSelection;
  const buyersField = input.context ? "context" : "customerSelection";
  if (!buyers) fail(["context"], "Context can't be blank", "BLANK");
  else if (buyers.customerSegments || buyers.markets) throw new NotImplemented(`${buyersField} by customer segments or markets`);
  else if (buyers.customers) {
    const ids = (buyers.customers.add ?? []).map((id) => parseGid(id));
    const wrong = ids.find((id) => id.type !== "Customer" || !context.shop.customers.has(id.id));
    if (ids.length === 0) fail([buyersField, "customers", "add"], "Customers can't be blank", "BLANK");
    else if (wrong) fail([buyersField, "customers", "add"], `Customer ${gid(wrong.type, wrong.id)} does not exist`, "INVALID");
    customerIds = [...new Set(ids.map((id) => id.id))];
  } else if (!buyers.all) fail([buyersField], "Specify which buyers can use the discount.", "BLANK");

  const value = input.customerGets?.value;
  if (input.customerGets?.items?.products || input.customerGets?.items?.collections) throw new NotImplemented("code discounts on chosen products or collections");
  if (value?.discountOnQuantity) throw new NotImplemented("discountOnQuantity");
  if (!input.customerGets?.items?.all) fail(["customerGets", "items"], "Items to which the discount applies can't be blank", "APPLIES_ON_NOTHING");
  if (value?.percentage != null) {
    if (!(value.percentage > 0 && value.percentage <= 1)) fail(["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE");
  } else if (value?.discountAmount) {
    if (amountMinor(value.discountAmount.amount, context.shop.currencyCode) === null) fail(["customerGets", "value", "discountAmount", "amount"], "Value must be greater than 0", "GREATER_THAN");
  } else fail(["customerGets", "value"], "Value can't be blank", "BLANK");

  if (input.usageLimit != null && input.usageLimit < 1) fail(["usageLimit"], "Usage limit must be greater than 0", "GREATER_THAN");
  const startsAt = Date.parse(input.startsAt ?? context.state.now());
  if (input.endsAt && Date.parse(input.endsAt) <= startsAt) fail(["endsAt"], "Ends at needs to be after starts_at", "END_DATE_BEFORE_START_DATE");
  return { errors, customerIds };
}

export const codeDiscountMutations: Record<string, FieldResolver> = {
  discountCodeBasicCreate: ({ basicCodeDiscount: input }: { basicCodeDiscount: CodeBasicInput }, context) => {
    const { shop, state } = context;
    const { errors, customerIds } = check(input, context);
    if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };
    const now = state.now();
    const value = input.customerGets!.value!;
    const discount: SimCodeDiscount = {
      id: state.newId(),
      codeId: state.newId(),
      code: input.code!.trim(),
      title: input.title!.trim(),
      customerIds,
      value:
        value.percentage != null
          ? { percentage: value.percentage }
          : { amountMinor: amountMinor(value.discountAmount!.amount, shop.currencyCode)!, appliesOnEachItem: value.discountAmount!.appliesOnEachItem ?? false },
      usageLimit: input.usageLimit ?? null,
      appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
      combinesWith: { orderDiscounts: input.combinesWith?.orderDiscounts ?? false, productDiscounts: input.combinesWith?.productDiscounts ?? false, shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false },
      startsAt: input.startsAt ? new Date(input.startsAt).toISOString().replace(/\.\d{3}Z$/, "Z") : now,
      endsAt: input.endsAt ? new Date(input.endsAt).toISOString().replace(/\.\d{3}Z$/, "Z") : null,
      usageCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    shop.codeDiscounts.set(discount.id, discount);
    return { codeDiscountNode: codeNode(discount, context), userErrors: [] };
  },
  // Pauses a code discount, keeping its configuration: from now on no
  // checkout takes it and it reads EXPIRED (its end becomes now when it had
  // none or a later one).
  discountCodeDeactivate: ({ id }: { id: string }, context) => {
    const parsed = parseGid(id);
    const discount = parsed.type === "DiscountCodeNode" ? context.shop.codeDiscounts.get(parsed.id) : undefined;
    if (!discount) return { codeDiscountNode: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }] };
    const now = context.state.now();
    if (!discount.endsAt || Date.parse(discount.endsAt) > Date.parse(now)) discount.endsAt = now;
    discount.deactivatedAt = now;
    discount.updatedAt = now;
    return { codeDiscountNode: codeNode(discount, context), userErrors: [] };
  },
};

/**
 * A checkout redeeming a code, with the checks Shopify makes before it takes a
 * code (issue 17: the simulator's orders use the codes the app created): the
 * code exists whatever its case, it has started and not ended (or been
 * deactivated), the buyer is one it is for, and its uses are not spent.
 * Counts the use when it is taken.
 */
export function redeemCodeDiscount(shop: { codeDiscounts: Map<string, SimCodeDiscount> }, code: string, customerId: string | null, now: number): { ok: true; discount: SimCodeDiscount } | { ok: false; reason: string } {
  const discount = [...shop.codeDiscounts.values()].find((candidate) => candidate.code.toLowerCase() === code.trim().toLowerCase());
  if (!discount) return { ok: false, reason: "unknown code" };
  const state = status(discount, now);
  if (state !== "ACTIVE") return { ok: false, reason: state === "SCHEDULED" ? "not started" : "expired" };
  if (discount.customerIds && (!customerId || !discount.customerIds.includes(customerId))) return { ok: false, reason: "not for this customer" };
  if (discount.usageLimit !== null && discount.usageCount >= discount.usageLimit) return { ok: false, reason: "used up" };
  if (discount.appliesOncePerCustomer && customerId && (discount.usedBy ?? []).includes(customerId)) return { ok: false, reason: "already used by this customer" };
  discount.usageCount++;
  if (customerId) discount.usedBy = [...(discount.usedBy ?? []), customerId];
  return { ok: true, discount };
}

export const codeDiscountQueries: Record<string, FieldResolver> = {
  codeDiscountNodeByCode: ({ code }: { code: string }, context) => {
    const discount = byCode(context, code);
    return discount ? codeNode(discount, context) : null;
  },
  codeDiscountNode: ({ id }: { id: string }, context) => {
    const parsed = parseGid(id);
    return parsed.type === "DiscountCodeNode" ? findCodeDiscountNode(parsed.id, context) : null;
  },
};
