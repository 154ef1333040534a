/**
 * Downgrade warnings reaching members (docs/decisions/0011-membership-messages.md):
 * the dispatcher reports a delivered warning message here, the membership
 * sync a written metafield that carries the review (membership-sync.server.ts);
 * both land on the member's open TierWarning, whose first reach starts the
 * grace period the tier sweep waits out.
 */
import type { MessageRow } from "~/models/messages.server";
import { downgradesWithoutWarning, recordWarningReached, reviewReach, type ReviewReach, type UnwarnedDowngrade } from "~/models/tier-warnings.server";

/** The flow whose messages are downgrade warnings. */
export const WARNING_FLOW = "downgradeWarning";

type SentMessage = Pick<MessageRow, "shop" | "customerShopifyId" | "source" | "sourceId" | "channel" | "plannedAt">;

/**
 * A message the provider accepted at `at`: when it is a downgrade warning, it
 * is recorded on the warning it was planned for. A failure to record is logged,
 * not thrown: the message is sent, and an unrecorded warning only means the
 * member is not downgraded until a later warning is recorded (never the reverse).
 */
export async function recordWarningDelivered(message: SentMessage, at: Date, log?: (line: string) => void): Promise<void> {
  if (message.source !== "flow" || message.sourceId !== WARNING_FLOW) return;
  try {
    await recordWarningReached(message.shop, [message.customerShopifyId], message.channel, at, message.plannedAt);
  } catch (error) {
    log?.(`downgrade warning for customer ${message.customerShopifyId} (${message.shop}) sent but not recorded: ${(error as Error).message}`);
  }
}

/** For the Tiers page: how the members under review now were warned. */
export function currentReviewReach(shop: string): Promise<ReviewReach> {
  return reviewReach(shop);
}

/**
 * "Members downgraded without a recorded warning": the app's downgrades with
 * no warning that had reached the member before. The demo summary prints its
 * length; it must be zero.
 */
export function membersDowngradedWithoutWarning(shop: string): Promise<UnwarnedDowngrade[]> {
  return downgradesWithoutWarning(shop);
}
