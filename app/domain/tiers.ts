/**
 * Member tiers: the merchant's rules, and how a member is placed by them. Pure:
 * callers pass the member's orders and the time.
 *
 * - Qualification counts net spend (minor units, shop money) and/or orders
 *   inside the program's window: the whole history, the last N months, or the
 *   current calendar year (in the shop's time zone).
 * - Upgrades happen at once. Downgrades happen only at evaluation time (a daily
 *   sweep), and only after a grace period that starts when a warning saying how
 *   much is needed to keep the tier first reached the member (a message
 *   delivered, or the review shown on their account and checkout pages):
 *   announced but not yet seen, nobody is downgraded (docs/decisions/0011).
 *   A lifetime program never downgrades on its own; refunds and cancellations
 *   lower the totals and are re-evaluated the same way.
 * - Staff can pin a member to a tier until a date; the pin wins until then.
 */
import { z } from "zod";
import type { Locale, MessageKey, MessageVars } from "~/i18n";
import { localDate, localMidnight, localParts } from "./local-time";

export type TierWindow = { kind: "lifetime" } | { kind: "rolling"; months: number } | { kind: "calendarYear" };

export interface TierPerks {
  discountPercent: number;
  /** The whole order subtotal, or eligible products only. */
  discountScope: "subtotal" | "products";
  /** Lines of products carrying any of these tags get no discount; gift cards never do. */
  excludedProductTags: string[];
  /**
   * Products and collections chosen with the resource picker (issue 20): their
   * lines get no discount. Numeric ids with the title the picker showed;
   * programs saved before have none (read as empty).
   */
  excludedProducts?: ExcludedResource[];
  excludedCollections?: ExcludedResource[];
  freeShipping: boolean;
  birthdayGift: string | null;
  /** Free-text perks shown to the shopper. */
  notes: Array<Record<Locale, string>>;
}

export interface ExcludedResource {
  id: string;
  title: string;
}

/** At most this many excluded products and collections per tier (each becomes part of the member's checkout value). */
export const MAX_EXCLUDED_RESOURCES = 50;

/** The GID the Function compares (`gid://shopify/Product/1`), from the numeric id a tier keeps. */
export const productGid = (id: string) => `gid://shopify/Product/${id}`;
export const collectionGid = (id: string) => `gid://shopify/Collection/${id}`;

export interface TierRule {
  handle: string;
  rank: number;
  name: Record<Locale, string>;
  /** Thresholds; null means the criterion is not used. */
  minNetSpendMinor: number | null;
  minOrders: number | null;
  /** With both thresholds set: must the member meet both, or either? */
  qualifyBy: "both" | "either";
  entryGift: string | null;
  perks: TierPerks;
}

export interface TierProgram {
  tiers: TierRule[];
  window: TierWindow;
  /** Days between the downgrade warning and the downgrade itself. */
  graceDays: number;
  /** Also mirror each member's tier as a customer tag, and keep a Shopify segment per tier. */
  tierTags?: boolean;
  tierSegments?: boolean;
  /** Which other discount classes the member discount combines with at checkout. */
  combinesWith?: DiscountCombination;
  /** The shop's time zone, for calendar years. */
  timeZone: string;
}

export interface DiscountCombination {
  orderDiscounts: boolean;
  productDiscounts: boolean;
  shippingDiscounts: boolean;
}

/** Members keep their discount beside product and shipping promotions, but not beside another order discount. */
export const DEFAULT_COMBINATION: DiscountCombination = { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true };

/** An order as the purchase ledger left it (app/domain/purchase-ledger.ts): whether it counts, and its net spend. */
export interface QualifyingOrder {
  processedAt: Date;
  netMinor: number;
  /** A free order counts with no spend; without this flag, an order counts when it has spend. */
  countsAsPurchase?: boolean;
}

export interface Totals {
  netSpendMinor: number;
  orders: number;
  /** The oldest order counted; in a rolling window, when it leaves the window the member is reviewed. */
  oldestCountedAt?: Date | null;
}

// ---------------------------------------------------------- stored form

const localized = z.object({ en: z.string(), "zh-CN": z.string() });

