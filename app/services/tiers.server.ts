import { membershipValue, serializeMembership } from "~/domain/membership";
import {
  announcedDowngrade,
  evaluateMember,
  nextEvaluation,
  tierAfter,
  tierTag,
  windowStart,
  type TierDecision,
  type TierProgram,
  type TierRule,
} from "~/domain/tiers";
import { latestBackfill } from "~/models/backfills.server";
import { customerExists } from "~/models/customer-file.server";
import { discountClassesFor } from "~/domain/member-discount";
import { memberDiscountState } from "~/models/member-discount.server";
import { effectStatus, requestDiscountSync, requestMembershipSync, requestSegmentSync } from "~/models/outbox.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";
import {
  customerIdPages,
  getTierContext,
  membersPerTier,
  membershipSyncStatus,
  memberTierStates,
  promotePendingProgram,
  qualifyingTotalsOf,
  savePendingTierProgram,
  savePin,
  saveTierProgram,
  tieredMembers,
  writeTierOutcomes,
  type MemberTotals,
  type StoredMemberTier,
  type TierContext,
  type TierOutcome,
} from "~/models/tiers.server";
import { withShopLock } from "~/models/locks.server";
import { currentReviewReach } from "./membership-warnings.server";
import { PROGRAM_PUBLISH, requestProgramPublish, requestProgramPublishIfStale } from "./program-publish.server";
import { programPublishState } from "~/models/program-publish.server";

type StoredProgram = Omit<TierProgram, "timeZone">;
export type EvaluatedMember = { customerShopifyId: string; decision: TierDecision };

const NO_STATE: StoredMemberTier = { tierHandle: null, downgradeOn: null, warnedAt: null, pinnedHandle: null, pinnedUntil: null, since: new Date(0), membershipValue: null, tierTag: null };

/** The domain event a decision announces, for care flows; placement from history announces nothing. */
function domainEvent(decision: TierDecision, currencyCode: string): TierOutcome["event"] {
  const tier = (rule: TierRule | null) => (rule ? { handle: rule.handle, name: rule.name } : null);
  switch (decision.action) {
    case "upgrade":
      return decision.from ? { kind: "tier.upgraded", payload: { from: tier(decision.from), to: tier(decision.to), entryGift: decision.to.entryGift, reason: decision.reason } } : null;
    case "downgrade":
      return { kind: "tier.downgraded", payload: { from: tier(decision.from), to: tier(decision.to), reason: decision.reason } };
    case "warn":
      return {
        kind: "tier.downgradeWarning",
        payload: { tier: tier(decision.tier), to: tier(decision.to), downgradeOn: decision.downgradeOn.toISOString(), spendToKeepMinor: decision.spendToKeepMinor, ordersToKeep: decision.ordersToKeep, currencyCode },
      };
    default:
      return null;
  }
}

function historyEntry(decision: TierDecision): TierOutcome["change"] {
  switch (decision.action) {
    case "keep":
      return null;
    case "warn":
      return { action: "warn", fromHandle: decision.tier.handle, toHandle: decision.to.handle, reason: `below the tier's threshold; downgrade on ${decision.downgradeOn.toISOString().slice(0, 10)} unless it is met again` };
    case "clearWarning":
      return { action: "clearWarning", fromHandle: decision.tier.handle, toHandle: decision.tier.handle, reason: decision.reason ?? "meets the tier's threshold again" };
    default:
      return { action: decision.from ? decision.action : "placed", fromHandle: decision.from?.handle ?? null, toHandle: decision.to.handle, reason: decision.reason };
  }
}

/**
 * What becomes of the member's downgrade warning record: opened when a
 * downgrade is announced (a member announced again keeps the open one), closed
 * when the review ends.
 */
function warningChange(decision: TierDecision, state: StoredMemberTier): TierOutcome["warning"] {
  if (decision.action === "warn") return { open: { tierHandle: decision.tier.handle, toHandle: decision.to.handle } };
  if (!state.downgradeOn) return null;
  if (decision.action === "downgrade") return { close: decision.reason === "pinned by staff" ? "pinned" : "downgraded" };
  if (decision.action === "upgrade") return { close: decision.reason === "pinned by staff" ? "pinned" : "kept" };
  if (decision.action === "clearWarning") return { close: decision.reason === "pinned by staff" ? "pinned" : "kept" };
  return null;
}

