import { Form, useNavigation } from "@remix-run/react";
import { Button, DataTable, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "./SectionCard";
import { formatDateTime, formatNumber, useLocale, useT } from "~/i18n";

export interface FailedEvent {
  id: number;
  topic: string;
  webhookId: string;
  receivedAt: string | Date;
  attempts: number;
  lastError: string | null;
}

/**
 * Failed inbox events with their reasons, newest first, and the button that
 * re-queues all of them. `total` is the shop's failed count, which can exceed
 * the rows listed.
 */
export function FailedWebhooksTable({ events, total, timeZone }: { events: FailedEvent[]; total: number; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const retrying = useNavigation().formData?.get("intent") === "retry";
  if (events.length === 0) {
    return (
      <SectionCard title={t("overview.failed.heading")}>
        <Text as="p" tone="subdued">
          {t("overview.failed.none")}
        </Text>
      </SectionCard>
    );
  }
  return (
    <SectionCard title={t("overview.failed.heading")}>
      <DataTable
        columnContentTypes={["text", "text", "numeric", "text"]}
        headings={[t("overview.failed.topic"), t("overview.failed.received"), t("overview.failed.attempts"), t("overview.failed.reason")]}
        verticalAlign="top"
        rows={events.map((event) => [
          event.topic,
          formatDateTime(event.receivedAt, locale, timeZone),
          formatNumber(event.attempts, locale),
          // DataTable cells never wrap; a reason can be a long sentence.
          <div key="reason" style={{ whiteSpace: "normal", minWidth: "16rem" }}>
            <Text as="span" breakWord tone={event.lastError ? undefined : "subdued"}>
              {event.lastError ?? t("overview.failed.noReason")}
            </Text>
          </div>,
        ])}
      />
      <InlineStack gap="400" blockAlign="center">
        <Form method="post">
          <input type="hidden" name="intent" value="retry" />
          <Button submit loading={retrying}>
            {t("overview.failed.retry")}
          </Button>
        </Form>
        {total > events.length ? (
          <Text as="p" tone="subdued">
            {t("overview.failed.showing", { shown: formatNumber(events.length, locale), total: formatNumber(total, locale) })}
          </Text>
        ) : null}
      </InlineStack>
    </SectionCard>
  );
}
