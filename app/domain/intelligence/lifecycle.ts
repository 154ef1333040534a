/**
 * Lifecycle stage: where a customer is in their relationship with the shop at
 * `now`, from member facts, the first delivery and their cadence
 * (./cadence.ts: `intervalDays`, the prior for a one-order customer).
 *
 * Stages, each holding from the instant named on (thresholds inclusive):
 * - prospect: no counted order (signed up only, or every order cancelled or refunded);
 * - new: one counted order, not yet delivered, for at most `deliveryWaitDays`
 *   (30) after it (without tracking the wait ends there);
 * - honeymoon: one counted order, from its delivery (or the end of the wait)
 *   for `honeymoonDays` (21): when the care flows check in;
 * - active: ordered within their cadence;
 * - at risk: overdue against their own cadence, from last order +
 *   `atRiskFactor` (1.5) x interval;
 * - dormant ("sleeping"): from last order + `dormantFactor` (3) x interval or
 *   `dormantDays` (180), whichever comes first, but never before at risk;
 * - lost: from `lostDays` (365) without an order, whatever the cadence (the
 *   customer has also left the RFM window).
 *
 * Every later threshold is at least the earlier one, and all are capped at
 * lost, so the stages only move forward as time passes (an order moves them
 * back); a stage whose span is empty is skipped. Examples with the defaults,
 * days after the last order:
 *
 *   interval   at risk   dormant   lost
 *   20         30        60        365
 *   60         90        180       365
 *   90         135       180       365
 *   150        225       225       365   (at risk skipped: dormant at 225)
 *   300        365       365       365   (active until lost)
 *
 * A second order ends new and honeymoon at once: the customer is a repeat buyer.
 * `nextStageChange` says when the stage changes next without a new order, so
 * a nightly job (or a test moving the clock) knows whom to look at.
 */
import { DEFAULT_INTELLIGENCE_SETTINGS, type LifecycleSettings } from "./settings";
import { DAY_MS, text, wholeDaysBetween, type IntelText } from "./shared";

export const LIFECYCLE_STAGES = ["prospect", "new", "honeymoon", "active", "atRisk", "dormant", "lost"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export interface LifecycleFacts {
  orderCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** When the first counted order was delivered (its first delivered fulfillment); null if not (yet) known. */
  firstDeliveredAt: Date | null;
  /** The customer's typical interval, days (from cadence). */
  intervalDays: number;
}

/** The instants at which the stage changes, ms since the epoch (null where a stage does not apply). */
export interface LifecycleThresholds {
  /** One-order customers only: new until, honeymoon until. */
  newUntil: number | null;
  honeymoonUntil: number | null;
  atRiskFrom: number;
  dormantFrom: number;
  lostFrom: number;
}

export function lifecycleThresholds(facts: LifecycleFacts, settings: LifecycleSettings = DEFAULT_INTELLIGENCE_SETTINGS.lifecycle): LifecycleThresholds | null {
  if (facts.orderCount <= 0 || !facts.lastOrderAt) return null;
  const last = +facts.lastOrderAt;
  const interval = Math.max(0, facts.intervalDays);
  const lostDays = settings.lostDays;
  const atRiskDays = Math.min(settings.atRiskFactor * interval, lostDays);
  const dormantDays = Math.min(Math.max(atRiskDays, Math.min(settings.dormantFactor * interval, settings.dormantDays)), lostDays);
  let newUntil: number | null = null;
  let honeymoonUntil: number | null = null;
  if (facts.orderCount === 1) {
    const first = +(facts.firstOrderAt ?? facts.lastOrderAt);
    const waitEnds = first + settings.deliveryWaitDays * DAY_MS;
    const delivered = facts.firstDeliveredAt ? Math.max(first, +facts.firstDeliveredAt) : Infinity;
    newUntil = Math.min(delivered, waitEnds);
    honeymoonUntil = newUntil + settings.honeymoonDays * DAY_MS;
  }
  return { newUntil, honeymoonUntil, atRiskFrom: last + atRiskDays * DAY_MS, dormantFrom: last + dormantDays * DAY_MS, lostFrom: last + lostDays * DAY_MS };
}

function stageFrom(thresholds: LifecycleThresholds | null, t: number): LifecycleStage {
  if (!thresholds) return "prospect";
  if (t >= thresholds.lostFrom) return "lost";
  if (thresholds.newUntil !== null && t < thresholds.newUntil) return "new";
  if (thresholds.honeymoonUntil !== null && t < thresholds.honeymoonUntil) return "honeymoon";
  if (t >= thresholds.dormantFrom) return "dormant";
  if (t >= thresholds.atRiskFrom) return "atRisk";
  return "active";
}

export function lifecycleStage(facts: LifecycleFacts, now: Date, settings: LifecycleSettings = DEFAULT_INTELLIGENCE_SETTINGS.lifecycle): LifecycleStage {
  return stageFrom(lifecycleThresholds(facts, settings), +now);
}

/**
 * The next time the stage changes if no order comes in, and the stage from
 * then on; null when nothing but an order can change it (prospect, lost).
 */
export function nextStageChange(facts: LifecycleFacts, now: Date, settings: LifecycleSettings = DEFAULT_INTELLIGENCE_SETTINGS.lifecycle): { at: Date; stage: LifecycleStage } | null {
  const thresholds = lifecycleThresholds(facts, settings);
  if (!thresholds) return null;
  const current = stageFrom(thresholds, +now);
  const candidates = [thresholds.newUntil, thresholds.honeymoonUntil, thresholds.atRiskFrom, thresholds.dormantFrom, thresholds.lostFrom]
    .filter((t): t is number => t !== null && Number.isFinite(t) && t > +now)
    .sort((a, b) => a - b);
  for (const t of candidates) {
    const stage = stageFrom(thresholds, t);
    if (stage !== current) return { at: new Date(t), stage };
  }
  return null;
}

export function stageName(stage: LifecycleStage): IntelText {
  return text(`intel.lifecycle.${stage}`);
}

/** One line on what the stage means, for documenting the stages in the UI. */
export function stageDescription(stage: LifecycleStage): IntelText {
  return text(`intel.lifecycle.${stage}.description`);
}

/** Why this customer is in this stage now ("Last order 50 days ago; they usually order every 30 days"). */
export function explainLifecycle(facts: LifecycleFacts, now: Date, settings: LifecycleSettings = DEFAULT_INTELLIGENCE_SETTINGS.lifecycle): IntelText {
  const stage = lifecycleStage(facts, now, settings);
  const days = facts.lastOrderAt ? Math.max(0, wholeDaysBetween(facts.lastOrderAt, now)) : 0;
  const interval = Math.round(facts.intervalDays);
  switch (stage) {
    case "prospect":
      return text("intel.lifecycle.explain.prospect");
    case "new":
      return text("intel.lifecycle.explain.new", { days });
    case "honeymoon":
      return facts.firstDeliveredAt
        ? text("intel.lifecycle.explain.honeymoon", { days: Math.max(0, wholeDaysBetween(facts.firstDeliveredAt, now)) })
        : text("intel.lifecycle.explain.honeymoonUntracked", { days });
    case "active":
      return text("intel.lifecycle.explain.active", { days, interval });
    case "atRisk":
      return text("intel.lifecycle.explain.atRisk", { days, interval });
    case "dormant":
      return text("intel.lifecycle.explain.dormant", { days, interval });
    case "lost":
      return text("intel.lifecycle.explain.lost", { days });
  }
}
