/**
 * cart.lines.discounts.generate.run: the member's tier percentage, either off
 * the order subtotal (scope "subtotal") or off each eligible product line
 * (scope "products").
 *
 * A line is eligible when it is a product variant, not a gift card (gift cards
 * are money, never discounted), and its product is none of the products, in
 * none of the collections and carries none of the tags the member's tier
 * excludes. Custom line items (CustomProduct) have none of these to check and
 * are left out too.
 *
 * Anything that is not a clear member discount yields no operations, never an
 * error: a guest, a customer without a membership value or with one we cannot
 * read, percent 0, an empty cart, every line excluded, or a discount node that
 * lacks the class the member's scope needs.
 */
import {
  DiscountClass,
  OrderDiscountSelectionStrategy,
  ProductDiscountSelectionStrategy,
  type CartLinesDiscountsGenerateRunInput,
  type CartLinesDiscountsGenerateRunResult,
  type CartOperation,
} from "../generated/api";
import { parseFunctionConfiguration, parseMembership, type MembershipValue } from "./membership";
import { percentOffMessage, shopperLanguage } from "./message";

type CartLine = CartLinesDiscountsGenerateRunInput["cart"]["lines"][number];

const NO_DISCOUNT: CartLinesDiscountsGenerateRunResult = { operations: [] };

export function cartLinesDiscountsGenerateRun(input: CartLinesDiscountsGenerateRunInput): CartLinesDiscountsGenerateRunResult {
  const membership = parseMembership(input.cart.buyerIdentity?.customer?.membership?.jsonValue);
  if (!membership || !(membership.discount.percent > 0)) return NO_DISCOUNT;

  const { percent, scope } = membership.discount;
  const discountClass = scope === "subtotal" ? DiscountClass.Order : DiscountClass.Product;
  if (input.discount.discountClasses.indexOf(discountClass) < 0) return NO_DISCOUNT;

  const eligible = eligibleLines(input, membership);
  if (!eligible) return NO_DISCOUNT;
  const eligibleSubtotal = eligible.reduce((sum, line) => sum + amount(line), 0);
  if (!(eligibleSubtotal > 0)) return NO_DISCOUNT;

  const message = percentOffMessage(membership.tier.name, percent, shopperLanguage(input.localization.language.isoCode));
  const value = { percentage: { value: percent } };
  let operation: CartOperation;
  if (scope === "subtotal") {
    const eligibleIds = new Set(eligible.map((line) => line.id));
    const excludedCartLineIds = input.cart.lines.filter((line) => !eligibleIds.has(line.id)).map((line) => line.id);
    operation = {
      orderDiscountsAdd: {
        selectionStrategy: OrderDiscountSelectionStrategy.First,
        candidates: [{ message, targets: [{ orderSubtotal: { excludedCartLineIds } }], value }],
      },
    };
  } else {
    // A line that costs nothing (a free gift) has nothing to take a percentage of.
    const targets = eligible.filter((line) => amount(line) > 0).map((line) => ({ cartLine: { id: line.id } }));
    operation = {
      productDiscountsAdd: {
        selectionStrategy: ProductDiscountSelectionStrategy.First,
        candidates: [{ message, targets, value }],
      },
    };
  }
  return { operations: [operation] };
}

/**
 * The lines the member's percentage applies to, or null when the cart cannot
 * be judged: the member's tier excludes a tag or a collection that the
 * discount's configuration (and so the input query's `$excludedProductTags`
 * or `$excludedCollectionIds`) does not list, so Shopify never told us which
 * products carry it or are in it. That happens only while the app is
 * still writing a changed program; giving no discount for that moment is safer
 * than discounting products the merchant meant to exclude.
 */
export function eligibleLines(input: CartLinesDiscountsGenerateRunInput, membership: MembershipValue): CartLine[] | null {
  // Trimmed and without blanks, as the app writes the configuration's tags (functionConfiguration).
  const excluded = membership.discount.excludedProductTags.map((tag) => tag.trim()).filter((tag) => tag !== "");
  const excludedProducts = membership.discount.excludedProductIds ?? [];
  const excludedCollections = membership.discount.excludedCollectionIds ?? [];
  if (excluded.length > 0 || excludedCollections.length > 0) {
    const configuration = parseFunctionConfiguration(input.discount.metafield?.jsonValue);
    const asked = configuration?.excludedProductTags ?? [];
    if (!excluded.every((tag) => asked.indexOf(tag) >= 0)) return null;
    const askedCollections = configuration?.excludedCollectionIds ?? [];
    if (!excludedCollections.every((id) => askedCollections.indexOf(id) >= 0)) return null;
  }
  return input.cart.lines.filter((line) => {
    const merchandise = line.merchandise;
    if (merchandise.__typename !== "ProductVariant") return false;
    const product = merchandise.product;
    if (product.isGiftCard) return false;
    if (excludedProducts.indexOf(product.id) >= 0) return false;
    if (product.inCollections.some((entry) => entry.isMember && excludedCollections.indexOf(entry.collectionId) >= 0)) return false;
    return !product.hasTags.some((response) => response.hasTag && excluded.indexOf(response.tag) >= 0);
  });
}

/** The line's subtotal in the cart's currency; Shopify sends Decimal as a string ("24.0"). */
function amount(line: CartLine): number {
  const value = Number(line.cost.subtotalAmount.amount);
  return Number.isFinite(value) ? value : 0;
}
