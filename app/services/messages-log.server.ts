/**
 * The Messages log page (issues 8 and 20): a page of the shop's messages
 * (messagesLog's keyset pages, filtered and searched), how many match, each
 * message's decisions (oldest first, so the merchant reads on its row why it
 * went, or did not, when it did), and one message's words as its customer
 * got them.
 */
import db from "~/db.server";
import { withOfferCode } from "~/domain/care/offers";
import { sentWords, type RenderedMessage, type SentWords } from "~/domain/care/templates";
import { resolveTimeZone } from "~/domain/local-time";
import { localeForTag } from "~/i18n";
import { getCareContext } from "~/models/care-settings.server";
import { dispatchCustomers } from "~/models/message-dispatch.server";
import { getMessage, messageDecisionsFor, messagesLog, messagesLogCount, type MessageDecisionEntry, type MessagesLogQuery } from "~/models/messages.server";
import { outgoingMessage } from "./dispatcher.server";
import { defaultContentResolvers } from "./message-content.server";
import { offerCodeState, offerCodeVariables } from "./offer-codes.server";

export async function messagesLogPage(shop: string, query: MessagesLogQuery) {
  const [{ entries, nextCursor, previousCursor }, count, context] = await Promise.all([messagesLog(shop, query), messagesLogCount(shop, query), getCareContext(shop)]);
  const campaignIds = [...new Set(entries.filter((entry) => entry.source === "campaign").map((entry) => entry.sourceId))];
  const [campaigns, decisions] = await Promise.all([
    campaignIds.length ? db.campaign.findMany({ where: { shop, id: { in: campaignIds } }, select: { id: true, name: true } }) : [],
    messageDecisionsFor(shop, entries.map((entry) => entry.id)),
  ]);
  const campaignName = new Map(campaigns.map((row) => [row.id, row.name]));
  return {
    timeZone: context.timeZone,
    count,
    nextCursor,
    previousCursor,
    entries: entries.map((entry) => ({
      ...entry,
      campaignName: entry.source === "campaign" ? (campaignName.get(entry.sourceId) ?? null) : null,
      decisions: decisions.get(entry.id) ?? ([] as MessageDecisionEntry[]),
    })),
  };
}

/** A message's words rendered now from its flow's or campaign's wording. */
export interface RenderedWords {
  /** The language it was (or will be) written in: the customer's, else the shop's. */
  locale: string;
  rendered: RenderedMessage;
  /** The parts its channel would get (sentWords), as the page shows words as sent. */
  words: SentWords;
  /** The offer code that went with it, when it offered one and the code exists. */
  offerCode: string | null;
}

/**
 * What the message page shows (ADR 0032): the words as sent when the row kept
 * them; otherwise the words rendered now, and why: not sent (yet, or ever),
 * sent before MemberCare kept sent words, or past MESSAGE_WORDS_RETENTION_DAYS.
 */
export type MessageWords =
  | { basis: "asSent"; sentAt: Date; words: SentWords }
  | ({ basis: "renderedNow"; why: "notSent" | "sentBeforeKept" | "purged" } & RenderedWords);

/**
 * One message's words: as its channel got them when it was sent (kept on the
 * row by the dispatcher); for the others, rendered now (renderedNow). Null for
 * another shop's id, or when its words cannot be rendered (its campaign is gone).
 */
export async function messageWords(shop: string, id: string): Promise<MessageWords | null> {
  const message = await getMessage(shop, id);
  if (!message) return null;
  if (message.sentAt && message.sentText !== null) {
    return { basis: "asSent", sentAt: message.sentAt, words: { subject: message.sentSubject, text: message.sentText, html: message.sentHtml } };
  }
  const why = !message.sentAt ? "notSent" : message.sentWordsPurgedAt ? "purged" : "sentBeforeKept";
  const now = await renderedNow(shop, message);
  return now ? { basis: "renderedNow", why, ...now } : null;
}

/**
 * A message's words as its customer would get them now, made by the
 * dispatcher's own path (outgoingMessage: the flow's or campaign's content in
 * the customer's language, the variables fixed when it was planned, the
 * offer's code and its line), so the page never shows a message differently
 * from how it would go out. The unsubscribe link is a stand-in: the customer's
 * real one would unsubscribe them if staff clicked it. A flow switched off
 * since still shows its words. Null when its campaign is gone.
 */
async function renderedNow(shop: string, message: NonNullable<Awaited<ReturnType<typeof getMessage>>>): Promise<RenderedWords | null> {
  const [care, customers] = await Promise.all([getCareContext(shop), dispatchCustomers(shop, [message.customerShopifyId])]);
  const customer = customers.get(message.customerShopifyId) ?? null;
  const locale = localeForTag(customer?.locale || care.locale || "en");
  const resolver = defaultContentResolvers({ wordsWhenOff: true })[message.source as "flow" | "campaign"];
  if (!resolver) return null;
  const resolved = await resolver(shop, message, locale);
  if (!resolved.content) return null;
  const code = await offerCodeState(shop, message.id);
  const withCode = code.state === "ready" ? { ...resolved, content: withOfferCode(resolved.content, locale) } : resolved;
  const extra = code.state === "ready" ? offerCodeVariables(code.code, code.expiresAt, locale, resolveTimeZone(customer?.timeZone ?? null, care.timeZone)) : {};
  const claimed = { ...message, status: message.status as "scheduled", leaseOwner: "" } as Parameters<typeof outgoingMessage>[0];
  const outgoing = outgoingMessage(claimed, customer, care, withCode, locale, { unsubscribeUrl: (domain) => `https://${domain}/unsubscribe` }, extra);
  return { locale, rendered: outgoing.rendered, words: sentWords(outgoing), offerCode: code.state === "ready" ? code.code : null };
}

/** One message with its decisions, oldest first; null for another shop's id. */
export async function messageWithDecisions(shop: string, id: string) {
  const message = await getMessage(shop, id);
  if (!message) return null;
  return { message, decisions: (await messageDecisionsFor(shop, [id])).get(id) ?? [] };
}