/** The program as stored (the shop's time zone is added when it is loaded). */
export const storedProgramSchema = z.object({
  tiers: z.array(
    z.object({
      handle: z.string(),
      rank: z.number().int(),
      name: localized,
      minNetSpendMinor: z.number().int().nullable(),
      minOrders: z.number().int().nullable(),
      qualifyBy: z.enum(["both", "either"]),
      entryGift: z.string().nullable(),
      perks: z.object({
        discountPercent: z.number(),
        discountScope: z.enum(["subtotal", "products"]),
        excludedProductTags: z.array(z.string()),
        excludedProducts: z.array(z.object({ id: z.string().regex(/^\d{1,20}$/), title: z.string().max(255) })).max(MAX_EXCLUDED_RESOURCES).default([]),
        excludedCollections: z.array(z.object({ id: z.string().regex(/^\d{1,20}$/), title: z.string().max(255) })).max(MAX_EXCLUDED_RESOURCES).default([]),
        freeShipping: z.boolean(),
        birthdayGift: z.string().nullable(),
        notes: z.array(localized),
      }),
    }),
  ),
  window: z.discriminatedUnion("kind", [z.object({ kind: z.literal("lifetime") }), z.object({ kind: z.literal("rolling"), months: z.number().int() }), z.object({ kind: z.literal("calendarYear") })]),
  graceDays: z.number().int(),
  tierTags: z.boolean().default(false),
  tierSegments: z.boolean().default(false),
  combinesWith: z.object({ orderDiscounts: z.boolean(), productDiscounts: z.boolean(), shippingDiscounts: z.boolean() }).default(DEFAULT_COMBINATION),
});

// ------------------------------------------------------------ defaults

export const blankTier = (rank: number): TierRule => ({
  handle: `tier-${rank}`,
  rank,
  name: { en: "", "zh-CN": "" },
  minNetSpendMinor: null,
  minOrders: null,
  qualifyBy: "either",
  entryGift: null,
  perks: { discountPercent: 0, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] },
});

/** A starting point for a shop without tiers: a gradient that widens with rank, for the merchant to edit. */
export function starterProgram(): Omit<TierProgram, "timeZone"> {
  const tier = (handle: string, rank: number, en: string, zh: string, spend: number | null, discountPercent: number, freeShipping: boolean): TierRule => ({
    ...blankTier(rank),
    handle,
    name: { en, "zh-CN": zh },
    minNetSpendMinor: spend,
    perks: { ...blankTier(rank).perks, discountPercent, freeShipping },
  });
  return {
    tiers: [tier("member", 1, "Member", "会员", null, 0, false), tier("silver", 2, "Silver", "银卡", 20_000, 5, false), tier("gold", 3, "Gold", "金卡", 50_000, 10, true), tier("platinum", 4, "Platinum", "白金卡", 100_000, 15, true)],
    window: { kind: "rolling", months: 12 },
    graceDays: 30,
    tierTags: false,
    tierSegments: false,
    combinesWith: DEFAULT_COMBINATION,
  };
}

// ------------------------------------------------------------- validation

/** A problem with the rules, as a message the admin shows in the merchant's language. */
export interface ProgramIssue {
  key: MessageKey;
  vars?: MessageVars;
}
const issue = (key: MessageKey, vars?: MessageVars): ProgramIssue => (vars ? { key, vars } : { key });

export type TierProgramErrors = Record<string, ProgramIssue>;

/** Field errors for the Tiers editor (422); empty when the program is valid. */
/** A Shopify product tag is at most 255 characters. */
export const MAX_TAG_LENGTH = 255;
/** The Function's input query takes every excluded tag in one list variable, and Shopify caps those at 100 values. */
export const MAX_EXCLUDED_TAGS = 100;

