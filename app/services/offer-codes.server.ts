/**
 * An offer is a code (issue 17, docs/decisions/0014-offer-codes.md). A care
 * message that offers a discount goes out only with a code made for that
 * customer, the way staff rewards make theirs (ADR 0009): a Reward row of kind
 * "code" (single use, that customer only, with an expiry), tied to the
 * message, created in Shopify by the outbox's reward.code effect. The
 * dispatcher asks for it when the contact policy first lets the message
 * through, waits while it is being created, sends the message with it once it
 * is there, and never sends the message without it: a code Shopify refused,
 * or one the outbox gave up on, blocks the message with the reason in the
 * Messages log.
 *
 * Codes redeemed by orders are recorded from the orders' discount codes (the
 * projector calls recordRedeemedCodes); codes that expire unused are
 * deactivated in Shopify through the outbox (expireUnusedCodes, hourly).
 */
import { randomBytes } from "node:crypto";
import { offerEndsAt, offerLastDay, type OfferCodeState } from "~/domain/care/offers";
import { estimateRewardCost, rewardCode } from "~/domain/rewards";
import type { Locale } from "~/i18n";
import { DEACTIVATE_REWARD_CODE } from "~/graphql/rewards";
import type { ClaimedMessage } from "~/models/message-dispatch.server";
import { getMessage, wakeDeferred } from "~/models/messages.server";
import { effectStatus, requestEffect, type ClaimedEffect } from "~/models/outbox.server";
import { averageOrderMinor, cancelPendingCode, expiredUnusedCodes, getReward, getRewardContext, markCodeExpired, markCodeExpiring, markCodesUsed, messageOfferCode, reserveOfferCode } from "~/models/rewards.server";
import { AdminRequestError, type AdminClient } from "./admin-client.server";
import { formatDate } from "./care-planner.server";
import type { PassResult } from "./paced-send.server";
import { REWARD_CODE, settleRewardEffect } from "./rewards.server";

/** The outbox effect that deactivates a code that expired unused. */
export const CODE_DEACTIVATE = "reward.deactivate";

const rewardCodeKey = (rewardId: string) => `${REWARD_CODE}:${rewardId}`;

/**
 * Where the message's code stands: none asked for yet; being created; there
 * (issued in Shopify); or never to be (Shopify refused it, or the outbox gave
 * up asking after its last attempt, with why).
 */
export async function offerCodeState(shop: string, messageId: string): Promise<OfferCodeState> {
  const reward = await messageOfferCode(shop, messageId);
  if (!reward) return { state: "missing" };
  if (reward.status === "pending") {
    const effect = await effectStatus(shop, rewardCodeKey(reward.id));
    if (effect?.status === "failed" || effect?.status === "cancelled") return { state: "failed", code: reward.code, error: effect.lastError ?? reward.error ?? "the code could not be created in Shopify" };
    return { state: "pending", code: reward.code ?? "", since: reward.createdAt };
  }
  if (reward.status === "failed" || reward.status === "cancelled") return { state: "failed", code: reward.code, error: reward.error ?? "Shopify refused the code" };
  // issued, or already past that (used, expiring, expired): the code exists in Shopify.
  return { state: "ready", code: reward.code!, expiresAt: reward.expiresAt! };
}

/**
 * Asks for the code of a message's offer: a pending Reward row (this
 * customer, once, `percent` off everything, until the end of their local day
 * the shop's code expiry away), and the outbox effect that creates it in
 * Shopify. Asking twice for one message keeps the first.
 */
export async function requestOfferCode(message: Pick<ClaimedMessage, "id" | "shop" | "customerShopifyId" | "source" | "sourceId" | "step">, percent: number, timeZone: string, now: Date, random: (size: number) => Uint8Array = randomBytes) {
  const { shop } = message;
  const context = await getRewardContext(shop);
  const request = { kind: "code" as const, valueType: "percent" as const, value: percent, expiryDays: context.settings.defaultExpiryDays, reason: `${message.sourceId} ${message.step}` };
  const reward = await reserveOfferCode(
    shop,
    message.id,
    {
      customerShopifyId: message.customerShopifyId,
      kind: "code",
      // Who issued it: the flow or campaign, never a staff member (no staff limit counts it).
      issuedBy: `${message.source}:${message.sourceId}`,
      issuedByName: null,
      reason: request.reason,
      valueType: "percent",
      value: percent,
      costMinor: estimateRewardCost(request, { averageOrderMinor: await averageOrderMinor(shop, message.customerShopifyId), giftCostMinor: 0 }),
      currencyCode: context.currencyCode,
      code: rewardCode(random(32)),
      expiresAt: offerEndsAt(now, context.settings.defaultExpiryDays, timeZone),
      giftId: null,
    },
    now,
  );
  if (reward.status === "pending") await requestEffect(shop, REWARD_CODE, rewardCodeKey(reward.id), now, { rewardId: reward.id }, message.customerShopifyId);
  return reward;
}

