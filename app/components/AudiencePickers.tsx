// Pickers instead of typed ids (issue 20): a searchable multi-choice combobox
// over the values the shop's own data holds (places, tags, sizes), and App
// Bridge's resource picker for products and collections. Both show what is
// chosen as removable tags, named, never as codes or ids.
import { Autocomplete, BlockStack, Button, InlineStack, Tag, Text } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useMemo, useState } from "react";
import { formatNumber, useLocale, useT } from "~/i18n";

export interface Choice {
  value: string;
  label: string;
  /** How many customers have it (shown beside the name). */
  count?: number;
}

/** Options a search box shows at once; typing narrows the rest. */
const SHOWN = 100;

/**
 * A searchable list of choices, any number of them chosen. A chosen value the
 * data no longer holds (a campaign saved before) stays chosen and is shown by
 * `labelOf`, so nothing is dropped silently.
 */
export function ChoiceCombobox({
  id,
  label,
  helpText,
  choices,
  selected,
  onChange,
  error,
  disabled,
  labelOf,
}: {
  id: string;
  label: string;
  helpText?: string;
  choices: Choice[];
  selected: string[];
  onChange(selected: string[]): void;
  error?: string;
  disabled?: boolean;
  labelOf?(value: string): string;
}) {
  const t = useT();
  const locale = useLocale();
  const [query, setQuery] = useState("");
  const shown = useMemo(() => {
    const needle = query.trim().toLocaleLowerCase(locale);
    const matching = needle ? choices.filter((choice) => choice.label.toLocaleLowerCase(locale).includes(needle)) : choices;
    return matching.slice(0, SHOWN).map((choice) => ({
      value: choice.value,
      label: choice.count === undefined ? choice.label : t("campaigns.audience.choice", { name: choice.label, count: formatNumber(choice.count, locale) }),
    }));
  }, [query, choices, locale, t]);
  const nameOf = (value: string) => choices.find((choice) => choice.value === value)?.label ?? labelOf?.(value) ?? value;
  return (
    <div id={id}>
      <BlockStack gap="200">
        <Autocomplete
          allowMultiple
          options={shown}
          selected={selected}
          onSelect={onChange}
          emptyState={
            <Text as="p" tone="subdued">
              {t("campaigns.audience.noMatches")}
            </Text>
          }
          textField={
            <Autocomplete.TextField
              label={label}
              value={query}
              onChange={setQuery}
              placeholder={t("campaigns.audience.search")}
              helpText={helpText}
              error={error}
              disabled={disabled}
              autoComplete="off"
            />
          }
        />
        {selected.length > 0 ? (
          <InlineStack gap="100" wrap>
            {selected.map((value) => (
              <Tag key={value} disabled={disabled} onRemove={disabled ? undefined : () => onChange(selected.filter((item) => item !== value))} accessibilityLabel={t("campaigns.audience.remove", { name: nameOf(value) })}>
                {nameOf(value)}
              </Tag>
            ))}
          </InlineStack>
        ) : null}
      </BlockStack>
    </div>
  );
}

export interface PickedResource {
  /** The numeric id (what order lines and the app's rows hold). */
  id: string;
  title: string;
}

type ResourceType = "product" | "collection";
const GID_TYPE: Record<ResourceType, string> = { product: "Product", collection: "Collection" };
export const resourceGid = (type: ResourceType, id: string) => (id.startsWith("gid://") ? id : `gid://shopify/${GID_TYPE[type]}/${id}`);
const numericId = (gid: string) => gid.replace(/^gid:\/\/shopify\/\w+\//, "");

/**
 * Products or collections chosen with App Bridge's resource picker
 * (`shopify.resourcePicker`, "Resource Picker API":
 * https://shopify.dev/docs/api/app-home/apis/resource-picker): it opens with
 * what is chosen already (`selectionIds`) and resolves with the whole new
 * selection, or undefined when the merchant closes it (nothing changes then).
 */
export function ResourcePickerField({
  id,
  type,
  label,
  helpText,
  emptyText,
  buttonText,
  picked,
  onChange,
  error,
  disabled,
}: {
  id: string;
  type: ResourceType;
  label: string;
  helpText?: string;
  emptyText: string;
  buttonText: string;
  picked: PickedResource[];
  onChange(picked: PickedResource[]): void;
  error?: string;
  disabled?: boolean;
}) {
  const t = useT();
  const shopify = useAppBridge();
  const open = async () => {
    const selection = await shopify.resourcePicker({ type, multiple: true, action: "select", selectionIds: picked.map((item) => ({ id: resourceGid(type, item.id) })) });
    if (!selection) return;
    onChange(selection.map((item) => ({ id: numericId(item.id), title: item.title })));
  };
  return (
    <div id={id}>
      <BlockStack gap="200">
        <Text as="p" variant="bodyMd">
          {label}
        </Text>
        {picked.length > 0 ? (
          <InlineStack gap="100" wrap>
            {picked.map((item) => (
              <Tag key={item.id} disabled={disabled} onRemove={disabled ? undefined : () => onChange(picked.filter((other) => other.id !== item.id))} accessibilityLabel={t("campaigns.audience.remove", { name: item.title })}>
                {item.title}
              </Tag>
            ))}
          </InlineStack>
        ) : (
          <Text as="p" tone="subdued">
            {emptyText}
          </Text>
        )}
        <InlineStack>
          <Button onClick={open} disabled={disabled}>
            {buttonText}
          </Button>
        </InlineStack>
        {error ? (
          <Text as="p" tone="critical">
            {error}
          </Text>
        ) : helpText ? (
          <Text as="p" tone="subdued">
            {helpText}
          </Text>
        ) : null}
      </BlockStack>
    </div>
  );
}

const regionNames = new Map<string, Intl.DisplayNames>();
/** A country's name in the admin's language (Intl.DisplayNames), the code itself when the runtime has no name for it. */
export function countryName(code: string, locale: string): string {
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: "region" });
    regionNames.set(locale, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
