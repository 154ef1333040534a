// The simulator must answer like Shopify: real-schema validation, state,
// Shopify's shapes, cost and throttling, loud failure on what it lacks.
import http from "node:http";
import { startStoreSimulator, type StoreSimulator } from "./admin-api";

const shop = "sim-shop.myshopify.com";
const token = "shpat_simulated";
let now = Date.parse("2026-11-02T08:00:00Z");
let simulator: StoreSimulator;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => now });
  simulator.addShop({ shop, accessToken: token, name: "Sim Shop", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", locales: ["zh-CN", "en"] });
});
afterAll(() => simulator.close());

// Response bodies are read loosely: the assertions say what they must contain.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

async function graphql(query: string, variables: Record<string, unknown> = {}, options: { accessToken?: string; path?: string } = {}) {
  const response = await fetch(`${simulator.url}${options.path ?? `/shops/${shop}/admin/api/2026-10/graphql.json`}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": options.accessToken ?? token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Loose; errors?: Loose; extensions?: Loose } };
}

const SET_METAFIELDS = `mutation SetMembership($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { namespace key value compareDigest } userErrors { field message code } }
}`;

describe("answering", () => {
  it("answers a valid query from its state, with Shopify's cost extension", async () => {
    const { status, body } = await graphql("query { shop { name myshopifyDomain ianaTimezone timezoneOffsetMinutes currencyCode } shopLocales(published: true) { locale primary } }");
    expect(status).toBe(200);
    expect(body.data).toEqual({
      shop: { name: "Sim Shop", myshopifyDomain: shop, ianaTimezone: "Asia/Shanghai", timezoneOffsetMinutes: 480, currencyCode: "CNY" },
      shopLocales: [{ locale: "zh-CN", primary: true }, { locale: "en", primary: false }],
    });
    expect(body.extensions.cost).toEqual({ requestedQueryCost: 2, actualQueryCost: 2, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: expect.any(Number), restoreRate: 100 } });
  });

  it("finds the shop from the Host header when the path does not name it", async () => {
    const answer = await new Promise<{ status: number; body: Loose }>((resolve, reject) => {
      const request = http.request(`${simulator.url}/admin/api/2026-10/graphql.json`, { method: "POST", headers: { Host: shop, "Content-Type": "application/json", "X-Shopify-Access-Token": token } }, (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      });
      request.on("error", reject);
      request.end(JSON.stringify({ query: "{ shop { name } }" }));
    });
    expect(answer).toMatchObject({ status: 200, body: { data: { shop: { name: "Sim Shop" } } } });
  });

  it("keeps ids above 2^53 exact", async () => {
    const customer = simulator.state.addCustomer(shop, { firstName: "Li", lastName: "Na", email: "li.na@example.com", amountSpentMinor: 123450 });
    expect(BigInt(customer.id)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    const id = `gid://shopify/Customer/${customer.id}`;
    const { body } = await graphql("query Member($id: ID!) { customer(id: $id) { id legacyResourceId displayName amountSpent { amount currencyCode } } }", { id });
    expect(body.data.customer).toEqual({ id, legacyResourceId: customer.id, displayName: "Li Na", amountSpent: { amount: "1234.5", currencyCode: "CNY" } });
  });

  it("pages through customers with cursors and filters them with Shopify's search syntax", async () => {
    const domain = "paging.myshopify.com";
    simulator.addShop({ shop: domain, accessToken: token });
    now += 1000;
    const [a, b, c] = ["a@example.com", "b@example.com", "c@example.com"].map((email) => simulator.state.addCustomer(domain, { email }));
    const page = (after: string | null) =>
      graphql("query Page($after: String) { customers(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }", { after }, { path: `/shops/${domain}/admin/api/2026-10/graphql.json` });
    const first = (await page(null)).body.data.customers;
    expect(first.nodes.map((n: Loose) => n.id)).toEqual([a, b].map((x) => `gid://shopify/Customer/${x.id}`));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.pageInfo.endCursor)).body.data.customers;
    expect(second).toEqual({ nodes: [{ id: `gid://shopify/Customer/${c.id}` }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });

    c.updatedAt = new Date(now + 60_000).toISOString();
    const search = (query: string) => graphql("query Find($query: String) { customers(first: 5, query: $query) { nodes { email } } }", { query }, { path: `/shops/${domain}/admin/api/2026-10/graphql.json` });
    expect((await search('email:"B@example.com"')).body.data.customers.nodes).toEqual([{ email: "b@example.com" }]);
    expect((await search(`updated_at:>'${new Date(now).toISOString()}'`)).body.data.customers.nodes).toEqual([{ email: "c@example.com" }]);
    expect((await search("country:JP")).body.errors[0].message).toBe("store simulator does not implement the customer search term country:");
  });
});

