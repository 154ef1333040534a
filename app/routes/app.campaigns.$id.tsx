// One campaign (issue 9): the editor for a draft (/app/campaigns/new for a new
// one), with the audience's live count as it is edited; schedule, cancel and
// duplicate; once scheduled, its report against the holdout. The form posts
// the campaign as one JSON field so nested lists and per-locale content keep
// their shape; the domain validates it (422 with field errors, nothing saved).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, type ShouldRevalidateFunction } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { audiencePayload, CampaignEditor, campaignForm, campaignPayload, CampaignStatusBadge, isPlaced, placedErrorPaths, type CampaignForm } from "~/components/CampaignEditor";
import { CampaignReport } from "~/components/CampaignReport";
import { CHANNELS } from "~/domain/care/types";
import { byRank } from "~/domain/tiers";
import { formatDateTime, useLocale, useT, type MessageKey } from "~/i18n";
import { audienceChoices, productTitles } from "~/models/audience-choices.server";
import { getCampaign } from "~/models/campaigns.server";
import { getShop } from "~/models/shops.server";
import { getTierProgram } from "~/models/tiers.server";
import { cancelCampaign, campaignIsEditable, duplicateCampaign, previewAudience, saveCampaign, scheduleCampaign, storedCampaign } from "~/services/campaigns.server";
import { systemClock } from "~/services/clock.server";
import { campaignSummary } from "~/services/results.server";
import { authenticate } from "~/shopify.server";

const NEW = "new";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const id = params.id ?? NEW;
  const now = systemClock.now();
  const [row, shopRow, program, choices] = await Promise.all([id === NEW ? null : getCampaign(shop, id), getShop(shop), getTierProgram(shop), audienceChoices(shop)]);
  if (id !== NEW && !row) throw new Response("Not found", { status: 404 });
  const campaign = row ? storedCampaign(row) : null;
  // Products saved without a title (typed as ids before the picker): named by their order lines.
  if (campaign) {
    const untitled = campaign.audience.boughtProducts.filter((productId) => !campaign.audience.productTitles[productId]);
    if (untitled.length) campaign.audience.productTitles = { ...(await productTitles(shop, untitled)), ...campaign.audience.productTitles };
  }
  const status = row?.status ?? "draft";
  const initialCount = campaign && campaignIsEditable(status) ? await previewAudience(shop, campaign.audience, campaign.channel, now) : id === NEW ? await previewAudience(shop, {}, "email", now) : null;
  return json({
    id: row?.id ?? null,
    status,
    unreadable: row !== null && campaign === null,
    campaign,
    audienceCount: row?.audienceCount ?? (initialCount?.ok ? initialCount.count : null),
    times: row ? { scheduledAt: row.scheduledAt?.toISOString() ?? null, startedAt: row.startedAt?.toISOString() ?? null, finishedAt: row.finishedAt?.toISOString() ?? null, cancelledAt: row.cancelledAt?.toISOString() ?? null } : null,
    shopName: shopRow?.name || shop,
    timeZone: shopRow?.ianaTimezone ?? "UTC",
    tiers: program ? byRank(program.tiers).map((tier) => ({ handle: tier.handle, name: tier.name })) : [],
    choices,
    report: row && status !== "draft" ? await campaignSummary(shop, row.id, now) : null,
  });
}

const jsonField = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "not JSON" });
    return z.NEVER;
  }
});

const actionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("count"), audience: jsonField, channel: z.enum(CHANNELS) }),
  z.object({ intent: z.literal("save"), campaign: jsonField }),
  z.object({ intent: z.literal("schedule"), campaign: jsonField }),
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("duplicate") }),
]);

type Errors = Record<string, MessageKey>;
const fail = (errors: Errors, status = 422) => json({ ok: false as const, errors, count: null }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = session.shop;
  const now = systemClock.now();
  const id = params.id === NEW || !params.id ? null : params.id;
  const parsed = actionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return fail({ campaign: "campaigns.errors.form" });
  const form = parsed.data;
  if (form.intent === "count") {
    const result = await previewAudience(shop, form.audience, form.channel, now);
    // The audience's errors name its lists; the form knows them under "audience.".
    return result.ok ? json({ ok: true as const, errors: null, count: result.count }) : fail(Object.fromEntries(Object.entries(result.errors).map(([path, key]) => [`audience.${path}`, key])));
  }
  if (form.intent === "cancel" || form.intent === "duplicate") {
    if (!id) return fail({ campaign: "campaigns.errors.notFound" }, 404);
    if (form.intent === "cancel") return (await cancelCampaign(shop, id, now)) ? json({ ok: true as const, errors: null, count: null }) : fail({ campaign: "campaigns.errors.notCancellable" }, 409);
    const copy = await duplicateCampaign(shop, id, sessionToken?.sub ?? null, now);
    return copy ? redirect(`/app/campaigns/${copy}`) : fail({ campaign: "campaigns.errors.notFound" }, 404);
  }
  const saved = await saveCampaign(shop, id, form.campaign, sessionToken?.sub ?? null, now);
  if (!saved.ok) {
    if (!("notEditable" in saved)) return fail(saved.errors);
    // Not a draft of this shop: gone (or another shop's) is 404, past draft is 409.
    return id && (await getCampaign(shop, id)) ? fail({ campaign: "campaigns.errors.notDraft" }, 409) : fail({ campaign: "campaigns.errors.notFound" }, 404);
  }
  if (form.intent === "schedule") {
    const scheduled = await scheduleCampaign(shop, saved.id, now);
    if (!scheduled.ok) return id ? fail(scheduled.errors) : json({ ok: false as const, errors: scheduled.errors, count: null, createdId: saved.id }, { status: 422 });
  }
  // A new campaign gets its own address; a saved draft stays where it is.
  return id ? json({ ok: true as const, errors: null, count: null }) : redirect(`/app/campaigns/${saved.id}`);
}

