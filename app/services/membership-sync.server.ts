import { CREATE_TIER_SEGMENT, ADD_CUSTOMER_TAGS, REMOVE_CUSTOMER_TAGS, SET_MEMBERSHIP_METAFIELDS, UPDATE_TIER_SEGMENT } from "~/graphql/membership";
import { announcedReview } from "~/domain/membership";
import { tierTag } from "~/domain/tiers";
import { recordWarningReached } from "~/models/tier-warnings.server";
import {
  getTierContext,
  markMembershipRejected,
  markMembershipsSynced,
  markTagSynced,
  saveSegmentIds,
  unsyncedMemberships,
  unsyncedTags,
} from "~/models/tiers.server";
import type { AdminClient } from "./admin-client.server";
import { newPacer, send, type PassResult } from "./paced-send.server";

/**
 * Writes members' tier state to Shopify: the `$app:membership` customer
 * metafield (the document checkout reads), and the tier tag when the program
 * keeps tags. Only values that changed are written, 25 to a `metafieldsSet`
 * call (Shopify's maximum). The pass paces itself by the cost extension of each
 * answer: when the bucket cannot pay for the next call it stops and says when
 * to resume, so the outbox puts the effect off instead of hammering Shopify.
 */
export const METAFIELDS_PER_SET = 25;
/** Calls per pass, so one large shop does not hold a worker forever. */
const CALLS_PER_PASS = 40;

const customerGid = (id: string) => `gid://shopify/Customer/${id}`;

interface MetafieldsSetData {
  metafieldsSet: { userErrors: Array<{ field: string[] | null; message: string; code: string | null; elementIndex: number | null }> };
}

export async function syncMemberships(shop: string, client: AdminClient, now: Date): Promise<PassResult> {
  const pacer = newPacer(shop, now);
  let written = 0;
  for (;;) {
    if (pacer.calls >= CALLS_PER_PASS) return { status: "later", at: now, written, reason: "more members to write" };
    const batch = await unsyncedMemberships(shop, METAFIELDS_PER_SET);
    if (batch.length === 0) break;
    const result = await send<MetafieldsSetData>(client, pacer, SET_MEMBERSHIP_METAFIELDS, {
      metafields: batch.map((row) => ({ ownerId: customerGid(row.customerShopifyId), namespace: "$app", key: "membership", type: "json", value: row.membershipValue })),
    });
    if ("waitMs" in result) return { status: "later", at: new Date(now.getTime() + result.waitMs), written, reason: result.reason };
    const errors = result.answer.data?.metafieldsSet.userErrors ?? [];
    if (errors.length > 0) {
      // metafieldsSet is atomic: nothing was written. Members named by an error
      // are set aside with its message; the rest go again in the next call.
      const named = errors.filter((error) => error.elementIndex !== null && batch[error.elementIndex]);
      if (named.length === 0) throw new Error(`metafieldsSet refused the batch: ${errors.map((error) => error.message).join("; ")}`);
      for (const error of named) {
        const row = batch[error.elementIndex!];
        await markMembershipRejected(shop, row.customerShopifyId, row.membershipValue, error.message);
      }
      continue;
    }
    await markMembershipsSynced(shop, batch);
    // Shopify now shows these members their review on the account, thank-you
    // and order-status pages: the warning has reached them (ADR 0011).
    const reviewed = batch.filter((row) => announcedReview(row.membershipValue) !== null).map((row) => row.customerShopifyId);
    if (reviewed.length > 0) await recordWarningReached(shop, reviewed, "account", now);
    written += batch.length;
  }

  // Tags, one member at a time (tagsAdd takes one owner).
  for (;;) {
    const batch = await unsyncedTags(shop, METAFIELDS_PER_SET);
    if (batch.length === 0) return { status: "done", written };
    for (const row of batch) {
      if (pacer.calls >= CALLS_PER_PASS) return { status: "later", at: now, written, reason: "more tags to write" };
      const steps: Array<[string, string]> = [];
      if (row.syncedTag) steps.push([REMOVE_CUSTOMER_TAGS, row.syncedTag]);
      if (row.tierTag) steps.push([ADD_CUSTOMER_TAGS, row.tierTag]);
      for (const [mutation, tag] of steps) {
        const result = await send<Record<string, { userErrors: Array<{ message: string }> }>>(client, pacer, mutation, { id: customerGid(row.customerShopifyId), tags: [tag] });
        if ("waitMs" in result) return { status: "later", at: new Date(now.getTime() + result.waitMs), written, reason: result.reason };
        const errors = Object.values(result.answer.data ?? {})[0]?.userErrors ?? [];
        if (errors.length > 0) throw new Error(`tag ${tag} for customer ${row.customerShopifyId}: ${errors.map((error) => error.message).join("; ")}`);
      }
      await markTagSynced(shop, row.customerShopifyId, row.tierTag);
    }
  }
}

interface SegmentData {
  [field: string]: { segment: { id: string } | null; userErrors: Array<{ message: string }> };
}

/** One Shopify customer segment per tier (by its tag), so merchants can use Shopify's own marketing tools. */
export async function syncSegments(shop: string, client: AdminClient, now: Date): Promise<PassResult> {
  const context = await getTierContext(shop);
  if (!context?.program.tierSegments) return { status: "done", written: 0 };
  const pacer = newPacer(shop, now);
  const ids = { ...context.segmentIds };
  let written = 0;
  for (const tier of context.program.tiers) {
    const variables = { name: `MemberCare: ${tier.name.en}`, query: `customer_tags CONTAINS '${tierTag(tier)}'` };
    const existing = ids[tier.handle];
    const result = await send<SegmentData>(client, pacer, existing ? UPDATE_TIER_SEGMENT : CREATE_TIER_SEGMENT, existing ? { id: existing, ...variables } : variables);
    if ("waitMs" in result) {
      await saveSegmentIds(shop, ids);
      return { status: "later", at: new Date(now.getTime() + result.waitMs), written, reason: result.reason };
    }
    const payload = Object.values(result.answer.data ?? {})[0];
    if (!payload?.segment) throw new Error(`segment for ${tier.name.en}: ${payload?.userErrors.map((error) => error.message).join("; ") ?? "no answer"}`);
    ids[tier.handle] = payload.segment.id;
    written++;
  }
  await saveSegmentIds(shop, ids);
  return { status: "done", written };
}
