// Metafields: `metafieldsSet` with Shopify's rules (at most 25, atomic,
// compare-and-set, typed values) and the `metafield` / `metafields` fields of
// their owners. `$app` namespaces resolve to the app's reserved namespace.
import { createHash } from "node:crypto";
import { metafieldKey, type SimMetafield, type SimShop } from "../state";
import { connection, type ConnectionArgs } from "./connection";
import { gid, NotImplemented, parseGid, type FieldResolver, type ResolverContext } from "./common";

const MAX_METAFIELDS_PER_SET = 25;

/** Owner types the simulator stores metafields for, with Shopify's MetafieldOwnerType. */
const OWNERS: Record<string, { ownerType: string; exists(shop: SimShop, id: string): boolean }> = {
  Customer: { ownerType: "CUSTOMER", exists: (shop, id) => shop.customers.has(id) },
  DiscountAutomaticNode: { ownerType: "DISCOUNT", exists: (shop, id) => shop.discounts.has(id) },
  // The tier program the app publishes for its theme blocks (`$app:program`): only the shop itself, not another shop's id.
  Shop: { ownerType: "SHOP", exists: (shop, id) => shop.id === id },
};

/** A metafield's problem with its type and value (Shopify's message), or null. */
export function metafieldValueProblem(type: string | null | undefined, value: string): string | null {
  if (!type) return "Type can't be blank.";
  if (!KNOWN_TYPES.has(type)) return `Type '${type}' is not a valid metafield type.`;
  if (!isValidValue(type, value)) return `Value is invalid for type ${type}.`;
  return null;
}

/** Writes a metafield without checks (the caller has made them), keeping its id and creation time. */
export function storeMetafield(shop: SimShop, record: Pick<SimMetafield, "ownerId" | "namespace" | "key" | "type" | "value">, newId: () => string, now: string): SimMetafield {
  const key = metafieldKey(record.ownerId, record.namespace, record.key);
  const existing = shop.metafields.get(key);
  const metafield: SimMetafield = { ...record, id: existing?.id ?? newId(), createdAt: existing?.createdAt ?? now, updatedAt: now };
  shop.metafields.set(key, metafield);
  return metafield;
}

/** `$app` → `app--<client id>`, `$app:tiers` → `app--<client id>--tiers`, as Shopify resolves them. */
export function resolveNamespace(namespace: string | null | undefined, apiClientId: string): string {
  if (namespace == null || namespace === "$app") return `app--${apiClientId}`;
  if (namespace.startsWith("$app:")) return `app--${apiClientId}--${namespace.slice("$app:".length)}`;
  return namespace;
}

const digest = (metafield: SimMetafield) => createHash("sha256").update(`${metafield.type}\n${metafield.value}`).digest("hex");

// Standard metafield types (https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types);
// most also exist as `list.<type>`, whose values are JSON arrays.
const SCALAR_TYPES = [
  "boolean", "color", "date", "date_time", "dimension", "id", "json", "link", "money", "multi_line_text_field",
  "number_decimal", "number_integer", "rating", "rich_text_field", "single_line_text_field", "url", "volume", "weight",
  "collection_reference", "company_reference", "customer_reference", "file_reference", "metaobject_reference",
  "mixed_reference", "page_reference", "product_reference", "product_taxonomy_value_reference", "variant_reference",
];
const LIST_TYPES = SCALAR_TYPES.filter((type) => !["boolean", "json", "money", "multi_line_text_field", "rich_text_field"].includes(type)).map((type) => `list.${type}`);
const KNOWN_TYPES = new Set([...SCALAR_TYPES, ...LIST_TYPES]);
const JSON_TYPES = new Set(["json", "dimension", "money", "rating", "rich_text_field", "volume", "weight", ...LIST_TYPES]);

const VALUE_RULES: Record<string, (value: string) => boolean> = {
  boolean: (value) => value === "true" || value === "false",
  number_integer: (value) => /^-?\d+$/.test(value),
  number_decimal: (value) => /^-?\d+(\.\d+)?$/.test(value),
  date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)),
  date_time: (value) => !Number.isNaN(Date.parse(value)),
  single_line_text_field: (value) => !value.includes("\n"),
};

function isValidValue(type: string, value: string): boolean {
  if (JSON_TYPES.has(type)) {
    try {
      const parsed: unknown = JSON.parse(value);
      return !type.startsWith("list.") || Array.isArray(parsed);
    } catch {
      return false;
    }
  }
  return VALUE_RULES[type]?.(value) ?? true;
}

