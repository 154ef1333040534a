/**
 * The dispatcher (issue 8, docs/decisions/0008-care-dispatch.md): the one
 * place care flows and campaigns send from, under the one contact policy.
 *
 * A pass claims due messages with a lease, groups them by customer, and puts
 * each customer's in priority order to the policy (app/domain/care/contact-policy.ts).
 * Every decision is a MessageDecision row with its reason. A shop's part of
 * a claim is decided together, then sent in parallel (issue 19):
 *   1. in one transaction for the batch's customers, renew the leases, read
 *      every customer's counted sends (the caps) in one query, ask the policy
 *      about each message in priority order (an allowed one takes its slot
 *      for the ones behind it), and write the outcome by kind: the allowed
 *      are reserved (still waiting, counted by the caps while the claim's
 *      lease lives), the deferred, blocked and expired settled with their
 *      decisions, one statement each (on PostgreSQL under the customers'
 *      advisory locks, on SQLite under the one write lock, so two dispatchers
 *      never both take a customer's last slot);
 *   2. each reserved message is marked "sending" just before its channel gets
 *      it, up to DISPATCH_IN_FLIGHT at once and never more than the channel's
 *      maxInFlight (the email pool's connections; one for SMS and Flow), a
 *      customer's messages one after another in order;
 *   3. the channels' answers are recorded as they come, grouped: each write
 *      takes every answer that arrived while the previous one ran.
 * A dispatcher killed between 2 and 3 leaves "sending" the messages it had
 * handed over (at most the channel's in-flight bound; one with DISPATCH_IN_FLIGHT=1), with a lease that runs out; the next pass sends them again
 * with the same idempotency key (the email's Message-ID), so a receiver that
 * deduplicates sees each once. Its reserved messages stay waiting and are
 * decided again when their lease ends. Transient channel failures (thrown) are retried with
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
import { localDate, localHour, resolveTimeZone } from "~/domain/local-time";
import { flowTriggerFor } from "~/domain/care/flow-triggers";
import { resolveSender } from "~/domain/care/settings";
import { needsOfferCode, offerPercent, offerRecheckMs, offerVerdict, withOfferCode, type OfferVerdict } from "~/domain/care/offers";
import { renderMessage, sentWords } from "~/domain/care/templates";
import type { Channel } from "~/domain/care/types";
import type { UnsubscribeTopic } from "~/domain/care/unsubscribe-token";
import { appMailFrom, env } from "~/env.server";
import { localeForTag } from "~/i18n";
import { orderTimes } from "~/models/active-hours.server";
import { getCareContext, type CareContext } from "~/models/care-settings.server";
import {
  claimDueMessages,
  countedSendsOf,
  dispatchCustomers,
  holdLeases,
  markResending,
  markSending,
  releaseClaim,
  reserveSends,
  setChannels,
  settleMessage,
  settleMessages,
  withCustomersTransaction,
  withTransaction,
  type ClaimedMessage,
  type DispatchCustomer,
  type SettledMessage,
  type Settlement,
} from "~/models/message-dispatch.server";
import { isTimeout } from "./call-deadlines.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "./channels/types";
import { unsubscribeUrl as signedUnsubscribeUrl } from "./channels/unsubscribe.server";
import { recordWarningDelivered } from "./membership-warnings.server";
import { handToStaff, type Handover } from "~/models/staff-handover.server";
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
  /** Sends handed to a channel at once, per channel (default DISPATCH_IN_FLIGHT), never more than its maxInFlight (absent: 1). */
  inFlight?: Partial<Record<Channel, number>>;
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
 * Shops run side by side (at most `shopConcurrency`, shop-lanes.server.ts);
 * each shop's part is decided together and sent in parallel (the header), so
 * a shop whose channel hangs (its Flow trigger through its own Admin API)
 * holds up only its own messages. When a send for a shop times out, the
 * shop's other messages on that channel in this pass are not tried: they are
 * given back due at the first retry's time, no attempt spent.
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
  const pass: Pass = {
    claimToken,
    clock,
    options,
    leaseMs,
    result,
    content: { ...defaultContentResolvers(), ...options.content },
    pending: new Set(claimed.map((message) => message.id)),
    waitForRetry: [],
    slots: new Map(),
  };
  try {
    await forEachShop(claimed, options.shopConcurrency ?? shopConcurrency(), async (shopDomain, messages) => {
      try {
        await dispatchShop(shopDomain, messages, pass);
      } finally {
        lanes?.settled(shopDomain);
      }
    });
  } finally {
    if (pass.pending.size > 0) await releaseClaim(claimToken, [...pass.pending]);
    if (pass.waitForRetry.length > 0) await releaseClaim(claimToken, pass.waitForRetry, new Date(clock.now().getTime() + (options.retryDelayMs ?? defaultRetryDelayMs)(1)));
  }
  return result;
}

