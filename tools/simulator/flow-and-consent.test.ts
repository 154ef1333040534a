// Flow triggers and marketing consent updates, answered as Shopify answers them
// (documents checked against the 2026-10 schema) and kept in the store's state.
import { startStoreSimulator, type StoreSimulator } from "./admin-api";

const shop = "flow-shop.myshopify.com";
let simulator: StoreSimulator;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => Date.parse("2026-11-20T08:00:00Z") });
  simulator.addShop({ shop, accessToken: "shpat_flow" });
});
afterAll(() => simulator.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions say what the body holds
async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(`${simulator.url}/shops/${shop}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_flow" },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const TRIGGER = `mutation Trigger($handle: String!, $payload: JSON!) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;

it("starts a Flow trigger the app deployed, with its payload, and refuses one it did not", async () => {
  const payload = { "Customer ID": 800_001, "Tier": "Gold" };
  expect((await graphql(TRIGGER, { handle: "member-tier-changed", payload })).data.flowTriggerReceive.userErrors).toEqual([]);
  expect(simulator.state.shop(shop).flowTriggers).toEqual([{ handle: "member-tier-changed", payload, receivedAt: "2026-11-20T08:00:00Z" }]);

  const unknown = await graphql(TRIGGER, { handle: "no-such-trigger", payload });
  expect(unknown.data.flowTriggerReceive.userErrors).toEqual([{ field: ["handle"], message: "Trigger 'no-such-trigger' was not found for this app" }]);
  expect(simulator.state.shop(shop).flowTriggers).toHaveLength(1);
  // A misspelt field fails Shopify's schema, so it fails here too.
  expect((await graphql(`mutation { flowTriggerReceive(handel: "x") { userErrors { message } } }`)).errors[0].message).toMatch(/handel/);
});

const EMAIL = `mutation Unsubscribe($input: CustomerEmailMarketingConsentUpdateInput!) {
  customerEmailMarketingConsentUpdate(input: $input) { customer { id defaultEmailAddress { marketingState } } userErrors { field message code } }
}`;
const SMS = `mutation SmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {
  customerSmsMarketingConsentUpdate(input: $input) { customer { id defaultPhoneNumber { marketingState } } userErrors { field message code } }
}`;

it("records an unsubscribe in the customer's consent, and refuses a channel the customer has no address for", async () => {
  const customer = simulator.state.addCustomer(shop, { email: "ava@example.com", emailMarketingState: "SUBSCRIBED" });
  const id = `gid://shopify/Customer/${customer.id}`;
  const answer = await graphql(EMAIL, { input: { customerId: id, emailMarketingConsent: { marketingState: "UNSUBSCRIBED", consentUpdatedAt: "2026-11-20T08:00:00Z" } } });
  expect(answer.data.customerEmailMarketingConsentUpdate).toEqual({ customer: { id, defaultEmailAddress: { marketingState: "UNSUBSCRIBED" } }, userErrors: [] });
  expect(simulator.state.shop(shop).customers.get(customer.id)!.emailMarketingState).toBe("UNSUBSCRIBED");

  const noPhone = await graphql(SMS, { input: { customerId: id, smsMarketingConsent: { marketingState: "UNSUBSCRIBED" } } });
  expect(noPhone.data.customerSmsMarketingConsentUpdate.userErrors[0]).toMatchObject({ field: ["input", "smsMarketingConsent"], message: "A phone number is required to set the SMS consent state." });
  const missing = await graphql(EMAIL, { input: { customerId: "gid://shopify/Customer/1", emailMarketingConsent: { marketingState: "UNSUBSCRIBED" } } });
  expect(missing.data.customerEmailMarketingConsentUpdate.userErrors[0].message).toBe("Customer not found");
});
