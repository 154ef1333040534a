// The program's KPIs over the merchant's chosen period (issue 20's Overview):
// members' share of sales, repeat-purchase rate by tier, extra sales and
// cost of care and campaigns (Results' own figures), members moving up and
// down. Figures in words beside each, in the shop's currency.
import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, SkeletonBodyText, SkeletonDisplayText, Text } from "@shopify/polaris";
import type { ProgramKpis } from "~/domain/program-kpis";
import { formatMoney, formatNumber, useLocale, useT } from "~/i18n";

export type KpiFigures = Omit<ProgramKpis, "repeatByTier"> & { repeatByTier: Array<ProgramKpis["repeatByTier"][number] & { name: string }> };

function Figure({ id, title, value, children }: { id: string; title: string; value: string; children?: React.ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200" id={id}>
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

function Loading() {
  return (
    <Card>
      <BlockStack gap="200">
        <SkeletonDisplayText size="small" />
        <SkeletonBodyText lines={2} />
      </BlockStack>
    </Card>
  );
}

export function ProgramKpiCards({ kpis, currencyCode, loading }: { kpis: KpiFigures; currencyCode: string; loading: boolean }) {
  const t = useT();
  const locale = useLocale();
  const money = (minor: number) => formatMoney(minor, currencyCode, locale);
  const percent = (share: number) => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(share);
  const number = (value: number) => formatNumber(value, locale);
  if (loading) {
    return (
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Loading />
        <Loading />
        <Loading />
        <Loading />
      </InlineGrid>
    );
  }
  const { revenue, repeatByTier, results, moves } = kpis;
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      <Figure id="kpi-member-share" title={t("overview.kpi.memberShare")} value={revenue.memberShare === null ? "—" : percent(revenue.memberShare)}>
        <Text as="p">{revenue.memberShare === null ? t("overview.kpi.memberShare.none") : t("overview.kpi.memberShare.detail", { members: money(revenue.membersMinor), total: money(revenue.totalMinor), orders: number(revenue.orders) })}</Text>
        <Text as="p" tone="subdued" variant="bodySm">
          {t("overview.kpi.memberShare.help")}
        </Text>
      </Figure>
      <Card>
        <BlockStack gap="200" id="kpi-repeat">
          <Text as="h3" variant="headingSm">
            {t("overview.kpi.repeat")}
          </Text>
          {repeatByTier.length === 0 ? (
            <Text as="p">{t("overview.kpi.repeat.none")}</Text>
          ) : (
            <BlockStack gap="100" as="ul">
              {repeatByTier.map((tier) => (
                <li key={tier.tierHandle} style={{ listStyle: "none" }}>
                  <Text as="span" fontWeight="semibold">
                    {tier.name}
                  </Text>{" "}
                  <Text as="span">{t("overview.kpi.repeat.row", { rate: percent(tier.rate), repeat: number(tier.repeatBuyers), buyers: number(tier.buyers) })}</Text>
                </li>
              ))}
            </BlockStack>
          )}
          <Text as="p" tone="subdued" variant="bodySm">
            {t("overview.kpi.repeat.help")}
          </Text>
        </BlockStack>
      </Card>
      <Figure id="kpi-incremental" title={t("overview.kpi.incremental")} value={results.withEstimate > 0 ? money(results.incrementalMinor) : "—"}>
        <Text as="p">{results.withEstimate > 0 ? t("overview.kpi.incremental.detail", { count: number(results.withEstimate) }) : t("overview.kpi.incremental.none")}</Text>
        {results.withEstimate > 0 && results.withoutEstimate > 0 ? <Text as="p">{t("overview.kpi.incremental.small", { count: number(results.withoutEstimate) })}</Text> : null}
        <Link to="/app/results">{t("overview.kpi.results")}</Link>
      </Figure>
      <Figure id="kpi-costs" title={t("overview.kpi.costs")} value={money(results.costsMinor)}>
        <Text as="p" tone="subdued" variant="bodySm">
          {t("overview.kpi.costs.help")}
        </Text>
      </Figure>
      <Figure id="kpi-moves" title={t("overview.kpi.moves")} value={`↑ ${number(moves.up)} · ↓ ${number(moves.down)}`}>
        <Text as="p">
          {t("overview.kpi.moves.up", { count: number(moves.up) })} · {t("overview.kpi.moves.down", { count: number(moves.down) })}
        </Text>
      </Figure>
    </InlineGrid>
  );
}
