// The account page's query, checked against Shopify's Customer Account API
// schema, and what the page makes of the API's answers.
//
// tests/schemas/customer_2026-07.json.gz is Shopify's published introspection
// of that API, taken unchanged from the npm package @shopify/dev-mcp@1.16.0
// (dist/data/), like the Admin schema in shopify-schemas/.
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate } from "graphql";
import { EXTENSION_DIR, goldMember } from "../tests/support";
import { CUSTOMER_ACCOUNT_API_VERSION, fetchMembershipValue, MEMBERSHIP_QUERY, type AccountValues } from "./customer-account-api";

const schemaFile = path.join(EXTENSION_DIR, "tests/schemas", `customer_${CUSTOMER_ACCOUNT_API_VERSION}.json.gz`);

it("asks only for what the schema of the API version it calls offers", () => {
  const introspection = JSON.parse(gunzipSync(fs.readFileSync(schemaFile)).toString("utf8"));
  const schema = buildClientSchema(introspection.data ?? introspection);
  expect(validate(schema, parse(MEMBERSHIP_QUERY)).map((error) => error.message)).toEqual([]);
  // The same check catches a field Shopify does not have.
  expect(validate(schema, parse(MEMBERSHIP_QUERY.replace("value", "jsonValueText")))).not.toHaveLength(0);
  // The shop's program is asked for in the same request, on the shop.
  expect(MEMBERSHIP_QUERY).toMatch(/shop \{\s*metafield\(namespace: "\$app", key: "program"\)/);
});

type Answer = { ok: boolean; status: number; body: unknown };
function fakeFetch(answer: Answer) {
  const calls: Array<{ url: string; init: { method: string; headers: Record<string, string>; body: string } }> = [];
  const fetch = async (url: string, init: { method: string; headers: Record<string, string>; body: string }) => {
    calls.push({ url, init });
    return { ok: answer.ok, status: answer.status, json: async () => answer.body };
  };
  return { fetch, calls };
}

it("posts the query to the Customer Account API of the extension's version", async () => {
  const { fetch, calls } = fakeFetch({ ok: true, status: 200, body: { data: { customer: { metafield: null } } } });
  await fetchMembershipValue(fetch);
  expect(calls).toEqual([
    {
      url: "shopify://customer-account/api/2026-07/graphql.json",
      init: { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query: MEMBERSHIP_QUERY }) },
    },
  ]);
});

const program = '{"v":1}';
it.each<[string, Answer, AccountValues]>([
  ["a member: the metafield's JSON text", { ok: true, status: 200, body: { data: { customer: { metafield: { value: JSON.stringify(goldMember()) } }, shop: { metafield: null } } } }, { membership: JSON.stringify(goldMember()), program: null }],
  ["a customer without the metafield", { ok: true, status: 200, body: { data: { customer: { metafield: null }, shop: { metafield: null } } } }, { membership: null, program: null }],
  ["the shop's published program beside the membership", { ok: true, status: 200, body: { data: { customer: { metafield: null }, shop: { metafield: { value: program } } } } }, { membership: null, program }],
])("returns %s", async (_, answer, expected) => {
  await expect(fetchMembershipValue(fakeFetch(answer).fetch)).resolves.toEqual(expected);
});

it.each<[string, Answer]>([
  ["an HTTP error", { ok: false, status: 503, body: null }],
  ["GraphQL errors", { ok: true, status: 200, body: { errors: [{ message: "Throttled" }] } }],
  ["no customer in the answer", { ok: true, status: 200, body: { data: { customer: null } } }],
  ["a body that is not an object", { ok: true, status: 200, body: null }],
])("throws on %s, so the page does not mistake a failure for a non-member", async (_, answer) => {
  await expect(fetchMembershipValue(fakeFetch(answer).fetch)).rejects.toThrow();
});
