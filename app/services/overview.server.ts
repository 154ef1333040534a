/**
 * The Overview's KPIs (issue 20) for the last `days` days of the shop's
 * calendar (today included): the period's buyers and tier moves, and the
 * Results of the flows and campaigns exposed in it, by Results' own
 * computation (resultsOverview), put together by app/domain/program-kpis.ts.
 */
import { localParts, localMidnight } from "~/domain/local-time";
import { programKpis, type KpiPeriod, type ProgramKpis } from "~/domain/program-kpis";
import { periodBuyers, tierMoves } from "~/models/program-kpis.server";
import { getTierProgram } from "~/models/tiers.server";
import { resultsOverview } from "./results.server";

/** The first instant of the day `days - 1` days before today in `timeZone`: the last `days` days, today included. */
export function periodStart(now: Date, days: number, timeZone: string): Date {
  const today = localParts(now.getTime(), timeZone);
  return localMidnight(today.year, today.month, today.day - (days - 1), timeZone);
}

export async function programOverview(shop: string, days: KpiPeriod, now: Date, timeZone: string): Promise<ProgramKpis & { from: Date; to: Date }> {
  const from = periodStart(now, days, timeZone);
  const [buyers, moves, activities, program] = await Promise.all([periodBuyers(shop, from, now), tierMoves(shop, from, now), resultsOverview(shop, now, undefined, from), getTierProgram(shop)]);
  const tierOrder = [...(program?.tiers ?? [])].sort((a, b) => a.rank - b.rank).map((tier) => tier.handle);
  return { ...programKpis({ buyers, tierOrder, moves, activities }), from, to: now };
}
