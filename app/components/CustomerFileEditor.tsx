import { useFetcher } from "@remix-run/react";
import { BlockStack, Checkbox, FormLayout, ProgressBar, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { isDirty, PageSaveBar } from "./admin/SaveBarForm";
import { useActionToast } from "./admin/useActionToast";
import { CONTACT_TIMES, FILE_FIELDS, PREFERRED_CHANNELS, isFilled, type CustomerFileValues, type FileField } from "~/domain/customer-file";
import { formatDateTime, useLocale, useT, type MessageKey } from "~/i18n";
import { SectionCard } from "./SectionCard";

/** The file as getCustomerFile (app/models/customer-file.server.ts) returns it, after JSON. */
export interface CustomerFileEditorFile {
  values: CustomerFileValues;
  completeness: { score: number; missing: FileField[]; stale: FileField[] };
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: string | null;
}

type SaveResult = { ok: true; errors: null; changed: string[]; score: number } | { ok: false; errors: Partial<Record<string, string>>; changed: string[]; score: null };

const TEXT_FIELDS = ["clothingSize", "shoeSize", "stylePreferences", "productPreferences", "occupation", "family", "hobbies", "birthday", "notes"] as const;
const MULTILINE = new Set<FileField>(["stylePreferences", "productPreferences", "family", "hobbies", "notes"]);

const asForm = (values: CustomerFileValues): Record<FileField, string> =>
  Object.fromEntries(
    FILE_FIELDS.map((field) => {
      const value = values[field];
      if (Array.isArray(value)) return [field, value.join(", ")];
      if (typeof value === "boolean") return [field, value ? "yes" : "no"];
      return [field, value ?? ""];
    }),
  ) as Record<FileField, string>;

/**
 * The customer file editor: the soft data staff keep on a customer, its
 * completeness, and who saved it last. Posts to /app/members/:id/file, which
 * validates it and records each change with the staff member. Saved through
 * App Bridge's save bar, which shows while a field differs from what is saved
 * (or "all still correct" is ticked) and guards leaving the page (issue 20).
 */
export function CustomerFileEditor({ customerShopifyId, file, timeZone = "UTC" }: { customerShopifyId: string; file: CustomerFileEditorFile; timeZone?: string }) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<SaveResult>();
  const [saved, setSaved] = useState(() => asForm(file.values));
  const [form, setForm] = useState(saved);
  const [confirmAll, setConfirmAll] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const submitted = useRef<Record<FileField, string> | null>(null);
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer?.ok || !submitted.current) return;
    setSaved(submitted.current);
    setConfirmAll(false);
  }, [answer]);
  useActionToast(answer, (result) => (result.ok ? { message: t("customerFile.saved") } : { message: t("care.settings.fixErrors"), isError: true }));
  const save = () => {
    if (!formRef.current) return;
    submitted.current = form;
    fetcher.submit(formRef.current, { method: "post", action: `/app/members/${encodeURIComponent(customerShopifyId)}/file` });
  };
  const discard = () => {
    setForm(saved);
    setConfirmAll(false);
  };
  const set = (field: FileField) => (value: string) => setForm((current) => ({ ...current, [field]: value }));
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const error = (field: FileField) => (errors[field] ? t(errors[field] as MessageKey) : undefined);
  const label = (field: FileField) => t(`customerFile.field.${field}` as MessageKey);
  const score = fetcher.data?.ok ? fetcher.data.score : file.completeness.score;
  const confirm = confirmAll ? FILE_FIELDS.filter((field) => isFilled(file.values, field)).join(",") : "";
  const unknown = { label: t("customerFile.unknown"), value: "" };
  return (
    <SectionCard title={t("customerFile.heading")}>
      <BlockStack gap="300">
        <Text as="p" tone="subdued">
          {t("customerFile.help")}
        </Text>
        <Text as="p">{t("customerFile.completeness", { score })}</Text>
        <ProgressBar progress={score} size="small" />
        {file.completeness.stale.length > 0 ? (
          <Text as="p" tone="caution">
            {t("customerFile.stale", { fields: file.completeness.stale.map(label).join(", ") })}
          </Text>
        ) : null}
        {file.updatedAt ? <Text as="p" tone="subdued">{t("customerFile.updatedBy", { staff: file.updatedByName ?? file.updatedBy ?? "", date: formatDateTime(file.updatedAt, locale, timeZone) })}</Text> : null}
        <PageSaveBar id="customer-file" dirty={isDirty(form, saved) || confirmAll} saving={fetcher.state !== "idle"} onSave={save} onDiscard={discard} />
        <fetcher.Form method="post" ref={formRef} action={`/app/members/${encodeURIComponent(customerShopifyId)}/file`}>
          <FormLayout>
            <FormLayout.Group>
              <Select
                label={label("preferredChannel")}
                name="preferredChannel"
                options={[unknown, ...PREFERRED_CHANNELS.map((value) => ({ label: t(`customerFile.channel.${value}` as MessageKey), value }))]}
                value={form.preferredChannel}
                onChange={set("preferredChannel")}
                error={error("preferredChannel")}
              />
              <Select
                label={label("preferredContactTime")}
                name="preferredContactTime"
                options={[unknown, ...CONTACT_TIMES.map((value) => ({ label: t(`customerFile.time.${value}` as MessageKey), value }))]}
                value={form.preferredContactTime}
                onChange={set("preferredContactTime")}
                error={error("preferredContactTime")}
              />
              <Select
                label={label("acceptsPromotions")}
                name="acceptsPromotions"
                options={[unknown, { label: t("customerFile.yes"), value: "yes" }, { label: t("customerFile.no"), value: "no" }]}
                value={form.acceptsPromotions}
                onChange={set("acceptsPromotions")}
                error={error("acceptsPromotions")}
              />
            </FormLayout.Group>
            {TEXT_FIELDS.map((field) => (
              <TextField key={field} label={label(field)} name={field} value={form[field]} onChange={set(field)} autoComplete="off" multiline={MULTILINE.has(field) ? 2 : undefined} error={error(field)} />
            ))}
            <TextField label={label("tags")} name="tags" value={form.tags} onChange={set("tags")} autoComplete="off" error={error("tags")} />
            <Checkbox label={t("customerFile.confirmAll")} checked={confirmAll} onChange={setConfirmAll} />
            <input type="hidden" name="confirm" value={confirm} />
          </FormLayout>
        </fetcher.Form>
      </BlockStack>
    </SectionCard>
  );
}
