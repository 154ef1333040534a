/**
 * The Flow channel: a touch starts the merchant's Shopify Flow workflow
 * through `flowTriggerReceive`, with the shop's offline Admin client.
 *
 * Outcomes: no userErrors → accepted; userErrors (unknown handle, a payload
 * the trigger does not declare) or a GraphQL error → rejected with Shopify's
 * message; Shopify unreachable, an HTTP error or THROTTLED → thrown, retried.
 */
import { REFERENCE_KEYS } from "~/domain/care/flow-triggers";
import { FLOW_TRIGGER_RECEIVE } from "~/graphql/flow";
import { AdminRequestError, isThrottled, type AdminClientFor } from "../admin-client.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "./types";
import { TransientChannelError } from "./types";

// JSON.rawJSON (Node 22): writes a number's exact digits. Shopify's ids can
// exceed 2^53, where a JavaScript number would round them to another id.
const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

const REFERENCE_FIELDS = new Set<string>(Object.values(REFERENCE_KEYS));

/** The payload as Flow reads it: reference fields as JSON numbers, exactly. */
export function wirePayload(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => {
      if (!REFERENCE_FIELDS.has(key) || typeof value !== "string" || !/^\d+$/.test(value)) return [key, value];
      const number = Number(value);
      if (Number.isSafeInteger(number)) return [key, number];
      if (!rawJSON) throw new Error(`cannot send id ${value} exactly without JSON.rawJSON (Node 22)`);
      return [key, rawJSON(value)];
    }),
  );
}

export function flowChannel({ adminFor }: { adminFor: AdminClientFor }): ChannelSender {
  return {
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!message.flow) return { status: "rejected", reason: "no Flow trigger for this message" };
      const { handle, payload } = message.flow;
      let answer;
      try {
        const admin = await adminFor(message.shop);
        answer = await admin.request<{ flowTriggerReceive: { userErrors: Array<{ field: string[] | null; message: string }> } | null }>(FLOW_TRIGGER_RECEIVE, {
          handle,
          payload: wirePayload(payload),
        });
      } catch (error) {
        if (error instanceof AdminRequestError) throw new TransientChannelError(error.message, { cause: error });
        throw error;
      }
      if (isThrottled(answer)) throw new TransientChannelError("THROTTLED by Shopify");
      if (answer.errors?.length) return { status: "rejected", reason: `Shopify refused the trigger: ${answer.errors.map((error) => error.message).join("; ")}` };
      const userErrors = answer.data?.flowTriggerReceive?.userErrors ?? [];
      if (userErrors.length > 0) return { status: "rejected", reason: `Flow trigger ${handle}: ${userErrors.map((error) => error.message).join("; ")}` };
      // Flow returns no id of its own: the message's key is what names this trigger run.
      return { status: "accepted", providerMessageId: `flow:${handle}:${message.idempotencyKey}` };
    },
  };
}
