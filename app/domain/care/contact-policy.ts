/**
 * The contact policy (issue 8): one decision for every care or campaign
 * message that is due, the same rules for all of them. Pure: the dispatcher
 * gives it the message, the customer, the shop's zone and settings, the
 * customer's recent counted sends and `now`.
 *
 * In this order:
 * 1. block: the channel is switched off (channelOff), the customer has no
 *    address on it (noAddress), or a marketing message lacks consent on it
 *    (noConsent; a transactional one too unless its flow allows sending
 *    without). Membership messages (a tier change, a downgrade warning:
 *    docs/decisions/0011-membership-messages.md) go by email without
 *    marketing consent when their flow allows it, unless the customer opted
 *    out of membership emails (unsubscribed); by SMS only with SMS consent,
 *    whatever the flow says. Blocks are final: waiting would not change them.
 * 2. expire: its validity window has ended (pastValidity).
 * 3. send now, or defer to the next allowed moment: outside quiet hours in
 *    the customer's own time zone (the shop's when unknown or unreadable),
 *    and with a free slot under every frequency cap. The moment is found by
 *    moving forward until every constraint holds at once (quiet hours end;
 *    then the cap frees a slot; which may fall in the next night; ...). A
 *    moment past the validity window expires the message instead of
 *    deferring it. The reason is frequencyCap when the cap took part, else
 *    quietHours; the decision lists every constraint it waited for.
 *
 * Before all of it, the customer file (issue 21, ./customer-preferences.ts):
 * a marketing message to a customer who does not want promotions is blocked
 * (noPromotions); a customer who prefers a call or no messages gets a staff
 * follow-up instead of any automated touch (followUp); a message whose flow
 * uses "the customer's preferred channel" goes on the one the file names when
 * it could go there (else on its own, the log says why); a preferred contact
 * time places the message in that part of the customer's day, before (in
 * place of) the learned active hours. What the file changed is in the
 * decision's `file`, for the log.
 *
 * Consent uses Shopify's marketing states: only SUBSCRIBED counts
 * (NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING (double opt-in not confirmed),
 * REDACTED, INVALID do not). A Shopify Flow trigger hands the customer to the
 * merchant's workflow, which sends by email or SMS: marketing through it
 * needs consent on either, and no address of ours.
 */
import { localHour, localParts, resolveTimeZone, zonedTimeToUtc } from "../local-time";
import { inActiveHours, type ActiveHours } from "./active-hours";
import { contactTimeWindow, preferredMessageChannel, wantsPersonalContact, type ContactPreferences } from "./customer-preferences";
import type { ContactTime } from "../customer-file";
import type { Channel, DecisionReason, MessageClass } from "./types";
import { minutesOfDay, type CareSettings, type FrequencyCap } from "./settings";

export interface PolicyMessage {
  messageClass: MessageClass;
  channel: Channel;
  priority: number;
  plannedAt: Date;
  expiresAt: Date;
  /** Transactional messages of a flow that may go without marketing consent. */
  allowWithoutConsent: boolean;
  /** About the customer's own membership (tier changes, downgrade warnings): the consent rules of ADR 0011. */
  membership?: boolean;
  /**
   * The customer's learned active hours (issue 10), when the message's flow or
   * campaign allows placing it there; absent or null: sent as soon as allowed.
   */
  activeHours?: Pick<ActiveHours, "startHour" | "hours"> | null;
  /** Its flow goes on each customer's preferred channel (email or SMS) where the file names one; `channel` otherwise. */
  preferredChannel?: boolean;
}

export interface PolicyCustomer {
  /** Shopify's marketing consent states (SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING, ...); null when unknown. */
  emailConsent: string | null;
  smsConsent: string | null;
  email: string | null;
  phone: string | null;
  /** IANA zone when known. */
  timeZone: string | null;
  /** The customer asked for no more emails about their membership (the link in one). */
  membershipEmailOptOut?: boolean;
  /** What staff recorded in the customer file about contacting them (issue 21); absent or null: nothing. */
  file?: ContactPreferences | null;
}

export interface PolicyInput {
  message: PolicyMessage;
  customer: PolicyCustomer;
  shopTimeZone: string;
  settings: Pick<CareSettings, "quietHours" | "caps" | "capTransactional" | "channels">;
  /**
   * The customer's sends that count against the caps (marketing messages sent
   * or being sent; transactional ones too when capTransactional), any order.
   */
  recentSends: readonly Date[];
  now: Date;
}

/**
 * channel and file: present only when the customer file changed something:
 * the channel the message goes on when not its planned one, and what the file
 * decided (for the log).
 */
