// Handles: customers/create, customers/update, customers/delete, customers_email_marketing_consent/update, customers_marketing_consent/update
// (declared in shopify.app.toml with uri = "/webhooks/customers")
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/ingest.server";

export const TOPICS = ["customers/create", "customers/update", "customers/delete", "customers_email_marketing_consent/update", "customers_marketing_consent/update"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, { topics: TOPICS });