export function validateProgram(program: TierProgram): TierProgramErrors {
  const errors: TierProgramErrors = {};
  const { tiers } = program;
  if (tiers.length < 2 || tiers.length > 8) errors.tiers = issue("tiers.errors.count");
  const handles = new Set<string>();
  const ranks = new Set<number>();
  tiers.forEach((tier, i) => {
    if (!/^[a-z0-9][a-z0-9-]{0,29}$/.test(tier.handle)) errors[`tiers.${i}.handle`] = issue("tiers.errors.handleFormat");
    else if (handles.has(tier.handle)) errors[`tiers.${i}.handle`] = issue("tiers.errors.handleTaken");
    handles.add(tier.handle);
    if (ranks.has(tier.rank)) errors[`tiers.${i}.rank`] = issue("tiers.errors.rankTaken");
    ranks.add(tier.rank);
    if (!tier.name.en.trim() || !tier.name["zh-CN"].trim()) errors[`tiers.${i}.name`] = issue("tiers.errors.name");
    if (tier.minNetSpendMinor !== null && tier.minNetSpendMinor < 0) errors[`tiers.${i}.minNetSpendMinor`] = issue("tiers.errors.negativeSpend");
    if (tier.minOrders !== null && (!Number.isInteger(tier.minOrders) || tier.minOrders < 0)) errors[`tiers.${i}.minOrders`] = issue("tiers.errors.orders");
    if (tier.perks.discountPercent < 0 || tier.perks.discountPercent > 100) errors[`tiers.${i}.perks.discountPercent`] = issue("tiers.errors.discount");
    if (tier.perks.excludedProductTags.some((tag) => tag.trim().length > MAX_TAG_LENGTH)) errors[`tiers.${i}.perks.excludedProductTags`] = issue("tiers.errors.tagLength", { max: MAX_TAG_LENGTH });
  });
  // Counted across tiers: the Function reads them all at once.
  const excluded = new Set<string>();
  tiers.forEach((tier, i) => {
    for (const tag of tier.perks.excludedProductTags) if (tag.trim()) excluded.add(tag.trim());
    if (excluded.size > MAX_EXCLUDED_TAGS && !errors[`tiers.${i}.perks.excludedProductTags`]) {
      errors[`tiers.${i}.perks.excludedProductTags`] = issue("tiers.errors.tooManyTags", { max: MAX_EXCLUDED_TAGS });
    }
  });
  const ordered = byRank(tiers);
  for (let i = 1; i < ordered.length; i++) {
    const lower = ordered[i - 1];
    const higher = ordered[i];
    const index = tiers.indexOf(higher);
    if (higher.minNetSpendMinor === null && higher.minOrders === null) {
      errors[`tiers.${index}.minNetSpendMinor`] = issue("tiers.errors.thresholdNeeded");
    } else if ((higher.minNetSpendMinor ?? Infinity) < (lower.minNetSpendMinor ?? 0) || (higher.minOrders ?? Infinity) < (lower.minOrders ?? 0)) {
      errors[`tiers.${index}.minNetSpendMinor`] = issue("tiers.errors.thresholdShrinks", { higher: higher.name.en, lower: lower.name.en });
    }
  }
  if (program.window.kind === "rolling" && (!Number.isInteger(program.window.months) || program.window.months < 1 || program.window.months > 36)) {
    errors["window.months"] = issue("tiers.errors.months");
  }
  if (!Number.isInteger(program.graceDays) || program.graceDays < 0 || program.graceDays > 365) errors.graceDays = issue("tiers.errors.grace");
  if (program.tierSegments && !program.tierTags) errors.tierSegments = issue("tiers.errors.segmentsNeedTags");
  return errors;
}

/**
 * Perks normally widen with rank. Warnings (not errors: the merchant may mean
 * it) name each place where a higher tier gets less than a lower one.
 */
export function perkGradientWarnings(program: TierProgram): ProgramIssue[] {
  const warnings: ProgramIssue[] = [];
  const ordered = byRank(program.tiers);
  for (let i = 1; i < ordered.length; i++) {
    const lower = ordered[i - 1];
    const higher = ordered[i];
    if (higher.perks.discountPercent < lower.perks.discountPercent) {
      warnings.push(issue("tiers.warnings.discount", { higher: higher.name.en, higherPercent: higher.perks.discountPercent, lower: lower.name.en, lowerPercent: lower.perks.discountPercent }));
    }
    if (lower.perks.freeShipping && !higher.perks.freeShipping) warnings.push(issue("tiers.warnings.freeShipping", { higher: higher.name.en, lower: lower.name.en }));
    if (lower.perks.birthdayGift && !higher.perks.birthdayGift) warnings.push(issue("tiers.warnings.birthdayGift", { higher: higher.name.en, lower: lower.name.en }));
  }
  return warnings;
}

