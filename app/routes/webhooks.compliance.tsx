// Handles: customers/data_request, customers/redact, shop/redact
// (declared in shopify.app.toml with uri = "/webhooks/compliance")
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/ingest.server";

export const TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, { topics: TOPICS });