describe("refusing", () => {
  it("rejects a document that is invalid against the real 2026-10 schema, with 200 as Shopify does", async () => {
    const { status, body } = await graphql("query { shop { nmae } }");
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: "Field 'nmae' doesn't exist on type 'Shop'", locations: [{ line: 1, column: 16 }], extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nmae" } }]);
    expect(simulator.requests.at(-1)).toMatchObject({ shop, status: 200, outcome: "invalid" });
  });

  it("rejects variables the operation cannot take", async () => {
    const { body } = await graphql("query Member($id: ID!) { customer(id: $id) { id } }", {});
    expect(body.errors[0].message).toBe("Variable $id of type ID! was provided invalid value");
  });

  it("refuses a wrong access token with 401, an unknown shop or API version with 404", async () => {
    const wrongToken = await graphql("{ shop { name } }", {}, { accessToken: "shpat_wrong" });
    expect(wrongToken).toEqual({ status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } });
    expect((await graphql("{ shop { name } }", {}, { path: "/shops/elsewhere.myshopify.com/admin/api/2026-10/graphql.json" })).status).toBe(404);
    expect((await graphql("{ shop { name } }", {}, { path: `/shops/${shop}/admin/api/2024-01/graphql.json` })).status).toBe(404);
  });

  it("fails loudly on a root field or an object field it does not implement", async () => {
    const root = await graphql("query { products(first: 1) { nodes { id } } }");
    expect(root.body.errors).toEqual([{ message: "store simulator does not implement Query.products", extensions: { code: "NOT_IMPLEMENTED" } }]);
    const customer = simulator.state.addCustomer(shop, {});
    const nested = await graphql(`{ customer(id: "gid://shopify/Customer/${customer.id}") { id lastOrder { id } } }`);
    expect(nested.body.errors[0].message).toBe("store simulator does not implement Customer.lastOrder");
  });
});

describe("metafields and tags", () => {
  it("stores metafields in the app's reserved namespace and reads them back through $app", async () => {
    const customer = simulator.state.addCustomer(shop, { email: "gold@example.com" });
    const ownerId = `gid://shopify/Customer/${customer.id}`;
    const set = await graphql(SET_METAFIELDS, { metafields: [{ ownerId, namespace: "$app", key: "membership", type: "json", value: '{"tier":"gold"}' }] });
    expect(set.body.data.metafieldsSet).toMatchObject({ metafields: [{ namespace: "app--test-api-key", key: "membership", value: '{"tier":"gold"}' }], userErrors: [] });
    expect(simulator.requests.at(-1)).toMatchObject({ operationName: "SetMembership", variables: { metafields: [{ ownerId }] }, outcome: "ok" });

    const read = await graphql(
      `query Read($id: ID!) { customer(id: $id) { metafield(namespace: "$app", key: "membership") { jsonValue } metafields(first: 5, namespace: "$app") { nodes { key } } } }`,
      { id: ownerId },
    );
    expect(read.body.data.customer).toEqual({ metafield: { jsonValue: { tier: "gold" } }, metafields: { nodes: [{ key: "membership" }] } });
  });

  it("resolves $app:<name> to app--<client id>--<name>", async () => {
    const customer = simulator.state.addCustomer(shop, {});
    const ownerId = `gid://shopify/Customer/${customer.id}`;
    const set = await graphql(SET_METAFIELDS, { metafields: [{ ownerId, namespace: "$app:care", key: "stage", type: "single_line_text_field", value: "loyal" }] });
    expect(set.body.data.metafieldsSet.metafields[0].namespace).toBe("app--test-api-key--care");
    const read = await graphql(`query { customer(id: "${ownerId}") { metafield(namespace: "$app:care", key: "stage") { value } } }`);
    expect(read.body.data.customer.metafield).toEqual({ value: "loyal" });
  });

  it("refuses more than 25 metafields in one metafieldsSet, and writes none", async () => {
    const customer = simulator.state.addCustomer(shop, {});
    const metafields = Array.from({ length: 26 }, (_, i) => ({ ownerId: `gid://shopify/Customer/${customer.id}`, namespace: "$app", key: `k${i}`, type: "single_line_text_field", value: "v" }));
    const { body } = await graphql(SET_METAFIELDS, { metafields });
    expect(body.data.metafieldsSet.userErrors).toEqual([{ field: ["metafields"], code: "LESS_THAN_OR_EQUAL_TO", message: "Exceeded the maximum metafields input limit of 25." }]);
    expect([...simulator.state.shop(shop).metafields.values()].filter((m) => m.ownerId.endsWith(`/${customer.id}`))).toEqual([]);
  });

  it("writes nothing when one input is invalid or stale (compare-and-set)", async () => {
    const customer = simulator.state.addCustomer(shop, {});
    const ownerId = `gid://shopify/Customer/${customer.id}`;
    const first = await graphql(SET_METAFIELDS, { metafields: [{ ownerId, key: "tier", type: "single_line_text_field", value: "silver", compareDigest: null }] });
    const digest = first.body.data.metafieldsSet.metafields[0].compareDigest;

    const stale = await graphql(SET_METAFIELDS, {
      metafields: [
        { ownerId, key: "tier", value: "gold", compareDigest: "not-the-digest" },
        { ownerId, key: "points", type: "number_integer", value: "12" },
      ],
    });
    expect(stale.body.data.metafieldsSet.userErrors).toEqual([{ field: ["metafields", "0", "compareDigest"], code: "STALE_OBJECT", message: expect.stringContaining("updated since it was loaded") }]);
    const badValue = await graphql(SET_METAFIELDS, { metafields: [{ ownerId, key: "points", type: "number_integer", value: "twelve" }] });
    expect(badValue.body.data.metafieldsSet.userErrors[0]).toMatchObject({ field: ["metafields", "0", "value"], code: "INVALID_VALUE" });
    expect([...simulator.state.shop(shop).metafields.values()].filter((m) => m.ownerId === ownerId).map((m) => [m.key, m.value])).toEqual([["tier", "silver"]]);

    const fresh = await graphql(SET_METAFIELDS, { metafields: [{ ownerId, key: "tier", value: "gold", compareDigest: digest }] });
    expect(fresh.body.data.metafieldsSet).toMatchObject({ metafields: [{ value: "gold" }], userErrors: [] });
  });

  it("adds and removes customer tags, case-insensitively, from a list or a comma-separated string", async () => {
    const customer = simulator.state.addCustomer(shop, { tags: ["VIP"] });
    const id = `gid://shopify/Customer/${customer.id}`;
    now += 5000;
    const added = await graphql("mutation Tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { ... on Customer { tags } } userErrors { message } } }", { id, tags: ["vip, Member: Gold", "care"] });
    expect(added.body.data.tagsAdd).toEqual({ node: { tags: ["care", "Member: Gold", "VIP"] }, userErrors: [] });
    expect(Date.parse(simulator.state.shop(shop).customers.get(customer.id)!.updatedAt)).toBe(Math.floor(now / 1000) * 1000);
    await graphql("mutation Untag($id: ID!) { tagsRemove(id: $id, tags: [\"CARE\"]) { userErrors { message } } }", { id });
    expect(simulator.state.shop(shop).customers.get(customer.id)!.tags).toEqual(["Member: Gold", "VIP"]);
  });
});

