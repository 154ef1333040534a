import { BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, InlineGrid, InlineStack, Select, Tag, Text, TextField } from "@shopify/polaris";
import { useCallback } from "react";
import { blankTier, DEFAULT_COMBINATION, type TierProgram, type TierRule } from "~/domain/tiers";
import { currencyDigits } from "~/domain/money";
import { useT } from "~/i18n";
import { ResourcePickerField } from "./AudiencePickers";

export type EditableProgram = Omit<TierProgram, "timeZone">;

/** Errors by field path ("tiers.1.handle"), already in the merchant's language. */
export type FieldErrors = Record<string, string>;


/** Amounts are edited in the currency's major unit and kept in minor units. */
function toMajor(minor: number | null, currencyCode: string): string {
  return minor === null ? "" : String(minor / 10 ** currencyDigits(currencyCode));
}
function toMinor(text: string, currencyCode: string): number | null {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? Math.round(value * 10 ** currencyDigits(currencyCode)) : NaN;
}
const toCount = (text: string) => (text.trim() === "" ? null : Number(text));
const lines = (text: string) => text.split("\n").map((line) => line.trim()).filter(Boolean);

/** A gift of the Gift list (app.gifts.tsx) as a tier perk may name it. */
export interface GiftChoice {
  name: string;
  active: boolean;
  /** What it may be given for (empty: anything). */
  kinds: string[];
  /** The tiers it is for (empty: every tier). */
  tierHandles: string[];
}

/**
 * A tier's entry or birthday gift is chosen from the Gift list (issue 20): the
 * active gifts that may be given for that reason to that tier. The perk keeps
 * the gift's name (what messages and the shopper's perks say); a name saved
 * before, typed freely or of a gift since removed, stays chosen and is marked.
 */
function GiftSelect({ label, kind, tierHandle, gifts, value, onChange }: { label: string; kind: "entry" | "birthday"; tierHandle: string; gifts: GiftChoice[]; value: string | null; onChange(value: string | null): void }) {
  const t = useT();
  const serving = gifts.filter((gift) => gift.active && (gift.kinds.length === 0 || gift.kinds.includes(kind)) && (gift.tierHandles.length === 0 || gift.tierHandles.includes(tierHandle)));
  const options = [{ label: t("tiers.editor.gift.none"), value: "" }, ...serving.map((gift) => ({ label: gift.name, value: gift.name }))];
  if (value && !serving.some((gift) => gift.name === value)) options.push({ label: t("tiers.editor.gift.notInList", { name: value }), value });
  return <Select label={label} options={options} value={value ?? ""} onChange={(chosen) => onChange(chosen === "" ? null : chosen)} helpText={serving.length === 0 ? t("tiers.editor.gift.noneInList") : undefined} />;
}

