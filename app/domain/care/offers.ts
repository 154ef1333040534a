/**
 * An offer is a code (issue 17): a care message that offers a discount goes
 * out only with a code made for that customer (single use, theirs alone, with
 * an expiry), created in Shopify through the outbox first. These are the pure
 * rules the dispatcher follows:
 * - which messages name an offer (their wording uses an offer variable, or
 *   their planned variables carry a percentage);
 * - what state the message's code is in, and what the dispatcher does with it
 *   (send with it, wait for it, or never send: the reason is logged);
 * - the code's expiry: the end of the customer's local day, `days` after
 *   the message is let through;
 * - wording that names a percentage but not the code gets the code's line
 *   added, so no message promises a discount without saying how to get it.
 * Pure: no I/O, no clock reads.
 */
import { translate, type Locale } from "~/i18n";
import { localDate, zonedInstant } from "~/domain/local-time";
import { templateVariablesUsed, type TemplateContent } from "./templates";

/** The variables that promise an offer. */
export const OFFER_VARIABLES = ["discountPercent", "offerCode", "offerExpiresOn"] as const;

/** The offer's percentage from a message's planned variables; null when it carries none (or not a usable one). */
export function offerPercent(variables: Record<string, unknown>): number | null {
  const value = variables.discountPercent;
  const percent = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof percent === "number" && Number.isInteger(percent) && percent >= 1 && percent <= 100 ? percent : null;
}

/** Whether this wording promises an offer. */
export function namesOffer(content: Partial<TemplateContent>): boolean {
  const used = templateVariablesUsed(content);
  return OFFER_VARIABLES.some((name) => used.includes(name));
}

/**
 * Whether the message needs a code before it may go: its wording promises an
 * offer, or it was planned with one (a merchant's wording may name neither,
 * and then the added line carries it).
 */
export function needsOfferCode(content: Partial<TemplateContent>, variables: Record<string, unknown>): boolean {
  return namesOffer(content) || offerPercent(variables) !== null;
}

/** The message's code as the outbox left it: none asked for yet, being created, there, or never to be. */
export type OfferCodeState =
  | { state: "missing" }
  | { state: "pending"; code: string; since: Date }
  | { state: "ready"; code: string; expiresAt: Date }
  | { state: "failed"; code: string | null; error: string };

/**
 * What the dispatcher does with a message that needs a code:
 * - `noOffer`: it names an offer but was planned without one (a campaign, or
 *   a flow step that has none): it can never carry a code, blocked;
 * - `create`: ask for the code and wait;
 * - `wait`: the code is being created;
 * - `send`: the code is there and still good when the message goes;
 * - `failed`: Shopify refused it, or it expired before the message went.
 */
export type OfferVerdict = { action: "noOffer" } | { action: "create"; percent: number } | { action: "wait"; code: string; since: Date } | { action: "send"; code: string; expiresAt: Date } | { action: "failed"; error: string };

export function offerVerdict(percent: number | null, code: OfferCodeState, now: Date): OfferVerdict {
  if (percent === null) return { action: "noOffer" };
  switch (code.state) {
    case "missing":
      return { action: "create", percent };
    case "pending":
      return { action: "wait", code: code.code, since: code.since };
    case "failed":
      return { action: "failed", error: code.error };
    case "ready":
      return code.expiresAt > now ? { action: "send", code: code.code, expiresAt: code.expiresAt } : { action: "failed", error: `code ${code.code} expired before the message could go` };
  }
}

/**
 * How long a message waits before it looks at its code again: as long as the
 * code has been pending, between `min` and `max`, so a quick outbox is met
 * quickly and a Shopify outage of hours does not log a decision every minute.
 */
export function offerRecheckMs(since: Date | null, now: Date, { min = 30_000, max = 15 * 60_000 } = {}): number {
  const age = since ? now.getTime() - since.getTime() : 0;
  return Math.min(max, Math.max(min, age));
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * When the code stops working: the end of the customer's local day `days`
 * after `now` (the next local midnight), so "valid until 21 December" holds
 * for the whole of that day where the customer is.
 */
export function offerEndsAt(now: Date, days: number, timeZone: string): Date {
  return zonedInstant(addDays(localDate(now, timeZone), days + 1), 0, timeZone);
}

/** The last local day the code works (endsAt is the midnight after it). */
export const offerLastDay = (endsAt: Date) => new Date(endsAt.getTime() - 1);

/**
 * The wording with the code's line added where it would be missing: a body or
 * SMS that does not show `{{offerCode}}` gets "Your code: … (valid until …)"
 * in the customer's language, after the merchant's words.
 */
export function withOfferCode(content: TemplateContent, locale: Locale): TemplateContent {
  const line = translate(locale, "care.offer.codeLine", { code: "{{offerCode}}", date: "{{offerExpiresOn}}" });
  const shows = (text: string) => templateVariablesUsed({ body: text }).includes("offerCode");
  return {
    subject: content.subject,
    body: content.body.trim() && !shows(content.body) ? `${content.body.trimEnd()}\n\n${line}` : content.body,
    sms: content.sms.trim() && !shows(content.sms) ? `${content.sms.trimEnd()} ${line}` : content.sms,
  };
}
