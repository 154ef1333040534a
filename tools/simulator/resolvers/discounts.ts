// Automatic app discounts: `discountAutomaticAppCreate` / `Update` with the
// rules an app meets (one function identifier, a known function, a title, at
// most 25 app discounts active at once in a store, typed metafields) and the
// `DiscountAutomaticNode` they create, whose metafields the Function reads.
import type { SimDiscount, SimDiscountClass } from "../state";
import { gid, parseGid, type FieldResolver, type ResolverContext } from "./common";
import { metafieldFields, metafieldValueProblem, resolveNamespace, storeMetafield } from "./metafields";

/** "Max 25 active discount functions per store" (https://shopify.dev/docs/api/functions). */
const MAX_ACTIVE_APP_DISCOUNTS = 25;

interface DiscountInput {
  title?: string | null;
  functionHandle?: string | null;
  functionId?: string | null;
  discountClasses?: SimDiscountClass[] | null;
  combinesWith?: Partial<SimDiscount["combinesWith"]> | null;
  startsAt?: string | null;
  endsAt?: string | null;
  metafields?: Array<{ namespace?: string | null; key: string; type: string; value: string }> | null;
}

interface UserError {
  field: string[];
  message: string;
  code: string;
}

const isActive = (discount: SimDiscount, now: number) => Date.parse(discount.startsAt) <= now && (!discount.endsAt || Date.parse(discount.endsAt) > now);

function discountObject(discount: SimDiscount, { state }: ResolverContext) {
  const now = state.clock();
  return {
    __typename: "DiscountAutomaticApp",
    discountId: gid("DiscountAutomaticNode", discount.id),
    title: discount.title,
    status: isActive(discount, now) ? "ACTIVE" : Date.parse(discount.startsAt) > now ? "SCHEDULED" : "EXPIRED",
    discountClasses: discount.discountClasses,
    discountClass: discount.discountClasses[0] ?? "ORDER",
    combinesWith: { ...discount.combinesWith, productDiscountsWithTagsOnSameCartLine: null },
    startsAt: discount.startsAt,
    endsAt: discount.endsAt,
    createdAt: discount.createdAt,
    updatedAt: discount.updatedAt,
  };
}

export function findDiscountNode(id: string, context: ResolverContext) {
  const discount = context.shop.discounts.get(id);
  if (!discount) return null;
  const nodeId = gid("DiscountAutomaticNode", id);
  return { __typename: "DiscountAutomaticNode", id: nodeId, automaticDiscount: discountObject(discount, context), ...metafieldFields(nodeId, context) };
}

function check(input: DiscountInput, context: ResolverContext, creating: boolean): UserError[] {
  const errors: UserError[] = [];
  const fail = (field: string[], message: string, code: string) => errors.push({ field: ["automaticAppDiscount", ...field], message, code });
  if (input.functionHandle && input.functionId) fail(["functionHandle"], "Only one of function ID or function handle can be provided.", "MULTIPLE_FUNCTION_IDENTIFIERS");
  else if (creating && !input.functionHandle && !input.functionId) fail(["functionHandle"], "Either function ID or function handle must be provided.", "MISSING_FUNCTION_IDENTIFIER");
  else if (input.functionHandle && !context.shop.functionHandles.includes(input.functionHandle)) fail(["functionHandle"], "Function not found.", "INVALID");
  else if (input.functionId) fail(["functionId"], "Function not found.", "INVALID");
  if (creating ? !input.title?.trim() : input.title != null && !input.title.trim()) fail(["title"], "Title can't be blank", "BLANK");
  input.metafields?.forEach((metafield, index) => {
    const problem = metafieldValueProblem(metafield.type, metafield.value);
    if (problem) fail(["metafields", String(index), "value"], problem, "INVALID");
  });
  return errors;
}

function writeMetafields(discount: SimDiscount, input: DiscountInput, { shop, state }: ResolverContext) {
  const ownerId = gid("DiscountAutomaticNode", discount.id);
  for (const metafield of input.metafields ?? []) {
    storeMetafield(shop, { ownerId, namespace: resolveNamespace(metafield.namespace, shop.apiClientId), key: metafield.key, type: metafield.type, value: metafield.value }, () => state.newId(), state.now());
  }
}

const combination = (given: DiscountInput["combinesWith"], current?: SimDiscount["combinesWith"]) => ({
  orderDiscounts: given?.orderDiscounts ?? current?.orderDiscounts ?? false,
  productDiscounts: given?.productDiscounts ?? current?.productDiscounts ?? false,
  shippingDiscounts: given?.shippingDiscounts ?? current?.shippingDiscounts ?? false,
});

export const discountMutations: Record<string, FieldResolver> = {
  discountAutomaticAppCreate: ({ automaticAppDiscount: input }: { automaticAppDiscount: DiscountInput }, context) => {
    const { shop, state } = context;
    const errors = check(input, context, true);
    const now = state.now();
    const startsAt = input.startsAt ?? now;
    const active = [...shop.discounts.values()].filter((discount) => isActive(discount, state.clock())).length;
    if (errors.length === 0 && Date.parse(startsAt) <= state.clock() && active >= MAX_ACTIVE_APP_DISCOUNTS) {
      errors.push({ field: ["automaticAppDiscount"], message: "The active period overlaps with too many other app-provided discounts.", code: "MAX_APP_DISCOUNTS" });
    }
    if (errors.length > 0) return { automaticAppDiscount: null, userErrors: errors };
    const discount: SimDiscount = {
      id: state.newId(),
      title: input.title!,
      functionHandle: input.functionHandle!,
      ownedByApp: true,
      discountClasses: input.discountClasses ?? [],
      combinesWith: combination(input.combinesWith),
      startsAt,
      endsAt: input.endsAt ?? null,
      createdAt: now,
      updatedAt: now,
    };
    shop.discounts.set(discount.id, discount);
    writeMetafields(discount, input, context);
    return { automaticAppDiscount: discountObject(discount, context), userErrors: [] };
  },
  discountAutomaticAppUpdate: ({ id, automaticAppDiscount: input }: { id: string; automaticAppDiscount: DiscountInput }, context) => {
    const discount = context.shop.discounts.get(parseGid(id).id);
    if (!discount || !discount.ownedByApp) return { automaticAppDiscount: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }] };
    const errors = check(input, context, false);
    if (errors.length > 0) return { automaticAppDiscount: null, userErrors: errors };
    Object.assign(discount, {
      ...(input.title != null ? { title: input.title } : {}),
      ...(input.functionHandle ? { functionHandle: input.functionHandle } : {}),
      ...(input.discountClasses ? { discountClasses: input.discountClasses } : {}),
      ...(input.startsAt ? { startsAt: input.startsAt } : {}),
      ...(input.endsAt !== undefined ? { endsAt: input.endsAt } : {}),
      combinesWith: combination(input.combinesWith, discount.combinesWith),
      updatedAt: context.state.now(),
    });
    writeMetafields(discount, input, context);
    return { automaticAppDiscount: discountObject(discount, context), userErrors: [] };
  },
};
