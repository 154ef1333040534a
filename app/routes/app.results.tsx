// Results (issue 9): every flow and campaign side by side against its holdout:
// audience, sent, deferred, blocked, opens (not tracked: "not known"), orders,
// incremental revenue with its interval and ROI; the same rows as CSV.
// Shopify's patterns (issue 20): the export is the title bar's action, a failed
// export says so in a toast, and an empty comparison says how it fills.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { ListEmptyState } from "~/components/admin/ListEmptyState";
import { useFigures } from "~/components/CampaignReport";
import type { MessageKey } from "~/i18n";
import { getShop } from "~/models/shops.server";
import { systemClock } from "~/services/clock.server";
import { resultsOverview } from "~/services/results.server";
import { authenticate } from "~/shopify.server";
import { useDownload } from "~/components/useDownload";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [rows, shop] = await Promise.all([resultsOverview(session.shop, systemClock.now()), getShop(session.shop)]);
  return json({ rows, currencyCode: shop?.currencyCode ?? "USD" });
}

export default function Results() {
  const { rows, currencyCode } = useLoaderData<typeof loader>();
  const { t, money, percent, range, number } = useFigures(currencyCode);
  const csv = useDownload("/app/results.csv", "membercare-results.csv");
  const shopify = useAppBridge();
  useEffect(() => {
    if (csv.failed) shopify.toast.show(t("results.csvFailed"), { isError: true });
  }, [csv.failed, shopify, t]);
  const name = (row: (typeof rows)[number]) =>
    row.kind === "campaign" ? (
      <Link to={`/app/campaigns/${row.id}`}>{row.name}</Link>
    ) : (
      t(`results.flow.${row.id}` as MessageKey)
    );
  return (
    <Page>
      <TitleBar title={t("results.title")}>
        <button type="button" onClick={csv.download} disabled={csv.busy || rows.length === 0}>
          {t("results.csv")}
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Banner tone="info">{t("results.help")}</Banner>
            <Card padding="0">
              {rows.length === 0 ? (
                <div id="results-empty">
                  <ListEmptyState heading={t("results.empty")} body={t("results.emptyBody")} action={{ content: t("campaigns.create"), url: "/app/campaigns/new" }} secondaryAction={{ content: t("nav.flows"), url: "/app/flows" }} />
                </div>
              ) : (
                <div id="results-table">
                  <DataTable
                    columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                    headings={[
                      t("results.column.activity"),
                      t("results.column.kind"),
                      t("results.count.audience"),
                      t("results.count.sent"),
                      t("results.count.deferred"),
                      t("results.count.blocked"),
                      t("results.count.opened"),
                      t("results.column.orders"),
                      t("results.incrementalRevenue"),
                      t("results.attributedRevenue.short"),
                      t("results.roi"),
                    ]}
                    rows={rows.map((row) => [
                      name(row),
                      t(`results.kind.${row.kind}`),
                      number(row.counts.audience),
                      number(row.counts.sent),
                      number(row.counts.deferred),
                      number(row.counts.blocked),
                      row.counts.opened === null ? t("results.notKnown") : number(row.counts.opened),
                      number(row.result.contacted.orders),
                      range(row.result.incrementalRevenue, money),
                      money(row.result.attributedRevenueMinor),
                      row.result.roi ? range(row.result.roi, percent) : t(row.result.incrementalRevenue ? "results.roi.noCosts" : "results.noInterval"),
                    ])}
                  />
                </div>
              )}
            </Card>
            <Text as="p" tone="subdued">
              {t("results.attributedRevenue.help")}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
