/**
 * The member's state as written to the customer metafield `$app:membership`,
 * the one document the checkout Function and the perks UI extensions read.
 * Pure. Kept small: Shopify hands a Function metafield values only up to 10,000
 * bytes, and the Function's input query cost counts every field it reads.
 */
import { z } from "zod";
import type { MemberTierState, Progress, TierProgram, TierProgramErrors, TierRule, Totals } from "./tiers";
import { collectionGid, lastDayToKeep, memberReviewDate, productGid, progressToNext, toKeep } from "./tiers";

export const MEMBERSHIP_VERSION = 1;
/** Shopify does not pass larger metafield values to Functions. */
export const FUNCTION_METAFIELD_LIMIT_BYTES = 10_000;

export interface MembershipValue {
  v: number;
  tier: { handle: string; rank: number; name: TierRule["name"] };
  /** Product and collection GIDs only when the tier excludes some (values of tiers without them are unchanged). */
  discount: { percent: number; scope: TierRule["perks"]["discountScope"]; excludedProductTags: string[]; excludedProductIds?: string[]; excludedCollectionIds?: string[] };
  freeShipping: boolean;
  perks: TierRule["perks"]["notes"];
  birthdayGift: string | null;
  progress: null | { next: { handle: string; name: TierRule["name"] }; spendNeededMinor: number | null; ordersNeeded: number | null; currencyCode: string };
  nextEvaluation: string | null;
  downgradeOn: string | null;
  /**
   * Present only while a downgrade is announced (absent otherwise, so the
   * values of members not under review are unchanged from before it existed):
   * what the member's pages say, "Your Gold status is under review: spend $X by
   * DATE to keep it". `by` is the last day (shop's zone) that still counts.
   */
  review?: MembershipReview;
}

export interface MembershipReview {
  by: string;
  spendToKeepMinor: number | null;
  ordersToKeep: number | null;
  currencyCode: string;
}

const localized = z.object({ en: z.string(), "zh-CN": z.string() }).strict();

/** The value's contract with its readers (the Function and the UI extensions parse it with this shape). */
export const membershipValueSchema = z
  .object({
    v: z.literal(MEMBERSHIP_VERSION),
    tier: z.object({ handle: z.string(), rank: z.number().int(), name: localized }).strict(),
    discount: z
      .object({
        percent: z.number().min(0).max(100),
        scope: z.enum(["subtotal", "products"]),
        excludedProductTags: z.array(z.string()),
        excludedProductIds: z.array(z.string()).optional(),
        excludedCollectionIds: z.array(z.string()).optional(),
      })
      .strict(),
    freeShipping: z.boolean(),
    perks: z.array(localized),
    birthdayGift: z.string().nullable(),
    progress: z
      .object({
        next: z.object({ handle: z.string(), name: localized }).strict(),
        spendNeededMinor: z.number().int().nonnegative().nullable(),
        ordersNeeded: z.number().int().nonnegative().nullable(),
        currencyCode: z.string().length(3),
      })
      .strict()
      .nullable(),
    nextEvaluation: z.iso.datetime().nullable(),
    downgradeOn: z.iso.datetime().nullable(),
    review: z
      .object({
        by: z.iso.date(),
        spendToKeepMinor: z.number().int().positive().nullable(),
        ordersToKeep: z.number().int().positive().nullable(),
        currencyCode: z.string().length(3),
      })
      .strict()
      .optional(),
  })
  .strict();

export function membershipValue(program: TierProgram, tier: TierRule, state: Pick<MemberTierState, "downgradeOn">, totals: Totals, currencyCode: string, now: Date): MembershipValue {
  const progress: Progress = progressToNext(program, tier, totals);
  return {
    v: MEMBERSHIP_VERSION,
    tier: { handle: tier.handle, rank: tier.rank, name: tier.name },
    // Trimmed as the Function's configuration trims them (discount-configuration.ts).
    discount: {
      percent: tier.perks.discountPercent,
      scope: tier.perks.discountScope,
      excludedProductTags: tier.perks.excludedProductTags.map((tag) => tag.trim()).filter(Boolean),
      ...(tier.perks.excludedProducts?.length ? { excludedProductIds: tier.perks.excludedProducts.map((product) => productGid(product.id)) } : {}),
      ...(tier.perks.excludedCollections?.length ? { excludedCollectionIds: tier.perks.excludedCollections.map((collection) => collectionGid(collection.id)) } : {}),
    },
    freeShipping: tier.perks.freeShipping,
    perks: tier.perks.notes,
    birthdayGift: tier.perks.birthdayGift,
    progress: progress.next
      ? { next: { handle: progress.next.handle, name: progress.next.name }, spendNeededMinor: progress.spendNeededMinor, ordersNeeded: progress.ordersNeeded, currencyCode }
      : null,
    nextEvaluation: memberReviewDate(program, tier, totals, now)?.toISOString() ?? null,
    downgradeOn: state.downgradeOn?.toISOString() ?? null,
    ...(state.downgradeOn ? { review: { by: lastDayToKeep(program, state.downgradeOn), ...toKeep(tier, totals), currencyCode } } : {}),
  };
}

/** The review a serialised value announces (null: none, or not a value of ours): what publishing it tells the member. */
export function announcedReview(serialized: string): MembershipReview | null {
  try {
    const parsed = membershipValueSchema.safeParse(JSON.parse(serialized));
    return parsed.success ? (parsed.data.review ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * The serialised value, with keys in a fixed order so that an unchanged state
 * serialises identically and the sync can skip it (no write when nothing changed).
 */
export function serializeMembership(value: MembershipValue): string {
  const text = JSON.stringify(value);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > FUNCTION_METAFIELD_LIMIT_BYTES) {
    throw new Error(`membership metafield is ${bytes} bytes; Functions receive at most ${FUNCTION_METAFIELD_LIMIT_BYTES}`);
  }
  return text;
}

/**
 * Errors for tiers whose members' value could pass the 10,000 bytes a Function
 * is given (long perk texts, many excluded tags), measured on the largest value
 * a member of the tier can have. Checked before the rules are saved: a value
 * too large to write would leave those members without their discount.
 */
export function checkoutSizeErrors(program: TierProgram): TierProgramErrors {
  const farFuture = new Date("2999-12-31T23:59:59.999Z");
  const errors: TierProgramErrors = {};
  program.tiers.forEach((tier, index) => {
    const value = membershipValue(program, tier, { downgradeOn: farFuture }, { netSpendMinor: 0, orders: 0, oldestCountedAt: farFuture }, "USD", farFuture);
    value.nextEvaluation = farFuture.toISOString();
    if (value.progress) value.progress = { ...value.progress, spendNeededMinor: Number.MAX_SAFE_INTEGER, ordersNeeded: Number.MAX_SAFE_INTEGER };
    if (value.review) value.review = { ...value.review, spendToKeepMinor: Number.MAX_SAFE_INTEGER, ordersToKeep: Number.MAX_SAFE_INTEGER };
    const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
    if (bytes > FUNCTION_METAFIELD_LIMIT_BYTES) errors[`tiers.${index}.perks.notes`] = { key: "tiers.errors.tooLargeForCheckout", vars: { bytes, max: FUNCTION_METAFIELD_LIMIT_BYTES } };
  });
  return errors;
}
