// A checkout in the simulated store: a customer's cart run through the member
// discount Function as Shopify would run it. The input is what the Function's
// input queries would get from this store (the buyer's $app:membership
// metafield, the discount's classes and $app:function-configuration metafield,
// each line's gift-card flag and excluded tags); the Function is the bundle
// Shopify CLI would build, run in QuickJS (the engine Javy embeds). Its
// operations are then applied to the cart to show what the shopper pays.
import { bundleMemberDiscount } from "../../extensions/member-discount/tests/support/bundle";
import { runInQuickJS } from "../../extensions/member-discount/tests/support/quickjs";
import type { SimulatorState } from "./state";
import { metafieldKey } from "./state";

export interface CartLine {
  title: string;
  productId: string;
  /** The variant in the cart (a product's only variant when not given). */
  variantId?: string;
  tags: string[];
  /** The collections the product is in (GIDs), for tiers that exclude a collection. */
  collectionIds?: string[];
  isGiftCard: boolean;
  quantity: number;
  unitPriceMinor: number;
}

export interface CheckoutResult {
  subtotalMinor: number;
  discountMinor: number;
  /** The discount on each cart line, in the cart's order (they add up to discountMinor), as Shopify allocates an order discount across the lines it applies to. */
  lineDiscountsMinor: number[];
  /** The member discount's title and the percentage the Function gave, when it applied: what an order records as its automatic discount application. */
  discountTitle: string | null;
  percent: number | null;
  /** The message Shopify shows beside the discount, or null when none applied. */
  message: string | null;
  freeShipping: boolean;
  shippingMessage: string | null;
  /** Lines the discount left out (gift cards, excluded tags). */
  excludedTitles: string[];
}

const FUNCTION_HANDLE = "member-discount";
const DELIVERY_OPTIONS = ["standard-shipping", "express-shipping"];

let bundled: Promise<string> | undefined;
const functionCode = () => (bundled ??= bundleMemberDiscount().then((bundle) => bundle.code));

const decimal = (minor: number) => (minor / 100).toFixed(2);

/** The cart of `customerId` (null: a guest) through the shop's member discount, in `language` ("EN", "ZH_CN"). */
export async function simulateCheckout(state: SimulatorState, domain: string, customerId: string | null, lines: CartLine[], language = "EN"): Promise<CheckoutResult> {
  const shop = state.shop(domain);
  const namespace = `app--${shop.apiClientId}`;
  const metafieldValue = (ownerId: string, key: string) => {
    const metafield = shop.metafields.get(metafieldKey(ownerId, namespace, key));
    return metafield ? { jsonValue: JSON.parse(metafield.value) as unknown } : null;
  };
  const discount = [...shop.discounts.values()].find((candidate) => candidate.ownedByApp && candidate.functionHandle === FUNCTION_HANDLE);
  const subtotalMinor = lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);
  const none: CheckoutResult = { subtotalMinor, discountMinor: 0, lineDiscountsMinor: lines.map(() => 0), discountTitle: null, percent: null, message: null, freeShipping: false, shippingMessage: null, excludedTitles: [] };
  // Shopify runs a discount's Function only while the discount exists.
  if (!discount) return none;

  const configuration = metafieldValue(`gid://shopify/DiscountAutomaticNode/${discount.id}`, "function-configuration");
  const configured = configuration?.jsonValue as { excludedProductTags?: string[]; excludedCollectionIds?: string[] } | undefined;
  const excludedTags = configured?.excludedProductTags ?? [];
  // Shopify fills $excludedCollectionIds from the configuration; left out, the argument's default (none) applies and inCollections is empty.
  const excludedCollections = configured?.excludedCollectionIds ?? [];
  const buyerIdentity = customerId === null ? null : { customer: { membership: metafieldValue(`gid://shopify/Customer/${customerId}`, "membership") } };
  const cartLines = lines.map((line, index) => ({
    id: `gid://shopify/CartLine/${index}`,
    cost: { subtotalAmount: { amount: decimal(line.unitPriceMinor * line.quantity) } },
    merchandise: {
      __typename: "ProductVariant",
      id: `gid://shopify/ProductVariant/${line.variantId ?? `${line.productId}1`}`,
      product: {
        id: `gid://shopify/Product/${line.productId}`,
        isGiftCard: line.isGiftCard,
        hasTags: excludedTags.map((tag) => ({ tag, hasTag: line.tags.includes(tag) })),
        inCollections: excludedCollections.map((collectionId) => ({ collectionId, isMember: (line.collectionIds ?? []).includes(collectionId) })),
      },
    },
  }));
  const common = { discount: { discountClasses: discount.discountClasses, metafield: configuration }, localization: { language: { isoCode: language } } };
  const code = await functionCode();

  const result = { ...none, lineDiscountsMinor: [...none.lineDiscountsMinor] };
  const linesRun = await runInQuickJS(code, "cartLinesDiscountsGenerateRun", { cart: { buyerIdentity, lines: cartLines }, ...common });
  for (const operation of (linesRun.output as { operations: Array<Record<string, { candidates: Candidate[] }>> }).operations) {
    const candidate = Object.values(operation)[0].candidates[0];
    if (!candidate) continue;
    const target = candidate.targets[0];
    const percent = candidate.value.percentage?.value ?? 0;
    const discounted = target.orderSubtotal
      ? lines.filter((_, index) => !target.orderSubtotal!.excludedCartLineIds.includes(cartLines[index].id))
      : lines.filter((_, index) => candidate.targets.some((t) => t.cartLine?.id === cartLines[index].id));
    const amount = Math.round((discounted.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0) * percent) / 100);
    result.discountMinor += amount;
    // Across the discounted lines in proportion to their price, the rounding left on the last one, so the lines add up to the order's discount.
    let left = amount;
    discounted.forEach((line, position) => {
      const index = lines.indexOf(line);
      const share = position === discounted.length - 1 ? left : Math.round((line.unitPriceMinor * line.quantity * percent) / 100);
      result.lineDiscountsMinor[index] += share;
      left -= share;
    });
    if (amount > 0) {
      result.discountTitle = discount.title;
      result.percent = percent;
    }
    result.message = candidate.message;
    result.excludedTitles = lines.filter((line) => !discounted.includes(line)).map((line) => line.title);
  }

  const deliveryRun = await runInQuickJS(code, "cartDeliveryOptionsDiscountsGenerateRun", {
    cart: { buyerIdentity, deliveryGroups: [{ deliveryOptions: DELIVERY_OPTIONS.map((handle) => ({ handle })) }] },
    discount: { discountClasses: discount.discountClasses },
    localization: common.localization,
  });
  for (const operation of (deliveryRun.output as { operations: Array<Record<string, { candidates: Candidate[] }>> }).operations) {
    const candidate = Object.values(operation)[0].candidates[0];
    if (candidate && candidate.value.percentage?.value === 100) {
      result.freeShipping = true;
      result.shippingMessage = candidate.message;
    }
  }
  return result;
}

interface Candidate {
  message: string;
  targets: Array<{ orderSubtotal?: { excludedCartLineIds: string[] }; cartLine?: { id: string }; deliveryOption?: { handle: string } }>;
  value: { percentage?: { value: number } };
}
