/**
 * The contract between the dispatcher and the sources of a message's words (a
 * care flow, a campaign): what a resolver answers for one message. It lives
 * here, below both the resolvers (app/services/flow-content.server.ts, the
 * campaign resolver) and the module that combines them
 * (app/services/message-content.server.ts), so neither imports the other for it.
 */
import type { TemplateContent } from "./templates";
import type { Locale } from "~/i18n";

export interface MessageContent {
  /** False: the flow (or its step) is switched off, or the campaign is gone; the message is blocked with flowOff. */
  enabled: boolean;
  allowWithoutConsent: boolean;
  content: TemplateContent | null;
  /** The source places its messages in each customer's learned active hours (issue 10). */
  activeHours?: boolean;
  /** About the customer's own membership: the contact policy's membership rules apply (ADR 0011). */
  membership?: boolean;
  /** The flow goes on each customer's preferred channel from their file, where it names email or SMS (issue 21). */
  preferredChannel?: boolean;
}

/** `variables` is the Message row's JSON: a flow reads which usage tip a post-delivery message was planned with. */
export type ContentResolver = (shop: string, message: { sourceId: string; step: string; variables?: string }, locale: Locale) => Promise<MessageContent>;
export type ContentResolvers = Record<"flow" | "campaign", ContentResolver>;

/** A message that may not go: its flow or step is off, or its source is gone. */
export const OFF: MessageContent = { enabled: false, allowWithoutConsent: false, content: null };
