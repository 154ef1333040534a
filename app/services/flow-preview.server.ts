/**
 * The journey preview of the Flows page: for a sample customer of the shop
 * (its most recent buyer; an invented one before the first order), each step
 * of a flow as it would be planned if the flow's trigger happened now: its
 * planned time in the customer's own zone and its content rendered in the
 * customer's language with the values the planner would fix. Nothing is
 * stored or sent.
 */
import { chooseTip, FLOW_CATALOG, journeySteps, stepContent, stepTime, WIN_BACK_TIER_BONUS_PERCENT, type FlowConfig } from "~/domain/care/flows";
import { offerEndsAt, withOfferCode } from "~/domain/care/offers";
import { renderMessage, type RenderedMessage } from "~/domain/care/templates";
import type { CareFlowKey, MessageClass } from "~/domain/care/types";
import { formatDateTime, formatMoney, localeForTag, type Locale } from "~/i18n";
import { lastOrders, memberTierHandles, sampleCustomer, type PlanCustomer, type PlanOrder } from "~/models/care-plan.server";
import { getCareContext } from "~/models/care-settings.server";
import { getShop } from "~/models/shops.server";
import { getRewardContext } from "~/models/rewards.server";
import { getTierProgram } from "~/models/tiers.server";
import { customerVariables, formatDate, orderVariables, type ShopFacts } from "./care-planner.server";
import { offerCodeVariables } from "./offer-codes.server";

const DAY = 86_400_000;

export interface JourneyStep {
  step: string;
  delayDays: number;
  enabled: boolean;
  messageClass: MessageClass;
  plannedAt: string;
  /** The planned time on the customer's clock, in the merchant's language. */
  localTime: string;
  rendered: RenderedMessage;
}

export interface Journey {
  customer: { name: string; sample: boolean; locale: Locale; timeZone: string };
  steps: JourneyStep[];
}

export async function flowJourney(shop: string, flow: CareFlowKey, config: FlowConfig, now: Date, adminLocale: Locale): Promise<Journey> {
  const [care, program, shopRow, found, rewards] = await Promise.all([getCareContext(shop), getTierProgram(shop), getShop(shop), sampleCustomer(shop), getRewardContext(shop)]);
  const rewardDays = rewards.settings.defaultExpiryDays;
  const invented: PlanCustomer = {
    shopifyId: "sample",
    firstName: adminLocale === "zh-CN" ? "小林" : "Alex",
    lastName: null,
    locale: adminLocale,
    timeZone: null,
    lastOrderAt: null,
    reminderAt: null,
    lifecycleStage: null,
  };
  const customer = found ?? invented;
  const facts: ShopFacts = { shop, now, flows: {} as ShopFacts["flows"], timeZone: care.timeZone, shopLocale: care.locale, currencyCode: shopRow?.currencyCode ?? "USD", tiers: program?.tiers ?? [] };
  const [orders, tiers] = found ? await Promise.all([lastOrders(shop, [found]), memberTierHandles(shop, [found.shopifyId])]) : [new Map<string, PlanOrder>(), new Map<string, string>()];
  const tierHandle = tiers.get(customer.shopifyId) ?? [...facts.tiers].sort((a, b) => a.rank - b.rank)[0]?.handle;
  const base = customerVariables(facts, customer, tierHandle);
  const order = orders.get(customer.shopifyId);
  const sampleOrder: PlanOrder = order ?? { shopifyId: "1001", customerShopifyId: null, name: "#1001", processedAt: now, cancelledAt: null, countsAsPurchase: true, lines: [{ title: adminLocale === "zh-CN" ? "乌龙茶" : "Oolong tea", vendor: null, sku: null }] };
  const tierRank = Math.max(0, [...facts.tiers].sort((a, b) => a.rank - b.rank).findIndex((tier) => tier.handle === tierHandle));
  const variables = {
    ...base.variables,
    ...orderVariables(sampleOrder),
    deliveredOn: formatDate(now, base.locale, base.timeZone),
    carrier: "SF Express",
    trackingNumber: "SF1234567890",
    trackingUrl: "https://www.sf-express.com/",
    downgradeOn: formatDate(new Date(now.getTime() + 30 * DAY), base.locale, base.timeZone),
    amountToKeepTier: formatMoney(10_000, facts.currencyCode, base.locale),
  };
  const def = FLOW_CATALOG[flow];
  const tip = chooseTip(config, sampleOrder.lines.flatMap((line) => [line.title, line.vendor, line.sku]));
  const steps = journeySteps(flow, config).map((step) => {
    const plannedAt = stepTime(now, step.delayDays, base.timeZone);
    const offer = def.steps.find((s) => s.step === step.step)?.offerPercent;
    const wording = stepContent(flow, config, step.step, base.locale, tip) ?? { subject: "", body: "", sms: "" };
    // An offer goes with its code (issue 17): the preview shows a sample code and its last day, and the code's line where the wording lacks it, as the dispatcher sends it.
    const content = offer !== undefined ? withOfferCode(wording, base.locale) : wording;
    const offerVariables = offer !== undefined ? { discountPercent: Math.min(50, offer + tierRank * WIN_BACK_TIER_BONUS_PERCENT), ...offerCodeVariables("MC-SAMPLE23", offerEndsAt(now, rewardDays, base.timeZone), base.locale, base.timeZone) } : {};
    // Membership emails carry their own opt-out link (ADR 0011), as the dispatcher sends them.
    const membershipEmail = def.membership === true && step.messageClass === "transactional" && config.channel !== "sms";
    const rendered = renderMessage(content, { ...variables, ...offerVariables }, {
      locale: base.locale,
      unsubscribeUrl: step.messageClass === "marketing" || membershipEmail ? `https://${shop}/unsubscribe` : null,
      unsubscribeTopic: membershipEmail ? "membership" : "marketing",
      shopName: care.shopName,
    });
    return {
      ...step,
      plannedAt: plannedAt.toISOString(),
      localTime: formatDateTime(plannedAt, adminLocale, base.timeZone),
      rendered,
    };
  });
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.shopifyId;
  return { customer: { name, sample: !found, locale: localeForTag(customer.locale || care.locale), timeZone: base.timeZone }, steps };
}
