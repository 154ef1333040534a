// Root resolvers of the simulated Admin API. graphql-js's default field
// resolver reads properties and calls functions with (args), so records are
// plain objects whose argument-taking fields are functions.
import { SimulatorState, type SimCustomer, type SimMetafield, type SimShop } from "./state";

export class UserFacingError extends Error {}

type Args = Record<string, unknown>;
type Resolver = (args: Args) => unknown;

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const idOf = (value: unknown, type: string): string | null => {
  const match = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(String(value));
  return match ? match[1] : null;
};

/** A Relay connection over an ordered list, with opaque cursors. */
export function connection<T>(items: T[], args: Args, toNode: (item: T) => unknown, cursorOf: (item: T) => string) {
  const first = (args.first as number | undefined) ?? (args.last === undefined ? undefined : undefined);
  if (first === undefined && args.last === undefined) throw new UserFacingError("you must provide one of first or last");
  let start = 0;
  if (args.after) {
    const index = items.findIndex((item) => Buffer.from(cursorOf(item)).toString("base64") === args.after);
    start = index + 1;
  }
  const slice = items.slice(start, start + ((first ?? (args.last as number)) || 0));
  const edges = slice.map((item) => ({ cursor: Buffer.from(cursorOf(item)).toString("base64"), node: toNode(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: start + slice.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function metafieldObject(metafield: SimMetafield) {
  return {
    __typename: "Metafield",
    id: gid("Metafield", metafield.id),
    namespace: metafield.namespace,
    key: metafield.key,
    type: metafield.type,
    value: metafield.value,
    jsonValue: metafield.type === "json" ? JSON.parse(metafield.value) : metafield.value,
    compareDigest: SimulatorState.digest(metafield.value),
    createdAt: metafield.createdAt,
    updatedAt: metafield.updatedAt,
    ownerType: "CUSTOMER",
  };
}

function metafieldsOf(shop: SimShop, ownerId: string) {
  return [...shop.metafields.values()].filter((metafield) => metafield.ownerId === ownerId);
}

function customerObject(shop: SimShop, customer: SimCustomer) {
  const ownerId = gid("Customer", customer.id);
  const email = customer.email ? { emailAddress: customer.email, marketingState: "NOT_SUBSCRIBED" } : null;
  return {
    __typename: "Customer",
    id: ownerId,
    legacyResourceId: customer.id,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || "",
    email: customer.email,
    defaultEmailAddress: email,
    phone: customer.phone,
    locale: customer.locale,
    tags: customer.tags,
    numberOfOrders: String(customer.numberOfOrders),
    amountSpent: { amount: (customer.amountSpentMinor / 100).toFixed(2), currencyCode: shop.currencyCode },
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    metafield: ({ namespace, key }: Args) => {
      const resolved = SimulatorState.resolveNamespace(String(namespace ?? "$app"), shop.apiClientId);
      const metafield = shop.metafields.get(`${ownerId}|${resolved}|${key}`);
      return metafield ? metafieldObject(metafield) : null;
    },
    metafields: (args: Args) => {
      const namespace = args.namespace ? SimulatorState.resolveNamespace(String(args.namespace), shop.apiClientId) : null;
      const list = metafieldsOf(shop, ownerId).filter((m) => !namespace || m.namespace === namespace);
      return connection(list, args, metafieldObject, (m) => m.id);
    },
  };
}

/** A subset of Shopify's customer search syntax: `id:`, `email:`, `updated_at:>`. */
function matchesQuery(customer: SimCustomer, query: string | undefined): boolean {
  if (!query) return true;
  return query.split(/\s+AND\s+|\s+/).every((term) => {
    const [field, raw] = term.split(/:(.*)/s);
    if (field === "id") return customer.id === raw;
    if (field === "email") return customer.email === raw;
    if (field === "updated_at" && raw.startsWith(">")) return customer.updatedAt > raw.slice(raw.startsWith(">=") ? 2 : 1).replace(/'/g, "");
    throw new UserFacingError(`store simulator does not support the search term ${term}`);
  });
}

export function rootResolvers(state: SimulatorState, shop: SimShop, now: () => Date): { query: Record<string, Resolver>; mutation: Record<string, Resolver> } {
  const customerById = (id: unknown) => {
    const numeric = idOf(id, "Customer");
    const customer = numeric ? shop.customers.get(numeric) : undefined;
    return customer ? customerObject(shop, customer) : null;
  };
  return {
    query: {
      shop: () => ({
        __typename: "Shop",
        id: gid("Shop", "1"),
        name: shop.name,
        myshopifyDomain: shop.domain,
        ianaTimezone: shop.ianaTimezone,
        currencyCode: shop.currencyCode,
        email: `owner@${shop.domain}`,
      }),
      shopLocales: ({ published }) => shop.locales.filter((l) => published === undefined || published === null || l.published === published),
      customer: ({ id }) => customerById(id),
      customers: (args) => {
        const list = [...shop.customers.values()].filter((c) => matchesQuery(c, args.query as string | undefined)).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
        return connection(list, args, (c) => customerObject(shop, c), (c) => c.id);
      },
      node: ({ id }) => customerById(id),
      nodes: ({ ids }) => (ids as string[]).map(customerById),
    },
    mutation: {
      metafieldsSet: ({ metafields }) => {
        const inputs = metafields as Array<{ ownerId: string; namespace?: string; key: string; type?: string; value: string; compareDigest?: string | null }>;
        if (inputs.length > 25) {
          return { metafields: null, userErrors: [{ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }] };
        }
        const userErrors: unknown[] = [];
        inputs.forEach((input, index) => {
          const ownerNumeric = idOf(input.ownerId, "Customer");
          if (!ownerNumeric || !shop.customers.has(ownerNumeric)) userErrors.push({ field: ["metafields", String(index), "ownerId"], message: "Owner does not exist.", code: "INVALID_VALUE", elementIndex: index });
          if (input.type === "json") {
            try {
              JSON.parse(input.value);
            } catch {
              userErrors.push({ field: ["metafields", String(index), "value"], message: "Value is invalid JSON.", code: "INVALID_VALUE", elementIndex: index });
            }
          }
          const namespace = SimulatorState.resolveNamespace(input.namespace ?? "$app", shop.apiClientId);
          const existing = shop.metafields.get(`${input.ownerId}|${namespace}|${input.key}`);
          if (input.compareDigest && existing && SimulatorState.digest(existing.value) !== input.compareDigest) {
            userErrors.push({ field: ["metafields", String(index)], message: "The resource has been updated since it was loaded.", code: "STALE_OBJECT", elementIndex: index });
          }
        });
        // Atomic, like Shopify: any error and nothing is written.
        if (userErrors.length > 0) return { metafields: [], userErrors };
        const stamp = now().toISOString();
        const written = inputs.map((input) => {
          const namespace = SimulatorState.resolveNamespace(input.namespace ?? "$app", shop.apiClientId);
          const key = `${input.ownerId}|${namespace}|${input.key}`;
          const existing = shop.metafields.get(key);
          const type = input.type ?? existing?.type;
          if (!type) throw new UserFacingError("type is required when creating a metafield");
          const record: SimMetafield = { id: existing?.id ?? state.newId(), ownerId: input.ownerId, namespace, key: input.key, type, value: input.value, createdAt: existing?.createdAt ?? stamp, updatedAt: stamp };
          shop.metafields.set(key, record);
          return metafieldObject(record);
        });
        return { metafields: written, userErrors: [] };
      },
      tagsAdd: ({ id, tags }) => changeTags(shop, id, tags as string[], "add"),
      tagsRemove: ({ id, tags }) => changeTags(shop, id, tags as string[], "remove"),
    },
  };
}

function changeTags(shop: SimShop, id: unknown, tags: string[], change: "add" | "remove") {
  const numeric = idOf(id, "Customer");
  const customer = numeric ? shop.customers.get(numeric) : undefined;
  if (!customer) return { node: null, userErrors: [{ field: ["id"], message: "Resource does not exist" }] };
  const set = new Set(customer.tags);
  for (const tag of tags) {
    if (change === "add") set.add(tag);
    else set.delete(tag);
  }
  customer.tags = [...set].sort();
  return { node: { __typename: "Customer", id: gid("Customer", customer.id) }, userErrors: [] };
}
