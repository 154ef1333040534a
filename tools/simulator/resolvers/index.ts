// The simulated Admin API's root fields. A later resource adds its module and
// spreads its table in here.
import { appQueries } from "./app";
import { bulkOperationResolvers, type BulkRuntime } from "./bulk-operations";
import { codeDiscountMutations, codeDiscountQueries } from "./code-discounts";
import type { FieldResolver } from "./common";
import { consentMutations } from "./consent";
import { customerQueries } from "./customers";
import { discountMutations } from "./discounts";
import { flowMutations } from "./flow";
import { locationQueries } from "./locations";
import { metafieldMutations } from "./metafields";
import { nodeQueries } from "./nodes";
import { orderMutations, orderQueries } from "./orders";
import { segmentMutations } from "./segments";
import { shopQueries } from "./shop";
import { tagMutations } from "./tags";

export interface Roots {
  queryRoot: Record<string, FieldResolver>;
  mutationRoot: Record<string, FieldResolver>;
}

/** One simulator's roots: bulk operations need its schema, clock and address. */
export function createRoots(bulk: Omit<BulkRuntime, "queryRoot">): Roots {
  const queryRoot: Record<string, FieldResolver> = { ...shopQueries, ...appQueries, ...customerQueries, ...orderQueries, ...codeDiscountQueries, ...nodeQueries, ...locationQueries };
  const bulkOperations = bulkOperationResolvers({ ...bulk, queryRoot });
  Object.assign(queryRoot, bulkOperations.queries);
  return { queryRoot, mutationRoot: { ...metafieldMutations, ...tagMutations, ...segmentMutations, ...discountMutations, ...codeDiscountMutations, ...flowMutations, ...consentMutations, ...orderMutations, ...bulkOperations.mutations } };
}

export { NotImplemented, ShopifyError, type ResolverContext } from "./common";