/**
 * One member's outcome: the decision, and the membership value and tag that
 * follow from it. Null when nothing stored would change (no write, no sync).
 * While a downgrade is announced the value carries it (the review the member's
 * pages show), dated from when the warning first reached them.
 */
function outcomeFor(context: TierContext, customerShopifyId: string, state: StoredMemberTier, totals: MemberTotals, now: Date, sweep: boolean): { outcome: TierOutcome | null; decision: TierDecision } {
  const { program } = context;
  const decision = evaluateMember(program, state, totals, now, { sweep });
  const moved = decision.action === "upgrade" || decision.action === "downgrade";
  const tier = tierAfter(decision);
  const downgradeOn = decision.action === "warn" ? decision.downgradeOn : moved || decision.action === "clearWarning" ? null : announcedDowngrade(program, state);
  const value = serializeMembership(membershipValue(program, tier, { downgradeOn }, totals, context.currencyCode, now));
  const tag = program.tierTags ? tierTag(tier) : null;
  if (decision.action === "keep" && value === state.membershipValue && tag === state.tierTag && downgradeOn?.getTime() === state.downgradeOn?.getTime()) return { outcome: null, decision };
  return {
    decision,
    outcome: {
      customerShopifyId,
      tierHandle: tier.handle,
      since: moved ? now : state.since,
      downgradeOn,
      membershipValue: value,
      tierTag: tag,
      change: historyEntry(decision),
      event: domainEvent(decision, context.currencyCode),
      warning: warningChange(decision, state),
    },
  };
}

/**
 * Lets the event loop turn between chunks. The SQLite driver answers from
 * resolved promises, so a loop over every member never yields by itself: the
 * web process (which runs the sweeper) would answer no request until it ends,
 * and the native memory of finished statements, freed on the event loop, would
 * pile up (2 GB while placing 200,000 members in bench:tiers).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Evaluates one chunk of members (at most MAX_IN_LIST) against the context, and stores what changed. */
async function evaluateChunk(shop: string, context: TierContext, ids: string[], now: Date, sweep: boolean): Promise<{ changed: EvaluatedMember[]; written: number }> {
  const [totals, states] = await Promise.all([
    qualifyingTotalsOf(shop, ids, { start: windowStart(context.program, now), end: now, lifetimeFloor: context.historySource === "customerTotals" }),
    memberTierStates(shop, ids),
  ]);
  const outcomes: TierOutcome[] = [];
  const changed: EvaluatedMember[] = [];
  for (const id of ids) {
    const { outcome, decision } = outcomeFor(context, id, states.get(id) ?? NO_STATE, totals.get(id)!, now, sweep);
    if (outcome) outcomes.push(outcome);
    if (decision.action !== "keep") changed.push({ customerShopifyId: id, decision });
  }
  await writeTierOutcomes(shop, outcomes, now);
  return { changed, written: outcomes.length };
}

/**
 * Places the given members by the shop's tier program, from their stored
 * orders and refunds. After order events (`sweep: false`) this only upgrades;
 * the daily sweep (`sweep: true`) also warns and, after the grace period,
 * downgrades. A shop without a program is left alone. Changed membership
 * values are queued for Shopify. Callers hold the shop's "members" lock
 * (locks.server.ts), so evaluations of one shop run in turn.
 */
export async function evaluateTiers(shop: string, customerShopifyIds: Iterable<string>, now: Date, { sweep }: { sweep: boolean }): Promise<EvaluatedMember[]> {
  const context = await getTierContext(shop);
  if (!context) return [];
  const changed: EvaluatedMember[] = [];
  let written = 0;
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    const result = await evaluateChunk(shop, context, ids, now, sweep);
    changed.push(...result.changed);
    written += result.written;
    await nextTurn();
  }
  if (written > 0) await requestMembershipSync(shop, now);
  return changed;
}

