/**
 * Holdout groups (issue 9): every campaign and every care flow keeps back a
 * random share of the customers it would contact, so what it earned can be
 * told from what would have happened anyway.
 *
 * Assignment is deterministic per (shop, activity, customer): a hash, not a
 * stored coin toss, so replanning, a second dispatcher or a reinstall puts the
 * same customer in the same group, and no table is needed to remember it. The
 * activity id is part of the hash, so one customer is held out of some
 * activities and not others (a customer always held out would never hear from
 * the shop, and every activity's holdout would be the same people).
 */
import { createHash } from "node:crypto";

export const DEFAULT_HOLDOUT_PERCENT = 10;
/** More than half held back would leave too few contacted to learn anything. */
export const MAX_HOLDOUT_PERCENT = 50;

/** A number in [0, 1) fixed by the three names. */
export function holdoutDraw(shop: string, activityId: string, customerShopifyId: string): number {
  const digest = createHash("sha256").update(`${shop}\u0000${activityId}\u0000${customerShopifyId}`).digest();
  // 48 bits are exact in a double and far finer than any share a merchant sets.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function isHeldOut(shop: string, activityId: string, customerShopifyId: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  return holdoutDraw(shop, activityId, customerShopifyId) < Math.min(percent, MAX_HOLDOUT_PERCENT) / 100;
}