// ------------------------------------------------------------ placement

export function byRank(tiers: TierRule[]): TierRule[] {
  return [...tiers].sort((a, b) => a.rank - b.rank);
}

/** The wall-clock fields of `instant` in `timeZone` (app/domain/local-time.ts does all zone arithmetic). */
const wallClock = (instant: Date, timeZone: string) => localParts(instant.getTime(), timeZone);

/** Where the window starts at `now`; null for the whole history. */
export function windowStart(program: TierProgram, now: Date): Date | null {
  const { window } = program;
  if (window.kind === "lifetime") return null;
  if (window.kind === "calendarYear") return localMidnight(wallClock(now, program.timeZone).year, 1, 1, program.timeZone);
  const start = new Date(now.getTime());
  start.setUTCMonth(start.getUTCMonth() - window.months);
  return start;
}

export function qualifyingTotals(program: TierProgram, orders: QualifyingOrder[], now: Date): Totals {
  const start = windowStart(program, now);
  const counted = orders.filter((order) => (order.countsAsPurchase ?? order.netMinor > 0) && order.processedAt <= now && (!start || order.processedAt >= start));
  const oldest = counted.reduce<Date | null>((min, order) => (!min || order.processedAt < min ? order.processedAt : min), null);
  return { netSpendMinor: counted.reduce((sum, order) => sum + order.netMinor, 0), orders: counted.length, oldestCountedAt: oldest };
}

/**
 * Without the whole order history (no read_all_orders), Shopify's lifetime
 * totals for the customer stand in where they exceed what the app can see.
 */
export function withLifetimeFloor(totals: Totals, lifetime: { netSpendMinor: number | null; orders: number | null }): Totals {
  return {
    netSpendMinor: Math.max(totals.netSpendMinor, lifetime.netSpendMinor ?? 0),
    orders: Math.max(totals.orders, lifetime.orders ?? 0),
    oldestCountedAt: totals.oldestCountedAt,
  };
}

export function meets(tier: TierRule, totals: Totals): boolean {
  const spend = tier.minNetSpendMinor === null ? null : totals.netSpendMinor >= tier.minNetSpendMinor;
  const orders = tier.minOrders === null ? null : totals.orders >= tier.minOrders;
  if (spend === null && orders === null) return true; // the entry tier
  if (spend === null) return orders!;
  if (orders === null) return spend;
  return tier.qualifyBy === "both" ? spend && orders : spend || orders;
}

/** The highest tier the totals qualify for (the lowest tier at worst). */
export function qualifiedTier(program: TierProgram, totals: Totals): TierRule {
  const ordered = byRank(program.tiers);
  return ordered.filter((tier) => meets(tier, totals)).at(-1) ?? ordered[0];
}

export interface Progress {
  next: TierRule | null;
  spendNeededMinor: number | null;
  ordersNeeded: number | null;
}

/** What the member still needs for the next tier ("$42 to Platinum"). */
export function progressToNext(program: TierProgram, current: TierRule, totals: Totals): Progress {
  const next = byRank(program.tiers).find((tier) => tier.rank > current.rank) ?? null;
  if (!next) return { next: null, spendNeededMinor: null, ordersNeeded: null };
  return {
    next,
    spendNeededMinor: next.minNetSpendMinor === null ? null : Math.max(0, next.minNetSpendMinor - totals.netSpendMinor),
    ordersNeeded: next.minOrders === null ? null : Math.max(0, next.minOrders - totals.orders),
  };
}

/** When the program is next evaluated: the daily sweep (refunds can lower even lifetime totals), or the next year's start. */
export function nextEvaluation(program: TierProgram, now: Date): Date {
  if (program.window.kind === "calendarYear") return localMidnight(wallClock(now, program.timeZone).year + 1, 1, 1, program.timeZone);
  const { year, month, day } = wallClock(now, program.timeZone);
  return localMidnight(year, month, day + 1, program.timeZone);
}

