// A message's decision history in words (the Messages log's row, the message's
// own page): each decision, oldest first, with its reason and what the policy
// weighed ("usual hours 18:00–21:00, learned from 8 orders"), times in the
// shop's zone. Also the message's source ("After delivery · Delivery check")
// by the glossary's one flow name.
import { BlockStack, Text } from "@shopify/polaris";
import { CARE_FLOWS, DECISION_REASONS, FLOW_STEPS } from "~/domain/care/types";
import { formatDateTime, useLocale, useT, type Locale, type MessageKey } from "~/i18n";
import { flowNameKey } from "~/i18n/glossary";
import { fileDetailParts } from "./customer-file-decision";

type T = ReturnType<typeof useT>;

const FLOW_STEPS_ALL = Object.values(FLOW_STEPS).flat();
const known = <V extends string>(list: readonly V[], value: string | null): value is V => value !== null && (list as readonly string[]).includes(value);

export function reasonText(t: T, reason: string | null): string {
  return known(DECISION_REASONS, reason) ? t(`care.reason.${reason}` as MessageKey) : (reason ?? "");
}

/** "After delivery · Delivery check", or "Campaign: Spring tea" for a campaign's message. */
export function sourceText(t: T, entry: { source: string; sourceId: string; step: string; campaignName: string | null }): string {
  if (entry.source === "campaign") return t("care.messages.campaign", { name: entry.campaignName ?? entry.sourceId });
  const flow = known(CARE_FLOWS, entry.sourceId) ? t(flowNameKey(entry.sourceId)) : entry.sourceId;
  const step = (FLOW_STEPS_ALL as readonly string[]).includes(entry.step) ? t(`flows.step.${entry.step}` as MessageKey) : entry.step;
  return `${flow} · ${step}`;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T/;
const hour = (h: number) => `${String(((Math.floor(h) % 24) + 24) % 24).padStart(2, "0")}:00`;

/**
 * A decision's detail in words, so the merchant reads why a message went when
 * it did; dates in the shop's zone. Keys the page does not know show as "key: value".
 */
export function detailText(detail: Record<string, unknown>, t: T, locale: Locale, timeZone: string): string {
  const date = (value: unknown) => (typeof value === "string" && ISO_TIME.test(value) ? formatDateTime(value, locale, timeZone) : String(value));
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null || value === undefined || value === false) continue;
    // What the customer file decided (issue 21: policy21's words, ./customer-file-decision.ts).
    const fromFile = fileDetailParts(key, value, t);
    if (fromFile) {
      parts.push(...fromFile);
      continue;
    }
    switch (key) {
      case "until":
        parts.push(t("care.messages.detail.until", { at: date(value) }));
        break;
      case "waitedFor":
        if (Array.isArray(value) && value.length > 0) parts.push(t("care.messages.detail.waitedFor", { reasons: value.map((reason) => reasonText(t, String(reason))).join(", ") }));
        break;
      case "timeZone":
        parts.push(t("care.messages.detail.timeZone", { zone: String(value) }));
        break;
      case "activeHours": {
        const window = value as { startHour?: number; hours?: number; source?: string; orders?: number; placed?: boolean };
        if (typeof window.startHour !== "number" || typeof window.hours !== "number") break;
        const hours = { from: hour(window.startHour), to: hour(window.startHour + window.hours) };
        parts.push(window.source === "learned" ? t("care.messages.detail.activeHoursLearned", { ...hours, orders: window.orders ?? 0 }) : t("care.messages.detail.activeHoursDefault", hours));
        if (window.placed === false) parts.push(t("care.messages.detail.activeHoursNoRoom"));
        break;
      }
      case "expiresAt":
        parts.push(t("care.messages.detail.expiresAt", { at: date(value) }));
        break;
      case "wouldSendAt":
        parts.push(t("care.messages.detail.wouldSendAt", { at: date(value) }));
        break;
      case "retryAt":
        parts.push(t("care.messages.detail.retryAt", { at: date(value) }));
        break;
      case "attempts":
        parts.push(t("care.messages.detail.attempts", { count: Number(value) }));
        break;
      case "error":
        parts.push(t("care.messages.detail.error", { error: String(value) }));
        break;
      case "resent":
        parts.push(t("care.messages.detail.resent"));
        break;
      case "providerMessageId":
        parts.push(t("care.messages.detail.providerMessageId", { id: String(value) }));
        break;
      case "offerCode":
        parts.push(t("care.messages.detail.offerCode", { code: String(value) }));
        break;
      default:
        parts.push(`${key}: ${typeof value === "object" ? JSON.stringify(value) : date(value)}`);
    }
  }
  return parts.join(" · ");
}

export interface DecisionView {
  id: number;
  decision: string;
  reason: string;
  detail: Record<string, unknown>;
  at: string;
}

/** The history, titled with the message it explains (whose, from which flow or campaign). */
export function DecisionHistory({ decisions, title, timeZone, id }: { decisions: DecisionView[]; title: string; timeZone: string; id?: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <BlockStack gap="200" id={id}>
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      {decisions.length === 0 ? <Text as="p">{t("care.messages.noDecisions")}</Text> : null}
      <ol style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
        {decisions.map((decision) => (
          <li key={decision.id}>
            <Text as="span">
              <strong>{formatDateTime(decision.at, locale, timeZone)}</strong> · {t(`care.decision.${decision.decision}` as MessageKey)} · {reasonText(t, decision.reason)}
              {Object.keys(decision.detail).length ? ` (${detailText(decision.detail, t, locale, timeZone)})` : ""}
            </Text>
          </li>
        ))}
      </ol>
    </BlockStack>
  );
}
