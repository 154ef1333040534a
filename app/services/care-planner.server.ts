/**
 * The care planner (issue 8, docs/decisions/0008-care-dispatch.md): turns
 * facts into Message rows for the dispatcher, each keyed so that planning
 * again does nothing, and cancels pending touches facts have made wrong.
 *
 * Each pass for a shop:
 * - domain events after CarePlanState.lastEventId (the tier sweeper's):
 *   tier.upgraded → tierUpgrade congratulations; tier.downgradeWarning →
 *   downgradeWarning (the tier program announces a downgrade its grace period
 *   before the evaluation, with the spend needed to keep the tier: the warning
 *   goes then).
 * - from the tables, over a window since the previous pass (DomainEvent has
 *   no deliveries or orders): deliveries → postDelivery (the usage tips of
 *   the first product kind the order matches, see UsageTip); successful shipments
 *   without tracking → postDelivery as if delivered UNTRACKED days after
 *   shipping (care settings' anomalies.untrackedDeliveryDays, default 7; the
 *   same key as a real delivery, so a late carrier scan plans nothing twice);
 *   cancelled or refunded orders → that order's pending messages cancelled
 *   (orderCancelled / orderRefunded); a new order → the customer's pending
 *   replenishment and win-back planned before it cancelled (reordered); a
 *   downgrade warning not yet sent to a member no longer facing the downgrade
 *   (MemberTier.downgradeOn cleared) cancelled (stageLeft).
 * - at most hourly, time-based touches: replenishment reminders whose point
 *   is within a day, win-back for customers at risk or dormant (once per stage
 *   and last order), birthday greetings on the local birthday.
 * Unsubscribe, customers/redact and app/uninstalled cancel or erase messages
 * where they happen (app/routes/unsubscribe.*, app/services/privacy.server.ts,
 * the uninstall webhook through cancelShopMessages); the planner does not
 * repeat that. A redacted (deleted) customer gets nothing planned.
 */
import { chooseTip, FLOW_CATALOG, planBirthday, planDowngradeWarning, planPostDelivery, planReplenishment, planTierUpgrade, planWinBack, type FlowConfig, type PlanContext, type PlannedFlowMessage } from "~/domain/care/flows";
import { daysUntilBirthday } from "~/domain/follow-ups";
import { localDate } from "~/domain/local-time";
import type { TierRule } from "~/domain/tiers";
import type { CareFlowKey } from "~/domain/care/types";
import { formatMoney, localeForTag, type Locale } from "~/i18n";
import { percentOff } from "~/i18n/glossary";
import {
  birthdaysOn,
  cancelledOrRefundedBetween,
  carePlanState,
  customersInStages,
  deliveredBetween,
  lastOrders,
  memberTierHandles,
  ordersPlacedBetween,
  pendingFlowKeys,
  planCustomers,
  planOrders,
  remindersBetween,
  saveCarePlanState,
  staleWarningKeys,
  untrackedShippedBetween,
  type PlanCustomer,
  type PlanFulfillment,
  type PlanOrder,
} from "~/models/care-plan.server";
import { getFlowSettings } from "~/models/care-flows.server";
import { getCareContext } from "~/models/care-settings.server";
import { withShopLock } from "~/models/locks.server";
import { cancelMessages, planMessages } from "~/models/messages.server";
import { getShop } from "~/models/shops.server";
import { domainEventsAfter, getTierProgram } from "~/models/tiers.server";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The first pass of a shop looks this far back for deliveries and orders. */
export const FIRST_LOOKBACK_MS = 2 * DAY;
/** Later passes re-read this much before the previous one: facts projected late (a webhook retried) are still seen. */
export const OVERLAP_MS = DAY;
/** A shop down for long is caught up at most this far back (older steps would be past their validity anyway). */
export const MAX_LOOKBACK_MS = 30 * DAY;
/** Time-based touches are looked for at most this often. */
export const SWEEP_EVERY_MS = HOUR;
/** Ids per query (under every IN-list limit). */
const PAGE = 500;

export interface PlanSummary {
  planned: number;
  cancelled: number;
  events: number;
  swept: boolean;
}

export interface ShopFacts {
  shop: string;
  now: Date;
  flows: Record<CareFlowKey, FlowConfig>;
  timeZone: string;
  shopLocale: string;
  currencyCode: string;
  tiers: TierRule[];
}

