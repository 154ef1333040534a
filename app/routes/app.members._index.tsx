import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { LIFECYCLE_STAGES, RFM_SEGMENTS, segmentName, stageName, VALUE_CLASSES, valueClassName, type LifecycleStage, type RfmSegment, type ValueClass } from "~/domain/intelligence";
import { formatMoney, formatNumber, useLocale, useT } from "~/i18n";
import { MEMBER_SORTS, type MemberSort } from "~/domain/member-list";
import { listMembers } from "~/models/members.server";
import { getShop } from "~/models/shops.server";
import { getTierProgram } from "~/models/tiers.server";
import { authenticate } from "~/shopify.server";

// Filters come from the URL: a filtered page can be bookmarked and shared.
const FILTERS = ["q", "tier", "segment", "stage", "valueClass", "tag", "country", "sort"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const value = (name: string) => params.get(name)?.trim() || undefined;
  const oneOf = <T extends string>(name: string, allowed: readonly T[]) => (allowed.includes(value(name) as T) ? (value(name) as T) : undefined);
  const [page, shop, program] = await Promise.all([
    listMembers(session.shop, {
      query: value("q"),
      tier: value("tier"),
      segment: oneOf("segment", RFM_SEGMENTS),
      stage: oneOf("stage", LIFECYCLE_STAGES),
      valueClass: oneOf("valueClass", VALUE_CLASSES),
      tag: value("tag"),
      country: value("country"),
      sort: oneOf("sort", MEMBER_SORTS),
      after: value("after"),
    }),
    getShop(session.shop),
    getTierProgram(session.shop),
  ]);
  return json({
    ...page,
    currencyCode: shop?.currencyCode ?? "USD",
    tiers: (program?.tiers ?? []).map((tier) => ({ handle: tier.handle, name: tier.name })),
  });
}

export default function Members() {
  const { members, next, currencyCode, tiers } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const [params] = useSearchParams();
  const [filters, setFilters] = useState(() => Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ""])) as Record<(typeof FILTERS)[number], string>);
  const set = (name: (typeof FILTERS)[number]) => (value: string) => setFilters((current) => ({ ...current, [name]: value }));
  const any = { label: t("members.filter.any"), value: "" };
  const tierName = (handle: string | null) => (handle ? (tiers.find((tier) => tier.handle === handle)?.name[locale] ?? handle) : "—");
  const name = (m: (typeof members)[number]) => [m.firstName, m.lastName].filter(Boolean).join(" ") || m.email || `#${m.shopifyId}`;
  const nextPage = new URLSearchParams(params);
  if (next) nextPage.set("after", next);

  return (
    <Page title={t("members.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <Form method="get">
                <BlockStack gap="300">
                  <TextField label={t("members.search")} name="q" value={filters.q} onChange={set("q")} autoComplete="off" />
                  <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                    <Select label={t("members.filter.tier")} name="tier" options={[any, ...tiers.map((tier) => ({ label: tier.name[locale], value: tier.handle }))]} value={filters.tier} onChange={set("tier")} />
                    <Select label={t("members.filter.segment")} name="segment" options={[any, ...RFM_SEGMENTS.map((segment) => ({ label: t(segmentName(segment).key), value: segment }))]} value={filters.segment} onChange={set("segment")} />
                    <Select label={t("members.filter.stage")} name="stage" options={[any, ...LIFECYCLE_STAGES.map((stage) => ({ label: t(stageName(stage).key), value: stage }))]} value={filters.stage} onChange={set("stage")} />
                    <Select label={t("members.filter.valueClass")} name="valueClass" options={[any, ...VALUE_CLASSES.map((cls) => ({ label: t(valueClassName(cls).key), value: cls }))]} value={filters.valueClass} onChange={set("valueClass")} />
                    <TextField label={t("members.filter.tag")} name="tag" value={filters.tag} onChange={set("tag")} autoComplete="off" />
                    <TextField label={t("members.filter.country")} name="country" value={filters.country} onChange={set("country")} autoComplete="off" maxLength={2} />
                    <Select
                      label={t("members.sort")}
                      name="sort"
                      options={MEMBER_SORTS.map((sort: MemberSort) => ({ label: t(`members.sort.${sort}`), value: sort }))}
                      value={filters.sort || "spend"}
                      onChange={set("sort")}
                    />
                  </InlineGrid>
                  <InlineStack gap="200">
                    <Button submit variant="primary">
                      {t("members.filter.apply")}
                    </Button>
                    <Button url="/app/members">{t("members.filter.clear")}</Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
            <Card padding="0">
              {members.length === 0 ? (
                <BlockStack inlineAlign="center">
                  <Text as="p" tone="subdued">
                    {t("members.empty")}
                  </Text>
                </BlockStack>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "numeric", "numeric"]}
                  headings={[t("members.column.name"), t("members.column.tier"), t("members.column.segment"), t("members.column.stage"), t("members.column.orders"), t("members.column.spend")]}
                  rows={members.map((m) => [
                    <Link key={m.shopifyId} to={`/app/members/${m.shopifyId}`}>
                      {name(m)}
                    </Link>,
                    tierName(m.tierHandle),
                    m.rfmSegment ? t(segmentName(m.rfmSegment as RfmSegment).key) : "—",
                    <InlineStack key="stage" gap="100">
                      {m.lifecycleStage ? <Badge tone={m.lifecycleStage === "atRisk" ? "warning" : undefined}>{t(stageName(m.lifecycleStage as LifecycleStage).key)}</Badge> : "—"}
                      {m.valueClass === "key" ? <Badge tone="success">{t(valueClassName(m.valueClass as ValueClass).key)}</Badge> : null}
                    </InlineStack>,
                    formatNumber(m.orderCount, locale),
                    formatMoney(m.netSpentMinor, currencyCode, locale),
                  ])}
                />
              )}
            </Card>
            <InlineStack align="end" gap="200">
              {params.get("after") ? (
                <Button url={`/app/members?${new URLSearchParams([...params].filter(([key]) => key !== "after"))}`}>{t("members.page.first")}</Button>
              ) : null}
              {next ? <Button url={`/app/members?${nextPage}`}>{t("members.page.next")}</Button> : null}
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
