// Reward limits (issue 10): how many rewards a staff member may issue per
// month and a customer may receive per period, the largest discount, the
// default expiry, who may issue, and the gift rotation's no-repeat period and
// surprise gifts; ranges and defaults from app/domain/rewards.ts. Bad values
// answer 422 with a message on the field, and nothing is saved.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, FormLayout, InlineGrid, Layout, Page, Select, TextField } from "@shopify/polaris";
import { useMemo, useRef, useState } from "react";
import { isDirty, PageSaveBar } from "~/components/admin/SaveBarForm";
import { useActionToast } from "~/components/admin/useActionToast";
import { SectionCard } from "~/components/SectionCard";
import { minorToAmount } from "~/domain/money";
import { parseRewardSettingsForm, REWARD_SETTING_BOUNDS } from "~/domain/rewards";
import { useT, type MessageKey } from "~/i18n";
import { getRewardContext, saveRewardSettings } from "~/models/rewards.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const context = await getRewardContext(session.shop);
  return json({ settings: context.settings, settingsInvalid: context.settingsInvalid, currencyCode: context.currencyCode, maxAmount: minorToAmount(context.settings.maxAmountMinor, context.currencyCode) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const { currencyCode } = await getRewardContext(session.shop);
  const parsed = parseRewardSettingsForm(Object.fromEntries(await request.formData()), currencyCode);
  if (!parsed.ok) return json({ ok: false as const, errors: parsed.errors }, { status: 422 });
  await saveRewardSettings(session.shop, parsed.settings);
  return json({ ok: true as const, errors: null });
}

const LIMIT_FIELDS = ["staffPerMonth", "customerPerPeriod", "customerPeriodDays", "maxPercent", "defaultExpiryDays"] as const;
const GIFT_FIELDS = ["noRepeatDays", "surpriseEveryOrders"] as const;

export default function RewardSettings() {
  const { settings, settingsInvalid, currencyCode, maxAmount } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const t = useT();
  const savedValues = useMemo<Record<string, string>>(() => ({
    ...Object.fromEntries(LIMIT_FIELDS.map((field) => [field, String(settings[field])])),
    ...Object.fromEntries(GIFT_FIELDS.map((field) => [`gifts.${field}`, String(settings.gifts[field])])),
    maxAmount,
    staffMode: settings.staff === "all" ? "all" : "listed",
    staffIds: settings.staff === "all" ? "" : settings.staff.join(", "),
  }), [settings, maxAmount]);
  const [values, setValues] = useState(savedValues);
  // Shopify's patterns (issue 20): the save bar while a field differs from what is saved, a toast on save,
  // and after a save the form starts again from what was saved.
  const [savedFrom, setSavedFrom] = useState(savedValues);
  if (savedFrom !== savedValues && fetcher.state === "idle" && fetcher.data?.ok) {
    setSavedFrom(savedValues);
    setValues(savedValues);
  }
  const formRef = useRef<HTMLFormElement>(null);
  useActionToast(fetcher.state === "idle" ? fetcher.data : undefined, (data) => (data.ok ? { message: t("rewards.settings.saved") } : { message: t("care.settings.fixErrors"), isError: true }));
  const set = (name: string) => (value: string) => setValues((current) => ({ ...current, [name]: value }));
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const error = (name: string) => (errors[name] ? t(errors[name].key as MessageKey, errors[name].vars as Record<string, string | number>) : undefined);
  const numberField = (name: string, bound: { min: number; max: number; default: number }) => (
    <TextField
      key={name}
      label={t(`rewards.settings.${name}` as MessageKey)}
      name={name}
      type="number"
      value={values[name]}
      onChange={set(name)}
      helpText={t("settings.range", { min: bound.min, max: bound.max, default: bound.default })}
      error={error(name)}
      autoComplete="off"
    />
  );
  return (
    <Page>
      <TitleBar title={t("rewards.settings.title")} />
      <PageSaveBar id="reward-limits" dirty={isDirty(values, savedValues)} saving={fetcher.state !== "idle"} onSave={() => formRef.current && fetcher.submit(formRef.current, { method: "post" })} onDiscard={() => setValues(savedValues)} />
      <Layout>
        <Layout.Section>
          <fetcher.Form method="post" ref={formRef}>
            <BlockStack gap="400">
              {settingsInvalid ? <Banner tone="warning">{t("settings.invalid")}</Banner> : null}
              <SectionCard title={t("rewards.settings.limits")}>
                <FormLayout>
                  <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                    {LIMIT_FIELDS.map((field) => numberField(field, REWARD_SETTING_BOUNDS[field]))}
                    <TextField
                      label={t("rewards.settings.maxAmount", { currency: currencyCode })}
                      name="maxAmount"
                      value={values.maxAmount}
                      onChange={set("maxAmount")}
                      inputMode="decimal"
                      suffix={currencyCode}
                      error={error("maxAmountMinor")}
                      autoComplete="off"
                    />
                  </InlineGrid>
                </FormLayout>
              </SectionCard>
              <SectionCard title={t("rewards.settings.staff")}>
                <FormLayout>
                  <Select
                    label={t("rewards.settings.staffMode")}
                    name="staffMode"
                    options={[
                      { label: t("rewards.settings.staffAll"), value: "all" },
                      { label: t("rewards.settings.staffListed"), value: "listed" },
                    ]}
                    value={values.staffMode}
                    onChange={set("staffMode")}
                  />
                  {values.staffMode === "listed" ? (
                    <TextField label={t("rewards.settings.staffIds")} name="staffIds" value={values.staffIds} onChange={set("staffIds")} helpText={t("rewards.settings.staffIdsHelp")} error={error("staff")} autoComplete="off" />
                  ) : null}
                </FormLayout>
              </SectionCard>
              <SectionCard title={t("rewards.settings.gifts")}>
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                  {GIFT_FIELDS.map((field) => numberField(`gifts.${field}`, REWARD_SETTING_BOUNDS[field]))}
                </InlineGrid>
              </SectionCard>
            </BlockStack>
          </fetcher.Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
