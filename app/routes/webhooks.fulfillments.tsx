// Handles: fulfillments/create, fulfillments/update, fulfillment_events/create
// (declared in shopify.app.toml with uri = "/webhooks/fulfillments")
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/ingest.server";

export const TOPICS = ["fulfillments/create", "fulfillments/update", "fulfillment_events/create"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, { topics: TOPICS });