/** How many members got each kind of decision (keeps are not counted). */
export type ActionCounts = Partial<Record<TierDecision["action"], number>>;

function countActions(changed: EvaluatedMember[], into: ActionCounts = {}): ActionCounts {
  for (const { decision } of changed) into[decision.action] = (into[decision.action] ?? 0) + 1;
  return into;
}

/**
 * Every customer of the shop, page by page in constant memory: the retroactive
 * placement after a backfill or a program change. Returns counts, not each
 * member's decision (a first placement decides for every customer).
 */
export async function placeShop(shop: string, now: Date, { sweep, onProgress }: { sweep: boolean; onProgress?: (placed: number) => Promise<void> | void }) {
  const actions: ActionCounts = {};
  const context = await getTierContext(shop);
  if (!context) return { members: 0, actions };
  let members = 0;
  let written = 0;
  for await (const ids of customerIdPages(shop)) {
    // Chunk by chunk, in turn with the inbox workers' refreshes (locks.server.ts).
    const result = await withShopLock("members", shop, () => evaluateChunk(shop, context, ids, now, sweep));
    members += ids.length;
    written += result.written;
    countActions(result.changed, actions);
    await onProgress?.(members);
    await nextTurn();
  }
  if (written > 0) await requestMembershipSync(shop, now);
  return { members, actions };
}

// ------------------------------------------------------------ rule changes

// The preview of a rule change lives in services/tier-preview.server.ts (issue 20).

export type ApplyMode = "now" | "nextEvaluation";

/**
 * Saves the merchant's rules. A first program places everyone from history at
 * once. A change either applies now (upgrades at once; anyone now below their
 * tier is warned and keeps it through the grace period) or waits for the next
 * evaluation, when the sweep applies it the same way. Nobody is demoted
 * silently either way.
 */
export async function saveProgram(shop: string, program: StoredProgram, mode: ApplyMode, now: Date) {
  const context = await getTierContext(shop);
  if (!context) {
    await saveTierProgram(shop, program, now);
    const placed = await placeShop(shop, now, { sweep: false });
    await requestShopifySideOf(shop, program, now);
    return { appliedAt: now, members: placed.members };
  }
  if (mode === "nextEvaluation") {
    const from = nextEvaluation(context.program, now);
    await savePendingTierProgram(shop, program, from);
    return { appliedAt: from, members: 0 };
  }
  await saveTierProgram(shop, program, now);
  const placed = await placeShop(shop, now, { sweep: true });
  await requestShopifySideOf(shop, program, now);
  return { appliedAt: now, members: placed.members };
}

/**
 * Rules just in force: the member discount follows them, the storefront's
 * copy of the program (`$app:program`) is published again, and their tiers'
 * Shopify segments are created or renamed (when the merchant wants them).
 */
async function requestShopifySideOf(shop: string, program: StoredProgram, now: Date) {
  await requestDiscountSync(shop, now);
  await requestProgramPublish(shop, now);
  if (program.tierSegments) await requestSegmentSync(shop, now);
}