/**
 * When this member's standing is next looked at, as the shopper is told: the
 * year's end in a calendar-year program; in a rolling window, the day their
 * oldest counted order leaves the window (the entry tier has nothing to lose);
 * never in a lifetime program. Stable from day to day, so the synced value
 * changes only when something real does.
 */
export function memberReviewDate(program: TierProgram, tier: TierRule, totals: Totals, now: Date): Date | null {
  if (program.window.kind === "lifetime") return null;
  if (program.window.kind === "calendarYear") return nextEvaluation(program, now);
  if (tier.rank === byRank(program.tiers)[0].rank || !totals.oldestCountedAt) return null;
  const leaves = new Date(totals.oldestCountedAt.getTime());
  leaves.setUTCMonth(leaves.getUTCMonth() + program.window.months);
  return leaves;
}

/** The customer tag that mirrors a tier in Shopify, when the program keeps tags. */
export function tierTag(tier: TierRule): string {
  return `membercare-${tier.handle}`;
}

/**
 * Is a downgrade sweep due? Calendar-year programs are swept once the year they
 * were last swept in has ended; the others daily, at the shop's midnight (a
 * lifetime program only ever drops members through refunds and cancellations).
 */
export function sweepDue(program: TierProgram, lastSweptAt: Date | null, now: Date): boolean {
  if (!lastSweptAt) return true;
  if (program.window.kind === "calendarYear") return now >= nextEvaluation(program, lastSweptAt);
  const last = wallClock(lastSweptAt, program.timeZone);
  return now >= localMidnight(last.year, last.month, last.day + 1, program.timeZone);
}

// ------------------------------------------------------------ evaluation

export interface MemberTierState {
  tierHandle: string | null;
  /** Set while a downgrade is announced: the member keeps the tier until then. */
  downgradeOn: Date | null;
  /**
   * When the announced downgrade's warning first reached the member (a message
   * delivered, or the membership metafield carrying it written to Shopify);
   * null while it has not, and then no downgrade is applied.
   */
  warnedAt: Date | null;
  pinnedHandle: string | null;
  pinnedUntil: Date | null;
}

export type TierDecision =
  | { action: "keep"; tier: TierRule }
  | { action: "upgrade" | "downgrade"; from: TierRule | null; to: TierRule; reason: string }
  /** again: the earlier announcement's date passed without the warning reaching the member; it is announced anew. */
  | { action: "warn"; tier: TierRule; downgradeOn: Date; to: TierRule; spendToKeepMinor: number | null; ordersToKeep: number | null; again: boolean }
  /** reason: set when a staff pin, not the member's totals, ends the review. */
  | { action: "clearWarning"; tier: TierRule; reason?: string };

/**
 * Decides a member's tier. On an order event (`sweep: false`) only upgrades
 * happen; at the daily sweep (`sweep: true`) a member below their tier is
 * warned first and downgraded once the grace period has run out.
 */
export function evaluateMember(program: TierProgram, state: MemberTierState, totals: Totals, now: Date, { sweep }: { sweep: boolean }): TierDecision {
  const tiers = byRank(program.tiers);
  const find = (handle: string | null) => tiers.find((tier) => tier.handle === handle) ?? null;
  const current = find(state.tierHandle);
  const qualified = qualifiedTier(program, totals);

  const pinned = find(state.pinnedHandle);
  if (pinned && state.pinnedUntil && now < state.pinnedUntil) {
    // Pinned to the tier they hold: not under review any more (a warning given before the pin ends with it).
    if (pinned.handle === current?.handle) return state.downgradeOn ? { action: "clearWarning", tier: pinned, reason: "pinned by staff" } : { action: "keep", tier: pinned };
    return { action: current && pinned.rank < current.rank ? "downgrade" : "upgrade", from: current, to: pinned, reason: "pinned by staff" };
  }
  if (!current) return { action: "upgrade", from: null, to: qualified, reason: "placed from history" };
  if (qualified.rank > current.rank) return { action: "upgrade", from: current, to: qualified, reason: "qualified for a higher tier" };
  if (qualified.rank === current.rank) return state.downgradeOn ? { action: "clearWarning", tier: current } : { action: "keep", tier: current };

  // Below the current tier: nothing happens between sweeps, nor in a lifetime
  // program unless refunds or cancellations took the qualification away.
  if (!sweep) return { action: "keep", tier: current };
  const warn = (again: boolean): TierDecision => ({ action: "warn", tier: current, to: qualified, downgradeOn: reviewDeadline(program, now), ...toKeep(current, totals), again });
  if (!state.downgradeOn) return warn(false);
  // Announced, but no warning has reached the member: never a downgrade. Once
  // the announced date has passed it is announced again, and the grace period
  // starts when that warning is delivered or shown.
  if (!state.warnedAt) return now >= state.downgradeOn ? warn(true) : { action: "keep", tier: current };
  if (now >= announcedDowngrade(program, state)!) return { action: "downgrade", from: current, to: qualified, reason: "grace period ended below the tier's threshold" };
  return { action: "keep", tier: current };
}

