/**
 * The dispatcher (issue 8, docs/decisions/0008-care-dispatch.md): the one
 * place care flows and campaigns send from, under the one contact policy.
 *
 * A pass claims due messages with a lease, groups them by customer, and puts
 * each customer's in priority order to the policy (app/domain/care/contact-policy.ts).
 * Every decision is a MessageDecision row with its reason. To send, one
 * message at a time:
 *   1. in one transaction, read the customer's counted sends (the cap), ask
 *      the policy, and mark the message "sending" (committed; on PostgreSQL
 *      under a per-customer advisory lock, so two dispatchers never both take
 *      the last slot);
 *   2. render it and hand it to its channel;
 *   3. mark it "sent" (sentAt, the provider's id) at once.
 * A dispatcher killed between 1 and 3 leaves one message "sending" with a
 * lease that runs out; the next pass sends it again with the same
 * idempotency key (the email's Message-ID), so a receiver that deduplicates
 * sees it once. Transient channel failures (thrown) are retried with
 * exponential back-off, then kept as failed with the reason; a provider's
 * refusal fails the message at once. Nothing is dropped without a row that
 * says why.
 *
 * An offer is a code (issue 17, app/services/offer-codes.server.ts): a message
 * that offers a discount is not marked "sending" until its code exists in
 * Shopify. When the policy first lets it through, its code is asked for and
 * the message waits (deferred, offerCodePending); it goes with the code once
 * the outbox created it, and never without: a code that cannot be made fails
 * the message (offerCodeFailed), wording that promises an offer the message
 * does not have blocks it (noOffer).
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { backoffMs } from "~/jobs/queue.server";
import { DEFAULT_ACTIVE_HOURS_OPTIONS, learnActiveHours, type ActiveHours, type ActiveHoursOptions } from "~/domain/care/active-hours";
import { countsAgainstCaps, decide, dispatchOrder, type PolicyDecision } from "~/domain/care/contact-policy";
import { localHour, resolveTimeZone } from "~/domain/local-time";
import { flowTriggerFor } from "~/domain/care/flow-triggers";
import { resolveSender } from "~/domain/care/settings";
import { needsOfferCode, offerPercent, offerRecheckMs, offerVerdict, withOfferCode, type OfferVerdict } from "~/domain/care/offers";
import { renderMessage } from "~/domain/care/templates";
import type { Channel } from "~/domain/care/types";
import type { UnsubscribeTopic } from "~/domain/care/unsubscribe-token";
import { appMailFrom } from "~/env.server";
import { localeForTag } from "~/i18n";
import { orderTimes } from "~/models/active-hours.server";
import { getCareContext, type CareContext } from "~/models/care-settings.server";
import {
  claimDueMessages,
  countedSends,
  dispatchCustomers,
  holdLease,
  markResending,
  markSending,
  releaseClaim,
  settleMessage,
  withCustomerTransaction,
  type ClaimedMessage,
  type DispatchCustomer,
  type Settlement,
} from "~/models/message-dispatch.server";
import { isTimeout } from "./call-deadlines.server";
import type { ChannelSender, OutgoingMessage } from "./channels/types";
import { unsubscribeUrl as signedUnsubscribeUrl } from "./channels/unsubscribe.server";
import { recordWarningDelivered } from "./membership-warnings.server";
import type { Clock } from "./clock.server";
import { systemClock } from "./clock.server";
import { defaultContentResolvers, type ContentResolvers, type MessageContent } from "./message-content.server";
import { offerCodeState, offerCodeVariables, requestOfferCode } from "./offer-codes.server";
import { startQueueLoop } from "~/jobs/runner.server";
import { forEachShop, shopConcurrency, type LaneHooks } from "./shop-lanes.server";

export interface DispatchOptions {
  channels: Record<Channel, ChannelSender>;
  /** Messages claimed per pass. */
  limit?: number;
  /** How long a claim, and a message being sent, is held before another dispatcher may take it over; longer than any channel's timeout. */
  leaseMs?: number;
  /** Send attempts before a message that keeps failing transiently is kept as failed. */
  maxAttempts?: number;
  /** Delay before retry number `attempt` (1 = after the first failure). */
  retryDelayMs?: (attempt: number) => number;
  /** Where times after the pass's `now` come from (sentAt); the pass's `now` when absent. */
  clock?: Clock;
  owner?: string;
  /** The content of each source's messages (flows, campaigns); tests and issue 9 may replace one. */
  content?: Partial<ContentResolvers>;
  /** The one-click unsubscribe link of marketing messages. */
  unsubscribeUrl?: (shop: string, customerShopifyId: string, channel: Channel, topic?: UnsubscribeTopic) => string;
  /** Sender address for shops whose settings name none. */
  defaultFromEmail?: (shop: string) => string;
  log?: (message: string) => void;
  /** Asked between messages: true stops the pass (the rest of the claim is released). */
  stopping?: () => boolean;
  /** Shops sent for side by side in a pass (default WORKER_SHOP_CONCURRENCY). */
  shopConcurrency?: number;
  /**
   * Active hours (issue 10): a message goes in its customer's learned active
   * hours when its source allows it (a campaign's or a care flow's
   * activeHours); hours are learned per pass from the local times of the
   * customer's orders in the last `lookbackDays` (730).
   */
  activeHours?: { options?: ActiveHoursOptions; lookbackDays?: number };
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  deferred: number;
  blocked: number;
  expired: number;
  cancelled: number;
  retried: number;
  failed: number;
  /** Messages this pass lost its lease on (cancelled meanwhile, or taken over): left to whoever holds them. */
  skipped: number;
}

