// Status (issue 20): the shop's webhook inbox (what Shopify sent and whether it
// was applied), the events that could not be applied with a retry, and the
// app's background work. Moved off the Overview, which is the merchant's home.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { useActionToast } from "~/components/admin/useActionToast";
import { FailedWebhooksTable } from "~/components/FailedWebhooksTable";
import { InboxHealthCard } from "~/components/InboxHealthCard";
import { JobsStatusCard } from "~/components/JobsStatusCard";
import { formatNumber, useLocale, useT } from "~/i18n";
import { jobsStatus } from "~/jobs/status.server";
import { inboxStatusCounts, listFailedInboxEvents, retryInboxEvents } from "~/models/inbox.server";
import { getShop } from "~/models/shops.server";
import { systemClock } from "~/services/clock.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = systemClock.now();
  const [inbox, failed, shop, jobs] = await Promise.all([inboxStatusCounts(session.shop), listFailedInboxEvents(session.shop, 20), getShop(session.shop), jobsStatus(now)]);
  return json({
    inbox,
    failed,
    timeZone: shop?.ianaTimezone ?? "UTC",
    // Not a job's error text: the jobs serve every shop, and it may be about another one (operators read it with `cli jobs status`).
    jobs: jobs.map(({ name, kind, due, running, failed: failures, lagMs, lastRunAt, intervalMs }) => ({ name, kind, due, running, failed: failures, lagMs, lastRunAt, intervalMs })),
  });
}

// The retry button sends only `intent`; `id` fields narrow it to chosen rows.
const retryForm = z.object({
  intent: z.literal("retry"),
  ids: z.array(z.coerce.number().int().positive()).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const ids = form.getAll("id");
  const parsed = retryForm.safeParse({ intent: form.get("intent"), ids: ids.length ? ids : undefined });
  if (!parsed.success) return json({ ok: false as const, retried: null }, { status: 422 });
  const retried = await retryInboxEvents(session.shop, parsed.data.ids, systemClock.now());
  return json({ ok: true as const, retried });
}

export default function Status() {
  const { inbox, failed, timeZone, jobs } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  useActionToast(useActionData<typeof action>(), (data) =>
    data.ok ? { message: t("overview.failed.retried", { count: formatNumber(data.retried, locale) }) } : { message: t("status.retryFailed"), isError: true },
  );
  return (
    <Page>
      <TitleBar title={t("status.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("status.intro")}
            </Text>
            <InboxHealthCard counts={inbox} />
            <FailedWebhooksTable events={failed} total={inbox.failed} timeZone={timeZone} />
            <JobsStatusCard jobs={jobs} timeZone={timeZone} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
