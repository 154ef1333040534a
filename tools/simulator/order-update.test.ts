// orderUpdate in the simulator (issue 10's packing notes): the note and tags
// are kept and read back, `tags` replaces the order's tags (duplicates in any
// case dropped), an absent field is left as it was, an unknown order is a
// userError, and the document is checked against the real schema.
import { startStoreSimulator, type StoreSimulator } from "./admin-api";

const shop = "notes.myshopify.com";
const token = "shpat_notes";
let simulator: StoreSimulator;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => Date.parse("2026-11-02T08:00:00Z") });
  simulator.addShop({ shop, accessToken: token, name: "Notes", ianaTimezone: "UTC", currencyCode: "USD" });
});
afterAll(() => simulator.close());

async function graphql(query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${simulator.url}/shops/${shop}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (await response.json()) as { data?: any; errors?: Array<{ message: string }> };
}

const UPDATE = "mutation Update($input: OrderInput!) { orderUpdate(input: $input) { order { id note tags } userErrors { field message } } }";

it("keeps the note and tags orderUpdate writes, replacing the tags and leaving absent fields alone", async () => {
  const order = simulator.state.addOrder(shop, { note: "Leave at the door", tags: ["wholesale"] });
  const id = `gid://shopify/Order/${order.id}`;
  const first = await graphql(UPDATE, { input: { id, note: "Leave at the door\nGift: tote", tags: ["wholesale", "MemberCare gift", "memberCARE gift"] } });
  expect(first.data.orderUpdate).toEqual({ order: { id, note: "Leave at the door\nGift: tote", tags: ["MemberCare gift", "wholesale"] }, userErrors: [] });
  const second = await graphql(UPDATE, { input: { id, tags: ["vip"] } });
  expect(second.data.orderUpdate.order).toEqual({ id, note: "Leave at the door\nGift: tote", tags: ["vip"] });
  const read = await graphql("query Read($id: ID!) { order(id: $id) { note tags } }", { id });
  expect(read.data.order).toEqual({ note: "Leave at the door\nGift: tote", tags: ["vip"] });
});

it("answers an unknown order with a userError and a document Shopify would refuse with errors", async () => {
  const missing = await graphql(UPDATE, { input: { id: "gid://shopify/Order/999999", note: "x" } });
  expect(missing.data.orderUpdate).toEqual({ order: null, userErrors: [{ field: ["id"], message: "Order does not exist" }] });
  const invalid = await graphql("mutation { orderUpdate(input: { id: \"gid://shopify/Order/1\", giftNote: \"x\" }) { userErrors { message } } }", {});
  expect(invalid.errors?.length).toBeGreaterThan(0);
});
