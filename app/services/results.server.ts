// Results of flows and campaigns against their holdouts (issue 9): each
// activity's messages and its audience's orders, through the pure
// attribution in app/domain/results.
import { attributeActivity, DEFAULT_ATTRIBUTION_WINDOW_DAYS } from "~/domain/results/attribution";
import type { ActivityCounts, ActivitySummary } from "~/domain/results/report";
import { CARE_FLOWS, type Channel } from "~/domain/care/types";
import { getCareSettings } from "~/models/care-settings.server";
import { getCampaign, listCampaigns } from "~/models/campaigns.server";
import { activityMessages, activitySources, audienceOrders } from "~/models/results.server";
import { activityOfferCosts, audienceRewardCosts, offerDiscountsOnOrders } from "~/models/rewards.server";
import { getShop } from "~/models/shops.server";

const DAY_MS = 86_400_000;

/** What one message costs to send, per channel, in shop money minor units (email through the app's SMTP: nothing extra). */
export type MessageCosts = Record<Channel, number>;
export const NO_MESSAGE_COSTS: MessageCosts = { email: 0, sms: 0, flow: 0 };

/** The shop's prices per sent message from its care settings (Flow is the merchant's workflow: nothing of ours to price). */
export async function shopMessageCosts(shop: string): Promise<MessageCosts> {
  const { messageCosts } = await getCareSettings(shop);
  return { email: messageCosts.email, sms: messageCosts.sms, flow: 0 };
}

async function summarize(shop: string, kind: "flow" | "campaign", id: string, name: string, windowDays: number, now: Date, costs: MessageCosts, since?: Date): Promise<ActivitySummary> {
  const [messages, shopRow] = await Promise.all([activityMessages(shop, id, now, since), getShop(shop)]);
  const counts: ActivityCounts = { audience: 0, contacted: 0, heldOut: 0, sent: 0, deferred: 0, blocked: 0, failed: 0, expired: 0, cancelled: 0, opened: null };
  const group = new Map<string, boolean>();
  let messagesCost = 0;
  let earliest = Infinity;
  let latest = -Infinity;
  for (const message of messages) {
    if (!group.has(message.customerShopifyId)) group.set(message.customerShopifyId, message.holdout);
    if (message.status === "sent") {
      counts.sent++;
      messagesCost += costs[message.channel as Channel] ?? 0;
    }
    if (message.deferred) counts.deferred++;
    if (message.status === "blocked") counts.blocked++;
    if (message.status === "failed") counts.failed++;
    if (message.status === "expired") counts.expired++;
    if (message.status === "cancelled") counts.cancelled++;
    earliest = Math.min(earliest, +message.plannedAt);
    latest = Math.max(latest, +message.plannedAt);
  }
  counts.audience = group.size;
  counts.heldOut = [...group.values()].filter(Boolean).length;
  counts.contacted = counts.audience - counts.heldOut;
  const orders = messages.length ? await audienceOrders(shop, id, new Date(earliest), new Date(latest + windowDays * DAY_MS)) : [];
  // Staff gifts to the contacted group in the window (issue 10). A reward code
  // costs only when redeemed, and then it is in the order's discounts already.
  const rewards = messages.length ? await audienceRewardCosts(shop, id, new Date(earliest), new Date(latest + windowDays * DAY_MS)) : { codesMinor: 0, giftsMinor: 0 };
  // Offer codes (issue 17): what this activity's codes took off the orders
  // that redeemed them is its cost. Those discounts are left out of the
  // orders' discounts below, so a code counts once, for the activity that sent it.
  const offers = messages.length ? await activityOfferCosts(shop, id) : { redeemed: 0, redeemedMinor: 0, sent: 0 };
  const offerDiscounts = await offerDiscountsOnOrders(shop, orders.map((order) => order.shopifyId));
  const ordersNetOfOffers = orders.map((order) => ({ ...order, discountMinor: Math.max(0, order.discountMinor - (offerDiscounts.get(order.shopifyId) ?? 0)) }));
  // Exposure is the planned time for both groups: the holdout has no send time, and a deferral is the policy's doing, not the customer's.
  const audience = messages.map((message) => ({ customerShopifyId: message.customerShopifyId, group: message.holdout ? ("holdout" as const) : ("contacted" as const), exposedAt: message.plannedAt }));
  const result = attributeActivity(audience, ordersNetOfOffers, { messagesMinor: messagesCost, rewardsMinor: rewards.giftsMinor + offers.redeemedMinor }, windowDays);
  return { kind, id, name, currencyCode: shopRow?.currencyCode ?? "USD", counts, result, windowOpen: messages.length > 0 && latest + windowDays * DAY_MS > +now };
}

// Without `costs`, each reads the shop's prices from its care settings.
export async function campaignSummary(shop: string, id: string, now: Date, costs?: MessageCosts): Promise<ActivitySummary | null> {
  const campaign = await getCampaign(shop, id);
  if (!campaign) return null;
  return summarize(shop, "campaign", id, campaign.name, campaign.attributionDays, now, costs ?? (await shopMessageCosts(shop)));
}

export async function flowSummary(shop: string, flow: string, now: Date, costs?: MessageCosts): Promise<ActivitySummary> {
  return summarize(shop, "flow", flow, flow, DEFAULT_ATTRIBUTION_WINDOW_DAYS, now, costs ?? (await shopMessageCosts(shop)));
}

/**
 * Every flow that planned messages and every campaign past draft, for the
 * Results page and its CSV. Given `since` (the Overview's period), each
 * activity as exposed from then on: its messages planned since, their
 * holdout, their windows' orders and costs; activities with none are left out.
 */
export async function resultsOverview(shop: string, now: Date, given?: MessageCosts, since?: Date): Promise<ActivitySummary[]> {
  const costs = given ?? (await shopMessageCosts(shop));
  const flows = new Set((await activitySources(shop)).filter((row) => row.source === "flow").map((row) => row.sourceId));
  const rows: ActivitySummary[] = [];
  for (const flow of CARE_FLOWS) if (flows.has(flow)) rows.push(await summarize(shop, "flow", flow, flow, DEFAULT_ATTRIBUTION_WINDOW_DAYS, now, costs, since));
  for (const campaign of await listCampaigns(shop)) {
    if (campaign.status === "draft") continue;
    rows.push(await summarize(shop, "campaign", campaign.id, campaign.name, campaign.attributionDays, now, costs, since));
  }
  return since ? rows.filter((row) => row.counts.audience > 0) : rows;
}
