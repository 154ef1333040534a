import { orderNetMinor } from "~/domain/member-facts";
import { evaluateMember, qualifyingTotals, sweepDue } from "~/domain/tiers";
import { factInputs } from "~/models/orders.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";
import { applyTierDecisions, getTierProgram, claimSweep, listTierPrograms, memberTierStates, tieredMembers } from "~/models/tiers.server";
import type { Clock } from "./clock.server";

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

export interface SweepSummary {
  shop: string;
  members: number;
  warned: number;
  downgraded: number;
  cleared: number;
}

/** The downgrade sweep of one shop's members, now (the caller holds the sweep's claim). */
export async function sweepShop(shop: string, now: Date): Promise<SweepSummary> {
  const members = await tieredMembers(shop);
  const changed = await evaluateTiers(shop, members, now, { sweep: true });
  const count = (action: string) => changed.filter(({ decision }) => decision.action === action).length;
  return { shop, members: members.length, warned: count("warn"), downgraded: count("downgrade"), cleared: count("clearWarning") };
}

/** Sweeps every shop whose evaluation is due (daily, or at the year's end). */
export async function sweepDueShops(now: Date): Promise<SweepSummary[]> {
  const summaries: SweepSummary[] = [];
  for (const { shop, lastSweptAt, program } of await listTierPrograms()) {
    if (sweepDue(program, lastSweptAt, now) && (await claimSweep(shop, lastSweptAt, now))) summaries.push(await sweepShop(shop, now));
  }
  return summaries;
}

/** Looks for due sweeps every `intervalMs` (the embedded default runs this in the web process). */
export function startTierSweeper({ clock, intervalMs = 15 * 60_000, log }: { clock: Clock; intervalMs?: number; log?: (message: string) => void }) {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = sweepDueShops(clock.now()).catch((error) => log?.(`tier sweep: ${(error as Error).message}`));
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