/**
 * The end of a grace period that starts at `from`: the local midnight (shop's
 * zone) after `from` plus the grace days, so the member has whole days, through
 * the date they are told (`lastDayToKeep`), and the daily sweep at that
 * midnight is the first that may apply it.
 */
export function reviewDeadline(program: Pick<TierProgram, "graceDays" | "timeZone">, from: Date): Date {
  const { year, month, day } = wallClock(from, program.timeZone);
  return localMidnight(year, month, day + program.graceDays + 1, program.timeZone);
}

/** The last local day (YYYY-MM-DD, shop's zone) on which what the member does still counts toward keeping the tier. */
export function lastDayToKeep(program: Pick<TierProgram, "timeZone">, downgradeOn: Date): string {
  return localDate(new Date(downgradeOn.getTime() - 1), program.timeZone);
}

/**
 * When an announced downgrade may be applied: the announced date, or, when the
 * warning first reached the member later than that allows, a whole grace period
 * after it. Null: nothing announced.
 */
export function announcedDowngrade(program: Pick<TierProgram, "graceDays" | "timeZone">, state: Pick<MemberTierState, "downgradeOn" | "warnedAt">): Date | null {
  if (!state.downgradeOn) return null;
  if (!state.warnedAt) return state.downgradeOn;
  const fromWarning = reviewDeadline(program, state.warnedAt);
  return fromWarning > state.downgradeOn ? fromWarning : state.downgradeOn;
}

/**
 * What keeps the tier, as the member is told: the spend and the orders still
 * missing (null: not a criterion, or already met). When either criterion is
 * enough, the spend alone is named (it keeps the tier by itself).
 */
export function toKeep(tier: TierRule, totals: Totals): { spendToKeepMinor: number | null; ordersToKeep: number | null } {
  const spend = tier.minNetSpendMinor === null ? null : Math.max(0, tier.minNetSpendMinor - totals.netSpendMinor);
  const orders = tier.minOrders === null ? null : Math.max(0, tier.minOrders - totals.orders);
  if (tier.qualifyBy === "either" && spend && orders) return { spendToKeepMinor: spend, ordersToKeep: null };
  return { spendToKeepMinor: spend || null, ordersToKeep: orders || null };
}

/** The tier a member holds once a decision is applied (a warning keeps the current one). */
export function tierAfter(decision: TierDecision): TierRule {
  switch (decision.action) {
    case "upgrade":
    case "downgrade":
      return decision.to;
    default:
      return decision.tier;
  }
}

/**
 * The reasons the app itself records in a member's tier history, in the
 * merchant's language. History keeps the English sentence (it is also what
 * exports and the CLI print); staff reasons are free text and shown as typed.
 */
export function systemReason(reason: string): ProgramIssue | null {
  const fixed: Record<string, MessageKey> = {
    "placed from history": "tiers.reason.placed",
    "qualified for a higher tier": "tiers.reason.qualified",
    "pinned by staff": "tiers.reason.pinned",
    "meets the tier's threshold again": "tiers.reason.metAgain",
    "grace period ended below the tier's threshold": "tiers.reason.graceEnded",
  };
  if (fixed[reason]) return { key: fixed[reason] };
  const warned = /^below the tier's threshold; downgrade on (\d{4}-\d{2}-\d{2}) unless it is met again$/.exec(reason);
  return warned ? { key: "tiers.reason.warned", vars: { date: warned[1] } } : null;
}