export const formatDate = (date: Date, locale: Locale, timeZone: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(date);

function perksLine(tier: TierRule | undefined, locale: Locale): string {
  if (!tier) return "";
  const parts: string[] = [];
  // The glossary's one form of a percentage off (ADR 0027), on everything in Chinese.
  if (tier.perks.discountPercent > 0) parts.push(locale === "zh-CN" ? `全场${percentOff(tier.perks.discountPercent, locale)}` : percentOff(tier.perks.discountPercent, locale));
  if (tier.perks.freeShipping) parts.push(locale === "zh-CN" ? "免运费" : "free shipping");
  for (const note of tier.perks.notes) parts.push(note[locale] || note.en);
  return parts.join(locale === "zh-CN" ? "，" : ", ");
}

/** What every flow's template may use about the customer, their tier and the shop, in the customer's language. */
export function customerVariables(facts: ShopFacts, customer: PlanCustomer, tierHandle: string | undefined) {
  const locale = localeForTag(customer.locale || facts.shopLocale);
  const tier = facts.tiers.find((t) => t.handle === tierHandle);
  const shopUrl = `https://${facts.shop}`;
  return {
    locale,
    timeZone: customer.timeZone || facts.timeZone,
    variables: {
      firstName: customer.firstName ?? "",
      lastName: customer.lastName ?? "",
      fullName: [customer.firstName, customer.lastName].filter(Boolean).join(" "),
      tierName: tier ? tier.name[locale] || tier.name.en : "",
      perks: perksLine(tier, locale),
      tierGift: tier?.entryGift ?? "",
      birthdayGift: tier?.perks.birthdayGift ?? "",
      shopUrl,
      reviewUrl: `${shopUrl}/account/orders`,
      returnUrl: `${shopUrl}/account/orders`,
      reorderUrl: `${shopUrl}/account/orders`,
    } as Record<string, string | number | null>,
  };
}

export const orderVariables = (order: PlanOrder | undefined) => ({
  orderName: order?.name ?? "",
  productTitle: order?.lines[0]?.title ?? "",
  productTitles: order ? order.lines.map((line) => line.title).join(", ") : "",
});

function context(facts: ShopFacts, flow: CareFlowKey, customer: PlanCustomer, tierHandle: string | undefined, extra: Record<string, string | number | null> = {}): PlanContext & { locale: Locale } {
  const base = customerVariables(facts, customer, tierHandle);
  return { shop: facts.shop, now: facts.now, config: facts.flows[flow], customerShopifyId: customer.shopifyId, timeZone: base.timeZone, locale: base.locale, variables: { ...base.variables, ...extra } };
}

const chunk = <T>(items: T[], size = PAGE): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

async function planDeliveries(facts: ShopFacts, fulfillments: Array<PlanFulfillment & { at: Date }>): Promise<number> {
  if (!facts.flows.postDelivery.enabled || fulfillments.length === 0) return 0;
  let planned = 0;
  for (const page of chunk(fulfillments)) {
    const orders = await planOrders(facts.shop, page.map((f) => f.orderShopifyId));
    const customerIds = [...orders.values()].map((o) => o.customerShopifyId).filter((id): id is string => !!id);
    const [customers, tiers] = await Promise.all([planCustomers(facts.shop, customerIds), memberTierHandles(facts.shop, customerIds)]);
    const rows: PlannedFlowMessage[] = [];
    for (const fulfillment of page) {
      const order = orders.get(fulfillment.orderShopifyId);
      const customer = order?.customerShopifyId ? customers.get(order.customerShopifyId) : undefined;
      // A parcel of an order that counts for nothing gets no care: a cancelled
      // one (the cancellation cancelled it), a test order, one refunded in full.
      if (!order || !order.countsAsPurchase || !customer) continue;
      const ctx = context(facts, "postDelivery", customer, tiers.get(customer.shopifyId), {
        ...orderVariables(order),
        deliveredOn: formatDate(fulfillment.at, localeForTag(customer.locale || facts.shopLocale), customer.timeZone || facts.timeZone),
        carrier: fulfillment.trackingCompany ?? "",
        trackingNumber: fulfillment.trackingNumber ?? "",
        trackingUrl: fulfillment.trackingUrl ?? "",
      });
      const tipMatch = chooseTip(facts.flows.postDelivery, order.lines.flatMap((line) => [line.title, line.vendor, line.sku]));
      rows.push(...planPostDelivery(ctx, { fulfillmentShopifyId: fulfillment.shopifyId, orderShopifyId: fulfillment.orderShopifyId, deliveredAt: fulfillment.at, tipMatch }));
    }
    planned += await planMessages(facts.shop, rows, facts.now);
  }
  return planned;
}

async function planTierEvents(facts: ShopFacts, afterId: number): Promise<{ lastEventId: number; planned: number; events: number }> {
  let lastEventId = afterId;
  let planned = 0;
  let events = 0;
  for (;;) {
    const page = await domainEventsAfter(facts.shop, lastEventId, ["tier.upgraded", "tier.downgradeWarning"], PAGE);
    if (page.length === 0) break;
    events += page.length;
    const ids = page.map((e) => e.customerShopifyId).filter((id): id is string => !!id);
    const [customers, tiers] = await Promise.all([planCustomers(facts.shop, ids), memberTierHandles(facts.shop, ids)]);
    const rows: PlannedFlowMessage[] = [];
    const warnedNow = new Set<string>();
    for (const event of page) {
      const customer = event.customerShopifyId ? customers.get(event.customerShopifyId) : undefined;
      if (!customer) continue;
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(event.payload) as Record<string, unknown>;
      } catch {
        payload = {};
      }
      if (event.kind === "tier.upgraded" && facts.flows.tierUpgrade.enabled) {
        const to = payload.to as { handle?: string } | null;
        // The tier the event names (the member may have moved on since).
        const ctx = context(facts, "tierUpgrade", customer, to?.handle ?? tiers.get(customer.shopifyId));
        rows.push(...planTierUpgrade(ctx, { eventId: event.id, at: event.at }));
      } else if (event.kind === "tier.downgradeWarning" && facts.flows.downgradeWarning.enabled) {
        const tier = payload.tier as { handle?: string } | null;
        const base = context(facts, "downgradeWarning", customer, tier?.handle ?? tiers.get(customer.shopifyId));
        const downgradeOn = typeof payload.downgradeOn === "string" ? new Date(payload.downgradeOn) : null;
        const spend = typeof payload.spendToKeepMinor === "number" ? payload.spendToKeepMinor : null;
        const currency = typeof payload.currencyCode === "string" ? payload.currencyCode : facts.currencyCode;
        const ctx = {
          ...base,
          variables: {
            ...base.variables,
            // The review falls at the shop's midnight (the sweep's): its date there, the day after the last one that counts.
            downgradeOn: downgradeOn ? formatDate(downgradeOn, base.locale, facts.timeZone) : "",
            amountToKeepTier: spend !== null ? formatMoney(spend, currency, base.locale) : "",
          },
        };
        rows.push(...planDowngradeWarning(ctx, { eventId: event.id, at: event.at }));
        warnedNow.add(customer.shopifyId);
      }
    }
    planned += await planMessages(facts.shop, rows, facts.now);
    // A downgrade announced again (the earlier warning never reached the member):
    // an earlier warning still waiting would name the old date; the new one replaces it.
    for (const customerShopifyId of warnedNow) {
      const older = await pendingFlowKeys(facts.shop, customerShopifyId, ["downgradeWarning"], facts.now);
      if (older.length) await cancelMessages(facts.shop, { customerShopifyId, idempotencyKeys: older }, "replaced", facts.now);
    }
    lastEventId = page.at(-1)!.id;
  }
  return { lastEventId, planned, events };
}

