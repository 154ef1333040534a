// Handles: orders/create, orders/updated, orders/paid, orders/cancelled, orders/edited, refunds/create
// (declared in shopify.app.toml with uri = "/webhooks/orders")
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/ingest.server";

export const TOPICS = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/edited", "refunds/create"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, { topics: TOPICS });
