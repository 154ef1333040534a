import { Badge, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "./SectionCard";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n";

type Status = "pending" | "processing" | "done" | "skipped" | "failed";
const TONES: Record<Status, "info" | "attention" | "success" | "critical" | undefined> = {
  pending: "attention",
  processing: "info",
  done: "success",
  skipped: undefined,
  failed: "critical",
};

export function InboxHealthCard({ counts }: { counts: Record<Status, number> }) {
  const t = useT();
  return (
    <SectionCard title={t("overview.inbox.heading")}>
      <Text as="p" tone="subdued">
        {t("overview.inbox.help")}
      </Text>
      <InlineStack gap="200">
        {(Object.keys(TONES) as Status[]).map((status) => (
          <Badge key={status} tone={TONES[status]}>
            {t(`overview.inbox.status.${status}` as MessageKey, { count: counts[status] })}
          </Badge>
        ))}
      </InlineStack>
    </SectionCard>
  );
}
