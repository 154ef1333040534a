// `tagsAdd` / `tagsRemove`. Shopify takes a list or one comma-separated string,
// and treats tags case-insensitively.
import type { SimCustomer } from "../state";
import { NotImplemented, parseGid, type FieldResolver, type ResolverContext } from "./common";
import { findNode } from "./nodes";

/** Tagged records the simulator keeps, by gid type. Shopify also tags orders and draft orders. */
const TAGGABLE: Record<string, (id: string, context: ResolverContext) => Pick<SimCustomer, "tags" | "updatedAt"> | undefined> = {
  Customer: (id, { shop }) => shop.customers.get(id),
};

function changeTags({ id, tags }: { id: string; tags: string[] }, context: ResolverContext, change: (current: string[], given: string[]) => string[]) {
  const { type, id: numericId } = parseGid(id);
  const find = TAGGABLE[type];
  if (!find) throw new NotImplemented(`tags on ${type}`);
  const record = find(numericId, context);
  if (!record) return { node: null, userErrors: [{ field: ["id"], message: "Resource does not exist" }] };
  const given = tags.flatMap((tag) => tag.split(",")).map((tag) => tag.trim()).filter(Boolean);
  const next = change(record.tags, given).sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
  if (next.join(",") !== record.tags.join(",")) {
    record.tags = next;
    record.updatedAt = context.state.now();
  }
  return { node: findNode(id, context), userErrors: [] };
}

const sameTag = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const tagMutations: Record<string, FieldResolver> = {
  tagsAdd: (args, context) => changeTags(args, context, (current, given) => given.reduce((all, tag) => (all.some((kept) => sameTag(kept, tag)) ? all : [...all, tag]), current)),
  tagsRemove: (args, context) => changeTags(args, context, (current, given) => current.filter((tag) => !given.some((removed) => sameTag(removed, tag)))),
};
