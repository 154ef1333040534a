// Customer segments: `segmentCreate` and `segmentUpdate`, with unique names and
// the part of ShopifyQL's segment syntax the simulator understands
// (`customer_tags CONTAINS '<tag>'`); anything else fails loudly.
import type { SimSegment } from "../state";
import { gid, NotImplemented, parseGid, type FieldResolver, type ResolverContext } from "./common";

const TAG_CONDITION = /^customer_tags CONTAINS '([^']+)'$/;

function segmentObject(segment: SimSegment) {
  return { __typename: "Segment", id: gid("Segment", segment.id), name: segment.name, query: segment.query, creationDate: segment.createdAt, lastEditDate: segment.updatedAt };
}

function problems({ shop }: ResolverContext, name: string | null | undefined, query: string | null | undefined, id?: string) {
  const errors: Array<{ field: string[]; message: string }> = [];
  if (name != null && [...shop.segments.values()].some((segment) => segment.name === name && segment.id !== id)) errors.push({ field: ["name"], message: "Name has already been taken" });
  if (query != null && !TAG_CONDITION.test(query)) throw new NotImplemented(`the segment query "${query}"`);
  return errors;
}

export const segmentMutations: Record<string, FieldResolver> = {
  segmentCreate: ({ name, query }: { name: string; query: string }, context) => {
    const userErrors = problems(context, name, query);
    if (userErrors.length > 0) return { segment: null, userErrors };
    const now = context.state.now();
    const segment: SimSegment = { id: context.state.newId(), name, query, createdAt: now, updatedAt: now };
    context.shop.segments.set(segment.id, segment);
    return { segment: segmentObject(segment), userErrors: [] };
  },
  segmentUpdate: ({ id, name, query }: { id: string; name?: string | null; query?: string | null }, context) => {
    const segment = context.shop.segments.get(parseGid(id).id);
    if (!segment) return { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
    const userErrors = problems(context, name, query, segment.id);
    if (userErrors.length > 0) return { segment: null, userErrors };
    Object.assign(segment, { ...(name != null ? { name } : {}), ...(query != null ? { query } : {}), updatedAt: context.state.now() });
    return { segment: segmentObject(segment), userErrors: [] };
  },
};
