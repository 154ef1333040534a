// A member's timeline (issue 20): orders, parcels, tier changes, staff's
// edits and rewards, and now the care and campaign messages planned for them
// and their follow-ups, newest first, staff by name.
import { DataTable, Text } from "@shopify/polaris";
import { formatMoney, useLocale, useT, type MessageKey } from "~/i18n";
import { SectionCard } from "../SectionCard";
import { useStaffLabel } from "./staff-label";

export interface TimelineView {
  at: string;
  kind: string;
  detail: Record<string, string | number | null>;
}

export function MemberTimeline({ timeline, staffNames, currencyCode, date, tierName }: { timeline: TimelineView[]; staffNames: Record<string, string>; currencyCode: string; date(value: string): string; tierName(handle: string | null): string }) {
  const t = useT();
  const locale = useLocale();
  const staff = useStaffLabel(staffNames);
  const text = (entry: TimelineView): string => {
    const detail = entry.detail;
    const str = (key: string) => (typeof detail[key] === "string" ? (detail[key] as string) : null);
    const reason = str("reason") ? t(`followUps.reasonName.${str("reason")}` as MessageKey) : "";
    const vars: Record<string, string | number> = {
      ...Object.fromEntries(Object.entries(detail).filter((pair): pair is [string, string | number] => pair[1] !== null)),
      amount: typeof detail.amountMinor === "number" ? formatMoney(detail.amountMinor, currencyCode, locale) : "",
      from: tierName(str("from")),
      to: tierName(str("to")),
      carrier: str("carrier") ?? "—",
      field: str("field") ? t(`customerFile.field.${str("field")}` as MessageKey) : "",
      offer: entry.kind === "offerCode" ? t(`results.flow.${str("flow")}` as MessageKey) : "",
      change: entry.kind === "tier" ? t(`member.history.action.${str("action")}` as MessageKey, { from: tierName(str("from")), to: tierName(str("to")) }) : "",
      staff: staff(str("staffId"), str("staff")),
      reason: entry.kind.startsWith("followUp") ? reason : (str("reason") ?? ""),
    };
    if (entry.kind === "message") {
      vars.source = str("source") === "flow" ? t(`results.flow.${str("flow")}` as MessageKey) : t("member.timeline.campaign", { name: str("campaign") ?? "—" });
      vars.channel = t(`campaigns.channel.${str("channel")}` as MessageKey);
      vars.status = t(`care.status.${str("status")}` as MessageKey);
    }
    if (entry.kind === "followUpDone") vars.outcome = str("outcome") ? t(`followUps.outcome.${str("outcome")}` as MessageKey) : "—";
    if (entry.kind === "followUpClosed") vars.why = str("closedReason") ? t(`followUps.closed.reason.${str("closedReason")}` as MessageKey) : "—";
    return t(`member.timeline.${entry.kind}` as MessageKey, vars);
  };
  return (
    <SectionCard title={t("member.timeline.heading")}>
      {timeline.length === 0 ? (
        <Text as="p">{t("member.timeline.empty")}</Text>
      ) : (
        <div id="member-timeline">
          <DataTable
            columnContentTypes={["text", "text"]}
            headings={[t("member.history.when"), t("member.timeline.what")]}
            rows={timeline.map((entry, index) => [
              date(entry.at),
              <Text key={index} as="span">
                {text(entry)}
              </Text>,
            ])}
          />
        </div>
      )}
    </SectionCard>
  );
}
