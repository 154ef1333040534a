// The campaign editor's form (issue 9): name and channel, the audience with its
// live count, the message per language (what variables it may use, how many
// SMS parts it costs), when it goes, and the measurement settings (holdout,
// attribution window). The form holds text as typed; `campaignPayload` turns
// it into the shape app/domain/campaigns/campaign.ts validates, so a number
// typed wrong reaches the server as one and comes back as that field's error
// (422) instead of being guessed at here.
import { Badge, Banner, BlockStack, Box, Checkbox, ChoiceList, FormLayout, InlineGrid, InlineStack, Select, Spinner, Tabs, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import type { AudienceChoices } from "~/models/audience-choices.server";
import { CAMPAIGN_LOCALES, type CampaignInput, type CampaignLocale } from "~/domain/campaigns/campaign";
import { renderMessage, smsSegments, type TemplateContent } from "~/domain/care/templates";
import { CHANNELS, type Channel } from "~/domain/care/types";
import { LIFECYCLE_STAGES, RFM_SEGMENTS, segmentName, stageName, VALUE_CLASSES, valueClassName } from "~/domain/intelligence";
import { formatNumber, useLocale, useT, type MessageKey } from "~/i18n";
import { ChoiceCombobox, countryName, ResourcePickerField, type Choice, type PickedResource } from "./AudiencePickers";
import { SectionCard } from "./SectionCard";

/**
 * The variables a campaign message is filled with: the dispatcher fills the
 * customer's names for every message and the renderer the shop's name;
 * campaigns plan no per-member values of their own (unlike flows, whose
 * tracking links or tier figures come from the event behind them). Others
 * would render empty, so the editor offers only these.
 */
export const CAMPAIGN_VARIABLES = ["firstName", "lastName", "fullName", "shopName"] as const;

export interface AudienceForm {
  tiers: string[];
  segments: string[];
  stages: string[];
  valueClasses: string[];
  countries: string[];
  /** "CC-PROVINCE" and "CC:city" keys of the choices (placeKey), turned back into places for the server. */
  provinces: string[];
  cities: string[];
  tags: string[];
  products: PickedResource[];
  boughtWithinDays: string;
  clothingSizes: string[];
  shoeSizes: string[];
  styleKeywords: string;
  productKeywords: string;
  fileTags: string[];
  acceptsPromotions: "" | "yes" | "no";
  reachableOnly: boolean;
}

// A province's code and a city's name are only unique within a country, so each key carries it.
export const provinceKey = (place: { countryCode: string; provinceCode: string }) => `${place.countryCode}-${place.provinceCode}`;
export const cityKey = (place: { countryCode: string; city: string }) => `${place.countryCode}:${place.city}`;
const fromProvinceKey = (key: string) => ({ countryCode: key.slice(0, 2), provinceCode: key.slice(3) });
const fromCityKey = (key: string) => ({ countryCode: key.slice(0, 2), city: key.slice(3) });

type ContentForm = Record<CampaignLocale, TemplateContent>;

export interface CampaignForm {
  name: string;
  channel: Channel;
  audience: AudienceForm;
  content: ContentForm;
  sendOn: string;
  sendHour: string;
  validityDays: string;
  holdoutPercent: string;
  attributionDays: string;
  activeHours: boolean;
  preAnnounce: boolean;
  preDaysBefore: string;
  preContent: ContentForm;
}

const blank = (): TemplateContent => ({ subject: "", body: "", sms: "" });
const joinList = (items: string[]) => items.join(", ");
// Commas (also the Chinese full-width one), semicolons or line breaks separate entries.
const splitList = (text: string) =>
  text
    .split(/[,，;；\n]+/)
    .map((item) => item.trim())
    .filter(Boolean);
// An empty field takes the default; anything else goes as a number, NaN (sent as null) included, for the server to refuse.
const numberOrDefault = (text: string) => (text.trim() === "" ? undefined : Number(text.trim().replace(",", ".")));

export function campaignForm(campaign: CampaignInput | null): CampaignForm {
  const content = (value: CampaignInput["content"] | undefined): ContentForm => ({ en: { ...blank(), ...value?.en }, "zh-CN": { ...blank(), ...value?.["zh-CN"] } });
  return {
    name: campaign?.name ?? "",
    channel: campaign?.channel ?? "email",
    audience: {
      tiers: campaign?.audience.tiers ?? [],
      segments: campaign?.audience.segments ?? [],
      stages: campaign?.audience.stages ?? [],
      valueClasses: campaign?.audience.valueClasses ?? [],
      countries: campaign?.audience.countries ?? [],
      provinces: (campaign?.audience.provinces ?? []).map(provinceKey),
      cities: (campaign?.audience.cities ?? []).map(cityKey),
      tags: campaign?.audience.tags ?? [],
      products: (campaign?.audience.boughtProducts ?? []).map((id) => ({ id, title: campaign?.audience.productTitles[id] ?? "" })),
      boughtWithinDays: campaign?.audience.boughtWithinDays ? String(campaign.audience.boughtWithinDays) : "",
      clothingSizes: campaign?.audience.clothingSizes ?? [],
      shoeSizes: campaign?.audience.shoeSizes ?? [],
      styleKeywords: joinList(campaign?.audience.styleKeywords ?? []),
      productKeywords: joinList(campaign?.audience.productKeywords ?? []),
      fileTags: campaign?.audience.fileTags ?? [],
      acceptsPromotions: campaign?.audience.acceptsPromotions === true ? "yes" : campaign?.audience.acceptsPromotions === false ? "no" : "",
      reachableOnly: campaign?.audience.reachableOnly ?? true,
    },
    content: content(campaign?.content),
    sendOn: campaign?.sendOn ?? "",
    sendHour: String(campaign?.sendHour ?? 10),
    validityDays: String(campaign?.validityDays ?? 3),
    holdoutPercent: String(campaign?.holdoutPercent ?? 10),
    attributionDays: String(campaign?.attributionDays ?? 7),
    activeHours: campaign?.activeHours ?? false,
    preAnnounce: Boolean(campaign?.preAnnouncement),
    preDaysBefore: String(campaign?.preAnnouncement?.daysBefore ?? 3),
    preContent: content(campaign?.preAnnouncement?.content),
  };
}

export function audiencePayload(audience: AudienceForm) {
  return {
    tiers: audience.tiers,
    segments: audience.segments,
    stages: audience.stages,
    valueClasses: audience.valueClasses,
    countries: audience.countries,
    provinces: audience.provinces.map(fromProvinceKey),
    cities: audience.cities.map(fromCityKey),
    tags: audience.tags,
    boughtProducts: audience.products.map((product) => product.id),
    productTitles: Object.fromEntries(audience.products.filter((product) => product.title).map((product) => [product.id, product.title])),
    boughtWithinDays: audience.boughtWithinDays.trim() === "" ? null : Number(audience.boughtWithinDays.trim()),
    clothingSizes: audience.clothingSizes,
    shoeSizes: audience.shoeSizes,
    styleKeywords: splitList(audience.styleKeywords),
    productKeywords: splitList(audience.productKeywords),
    fileTags: audience.fileTags,
    acceptsPromotions: audience.acceptsPromotions === "" ? null : audience.acceptsPromotions === "yes",
    reachableOnly: audience.reachableOnly,
  };
}

/** The Chinese version is optional: left empty, Chinese readers get the English one. */
function contentPayload(content: ContentForm) {
  const zh = content["zh-CN"];
  return { en: content.en, ...(zh.subject.trim() || zh.body.trim() || zh.sms.trim() ? { "zh-CN": zh } : {}) };
}

export function campaignPayload(form: CampaignForm) {
  return {
    name: form.name,
    channel: form.channel,
    audience: audiencePayload(form.audience),
    content: contentPayload(form.content),
    sendOn: form.sendOn.trim() || null,
    sendHour: numberOrDefault(form.sendHour),
    validityDays: numberOrDefault(form.validityDays),
    holdoutPercent: numberOrDefault(form.holdoutPercent),
    attributionDays: numberOrDefault(form.attributionDays),
    activeHours: form.activeHours,
    preAnnouncement: form.preAnnounce ? { daysBefore: numberOrDefault(form.preDaysBefore), content: contentPayload(form.preContent) } : null,
  };
}

/** The fields a channel's message consists of (Flow: the merchant's workflow writes it). */
export const CHANNEL_FIELDS: Record<Channel, Array<keyof TemplateContent>> = { email: ["subject", "body"], sms: ["sms"], flow: [] };

const AUDIENCE_FIELDS = [
  "tiers",
  "segments",
  "stages",
  "valueClasses",
  "countries",
  "provinces",
  "cities",
  "tags",
  "boughtProducts",
  "boughtWithinDays",
  "clothingSizes",
  "shoeSizes",
  "styleKeywords",
  "productKeywords",
  "fileTags",
  "acceptsPromotions",
  "reachableOnly",
];

/** Every error path the form shows on a field; the rest go in the banner above it. */
export function placedErrorPaths(form: CampaignForm): Set<string> {
  const paths = ["name", "channel", "audience", "sendOn", "sendHour", "validityDays", "holdoutPercent", "attributionDays", "preAnnouncement", "preAnnouncement.daysBefore"];
  for (const field of AUDIENCE_FIELDS) paths.push(`audience.${field}`);
  for (const locale of CAMPAIGN_LOCALES) {
    for (const field of CHANNEL_FIELDS[form.channel]) {
      paths.push(`content.${locale}.${field}`);
      if (form.preAnnounce) paths.push(`preAnnouncement.content.${locale}.${field}`);
    }
  }
  return new Set(paths);
}

/** Whether the form shows this error on a field (a list's entry, say, on its list). */
export function isPlaced(path: string, placed: Set<string>): boolean {
  return placed.has(path) || [...placed].some((field) => field.includes(".") && path.startsWith(`${field}.`));
}

/** An error of the form: the first whose path is `path` or lies under it (a list's entry, say). */
function errorAt(errors: Record<string, MessageKey>, path: string): MessageKey | undefined {
  return errors[path] ?? Object.entries(errors).find(([key]) => key.startsWith(`${path}.`))?.[1];
}

export interface TierChoice {
  handle: string;
  name: Record<"en" | "zh-CN", string>;
}

interface EditorProps {
  form: CampaignForm;
  onChange(form: CampaignForm): void;
  errors: Record<string, MessageKey>;
  readOnly: boolean;
  tiers: TierChoice[];
  shopName: string;
  count: { value: number | null; pending: boolean };
  choices: AudienceChoices;
}

function ContentEditor({
  id,
  channel,
  content,
  onChange,
  errors,
  prefix,
  readOnly,
  shopName,
}: {
  id: string;
  channel: Channel;
  content: ContentForm;
  onChange(content: ContentForm): void;
  errors: Record<string, MessageKey>;
  prefix: string;
  readOnly: boolean;
  shopName: string;
}) {
  const t = useT();
  const locale = useLocale();
  const [selected, setSelected] = useState(0);
  const fields = CHANNEL_FIELDS[channel];
  const hasError = (l: CampaignLocale) => fields.some((field) => errors[`${prefix}.${l}.${field}`]);
  const current = CAMPAIGN_LOCALES[selected] ?? "en";
  const part = content[current];
  const set = (field: keyof TemplateContent) => (value: string) => onChange({ ...content, [current]: { ...part, [field]: value } });
  const error = (field: keyof TemplateContent) => {
    const key = errors[`${prefix}.${current}.${field}`];
    return key ? t(key) : undefined;
  };
  if (fields.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {t("campaigns.content.flowNote")}
      </Text>
    );
  }
  // What the SMS costs once sent: the shop's name and the opt-out hint are added, and a sample first name stands in.
  const sms = smsSegments(renderMessage(part, { firstName: "Mei", lastName: "Lin", fullName: "Mei Lin" }, { locale: current, unsubscribeUrl: "-", shopName }).sms);
  return (
    <Tabs
      tabs={CAMPAIGN_LOCALES.map((l) => ({ id: `${id}-${l}`, content: t(`campaigns.locale.${l}`), panelID: `${id}-${l}-panel`, ...(hasError(l) ? { badge: "!" } : {}) }))}
      selected={selected}
      onSelect={setSelected}
    >
      <Box paddingBlockStart="300">
        <FormLayout>
          {current === "zh-CN" ? (
            <Text as="p" tone="subdued">
              {t("campaigns.content.zhOptional")}
            </Text>
          ) : null}
          {fields.includes("subject") ? <TextField label={t("campaigns.content.subject")} value={part.subject} onChange={set("subject")} error={error("subject")} autoComplete="off" disabled={readOnly} maxLength={200} /> : null}
          {fields.includes("body") ? <TextField label={t("campaigns.content.body")} value={part.body} onChange={set("body")} error={error("body")} autoComplete="off" multiline={6} disabled={readOnly} /> : null}
          {fields.includes("sms") ? (
            <TextField
              label={t("campaigns.content.sms")}
              value={part.sms}
              onChange={set("sms")}
              error={error("sms")}
              autoComplete="off"
              multiline={3}
              disabled={readOnly}
              maxLength={1600}
              helpText={part.sms.trim() ? t("campaigns.content.smsSegments", { segments: sms.segments, units: formatNumber(sms.units, locale), encoding: sms.encoding }) : undefined}
            />
          ) : null}
        </FormLayout>
      </Box>
    </Tabs>
  );
}

