import type { Channel, MessageClass } from "~/domain/care/types";

/**
 * What the dispatcher hands a channel: one message, rendered and addressed.
 * Channels never read the database: everything they need is here, so a
 * channel can be tested against its real peer (SMTP server, SMS endpoint,
 * the store simulator) without a shop behind it.
 */
export interface OutgoingMessage {
  shop: string;
  messageId: string;
  /**
   * The Message row's idempotency key. Channels pass it to the receiver (the
   * email's Message-ID, the SMS provider's idempotency header, the Flow
   * payload's key) so a resend after a crash is recognisably the same message.
   */
  idempotencyKey: string;
  channel: Channel;
  messageClass: MessageClass;
  customer: { shopifyId: string; email: string | null; phone: string | null; firstName: string | null; lastName: string | null; locale: string };
  rendered: { subject: string; text: string; html: string; sms: string };
  sender: { fromName: string; fromEmail: string; replyTo: string | null; smsFrom: string | null };
  /** Set for marketing messages: the one-click unsubscribe link for this customer and channel. */
  unsubscribeUrl: string | null;
  /** For the flow channel: the trigger's handle and the payload its TOML declares. */
  flow: { handle: string; payload: Record<string, unknown> } | null;
}

/**
 * accepted: the provider took it (its id kept on the Message row).
 * rejected: the provider refused it for good (bad address, unknown trigger,
 * channel not configured); retrying would not help.
 * Transient failures (provider down, 4xx SMTP, 429/5xx HTTP) THROW instead,
 * so the dispatcher retries them with back-off and loses nothing.
 */
export type SendResult = { status: "accepted"; providerMessageId: string } | { status: "rejected"; reason: string };

export interface ChannelSender {
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * How many sends the channel carries at once (the email pool's connections);
   * the dispatcher hands it at most this many at a time. Absent: one.
   */
  maxInFlight?: number;
}

/** A failure worth retrying later: the provider was unreachable or asked us to wait. */
export class TransientChannelError extends Error {
  name = "TransientChannelError";
}