export type PolicyDecision =
  | { decision: "send"; reason: "allowed"; timeZone: string; activeHours?: ActiveWindow; channel?: Channel; file?: FileEffect }
  /** waitedFor: every constraint that moved the moment, in the order met (the detail the log keeps). */
  | { decision: "defer"; until: Date; reason: WaitReason; waitedFor: WaitReason[]; timeZone: string; activeHours?: ActiveWindow; channel?: Channel; file?: FileEffect }
  | { decision: "block"; reason: BlockReason }
  /** The file asks for a person, not a message: the touch goes to staff as a follow-up. */
  | { decision: "followUp"; reason: "staffFollowUp"; preferredChannel: "phone" | "none" }
  /** wouldSendAt: the moment the constraints allowed, past the validity window (absent when already expired). */
  | { decision: "expire"; reason: "pastValidity"; wouldSendAt?: Date; waitedFor?: WaitReason[] };

/** The window the message was placed by, for the log: the customer's hours and whether the moment lies in them. */
export interface ActiveWindow {
  startHour: number;
  hours: number;
  /** False when no moment inside the window was allowed before the message expires (it goes when allowed). */
  placed: boolean;
}

/** What the customer file decided about a message that goes (or waits to go), for the log. */
export interface FileEffect {
  /** A flow on the preferred channel: the file's channel, the one used, and why the file's gave way when it did. */
  channel?: { preferred: "email" | "sms"; used: Channel; gaveWay?: BlockReason };
  /** The preferred part of the day: its local hours, and false when no moment in it was allowed before the message expires. */
  contactTime?: { time: Exclude<ContactTime, "any">; startHour: number; hours: number; placed: boolean };
}

export const SUBSCRIBED = "SUBSCRIBED";

export type BlockReason = "noConsent" | "noAddress" | "channelOff" | "unsubscribed" | "noPromotions";

/** Does the message count against the frequency caps (marketing, and transactional when the shop says so)? */
export const countsAgainstCaps = (messageClass: MessageClass, settings: Pick<CareSettings, "capTransactional">): boolean =>
  messageClass === "marketing" || settings.capTransactional;

function blockReason(message: PolicyMessage, customer: PolicyCustomer, channels: CareSettings["channels"]): BlockReason | null {
  if (!channels[message.channel]) return "channelOff";
  const email = customer.emailConsent === SUBSCRIBED;
  const sms = customer.smsConsent === SUBSCRIBED;
  if (message.channel === "email" && !customer.email?.trim()) return "noAddress";
  if (message.channel === "sms" && !customer.phone?.trim()) return "noAddress";
  const consented = message.channel === "email" ? email : message.channel === "sms" ? sms : email || sms;
  if (message.membership && message.messageClass !== "marketing") {
    // A text needs the customer's SMS consent even about their own membership
    // (TCPA, carriers' rules); Shopify records no other SMS consent than this.
    if (message.channel === "sms") return sms ? null : "noConsent";
    // Email (and a Flow trigger, which merchants route to email): a message
    // about the customer's standing in their membership is transactional or
    // relationship content (CAN-SPAM), no marketing consent needed when the
    // flow allows it; the customer's own opt-out of these always holds.
    if (customer.membershipEmailOptOut) return "unsubscribed";
    return message.allowWithoutConsent || consented ? null : "noConsent";
  }
  const needsConsent = message.messageClass === "marketing" || !message.allowWithoutConsent;
  return needsConsent && !consented ? "noConsent" : null;
}

/**
 * The channel a message goes on: its own, or the customer's preferred one
 * when its flow allows and it could go there (on in the shop, an address,
 * consent for this message); otherwise its own, with the reason the preferred
 * one gave way.
 */
export function chooseChannel(message: PolicyMessage, customer: PolicyCustomer, channels: CareSettings["channels"]): { channel: Channel; effect?: FileEffect["channel"] } {
  const preferred = message.preferredChannel ? preferredMessageChannel(customer.file) : null;
  if (!preferred) return { channel: message.channel };
  if (preferred === message.channel) return { channel: preferred, effect: { preferred, used: preferred } };
  const gaveWay = blockReason({ ...message, channel: preferred }, customer, channels);
  return gaveWay ? { channel: message.channel, effect: { preferred, used: message.channel, gaveWay } } : { channel: preferred, effect: { preferred, used: preferred } };
}

