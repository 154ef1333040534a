// "Why is this member in this tier?" (issue 20): what counts in the program's
// window against each tier's thresholds (a small ladder, highest tier first),
// when the standing is next reviewed, what keeps the tier held and what
// reaches the next one. The numbers come from app/domain/tier-standing.ts.
import { Badge, BlockStack, DataTable, Text } from "@shopify/polaris";
import type { TierWindow } from "~/domain/tiers";
import { formatMoney, formatNumber, useLocale, useT } from "~/i18n";
import { qualifyingLabel } from "../QualifyingLabel";
import { SectionCard } from "../SectionCard";

interface TierView {
  handle: string;
  name: { en: string; "zh-CN": string };
  minNetSpendMinor: number | null;
  minOrders: number | null;
  qualifyBy: "both" | "either";
}

export interface StandingView {
  windowStart: string | null;
  totals: { netSpendMinor: number; orders: number };
  ladder: Array<{ tier: TierView; met: boolean; spendShortMinor: number | null; ordersShort: number | null; current: boolean }>;
  qualified: TierView;
  current: TierView | null;
  nextReview: string | null;
  keep: { tier: TierView; by: string; spendMinor: number | null; orders: number | null; underReview: boolean } | null;
  reach: { tier: TierView; spendMinor: number | null; orders: number | null } | null;
}

export function TierWhyCard({ standing, window, currencyCode, date, day }: { standing: StandingView; window: TierWindow; currencyCode: string; date(value: string): string; day(value: string): string }) {
  const t = useT();
  const locale = useLocale();
  const money = (minor: number) => formatMoney(minor, currencyCode, locale);
  const name = (tier: TierView) => tier.name[locale] || tier.name.en;
  const needs = (spend: number | null, orders: number | null) =>
    [spend ? money(spend) : null, orders ? t("member.why.orders", { count: formatNumber(orders, locale) }) : null].filter(Boolean).join(t("member.why.and"));
  const threshold = (tier: TierView) => {
    const spend = tier.minNetSpendMinor === null ? null : money(tier.minNetSpendMinor);
    const orders = tier.minOrders === null ? null : t("member.why.orders", { count: formatNumber(tier.minOrders, locale) });
    if (spend && orders) return t(tier.qualifyBy === "both" ? "member.why.thresholdBoth" : "member.why.thresholdEither", { spend, orders });
    return spend ?? orders ?? t("member.why.entry");
  };
  const current = standing.current;
  return (
    <SectionCard title={t("member.why.heading", { tier: current ? name(current) : name(standing.qualified) })}>
      <div id="member-why">
        <BlockStack gap="300">
          <Text as="p" id="member-why-counts">
            {t("member.why.counts", {
              spendLabel: qualifyingLabel(t, window, "spend"),
              spend: money(standing.totals.netSpendMinor),
              ordersLabel: qualifyingLabel(t, window, "orders"),
              orders: formatNumber(standing.totals.orders, locale),
            })}
          </Text>
          {standing.windowStart ? (
            <Text as="p" tone="subdued">
              {t("member.why.window", { date: date(standing.windowStart) })}
            </Text>
          ) : null}
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={[t("member.why.column.tier"), t("member.why.column.threshold"), t("member.why.column.standing")]}
            rows={[...standing.ladder].reverse().map((step) => [
              <span key={step.tier.handle}>
                {name(step.tier)}
                {step.current ? (
                  <>
                    {" "}
                    <Badge tone="success">{t("member.why.held")}</Badge>
                  </>
                ) : null}
              </span>,
              threshold(step.tier),
              step.met ? t("member.why.met") : t("member.why.short", { amount: needs(step.spendShortMinor, step.ordersShort) }),
            ])}
          />
          {current && current.handle !== standing.qualified.handle && !standing.keep?.underReview ? (
            <Text as="p" tone="caution">
              {t("member.why.heldAbove", { held: name(current), qualified: name(standing.qualified) })}
            </Text>
          ) : null}
          {standing.keep ? (
            <Text as="p" id="member-why-keep" tone={standing.keep.underReview ? "caution" : undefined}>
              {t(standing.keep.underReview ? "member.why.keepReview" : "member.why.keep", { amount: needs(standing.keep.spendMinor, standing.keep.orders), date: day(standing.keep.by), tier: name(standing.keep.tier) })}
            </Text>
          ) : current && standing.nextReview ? (
            <Text as="p" id="member-why-keep">
              {t("member.why.kept", { tier: name(current), date: date(standing.nextReview) })}
            </Text>
          ) : null}
          {standing.reach ? (
            <Text as="p" id="member-why-reach">
              {t("member.why.reach", { amount: needs(standing.reach.spendMinor, standing.reach.orders), tier: name(standing.reach.tier) })}
            </Text>
          ) : (
            <Text as="p">{t("member.why.top")}</Text>
          )}
          <Text as="p" tone="subdued" id="member-why-review">
            {standing.nextReview ? t("member.why.nextReview", { date: date(standing.nextReview) }) : t("member.why.noReview")}
          </Text>
        </BlockStack>
      </div>
    </SectionCard>
  );
}