async function cancelForOrders(facts: ShopFacts, from: Date): Promise<number> {
  const { shop, now } = facts;
  let cancelled = 0;
  const { cancelled: cancelledOrders, refunded } = await cancelledOrRefundedBetween(shop, from, now);
  for (const order of cancelledOrders) cancelled += await cancelMessages(shop, { orderShopifyId: order }, "orderCancelled", now);
  for (const order of refunded) cancelled += await cancelMessages(shop, { orderShopifyId: order }, "orderRefunded", now);
  // A reorder: the reminder and the win-back were about not having ordered.
  for (const order of await ordersPlacedBetween(shop, from, now)) {
    const keys = await pendingFlowKeys(shop, order.customerShopifyId, ["replenishment", "winBack"], order.processedAt);
    if (keys.length) cancelled += await cancelMessages(shop, { customerShopifyId: order.customerShopifyId, idempotencyKeys: keys }, "reordered", now);
  }
  // A warning whose downgrade is off (the member met the threshold again) or already done would be wrong news.
  for (const [customerShopifyId, keys] of await staleWarningKeys(shop)) cancelled += await cancelMessages(shop, { customerShopifyId, idempotencyKeys: keys }, "stageLeft", now);
  return cancelled;
}

async function sweep(facts: ShopFacts): Promise<number> {
  const { shop, now, flows } = facts;
  let planned = 0;
  if (flows.replenishment.enabled) {
    // Reminder points from the step's delay before them up to a day ahead; past points stay plannable while valid.
    const delay = flows.replenishment.steps.reminder?.delayDays ?? 0;
    const from = new Date(now.getTime() - delay * DAY - FLOW_CATALOG.replenishment.validityDays * DAY);
    const to = new Date(now.getTime() - delay * DAY + DAY);
    for (const page of chunk(await remindersBetween(shop, from, to))) {
      const [orders, tiers] = await Promise.all([lastOrders(shop, page), memberTierHandles(shop, page.map((c) => c.shopifyId))]);
      const rows = page.flatMap((customer) => {
        const order = orders.get(customer.shopifyId);
        if (!order || !customer.reminderAt) return [];
        return planReplenishment(context(facts, "replenishment", customer, tiers.get(customer.shopifyId), orderVariables(order)), { reminderAt: customer.reminderAt, lastOrderShopifyId: order.shopifyId });
      });
      planned += await planMessages(shop, rows, now);
    }
  }
  if (flows.winBack.enabled) {
    const ranks = new Map([...facts.tiers].sort((a, b) => a.rank - b.rank).map((tier, index) => [tier.handle, index]));
    for (const page of chunk(await customersInStages(shop, ["atRisk", "dormant"]))) {
      const [orders, tiers] = await Promise.all([lastOrders(shop, page), memberTierHandles(shop, page.map((c) => c.shopifyId))]);
      const rows = page.flatMap((customer) => {
        const order = orders.get(customer.shopifyId);
        if (!order) return [];
        const handle = tiers.get(customer.shopifyId);
        return planWinBack(context(facts, "winBack", customer, handle, orderVariables(order)), {
          stage: customer.lifecycleStage as "atRisk" | "dormant",
          since: now,
          lastOrderShopifyId: order.shopifyId,
          tierRank: handle ? (ranks.get(handle) ?? 0) : 0,
        });
      });
      planned += await planMessages(shop, rows, now);
    }
  }
  if (flows.birthday.enabled) {
    // Month-days from a day behind (zones west of UTC) to the lead ahead (a greeting planned days early).
    const lead = Math.max(0, -(flows.birthday.steps.greeting?.delayDays ?? 0)) + 1;
    const monthDays = new Set<string>();
    for (let d = -1; d <= lead; d++) monthDays.add(new Date(now.getTime() + d * DAY).toISOString().slice(5, 10));
    const files = await birthdaysOn(shop, [...monthDays]);
    for (const page of chunk(files)) {
      const ids = page.map((f) => f.customerShopifyId);
      const [customers, tiers] = await Promise.all([planCustomers(shop, ids), memberTierHandles(shop, ids)]);
      const rows = page.flatMap((file) => {
        const customer = customers.get(file.customerShopifyId);
        if (!customer) return [];
        const zone = customer.timeZone || facts.timeZone;
        const today = localDate(now, zone);
        const days = daysUntilBirthday(file.birthday, today);
        if (days === null || days > lead) return [];
        const date = new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
        return planBirthday(context(facts, "birthday", customer, tiers.get(customer.shopifyId)), { localDate: date });
      });
      planned += await planMessages(shop, rows, now);
    }
  }
  return planned;
}

