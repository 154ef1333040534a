import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { FailedWebhooksTable } from "~/components/FailedWebhooksTable";
import { InboxHealthCard } from "~/components/InboxHealthCard";
import { MemberSummaryCard } from "~/components/MemberSummaryCard";
import { useT } from "~/i18n";
import { memberSummary } from "~/models/customers.server";
import { inboxStatusCounts, listFailedInboxEvents, retryInboxEvents } from "~/models/inbox.server";
import { getShop } from "~/models/shops.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [members, inbox, failed, shop] = await Promise.all([
    memberSummary(session.shop),
    inboxStatusCounts(session.shop),
    listFailedInboxEvents(session.shop, 20),
    getShop(session.shop),
  ]);
  return json({ members, inbox, failed, timeZone: shop?.ianaTimezone ?? "UTC" });
}

// The page's retry button sends only `intent`; `id` fields narrow it to chosen rows.
const retryForm = z.object({
  intent: z.literal("retry"),
  ids: z.array(z.coerce.number().int().positive()).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const ids = form.getAll("id");
  const parsed = retryForm.safeParse({ intent: form.get("intent"), ids: ids.length ? ids : undefined });
  if (!parsed.success) {
    return json({ retried: null, fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 422 });
  }
  const retried = await retryInboxEvents(session.shop, parsed.data.ids);
  return json({ retried, fieldErrors: null });
}

export default function Overview() {
  const { members, inbox, failed, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <Page title={t("overview.title")}>
      <Layout>
        {result?.retried !== null && result?.retried !== undefined ? (
          <Layout.Section>
            <Banner tone="success">{t("overview.failed.retried", { count: result.retried })}</Banner>
          </Layout.Section>
        ) : null}
        {result?.fieldErrors ? (
          <Layout.Section>
            <Banner tone="critical">{t("errors.invalidRequest")}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <MemberSummaryCard summary={members} timeZone={timeZone} />
            <InboxHealthCard counts={inbox} />
            <FailedWebhooksTable events={failed} total={inbox.failed} timeZone={timeZone} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
