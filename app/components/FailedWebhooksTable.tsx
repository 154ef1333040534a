import { Form } from "@remix-run/react";
import { Button, DataTable, Text } from "@shopify/polaris";
import { SectionCard } from "./SectionCard";
import { formatDateTime, useLocale, useT } from "~/i18n";

export interface FailedEvent {
  id: number;
  topic: string;
  webhookId: string;
  receivedAt: string | Date;
  attempts: number;
  lastError: string | null;
}

export function FailedWebhooksTable({ events, timeZone }: { events: FailedEvent[]; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <SectionCard title={t("overview.failed.heading")}>
      {events.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("overview.failed.none")}
        </Text>
      ) : (
        <>
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text"]}
            headings={[t("overview.failed.topic"), t("overview.failed.received"), t("overview.failed.attempts"), t("overview.failed.reason")]}
            rows={events.map((event) => [event.topic, formatDateTime(event.receivedAt, locale, timeZone), event.attempts, event.lastError ?? ""])}
          />
          <Form method="post">
            <input type="hidden" name="intent" value="retry" />
            <Button submit>{t("overview.failed.retry")}</Button>
          </Form>
        </>
      )}
    </SectionCard>
  );
}