/** Why a pin was refused: nothing was written. */
export class PinRefused extends Error {
  name = "PinRefused";
  constructor(
    readonly reason: "noCustomer" | "noProgram" | "noTier",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Staff pin (or unpin) a member; the member is re-evaluated at once so the pin
 * shows. Only a customer of the shop (not deleted) can be pinned: an id that is
 * none is refused before anything is written, since evaluating it would create
 * a tier row for nobody (issue 18).
 */
export async function pinMember(shop: string, customerShopifyId: string, pin: { handle: string | null; until: Date | null; reason: string; actor: string }, now: Date) {
  if (!(await customerExists(shop, customerShopifyId))) throw new PinRefused("noCustomer", `no customer ${customerShopifyId} in this shop`);
  const context = await getTierContext(shop);
  if (!context) throw new PinRefused("noProgram", "this shop has no tier program");
  if (pin.handle && !context.program.tiers.some((tier) => tier.handle === pin.handle)) throw new PinRefused("noTier", `no tier "${pin.handle}" in the program`);
  return withShopLock("members", shop, async () => {
    const state = (await memberTierStates(shop, [customerShopifyId])).get(customerShopifyId);
    if (!state) await evaluateTiers(shop, [customerShopifyId], now, { sweep: false });
    const current = (await memberTierStates(shop, [customerShopifyId])).get(customerShopifyId);
    if (!current) throw new Error(`no member ${customerShopifyId}`);
    await savePin(shop, customerShopifyId, pin, current.tierHandle!, now);
    // A lifted pin lets the member fall back only through the sweep's warning.
    return evaluateTiers(shop, [customerShopifyId], now, { sweep: false });
  });
}

// ------------------------------------------------------------- the sweep

export interface SweepSummary {
  shop: string;
  members: number;
  warned: number;
  downgraded: number;
  cleared: number;
}

/** The downgrade sweep of one shop's members, now (the caller holds the sweep's claim). */
export async function sweepShop(shop: string, now: Date): Promise<SweepSummary> {
  let members: number;
  let actions: ActionCounts;
  if (await promotePendingProgram(shop, now)) {
    // New rules in force: every customer is looked at, not only those with a tier.
    ({ members, actions } = await placeShop(shop, now, { sweep: true }));
    const promoted = await getTierContext(shop);
    if (promoted) await requestShopifySideOf(shop, promoted.program, now);
  } else {
    const ids = await tieredMembers(shop);
    members = ids.length;
    actions = countActions(await withShopLock("members", shop, () => evaluateTiers(shop, ids, now, { sweep: true })));
  }
  // The storefront's program, for shops whose published copy is missing or
  // stale (saved before publishing existed, or the shop's currency changed).
  await requestProgramPublishIfStale(shop, now);
  return { shop, members, warned: actions.warn ?? 0, downgraded: actions.downgrade ?? 0, cleared: actions.clearWarning ?? 0 };
}


/** Everything the Tiers page shows, in one call. */
export async function tiersOverview(shop: string) {
  const [context, counts, sync, syncEffect, backfill, discount, discountEffect, review, storefront, storefrontEffect] = await Promise.all([
    getTierContext(shop),
    membersPerTier(shop),
    membershipSyncStatus(shop),
    effectStatus(shop, "membership.sync"),
    latestBackfill(shop),
    memberDiscountState(shop),
    effectStatus(shop, "discount.sync"),
    currentReviewReach(shop),
    programPublishState(shop),
    effectStatus(shop, PROGRAM_PUBLISH),
  ]);
  const stored = (program: TierProgram): StoredProgram => {
    const { timeZone: _zone, ...rest } = program;
    return rest;
  };
  return {
    program: context ? stored(context.program) : null,
    pending: context?.pending ? { program: stored(context.pending.program), from: context.pending.from.toISOString() } : null,
    historySource: context?.historySource ?? backfill?.historySource ?? null,
    counts: Object.fromEntries(counts),
    sync,
    syncEffect,
    /** The current review: how the members under review now were warned, and who could not be reached. */
    review,
    backfill,
    discount: context && discount
      ? {
          needed: discountClassesFor(context.program).length > 0,
          active: discount.discountId !== null && discount.input !== null && discount.errorKey === null,
          pending: discountEffect !== null && discountEffect.status !== "done" && discountEffect.status !== "failed",
          syncedAt: discount.syncedAt?.toISOString() ?? null,
          errorKey: discount.errorKey,
          errorDetail: discount.errorDetail,
          lastError: discountEffect?.status === "failed" ? discountEffect.lastError : null,
        }
      : null,
    /** The program as the storefront's blocks have it (`$app:program`): published when, Shopify's refusal. */
    storefront: context && storefront
      ? {
          published: storefront.publishedAt !== null,
          publishedAt: storefront.publishedAt?.toISOString() ?? null,
          pending: storefrontEffect !== null && storefrontEffect.status !== "done" && storefrontEffect.status !== "failed",
          error: storefront.error ?? (storefrontEffect?.status === "failed" ? storefrontEffect.lastError : null),
        }
      : null,
  };
}