type Outcome = Exclude<keyof DispatchResult, "claimed">;

/** What a pass shares between its shops. */
interface Pass {
  claimToken: string;
  clock: Clock;
  options: DispatchOptions;
  leaseMs: number;
  result: DispatchResult;
  content: ContentResolvers;
  /** Claimed rows not yet settled, sent or set aside: given back due at once when the pass ends. */
  pending: Set<string>;
  /** Rows whose channel timed out for their shop: given back due at the first retry's time. */
  waitForRetry: string[];
  /** Per channel, the sends in flight (all shops of the pass share the channel). */
  slots: Map<Channel, Slots>;
}

const WAITING = ["scheduled", "deferred"] as const;

/** A message ready for the policy: its content and what the policy needs beside the customer. */
interface Candidate {
  message: ClaimedMessage;
  customer: DispatchCustomer | null;
  resolved: MessageContent;
  locale: string;
  offer: OfferVerdict | null;
}

/** A message to hand to its channel. */
interface Sendable extends Candidate {
  decision: PolicyDecision;
  detail: Record<string, unknown>;
  /** In doubt from a dead dispatcher: already "sending", sent again unchanged. */
  resent: boolean;
}

/** A shop's part of a claim: content and pre-checks per message, one decision transaction, then the sends. */
async function dispatchShop(shopDomain: string, messages: ClaimedMessage[], pass: Pass): Promise<void> {
  const { options, result } = pass;
  const ids = [...new Set(messages.map((message) => message.customerShopifyId))];
  const shop: ShopContext = { care: await getCareContext(shopDomain), customers: await dispatchCustomers(shopDomain, ids), timedOut: new Set() };
  const now = pass.clock.now();
  const count = (outcome: Outcome) => result[outcome]++;

  // Per customer, in priority order (the first allowed takes the cap's slot).
  const byCustomer = new Map<string, ClaimedMessage[]>();
  for (const message of messages) byCustomer.set(message.customerShopifyId, [...(byCustomer.get(message.customerShopifyId) ?? []), message]);
  const settled: Array<{ from: "waiting" | "sending"; row: SettledMessage; outcome: Outcome }> = [];
  const candidates: Candidate[] = [];
  const sendable: Sendable[] = [];
  for (const group of byCustomer.values()) {
    for (const message of dispatchOrder(group)) {
      if (options.stopping?.()) return;
      const step = await prepare(message, shop, pass, now);
      if (step.kind === "settle") settled.push({ from: message.status === "sending" ? "sending" : "waiting", row: { message, settlement: step.settlement }, outcome: step.outcome });
      else if (step.kind === "done") {
        pass.pending.delete(message.id);
        count(step.outcome);
      } else if (step.kind === "resend") sendable.push(step.sendable);
      else candidates.push(step.candidate);
    }
  }
  // What was settled before the policy (uninstalled, erased, flow off, offers): one write per starting state.
  for (const from of ["waiting", "sending"] as const) {
    const rows = settled.filter((entry) => entry.from === from);
    if (rows.length === 0) continue;
    const done = await settleMessages(shopDomain, pass.claimToken, from === "waiting" ? WAITING : ["sending"], rows.map((entry) => entry.row), now);
    for (const entry of rows) {
      pass.pending.delete(entry.row.message.id);
      count(done.has(entry.row.message.id) ? entry.outcome : "skipped");
    }
  }
  if (candidates.length > 0) sendable.push(...(await decideTogether(shopDomain, candidates, shop, pass, now)));
  await sendAll(shopDomain, sendable, shop, pass);
}

type Prepared =
  | { kind: "settle"; settlement: Settlement; outcome: Outcome }
  | { kind: "done"; outcome: Outcome }
  | { kind: "resend"; sendable: Sendable }
  | { kind: "policy"; candidate: Candidate };

