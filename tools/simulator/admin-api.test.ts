// The simulator must answer like Shopify: real-schema validation, state,
// cost and throttling. And the app's own Admin API path must reach it.
import db from "~/db.server";
import { startStoreSimulator, type StoreSimulator } from "./admin-api";
import { installShopRouting } from "./route-shop-domains";

const shop = "sim-shop.myshopify.com";
const token = "shpat_simulated";
let now = 1_700_000_000_000;
let simulator: StoreSimulator;

beforeAll(async () => {
  simulator = await startStoreSimulator({ bucketSize: 200, restoreRate: 50, clock: () => now });
  simulator.addShop({ shop, accessToken: token, name: "Sim Shop", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", locales: ["zh-CN", "en"] });
});
afterAll(() => simulator.close());

// Response bodies are read loosely: the assertions say what they must contain.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

async function graphql(query: string, variables: Record<string, unknown> = {}, accessToken = token) {
  const response = await fetch(`${simulator.url}/shops/${shop}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Loose; errors?: Loose; extensions?: Loose } };
}

it("answers a valid query from its state, with Shopify's cost extension", async () => {
  const { body } = await graphql("query { shop { name ianaTimezone currencyCode } shopLocales(published: true) { locale primary } }");
  expect(body.data).toEqual({ shop: { name: "Sim Shop", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY" }, shopLocales: [{ locale: "zh-CN", primary: true }, { locale: "en", primary: false }] });
  expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 2, actualQueryCost: 2, throttleStatus: { maximumAvailable: 200, restoreRate: 50 } });
});

it("rejects a document that is invalid against the real 2026-10 schema", async () => {
  const { status, body } = await graphql("query { shop { nmae } }");
  expect(status).toBe(200);
  expect(body.data).toBeUndefined();
  expect(body.errors[0].message).toBe('Cannot query field "nmae" on type "Shop". Did you mean "name"?');
});

it("refuses a wrong access token with 401", async () => {
  const { status, body } = await graphql("query { shop { name } }", {}, "shpat_wrong");
  expect(status).toBe(401);
  expect(body.errors).toMatch(/Invalid API key or access token/);
});

it("stores metafields in the app's reserved namespace and reads them back through $app", async () => {
  const customer = simulator.state.addCustomer(shop, { firstName: "Li", lastName: "Na", email: "li@example.com" });
  expect(BigInt(customer.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  const ownerId = `gid://shopify/Customer/${customer.id}`;
  const set = await graphql(
    `mutation Set($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { metafields { namespace key value } userErrors { field message code } } }`,
    { metafields: [{ ownerId, namespace: "$app", key: "membership", type: "json", value: '{"tier":"gold"}' }] },
  );
  expect(set.body.data.metafieldsSet).toEqual({ metafields: [{ namespace: "app--test-api-key", key: "membership", value: '{"tier":"gold"}' }], userErrors: [] });
  const read = await graphql(`query Read($id: ID!) { customer(id: $id) { id displayName metafield(namespace: "$app", key: "membership") { jsonValue } } }`, { id: ownerId });
  expect(read.body.data.customer).toEqual({ id: ownerId, displayName: "Li Na", metafield: { jsonValue: { tier: "gold" } } });
});

it("refuses more than 25 metafields in one metafieldsSet, and writes none", async () => {
  const customer = simulator.state.addCustomer(shop, { email: "many@example.com" });
  const metafields = Array.from({ length: 26 }, (_, i) => ({ ownerId: `gid://shopify/Customer/${customer.id}`, namespace: "$app", key: `k${i}`, type: "single_line_text_field", value: "v" }));
  const { body } = await graphql(`mutation Set($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { code message } } }`, { metafields });
  expect(body.data.metafieldsSet.userErrors).toEqual([{ code: "LESS_THAN_OR_EQUAL_TO", message: "Exceeded the maximum metafields input limit of 25." }]);
  expect([...simulator.state.shop(shop).metafields.values()].filter((m) => m.ownerId.endsWith(customer.id))).toHaveLength(0);
});

it("throttles a request the bucket cannot pay for, and serves it once the bucket refills", async () => {
  const expensive = "query { customers(first: 30) { nodes { id metafields(first: 1) { nodes { id } } } } }";
  now += 60_000; // full bucket
  const first = await graphql(expensive);
  expect(first.body.errors).toBeUndefined();
  const cost = first.body.extensions.cost.requestedQueryCost;
  expect(cost).toBeGreaterThan(100);
  const second = await graphql(expensive);
  expect(second.body.errors[0].extensions.code).toBe("THROTTLED");
  expect(second.body.data).toBeUndefined();
  now += Math.ceil((cost / 50) * 1000);
  expect((await graphql(expensive)).body.errors).toBeUndefined();
});

it("rejects a query above the single-query maximum cost", async () => {
  const { body } = await graphql("query { customers(first: 250) { nodes { metafields(first: 250) { nodes { id } } } } }");
  expect(body.errors[0].extensions.code).toBe("MAX_COST_EXCEEDED");
});

it("fails loudly on a root field it does not implement", async () => {
  const { body } = await graphql("query { products(first: 1) { nodes { id } } }");
  expect(body.errors[0].message).toBe("store simulator does not implement Query.products");
});

it("is what the app's Admin API client reaches, through the shop routing", async () => {
  const uninstall = installShopRouting(simulator.url);
  try {
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: token, scope: "read_customers" } });
    const { unauthenticated } = await import("~/shopify.server");
    const { recordInstall } = await import("~/services/install.server");
    const { admin } = await unauthenticated.admin(shop);
    const saved = await recordInstall({ shop, scopes: "read_customers", admin });
    expect(saved).toMatchObject({ shop, name: "Sim Shop", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", primaryLocale: "zh-CN" });
    expect(simulator.requests.at(-1)).toMatchObject({ shop, operationName: "ShopSettings", status: "ok" });
  } finally {
    uninstall();
  }
});
