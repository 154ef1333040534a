// `node` and `nodes`: any object by its global id, for the types the simulator keeps.
import { findCustomer } from "./customers";
import { findCodeDiscountNode } from "./code-discounts";
import { findDiscountNode } from "./discounts";
import { findOrder } from "./orders";
import { NotImplemented, parseGid, type FieldResolver, type ResolverContext } from "./common";

const LOADERS: Record<string, (id: string, context: ResolverContext) => object | null> = {
  Customer: findCustomer,
  Order: findOrder,
  DiscountAutomaticNode: findDiscountNode,
  DiscountCodeNode: findCodeDiscountNode,
};

/** The object a gid names, or null when it does not exist; an unsimulated type fails loudly. */
export function findNode(id: string, context: ResolverContext): object | null {
  const { type, id: numericId } = parseGid(id);
  const load = LOADERS[type];
  if (!load) throw new NotImplemented(`${type} objects (${id})`);
  return load(numericId, context);
}

export const nodeQueries: Record<string, FieldResolver> = {
  node: ({ id }: { id: string }, context) => findNode(id, context),
  nodes: ({ ids }: { ids: string[] }, context) => ids.map((id) => findNode(id, context)),
};