/** Everything about one message that comes before the policy: the shop and customer still there, its content, its offer. */
async function prepare(message: ClaimedMessage, shop: ShopContext, pass: Pass, now: Date): Promise<Prepared> {
  const { options } = pass;
  const customer = shop.customers.get(message.customerShopifyId) ?? null;
  const settle = (status: Settlement["status"], decision: Settlement["decision"], reason: Settlement["reason"], detail?: Record<string, unknown>): Prepared => ({
    kind: "settle",
    settlement: { status, decision, reason, detail },
    outcome: status as Outcome,
  });

  // Nothing more goes out for an uninstalled shop or an erased customer.
  if (!shop.care.installed) return settle("cancelled", "cancelled", "shopUninstalled");
  if (customer?.deletedAt) return settle("cancelled", "cancelled", "customerRedacted");

  const locale = localeForTag(customer?.locale || shop.care.locale || "en");
  const resolver = pass.content[message.source as keyof ContentResolvers] as ContentResolvers[keyof ContentResolvers] | undefined;
  if (!resolver) return settle("blocked", "blocked", "flowOff", { source: message.source, problem: "unknown source" });

  // In doubt: the policy let it through before the crash, and it may already
  // be with the receiver. It goes again, unchanged, with the same key.
  const inDoubt = message.status === "sending";
  if (inDoubt && !(await markResending(message, now, new Date(now.getTime() + pass.leaseMs)))) return { kind: "done", outcome: "skipped" };

  let resolved: MessageContent;
  try {
    resolved = await resolver(message.shop, message, locale);
  } catch (error) {
    // The flow's or campaign's settings could not be read: try again later, as for a provider error.
    return { kind: "done", outcome: await retryOrFail(message, now, options, `content: ${errorText(error)}`) };
  }
  // The offer's code, when the message offers one: read before the policy (a code that can never be made ends the message here).
  let offer: OfferVerdict | null = null;
  if (resolved.content) {
    const variables = parseVariables(message.variables);
    if (needsOfferCode(resolved.content, variables)) offer = offerVerdict(offerPercent(variables), await offerCodeState(message.shop, message.id), now);
  }
  if (inDoubt) {
    if (!resolved.content) return { kind: "done", outcome: await retryOrFail(message, now, options, "content: none for this message") };
    if (offer && offer.action !== "send") return { kind: "done", outcome: await retryOrFail(message, now, options, "offer: its code is not there") };
    return { kind: "resend", sendable: { message, customer, resolved, locale, offer, decision: { decision: "send", reason: "allowed", timeZone: shop.care.timeZone }, detail: { resent: true }, resent: true } };
  }
  if (!resolved.enabled || !resolved.content) return settle("blocked", "blocked", "flowOff", { source: message.source, sourceId: message.sourceId, step: message.step });
  if (offer?.action === "noOffer") return settle("blocked", "blocked", "noOffer", { source: message.source, sourceId: message.sourceId, step: message.step });
  if (offer?.action === "failed") return settle("failed", "failed", "offerCodeFailed", { error: offer.error });
  return { kind: "policy", candidate: { message, customer, resolved, locale, offer } };
}

/**
 * Step 1 for a shop's candidates: one transaction under their customers'
 * locks; returns the messages allowed and reserved, in each customer's order.
 */
