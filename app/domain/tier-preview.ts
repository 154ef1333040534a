// What a tier program edit does to one member, apart from what would happen
// anyway (issue 20). The preview used to compare where the proposed rules put
// a member with the tier they hold, so a member already below their tier and
// waiting out the grace period (Platinum whose spend now only reaches Gold)
// was listed as a move caused by lowering Gold's threshold. Here three
// landings are compared: the tier held, where the rules in force put the
// member (a move already under way when they differ) and where the proposed
// rules put them (the edit's doing only when this differs from the rules in
// force). Pure; the caller computes both landings with the same rules the
// evaluation uses (qualifiedTier, pins).

export type EditMove =
  /** The edit moves the member up or down from the tier they hold. */
  | { kind: "up" | "down"; from: string; to: string }
  /** The edit cancels a move under way: the member keeps the tier they hold. */
  | { kind: "keeps"; from: string; to: string; cancelled: string };

export interface MoveOutcome {
  /** Caused by the edit; null when the edit changes nothing for this member. */
  edit: EditMove | null;
  /** Under way whatever the edit (the rules in force already put the member elsewhere), and unchanged by it. */
  pending: { from: string; to: string } | null;
}

/**
 * `held`: the tier the member holds now; `underCurrent` / `underProposed`:
 * where the rules in force and the proposed rules put them; `rankOf` the
 * proposed program's rank of a handle (undefined: the tier is gone in the proposal).
 */
export function classifyMove(held: string, underCurrent: string, underProposed: string, rankOf: (handle: string) => number | undefined): MoveOutcome {
  if (underProposed === underCurrent) return { edit: null, pending: underCurrent === held ? null : { from: held, to: underCurrent } };
  if (underProposed === held) return { edit: { kind: "keeps", from: held, to: held, cancelled: underCurrent }, pending: null };
  const fromRank = rankOf(held);
  const toRank = rankOf(underProposed) ?? 0;
  return { edit: { kind: fromRank === undefined || toRank > fromRank ? "up" : "down", from: held, to: underProposed }, pending: null };
}
