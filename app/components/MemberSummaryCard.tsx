import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "./SectionCard";
import { formatDateTime, formatMoney, formatNumber, useLocale, useT } from "~/i18n";

export interface MemberSummary {
  members: number;
  withOrders: number;
  netSpentMinor: number;
  currencyCode: string | null;
  lastOrderAt: string | Date | null;
}

export function MemberSummaryCard({ summary, timeZone }: { summary: MemberSummary; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <SectionCard title={t("overview.members.heading")}>
      {summary.members === 0 ? (
        <Text as="p" tone="subdued">
          {t("overview.members.empty")}
        </Text>
      ) : (
        <BlockStack gap="100">
          <InlineStack gap="400" blockAlign="baseline">
            <Text as="p" variant="headingLg">
              {t("overview.members.count", { count: formatNumber(summary.members, locale) })}
            </Text>
            <Text as="p">{t("overview.members.withOrders", { count: formatNumber(summary.withOrders, locale) })}</Text>
          </InlineStack>
          {/* No currency until the shop's settings or a first order tell us which one. */}
          {summary.currencyCode ? <Text as="p">{t("overview.members.netSpend", { amount: formatMoney(summary.netSpentMinor, summary.currencyCode, locale) })}</Text> : null}
          {summary.lastOrderAt ? (
            <Text as="p" tone="subdued">
              {t("overview.members.lastOrder", { date: formatDateTime(summary.lastOrderAt, locale, timeZone) })}
            </Text>
          ) : null}
        </BlockStack>
      )}
    </SectionCard>
  );
}