function Variables() {
  const t = useT();
  return (
    <BlockStack gap="100">
      <Text as="p" variant="headingSm">
        {t("campaigns.variables.heading")}
      </Text>
      <InlineStack gap="200" wrap>
        {CAMPAIGN_VARIABLES.map((name) => (
          <Text as="span" key={name} tone="subdued">
            <code>{`{{${name}}}`}</code> {t(`campaigns.variables.${name}`)}
          </Text>
        ))}
      </InlineStack>
    </BlockStack>
  );
}

const values = (items: AudienceChoices["tags"]): Choice[] => items.map((item) => ({ value: item.value, label: item.value, count: item.count }));

/** Places named in the admin's language: countries by Intl.DisplayNames, provinces by their addresses' name, each with its country. */
function usePlaceChoices(choices: AudienceChoices) {
  const t = useT();
  const locale = useLocale();
  return useMemo(() => {
    const country = (code: string) => countryName(code, locale);
    const byName = (a: Choice, b: Choice) => a.label.localeCompare(b.label, locale);
    return {
      countries: choices.countries.map((choice) => ({ value: choice.countryCode, label: country(choice.countryCode), count: choice.count })).sort(byName),
      provinces: choices.provinces
        .map((choice) => ({ value: provinceKey(choice), label: t("campaigns.audience.placeIn", { place: choice.name ?? choice.provinceCode, country: country(choice.countryCode) }), count: choice.count }))
        .sort(byName),
      cities: choices.cities.map((choice) => ({ value: cityKey(choice), label: t("campaigns.audience.placeIn", { place: choice.city, country: country(choice.countryCode) }), count: choice.count })).sort(byName),
    };
  }, [choices, locale, t]);
}

