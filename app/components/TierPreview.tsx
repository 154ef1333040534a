// The tier program preview (issue 20): members per tier now and after the
// edit, then only the moves the EDIT causes (up, down after a warning and the
// grace period, announced downgrades it cancels), each mover by name and
// linked to their member page; moves already under way whatever the edit
// (members waiting out a grace period) are listed apart, so lowering one
// threshold is not blamed for them. The numbers: app/services/tier-preview.server.ts.
import { Link } from "@remix-run/react";
import { BlockStack, DataTable, List, Text } from "@shopify/polaris";
import type { TierRule } from "~/domain/tiers";
import { formatDateTime, formatNumber, useLocale, useT } from "~/i18n";
import type { PreviewMover, ProgramPreview } from "~/services/tier-preview.server";
import { SectionCard } from "./SectionCard";

export function TierPreview({ preview, tiers, money, timeZone }: { preview: ProgramPreview; tiers: TierRule[]; money(minor: number): string; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  const name = (handle: string | null | undefined) => tiers.find((tier) => tier.handle === handle)?.name[locale] || handle || "";
  const handles = [...new Set([...[...tiers].sort((a, b) => a.rank - b.rank).map((tier) => tier.handle), ...Object.keys(preview.current)])];
  const movers = (id: string, list: PreviewMover[], total: number, line: (mover: PreviewMover) => string) =>
    list.length === 0 ? null : (
      <div id={id}>
        <List>
          {list.map((mover) => (
            <List.Item key={mover.customerShopifyId}>
              <Link to={`/app/members/${mover.customerShopifyId}`}>{mover.name ?? t("care.messages.unknownCustomer", { id: mover.customerShopifyId })}</Link> {line(mover)}
            </List.Item>
          ))}
        </List>
        {total > list.length ? (
          <Text as="p" tone="subdued">
            {t("tiers.preview.more", { count: n(total - list.length) })}
          </Text>
        ) : null}
      </div>
    );
  const move = (mover: PreviewMover) => t("tiers.preview.move", { from: name(mover.from), to: name(mover.to) });
  const nothing = preview.movingUp + preview.movingDown + preview.keeping === 0;
  return (
    <div id="tier-preview">
      <SectionCard title={t("tiers.preview.heading")}>
        <BlockStack gap="300">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={[t("tiers.preview.tier"), t("tiers.preview.now"), t("tiers.preview.after")]}
            rows={handles.map((handle) => [name(handle), n(preview.current[handle] ?? 0), n(preview.proposed[handle] ?? 0)])}
          />
          <Text as="h3" variant="headingSm">
            {t("tiers.preview.editHeading")}
          </Text>
          {nothing ? <Text as="p">{t("tiers.preview.noMoves")}</Text> : null}
          {preview.movingUp > 0 ? <Text as="p">{t("tiers.preview.up", { count: n(preview.movingUp) })}</Text> : null}
          {movers("tier-preview-up", preview.samplesUp, preview.movingUp, move)}
          {preview.movingDown > 0 ? <Text as="p">{t("tiers.preview.down", { count: n(preview.movingDown) })}</Text> : null}
          {movers("tier-preview-down", preview.samplesDown, preview.movingDown, move)}
          {preview.keeping > 0 ? <Text as="p">{t("tiers.preview.keeping", { count: n(preview.keeping) })}</Text> : null}
          {movers("tier-preview-keeping", preview.samplesKeeping, preview.keeping, (mover) => t("tiers.preview.keeps", { tier: name(mover.to), cancelled: name(mover.cancelled) }))}
          {preview.pending > 0 ? (
            <>
              <Text as="h3" variant="headingSm">
                {t("tiers.preview.pendingHeading")}
              </Text>
              <Text as="p" tone="subdued">
                {t("tiers.preview.pending", { count: n(preview.pending) })}
              </Text>
              {movers("tier-preview-pending", preview.samplesPending, preview.pending, (mover) =>
                mover.downgradeOn ? t("tiers.preview.pendingOn", { from: name(mover.from), to: name(mover.to), date: formatDateTime(mover.downgradeOn, locale, timeZone) }) : move(mover),
              )}
            </>
          ) : null}
          <Text as="p">{t("tiers.preview.cost", { current: money(preview.monthlyDiscountMinor.current), proposed: money(preview.monthlyDiscountMinor.proposed) })}</Text>
        </BlockStack>
      </SectionCard>
    </div>
  );
}