const emptyResult = (): DispatchResult => ({ claimed: 0, sent: 0, deferred: 0, blocked: 0, expired: 0, cancelled: 0, retried: 0, failed: 0, skipped: 0 });

export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The job queue's one back-off policy (app/jobs/queue.server.ts): eight attempts span about two hours of provider outage. */
export const defaultRetryDelayMs = backoffMs;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n").filter(Boolean).at(-1)?.slice(0, 500) ?? "unknown error";

let claimCounter = 0;

/** What one pass knows about a shop (read once per pass). */
interface ShopContext {
  care: CareContext;
  customers: Map<string, DispatchCustomer>;
  /** The batch's customers' active hours, learned once per pass when a message first needs them. */
  activeHours?: Promise<Map<string, ActiveHours>>;
  /** Channels whose send timed out for this shop in this pass: its other messages on them wait for the retry. */
  timedOut: Set<Channel>;
}

/** Every customer of the shop's batch at once: one read of their orders' times. */
function batchActiveHours(shop: string, context: ShopContext, now: Date, options: DispatchOptions): Promise<Map<string, ActiveHours>> {
  if (!context.activeHours) {
    const lookbackDays = options.activeHours?.lookbackDays ?? 730;
    const learning = options.activeHours?.options ?? DEFAULT_ACTIVE_HOURS_OPTIONS;
    context.activeHours = orderTimes(shop, [...context.customers.keys()], new Date(now.getTime() - lookbackDays * 86_400_000)).then((times) => {
      const hours = new Map<string, ActiveHours>();
      for (const customer of context.customers.values()) {
        const zone = resolveTimeZone(customer.timeZone, context.care.timeZone);
        hours.set(customer.shopifyId, learnActiveHours((times.get(customer.shopifyId) ?? []).map((at) => localHour(at, zone)), learning));
      }
      return hours;
    });
  }
  return context.activeHours;
}

/**
 * One pass: claims up to `limit` due messages at `now` and decides, sends or
 * retries each. Returns what became of them.
 *
 * Shops run side by side (at most `shopConcurrency`, shop-lanes.server.ts),
 * each shop's customers one after another as before, so a shop whose channel
 * hangs (its Flow trigger through its own Admin API) holds up only its own
 * messages. When a send for a shop times out, the shop's other messages on
 * that channel in this pass are not tried: they are given back due at the
 * first retry's time, no attempt spent.
 */