export function decide(input: PolicyInput): PolicyDecision {
  const { customer, settings, now } = input;
  const file = customer.file ?? null;
  // The file first (issue 21): no promotions means none, whatever the consent; a customer who asked for a person gets one.
  if (input.message.messageClass === "marketing" && file?.acceptsPromotions === false) return { decision: "block", reason: "noPromotions" };
  if (wantsPersonalContact(file)) return { decision: "followUp", reason: "staffFollowUp", preferredChannel: file.preferredChannel };
  const chosen = chooseChannel(input.message, customer, settings.channels);
  const message = chosen.channel === input.message.channel ? input.message : { ...input.message, channel: chosen.channel };
  const blocked = blockReason(message, customer, settings.channels);
  if (blocked) return { decision: "block", reason: blocked };
  if (now.getTime() >= message.expiresAt.getTime()) return { decision: "expire", reason: "pastValidity" };
  const effect: FileEffect = chosen.effect ? { channel: chosen.effect } : {};
  const extra = () => ({ ...(chosen.channel !== input.message.channel ? { channel: chosen.channel } : {}), ...(effect.channel || effect.contactTime ? { file: effect } : {}) });

  const timeZone = resolveTimeZone(customer.timeZone, input.shopTimeZone);
  const constraints: Constraint[] = [quietHoursConstraint(settings.quietHours, timeZone)];
  if (countsAgainstCaps(message.messageClass, settings) && settings.caps.length > 0) {
    constraints.push(capConstraint(settings.caps, input.recentSends));
  }
  const allowed = nextAllowedMoment(now, constraints);
  let { at } = allowed;
  const waitedFor = [...allowed.waitedFor];
  // Issue 21: the customer's stated part of the day comes before the learned
  // hours, for every message: the first moment in it that quiet hours and
  // caps allow, within the validity window; none: the message goes when allowed.
  const stated = contactTimeWindow(file?.preferredContactTime);
  if (stated && at.getTime() < message.expiresAt.getTime()) {
    const placed = activeHoursMoment(at.getTime(), stated, timeZone, constraints, message.expiresAt.getTime());
    effect.contactTime = { time: file!.preferredContactTime as Exclude<ContactTime, "any">, ...stated, placed: placed !== null };
    if (placed !== null && placed > at.getTime()) {
      at = new Date(placed);
      waitedFor.push("contactTime");
    }
  }
  // Issue 10: a message allowing it moves on into the customer's active hours,
  // to the first moment there that quiet hours and caps also allow, within the
  // validity window; a window never reachable in time leaves it as it was.
  let active: ActiveWindow | undefined;
  if (!stated && message.activeHours && at.getTime() < message.expiresAt.getTime()) {
    const placed = activeHoursMoment(at.getTime(), message.activeHours, timeZone, constraints, message.expiresAt.getTime());
    active = { startHour: message.activeHours.startHour, hours: message.activeHours.hours, placed: placed !== null };
    if (placed !== null && placed > at.getTime()) {
      at = new Date(placed);
      waitedFor.push("activeHours");
    }
  }
  if (waitedFor.length === 0) return { decision: "send", reason: "allowed", timeZone, ...(active ? { activeHours: active } : {}), ...extra() };
  if (at.getTime() >= message.expiresAt.getTime()) return { decision: "expire", reason: "pastValidity", wouldSendAt: at, waitedFor };
  // Quiet hours alone put a message off to the next morning at most: when the
  // cap took part, it is what the merchant should read as the cause, unless
  // the customer's stated contact time or active hours moved it on from there.
  const reason = waitedFor.includes("contactTime") ? "contactTime" : waitedFor.includes("activeHours") ? "activeHours" : waitedFor.includes("frequencyCap") ? "frequencyCap" : "quietHours";
  return { decision: "defer", until: at, reason, waitedFor, timeZone, ...(active ? { activeHours: active } : {}), ...extra() };
}

/**
 * The first moment from `from` on that lies in the customer's active hours
 * (local, in `timeZone`) and that every constraint allows, before `expiresAt`;
 * null when there is none within a week of windows (a window that quiet
 * hours cover, a cap that keeps it full): then the hours are a preference
 * that gives way.
 */
export function activeHoursMoment(from: number, window: Pick<ActiveHours, "startHour" | "hours">, timeZone: string, constraints: readonly Constraint[], expiresAt: number): number | null {
  let at = from;
  for (let round = 0; round < 32 && at < expiresAt; round++) {
    if (inActiveHours(localHour(new Date(at), timeZone), window)) {
      const next = nextAllowedMoment(new Date(at), constraints).at.getTime();
      if (next === at) return at;
      at = next;
      continue;
    }
    at = nextWindowStart(at, window.startHour, timeZone);
  }
  return null;
}

