// Customer intelligence settings (issue 7): every threshold the RFM scores,
// value classes, cadence and lifecycle stages use, with their defaults and
// ranges from app/domain/intelligence/settings.ts. Saving reclassifies the
// shop at the next sweep (within 15 minutes). Each field says in the
// merchant's words what it changes for customers (issue 20), with its range;
// the save bar shows while a field differs from what is saved, a toast on save.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, FormLayout, InlineGrid, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useMemo, useRef, useState } from "react";
import { isDirty, PageSaveBar } from "~/components/admin/SaveBarForm";
import { useActionToast } from "~/components/admin/useActionToast";
import { SectionCard } from "~/components/SectionCard";
import { parseIntelligenceSettings, SETTING_BOUNDS } from "~/domain/intelligence";
import { useT, type MessageKey } from "~/i18n";
import { getIntelligenceContext, saveIntelligenceSettings } from "~/models/intelligence.server";
import { authenticate } from "~/shopify.server";

type Sections = typeof SETTING_BOUNDS;
const SECTIONS = Object.keys(SETTING_BOUNDS) as Array<keyof Sections>;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const context = await getIntelligenceContext(session.shop);
  return json({ settings: context.settings, settingsInvalid: context.settingsInvalid, classifiedAt: context.classifiedAt?.toISOString() ?? null });
}

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  // Each field "section.field" as a number; an empty field takes its default.
  const raw: Record<string, Record<string, number>> = {};
  for (const section of SECTIONS) {
    raw[section] = {};
    for (const field of Object.keys(SETTING_BOUNDS[section])) {
      const value = String(form.get(`${section}.${field}`) ?? "").trim();
      if (value !== "") raw[section][field] = Number(value.replace(",", "."));
    }
  }
  const parsed = parseIntelligenceSettings(raw);
  if (!parsed.ok) return json({ ok: false as const, errors: parsed.errors }, { status: 422 });
  await saveIntelligenceSettings(session.shop, parsed.settings);
  return json({ ok: true as const, errors: null });
}

export default function Settings() {
  const { settings, settingsInvalid } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const t = useT();
  const savedValues = useMemo(
    () => Object.fromEntries(SECTIONS.flatMap((section) => Object.entries(settings[section]).map(([field, value]) => [`${section}.${field}`, String(value)]))),
    [settings],
  );
  const [values, setValues] = useState(savedValues);
  // After a save the form starts again from what was saved.
  const [savedFrom, setSavedFrom] = useState(savedValues);
  if (savedFrom !== savedValues && fetcher.state === "idle" && fetcher.data?.ok) {
    setSavedFrom(savedValues);
    setValues(savedValues);
  }
  const formRef = useRef<HTMLFormElement>(null);
  useActionToast(fetcher.state === "idle" ? fetcher.data : undefined, (data) => (data.ok ? { message: t("settings.saved") } : { message: t("settings.saveFailed"), isError: true }));
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  return (
    <Page>
      <TitleBar title={t("settings.title")} />
      <PageSaveBar id="settings" dirty={isDirty(values, savedValues)} saving={fetcher.state !== "idle"} onSave={() => formRef.current && fetcher.submit(formRef.current, { method: "post" })} onDiscard={() => setValues(savedValues)} />
      <Layout>
        <Layout.Section>
          <fetcher.Form method="post" ref={formRef}>
            <BlockStack gap="400">
              {settingsInvalid ? <Banner tone="warning">{t("settings.invalid")}</Banner> : null}
              {SECTIONS.map((section) => (
                <SectionCard key={section} title={t(`settings.section.${section}` as MessageKey)}>
                  <FormLayout>
                    <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                      {(Object.entries(SETTING_BOUNDS[section]) as Array<[string, { min: number; max: number; default: number }]>).map(([field, bound]) => {
                        const name = `${section}.${field}`;
                        const error = errors[name];
                        return (
                          <TextField
                            key={name}
                            label={t(`settings.${name}` as MessageKey)}
                            name={name}
                            type="number"
                            value={values[name]}
                            onChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
                            helpText={`${t(`settings.help.${name}` as MessageKey)} ${t("settings.range", { min: bound.min, max: bound.max, default: bound.default })}`}
                            error={error ? t(error.key as MessageKey, error.vars as Record<string, string | number>) : undefined}
                            autoComplete="off"
                          />
                        );
                      })}
                    </InlineGrid>
                  </FormLayout>
                </SectionCard>
              ))}
              <Text as="p" tone="subdued">
                {t("settings.reclassify")}
              </Text>
            </BlockStack>
          </fetcher.Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
