/**
 * The app's Shopify Flow triggers and the payload each one sends. A merchant
 * who would rather message customers through Shopify Email or an SMS app
 * picks the "flow" channel for a care flow; the touch then starts their
 * workflow instead of sending mail from the app.
 *
 * Each trigger's fields are declared in its extension's TOML
 * (extensions/flow-<handle>/shopify.extension.toml); the payload must carry
 * exactly those: a customer_reference field is sent as `customer_id`, an
 * order_reference as `order_id` (Shopify's numeric ids), every other field
 * under its `key`. tests/flow-triggers.test.ts holds the two together.
 * Pure: ids stay digit strings here; the flow channel writes them as JSON
 * numbers without rounding them.
 */
import type { MessageClass } from "./types";

export const FLOW_TRIGGER_HANDLES = ["member-delivered", "member-tier-changed", "care-touch-due"] as const;
export type FlowTriggerHandle = (typeof FLOW_TRIGGER_HANDLES)[number];

/** Payload keys Shopify gives reference fields; their values are numeric ids. */
export const REFERENCE_KEYS = { customer_reference: "customer_id", order_reference: "order_id", product_reference: "product_id" } as const;

export interface FlowTriggerInput {
  /** The care flow (CARE_FLOWS) or campaign the message belongs to, and its step. */
  flow: string;
  step: string;
  customerShopifyId: string;
  orderShopifyId: string | null;
  messageClass: MessageClass;
  idempotencyKey: string;
  /** The customer's locale, so a workflow can pick the template language. */
  locale: string;
  /** The message's variables (formatted strings), as the templates get them. */
  variables: Record<string, string | number | null | undefined>;
  /** The rendered message, for workflows that send it as it is. */
  rendered: { subject: string; text: string; sms: string };
}

export interface FlowTrigger {
  handle: FlowTriggerHandle;
  payload: Record<string, string>;
}

const text = (value: string | number | null | undefined) => (value === null || value === undefined ? "" : String(value));

/**
 * Which trigger a touch starts, and its payload:
 * - the post-delivery flow's first step, with its order: "Member delivered"
 *   (a parcel reached a member);
 * - the tier upgrade's congratulations: "Member tier changed";
 * - every other touch: "Care touch due", with the flow and step named so one
 *   workflow can branch on them.
 */
export function flowTriggerFor(input: FlowTriggerInput): FlowTrigger {
  const v = input.variables;
  const common = { "Language": input.locale, "Message key": input.idempotencyKey };
  if (input.flow === "postDelivery" && input.step === "deliveryCheck" && input.orderShopifyId) {
    return {
      handle: "member-delivered",
      payload: {
        customer_id: input.customerShopifyId,
        order_id: input.orderShopifyId,
        "Tier name": text(v.tierName),
        "Products": text(v.productTitles ?? v.productTitle),
        "Tracking URL": text(v.trackingUrl),
        ...common,
      },
    };
  }
  if (input.flow === "tierUpgrade") {
    return {
      handle: "member-tier-changed",
      payload: {
        customer_id: input.customerShopifyId,
        "Tier name": text(v.tierName),
        "Perks": text(v.perks),
        "Tier gift": text(v.tierGift),
        ...common,
      },
    };
  }
  return {
    handle: "care-touch-due",
    payload: {
      customer_id: input.customerShopifyId,
      "Care flow": input.flow,
      "Care step": input.step,
      "Message class": input.messageClass,
      "Order name": text(v.orderName),
      "Subject": input.rendered.subject,
      "Message": input.rendered.text,
      "SMS text": input.rendered.sms,
      ...common,
    },
  };
}