export async function dispatchDue(now: Date, options: DispatchOptions, lanes?: LaneHooks): Promise<DispatchResult> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const claimToken = `${options.owner ?? `${os.hostname()}:${process.pid}`}:dispatch:${++claimCounter}:${randomUUID()}`;
  let claimed: ClaimedMessage[];
  try {
    claimed = await claimDueMessages({ claimToken, limit: options.limit ?? 100, now, leaseMs, excludeShops: lanes?.excludeShops });
  } catch (error) {
    lanes?.claimed([]);
    throw error;
  }
  lanes?.claimed([...new Set(claimed.map((message) => message.shop))]);
  const result = emptyResult();
  result.claimed = claimed.length;
  if (claimed.length === 0) return result;

  const clock: Clock = options.clock ?? { now: () => now };
  const content = { ...defaultContentResolvers(), ...options.content };
  const pending = new Set(claimed.map((message) => message.id));
  const waitForRetry: string[] = [];
  try {
    await forEachShop(claimed, options.shopConcurrency ?? shopConcurrency(), async (shopDomain, messages) => {
      try {
        const ids = [...new Set(messages.map((message) => message.customerShopifyId))];
        const shop: ShopContext = { care: await getCareContext(shopDomain), customers: await dispatchCustomers(shopDomain, ids), timedOut: new Set() };
        // Per customer, in priority order: the first sent takes the cap's slot and
        // the cap defers the rest behind it.
        const byCustomer = new Map<string, ClaimedMessage[]>();
        for (const message of messages) byCustomer.set(message.customerShopifyId, [...(byCustomer.get(message.customerShopifyId) ?? []), message]);
        for (const group of byCustomer.values()) {
          for (const message of dispatchOrder(group)) {
            if (options.stopping?.()) return;
            pending.delete(message.id);
            if (shop.timedOut.has(message.channel)) {
              waitForRetry.push(message.id);
              result.deferred++;
              continue;
            }
            const outcome = await dispatchOne(message, shop, content, clock, options, leaseMs);
            result[outcome]++;
          }
        }
      } finally {
        lanes?.settled(shopDomain);
      }
    });
  } finally {
    if (pending.size > 0) await releaseClaim(claimToken, [...pending]);
    if (waitForRetry.length > 0) await releaseClaim(claimToken, waitForRetry, new Date(clock.now().getTime() + (options.retryDelayMs ?? defaultRetryDelayMs)(1)));
  }
  return result;
}

type Outcome = Exclude<keyof DispatchResult, "claimed">;

