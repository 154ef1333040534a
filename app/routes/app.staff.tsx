// The staff leaderboard (issue 7): customer files by the staff member who last
// saved them, how many are complete and how complete they are on average.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { SectionCard } from "~/components/SectionCard";
import { COMPLETE_AT } from "~/domain/customer-file";
import { formatNumber, useLocale, useT } from "~/i18n";
import { staffLeaderboard } from "~/models/customer-file.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return json({ standings: await staffLeaderboard(session.shop), threshold: COMPLETE_AT });
}

export default function Staff() {
  const { standings, threshold } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <Page title={t("staff.title")}>
      <Layout>
        <Layout.Section>
          <SectionCard title={t("staff.title")}>
            <BlockStack gap="200">
              <Text as="p" tone="subdued">
                {t("staff.help", { threshold })}
              </Text>
              {standings.length === 0 ? (
                <Text as="p">{t("staff.empty")}</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                  headings={[t("staff.column.staff"), t("staff.column.completed"), t("staff.column.files"), t("staff.column.average"), t("staff.column.edits")]}
                  rows={standings.map((row) => [row.staffName ?? row.staffId, formatNumber(row.completed, locale), formatNumber(row.files, locale), `${formatNumber(row.averageCompleteness, locale)}%`, formatNumber(row.edits, locale)])}
                />
              )}
            </BlockStack>
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
