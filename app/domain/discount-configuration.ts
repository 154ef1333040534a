/**
 * The configuration MemberCare keeps on its automatic app discount, in the
 * metafield `$app:function-configuration` (json). Shopify passes it to the
 * member-discount Function twice: as the input query's variables (so the query
 * can ask each cart line `hasTags(tags: $excludedProductTags)`), and as the
 * discount's own metafield. Pure; written by the app, read by the Function.
 *
 * The member's own tier, percent, scope and excluded tags come from the
 * customer's `$app:membership` value (app/domain/membership.ts); this document
 * only names every tag any tier excludes, since an input query cannot be built
 * per member.
 */
import { collectionGid, type TierProgram } from "./tiers";

export const FUNCTION_CONFIGURATION_NAMESPACE = "$app";
export const FUNCTION_CONFIGURATION_KEY = "function-configuration";
export const FUNCTION_CONFIGURATION_VERSION = 1;

export interface FunctionConfiguration {
  v: number;
  /** Every product tag some tier excludes, sorted, without repeats (the input query's `$excludedProductTags`). */
  excludedProductTags: string[];
  /**
   * Every collection some tier excludes (GIDs, sorted, without repeats: the
   * input query's `$excludedCollectionIds`), only when there are some, so a
   * shop without them keeps the configuration it had. Excluded products need
   * no variable: every line's product id is in the input.
   */
  excludedCollectionIds?: string[];
}

export function functionConfiguration(program: Pick<TierProgram, "tiers">): FunctionConfiguration {
  const tags = new Set(program.tiers.flatMap((tier) => tier.perks.excludedProductTags.map((tag) => tag.trim()).filter(Boolean)));
  const collections = new Set(program.tiers.flatMap((tier) => (tier.perks.excludedCollections ?? []).map((collection) => collectionGid(collection.id))));
  return { v: FUNCTION_CONFIGURATION_VERSION, excludedProductTags: [...tags].sort(), ...(collections.size ? { excludedCollectionIds: [...collections].sort() } : {}) };
}
