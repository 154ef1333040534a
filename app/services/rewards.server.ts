// Issuing a staff reward to one customer (issue 10): checks the form against
// the shop's maxima, reserves the reward under its limits (recorded as pending
// with who, why and its estimated cost before Shopify is asked), then creates
// the code in Shopify and stores the answer. A gift waits, pending, for the
// customer's next parcel, where gift rotation takes it (GiftGiven with
// dueKey staff:<reward id>). See docs/decisions/0009-staff-rewards.md.
import { randomBytes } from "node:crypto";
import { localMonthStart } from "~/domain/local-time";
import { customerPeriodStart, estimateRewardCost, rewardCode, type RewardErrors, type RewardRequest, type RewardText } from "~/domain/rewards";
import { minorToAmount } from "~/domain/money";
import { CREATE_REWARD_CODE, REWARD_CODE_BY_CODE } from "~/graphql/rewards";
import { activeGifts, averageOrderMinor, changeRewardCode, customerRewards, getReward, getRewardContext, reserveReward, settleReward, type Reward } from "~/models/rewards.server";
import { requestEffect, type ClaimedEffect } from "~/models/outbox.server";
import { AdminRequestError, type AdminClient } from "./admin-client.server";
import type { PassResult } from "./paced-send.server";

const DAY_MS = 86_400_000;
/** Fresh codes tried when Shopify finds one taken (each clash has odds near 1 in 10^11). */
const CODE_ATTEMPTS = 3;
/** The outbox effect that settles a code whose answer never came. */
export const REWARD_CODE = "reward.code";
/** How long after a lost answer the outbox looks again. */
const RETRY_AFTER_MS = 60_000;

export interface Staff {
  id: string;
  name: string | null;
}

export type IssueResult =
  | { ok: true; reward: Reward }
  /** Bad input: field errors, nothing recorded. */
  | { ok: false; reason: "invalid"; errors: RewardErrors }
  /** Over a limit, or not allowed: nothing recorded, nothing asked of Shopify. */
  | { ok: false; reason: "limit"; limit: "notAllowed" | "staff" | "customer"; message: RewardText }
  /** Shopify refused the code: the reward is kept as failed with Shopify's words. */
  | { ok: false; reason: "shopify"; reward: Reward };

interface IssueOptions {
  admin: AdminClient;
  now: Date;
  /** Random bytes for codes (tests pass a fixed source). */
  random?: (size: number) => Uint8Array;
}

export async function issueReward(shop: string, customerShopifyId: string, staff: Staff, request: RewardRequest, { admin, now, random = randomBytes }: IssueOptions): Promise<IssueResult> {
  const context = await getRewardContext(shop);
  let costMinor: number;
  let giftId: string | null = null;
  if (request.kind === "gift") {
    const gifts = await activeGifts(shop);
    if (gifts.length === 0) return { ok: false, reason: "invalid", errors: { giftId: { key: "rewards.errors.noGifts" } } };
    const chosen = request.giftId ? gifts.find((gift) => gift.id === request.giftId) : null;
    if (request.giftId && !chosen) return { ok: false, reason: "invalid", errors: { giftId: { key: "rewards.errors.gift" } } };
    giftId = chosen?.id ?? null;
    // Rotation chooses at packing time: until then, the list's average cost.
    costMinor = chosen ? chosen.costMinor : Math.round(gifts.reduce((sum, gift) => sum + gift.costMinor, 0) / gifts.length);
  } else {
    costMinor = estimateRewardCost(request, { averageOrderMinor: await averageOrderMinor(shop, customerShopifyId), giftCostMinor: 0 });
  }

  const reserved = await reserveReward(
    shop,
    {
      customerShopifyId,
      kind: request.kind,
      issuedBy: staff.id,
      issuedByName: staff.name,
      reason: request.reason,
      valueType: request.kind === "code" ? request.valueType : null,
      value: request.kind === "code" ? request.value : null,
      costMinor,
      currencyCode: context.currencyCode,
      code: request.kind === "code" ? rewardCode(random(32)) : null,
      expiresAt: request.kind === "code" ? new Date(now.getTime() + request.expiryDays * DAY_MS) : null,
      giftId,
    },
    { settings: context.settings, monthStart: localMonthStart(now, context.timeZone), customerSince: customerPeriodStart(now, context.settings), now },
  );
  if (!reserved.ok) return { ok: false, reason: "limit", limit: reserved.limit, message: reserved.message };
  if (request.kind === "gift") return { ok: true, reward: reserved.reward };

  const reward = await createCodeInShopify(shop, reserved.reward, { admin, now, random });
  // No answer: the outbox settles it later (finds the code, or creates it).
  if (reward.status === "pending") await requestEffect(shop, REWARD_CODE, `${REWARD_CODE}:${reward.id}`, new Date(now.getTime() + RETRY_AFTER_MS), { rewardId: reward.id }, customerShopifyId);
  return reward.status === "failed" ? { ok: false, reason: "shopify", reward } : { ok: true, reward };
}

interface UserError {
  field: string[] | null;
  message: string;
  code: string | null;
}
type CreateAnswer = { discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] } };
type ByCodeAnswer = { codeDiscountNodeByCode: { id: string; codeDiscount: { context?: { customers?: Array<{ id: string }> } } } | null };

/** Shopify's userErrors in plain words: "code: Code must be unique. Please try a different code." */
const plainWords = (errors: UserError[]) => errors.map((error) => [error.field?.slice(1).join("."), error.message].filter(Boolean).join(": ")).join("; ");

