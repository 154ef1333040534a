// What the customer file decided about a message (issue 21), in words for the
// Messages log: the channel the file preferred (or why it could not be used),
// the contact time the message waited for, and a touch handed to staff. The
// keys are the ones the dispatcher writes in a decision's detail
// (customerFile, preferredChannel, followUp, followUpTaskId).
import { CONTACT_TIMES, PREFERRED_CHANNELS } from "~/domain/customer-file";
import { CHANNELS, DECISION_REASONS } from "~/domain/care/types";
import type { MessageKey, MessageVars } from "~/i18n";

type T = (key: MessageKey, vars?: MessageVars) => string;

const hour = (h: number) => `${String(((Math.floor(h) % 24) + 24) % 24).padStart(2, "0")}:00`;
const oneOf = <V extends string>(list: readonly V[], value: unknown): value is V => typeof value === "string" && (list as readonly string[]).includes(value);

function channelName(t: T, channel: unknown): string {
  return oneOf(CHANNELS, channel) ? t(`campaigns.channel.${channel}` as MessageKey) : String(channel);
}

/** The detail entry in words, or null when `key` is not one the customer file wrote. */
export function fileDetailParts(key: string, value: unknown, t: T): string[] | null {
  switch (key) {
    case "customerFile": {
      const effect = (value ?? {}) as { channel?: { preferred?: string; used?: string; gaveWay?: string }; contactTime?: { time?: string; startHour?: number; hours?: number; placed?: boolean } };
      const parts: string[] = [];
      if (effect.channel) {
        const { preferred, used, gaveWay } = effect.channel;
        parts.push(
          gaveWay
            ? t("care.messages.detail.channelGaveWay", { preferred: channelName(t, preferred), used: channelName(t, used), why: oneOf(DECISION_REASONS, gaveWay) ? t(`care.reason.${gaveWay}` as MessageKey) : gaveWay })
            : t("care.messages.detail.channelPreferred", { channel: channelName(t, used) }),
        );
      }
      const time = effect.contactTime;
      if (time && oneOf(CONTACT_TIMES, time.time) && typeof time.startHour === "number" && typeof time.hours === "number") {
        parts.push(t("care.messages.detail.contactTime", { time: t(`customerFile.time.${time.time}` as MessageKey), from: hour(time.startHour), to: hour(time.startHour + time.hours) }));
        if (time.placed === false) parts.push(t("care.messages.detail.contactTimeNoRoom"));
      }
      return parts;
    }
    case "preferredChannel":
      return [t("care.messages.detail.preferredChannel", { preferred: oneOf(PREFERRED_CHANNELS, value) ? t(`customerFile.channel.${value}` as MessageKey) : String(value) })];
    case "followUp":
      return [t(value === "opened" ? "care.messages.detail.followUpOpened" : "care.messages.detail.followUpExisting")];
    case "followUpTaskId":
      // The task itself is on the Follow-ups page; its id says nothing to a reader.
      return [];
    default:
      return null;
  }
}
