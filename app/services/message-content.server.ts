/**
 * What a message says, by where it comes from: the dispatcher asks the
 * resolver of the message's source (a care flow or a campaign) for its
 * content in the customer's language, whether it may still go (the flow or
 * its step switched off), and whether a transactional one may go without
 * marketing consent. The Message row fixed its channel, class and variables
 * when it was planned; the words are read when it is sent, so a merchant's
 * correction reaches messages not yet sent.
 */
import type { TemplateContent } from "~/domain/care/templates";
import { OFF, type ContentResolver, type ContentResolvers } from "~/domain/care/message-content";
import { campaignUsesActiveHours } from "~/models/active-hours.server";
import { campaignContent } from "./campaigns.server";
import { flowResolver } from "./flow-content.server";

// The contract itself is in app/domain/care/message-content.ts (the flow resolver needs it too).
export type { ContentResolver, ContentResolvers, MessageContent } from "~/domain/care/message-content";

/** Campaigns (issue 9): always marketing, never without consent; gone or without content: off. */
function campaignResolver(): ContentResolver {
  const cache = new Map<string, Promise<TemplateContent | null>>();
  const activeHours = new Map<string, Promise<boolean>>();
  return async (shop, message, locale) => {
    const key = `${shop}\n${message.sourceId}\n${message.step}\n${locale}`;
    let loading = cache.get(key);
    if (!loading) cache.set(key, (loading = campaignContent(shop, message.sourceId, message.step, locale)));
    const campaignKey = `${shop}\n${message.sourceId}`;
    let flag = activeHours.get(campaignKey);
    if (!flag) activeHours.set(campaignKey, (flag = campaignUsesActiveHours(shop, message.sourceId)));
    const content = await loading;
    return content ? { enabled: true, allowWithoutConsent: false, content, activeHours: await flag } : OFF;
  };
}

/**
 * Fresh resolvers for one dispatcher pass (their caches last the pass, so a
 * merchant's change applies from the next). `wordsWhenOff` is for reading a
 * message in the Messages log: a flow switched off still gives its words.
 */
export function defaultContentResolvers(options: { wordsWhenOff?: boolean } = {}): ContentResolvers {
  return { flow: flowResolver(options), campaign: campaignResolver() };
}
