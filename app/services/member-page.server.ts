// What the member page shows beyond the tier: the member's classification with
// what it is computed from (so the page can explain each score), their file,
// and their timeline.
import { rfmValues } from "~/domain/intelligence";
import { getCustomerFile } from "~/models/customer-file.server";
import { getIntelligenceContext, memberClassification } from "~/models/intelligence.server";
import { memberTimeline, standingInputsOf, type QualifyingWindow } from "~/models/members.server";
import { factInputs } from "~/models/orders.server";
import { getTierContext } from "~/models/tiers.server";
import { tierStanding, type TierStanding } from "~/domain/tier-standing";
import { windowStart, type TierProgram } from "~/domain/tiers";

export async function memberInsight(shop: string, customerShopifyId: string, now: Date) {
  const [classification, context, inputs, file, timeline] = await Promise.all([
    memberClassification(shop, customerShopifyId),
    getIntelligenceContext(shop),
    factInputs(shop, [customerShopifyId]),
    getCustomerFile(shop, customerShopifyId, now),
    memberTimeline(shop, customerShopifyId),
  ]);
  const own = inputs.get(customerShopifyId) ?? [];
  return {
    classification,
    // The window's figures behind the RFM scores, as the nightly run saw them.
    rfm: rfmValues(own, now, context.settings.rfm),
    settings: context.settings,
    file,
    timeline,
  };
}

/**
 * The window the shop's tiers are decided in, as the members list counts it
 * (the same start, end and lifetime floor the tier evaluation uses); without a
 * program, the whole history.
 */
export async function qualifyingWindowOf(shop: string, now: Date): Promise<{ window: QualifyingWindow; program: TierProgram | null }> {
  const context = await getTierContext(shop);
  if (!context) return { window: { start: null, end: now, lifetimeFloor: false }, program: null };
  return { window: { start: windowStart(context.program, now), end: now, lifetimeFloor: context.historySource === "customerTotals" }, program: context.program };
}

/** Why the member is in their tier (app/domain/tier-standing.ts); null without a program. */
export async function memberStanding(shop: string, customerShopifyId: string, now: Date): Promise<TierStanding | null> {
  const context = await getTierContext(shop);
  if (!context) return null;
  const inputs = await standingInputsOf(shop, customerShopifyId);
  return tierStanding({
    program: context.program,
    orders: inputs.orders,
    tierHandle: inputs.tierHandle,
    downgradeOn: inputs.downgradeOn,
    lifetimeFloor: context.historySource === "customerTotals" ? inputs.lifetime : null,
    now,
  });
}