async function dispatchOne(message: ClaimedMessage, shop: ShopContext, content: ContentResolvers, clock: Clock, options: DispatchOptions, leaseMs: number): Promise<Outcome> {
  const now = clock.now();
  const customer = shop.customers.get(message.customerShopifyId) ?? null;
  const waiting = ["scheduled", "deferred"] as const;
  const settle = (status: Settlement["status"], decision: Settlement["decision"], reason: Settlement["reason"], detail?: Record<string, unknown>) =>
    settleMessage(message, message.status === "sending" ? ["sending"] : waiting, { status, decision, reason, detail }, now);

  // Nothing more goes out for an uninstalled shop or an erased customer.
  if (!shop.care.installed) return (await settle("cancelled", "cancelled", "shopUninstalled")) ? "cancelled" : "skipped";
  if (customer?.deletedAt) return (await settle("cancelled", "cancelled", "customerRedacted")) ? "cancelled" : "skipped";

  const locale = localeForTag(customer?.locale || shop.care.locale || "en");
  const resolver = content[message.source as keyof ContentResolvers] as ContentResolvers[keyof ContentResolvers] | undefined;
  if (!resolver) return (await settle("blocked", "blocked", "flowOff", { source: message.source, problem: "unknown source" })) ? "blocked" : "skipped";

  // In doubt: the policy let it through before the crash, and it may already
  // be with the receiver. It goes again, unchanged, with the same key.
  const inDoubt = message.status === "sending";
  if (inDoubt && !(await markResending(message, now, new Date(now.getTime() + leaseMs)))) return "skipped";

  let resolved: MessageContent;
  try {
    resolved = await resolver(message.shop, message, locale);
  } catch (error) {
    // The flow's or campaign's settings could not be read: try again later, as for a provider error.
    return retryOrFail(message, now, options, `content: ${errorText(error)}`);
  }
  const zone = resolveTimeZone(customer?.timeZone ?? null, shop.care.timeZone);
  // The offer's code, when the message offers one: read before the policy (a code that can never be made ends the message here).
  let offer: OfferVerdict | null = null;
  if (resolved.content) {
    const variables = parseVariables(message.variables);
    if (needsOfferCode(resolved.content, variables)) offer = offerVerdict(offerPercent(variables), await offerCodeState(message.shop, message.id), now);
  }
  if (inDoubt) {
    if (!resolved.content) return retryOrFail(message, now, options, "content: none for this message");
    if (offer && offer.action !== "send") return retryOrFail(message, now, options, "offer: its code is not there");
    return send(message, customer, shop, resolved, locale, { decision: "send", reason: "allowed", timeZone: shop.care.timeZone }, clock, options, { resent: true }, offer);
  }
  if (!resolved.enabled || !resolved.content) {
    return (await settle("blocked", "blocked", "flowOff", { source: message.source, sourceId: message.sourceId, step: message.step })) ? "blocked" : "skipped";
  }
  if (offer?.action === "noOffer") return (await settle("blocked", "blocked", "noOffer", { source: message.source, sourceId: message.sourceId, step: message.step })) ? "blocked" : "skipped";
  if (offer?.action === "failed") return (await settle("failed", "failed", "offerCodeFailed", { error: offer.error })) ? "failed" : "skipped";

  const settings = shop.care.settings;
  const activeHours = customer && resolved.activeHours ? ((await batchActiveHours(message.shop, shop, now, options)).get(customer.shopifyId) ?? null) : null;
  // What the log keeps of them: the window, whether it was learned or the default, from how many orders.
  const activeDetail = (decision: PolicyDecision) => (activeHours && "activeHours" in decision && decision.activeHours ? { activeHours: { ...decision.activeHours, source: activeHours.source, orders: activeHours.orders } } : {});
  const counts = countsAgainstCaps(message.messageClass, settings);
  const longestCapMs = Math.max(0, ...settings.caps.map((cap) => cap.hours * 3_600_000));
  const leaseUntil = new Date(now.getTime() + leaseMs);

  const verdict = await withCustomerTransaction(message.shop, message.customerShopifyId, async (tx) => {
    if (!(await holdLease(tx, message, leaseUntil))) return { outcome: "skipped" as const };
    const recentSends = counts && longestCapMs > 0 ? await countedSends(tx, message.shop, message.customerShopifyId, new Date(now.getTime() - longestCapMs), settings.capTransactional) : [];
    const decision = customer
      ? decide({
          message: { ...message, allowWithoutConsent: resolved.allowWithoutConsent, activeHours, membership: resolved.membership },
          customer: {
            emailConsent: customer.emailConsentState,
            smsConsent: customer.smsConsentState,
            email: customer.email,
            phone: customer.phone,
            timeZone: customer.timeZone,
            membershipEmailOptOut: customer.membershipEmailOptOutAt !== null,
          },
          shopTimeZone: shop.care.timeZone,
          settings,
          recentSends,
          now,
        })
      : ({ decision: "block", reason: "noAddress" } as const);
    const keep = (status: "deferred" | "blocked" | "expired", detail: Record<string, unknown>, availableAt?: Date) =>
      settleMessage(message, waiting, { status, decision: status, reason: decision.reason, detail, availableAt }, now, tx);
    switch (decision.decision) {
      case "send":
        // Allowed, but its offer's code is not in Shopify yet: it waits for it (after the transaction, which stays short).
        if (offer && offer.action !== "send") return { outcome: "awaitCode" as const };
        return (await markSending(tx, message, now, leaseUntil)) ? { outcome: "send" as const, decision } : { outcome: "skipped" as const };
      case "defer":
        await keep("deferred", { until: decision.until.toISOString(), timeZone: decision.timeZone, waitedFor: decision.waitedFor, ...activeDetail(decision) }, decision.until);
        return { outcome: "deferred" as const };
      case "block":
        await keep("blocked", customer ? { channel: message.channel } : { customer: "unknown" });
        return { outcome: "blocked" as const };
      case "expire":
        await keep("expired", { expiresAt: message.expiresAt.toISOString(), ...(decision.wouldSendAt ? { wouldSendAt: decision.wouldSendAt.toISOString() } : {}) });
        return { outcome: "expired" as const };
    }
  });
  if (verdict.outcome === "awaitCode") return awaitOfferCode(message, offer!, zone, now);
  if (verdict.outcome !== "send") return verdict.outcome;
  return send({ ...message, status: "sending" }, customer!, shop, resolved, locale, verdict.decision, clock, options, activeDetail(verdict.decision), offer);
}