/**
 * One planner pass for a shop at `now`. Two processes (the web process and a
 * worker on the scale path) take turns per shop, so neither moves
 * CarePlanState back under the other; planning itself is idempotent anyway.
 */
export async function planCare(shop: string, now: Date): Promise<PlanSummary> {
  return withShopLock("care-planner", shop, () => planPass(shop, now));
}

async function planPass(shop: string, now: Date): Promise<PlanSummary> {
  const [state, settings, care, program, shopRow] = await Promise.all([carePlanState(shop), getFlowSettings(shop), getCareContext(shop), getTierProgram(shop), getShop(shop)]);
  if (!care.installed) return { planned: 0, cancelled: 0, events: 0, swept: false };
  const flows = Object.fromEntries(Object.entries(settings).map(([flow, setting]) => [flow, setting.config])) as Record<CareFlowKey, FlowConfig>;
  const facts: ShopFacts = { shop, now, flows, timeZone: care.timeZone, shopLocale: care.locale, currencyCode: shopRow?.currencyCode ?? "USD", tiers: program?.tiers ?? [] };

  const from = state ? new Date(Math.max(state.updatedAt.getTime() - OVERLAP_MS, now.getTime() - MAX_LOOKBACK_MS)) : new Date(now.getTime() - FIRST_LOOKBACK_MS);
  // Cancellations first: a parcel of an order cancelled since is not cared for.
  const cancelled = await cancelForOrders(facts, from);
  const events = await planTierEvents(facts, state?.lastEventId ?? 0);
  let planned = events.planned;
  planned += await planDeliveries(facts, (await deliveredBetween(shop, from, now)).map((f) => ({ ...f, at: f.deliveredAt! })));
  const untrackedDays = care.settings.anomalies.untrackedDeliveryDays;
  const shipped = await untrackedShippedBetween(shop, new Date(from.getTime() - untrackedDays * DAY), new Date(now.getTime() - untrackedDays * DAY));
  planned += await planDeliveries(facts, shipped.map((f) => ({ ...f, at: new Date(f.shopifyCreatedAt!.getTime() + untrackedDays * DAY) })));

  const sweepDue = !state?.sweptAt || now.getTime() - state.sweptAt.getTime() >= SWEEP_EVERY_MS;
  if (sweepDue) planned += await sweep(facts);
  await saveCarePlanState(shop, { lastEventId: events.lastEventId, sweptAt: sweepDue ? now : (state?.sweptAt ?? null) }, now);
  return { planned, cancelled, events: events.events, swept: sweepDue };
}

