/**
 * The channels the dispatcher sends through, built from the environment once
 * per process: the email channel's pooled SMTP connections are shared by every
 * send rather than opened per message.
 */
import type { Channel } from "~/domain/care/types";
import { env } from "~/env.server";
import { emailChannel, type EmailChannel } from "./email.server";
import { offlineAdmin } from "../offline-admin.server";
import { flowChannel } from "./flow.server";
import { smsChannel } from "./sms.server";
import type { ChannelSender } from "./types";

export type { ChannelSender, OutgoingMessage, SendResult } from "./types";
export { TransientChannelError } from "./types";
export { emailChannel } from "./email.server";
export { smsChannel } from "./sms.server";
export { flowChannel } from "./flow.server";
export { unsubscribeUrl } from "./unsubscribe.server";

let cached: { senders: Record<Channel, ChannelSender>; email: EmailChannel } | undefined;

export function channelsFromEnv(): Record<Channel, ChannelSender> {
  if (!cached) {
    const config = env();
    const email = emailChannel({ smtpUrl: config.SMTP_URL });
    cached = {
      email,
      senders: {
        email,
        sms: smsChannel({ baseUrl: config.SMS_API_BASE_URL, accountSid: config.SMS_ACCOUNT_SID, authToken: config.SMS_AUTH_TOKEN }),
        flow: flowChannel({ adminFor: offlineAdmin }),
      },
    };
  }
  return cached.senders;
}

/** Closes the pooled SMTP connections (worker shutdown, scripts); the next channelsFromEnv() opens new ones. */
export function closeChannels(): void {
  cached?.email.close();
  cached = undefined;
}