/** The next moment after `at` at which the local clock shows `startHour`:00 (today's, else tomorrow's). */
function nextWindowStart(at: number, startHour: number, timeZone: string): number {
  const local = localParts(at, timeZone);
  for (let dayOffset = 0; dayOffset < 3; dayOffset++) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + dayOffset));
    const start = zonedTimeToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), startHour, 0, timeZone);
    if (start > at) return start;
  }
  return at + 24 * HOUR_MS;
}

// ------------------------------------------------------------- moving forward to an allowed moment

/** When the constraint holds from `at` on: `at` itself (null), or the first later moment it allows. */
export type Constraint = (at: number) => { next: number; reason: WaitReason } | null;
export type WaitReason = "quietHours" | "frequencyCap" | "activeHours" | "contactTime";

/**
 * The first moment from `from` on at which every constraint holds. Each
 * constraint only ever moves forward and none undoes another's reason to wait
 * (time passing frees cap slots and ends nights), so this settles in a few
 * rounds; the bound is a guard against a constraint that never holds.
 */
export function nextAllowedMoment(from: Date, constraints: readonly Constraint[]): { at: Date; waitedFor: WaitReason[] } {
  let at = from.getTime();
  const waitedFor: WaitReason[] = [];
  for (let round = 0; round < 64; round++) {
    let moved = false;
    for (const constraint of constraints) {
      const wait = constraint(at);
      if (wait && wait.next > at) {
        at = wait.next;
        if (!waitedFor.includes(wait.reason)) waitedFor.push(wait.reason);
        moved = true;
      }
    }
    if (!moved) return { at: new Date(at), waitedFor };
  }
  throw new Error("contact policy: no allowed moment found");
}

/** Quiet hours [start, end) in `timeZone`'s wall-clock time; equal start and end: none. */
export function quietHoursConstraint(quietHours: { start: string; end: string }, timeZone: string): Constraint {
  const start = minutesOfDay(quietHours.start);
  const end = minutesOfDay(quietHours.end);
  if (start === end) return () => null;
  const wraps = start > end;
  return (at) => {
    const local = localParts(at, timeZone);
    const minute = local.hour * 60 + local.minute;
    const quiet = wraps ? minute >= start || minute < end : minute >= start && minute < end;
    if (!quiet) return null;
    // Tonight's quiet hours end tomorrow (local) when they wrap midnight and it is still evening.
    const dayOffset = wraps && minute >= start ? 1 : 0;
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + dayOffset));
    let next = zonedTimeToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), Math.floor(end / 60), end % 60, timeZone);
    // In autumn's repeated hour the end's first occurrence may be behind us: the wall clock says how far ahead it is.
    if (next <= at) next = at + ((end - minute + 24 * 60) % (24 * 60)) * 60_000 - local.second * 1000;
    return { next, reason: "quietHours" };
  };
}

const HOUR_MS = 3_600_000;

/**
 * Every cap: at most `messages` counted sends in any `hours` window ending
 * now. When a cap is full, the slot frees the moment its oldest send that
 * must leave the window does (the send `count - messages` places from the
 * oldest in the window, plus the window).
 */
export function capConstraint(caps: readonly FrequencyCap[], sends: readonly Date[]): Constraint {
  const times = sends.map((send) => send.getTime()).sort((a, b) => a - b);
  return (at) => {
    let next = at;
    for (const cap of caps) {
      const windowMs = cap.hours * HOUR_MS;
      // Sends inside (at - window, at]; sends after `at` (none in practice) count too, so nothing slips past a send in flight.
      const first = times.findIndex((time) => time > at - windowMs);
      if (first < 0) continue;
      const inWindow = times.length - first;
      if (inWindow < cap.messages) continue;
      next = Math.max(next, times[first + inWindow - cap.messages] + windowMs);
    }
    return next > at ? { next, reason: "frequencyCap" } : null;
  };
}

// ------------------------------------------------------------- priority

/**
 * The order in which a customer's due messages are put to the policy: lower
 * priority number first, then the one planned earlier, then by id (stable).
 * The first sent takes the cap's slot; the rest are deferred behind it.
 */
export function dispatchOrder<T extends { priority: number; plannedAt: Date; id?: string }>(messages: readonly T[]): T[] {
  return [...messages].sort((a, b) => a.priority - b.priority || a.plannedAt.getTime() - b.plannedAt.getTime() || (a.id ?? "").localeCompare(b.id ?? ""));
}

/** The reasons `decide` can give, for code that maps them (the dispatcher's decisions). */
export const POLICY_REASONS = ["allowed", "quietHours", "frequencyCap", "activeHours", "contactTime", "noConsent", "noAddress", "channelOff", "unsubscribed", "noPromotions", "staffFollowUp", "pastValidity"] as const satisfies readonly DecisionReason[];