/**
 * The outbox's handler for REWARD_CODE: a staff reward's code, or a message's
 * offer code. An offer whose message will never go (cancelled, expired or
 * blocked while its code waited) is not created in Shopify: no live code
 * nobody was given. Everything else is the reward's settling (ADR 0009).
 */
export async function settleCodeEffect(effect: ClaimedEffect, admin: AdminClient, now: Date): Promise<PassResult> {
  const { rewardId } = JSON.parse(effect.payload) as { rewardId: string };
  const reward = await getReward(effect.shop, rewardId);
  if (reward?.messageId && reward.status === "pending") {
    const message = await getMessage(effect.shop, reward.messageId);
    if (!message || ["cancelled", "expired", "blocked", "failed", "heldOut"].includes(message.status)) {
      await cancelPendingCode(effect.shop, reward.id, `its message was not sent (${message?.status ?? "erased"})`, now);
      return { status: "done", written: 0 };
    }
  }
  const settled = await settleRewardEffect(effect, admin, now);
  // The code is there (or never will be): its message need not wait for its next look.
  if (reward?.messageId) await wakeDeferred(effect.shop, reward.messageId, "offerCodePending", now);
  return settled;
}

/** The template variables of a code: the code and its last day in the customer's language and zone. */
export const offerCodeVariables = (code: string, expiresAt: Date, locale: Locale, timeZone: string) => ({ offerCode: code, offerExpiresOn: formatDate(offerLastDay(expiresAt), locale, timeZone) });

/** An order's discount codes: our codes among them become `used`, with what they took off. */
export async function recordRedeemedCodes(shop: string, order: { shopifyId: string; customerShopifyId: string | null; at: Date }, codes: Array<{ code: string; amountMinor: number }>, now: Date): Promise<number> {
  return markCodesUsed(shop, order, codes, now);
}

/**
 * A shop's codes past their expiry that nobody used (the "code-expiry" job,
 * app/jobs/registry.server.ts, runs it for every installed shop): each is
 * marked expiring and its deactivation asked of the outbox (once: a code is
 * marked only from issued). Up to `limit` per run; the rest next hour.
 */
export async function expireUnusedCodes(shop: string, now: Date, { limit = 500 }: { limit?: number } = {}): Promise<number> {
  let asked = 0;
  for (const reward of await expiredUnusedCodes(shop, now, limit)) {
    if (!(await markCodeExpiring(shop, reward.id, now))) continue;
    await requestEffect(shop, CODE_DEACTIVATE, `${CODE_DEACTIVATE}:${reward.id}`, now, { rewardId: reward.id }, reward.customerShopifyId);
    asked++;
  }
  return asked;
}

interface UserError {
  field: string[] | null;
  message: string;
  code: string | null;
}
type DeactivateAnswer = { discountCodeDeactivate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] } | null };

/**
 * The outbox's handler for CODE_DEACTIVATE: deactivates the code in Shopify
 * and marks it expired. A code used meanwhile (an order placed before the
 * expiry that arrived late) is left alone. No answer throws, so the worker
 * tries again with back-off.
 */
export async function deactivateCodeEffect(effect: ClaimedEffect, admin: AdminClient, now: Date): Promise<PassResult> {
  const { rewardId } = JSON.parse(effect.payload) as { rewardId: string };
  const reward = await getReward(effect.shop, rewardId);
  if (!reward || reward.status !== "expiring") return { status: "done", written: 0 };
  if (!reward.discountId) {
    await markCodeExpired(effect.shop, reward.id, now);
    return { status: "done", written: 0 };
  }
  const answer = await admin.request<DeactivateAnswer>(DEACTIVATE_REWARD_CODE, { id: reward.discountId });
  const payload = answer.data?.discountCodeDeactivate;
  if (!payload) throw new AdminRequestError(`Shopify did not deactivate the code: ${answer.errors?.map((error) => error.message).join("; ") || "no answer"}`);
  // A code Shopify no longer has (deleted by the merchant) is as good as deactivated; the reason is kept.
  const refused = payload.userErrors.map((error) => error.message).join("; ");
  await markCodeExpired(effect.shop, reward.id, now, payload.codeDiscountNode ? null : `Shopify did not deactivate the code: ${refused}`);
  return { status: "done", written: payload.codeDiscountNode ? 1 : 0 };
}
