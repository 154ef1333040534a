/** @jsxImportSource preact */
// (The pragma: the app's tests render this component, and the repo's tsconfig compiles JSX for React.)
/**
 * The customer file, filled in conversation on a tablet: the same fields as
 * the admin's CustomerFileEditor, how to contact them first (taps, not
 * typing), then sizes and preferences, birthday, the rest. The app validates
 * it with the admin's own rules (app/domain/customer-file.ts); a refusal comes
 * back field by field and is shown beside each field.
 */
import type {} from "./elements";
import type { CustomerFileValues, FileField } from "~/domain/customer-file";
import type { PosChoices } from "~/domain/pos";
import type { FileDraft } from "../api";
import type { MessageKey, Translate } from "../messages";
import { channelWord, fieldLabel, timeWord } from "../words";

/** Every field of the file, in the order the form asks for them. */
export const FORM_FIELDS = [
  "preferredChannel",
  "preferredContactTime",
  "acceptsPromotions",
  "clothingSize",
  "shoeSize",
  "stylePreferences",
  "productPreferences",
  "birthday",
  "occupation",
  "family",
  "hobbies",
  "tags",
  "notes",
] as const satisfies readonly FileField[];

type TextField = Exclude<FileField, "preferredChannel" | "preferredContactTime" | "acceptsPromotions">;

/** The form's state: every field as the text or choice on screen ("" is "not known"). */
export type FormDraft = Record<FileField, string> & { confirmRest: boolean };

/** A choice list's "not known": POS choices need a value. */
const UNKNOWN = "unknown";

export function draftOf(values: CustomerFileValues): FormDraft {
  const draft = { confirmRest: false } as FormDraft;
  for (const field of FORM_FIELDS) {
    const value = values[field];
    draft[field] = Array.isArray(value) ? value.join(", ") : value === true ? "yes" : value === false ? "no" : (value ?? "");
  }
  return draft;
}

/** What the modal sends: the fields as the admin's form posts them, and the filled ones confirmed when staff said so. */
export function requestOf(draft: FormDraft): FileDraft {
  const request: Record<string, unknown> = {};
  for (const field of FORM_FIELDS) request[field] = draft[field];
  request.confirm = draft.confirmRest ? FORM_FIELDS.filter((field) => draft[field].trim() !== "") : [];
  return request as FileDraft;
}

/** Field errors as the app answers them, keyed by field; "locationId"/"staffMemberId" mean the POS did not say where or who. */
export type FormErrors = Record<string, string>;

interface Props {
  draft: FormDraft;
  errors: FormErrors;
  choices: PosChoices;
  t: Translate;
  busy: boolean;
  onChange: (draft: FormDraft) => void;
  onSave: () => void;
}

const ERROR_KEYS: Record<FileField, MessageKey> = {
  clothingSize: "file.errors.clothingSize",
  shoeSize: "file.errors.shoeSize",
  stylePreferences: "file.errors.stylePreferences",
  productPreferences: "file.errors.productPreferences",
  occupation: "file.errors.occupation",
  family: "file.errors.family",
  hobbies: "file.errors.hobbies",
  preferredChannel: "file.errors.preferredChannel",
  preferredContactTime: "file.errors.preferredContactTime",
  acceptsPromotions: "file.errors.acceptsPromotions",
  birthday: "file.errors.birthday",
  notes: "file.errors.notes",
  tags: "file.errors.tags",
};

export function FileForm({ draft, errors, choices, t, busy, onChange, onSave }: Props) {
  const set = (field: FileField, value: string) => onChange({ ...draft, [field]: value });
  const error = (field: FileField) => (errors[field] ? t(ERROR_KEYS[field]) : undefined);
  const choice = (field: "preferredChannel" | "preferredContactTime" | "acceptsPromotions", options: Array<{ value: string; label: string }>) => (
    <s-stack direction="block" gap="small">
      <s-text type="strong">{fieldLabel(field, t)}</s-text>
      <s-choice-list values={[draft[field] || UNKNOWN]} onChange={(event) => set(field, pick(event.currentTarget.values))}>
        {[...options, { value: UNKNOWN, label: t("file.unknown") }].map((option) => (
          <s-choice key={option.value} value={option.value} selected={(draft[field] || UNKNOWN) === option.value}>
            {option.label}
          </s-choice>
        ))}
      </s-choice-list>
      {error(field) ? <s-text tone="critical">{error(field)}</s-text> : null}
    </s-stack>
  );
  const text = (field: TextField) =>
    field === "notes" ? (
      <s-text-area key={field} label={fieldLabel(field, t)} value={draft[field]} error={error(field)} rows={3} onInput={(event) => set(field, event.currentTarget.value ?? "")} />
    ) : (
      <s-text-field key={field} label={fieldLabel(field, t)} value={draft[field]} error={error(field)} onInput={(event) => set(field, event.currentTarget.value ?? "")} />
    );
  const where = errors.locationId || errors.staffMemberId;
  const invalid = Object.keys(errors).length > 0;
  return (
    <s-stack direction="block" gap="base">
      <s-text color="subdued">{t("file.intro")}</s-text>
      {invalid ? <s-banner tone="critical" heading={where ? t("file.errors.where") : t("file.invalid")} /> : null}
      {choice(
        "preferredChannel",
        choices.preferredChannel.map((value) => ({ value, label: channelWord(value, t) })),
      )}
      {choice(
        "preferredContactTime",
        choices.preferredContactTime.map((value) => ({ value, label: timeWord(value, t) })),
      )}
      {choice("acceptsPromotions", [
        { value: "yes", label: t("file.yes") },
        { value: "no", label: t("file.no") },
      ])}
      {FORM_FIELDS.filter((field): field is TextField => field !== "preferredChannel" && field !== "preferredContactTime" && field !== "acceptsPromotions").map(text)}
      <s-switch label={t("file.confirm")} checked={draft.confirmRest} onChange={(event) => onChange({ ...draft, confirmRest: event.currentTarget.checked ?? false })} />
      <s-button variant="primary" loading={busy} disabled={busy} onClick={onSave}>
        {t("file.save")}
      </s-button>
    </s-stack>
  );
}

/** The one value of a single-choice list ("not known" is empty). */
function pick(values: readonly string[] | undefined): string {
  const value = values?.[0] ?? UNKNOWN;
  return value === UNKNOWN ? "" : value;
}
