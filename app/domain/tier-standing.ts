// Why a member is in their tier (issue 20), as the member page answers it:
// what counts in the program's window (net spend and orders the purchase
// ledger counts), each tier's thresholds against it (a ladder), when the
// standing is next reviewed, what keeps the current tier ("$42 more by
// 12 March keeps Gold") and what reaches the next one. Pure: the caller passes
// the member's ledger orders, their stored tier and the time; the same rules
// as app/domain/tiers.ts decide (meets, qualifyingTotals, toKeep, ...).
import {
  byRank,
  lastDayToKeep,
  meets,
  memberReviewDate,
  nextEvaluation,
  progressToNext,
  qualifyingTotals,
  toKeep,
  windowStart,
  withLifetimeFloor,
  type QualifyingOrder,
  type TierProgram,
  type TierRule,
  type Totals,
} from "./tiers";

export interface LadderStep {
  tier: TierRule;
  /** The member's totals meet this tier's thresholds. */
  met: boolean;
  /** Still missing for this tier (null: not a criterion, or already met). */
  spendShortMinor: number | null;
  ordersShort: number | null;
  /** The tier the member holds. */
  current: boolean;
}

export interface KeepTier {
  tier: TierRule;
  /**
   * The last day (shop's zone, YYYY-MM-DD) on which what the member does still
   * counts: the announced review's last day while under review, else the day
   * before the order that would take them below the tier leaves the window.
   */
  by: string;
  spendMinor: number | null;
  orders: number | null;
  /** A downgrade is announced: this is what the member was told. */
  underReview: boolean;
}

export interface TierStanding {
  windowStart: Date | null;
  totals: Totals;
  /** Lowest tier first. */
  ladder: LadderStep[];
  /** The tier the totals qualify for now (may differ from the held one: a pin, a pending review). */
  qualified: TierRule;
  current: TierRule | null;
  /** When the member's standing is next looked at (the shopper is told the same date); null: never (lifetime, entry tier). */
  nextReview: Date | null;
  /** What keeps the held tier through the next review; null: nothing to keep (entry tier, lifetime program) or it is kept whatever happens before the next review. */
  keep: KeepTier | null;
  /** What reaches the next tier up, counted now; null at the top. */
  reach: { tier: TierRule; spendMinor: number | null; orders: number | null } | null;
}

export interface StandingInput {
  program: TierProgram;
  orders: QualifyingOrder[];
  tierHandle: string | null;
  downgradeOn: Date | null;
  /** Shopify's lifetime totals where the app cannot read the whole history (null otherwise). */
  lifetimeFloor?: { netSpendMinor: number | null; orders: number | null } | null;
  now: Date;
}

const addMonths = (date: Date, months: number) => {
  const moved = new Date(date.getTime());
  moved.setUTCMonth(moved.getUTCMonth() + months);
  return moved;
};

export function tierStanding({ program, orders, tierHandle, downgradeOn, lifetimeFloor, now }: StandingInput): TierStanding {
  const tiers = byRank(program.tiers);
  const own = qualifyingTotals(program, orders, now);
  const totals = lifetimeFloor ? withLifetimeFloor(own, lifetimeFloor) : own;
  const current = tiers.find((tier) => tier.handle === tierHandle) ?? null;
  const qualified = tiers.filter((tier) => meets(tier, totals)).at(-1) ?? tiers[0];
  const ladder = tiers.map((tier) => ({ tier, met: meets(tier, totals), ...shortOf(tier, totals), current: tier.handle === current?.handle }));
  const held = current ?? qualified;
  const progress = progressToNext(program, held, totals);
  const reach = progress.next ? { tier: progress.next, spendMinor: progress.spendNeededMinor || null, orders: progress.ordersNeeded || null } : null;
  return {
    windowStart: windowStart(program, now),
    totals,
    ladder,
    qualified,
    current,
    nextReview: downgradeOn ?? memberReviewDate(program, held, totals, now),
    keep: current ? keepFor(program, current, orders, totals, downgradeOn, now) : null,
    reach,
  };
}

function shortOf(tier: TierRule, totals: Totals) {
  const kept = toKeep(tier, totals);
  return meets(tier, totals) ? { spendShortMinor: null, ordersShort: null } : { spendShortMinor: kept.spendToKeepMinor, ordersShort: kept.ordersToKeep };
}

function keepFor(program: TierProgram, tier: TierRule, orders: QualifyingOrder[], totals: Totals, downgradeOn: Date | null, now: Date): KeepTier | null {
  const entry = byRank(program.tiers)[0];
  if (tier.handle === entry.handle) return null;
  // Under review: what the member was told, by the announced last day.
  if (downgradeOn) return { tier, by: lastDayToKeep(program, downgradeOn), ...keepAmounts(tier, totals), underReview: true };
  if (program.window.kind === "lifetime") return null;
  if (program.window.kind === "calendarYear") {
    // The year's totals decide at its end: what is still missing by then.
    if (meets(tier, totals)) return null;
    return { tier, by: lastDayToKeep(program, nextEvaluation(program, now)), ...keepAmounts(tier, totals), underReview: false };
  }
  // Rolling window: walk the counted orders as they leave the window, oldest
  // first; the first departure that leaves the member below the tier is the
  // day to beat, and what is then missing has to be bought before it (an order
  // placed before then is still inside the window on that day).
  const start = windowStart(program, now);
  const counted = orders
    .filter((order) => (order.countsAsPurchase ?? order.netMinor > 0) && order.processedAt <= now && (!start || order.processedAt >= start))
    .sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime());
  for (let i = 0; i < counted.length; i++) {
    const leaves = addMonths(counted[i].processedAt, program.window.months);
    // Orders at the same instant leave together.
    if (i + 1 < counted.length && counted[i + 1].processedAt.getTime() === counted[i].processedAt.getTime()) continue;
    const remaining = counted.slice(i + 1);
    const after: Totals = { netSpendMinor: remaining.reduce((sum, order) => sum + order.netMinor, 0), orders: remaining.length };
    if (!meets(tier, after)) return { tier, by: lastDayToKeep(program, leaves), ...keepAmounts(tier, after), underReview: false };
  }
  return null;
}

function keepAmounts(tier: TierRule, totals: Totals) {
  const kept = toKeep(tier, totals);
  return { spendMinor: kept.spendToKeepMinor, orders: kept.ordersToKeep };
}