describe("cost and throttling", () => {
  const domain = "busy.myshopify.com";
  let busy: StoreSimulator;
  const call = (query: string) =>
    fetch(`${busy.url}/shops/${domain}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query }),
    }).then((response) => response.json() as Promise<{ data?: Loose; errors?: Loose; extensions?: Loose }>);

  beforeAll(async () => {
    busy = await startStoreSimulator({ bucketSize: 100, restoreRate: 10, clock: () => now });
    busy.addShop({ shop: domain, accessToken: token });
    for (let i = 0; i < 60; i++) busy.state.addCustomer(domain, {});
  });
  afterAll(() => busy.close());

  it("throttles a request the bucket cannot pay for, without executing it, and serves it once the bucket has refilled", async () => {
    const sixty = "query { customers(first: 60) { nodes { id } } }";
    now += 60_000; // a full bucket, whatever ran before
    const first = await call(sixty);
    expect(first.extensions.cost).toEqual({ requestedQueryCost: 62, actualQueryCost: 62, throttleStatus: { maximumAvailable: 100, currentlyAvailable: 38, restoreRate: 10 } });

    const second = await call(sixty);
    expect(second.data).toBeUndefined();
    expect(second.errors).toEqual([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }]);
    expect(second.extensions.cost).toMatchObject({ requestedQueryCost: 62, actualQueryCost: null, throttleStatus: { currentlyAvailable: 38 } });

    now += 2400; // 24 points at 10 per second: 62 available again
    expect((await call(sixty)).data.customers.nodes).toHaveLength(60);
  });

  it("charges what a short page actually cost and refunds the rest", async () => {
    now += 60_000; // a full bucket, whatever ran before
    const { extensions } = await call('query { customers(first: 50, query: "id:<0") { nodes { id } } }');
    expect(extensions.cost).toMatchObject({ requestedQueryCost: 52, actualQueryCost: 2, throttleStatus: { currentlyAvailable: 98 } });
  });

  it("rejects a query above the single-query maximum cost", async () => {
    const { errors, data } = await call("query { customers(first: 250) { nodes { metafields(first: 10) { nodes { id } } } } }");
    expect(data).toBeUndefined();
    expect(errors[0]).toMatchObject({ message: expect.stringContaining("exceeds the single query max cost limit (1000)"), extensions: { code: "MAX_COST_EXCEEDED", cost: 3252, maxCost: 1000 } });
  });
});