/** The policy let the message through but its code is not there yet: ask for it (once) and look again later. */
async function awaitOfferCode(message: ClaimedMessage, offer: OfferVerdict, timeZone: string, now: Date): Promise<Outcome> {
  let code: string;
  let since: Date | null = null;
  if (offer.action === "create") code = (await requestOfferCode(message, offer.percent, timeZone, now)).code!;
  else if (offer.action === "wait") ({ code, since } = offer);
  else throw new Error(`dispatcher: no code to wait for (${offer.action})`);
  const until = new Date(now.getTime() + offerRecheckMs(since, now));
  const done = await settleMessage(message, ["scheduled", "deferred"], { status: "deferred", decision: "deferred", reason: "offerCodePending", availableAt: until, detail: { offerCode: code, until: until.toISOString() } }, now);
  return done ? "deferred" : "skipped";
}

/** Steps 2 and 3: render, hand to the channel, record what it said. The message is "sending" under this claim. */
async function send(
  message: ClaimedMessage,
  customer: DispatchCustomer | null,
  shop: ShopContext,
  resolved: MessageContent,
  locale: string,
  decision: PolicyDecision,
  clock: Clock,
  options: DispatchOptions,
  detail: Record<string, unknown>,
  offer: OfferVerdict | null = null,
): Promise<Outcome> {
  let outgoing: OutgoingMessage;
  // The offer's code goes in the message, and its line where the wording lacks one.
  const code = offer?.action === "send" ? offer : null;
  if (code) detail = { ...detail, offerCode: code.code };
  try {
    const zone = resolveTimeZone(customer?.timeZone ?? null, shop.care.timeZone);
    const withCode = code ? { ...resolved, content: withOfferCode(resolved.content!, localeForTag(locale)) } : resolved;
    outgoing = outgoingMessage(message, customer, shop.care, withCode, locale, options, code ? offerCodeVariables(code.code, code.expiresAt, localeForTag(locale), zone) : {});
  } catch (error) {
    return retryOrFail(message, clock.now(), options, `render: ${errorText(error)}`);
  }
  let answer;
  try {
    answer = await options.channels[message.channel].send(outgoing);
  } catch (error) {
    if (isTimeout(error)) shop.timedOut.add(message.channel);
    return retryOrFail(message, clock.now(), options, errorText(error));
  }
  const at = clock.now();
  if (answer.status === "accepted") {
    const timeZone = "timeZone" in decision ? decision.timeZone : undefined;
    const done = await settleMessage(message, ["sending"], { status: "sent", decision: "sent", reason: "providerAccepted", sentAt: at, providerMessageId: answer.providerMessageId, detail: { ...detail, providerMessageId: answer.providerMessageId, timeZone } }, at);
    // A downgrade warning delivered: its record, and the grace period's start (ADR 0011).
    if (done) await recordWarningDelivered(message, at, options.log);
    return done ? "sent" : "skipped";
  }
  const done = await settleMessage(message, ["sending"], { status: "failed", decision: "failed", reason: "providerRejected", detail: { ...detail, error: answer.reason } }, at);
  return done ? "failed" : "skipped";
}

/** A transient failure: back to scheduled after the back-off, or failed with the reason after the last attempt. */
async function retryOrFail(message: ClaimedMessage, now: Date, options: DispatchOptions, error: string): Promise<Outcome> {
  options.log?.(`dispatch ${message.shop} ${message.idempotencyKey}: ${error}`);
  const attempts = message.status === "sending" ? message.attempts + 1 : message.attempts;
  const from = [message.status === "sending" ? "sending" : message.status] as const;
  if (attempts >= (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
    return (await settleMessage(message, from, { status: "failed", decision: "failed", reason: "providerError", detail: { error, attempts } }, now)) ? "failed" : "skipped";
  }
  const retryAt = new Date(now.getTime() + (options.retryDelayMs ?? defaultRetryDelayMs)(Math.max(1, attempts)));
  const done = await settleMessage(message, from, { status: "scheduled", decision: "retry", reason: "providerError", availableAt: retryAt, detail: { error, attempts, retryAt: retryAt.toISOString() } }, now);
  return done ? "retried" : "skipped";
}

function parseVariables(json: string): Record<string, string | number | null> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, string | number | null>) : {};
  } catch {
    return {};
  }
}