export function TierEditor({ program, onChange, errors, currencyCode, gifts = [] }: { program: EditableProgram; onChange(program: EditableProgram): void; errors: FieldErrors; currencyCode: string; gifts?: GiftChoice[] }) {
  const t = useT();
  const setTier = useCallback(
    (index: number, change: (tier: TierRule) => TierRule) => onChange({ ...program, tiers: program.tiers.map((tier, i) => (i === index ? change(tier) : tier)) }),
    [program, onChange],
  );
  const error = (field: string) => errors[field];
  const combinesWith = program.combinesWith ?? DEFAULT_COMBINATION;
  return (
    <BlockStack gap="400">
      <Text as="p" tone="subdued">
        {t("tiers.editor.help")}
      </Text>
      {error("tiers") ? (
        <Text as="p" tone="critical">
          {error("tiers")}
        </Text>
      ) : null}
      {program.tiers.map((tier, index) => {
        const field = (name: string) => `tiers.${index}.${name}`;
        const notes = (locale: "en" | "zh-CN") => tier.perks.notes.map((note) => note[locale]).join("\n");
        const setNotes = (locale: "en" | "zh-CN", text: string) =>
          setTier(index, (current) => {
            const values = lines(text);
            const other = locale === "en" ? "zh-CN" : "en";
            const count = Math.max(values.length, locale === "en" ? 0 : current.perks.notes.length);
            const notesList = Array.from({ length: count }, (_, i) => ({ ...{ en: "", "zh-CN": "" }, [other]: current.perks.notes[i]?.[other] ?? "", [locale]: values[i] ?? "" }) as Record<"en" | "zh-CN", string>);
            return { ...current, perks: { ...current.perks, notes: notesList.filter((note) => note.en || note["zh-CN"]) } };
          });
        return (
          <Card key={index}>
            <FormLayout>
              <InlineGrid columns={3} gap="300">
                <TextField label={t("tiers.editor.nameEn")} value={tier.name.en} autoComplete="off" error={error(field("name"))} onChange={(value) => setTier(index, (c) => ({ ...c, name: { ...c.name, en: value } }))} />
                <TextField label={t("tiers.editor.nameZh")} value={tier.name["zh-CN"]} autoComplete="off" onChange={(value) => setTier(index, (c) => ({ ...c, name: { ...c.name, "zh-CN": value } }))} />
                <TextField label={t("tiers.editor.handle")} value={tier.handle} autoComplete="off" error={error(field("handle"))} onChange={(value) => setTier(index, (c) => ({ ...c, handle: value }))} />
              </InlineGrid>
              <InlineGrid columns={3} gap="300">
                <TextField
                  label={t("tiers.editor.minSpend")}
                  type="number"
                  prefix={currencyCode}
                  value={toMajor(tier.minNetSpendMinor, currencyCode)}
                  autoComplete="off"
                  error={error(field("minNetSpendMinor"))}
                  onChange={(value) => setTier(index, (c) => ({ ...c, minNetSpendMinor: toMinor(value, currencyCode) }))}
                />
                <TextField label={t("tiers.editor.minOrders")} type="number" value={tier.minOrders === null ? "" : String(tier.minOrders)} autoComplete="off" error={error(field("minOrders"))} onChange={(value) => setTier(index, (c) => ({ ...c, minOrders: toCount(value) }))} />
                <Select
                  label={t("tiers.editor.qualifyBy")}
                  options={[
                    { label: t("tiers.editor.qualifyBy.either"), value: "either" },
                    { label: t("tiers.editor.qualifyBy.both"), value: "both" },
                  ]}
                  value={tier.qualifyBy}
                  onChange={(value) => setTier(index, (c) => ({ ...c, qualifyBy: value as TierRule["qualifyBy"] }))}
                />
              </InlineGrid>
              <InlineGrid columns={3} gap="300">
                <TextField
                  label={t("tiers.editor.discount")}
                  type="number"
                  suffix="%"
                  value={String(tier.perks.discountPercent)}
                  autoComplete="off"
                  error={error(field("perks.discountPercent"))}
                  onChange={(value) => setTier(index, (c) => ({ ...c, perks: { ...c.perks, discountPercent: Number(value) } }))}
                />
                <Select
                  label={t("tiers.editor.scope")}
                  options={[
                    { label: t("tiers.editor.scope.subtotal"), value: "subtotal" },
                    { label: t("tiers.editor.scope.products"), value: "products" },
                  ]}
                  value={tier.perks.discountScope}
                  onChange={(value) => setTier(index, (c) => ({ ...c, perks: { ...c.perks, discountScope: value as TierRule["perks"]["discountScope"] } }))}
                />
              </InlineGrid>
              {/* Excluded products and collections, picked (issue 20); tags excluded before stay until removed. */}
              <InlineGrid columns={3} gap="300">
                <ResourcePickerField
                  id={`tier-${index}-excluded-products`}
                  type="product"
                  label={t("tiers.editor.excludedProducts")}
                  emptyText={t("tiers.editor.excludedNone")}
                  buttonText={t("tiers.editor.excludedProducts.pick")}
                  picked={tier.perks.excludedProducts ?? []}
                  onChange={(picked) => setTier(index, (c) => ({ ...c, perks: { ...c.perks, excludedProducts: picked } }))}
                  error={error(field("perks.excludedProducts"))}
                />
                <ResourcePickerField
                  id={`tier-${index}-excluded-collections`}
                  type="collection"
                  label={t("tiers.editor.excludedCollections")}
                  emptyText={t("tiers.editor.excludedNone")}
                  buttonText={t("tiers.editor.excludedCollections.pick")}
                  picked={tier.perks.excludedCollections ?? []}
                  onChange={(picked) => setTier(index, (c) => ({ ...c, perks: { ...c.perks, excludedCollections: picked } }))}
                  error={error(field("perks.excludedCollections"))}
                />
                {tier.perks.excludedProductTags.length > 0 ? (
                  <BlockStack gap="200">
                    <Text as="p">{t("tiers.editor.excludedTags")}</Text>
                    <InlineStack gap="100" wrap>
                      {tier.perks.excludedProductTags.map((tag) => (
                        <Tag key={tag} onRemove={() => setTier(index, (c) => ({ ...c, perks: { ...c.perks, excludedProductTags: c.perks.excludedProductTags.filter((other) => other !== tag) } }))}>
                          {tag}
                        </Tag>
                      ))}
                    </InlineStack>
                    {error(field("perks.excludedProductTags")) ? (
                      <Text as="p" tone="critical">
                        {error(field("perks.excludedProductTags"))}
                      </Text>
                    ) : null}
                  </BlockStack>
                ) : null}
              </InlineGrid>
              <InlineGrid columns={3} gap="300">
                <Checkbox label={t("tiers.editor.freeShipping")} checked={tier.perks.freeShipping} onChange={(checked) => setTier(index, (c) => ({ ...c, perks: { ...c.perks, freeShipping: checked } }))} />
                <GiftSelect label={t("tiers.editor.birthdayGift")} kind="birthday" tierHandle={tier.handle} gifts={gifts} value={tier.perks.birthdayGift} onChange={(value) => setTier(index, (c) => ({ ...c, perks: { ...c.perks, birthdayGift: value } }))} />
                <GiftSelect label={t("tiers.editor.entryGift")} kind="entry" tierHandle={tier.handle} gifts={gifts} value={tier.entryGift} onChange={(value) => setTier(index, (c) => ({ ...c, entryGift: value }))} />
              </InlineGrid>
              <InlineGrid columns={2} gap="300">
                <TextField label={t("tiers.editor.notesEn")} value={notes("en")} multiline={2} autoComplete="off" error={error(field("perks.notes"))} onChange={(value) => setNotes("en", value)} />
                <TextField label={t("tiers.editor.notesZh")} value={notes("zh-CN")} multiline={2} autoComplete="off" onChange={(value) => setNotes("zh-CN", value)} />
              </InlineGrid>
              <InlineStack align="end">
                <Button tone="critical" variant="plain" disabled={program.tiers.length <= 2} onClick={() => onChange({ ...program, tiers: program.tiers.filter((_, i) => i !== index) })}>
                  {t("tiers.editor.remove")}
                </Button>
              </InlineStack>
            </FormLayout>
          </Card>
        );
      })}
      <InlineStack>
        <Button disabled={program.tiers.length >= 8} onClick={() => onChange({ ...program, tiers: [...program.tiers, blankTier(Math.max(0, ...program.tiers.map((tier) => tier.rank)) + 1)] })}>
          {t("tiers.editor.add")}
        </Button>
      </InlineStack>
      <Card>
        <FormLayout>
          <InlineGrid columns={3} gap="300">
            <Select
              label={t("tiers.editor.window")}
              options={(["lifetime", "rolling", "calendarYear"] as const).map((kind) => ({ label: t(`tiers.editor.window.${kind}`), value: kind }))}
              value={program.window.kind}
              onChange={(kind) => onChange({ ...program, window: kind === "rolling" ? { kind, months: 12 } : { kind: kind as "lifetime" | "calendarYear" } })}
            />
            {program.window.kind === "rolling" ? (
              <TextField
                label={t("tiers.editor.months")}
                type="number"
                value={String(program.window.months)}
                autoComplete="off"
                error={error("window.months")}
                onChange={(value) => onChange({ ...program, window: { kind: "rolling", months: Number(value) } })}
              />
            ) : (
              <span />
            )}
            <TextField label={t("tiers.editor.grace")} type="number" value={String(program.graceDays)} autoComplete="off" error={error("graceDays")} onChange={(value) => onChange({ ...program, graceDays: Number(value) })} />
          </InlineGrid>
          <Checkbox label={t("tiers.editor.tags")} checked={program.tierTags ?? false} onChange={(checked) => onChange({ ...program, tierTags: checked, tierSegments: checked ? program.tierSegments : false })} />
          <Checkbox label={t("tiers.editor.segments")} checked={program.tierSegments ?? false} error={error("tierSegments")} onChange={(checked) => onChange({ ...program, tierSegments: checked })} />
          <BlockStack gap="100">
            <Text as="p" variant="headingSm">
              {t("tiers.editor.combinesWith")}
            </Text>
            {(
              [
                ["orderDiscounts", "tiers.editor.combinesWith.order"],
                ["productDiscounts", "tiers.editor.combinesWith.product"],
                ["shippingDiscounts", "tiers.editor.combinesWith.shipping"],
              ] as const
            ).map(([kind, label]) => (
              <Checkbox key={kind} label={t(label)} checked={combinesWith[kind]} onChange={(checked) => onChange({ ...program, combinesWith: { ...combinesWith, [kind]: checked } })} />
            ))}
          </BlockStack>
        </FormLayout>
      </Card>
    </BlockStack>
  );
}

export function ApplyModeChoice({ value, onChange }: { value: "now" | "nextEvaluation"; onChange(value: "now" | "nextEvaluation"): void }) {
  const t = useT();
  return (
    <ChoiceList
      title={t("tiers.editor.mode")}
      choices={[
        { label: t("tiers.editor.mode.now"), value: "now" },
        { label: t("tiers.editor.mode.nextEvaluation"), value: "nextEvaluation" },
      ]}
      selected={[value]}
      onChange={([selected]) => onChange(selected as "now" | "nextEvaluation")}
    />
  );
}
