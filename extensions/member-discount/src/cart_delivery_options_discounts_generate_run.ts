/**
 * cart.delivery-options.discounts.generate.run: free shipping for members
 * whose tier has it, as 100% off every delivery option offered in every
 * delivery group (so the shopper sees each rate as free before choosing).
 * Only when the discount node carries the SHIPPING class; anyone else gets no
 * operations, never an error.
 */
import {
  DeliveryDiscountSelectionStrategy,
  DiscountClass,
  type CartDeliveryOptionsDiscountsGenerateRunInput,
  type CartDeliveryOptionsDiscountsGenerateRunResult,
} from "../generated/api";
import { parseMembership } from "./membership";
import { freeShippingMessage, shopperLanguage } from "./message";

const NO_DISCOUNT: CartDeliveryOptionsDiscountsGenerateRunResult = { operations: [] };

export function cartDeliveryOptionsDiscountsGenerateRun(input: CartDeliveryOptionsDiscountsGenerateRunInput): CartDeliveryOptionsDiscountsGenerateRunResult {
  const membership = parseMembership(input.cart.buyerIdentity?.customer?.membership?.jsonValue);
  if (!membership || !membership.freeShipping) return NO_DISCOUNT;
  if (input.discount.discountClasses.indexOf(DiscountClass.Shipping) < 0) return NO_DISCOUNT;

  const handles: string[] = [];
  for (const group of input.cart.deliveryGroups) {
    for (const option of group.deliveryOptions) {
      if (handles.indexOf(option.handle) < 0) handles.push(option.handle);
    }
  }
  if (handles.length === 0) return NO_DISCOUNT;

  return {
    operations: [
      {
        deliveryDiscountsAdd: {
          selectionStrategy: DeliveryDiscountSelectionStrategy.All,
          candidates: [
            {
              message: freeShippingMessage(membership.tier.name, shopperLanguage(input.localization.language.isoCode)),
              targets: handles.map((handle) => ({ deliveryOption: { handle } })),
              value: { percentage: { value: 100 } },
            },
          ],
        },
      },
    ],
  };
}
