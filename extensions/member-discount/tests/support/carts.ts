// Function inputs shaped exactly like the input queries' results (the fixtures
// hold the same shapes as JSON), for the unit tests, the output-size check and
// bench:function.
import type { CartDeliveryOptionsDiscountsGenerateRunInput, CartLinesDiscountsGenerateRunInput, DiscountClass, LanguageCode } from "../../generated/api";
import type { MembershipValue } from "../../src/membership";

type DiscountClassName = `${DiscountClass}`;
type LanguageName = `${LanguageCode}`;

/** Every tag the shop's tiers exclude: the discount's function configuration, and so `$excludedProductTags`. */
export const CONFIGURED_TAGS = ["clearance", "no-member-discount"];

/** A Gold member as the app writes them (starter program: 10% off the subtotal, free shipping). */
export function goldMember(discount: Partial<MembershipValue["discount"]> = {}, rest: Partial<Omit<MembershipValue, "discount">> = {}): MembershipValue {
  return {
    v: 1,
    tier: { handle: "gold", rank: 3, name: { en: "Gold", "zh-CN": "金卡" } },
    discount: { percent: 10, scope: "subtotal", excludedProductTags: ["clearance"], ...discount },
    freeShipping: true,
    perks: [{ en: "Free shipping", "zh-CN": "免运费" }],
    birthdayGift: null,
    progress: { next: { handle: "platinum", name: { en: "Platinum", "zh-CN": "白金卡" } }, spendNeededMinor: 25_000, ordersNeeded: null, currencyCode: "USD" },
    nextEvaluation: "2027-01-01T00:00:00.000Z",
    downgradeOn: null,
    ...rest,
  };
}

export interface LineSpec {
  id: string;
  /** The line's subtotal, as Shopify's Decimal string. */
  amount?: string;
  /** The product's tags (only those in the configuration are visible to the Function). */
  tags?: string[];
  giftCard?: boolean;
  /** The product's GID (default: one made from the line's id). */
  productId?: string;
  /** The collections (GIDs) the product is in (only those in the configuration are visible to the Function). */
  collections?: string[];
  /** A custom line item (CustomProduct), not a product variant. */
  custom?: boolean;
}

type CartLine = CartLinesDiscountsGenerateRunInput["cart"]["lines"][number];

function cartLine(spec: LineSpec, askedTags: string[], askedCollections: string[]): CartLine {
  const cost = { subtotalAmount: { amount: spec.amount ?? "20.0" } };
  if (spec.custom) return { id: spec.id, cost, merchandise: { __typename: "CustomProduct" } };
  return {
    id: spec.id,
    cost,
    merchandise: {
      __typename: "ProductVariant",
      id: spec.id.replace("CartLine", "ProductVariant"),
      product: {
        id: spec.productId ?? spec.id.replace("CartLine", "Product"),
        isGiftCard: spec.giftCard ?? false,
        hasTags: askedTags.map((tag) => ({ tag, hasTag: (spec.tags ?? []).includes(tag) })),
        inCollections: askedCollections.map((collectionId) => ({ collectionId, isMember: (spec.collections ?? []).includes(collectionId) })),
      },
    },
  };
}

export interface CartSpec {
  /** The customer's `$app:membership` jsonValue; undefined: a guest; null: a customer without one. */
  membership?: unknown;
  lines: LineSpec[];
  discountClasses?: DiscountClassName[];
  /** The discount's `$app:function-configuration` jsonValue (null: not set). */
  configuration?: unknown;
  language?: LanguageName;
}

/** The cart.lines.discounts.generate.run input Shopify would send for this cart. */
export function cartLinesInput(spec: CartSpec): CartLinesDiscountsGenerateRunInput {
  const configuration = spec.configuration === undefined ? { v: 1, excludedProductTags: CONFIGURED_TAGS } : spec.configuration;
  // Shopify evaluates hasTags with the configuration's tags; without a usable list it asks about none.
  const asked = (configuration as { excludedProductTags?: unknown } | null)?.excludedProductTags;
  const askedTags = Array.isArray(asked) ? asked.filter((tag): tag is string => typeof tag === "string") : [];
  // Likewise inCollections with the configuration's collections (none when it names none).
  const collections = (configuration as { excludedCollectionIds?: unknown } | null)?.excludedCollectionIds;
  const askedCollections = Array.isArray(collections) ? collections.filter((id): id is string => typeof id === "string") : [];
  return {
    cart: {
      buyerIdentity: spec.membership === undefined ? null : { customer: { membership: spec.membership === null ? null : { jsonValue: spec.membership } } },
      lines: spec.lines.map((line) => cartLine(line, askedTags, askedCollections)),
    },
    discount: { discountClasses: (spec.discountClasses ?? ["ORDER", "PRODUCT", "SHIPPING"]) as DiscountClass[], metafield: configuration === null ? null : { jsonValue: configuration } },
    localization: { language: { isoCode: (spec.language ?? "EN") as LanguageCode } },
  };
}

export interface DeliverySpec {
  membership?: unknown;
  /** Each delivery group's option handles. */
  groups: string[][];
  discountClasses?: DiscountClassName[];
  language?: LanguageName;
}

/** The cart.delivery-options.discounts.generate.run input Shopify would send. */
export function deliveryInput(spec: DeliverySpec): CartDeliveryOptionsDiscountsGenerateRunInput {
  return {
    cart: {
      buyerIdentity: spec.membership === undefined ? null : { customer: { membership: spec.membership === null ? null : { jsonValue: spec.membership } } },
      deliveryGroups: spec.groups.map((handles) => ({ deliveryOptions: handles.map((handle) => ({ handle })) })),
    },
    discount: { discountClasses: (spec.discountClasses ?? ["ORDER", "PRODUCT", "SHIPPING"]) as DiscountClass[] },
    localization: { language: { isoCode: (spec.language ?? "EN") as LanguageCode } },
  };
}

/**
 * A cart of `count` lines with long cart-line ids (longer than Shopify's, so
 * output sizes err high); the lines `excluded` picks carry an excluded tag.
 */
export function largeCart(count: number, options: { membership?: MembershipValue; excluded?: (index: number) => boolean } = {}): CartLinesDiscountsGenerateRunInput {
  const lines = Array.from({ length: count }, (_, i): LineSpec => {
    const id = `gid://shopify/CartLine/${String(i).padStart(4, "0")}-7f3c9a2e-4b1d-4e8a-9c6f-2d5b8e1a3f70`;
    return { id, amount: `${(i % 17) * 3 + 9}.95`, tags: options.excluded?.(i) ? ["clearance"] : [] };
  });
  return cartLinesInput({ membership: options.membership ?? goldMember(), lines });
}
