// The merchant's gift list (issue 10): what can go into parcels as an entry,
// birthday or surprise gift (or a staff gift), chosen by rotation when a
// member due one orders. Gifts are deactivated, never deleted.
// Shopify's patterns (issue 20): the title bar with "Add gift", the save bar
// while the gift form differs from the gift it started from (empty, or the
// gift being edited), a toast after each action, a modal before deactivating.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Button, ChoiceList, DataTable, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { ListEmptyState } from "~/components/admin/ListEmptyState";
import { isDirty, SaveBarForm } from "~/components/admin/SaveBarForm";
import { useActionToast } from "~/components/admin/useActionToast";
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

type ActionResult = { ok: true; intent: "save" | "activate" | "deactivate"; created?: boolean } | { ok: false; errors: Record<string, FieldError | { key: "gifts.errors.notFound" | "gifts.errors.form" }> };

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
  return json<ActionResult>({ ok: true, intent: "save", created: !input.id });
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

const TOAST: Record<"added" | "save" | "activate" | "deactivate", MessageKey> = { added: "gifts.toast.added", save: "gifts.toast.saved", activate: "gifts.toast.activated", deactivate: "gifts.toast.deactivated" };

export default function Gifts() {
  const { gifts, tiers, currencyCode } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<typeof action>();
  // The form's starting point (empty, or the gift being edited): the save bar shows while the draft differs from it.
  const [base, setBase] = useState<Draft>(emptyDraft);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [deactivating, setDeactivating] = useState<{ id: string; name: string } | null>(null);
  const result = fetcher.data as ActionResult | undefined;
  const answer = fetcher.state === "idle" ? result : undefined;
  const errors: Record<string, string> = result && !result.ok ? Object.fromEntries(Object.entries(result.errors).map(([field, error]) => [field, t(error.key as MessageKey)])) : {};
  const startFrom = (next: Draft) => {
    setBase(next);
    setDraft(next);
  };
  useEffect(() => {
    if (!answer?.ok || answer.intent !== "save") return;
    setBase(emptyDraft());
    setDraft(emptyDraft());
  }, [answer]);
  // A field's error shows on its field; the toast says nothing was saved (or why, when no field is to blame).
  useActionToast(answer, (data) => (data.ok ? { message: t(TOAST[data.intent === "save" && data.created ? "added" : data.intent]) } : { message: errors.form ?? t("care.settings.fixErrors"), isError: true }));

  const tierName = (handle: string) => tiers.find((tier) => tier.handle === handle)?.name[locale] ?? handle;
  const edit = (gift: (typeof gifts)[number]) =>
    startFrom({ id: gift.id, name: gift.name, sku: gift.sku ?? "", kinds: gift.kinds, tierHandles: gift.tierHandles, cost: (gift.costMinor / 10 ** currencyDigits(currencyCode)).toFixed(currencyDigits(currencyCode)) });
  // "Add gift" in the title bar and the empty list: a fresh form, its first field ready to type in.
  const addGift = () => {
    startFrom(emptyDraft());
    document.getElementById("gift-name")?.focus();
  };
  const dirty = isDirty(draft, base);
  const saving = fetcher.state !== "idle" && fetcher.formData?.get("intent") === "save";
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
      {/* Deactivating asks first (the rotation stops choosing it); activating again does not. */}
      <Button onClick={() => (gift.active ? setDeactivating({ id: gift.id, name: gift.name }) : fetcher.submit({ intent: "activate", id: gift.id }, { method: "post" }))}>{gift.active ? t("gifts.deactivate") : t("gifts.activate")}</Button>
    </InlineStack>,
  ]);

  return (
    <Page>
      <TitleBar title={t("gifts.title")}>
        <button type="button" variant="primary" onClick={addGift}>
          {t("gifts.form.add")}
        </button>
      </TitleBar>
      <ConfirmModal
        id="confirm-deactivate-gift"
        open={deactivating !== null}
        title={t("gifts.deactivateConfirm.title", { name: deactivating?.name ?? "" })}
        body={t("gifts.deactivateConfirm.body")}
        confirmLabel={t("gifts.deactivate")}
        cancelLabel={t("gifts.deactivateConfirm.keep")}
        onConfirm={() => {
          if (deactivating) fetcher.submit({ intent: "deactivate", id: deactivating.id }, { method: "post" });
          setDeactivating(null);
        }}
        onCancel={() => setDeactivating(null)}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("gifts.intro")}
            </Text>
            <SectionCard title={t("gifts.list.heading")}>
              {gifts.length === 0 ? (
                <ListEmptyState heading={t("gifts.empty.heading")} body={t("gifts.empty.body")} action={{ content: t("gifts.form.add"), onAction: addGift }} />
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
                  headings={[t("gifts.field.name"), t("gifts.field.kinds"), t("gifts.field.tiers"), t("gifts.field.cost"), t("gifts.field.status"), ""]}
                  rows={rows}
                />
              )}
            </SectionCard>
            <SectionCard title={draft.id ? t("gifts.form.editHeading") : t("gifts.form.addHeading")}>
              <SaveBarForm id="gift-form" dirty={dirty} saving={saving} onSave={save} onDiscard={() => setDraft(base)}>
                <FormLayout>
                  <TextField id="gift-name" label={t("gifts.field.name")} value={draft.name} onChange={(name) => setDraft({ ...draft, name })} error={errors.name} autoComplete="off" />
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
                    <Button variant="primary" submit disabled={!dirty} loading={saving}>
                      {draft.id ? t("gifts.form.save") : t("gifts.form.add")}
                    </Button>
                    {draft.id ? <Button onClick={() => startFrom(emptyDraft())}>{t("gifts.form.cancel")}</Button> : null}
                  </InlineStack>
                </FormLayout>
              </SaveBarForm>
            </SectionCard>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
