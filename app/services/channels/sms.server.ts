/**
 * The SMS channel, in the shape of Twilio's Messages API (other providers
 * offer the same shape or an adapter to it): a form-encoded POST of To, From
 * and Body to /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP Basic
 * auth, answered with the message's `sid`.
 *
 * Outcomes: 2xx → accepted with the sid; 429, 5xx, no answer → thrown (the
 * dispatcher retries); any other 4xx → rejected with the provider's own
 * `code` and `message` (invalid number, unsubscribed recipient, ...).
 */
import { createHash } from "node:crypto";
import type { ChannelSender, OutgoingMessage, SendResult } from "./types";
import { TransientChannelError } from "./types";
import { CallTimeoutError, callDeadlineMs, isTimeout } from "../call-deadlines.server";

export interface SmsChannelOptions {
  /** https://api.twilio.com, or the local endpoint in tests and the demo. */
  baseUrl: string;
  accountSid: string | null | undefined;
  authToken: string | null | undefined;
  /** How long one request may take, the answer's body included (default SMS_API_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** The header that lets the provider (and our local endpoint) recognise a resend of the same message. */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/**
 * Derived from the shop and the message's idempotency key, hashed: the same
 * message always sends the same value, and the key (which names orders and
 * customers) does not leave the app.
 */
export const smsIdempotencyKey = (shop: string, idempotencyKey: string) => createHash("sha256").update(`${shop}\n${idempotencyKey}`).digest("hex");

export function smsChannel(options: SmsChannelOptions): ChannelSender {
  const { accountSid, authToken } = options;
  const endpoint = accountSid ? new URL(`/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, options.baseUrl).href : null;
  return {
    async send(message: OutgoingMessage): Promise<SendResult> {
      // Not configured is the merchant's choice (no SMS account yet), not an outage: retrying would not help.
      if (!endpoint || !authToken) return { status: "rejected", reason: "SMS is not configured (SMS_ACCOUNT_SID and SMS_AUTH_TOKEN)" };
      const to = message.customer.phone;
      if (!to) return { status: "rejected", reason: "the customer has no phone number" };
      const from = message.sender.smsFrom;
      if (!from) return { status: "rejected", reason: "no SMS sender number in the care settings" };
      if (!message.rendered.sms) return { status: "rejected", reason: "the SMS text is empty" };

      const deadline = options.timeoutMs ?? callDeadlineMs("sms");
      // A provider that does not answer in time may still have taken the message: retried with the same idempotency key.
      const transient = (what: string, error: unknown) =>
        isTimeout(error)
          ? new TransientChannelError(new CallTimeoutError("SMS provider", deadline).message, { cause: error })
          : new TransientChannelError(`${what}: ${(error as Error).message}`, { cause: error });
      let response: Response;
      let text: string;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: {
            Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`,
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "application/json",
            [IDEMPOTENCY_HEADER]: smsIdempotencyKey(message.shop, message.idempotencyKey),
          },
          body: new URLSearchParams({ To: to, From: from, Body: message.rendered.sms }),
          signal: AbortSignal.timeout(deadline),
        });
      } catch (error) {
        throw transient("SMS provider unreachable", error);
      }
      try {
        text = await response.text();
      } catch (error) {
        throw transient("SMS provider's answer cut off", error);
      }
      if (response.status === 429 || response.status >= 500) throw new TransientChannelError(`SMS provider answered ${response.status}: ${text.slice(0, 300)}`);
      let body: { sid?: unknown; code?: unknown; message?: unknown } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // described below with the status
      }
      if (response.ok) {
        if (typeof body.sid !== "string" || !body.sid) throw new TransientChannelError(`SMS provider answered ${response.status} without a message sid`);
        return { status: "accepted", providerMessageId: body.sid };
      }
      const reason = typeof body.message === "string" ? `${body.code ?? response.status}: ${body.message}` : `${response.status}: ${text.slice(0, 300)}`;
      return { status: "rejected", reason: `SMS provider refused: ${reason}` };
    },
  };
}
