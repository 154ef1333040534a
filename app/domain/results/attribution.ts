/**
 * What an activity (a campaign or a care flow) earned, against its holdout
 * (issue 9). Pure: callers pass the audience, the orders and the costs.
 *
 * - **Who counts**: every audience member as assigned, contacted or held out
 *   (intention to treat). A contacted member whose message the contact policy
 *   then blocked still counts as contacted: dropping them would compare the
 *   reachable part of one group with the whole of the other.
 * - **Which orders**: a member's orders placed from their exposure (the send,
 *   or for the holdout the moment it would have gone) to the end of the
 *   window (default 7 days), net of refunds, in shop money.
 * - **Incremental revenue**: the difference in revenue per member between
 *   the groups, times the contacted group's size, with a 95% interval from
 *   Welch's standard error (normal approximation: fine at the hundreds of
 *   members a holdout of 10% gives; below 30 on either side no interval is
 *   given rather than a misleading one).
 * - **Attributed revenue** is every window order of the contacted group. It
 *   is shown beside the incremental figure and labelled as not incremental:
 *   it counts orders that would have come anyway.
 * - **ROI** = (incremental revenue − costs) / costs, costs being the member
 *   discounts on the contacted group's window orders, the messages' own cost
 *   and any rewards issued; revenue, not margin (the app does not know costs
 *   of goods).
 */

export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 7;
/** Fewer members than this on either side and no interval is shown. */
export const MIN_GROUP_FOR_INTERVAL = 30;
const Z95 = 1.959964;
const DAY_MS = 86_400_000;

export type Group = "contacted" | "holdout";

export interface AudienceMember {
  customerShopifyId: string;
  group: Group;
  exposedAt: Date;
}

export interface AttributableOrder {
  customerShopifyId: string;
  processedAt: Date;
  /** Net of refunds, shop money. */
  revenueMinor: number;
  /** The member discount on it, shop money. */
  discountMinor: number;
}

export interface GroupResult {
  members: number;
  converters: number;
  orders: number;
  revenueMinor: number;
  discountMinor: number;
  conversionRate: number;
  revenuePerMember: number;
  /** Sample variance of revenue per member (minor units squared). */
  revenueVariance: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface ActivityCosts {
  /** What the messages cost to send (per-message prices times sends), shop money. */
  messagesMinor: number;
  /** Rewards issued for the activity (issue 10's coupons and gifts), shop money. */
  rewardsMinor: number;
}

export interface ActivityResult {
  windowDays: number;
  contacted: GroupResult;
  holdout: GroupResult;
  /** Contacted minus holdout conversion rate (absolute), null without an interval. */
  conversionLift: Interval | null;
  /** Per contacted member, minor units. */
  revenuePerMemberLift: Interval | null;
  /** Over the whole contacted group, minor units. */
  incrementalRevenue: Interval | null;
  /** Every window order of the contacted group: NOT incremental. */
  attributedRevenueMinor: number;
  costsMinor: number;
  /** (incremental − costs) / costs, with the interval carried through; null when nothing cost anything or there is no interval. */
  roi: Interval | null;
}

function summarize(values: number[], converters: number, orders: number, discountMinor: number): GroupResult {
  const members = values.length;
  const revenueMinor = values.reduce((sum, v) => sum + v, 0);
  const mean = members ? revenueMinor / members : 0;
  const revenueVariance = members > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (members - 1) : 0;
  return {
    members,
    converters,
    orders,
    revenueMinor,
    discountMinor,
    conversionRate: members ? converters / members : 0,
    revenuePerMember: mean,
    revenueVariance,
  };
}

function interval(estimate: number, standardError: number): Interval {
  return { estimate, low: estimate - Z95 * standardError, high: estimate + Z95 * standardError };
}

export function attributeActivity(
  audience: AudienceMember[],
  orders: AttributableOrder[],
  costs: ActivityCosts,
  windowDays: number = DEFAULT_ATTRIBUTION_WINDOW_DAYS,
): ActivityResult {
  const byCustomer = new Map<string, AttributableOrder[]>();
  for (const order of orders) {
    const list = byCustomer.get(order.customerShopifyId);
    if (list) list.push(order);
    else byCustomer.set(order.customerShopifyId, [order]);
  }
  const windowMs = windowDays * DAY_MS;
  const acc = {
    contacted: { values: [] as number[], converters: 0, orders: 0, discount: 0 },
    holdout: { values: [] as number[], converters: 0, orders: 0, discount: 0 },
  };
  // A customer in the audience twice (two sends of one flow) counts once, from their first exposure.
  const seen = new Set<string>();
  const members = [...audience].sort((a, b) => +a.exposedAt - +b.exposedAt);
  for (const member of members) {
    if (seen.has(member.customerShopifyId)) continue;
    seen.add(member.customerShopifyId);
    const from = +member.exposedAt;
    const inWindow = (byCustomer.get(member.customerShopifyId) ?? []).filter((o) => +o.processedAt >= from && +o.processedAt < from + windowMs);
    const group = acc[member.group];
    group.values.push(inWindow.reduce((sum, o) => sum + o.revenueMinor, 0));
    group.orders += inWindow.length;
    group.discount += inWindow.reduce((sum, o) => sum + o.discountMinor, 0);
    if (inWindow.length > 0) group.converters += 1;
  }
  const contacted = summarize(acc.contacted.values, acc.contacted.converters, acc.contacted.orders, acc.contacted.discount);
  const holdout = summarize(acc.holdout.values, acc.holdout.converters, acc.holdout.orders, acc.holdout.discount);
  const costsMinor = contacted.discountMinor + costs.messagesMinor + costs.rewardsMinor;

  const enough = contacted.members >= MIN_GROUP_FOR_INTERVAL && holdout.members >= MIN_GROUP_FOR_INTERVAL;
  if (!enough) {
    return { windowDays, contacted, holdout, conversionLift: null, revenuePerMemberLift: null, incrementalRevenue: null, attributedRevenueMinor: contacted.revenueMinor, costsMinor, roi: null };
  }
  const pc = contacted.conversionRate;
  const ph = holdout.conversionRate;
  const conversionLift = interval(pc - ph, Math.sqrt((pc * (1 - pc)) / contacted.members + (ph * (1 - ph)) / holdout.members));
  const revenuePerMemberLift = interval(
    contacted.revenuePerMember - holdout.revenuePerMember,
    Math.sqrt(contacted.revenueVariance / contacted.members + holdout.revenueVariance / holdout.members),
  );
  const scale = (value: number) => value * contacted.members;
  const incrementalRevenue = { estimate: scale(revenuePerMemberLift.estimate), low: scale(revenuePerMemberLift.low), high: scale(revenuePerMemberLift.high) };
  const roiOf = (revenue: number) => (revenue - costsMinor) / costsMinor;
  const roi = costsMinor > 0 ? { estimate: roiOf(incrementalRevenue.estimate), low: roiOf(incrementalRevenue.low), high: roiOf(incrementalRevenue.high) } : null;
  return { windowDays, contacted, holdout, conversionLift, revenuePerMemberLift, incrementalRevenue, attributedRevenueMinor: contacted.revenueMinor, costsMinor, roi };
}
