// Basic code discounts as the app creates them for staff rewards (issue 10):
// created with the app's own documents, refused with Shopify's userErrors, and
// read back by code, id and node; redeemed at a checkout only by its customer,
// once; deactivated (issue 17).
import { CREATE_REWARD_CODE, DEACTIVATE_REWARD_CODE, REWARD_CODE_BY_CODE } from "~/graphql/rewards";
import { startStoreSimulator, type StoreSimulator } from "./admin-api";
import { redeemCodeDiscount } from "./resolvers/code-discounts";

const shop = "code-shop.myshopify.com";
let simulator: StoreSimulator;
let ava: string;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => Date.parse("2026-11-20T08:00:00Z") });
  simulator.addShop({ shop, accessToken: "shpat_code" });
  ava = simulator.state.addCustomer(shop, { email: "ava@example.com" }).id;
});
afterAll(() => simulator.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions say what the body holds
async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(`${simulator.url}/shops/${shop}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_code" },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const input = (overrides: Record<string, unknown> = {}) => ({
  title: "Reward for Ava",
  code: "MC-ABCDEFGH",
  context: { customers: { add: [`gid://shopify/Customer/${ava}`] } },
  customerGets: { value: { percentage: 0.15 }, items: { all: true } },
  startsAt: "2026-11-20T08:00:00Z",
  endsAt: "2026-12-20T08:00:00Z",
  usageLimit: 1,
  appliesOncePerCustomer: true,
  ...overrides,
});

it("creates a single-use code for one customer with its expiry, and reads it back by code whatever its case", async () => {
  const created = (await graphql(CREATE_REWARD_CODE, { discount: input() })).data.discountCodeBasicCreate;
  expect(created.userErrors).toEqual([]);
  expect(created.codeDiscountNode.codeDiscount).toEqual({ status: "ACTIVE", startsAt: "2026-11-20T08:00:00Z", endsAt: "2026-12-20T08:00:00Z", usageLimit: 1, appliesOncePerCustomer: true });

  const read = (await graphql(REWARD_CODE_BY_CODE, { code: "mc-abcdefgh" })).data.codeDiscountNodeByCode;
  expect(read.id).toBe(created.codeDiscountNode.id);
  expect(read.codeDiscount.context).toEqual({ customers: [{ id: `gid://shopify/Customer/${ava}` }] });
  expect(read.codeDiscount.customerGets.value).toEqual({ percentage: 0.15 });
  const node = (await graphql(`query($id: ID!) { node(id: $id) { ... on DiscountCodeNode { codeDiscount { ... on DiscountCodeBasic { title codes(first: 1) { nodes { code } } } } } } }`, { id: read.id })).data.node;
  expect(node.codeDiscount).toEqual({ title: "Reward for Ava", codes: { nodes: [{ code: "MC-ABCDEFGH" }] } });
  expect((await graphql(REWARD_CODE_BY_CODE, { code: "MC-NOPE" })).data.codeDiscountNodeByCode).toBeNull();
});

it("refuses a taken code, an unknown customer, a percentage over 1 and an end before the start, creating nothing", async () => {
  const before = simulator.state.shop(shop).codeDiscounts.size;
  const taken = (await graphql(CREATE_REWARD_CODE, { discount: input({ code: "mc-abcdefgh" }) })).data.discountCodeBasicCreate;
  expect(taken).toEqual({ codeDiscountNode: null, userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }] });
  const wrong = (
    await graphql(CREATE_REWARD_CODE, {
      discount: input({ code: "MC-OTHER234", context: { customers: { add: ["gid://shopify/Customer/1"] } }, customerGets: { value: { percentage: 15 }, items: { all: true } }, endsAt: "2026-11-01T00:00:00Z" }),
    })
  ).data.discountCodeBasicCreate;
  expect(wrong.userErrors.map((error: { code: string }) => error.code)).toEqual(["INVALID", "VALUE_OUTSIDE_RANGE", "END_DATE_BEFORE_START_DATE"]);
  expect(simulator.state.shop(shop).codeDiscounts.size).toBe(before);
});

it("takes a fixed amount in shop money", async () => {
  const created = (await graphql(CREATE_REWARD_CODE, { discount: input({ code: "MC-AMOUNT23", customerGets: { value: { discountAmount: { amount: "12.50", appliesOnEachItem: false } }, items: { all: true } } }) })).data
    .discountCodeBasicCreate;
  expect(created.userErrors).toEqual([]);
  const read = (await graphql(REWARD_CODE_BY_CODE, { code: "MC-AMOUNT23" })).data.codeDiscountNodeByCode;
  expect(read.codeDiscount.customerGets.value).toEqual({ amount: { amount: "12.5", currencyCode: "USD" }, appliesOnEachItem: false });
});

it("lets only its customer redeem a single-use code, once, and none after it is deactivated", async () => {
  const ben = simulator.state.addCustomer(shop, { email: "ben@example.com" }).id;
  const now = Date.parse("2026-11-20T09:00:00Z");
  const made = (await graphql(CREATE_REWARD_CODE, { discount: input({ code: "MC-ONCE2345" }) })).data.discountCodeBasicCreate.codeDiscountNode;
  expect(redeemCodeDiscount(simulator.state.shop(shop), "mc-once2345", ben, now)).toEqual({ ok: false, reason: "not for this customer" });
  expect(redeemCodeDiscount(simulator.state.shop(shop), "MC-ONCE2345", ava, now)).toMatchObject({ ok: true });
  expect(redeemCodeDiscount(simulator.state.shop(shop), "MC-ONCE2345", ava, now)).toEqual({ ok: false, reason: "used up" });

  const unused = (await graphql(CREATE_REWARD_CODE, { discount: input({ code: "MC-UNUSED23", usageLimit: 5, appliesOncePerCustomer: false }) })).data.discountCodeBasicCreate.codeDiscountNode;
  const deactivated = (await graphql(DEACTIVATE_REWARD_CODE, { id: unused.id })).data.discountCodeDeactivate;
  expect(deactivated).toEqual({ codeDiscountNode: { id: unused.id, codeDiscount: { status: "EXPIRED", endsAt: "2026-11-20T08:00:00Z" } }, userErrors: [] });
  expect(redeemCodeDiscount(simulator.state.shop(shop), "MC-UNUSED23", ava, now)).toEqual({ ok: false, reason: "expired" });
  expect(made.id).not.toBe(unused.id);

  const missing = (await graphql(DEACTIVATE_REWARD_CODE, { id: "gid://shopify/DiscountCodeNode/1" })).data.discountCodeDeactivate;
  expect(missing).toMatchObject({ codeDiscountNode: null, userErrors: [{ field: ["id"] }] });
});
