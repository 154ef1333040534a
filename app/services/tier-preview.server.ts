// What saving a tier program edit would do, without saving it (issue 20): the
// members per tier now and under the proposal, the moves the EDIT causes (up,
// down, and announced downgrades it cancels) kept apart from moves already
// under way whatever the edit (members waiting out a grace period, whom the
// rules in force already put lower), movers by name, and the discount's cost
// per month. app/domain/tier-preview.ts decides which is which.
import { classifyMove } from "~/domain/tier-preview";
import { qualifiedTier, windowStart, type TierProgram, type TierRule } from "~/domain/tiers";
import { memberNames } from "~/models/members.server";
import { customerIdPages, getTierContext, memberTierStates, qualifyingTotalsOf, type StoredMemberTier } from "~/models/tiers.server";

type StoredProgram = Omit<TierProgram, "timeZone">;

export interface PreviewMover {
  customerShopifyId: string;
  /** The customer's name (or email), null when the app has neither. */
  name: string | null;
  from: string;
  to: string;
  /** For a move under way: when the announced downgrade is due (null: not announced yet, the next sweep does). */
  downgradeOn?: string | null;
  /** For a cancelled move: where the rules in force would have put them. */
  cancelled?: string;
}

export interface ProgramPreview {
  members: number;
  /** Members per tier handle now, and where the proposed rules would put them. */
  current: Record<string, number>;
  proposed: Record<string, number>;
  /** Moves the edit causes: up at once; down after a warning and the grace period; announced downgrades the edit cancels. */
  movingUp: number;
  movingDown: number;
  keeping: number;
  samplesUp: PreviewMover[];
  samplesDown: PreviewMover[];
  samplesKeeping: PreviewMover[];
  /** Moves already under way under the rules in force, which the edit does not change. */
  pending: number;
  samplesPending: PreviewMover[];
  /** Estimated member discount per month, from the last 90 days' spend: now and under the proposal. */
  monthlyDiscountMinor: { current: number; proposed: number };
  currencyCode: string;
}

const COST_WINDOW_DAYS = 90;
export const PREVIEW_SAMPLES = 10;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Where a program puts a member: their pin while it lasts (when the program has that tier), else what their totals reach. */
function landing(program: TierProgram, tiers: Map<string, TierRule>, state: StoredMemberTier | undefined, totals: Parameters<typeof qualifiedTier>[1], now: Date): TierRule {
  const pinned = state?.pinnedHandle && state.pinnedUntil && state.pinnedUntil > now ? tiers.get(state.pinnedHandle) : undefined;
  return pinned ?? qualifiedTier(program, totals);
}

export async function previewProgram(shop: string, proposed: StoredProgram, now: Date): Promise<ProgramPreview> {
  const context = await getTierContext(shop);
  const program: TierProgram = { ...proposed, timeZone: context?.program.timeZone ?? "UTC" };
  const inForce = context?.program ?? null;
  const proposedTiers = new Map(program.tiers.map((tier) => [tier.handle, tier]));
  const currentTiers = new Map((inForce?.tiers ?? []).map((tier) => [tier.handle, tier]));
  const preview: ProgramPreview = {
    members: 0,
    current: {},
    proposed: Object.fromEntries(program.tiers.map((tier) => [tier.handle, 0])),
    movingUp: 0,
    movingDown: 0,
    keeping: 0,
    samplesUp: [],
    samplesDown: [],
    samplesKeeping: [],
    pending: 0,
    samplesPending: [],
    monthlyDiscountMinor: { current: 0, proposed: 0 },
    currencyCode: context?.currencyCode ?? "USD",
  };
  const recentSince = new Date(now.getTime() - COST_WINDOW_DAYS * 86_400_000);
  const lifetimeFloor = context?.historySource === "customerTotals";
  const sameWindow = inForce !== null && JSON.stringify(inForce.window) === JSON.stringify(program.window);
  const sample = (list: PreviewMover[], mover: PreviewMover) => {
    if (list.length < PREVIEW_SAMPLES) list.push(mover);
  };
  let recentCurrent = 0;
  let recentProposed = 0;
  for await (const ids of customerIdPages(shop)) {
    const [totals, states, currentTotals] = await Promise.all([
      qualifyingTotalsOf(shop, ids, { start: windowStart(program, now), end: now, recentSince, lifetimeFloor }),
      memberTierStates(shop, ids),
      // The rules in force count in their own window when the edit changes it.
      inForce && !sameWindow ? qualifyingTotalsOf(shop, ids, { start: windowStart(inForce, now), end: now, lifetimeFloor }) : Promise.resolve(null),
    ]);
    for (const id of ids) {
      const own = totals.get(id)!;
      const state = states.get(id);
      const underProposed = landing(program, proposedTiers, state, own, now);
      preview.members++;
      preview.proposed[underProposed.handle]++;
      recentProposed += (own.recentSpendMinor * underProposed.perks.discountPercent) / 100;
      if (!state?.tierHandle) continue;
      preview.current[state.tierHandle] = (preview.current[state.tierHandle] ?? 0) + 1;
      recentCurrent += (own.recentSpendMinor * (currentTiers.get(state.tierHandle)?.perks.discountPercent ?? 0)) / 100;
      const underCurrent = inForce ? landing(inForce, currentTiers, state, currentTotals?.get(id) ?? own, now).handle : state.tierHandle;
      const outcome = classifyMove(state.tierHandle, underCurrent, underProposed.handle, (handle) => proposedTiers.get(handle)?.rank);
      if (outcome.pending) {
        preview.pending++;
        sample(preview.samplesPending, { customerShopifyId: id, name: null, ...outcome.pending, downgradeOn: state.downgradeOn?.toISOString() ?? null });
      }
      const edit = outcome.edit;
      if (!edit) continue;
      if (edit.kind === "keeps") {
        preview.keeping++;
        sample(preview.samplesKeeping, { customerShopifyId: id, name: null, from: edit.from, to: edit.to, cancelled: edit.cancelled });
      } else if (edit.kind === "up") {
        preview.movingUp++;
        sample(preview.samplesUp, { customerShopifyId: id, name: null, from: edit.from, to: edit.to });
      } else {
        preview.movingDown++;
        sample(preview.samplesDown, { customerShopifyId: id, name: null, from: edit.from, to: edit.to });
      }
    }
    await nextTurn();
  }
  const movers = [...preview.samplesUp, ...preview.samplesDown, ...preview.samplesKeeping, ...preview.samplesPending];
  const names = await memberNames(shop, movers.map((mover) => mover.customerShopifyId));
  for (const mover of movers) mover.name = names.get(mover.customerShopifyId) ?? null;
  const perMonth = (minor: number) => Math.round((minor * 30) / COST_WINDOW_DAYS);
  preview.monthlyDiscountMinor = { current: perMonth(recentCurrent), proposed: perMonth(recentProposed) };
  return preview;
}
