/**
 * The words care flows (issue 8) and campaigns (issue 9) share: flows and
 * their steps, channels, message classes, message statuses and the reasons
 * behind every decision about a message. Pure; the Messages log and the
 * admin pages translate the codes (i18n keys care.reason.*, care.status.*).
 */

/** Care flows a merchant can switch on, each with its steps. */
export const CARE_FLOWS = ["postDelivery", "replenishment", "winBack", "tierUpgrade", "downgradeWarning", "birthday", "shipmentNotice"] as const;
export type CareFlowKey = (typeof CARE_FLOWS)[number];

export const FLOW_STEPS = {
  postDelivery: ["deliveryCheck", "usageTips", "reviewRequest", "experienceCheck"],
  replenishment: ["reminder"],
  winBack: ["atRisk", "dormant"],
  tierUpgrade: ["congratulations"],
  downgradeWarning: ["warning"],
  birthday: ["greeting"],
  shipmentNotice: ["onIt"],
} as const satisfies Record<CareFlowKey, readonly string[]>;
export type FlowStep<F extends CareFlowKey = CareFlowKey> = (typeof FLOW_STEPS)[F][number];

export const CHANNELS = ["email", "sms", "flow"] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Marketing messages need the customer's marketing consent on the channel and
 * count against the frequency cap; transactional ones (about an order the
 * customer placed) may go without consent, when the flow allows it. Quiet
 * hours hold for both.
 */
export const MESSAGE_CLASSES = ["transactional", "marketing"] as const;
export type MessageClass = (typeof MESSAGE_CLASSES)[number];

/**
 * scheduled: planned, waiting for its time; deferred: its time came but the
 * policy put it off (quiet hours, cap) to availableAt; sending: claimed by a
 * dispatcher, provider not yet confirmed; paused: its order's shipment is in
 * trouble; then one of the final states.
 */
export const MESSAGE_STATUSES = ["scheduled", "deferred", "sending", "paused", "sent", "blocked", "cancelled", "failed", "expired", "heldOut"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const FINAL_STATUSES: readonly MessageStatus[] = ["sent", "blocked", "cancelled", "failed", "expired", "heldOut"];

export const DECISIONS = ["planned", "deferred", "sent", "blocked", "failed", "retry", "cancelled", "expired", "paused", "resumed", "heldOut"] as const;
export type Decision = (typeof DECISIONS)[number];

/** Why: every decision carries one of these (with details as JSON). */
export const DECISION_REASONS = [
  // planning
  "flowPlanned",
  // policy
  "allowed",
  "quietHours",
  "frequencyCap",
  // issue 10: moved into the customer's learned active hours
  "activeHours",
  // issue 21: the customer file: moved into their preferred contact time; no
  // promotions wanted; a call or no messages wanted (a staff follow-up instead)
  "contactTime",
  "noPromotions",
  "staffFollowUp",
  "noConsent",
  "noAddress",
  "channelOff",
  "flowOff",
  "pastValidity",
  "holdout",
  // cancellations
  "orderCancelled",
  "orderRefunded",
  "reordered",
  "unsubscribed",
  "customerRedacted",
  "shopUninstalled",
  "campaignCancelled",
  "stageLeft",
  "replaced",
  // shipments
  "shipmentProblem",
  "shipmentResolved",
  // issue 17: an offer goes only with its code
  "offerCodePending",
  "offerCodeFailed",
  "noOffer",
  // channels
  "providerError",
  "providerRejected",
  "providerAccepted",
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** Shipment troubles (logistics anomalies). */
export const ANOMALY_KINDS = ["longTransit", "attemptedDelivery", "failure", "delayed", "noUpdate"] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
