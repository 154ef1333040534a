/**
 * The one automatic app discount MemberCare keeps per shop: Shopify runs the
 * member-discount Function for it at checkout. Pure: what the discount must
 * look like for a tier program, and what Shopify's refusals mean to a merchant.
 */
import type { MessageKey } from "~/i18n";
import { functionConfiguration, FUNCTION_CONFIGURATION_KEY, FUNCTION_CONFIGURATION_NAMESPACE } from "./discount-configuration";
import { DEFAULT_COMBINATION, type TierProgram } from "./tiers";

/** The Function's handle in extensions/member-discount/shopify.extension.toml. */
export const MEMBER_DISCOUNT_FUNCTION_HANDLE = "member-discount";
export const MEMBER_DISCOUNT_TITLE = "MemberCare member pricing";

export type DiscountClass = "ORDER" | "PRODUCT" | "SHIPPING";

/** The classes the tiers' perks need: order or product percentages, free shipping. */
export function discountClassesFor(program: Pick<TierProgram, "tiers">): DiscountClass[] {
  const classes = new Set<DiscountClass>();
  for (const { perks } of program.tiers) {
    if (perks.discountPercent > 0) classes.add(perks.discountScope === "subtotal" ? "ORDER" : "PRODUCT");
    if (perks.freeShipping) classes.add("SHIPPING");
  }
  return (["ORDER", "PRODUCT", "SHIPPING"] as const).filter((kind) => classes.has(kind));
}

/** `DiscountAutomaticAppInput` for the program (startsAt is added on creation only). */
export function memberDiscountInput(program: Pick<TierProgram, "tiers" | "combinesWith">) {
  const combinesWith = program.combinesWith ?? DEFAULT_COMBINATION;
  return {
    title: MEMBER_DISCOUNT_TITLE,
    functionHandle: MEMBER_DISCOUNT_FUNCTION_HANDLE,
    discountClasses: discountClassesFor(program),
    combinesWith: { orderDiscounts: combinesWith.orderDiscounts, productDiscounts: combinesWith.productDiscounts, shippingDiscounts: combinesWith.shippingDiscounts },
    metafields: [{ namespace: FUNCTION_CONFIGURATION_NAMESPACE, key: FUNCTION_CONFIGURATION_KEY, type: "json", value: JSON.stringify(functionConfiguration(program)) }],
  };
}

export type MemberDiscountInput = ReturnType<typeof memberDiscountInput>;

export interface DiscountUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

/** What the merchant reads on the Tiers page when Shopify refuses the discount (Shopify's own message is shown beside it). */
export function discountProblemKey(errors: DiscountUserError[]): MessageKey {
  if (errors.some((error) => error.code === "MAX_APP_DISCOUNTS")) return "tiers.discount.errors.limit";
  if (errors.some((error) => /function/i.test(error.message) && /not found/i.test(error.message))) return "tiers.discount.errors.functionMissing";
  return "tiers.discount.errors.refused";
}

/** Shopify's answer to an update of a discount that no longer exists (the merchant deleted it). */
export const isMissingDiscount = (errors: DiscountUserError[]) => errors.some((error) => error.field?.includes("id") && /does not exist|not found/i.test(error.message));
