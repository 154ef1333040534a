// One campaign (issue 9): the editor for a draft (/app/campaigns/new for a new
// one), with the audience's live count as it is edited; schedule, cancel and
// duplicate; once scheduled, its report against the holdout. The form posts
// the campaign as one JSON field so nested lists and per-locale content keep
// their shape; the domain validates it (422 with field errors, nothing saved).
// Shopify's patterns (issue 20): the title bar holds the breadcrumb and the
// campaign's actions (Schedule; Save draft, Duplicate, Cancel campaign), the
// save bar shows while a draft differs from what is saved (leaving asks first),
// cancelling asks in a modal, and every action answers with a toast.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, type FetcherWithComponents, type ShouldRevalidateFunction } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { isDirty, PageSaveBar } from "~/components/admin/SaveBarForm";
import { useActionToast } from "~/components/admin/useActionToast";
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

type Intent = "save" | "schedule" | "cancel" | "duplicate";

const TOAST: Record<Intent, MessageKey> = { save: "campaigns.toast.saved", schedule: "campaigns.toast.scheduled", cancel: "campaigns.toast.cancelled", duplicate: "campaigns.toast.duplicated" };

/**
 * The page's one fetcher and its toasts, around the campaign's own page (keyed
 * by the campaign, so a duplicate or a newly saved campaign starts from what
 * is stored). The toast goes as soon as the action has answered: saving a new
 * campaign or duplicating one answers with a redirect (no data: done), and
 * while the next campaign loads the app may show its skeleton in place of
 * this page.
 */
export default function CampaignPage() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const fetcher = useFetcher<ActionData>();
  // The action asked, and the data the fetcher held before it: a redirect brings no new data.
  const asked = useRef<{ intent: Intent; before: ActionData | undefined } | null>(null);
  const [answer, setAnswer] = useState<{ intent: Intent; ok: boolean } | null>(null);
  useEffect(() => {
    const intent = fetcher.formData?.get("intent");
    if (fetcher.state === "submitting") {
      if ((intent === "save" || intent === "schedule" || intent === "cancel" || intent === "duplicate") && !asked.current) asked.current = { intent, before: fetcher.data };
      return;
    }
    // Loading (the page's data again, or the redirect's page) or idle: the action has answered,
    // with new data (its answer) or, redirected, with the data from before (done).
    if (!asked.current) return;
    const { intent: done, before } = asked.current;
    setAnswer({ intent: done, ok: fetcher.data === before ? true : (fetcher.data?.ok ?? true) });
    asked.current = null;
  }, [fetcher.state, fetcher.formData, fetcher.data]);
  // A refused save names its fields on the page; the toast says nothing was saved.
  useActionToast(answer, (done) => (done.ok ? { message: t(TOAST[done.intent]) } : { message: t("campaigns.errors.title"), isError: true }));
  return <Campaign key={data.id ?? NEW} fetcher={fetcher} />;
}

function Campaign({ fetcher }: { fetcher: FetcherWithComponents<ActionData> }) {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const editable = data.status === "draft" && !data.unreadable;
  // What is saved, as the form shows it; the save bar shows while a draft differs.
  const [saved, setSaved] = useState(() => campaignForm(data.campaign));
  const [form, setForm] = useState(saved);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const live = useLiveCount(form, data.audienceCount, editable);
  const busy = fetcher.state !== "idle";
  const result = fetcher.data;
  const submitted = useRef<CampaignForm | null>(null);
  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok && submitted.current) setSaved(submitted.current);
  }, [fetcher.state, result]);
  const errors: Errors = { ...live.errors, ...(result && !result.ok ? (result.errors ?? {}) : {}) };
  const placed = placedErrorPaths(form);
  const unplaced = Object.entries(errors).filter(([path]) => !isPlaced(path, placed));

  const dirty = editable && isDirty(campaignPayload(form), campaignPayload(saved));
  // Scheduling a new campaign that was saved but could not be scheduled: continue on its own page,
  // once the form counts as saved (it is), so the leave guard does not ask.
  useEffect(() => {
    if (result?.createdId && submitted.current) setSaved(submitted.current);
  }, [result?.createdId]);
  useEffect(() => {
    if (result?.createdId && !dirty) navigate(`/app/campaigns/${result.createdId}`, { replace: true });
  }, [result?.createdId, dirty, navigate]);

  const submit = (intent: Intent) => {
    submitted.current = intent === "save" || intent === "schedule" ? form : null;
    fetcher.submit(intent === "save" || intent === "schedule" ? { intent, campaign: JSON.stringify(campaignPayload(form)) } : { intent }, { method: "post" });
  };
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, data.timeZone) : "");

  const title = data.campaign?.name || t("campaigns.new");
  const cancellable = data.status === "scheduled" || data.status === "sending";
  return (
    <Page>
      <TitleBar title={title}>
        <button type="button" variant="breadcrumb" onClick={() => navigate("/app/campaigns")}>
          {t("campaigns.title")}
        </button>
        {editable ? (
          <button type="button" variant="primary" onClick={() => submit("schedule")} disabled={busy}>
            {t("campaigns.action.schedule")}
          </button>
        ) : null}
        {editable ? (
          <button type="button" onClick={() => submit("save")} disabled={busy}>
            {t("campaigns.action.save")}
          </button>
        ) : null}
        {data.id ? (
          <button type="button" onClick={() => submit("duplicate")} disabled={busy}>
            {t("campaigns.action.duplicate")}
          </button>
        ) : null}
        {cancellable ? (
          <button type="button" tone="critical" onClick={() => setConfirmingCancel(true)} disabled={busy}>
            {t("campaigns.action.cancel")}
          </button>
        ) : null}
      </TitleBar>
      <PageSaveBar id="campaign-draft" dirty={dirty} saving={busy} onSave={() => submit("save")} onDiscard={() => setForm(saved)} />
      <ConfirmModal
        id="confirm-cancel-campaign"
        open={confirmingCancel}
        title={t("campaigns.cancelConfirm.title", { name: title })}
        body={t("campaigns.cancelConfirm.body")}
        confirmLabel={t("campaigns.action.cancel")}
        cancelLabel={t("campaigns.cancelConfirm.keep")}
        onConfirm={() => {
          setConfirmingCancel(false);
          submit("cancel");
        }}
        onCancel={() => setConfirmingCancel(false)}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {/* The status beside the title, as Polaris's Page would show it (App Bridge's title bar has no place for it). */}
            <div id="campaign-status">
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" tone="subdued">
                  {t("campaigns.column.status")}
                </Text>
                <CampaignStatusBadge status={data.status} />
              </InlineStack>
            </div>
            {data.unreadable ? <Banner tone="critical">{t("campaigns.errors.unreadable")}</Banner> : null}
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