async function decideTogether(shopDomain: string, candidates: Candidate[], shop: ShopContext, pass: Pass, now: Date): Promise<Sendable[]> {
  const { options } = pass;
  const settings = shop.care.settings;
  const needHours = candidates.some((candidate) => candidate.customer && candidate.resolved.activeHours);
  const hours = needHours ? await batchActiveHours(shopDomain, shop, now, options) : new Map<string, ActiveHours>();
  const longestCapMs = Math.max(0, ...settings.caps.map((cap) => cap.hours * 3_600_000));
  const counted = (candidate: Candidate) => countsAgainstCaps(candidate.message.messageClass, settings) && longestCapMs > 0;
  const leaseUntil = new Date(now.getTime() + pass.leaseMs);
  const customerIds = [...new Set(candidates.map((candidate) => candidate.message.customerShopifyId))];
  const ids = candidates.map((candidate) => candidate.message.id);

  const verdict = await withCustomersTransaction(shopDomain, customerIds, async (tx) => {
    const held = await holdLeases(tx, shopDomain, pass.claimToken, ids, leaseUntil);
    const cappedCustomers = [...new Set(candidates.filter((candidate) => counted(candidate) && held.has(candidate.message.id)).map((candidate) => candidate.message.customerShopifyId))];
    const sends = cappedCustomers.length > 0 ? await countedSendsOf(tx, shopDomain, cappedCustomers, new Date(now.getTime() - longestCapMs), now, settings.capTransactional, ids) : new Map<string, Date[]>();
    const allowed: Sendable[] = [];
    const awaitingCode: Candidate[] = [];
    const kept: Array<{ row: SettledMessage; outcome: Outcome }> = [];
    const skipped: Candidate[] = [];
    // Issue 21: the customer file asked for a person; and messages going on the customer's preferred channel instead of their planned one.
    const handovers: Array<{ candidate: Candidate; handover: Handover }> = [];
    const channelChanges: Array<{ id: string; channel: Channel }> = [];
    for (const candidate of candidates) {
      const { message, customer, resolved } = candidate;
      if (!held.has(message.id)) {
        skipped.push(candidate);
        continue;
      }
      const activeHours = customer && resolved.activeHours ? (hours.get(customer.shopifyId) ?? null) : null;
      const recentSends = counted(candidate) ? (sends.get(message.customerShopifyId) ?? []) : [];
      const decision: PolicyDecision = customer
        ? decide({
            message: { ...message, allowWithoutConsent: resolved.allowWithoutConsent, activeHours, membership: resolved.membership, preferredChannel: resolved.preferredChannel },
            customer: {
              emailConsent: customer.emailConsentState,
              smsConsent: customer.smsConsentState,
              email: customer.email,
              phone: customer.phone,
              timeZone: customer.timeZone,
              membershipEmailOptOut: customer.membershipEmailOptOutAt !== null,
              file: customer.file,
            },
            shopTimeZone: shop.care.timeZone,
            settings,
            recentSends,
            now,
          })
        : { decision: "block", reason: "noAddress" };
      // What the log keeps of the active hours: the window, whether it was learned or the default, from how many orders.
      const activeDetail = {
        ...(activeHours && "activeHours" in decision && decision.activeHours ? { activeHours: { ...decision.activeHours, source: activeHours.source, orders: activeHours.orders } } : {}),
        // What the customer file changed (issue 21): the channel it chose or why it could not, the contact time it waited for.
        ...("file" in decision && decision.file ? { customerFile: decision.file } : {}),
      };
      const keep = (status: "deferred" | "blocked" | "expired", detail: Record<string, unknown>, availableAt?: Date) =>
        kept.push({ row: { message, settlement: { status, decision: status, reason: decision.reason, detail, availableAt } }, outcome: status });
      switch (decision.decision) {
        case "send":
          // Allowed, but its offer's code is not in Shopify yet: it waits for it (after the transaction, which stays short).
          if (candidate.offer && candidate.offer.action !== "send") {
            awaitingCode.push(candidate);
            break;
          }
          if (decision.channel && decision.channel !== message.channel) channelChanges.push({ id: message.id, channel: decision.channel });
          allowed.push({ ...candidate, message: decision.channel ? { ...message, channel: decision.channel } : message, decision, detail: activeDetail, resent: false });
          // The slot is taken for this customer's messages behind it.
          if (counted(candidate)) sends.set(message.customerShopifyId, [...recentSends, now]);
          break;
        case "defer":
          keep("deferred", { until: decision.until.toISOString(), timeZone: decision.timeZone, waitedFor: decision.waitedFor, ...activeDetail }, decision.until);
          break;
        case "block":
          keep("blocked", customer ? { channel: message.channel } : { customer: "unknown" });
          break;
        case "followUp":
          handovers.push({
            candidate,
            handover: { customerShopifyId: message.customerShopifyId, messageId: message.id, source: message.source, sourceId: message.sourceId, step: message.step, messageClass: message.messageClass, preferredChannel: decision.preferredChannel },
          });
          break;
        case "expire":
          keep("expired", { expiresAt: message.expiresAt.toISOString(), ...(decision.wouldSendAt ? { wouldSendAt: decision.wouldSendAt.toISOString() } : {}) });
          break;
      }
    }
    if (handovers.length > 0) {
      const tasks = await handToStaff(tx, shopDomain, handovers.map((entry) => entry.handover), localDate(now, shop.care.timeZone), now);
      for (const { candidate, handover } of handovers) {
        const task = tasks.get(handover.messageId);
        kept.push({
          row: { message: candidate.message, settlement: { status: "blocked", decision: "blocked", reason: "staffFollowUp", detail: { preferredChannel: handover.preferredChannel, followUp: task?.opened ? "opened" : "existing", followUpTaskId: task?.taskId } } },
          outcome: "blocked",
        });
      }
    }
    if (channelChanges.length > 0) await setChannels(tx, shopDomain, pass.claimToken, channelChanges);
    const reserved = await reserveSends(tx, shopDomain, pass.claimToken, allowed.map((entry) => entry.message.id), now, leaseUntil);
    const settledIds = await settleMessages(shopDomain, pass.claimToken, WAITING, kept.map((entry) => entry.row), now, tx);
    return { allowed: allowed.filter((entry) => reserved.has(entry.message.id)), lost: allowed.length - reserved.size, awaitingCode, kept, settledIds, skipped };
  });

  const { result } = pass;
  for (const candidate of verdict.skipped) {
    pass.pending.delete(candidate.message.id);
    result.skipped++;
  }
  result.skipped += verdict.lost;
  for (const entry of verdict.kept) {
    pass.pending.delete(entry.row.message.id);
    result[verdict.settledIds.has(entry.row.message.id) ? entry.outcome : "skipped"]++;
  }
  for (const candidate of verdict.awaitingCode) {
    pass.pending.delete(candidate.message.id);
    const zone = resolveTimeZone(candidate.customer?.timeZone ?? null, shop.care.timeZone);
    result[await awaitOfferCode(candidate.message, candidate.offer!, zone, now)]++;
  }
  return verdict.allowed;
}

