// Campaigns (issue 9): every campaign with its status, audience size and send
// date, newest first; a new one, and duplicate or cancel from the list.
// Duplicating opens the new draft; cancelling keeps what already went.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { CampaignStatusBadge } from "~/components/CampaignEditor";
import { formatDay, formatNumber, useLocale, useT, type MessageKey } from "~/i18n";
import { listCampaigns } from "~/models/campaigns.server";
import { cancelCampaign, duplicateCampaign } from "~/services/campaigns.server";
import { systemClock } from "~/services/clock.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const rows = await listCampaigns(session.shop);
  return json({
    campaigns: rows.map((row) => ({
      id: row.id,
      name: row.name,
      status: row.status,
      channel: row.channel,
      // Fixed when it is scheduled; a draft's is counted live in the editor.
      audienceCount: row.audienceCount,
      sendOn: row.sendOn,
      sendHour: row.sendHour,
    })),
  });
}

const listForm = z.object({ intent: z.enum(["duplicate", "cancel"]), id: z.string().min(1).max(64) });

export async function action({ request }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const now = systemClock.now();
  const parsed = listForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false as const, error: "campaigns.errors.form" as MessageKey }, { status: 422 });
  const { intent, id } = parsed.data;
  if (intent === "duplicate") {
    const copy = await duplicateCampaign(session.shop, id, sessionToken?.sub ?? null, now);
    return copy ? redirect(`/app/campaigns/${copy}`) : json({ ok: false as const, error: "campaigns.errors.notFound" as MessageKey }, { status: 404 });
  }
  return (await cancelCampaign(session.shop, id, now)) ? json({ ok: true as const, error: null }) : json({ ok: false as const, error: "campaigns.errors.notCancellable" as MessageKey }, { status: 409 });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["campaigns"][number];

function Actions({ row }: { row: Row }) {
  const t = useT();
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  return (
    <BlockStack gap="100">
      <InlineStack gap="200">
        <Button size="slim" disabled={busy} onClick={() => fetcher.submit({ intent: "duplicate", id: row.id }, { method: "post" })}>
          {t("campaigns.action.duplicate")}
        </Button>
        {row.status === "scheduled" || row.status === "sending" ? (
          <Button size="slim" tone="critical" disabled={busy} onClick={() => fetcher.submit({ intent: "cancel", id: row.id }, { method: "post" })}>
            {t("campaigns.action.cancel")}
          </Button>
        ) : null}
      </InlineStack>
      {error ? (
        <Text as="p" tone="critical">
          {t(error)}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export default function Campaigns() {
  const { campaigns } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <Page title={t("campaigns.title")} primaryAction={{ content: t("campaigns.new"), url: "/app/campaigns/new" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Banner tone="info">{t("campaigns.list.help")}</Banner>
            <Card padding="0">
              {campaigns.length === 0 ? (
                <Box padding="400" id="campaigns-empty">
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">
                      {t("campaigns.empty.heading")}
                    </Text>
                    <Text as="p">{t("campaigns.empty.body")}</Text>
                  </BlockStack>
                </Box>
              ) : (
                <div id="campaigns-list">
                  <IndexTable
                    resourceName={{ singular: t("campaigns.resource.singular"), plural: t("campaigns.resource.plural") }}
                    itemCount={campaigns.length}
                    selectable={false}
                    headings={[
                      { title: t("campaigns.column.name") },
                      { title: t("campaigns.column.status") },
                      { title: t("campaigns.column.channel") },
                      { title: t("campaigns.column.audience"), alignment: "end" },
                      { title: t("campaigns.column.sendOn") },
                      { title: t("campaigns.column.actions") },
                    ]}
                  >
                    {campaigns.map((row, index) => (
                      <IndexTable.Row id={row.id} key={row.id} position={index}>
                        <IndexTable.Cell>
                          <Link to={`/app/campaigns/${row.id}`}>{row.name}</Link>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <CampaignStatusBadge status={row.status} />
                        </IndexTable.Cell>
                        <IndexTable.Cell>{t(`campaigns.channel.${row.channel}` as MessageKey)}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {row.audienceCount === null ? t("campaigns.audience.notFixed") : formatNumber(row.audienceCount, locale)}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{row.sendOn ? t("campaigns.sendAt", { date: formatDay(row.sendOn, locale), hour: `${String(row.sendHour).padStart(2, "0")}:00` }) : t("campaigns.noDate")}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <Actions row={row} />
                        </IndexTable.Cell>
                      </IndexTable.Row>
                    ))}
                  </IndexTable>
                </div>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
