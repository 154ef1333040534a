import { Badge, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "./SectionCard";
import { formatNumber, useLocale, useT } from "~/i18n";

type Status = "pending" | "processing" | "done" | "skipped" | "failed";

// Listed in the order an event moves through the inbox.
const TONES: Record<Status, "info" | "attention" | "success" | "critical" | undefined> = {
  pending: "attention",
  processing: "info",
  done: "success",
  skipped: undefined,
  failed: "critical",
};

export function InboxHealthCard({ counts }: { counts: Record<Status, number> }) {
  const t = useT();
  const locale = useLocale();
  const received = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return (
    <SectionCard title={t("overview.inbox.heading")}>
      <Text as="p" tone="subdued">
        {t(received === 0 ? "overview.inbox.empty" : "overview.inbox.help")}
      </Text>
      {received === 0 ? null : (
        <InlineStack gap="200">
          {(Object.keys(TONES) as Status[]).map((status) => (
            <Badge key={status} tone={TONES[status]}>
              {t(`overview.inbox.status.${status}` as const, { count: formatNumber(counts[status], locale) })}
            </Badge>
          ))}
        </InlineStack>
      )}
    </SectionCard>
  );
}
