// The simulated Admin API's root fields. A later resource (orders, bulk
// operations, discounts) adds its module and spreads its table in here.
import type { FieldResolver } from "./common";
import { customerQueries } from "./customers";
import { metafieldMutations } from "./metafields";
import { nodeQueries } from "./nodes";
import { shopQueries } from "./shop";
import { tagMutations } from "./tags";

export const queryRoot: Record<string, FieldResolver> = { ...shopQueries, ...customerQueries, ...nodeQueries };
export const mutationRoot: Record<string, FieldResolver> = { ...metafieldMutations, ...tagMutations };

export { NotImplemented, ShopifyError, type ResolverContext } from "./common";