/** The message as its channel gets it: rendered in the customer's language, addressed, with its unsubscribe link when marketing. */
export function outgoingMessage(
  message: ClaimedMessage,
  customer: DispatchCustomer | null,
  care: CareContext,
  resolved: MessageContent,
  locale: string,
  options: Pick<DispatchOptions, "unsubscribeUrl" | "defaultFromEmail">,
  /** Filled in at send time: the offer's code and its last day. */
  extra: Record<string, string> = {},
): OutgoingMessage {
  const firstName = customer?.firstName ?? null;
  const lastName = customer?.lastName ?? null;
  const variables = { firstName, lastName, fullName: [firstName, lastName].filter(Boolean).join(" ") || null, ...parseVariables(message.variables), ...extra };
  // Membership emails carry a link that stops them (ADR 0011); a membership text rests on SMS consent, so its link withdraws that.
  const topic: UnsubscribeTopic | null = message.messageClass === "marketing" ? "marketing" : resolved.membership ? (message.channel === "sms" ? "marketing" : "membership") : null;
  const unsubscribe = topic ? (options.unsubscribeUrl ?? signedUnsubscribeUrl)(message.shop, message.customerShopifyId, message.channel, topic) : null;
  const rendered = renderMessage(resolved.content!, variables, { locale, unsubscribeUrl: unsubscribe, unsubscribeTopic: topic ?? undefined, shopName: care.shopName });
  // The app's own address unless the shop confirmed one of its own (issue 18, app/domain/care/sender.ts).
  const fallbackFrom = options.defaultFromEmail?.(message.shop) ?? appMailFrom();
  return {
    shop: message.shop,
    messageId: message.id,
    idempotencyKey: message.idempotencyKey,
    channel: message.channel,
    messageClass: message.messageClass,
    customer: { shopifyId: message.customerShopifyId, email: customer?.email ?? null, phone: customer?.phone ?? null, firstName, lastName, locale },
    rendered,
    sender: resolveSender(care.settings, care.shopName, fallbackFrom, care.sender.confirmedEmail),
    unsubscribeUrl: unsubscribe,
    flow:
      message.channel === "flow"
        ? flowTriggerFor({
            flow: message.sourceId,
            step: message.step,
            customerShopifyId: message.customerShopifyId,
            orderShopifyId: message.orderShopifyId,
            messageClass: message.messageClass,
            idempotencyKey: message.idempotencyKey,
            locale,
            variables,
            rendered,
          })
        : null,
  };
}

/** Passes until nothing is due at `now` (tests, the demo, the bench); messages put off to later stay put off. */
export async function dispatchAllDue(now: Date, options: DispatchOptions): Promise<DispatchResult> {
  const total = emptyResult();
  for (let rounds = 0; rounds < 100_000; rounds++) {
    const pass = await dispatchDue(now, options);
    for (const key of Object.keys(total) as Array<keyof DispatchResult>) total[key] += pass[key];
    if (pass.claimed === 0 || options.stopping?.()) break;
  }
  return total;
}

/**
 * The dispatcher as a background job: a pass whenever the last one found work
 * or a shop's lane came free, else every `idleMs`; a pass stuck on one shop
 * does not hold back the next, which leaves that shop's messages alone.
 */
export function startDispatcher(options: Omit<DispatchOptions, "clock" | "stopping"> & { clock?: Clock; idleMs?: number }): { stop(): Promise<void> } {
  const clock = options.clock ?? systemClock;
  let stopped = false;
  const lanes = startQueueLoop({
    name: "dispatcher",
    pass: (hooks) => dispatchDue(clock.now(), { ...options, clock, stopping: () => stopped }, hooks),
    maxPasses: options.shopConcurrency ?? shopConcurrency(),
    idleMs: options.idleMs ?? 5_000,
    log: options.log,
  });
  return {
    async stop() {
      stopped = true;
      await lanes.stop();
    },
  };
}
