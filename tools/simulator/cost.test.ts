// Shopify's cost rules on the real schema, and the leaky bucket over a moved clock.
import { getOperationAST, parse } from "graphql";
import { loadAdminSchema } from "../shopify-schema";
import { LeakyBucket, requestedQueryCost } from "./cost";

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const fragments = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === "FragmentDefinition" ? [[d.name.value, d]] : [])));
  return requestedQueryCost(loadAdminSchema(), getOperationAST(document)!, fragments, variables);
}

it.each([
  ["an object with scalars", "{ shop { name currencyCode } }", 1],
  ["a connection through edges { node }", "{ customers(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }", 12],
  ["the same connection through nodes", "{ customers(first: 10) { nodes { id } } }", 12],
  ["a page size from a variable", "query ($n: Int) { customers(first: $n) { nodes { id } } }", 22],
  ["nested connections, multiplied", "{ customers(first: 10) { nodes { metafields(first: 5) { nodes { value } } } } }", 82],
  ["an interface: its costliest branch", '{ node(id: "gid://shopify/Customer/1") { id ... on Customer { amountSpent { amount } } ... on Order { lineItems(first: 5) { nodes { id } } } } }', 8],
  ["fragments, counted where they apply", "query { customers(first: 2) { nodes { ...Member } } } fragment Member on Customer { defaultEmailAddress { emailAddress } }", 6],
  ["a mutation field", 'mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["VIP"]) { userErrors { message } } }', 11],
])("%s costs as Shopify calculates", (_case, query, expected) => {
  expect(cost(query, { n: 20 })).toBe(expected);
});

it("the bucket refuses what it cannot pay, restores at its rate, and never beyond its size", () => {
  let now = 0;
  const bucket = new LeakyBucket(100, 50, () => now);
  expect(bucket.take(80)).toBe(true);
  expect(bucket.take(30)).toBe(false);
  expect(bucket.status()).toEqual({ maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 50 });
  now += 200; // 10 points
  expect(bucket.take(30)).toBe(true);
  now += 60_000;
  expect(bucket.status().currentlyAvailable).toBe(100);
});