export function CampaignEditor({ form, onChange, errors, readOnly, tiers, shopName, count, choices }: EditorProps) {
  const t = useT();
  const locale = useLocale();
  const set = <K extends keyof CampaignForm>(key: K) => (value: CampaignForm[K]) => onChange({ ...form, [key]: value });
  const setAudience = <K extends keyof AudienceForm>(key: K) => (value: AudienceForm[K]) => onChange({ ...form, audience: { ...form.audience, [key]: value } });
  const error = (path: string) => {
    const key = errorAt(errors, path);
    return key ? t(key) : undefined;
  };
  const hours = Array.from({ length: 24 }, (_, hour) => ({ label: `${String(hour).padStart(2, "0")}:00`, value: String(hour) }));
  const places = usePlaceChoices(choices);

  return (
    <BlockStack gap="400">
      <div id="campaign-basics">
        <SectionCard title={t("campaigns.editor.basics")}>
          <FormLayout>
            <TextField label={t("campaigns.field.name")} value={form.name} onChange={set("name")} error={error("name")} autoComplete="off" disabled={readOnly} maxLength={120} />
            <Select
              label={t("campaigns.field.channel")}
              options={CHANNELS.map((channel) => ({ label: t(`campaigns.channel.${channel}`), value: channel }))}
              value={form.channel}
              onChange={(value) => set("channel")(value as Channel)}
              error={error("channel")}
              disabled={readOnly}
              helpText={t(`campaigns.channel.${form.channel}.help`)}
            />
          </FormLayout>
        </SectionCard>
      </div>

      <div id="campaign-audience">
        <SectionCard title={t("campaigns.editor.audience")}>
          <Text as="p" tone="subdued">
            {t("campaigns.audience.help")}
          </Text>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {tiers.length > 0 ? (
              <ChoiceList
                allowMultiple
                title={t("campaigns.audience.tiers")}
                choices={tiers.map((tier) => ({ label: tier.name[locale], value: tier.handle }))}
                selected={form.audience.tiers}
                onChange={setAudience("tiers")}
                error={error("audience.tiers")}
                disabled={readOnly}
              />
            ) : (
              <BlockStack gap="100">
                <Text as="p" variant="headingSm">
                  {t("campaigns.audience.tiers")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("campaigns.audience.noTiers")}
                </Text>
              </BlockStack>
            )}
            <ChoiceList
              allowMultiple
              title={t("campaigns.audience.valueClasses")}
              choices={VALUE_CLASSES.map((value) => ({ label: t(valueClassName(value).key), value }))}
              selected={form.audience.valueClasses}
              onChange={setAudience("valueClasses")}
              error={error("audience.valueClasses")}
              disabled={readOnly}
            />
            <ChoiceList
              allowMultiple
              title={t("campaigns.audience.segments")}
              choices={RFM_SEGMENTS.map((value) => ({ label: t(segmentName(value).key), value }))}
              selected={form.audience.segments}
              onChange={setAudience("segments")}
              error={error("audience.segments")}
              disabled={readOnly}
            />
            <ChoiceList
              allowMultiple
              title={t("campaigns.audience.stages")}
              choices={LIFECYCLE_STAGES.map((value) => ({ label: t(stageName(value).key), value }))}
              selected={form.audience.stages}
              onChange={setAudience("stages")}
              error={error("audience.stages")}
              disabled={readOnly}
            />
          </InlineGrid>
          <FormLayout>
            <FormLayout.Group>
              <ChoiceCombobox
                id="audience-countries"
                label={t("campaigns.audience.countries")}
                helpText={t("campaigns.audience.countries.help")}
                choices={places.countries}
                selected={form.audience.countries}
                onChange={setAudience("countries")}
                labelOf={(code) => countryName(code, locale)}
                error={error("audience.countries")}
                disabled={readOnly}
              />
              <ChoiceCombobox
                id="audience-provinces"
                label={t("campaigns.audience.provinces")}
                helpText={t("campaigns.audience.provinces.help")}
                choices={places.provinces}
                selected={form.audience.provinces}
                onChange={setAudience("provinces")}
                labelOf={(key) => t("campaigns.audience.placeIn", { place: key.slice(3), country: countryName(key.slice(0, 2), locale) })}
                error={error("audience.provinces")}
                disabled={readOnly}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <ChoiceCombobox
                id="audience-cities"
                label={t("campaigns.audience.cities")}
                choices={places.cities}
                selected={form.audience.cities}
                onChange={setAudience("cities")}
                labelOf={(key) => t("campaigns.audience.placeIn", { place: key.slice(3), country: countryName(key.slice(0, 2), locale) })}
                error={error("audience.cities")}
                disabled={readOnly}
              />
              <ChoiceCombobox
                id="audience-tags"
                label={t("campaigns.audience.tags")}
                helpText={t("campaigns.audience.tags.help")}
                choices={values(choices.tags)}
                selected={form.audience.tags}
                onChange={setAudience("tags")}
                error={error("audience.tags")}
                disabled={readOnly}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <ResourcePickerField
                id="audience-products"
                type="product"
                label={t("campaigns.audience.boughtProducts")}
                helpText={t("campaigns.audience.boughtProducts.help")}
                emptyText={t("campaigns.audience.noProducts")}
                buttonText={t("campaigns.audience.pickProducts")}
                picked={form.audience.products.map((product) => ({ id: product.id, title: product.title || t("campaigns.audience.productFallback", { id: product.id }) }))}
                onChange={setAudience("products")}
                error={error("audience.boughtProducts")}
                disabled={readOnly}
              />
              <TextField
                label={t("campaigns.audience.boughtWithinDays")}
                type="number"
                value={form.audience.boughtWithinDays}
                onChange={setAudience("boughtWithinDays")}
                error={error("audience.boughtWithinDays")}
                helpText={t("campaigns.audience.boughtWithinDays.help")}
                autoComplete="off"
                disabled={readOnly}
              />
            </FormLayout.Group>
          </FormLayout>
          <div id="audience-file">
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                {t("campaigns.audience.file.heading")}
              </Text>
              <Banner tone="info">{t("campaigns.audience.file.appOnly")}</Banner>
              <FormLayout>
                <FormLayout.Group>
                  <ChoiceCombobox id="audience-clothing" label={t("campaigns.audience.clothingSizes")} choices={values(choices.clothingSizes)} selected={form.audience.clothingSizes} onChange={setAudience("clothingSizes")} error={error("audience.clothingSizes")} disabled={readOnly} />
                  <ChoiceCombobox id="audience-shoes" label={t("campaigns.audience.shoeSizes")} choices={values(choices.shoeSizes)} selected={form.audience.shoeSizes} onChange={setAudience("shoeSizes")} error={error("audience.shoeSizes")} disabled={readOnly} />
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField
                    label={t("campaigns.audience.styleKeywords")}
                    value={form.audience.styleKeywords}
                    onChange={setAudience("styleKeywords")}
                    error={error("audience.styleKeywords")}
                    helpText={t("campaigns.audience.keywords.help")}
                    autoComplete="off"
                    disabled={readOnly}
                  />
                  <TextField
                    label={t("campaigns.audience.productKeywords")}
                    value={form.audience.productKeywords}
                    onChange={setAudience("productKeywords")}
                    error={error("audience.productKeywords")}
                    helpText={t("campaigns.audience.keywords.help")}
                    autoComplete="off"
                    disabled={readOnly}
                  />
                </FormLayout.Group>
                <FormLayout.Group>
                  <ChoiceCombobox id="audience-file-tags" label={t("campaigns.audience.fileTags")} choices={values(choices.fileTags)} selected={form.audience.fileTags} onChange={setAudience("fileTags")} error={error("audience.fileTags")} disabled={readOnly} />
                  <Select
                    label={t("campaigns.audience.acceptsPromotions")}
                    options={(["", "yes", "no"] as const).map((value) => ({ value, label: t(`campaigns.audience.acceptsPromotions.${value || "any"}`) }))}
                    value={form.audience.acceptsPromotions}
                    onChange={(value) => setAudience("acceptsPromotions")(value as AudienceForm["acceptsPromotions"])}
                    error={error("audience.acceptsPromotions")}
                    disabled={readOnly}
                  />
                </FormLayout.Group>
              </FormLayout>
            </BlockStack>
          </div>
          <FormLayout>
            <Checkbox
              label={t("campaigns.audience.reachableOnly")}
              helpText={t("campaigns.audience.reachableOnly.help")}
              checked={form.audience.reachableOnly}
              onChange={setAudience("reachableOnly")}
              error={error("audience.reachableOnly")}
              disabled={readOnly}
            />
          </FormLayout>
          {readOnly ? null : (
            <div id="campaign-count" aria-live="polite">
              <InlineStack gap="200" blockAlign="center">
                <Text as="p" variant="headingMd">
                  {count.value === null ? t("campaigns.audience.countUnknown") : t("campaigns.audience.count", { count: formatNumber(count.value, locale) })}
                </Text>
                {count.pending ? <Spinner size="small" accessibilityLabel={t("campaigns.audience.counting")} /> : null}
              </InlineStack>
              {errors.audience ? (
                <Text as="p" tone="critical">
                  {t(errors.audience)}
                </Text>
              ) : null}
            </div>
          )}
        </SectionCard>
      </div>

      <div id="campaign-content">
        <SectionCard title={t("campaigns.editor.content")}>
          <ContentEditor id="content" channel={form.channel} content={form.content} onChange={set("content")} errors={errors} prefix="content" readOnly={readOnly} shopName={shopName} />
          {CHANNEL_FIELDS[form.channel].length > 0 ? <Variables /> : null}
        </SectionCard>
      </div>

      <div id="campaign-timing">
        <SectionCard title={t("campaigns.editor.timing")}>
          <FormLayout>
            <FormLayout.Group>
              <TextField label={t("campaigns.field.sendOn")} type="date" value={form.sendOn} onChange={set("sendOn")} error={error("sendOn")} helpText={t("campaigns.field.sendOn.help")} autoComplete="off" disabled={readOnly} />
              <Select label={t("campaigns.field.sendHour")} options={hours} value={form.sendHour} onChange={set("sendHour")} error={error("sendHour")} helpText={t("campaigns.field.sendHour.help")} disabled={readOnly} />
              <TextField
                label={t("campaigns.field.validityDays")}
                type="number"
                value={form.validityDays}
                onChange={set("validityDays")}
                error={error("validityDays")}
                helpText={t("campaigns.field.validityDays.help")}
                autoComplete="off"
                disabled={readOnly}
              />
            </FormLayout.Group>
            <Checkbox label={t("campaigns.field.activeHours")} helpText={t("campaigns.field.activeHours.help")} checked={form.activeHours} onChange={set("activeHours")} disabled={readOnly} />
            <Checkbox label={t("campaigns.pre.enable")} helpText={t("campaigns.pre.help")} checked={form.preAnnounce} onChange={set("preAnnounce")} error={errors.preAnnouncement ? t(errors.preAnnouncement) : undefined} disabled={readOnly} />
          </FormLayout>
          {form.preAnnounce ? (
            <div id="campaign-pre">
              <BlockStack gap="300">
                <TextField
                  label={t("campaigns.pre.daysBefore")}
                  type="number"
                  value={form.preDaysBefore}
                  onChange={set("preDaysBefore")}
                  error={error("preAnnouncement.daysBefore")}
                  autoComplete="off"
                  disabled={readOnly}
                />
                <ContentEditor id="pre" channel={form.channel} content={form.preContent} onChange={set("preContent")} errors={errors} prefix="preAnnouncement.content" readOnly={readOnly} shopName={shopName} />
              </BlockStack>
            </div>
          ) : null}
        </SectionCard>
      </div>

      <div id="campaign-measure">
        <SectionCard title={t("campaigns.editor.measure")}>
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label={t("campaigns.field.holdoutPercent")}
                type="number"
                suffix="%"
                value={form.holdoutPercent}
                onChange={set("holdoutPercent")}
                error={error("holdoutPercent")}
                helpText={t("campaigns.field.holdoutPercent.help")}
                autoComplete="off"
                disabled={readOnly}
              />
              <TextField
                label={t("campaigns.field.attributionDays")}
                type="number"
                value={form.attributionDays}
                onChange={set("attributionDays")}
                error={error("attributionDays")}
                helpText={t("campaigns.field.attributionDays.help")}
                autoComplete="off"
                disabled={readOnly}
              />
            </FormLayout.Group>
          </FormLayout>
        </SectionCard>
      </div>
    </BlockStack>
  );
}

export function CampaignStatusBadge({ status }: { status: string }) {
  const t = useT();
  const tone = status === "scheduled" ? "info" : status === "sending" ? "attention" : status === "done" ? "success" : status === "cancelled" ? "critical" : undefined;
  return <Badge tone={tone}>{t(`campaigns.status.${status}` as MessageKey)}</Badge>;
}
