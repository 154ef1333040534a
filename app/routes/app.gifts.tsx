// The merchant's gift list (issue 10): what can go into parcels as an entry,
// birthday or surprise gift (or a staff gift), chosen by rotation when a
// member due one orders. Gifts are deactivated, never deleted.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, ChoiceList, DataTable, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { SectionCard } from "~/components/SectionCard";
import { GIFT_KINDS, parseGiftForm, type FieldError } from "~/domain/gifts";
import { currencyDigits } from "~/domain/money";
import { formatMoney, useLocale, useT, type MessageKey } from "~/i18n";
import { createGift, listGifts, setGiftActive, updateGift } from "~/models/gifts.server";
import { getShop } from "~/models/shops.server";
import { getTierProgram } from "~/models/tiers.server";
import { systemClock } from "~/services/clock.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [gifts, program, shop] = await Promise.all([listGifts(session.shop), getTierProgram(session.shop), getShop(session.shop)]);
  return json({ gifts, tiers: (program?.tiers ?? []).map((tier) => ({ handle: tier.handle, name: tier.name })), currencyCode: shop?.currencyCode ?? "USD" });
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), id: z.string().optional() }),
  z.object({ intent: z.enum(["deactivate", "activate"]), id: z.string().min(1) }),
]);

type ActionResult = { ok: true; intent: string } | { ok: false; errors: Record<string, FieldError | { key: "gifts.errors.notFound" | "gifts.errors.form" }> };

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const parsed = intentSchema.safeParse({ intent: form.get("intent"), id: form.get("id") || undefined });
  if (!parsed.success) return json<ActionResult>({ ok: false, errors: { form: { key: "gifts.errors.form" } } }, { status: 422 });
  const now = systemClock.now();
  const input = parsed.data;
  if (input.intent !== "save") {
    const found = await setGiftActive(session.shop, input.id, input.intent === "activate", now);
    return found ? json<ActionResult>({ ok: true, intent: input.intent }) : json<ActionResult>({ ok: false, errors: { form: { key: "gifts.errors.notFound" } } }, { status: 404 });
  }
  const [program, shop] = await Promise.all([getTierProgram(session.shop), getShop(session.shop)]);
  const gift = parseGiftForm(
    {
      name: String(form.get("name") ?? ""),
      sku: String(form.get("sku") ?? ""),
      kinds: form.getAll("kinds").map(String),
      tierHandles: form.getAll("tierHandles").map(String),
      cost: String(form.get("cost") ?? ""),
      active: form.get("active") !== "false",
    },
    { currencyCode: shop?.currencyCode ?? "USD", tierHandles: (program?.tiers ?? []).map((tier) => tier.handle) },
  );
  if (!gift.ok) return json<ActionResult>({ ok: false, errors: gift.errors }, { status: 422 });
  if (input.id) {
    const found = await updateGift(session.shop, input.id, gift.gift, now);
    if (!found) return json<ActionResult>({ ok: false, errors: { form: { key: "gifts.errors.notFound" } } }, { status: 404 });
  } else {
    await createGift(session.shop, gift.gift, now);
  }
  return json<ActionResult>({ ok: true, intent: "save" });
}

interface Draft {
  id: string | null;
  name: string;
  sku: string;
  kinds: string[];
  tierHandles: string[];
  cost: string;
}

const emptyDraft = (): Draft => ({ id: null, name: "", sku: "", kinds: [], tierHandles: [], cost: "" });

