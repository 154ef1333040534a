/**
 * Gift rotation (issue 10): which gift from the merchant's list goes into a
 * member's next parcel. A repeat customer never receives the same gift twice
 * in a row, nor any gift they received within the no-repeat period; among the
 * gifts left, the one they have gone longest without (never received first),
 * then the merchant's list order. Pure: callers pass the history and `now`.
 */

export interface Gift {
  id: string;
  name: string;
  active: boolean;
  /** Tier handles the gift is for; empty: every tier. */
  tierHandles: string[];
}

export interface GiftGiven {
  giftId: string;
  givenAt: Date;
}

export const DEFAULT_NO_REPEAT_DAYS = 180;
const DAY_MS = 86_400_000;

export type GiftChoice =
  | { gift: Gift }
  | { gift: null; reason: "noGifts" | "noneForTier" | "allGivenRecently" };

export function chooseGift(gifts: readonly Gift[], history: readonly GiftGiven[], { now, noRepeatDays = DEFAULT_NO_REPEAT_DAYS, tierHandle }: { now: Date; noRepeatDays?: number; tierHandle: string | null }): GiftChoice {
  const active = gifts.filter((gift) => gift.active);
  if (active.length === 0) return { gift: null, reason: "noGifts" };
  const forTier = active.filter((gift) => gift.tierHandles.length === 0 || (tierHandle !== null && gift.tierHandles.includes(tierHandle)));
  if (forTier.length === 0) return { gift: null, reason: "noneForTier" };

  const lastGiven = new Map<string, number>();
  let latest: GiftGiven | null = null;
  for (const entry of history) {
    lastGiven.set(entry.giftId, Math.max(lastGiven.get(entry.giftId) ?? -Infinity, +entry.givenAt));
    if (!latest || +entry.givenAt > +latest.givenAt) latest = entry;
  }
  const since = +now - noRepeatDays * DAY_MS;
  const allowed = forTier.filter((gift) => gift.id !== latest?.giftId && (lastGiven.get(gift.id) ?? -Infinity) < since);
  if (allowed.length === 0) return { gift: null, reason: "allGivenRecently" };
  // Longest without first; a gift never received sorts before all (-Infinity); ties keep list order.
  const order = new Map(gifts.map((gift, index) => [gift.id, index]));
  const chosen = [...allowed].sort((a, b) => (lastGiven.get(a.id) ?? -Infinity) - (lastGiven.get(b.id) ?? -Infinity) || order.get(a.id)! - order.get(b.id)!)[0];
  return { gift: chosen };
}