function jsonValue(metafield: SimMetafield): unknown {
  if (JSON_TYPES.has(metafield.type)) return JSON.parse(metafield.value);
  if (metafield.type === "boolean") return metafield.value === "true";
  if (metafield.type === "number_integer") return Number(metafield.value);
  return metafield.value;
}

function metafieldObject(metafield: SimMetafield) {
  const owner = parseGid(metafield.ownerId);
  return {
    __typename: "Metafield",
    id: gid("Metafield", metafield.id),
    legacyResourceId: metafield.id,
    namespace: metafield.namespace,
    key: metafield.key,
    type: metafield.type,
    value: metafield.value,
    jsonValue: jsonValue(metafield),
    compareDigest: digest(metafield),
    ownerType: OWNERS[owner.type].ownerType,
    definition: null,
    createdAt: metafield.createdAt,
    updatedAt: metafield.updatedAt,
  };
}

interface MetafieldsArgs extends ConnectionArgs {
  namespace?: string | null;
  keys?: string[] | null;
}

/** The `metafield` and `metafields` fields of an owner object. */
export function metafieldFields(ownerId: string, { shop }: ResolverContext) {
  const stored = () => [...shop.metafields.values()].filter((metafield) => metafield.ownerId === ownerId);
  return {
    metafield: ({ namespace, key }: { namespace?: string | null; key: string }) => {
      const metafield = shop.metafields.get(metafieldKey(ownerId, resolveNamespace(namespace, shop.apiClientId), key));
      return metafield ? metafieldObject(metafield) : null;
    },
    metafields: (args: MetafieldsArgs) => {
      const namespace = args.namespace == null ? null : resolveNamespace(args.namespace, shop.apiClientId);
      const keys = args.keys?.map((qualified) => {
        const dot = qualified.lastIndexOf(".");
        return metafieldKey(ownerId, resolveNamespace(qualified.slice(0, dot), shop.apiClientId), qualified.slice(dot + 1));
      });
      const selected = stored().filter((m) => (namespace === null || m.namespace === namespace) && (!keys || keys.includes(metafieldKey(m.ownerId, m.namespace, m.key))));
      return connection(selected, args, { id: (m) => m.id }, metafieldObject);
    },
  };
}

interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  /** Absent: no check. null: the metafield must not exist yet. */
  compareDigest?: string | null;
}

interface MetafieldsSetUserError {
  field: string[] | null;
  message: string;
  code: string;
  elementIndex: number | null;
}

const metafieldsSet: FieldResolver = ({ metafields: inputs }: { metafields: MetafieldsSetInput[] }, { state, shop }) => {
  if (inputs.length > MAX_METAFIELDS_PER_SET) {
    return { metafields: null, userErrors: [{ field: ["metafields"], message: `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_SET}.`, code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }] };
  }
  const userErrors: MetafieldsSetUserError[] = [];
  const writes = inputs.map((input, index) => {
    const fail = (field: string, message: string, code: string) => userErrors.push({ field: ["metafields", String(index), field], message, code, elementIndex: index });
    const owner = parseGid(input.ownerId);
    if (!OWNERS[owner.type]) throw new NotImplemented(`metafieldsSet on ${owner.type} owners`);
    if (!OWNERS[owner.type].exists(shop, owner.id)) fail("ownerId", "Owner does not exist.", "INVALID_VALUE");
    const namespace = resolveNamespace(input.namespace, shop.apiClientId);
    const key = metafieldKey(input.ownerId, namespace, input.key);
    const existing = shop.metafields.get(key);
    const type = input.type ?? existing?.type;
    const problem = metafieldValueProblem(type, input.value);
    if (problem) {
      if (!type) fail("type", problem, "BLANK");
      else if (!KNOWN_TYPES.has(type)) fail("type", problem, "INVALID_TYPE");
      else fail("value", problem, "INVALID_VALUE");
    }
    if (input.compareDigest !== undefined && (existing ? digest(existing) !== input.compareDigest : input.compareDigest !== null)) {
      fail("compareDigest", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.", "STALE_OBJECT");
    }
    return { key, existing, record: { ownerId: input.ownerId, namespace, key: input.key, type: type ?? "", value: input.value } };
  });
  // Atomic, like Shopify: one error and nothing is written.
  if (userErrors.length > 0) return { metafields: null, userErrors };
  const now = state.now();
  const written = writes.map(({ record }) => metafieldObject(storeMetafield(shop, record, () => state.newId(), now)));
  return { metafields: written, userErrors: [] };
};

export const metafieldMutations: Record<string, FieldResolver> = { metafieldsSet };