/** The discountCodeBasicCreate input for a reward: this customer only, once, from now until it expires. */
function codeInput(reward: Reward, code: string, startsAt: Date) {
  return {
    title: `Member reward ${code}`,
    code,
    context: { customers: { add: [`gid://shopify/Customer/${reward.customerShopifyId}`] } },
    customerGets: {
      value: reward.valueType === "percent" ? { percentage: (reward.value ?? 0) / 100 } : { discountAmount: { amount: minorToAmount(reward.value ?? 0, reward.currencyCode), appliesOnEachItem: false } },
      items: { all: true },
    },
    startsAt: startsAt.toISOString(),
    endsAt: reward.expiresAt?.toISOString() ?? null,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    // A reward adds to what the member already gets (their tier discount is an order discount).
    combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true },
  };
}

/**
 * Creates a pending reward's code in Shopify and records the answer: issued
 * with the discount id; failed with Shopify's words; still pending (with why)
 * when no answer came, for retryPendingReward to settle without making a
 * second code.
 */
async function createCodeInShopify(shop: string, reward: Reward, { admin, now, random }: Required<IssueOptions>): Promise<Reward> {
  let code = reward.code!;
  for (let attempt = 1; ; attempt++) {
    let answer;
    try {
      answer = await admin.request<CreateAnswer>(CREATE_REWARD_CODE, { discount: codeInput(reward, code, reward.createdAt) });
    } catch (error) {
      const why = error instanceof AdminRequestError ? error.message : String(error);
      return settleReward(shop, reward.id, { status: "pending", error: `No answer from Shopify yet (${why}); the code will be checked before it is created again.` }, now);
    }
    const payload = answer.data?.discountCodeBasicCreate;
    if (!payload) {
      const why = answer.errors?.map((error) => error.message).join("; ") || "empty answer";
      return settleReward(shop, reward.id, { status: "pending", error: `Shopify did not create the code yet (${why}).` }, now);
    }
    if (payload.codeDiscountNode) return settleReward(shop, reward.id, { status: "issued", discountId: payload.codeDiscountNode.id }, now);
    const taken = payload.userErrors.some((error) => error.code === "TAKEN" && error.field?.at(-1) === "code");
    if (!taken || attempt >= CODE_ATTEMPTS) return settleReward(shop, reward.id, { status: "failed", error: `Shopify refused the code: ${plainWords(payload.userErrors)}` }, now);
    code = rewardCode(random(32));
    await changeRewardCode(shop, reward.id, code, now);
  }
}

/**
 * Settles a code reward left pending because Shopify's answer never came:
 * when Shopify has the code for this customer, that was our creation (issued);
 * when it has none, it is created now. Safe to run again.
 */
export async function retryPendingReward(shop: string, reward: Reward, { admin, now, random = randomBytes }: IssueOptions): Promise<Reward> {
  if (reward.kind !== "code" || reward.status !== "pending" || !reward.code) return reward;
  const answer = await admin.request<ByCodeAnswer>(REWARD_CODE_BY_CODE, { code: reward.code });
  if (!answer.data) throw new AdminRequestError(`Shopify did not answer the code look-up: ${answer.errors?.map((error) => error.message).join("; ") ?? "no data"}`);
  const found = answer.data.codeDiscountNodeByCode;
  if (found) {
    const ours = found.codeDiscount.context?.customers?.some((customer) => customer.id === `gid://shopify/Customer/${reward.customerShopifyId}`);
    if (ours) return settleReward(shop, reward.id, { status: "issued", discountId: found.id }, now);
  }
  // Not there, or someone else's code by that name: create it (a taken code draws a fresh one).
  return createCodeInShopify(shop, reward, { admin, now, random });
}

/**
 * The outbox's handler for REWARD_CODE: settles the reward through
 * retryPendingReward; still no answer throws, so the worker tries again with
 * back-off (and after its last attempt keeps the effect failed with the reason,
 * the reward pending with why).
 */
export async function settleRewardEffect(effect: ClaimedEffect, admin: AdminClient, now: Date): Promise<PassResult> {
  const { rewardId } = JSON.parse(effect.payload) as { rewardId: string };
  const reward = await getReward(effect.shop, rewardId);
  if (!reward || reward.status !== "pending") return { status: "done", written: 0 };
  const settled = await retryPendingReward(effect.shop, reward, { admin, now });
  if (settled.status === "pending") throw new AdminRequestError(settled.error ?? "no answer from Shopify");
  return { status: "done", written: settled.status === "issued" ? 1 : 0 };
}

/** What the member page's reward card shows: the member's rewards, the shop's maxima and gift list. */
export async function rewardPanel(shop: string, customerShopifyId: string) {
  const [context, gifts, rewards] = await Promise.all([getRewardContext(shop), activeGifts(shop), customerRewards(shop, customerShopifyId, 20)]);
  return {
    maxPercent: context.settings.maxPercent,
    maxAmount: minorToAmount(context.settings.maxAmountMinor, context.currencyCode),
    maxAmountMinor: context.settings.maxAmountMinor,
    defaultExpiryDays: context.settings.defaultExpiryDays,
    gifts: gifts.map((gift) => ({ id: gift.id, name: gift.name })),
    rewards: rewards.map(rewardView),
  };
}

/** A reward as the page and the issue answer show it. */
export function rewardView(reward: Reward) {
  return {
    id: reward.id,
    kind: reward.kind,
    status: reward.status,
    code: reward.code,
    valueType: reward.valueType,
    value: reward.value,
    currencyCode: reward.currencyCode,
    costMinor: reward.costMinor,
    expiresAt: reward.expiresAt?.toISOString() ?? null,
    reason: reward.reason,
    issuedBy: reward.issuedByName ?? reward.issuedBy,
    /** The staff member's user id (the page names them by it, models/staff-members.server.ts). */
    issuedById: reward.issuedBy,
    error: reward.error,
    createdAt: reward.createdAt.toISOString(),
  };
}
export type RewardView = ReturnType<typeof rewardView>;
