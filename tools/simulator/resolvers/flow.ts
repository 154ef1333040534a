// `flowTriggerReceive`: the app starts merchants' Shopify Flow workflows. The
// handle must name one of the app's deployed flow_trigger extensions; the
// simulator keeps each trigger so tests can read what Flow was given.
import type { FieldResolver } from "./common";

export const flowMutations: Record<string, FieldResolver> = {
  flowTriggerReceive: ({ handle, payload, body }: { handle?: string | null; payload?: unknown; body?: string | null }, { shop, state }) => {
    if (body != null) return { userErrors: [{ field: ["body"], message: "body is deprecated: send handle and payload" }] };
    if (!handle || !shop.flowTriggerHandles.includes(handle)) return { userErrors: [{ field: ["handle"], message: `Trigger '${handle ?? ""}' was not found for this app` }] };
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return { userErrors: [{ field: ["payload"], message: "Payload must be a JSON object" }] };
    shop.flowTriggers.push({ handle, payload, receivedAt: state.now() });
    return { userErrors: [] };
  },
};