export default function Gifts() {
  const { gifts, tiers, currencyCode } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<typeof action>();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const result = fetcher.data as ActionResult | undefined;
  const errors: Record<string, string> = result && !result.ok ? Object.fromEntries(Object.entries(result.errors).map(([field, error]) => [field, t(error.key as MessageKey)])) : {};
  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok && result.intent === "save") setDraft(emptyDraft());
  }, [fetcher.state, result]);

  const tierName = (handle: string) => tiers.find((tier) => tier.handle === handle)?.name[locale] ?? handle;
  const edit = (gift: (typeof gifts)[number]) =>
    setDraft({ id: gift.id, name: gift.name, sku: gift.sku ?? "", kinds: gift.kinds, tierHandles: gift.tierHandles, cost: (gift.costMinor / 10 ** currencyDigits(currencyCode)).toFixed(currencyDigits(currencyCode)) });
  const save = () => {
    const form = new FormData();
    form.set("intent", "save");
    if (draft.id) form.set("id", draft.id);
    form.set("name", draft.name);
    form.set("sku", draft.sku);
    form.set("cost", draft.cost);
    for (const kind of draft.kinds) form.append("kinds", kind);
    for (const handle of draft.tierHandles) form.append("tierHandles", handle);
    fetcher.submit(form, { method: "post" });
  };

  const rows = gifts.map((gift) => [
    <BlockStack key="name" gap="050">
      <Text as="span" fontWeight="semibold">
        {gift.name}
      </Text>
      {gift.sku ? (
        <Text as="span" tone="subdued">
          {gift.sku}
        </Text>
      ) : null}
    </BlockStack>,
    gift.kinds.length === 0 ? t("gifts.kind.any") : gift.kinds.map((kind) => t(`gifts.kind.${kind}` as MessageKey)).join(", "),
    gift.tierHandles.length === 0 ? t("gifts.tiers.all") : gift.tierHandles.map(tierName).join(", "),
    formatMoney(gift.costMinor, currencyCode, locale),
    gift.active ? <Badge tone="success">{t("gifts.status.active")}</Badge> : <Badge>{t("gifts.status.inactive")}</Badge>,
    <InlineStack key="actions" gap="200">
      <Button onClick={() => edit(gift)}>{t("gifts.edit")}</Button>
      <Button onClick={() => fetcher.submit({ intent: gift.active ? "deactivate" : "activate", id: gift.id }, { method: "post" })}>{gift.active ? t("gifts.deactivate") : t("gifts.activate")}</Button>
    </InlineStack>,
  ]);

  return (
    <Page title={t("gifts.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("gifts.intro")}
            </Text>
            {result?.ok ? <Banner tone="success">{t("gifts.saved")}</Banner> : null}
            {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
            <SectionCard title={t("gifts.list.heading")}>
              {gifts.length === 0 ? (
                <Text as="p">{t("gifts.empty")}</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
                  headings={[t("gifts.field.name"), t("gifts.field.kinds"), t("gifts.field.tiers"), t("gifts.field.cost"), t("gifts.field.status"), ""]}
                  rows={rows}
                />
              )}
            </SectionCard>
            <SectionCard title={draft.id ? t("gifts.form.editHeading") : t("gifts.form.addHeading")}>
              <FormLayout>
                <TextField label={t("gifts.field.name")} value={draft.name} onChange={(name) => setDraft({ ...draft, name })} error={errors.name} autoComplete="off" />
                <TextField label={t("gifts.field.sku")} helpText={t("gifts.field.skuHelp")} value={draft.sku} onChange={(sku) => setDraft({ ...draft, sku })} error={errors.sku} autoComplete="off" />
                <ChoiceList
                  allowMultiple
                  title={t("gifts.field.kinds")}
                  choices={GIFT_KINDS.map((kind) => ({ label: t(`gifts.kind.${kind}` as MessageKey), value: kind }))}
                  selected={draft.kinds}
                  onChange={(kinds) => setDraft({ ...draft, kinds })}
                  error={errors.kinds}
                />
                <Text as="p" tone="subdued">
                  {t("gifts.field.kindsHelp")}
                </Text>
                {tiers.length > 0 ? (
                  <ChoiceList
                    allowMultiple
                    title={t("gifts.field.tiers")}
                    choices={tiers.map((tier) => ({ label: tier.name[locale], value: tier.handle }))}
                    selected={draft.tierHandles}
                    onChange={(tierHandles) => setDraft({ ...draft, tierHandles })}
                    error={errors.tierHandles}
                  />
                ) : null}
                <TextField label={t("gifts.field.cost")} type="text" inputMode="decimal" prefix={currencyCode} value={draft.cost} onChange={(cost) => setDraft({ ...draft, cost })} error={errors.cost} autoComplete="off" />
                <InlineStack gap="200">
                  <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"}>
                    {draft.id ? t("gifts.form.save") : t("gifts.form.add")}
                  </Button>
                  {draft.id ? <Button onClick={() => setDraft(emptyDraft())}>{t("gifts.form.cancel")}</Button> : null}
                </InlineStack>
              </FormLayout>
            </SectionCard>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
