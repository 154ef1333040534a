import { orderNetMinor } from "~/domain/member-facts";
import { evaluateMember, qualifyingTotals } from "~/domain/tiers";
import { factInputs } from "~/models/orders.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";
import { applyTierDecisions, getTierProgram, memberTierStates } from "~/models/tiers.server";

/**
 * Places the given members by the shop's tier program, from their stored
 * orders and refunds. After order events (`sweep: false`) this only upgrades;
 * the daily sweep (`sweep: true`) also warns and, after the grace period,
 * downgrades. A shop without a program is left alone.
 */
export async function evaluateTiers(shop: string, customerShopifyIds: Iterable<string>, now: Date, { sweep }: { sweep: boolean }) {
  const program = await getTierProgram(shop);
  if (!program) return [];
  const applied = [];
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    const [inputs, states] = await Promise.all([factInputs(shop, ids), memberTierStates(shop, ids)]);
    const decisions = [...inputs].map(([customerShopifyId, { orders, refunds }]) => {
      const refunded = new Map<string, number>();
      for (const refund of refunds) refunded.set(refund.orderShopifyId, (refunded.get(refund.orderShopifyId) ?? 0) + refund.amountMinor);
      const totals = qualifyingTotals(
        program,
        orders.map((order) => ({ processedAt: order.processedAt, netMinor: orderNetMinor(order, refunded.get(order.shopifyId) ?? 0) })),
        now,
      );
      const state = states.get(customerShopifyId) ?? { tierHandle: null, downgradeOn: null, pinnedHandle: null, pinnedUntil: null };
      return { customerShopifyId, decision: evaluateMember(program, state, totals, now, { sweep }) };
    });
    await applyTierDecisions(shop, decisions, now);
    applied.push(...decisions.filter(({ decision }) => decision.action !== "keep"));
  }
  return applied;
}