// Counting the audience changes nothing the page shows from its loader.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => (formData?.get("intent") === "count" ? false : defaultShouldRevalidate);

type ActionData = { ok: boolean; errors: Errors | null; count: number | null; createdId?: string };

/** The live count: asks the server (debounced) whenever the audience or the channel changes. */
function useLiveCount(form: CampaignForm, initial: number | null, enabled: boolean) {
  const fetcher = useFetcher<ActionData>();
  const key = JSON.stringify([audiencePayload(form.audience), form.channel]);
  // The loader counted the audience the page opened with: ask again only once it is edited.
  const edited = useRef(false);
  const submit = fetcher.submit;
  useEffect(() => {
    if (!edited.current) {
      edited.current = true;
      return;
    }
    if (!enabled) return;
    const [audience, channel] = JSON.parse(key) as [unknown, string];
    const timer = setTimeout(() => submit({ intent: "count", audience: JSON.stringify(audience), channel }, { method: "post" }), 300);
    return () => clearTimeout(timer);
  }, [key, enabled, submit]);
  // Until the first answer, the loader's count; a refused audience has none.
  const value = fetcher.data ? (fetcher.data.ok ? fetcher.data.count : null) : initial;
  return { count: { value, pending: fetcher.state !== "idle" }, errors: fetcher.data && !fetcher.data.ok ? (fetcher.data.errors ?? {}) : {} };
}

export default function CampaignPage() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const editable = data.status === "draft" && !data.unreadable;
  const [form, setForm] = useState(() => campaignForm(data.campaign));
  const fetcher = useFetcher<ActionData>();
  const live = useLiveCount(form, data.audienceCount, editable);
  const busy = fetcher.state !== "idle";
  const result = fetcher.data;
  const errors: Errors = { ...live.errors, ...(result && !result.ok ? (result.errors ?? {}) : {}) };
  const placed = placedErrorPaths(form);
  const unplaced = Object.entries(errors).filter(([path]) => !isPlaced(path, placed));

  // Scheduling a new campaign that was saved but could not be scheduled: continue on its own page.
  useEffect(() => {
    if (result?.createdId) navigate(`/app/campaigns/${result.createdId}`, { replace: true });
  }, [result?.createdId, navigate]);

  const submit = (intent: "save" | "schedule" | "cancel" | "duplicate") =>
    fetcher.submit(intent === "save" || intent === "schedule" ? { intent, campaign: JSON.stringify(campaignPayload(form)) } : { intent }, { method: "post" });
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, data.timeZone) : "");

  const title = data.campaign?.name || t("campaigns.new");
  const secondaryActions = [
    ...(editable ? [{ content: t("campaigns.action.save"), onAction: () => submit("save"), loading: busy, id: "campaign-save" }] : []),
    ...(data.id ? [{ content: t("campaigns.action.duplicate"), onAction: () => submit("duplicate"), disabled: busy }] : []),
    ...(data.status === "scheduled" || data.status === "sending" ? [{ content: t("campaigns.action.cancel"), destructive: true, onAction: () => submit("cancel"), disabled: busy }] : []),
  ];
  return (
    <Page
      backAction={{ content: t("campaigns.title"), url: "/app/campaigns" }}
      title={title}
      titleMetadata={<CampaignStatusBadge status={data.status} />}
      primaryAction={editable ? { content: t("campaigns.action.schedule"), onAction: () => submit("schedule"), loading: busy } : undefined}
      secondaryActions={secondaryActions}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {data.unreadable ? <Banner tone="critical">{t("campaigns.errors.unreadable")}</Banner> : null}
            {result?.ok ? (
              <Banner tone="success">
                {t("campaigns.saved")}
              </Banner>
            ) : null}
            {unplaced.length > 0 ? (
              <div id="campaign-errors">
                <Banner tone="critical" title={t("campaigns.errors.title")}>
                  {unplaced.map(([path, key]) => (
                    <Text as="p" key={path}>
                      {t(key)}
                    </Text>
                  ))}
                </Banner>
              </div>
            ) : null}
            {data.times && data.status !== "draft" ? (
              <Text as="p" tone="subdued">
                {[
                  data.times.scheduledAt && t("campaigns.time.scheduled", { at: when(data.times.scheduledAt) }),
                  data.times.startedAt && t("campaigns.time.started", { at: when(data.times.startedAt) }),
                  data.times.finishedAt && t("campaigns.time.finished", { at: when(data.times.finishedAt) }),
                  data.times.cancelledAt && t("campaigns.time.cancelled", { at: when(data.times.cancelledAt) }),
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </Text>
            ) : null}
            {data.report ? (
              <div id="campaign-report">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingLg">
                    {t("campaigns.report.heading")}
                  </Text>
                  <CampaignReport summary={data.report} />
                </BlockStack>
              </div>
            ) : null}
            <CampaignEditor form={form} onChange={setForm} errors={errors} readOnly={!editable} tiers={data.tiers as Array<{ handle: string; name: Record<"en" | "zh-CN", string> }>} shopName={data.shopName} count={live.count} choices={data.choices} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