/** A counting semaphore: at most `size` holders at once, the others wait in turn. */
interface Slots {
  take(): Promise<void>;
  give(): void;
}

function slots(size: number): Slots {
  let free = Math.max(1, size);
  const waiting: Array<() => void> = [];
  return {
    async take() {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    give() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

function channelSlots(pass: Pass, channel: Channel): Slots {
  let found = pass.slots.get(channel);
  if (!found) {
    // Never more than the channel carries at once (by default that many: ADR 0024); less if configured (DISPATCH_IN_FLIGHT: each in flight is in doubt if this process dies).
    const carries = pass.options.channels[channel].maxInFlight ?? 1;
    found = slots(Math.min(pass.options.inFlight?.[channel] ?? env().DISPATCH_IN_FLIGHT ?? carries, carries));
    pass.slots.set(channel, found);
  }
  return found;
}

/**
 * Steps 2 and 3 for a shop: each customer's messages one after another, the
 * customers side by side up to each channel's slots; the answers recorded in
 * groups (one write takes every answer that came in while the last one ran).
 */
async function sendAll(shopDomain: string, sendable: Sendable[], shop: ShopContext, pass: Pass): Promise<void> {
  if (sendable.length === 0) return;
  const writes = shopWrites(shopDomain, pass);
  const byCustomer = new Map<string, Sendable[]>();
  for (const entry of sendable) byCustomer.set(entry.message.customerShopifyId, [...(byCustomer.get(entry.message.customerShopifyId) ?? []), entry]);
  const chains = [...byCustomer.values()].map(async (chain) => {
    for (const entry of chain) {
      if (pass.options.stopping?.()) return;
      const outcome = await sendOne(entry, shop, pass, writes);
      if (outcome) pass.result[outcome]++;
    }
  });
  const results = await Promise.allSettled(chains);
  const failed = results.find((entry): entry is PromiseRejectedResult => entry.status === "rejected");
  if (failed) throw failed.reason;
}

/** One message through its channel; null when it was set aside (its channel timed out for the shop) or left to the pass's release (stopping). */
async function sendOne(entry: Sendable, shop: ShopContext, pass: Pass, writes: { record: (row: SettledMessage) => Promise<boolean>; mark: (id: string) => Promise<boolean> }): Promise<Outcome | null> {
  const { record } = writes;
  const { options, clock } = pass;
  const channel = entry.message.channel;
  const setAside = () => {
    pass.pending.delete(entry.message.id);
    pass.waitForRetry.push(entry.message.id);
    return "deferred" as const;
  };
  if (shop.timedOut.has(channel)) return entry.resent ? null : setAside();
  const slot = channelSlots(pass, channel);
  await slot.take();
  let message = entry.message;
  let answer: SendResult;
  let outgoing: OutgoingMessage;
  try {
    if (options.stopping?.()) return null;
    if (shop.timedOut.has(channel) && !entry.resent) return setAside();
    pass.pending.delete(message.id);
    if (!entry.resent) {
      if (!(await writes.mark(message.id))) return "skipped";
      message = { ...message, status: "sending" };
    }
    // The offer's code goes in the message, and its line where the wording lacks one.
    const code = entry.offer?.action === "send" ? entry.offer : null;
    if (code) entry = { ...entry, detail: { ...entry.detail, offerCode: code.code } };
    try {
      const zone = resolveTimeZone(entry.customer?.timeZone ?? null, shop.care.timeZone);
      const withCode = code ? { ...entry.resolved, content: withOfferCode(entry.resolved.content!, localeForTag(entry.locale)) } : entry.resolved;
      outgoing = outgoingMessage(message, entry.customer, shop.care, withCode, entry.locale, options, code ? offerCodeVariables(code.code, code.expiresAt, localeForTag(entry.locale), zone) : {});
    } catch (error) {
      return await retryOrFail(message, clock.now(), options, `render: ${errorText(error)}`);
    }
    try {
      answer = await options.channels[channel].send(outgoing);
    } catch (error) {
      if (isTimeout(error)) shop.timedOut.add(channel);
      return await retryOrFail(message, clock.now(), options, errorText(error));
    }
  } finally {
    slot.give();
  }
  const at = clock.now();
  if (answer.status === "accepted") {
    const timeZone = "timeZone" in entry.decision ? entry.decision.timeZone : undefined;
    const done = await record({
      message,
      // The words as the channel got them, in the same UPDATE as the outcome (ADR 0032).
      settlement: { status: "sent", decision: "sent", reason: "providerAccepted", sentAt: at, providerMessageId: answer.providerMessageId, words: sentWords(outgoing), detail: { ...entry.detail, providerMessageId: answer.providerMessageId, timeZone } },
    });
    // A downgrade warning delivered: its record, and the grace period's start (ADR 0011).
    if (done) await recordWarningDelivered(message, at, options.log);
    return done ? "sent" : "skipped";
  }
  const done = await record({ message, settlement: { status: "failed", decision: "failed", reason: "providerRejected", detail: { ...entry.detail, error: answer.reason } } });
  return done ? "failed" : "skipped";
}

/**
 * Group commit for a shop's per-message writes around its sends: each write
 * takes every item that arrived while the previous write ran (one or two
 * statements for all of them), so parallel sends never queue behind one write
 * per message; each caller learns whether its row was still held.
 */
function grouped<T>(write: (items: T[]) => Promise<Set<string>>, idOf: (item: T) => string): (item: T) => Promise<boolean> {
  let queue: Array<{ item: T; resolve: (done: boolean) => void; reject: (error: unknown) => void }> = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          const done = await write(batch.map((entry) => entry.item));
          for (const entry of batch) entry.resolve(done.has(idOf(entry.item)));
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      writing = false;
    }
  };
  return (item) =>
    new Promise<boolean>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}

type Write = { mark: string } | { record: SettledMessage };

/**
 * A shop's writes around its sends, grouped: reserved messages marked
 * "sending" as they get a slot (markSending) and the channels' answers
 * (settleMessages), every one that arrived while the last group was written,
 * in one transaction (one UPDATE for the marks, one UPDATE and one INSERT for
 * the answers).
 */
function shopWrites(shopDomain: string, pass: Pass) {
  const write = grouped<Write>(
    (items) =>
      withTransaction(async (tx) => {
        const now = pass.clock.now();
        const marks = items.flatMap((item) => ("mark" in item ? [item.mark] : []));
        const records = items.flatMap((item) => ("record" in item ? [item.record] : []));
        const marked = marks.length > 0 ? await markSending(shopDomain, pass.claimToken, marks, now, new Date(now.getTime() + pass.leaseMs), tx) : new Set<string>();
        const settled = records.length > 0 ? await settleMessages(shopDomain, pass.claimToken, ["sending"], records, now, tx) : new Set<string>();
        return new Set([...marked, ...settled]);
      }),
    (item) => ("mark" in item ? item.mark : item.record.message.id),
  );
  return { mark: (id: string) => write({ mark: id }), record: (row: SettledMessage) => write({ record: row }) };
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
