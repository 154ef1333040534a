// Handles: app/uninstalled, app/scopes_update
// (declared in shopify.app.toml with uri = "/webhooks/app")
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/ingest.server";

export const TOPICS = ["app/uninstalled", "app/scopes_update"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, { topics: TOPICS });
