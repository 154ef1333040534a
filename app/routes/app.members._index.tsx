import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Card, DataTable, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formatMoney, formatNumber, useLocale, useT } from "~/i18n";
import { listMembers } from "~/models/members.server";
import { getShop } from "~/models/shops.server";
import { getTierProgram } from "~/models/tiers.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const query = new URL(request.url).searchParams.get("q") ?? "";
  const [members, shop, program] = await Promise.all([listMembers(session.shop, { query }), getShop(session.shop), getTierProgram(session.shop)]);
  return json({ members, query, currencyCode: shop?.currencyCode ?? "USD", tierNames: Object.fromEntries((program?.tiers ?? []).map((tier) => [tier.handle, tier.name])) });
}

export default function Members() {
  const { members, query, currencyCode, tierNames } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const [search, setSearch] = useState(query);
  const name = (m: (typeof members)[number]) => [m.firstName, m.lastName].filter(Boolean).join(" ") || m.email || `#${m.shopifyId}`;
  return (
    <Page title={t("members.title")}>
      <Layout>
        <Layout.Section>
          <Card>
            <Form method="get">
              <TextField label={t("members.search")} name="q" value={search} onChange={setSearch} autoComplete="off" />
            </Form>
            {members.length === 0 ? (
              <Text as="p">{t("members.empty")}</Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "numeric", "numeric"]}
                headings={[t("members.column.name"), t("members.column.tier"), t("members.column.orders"), t("members.column.spend")]}
                rows={members.map((m) => [
                  <Link key={m.shopifyId} to={`/app/members/${m.shopifyId}`}>
                    {name(m)}
                  </Link>,
                  m.tierHandle ? (tierNames[m.tierHandle]?.[locale] ?? m.tierHandle) : "—",
                  formatNumber(m.orderCount, locale),
                  formatMoney(m.netSpentMinor, currencyCode, locale),
                ])}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
