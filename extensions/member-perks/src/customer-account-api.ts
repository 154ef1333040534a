/**
 * The account page's one read. Full-page targets get no preloaded
 * `appMetafields` (only order-status targets do), so the page asks the
 * Customer Account API, which UI extensions reach through `fetch` on the
 * `shopify://customer-account` protocol with the session already attached.
 * The metafield definition grants `access.customer_account = "read"`
 * (shopify.app.toml).
 */

/** Same as `api_version` in shopify.extension.toml (a test holds them together). */
export const CUSTOMER_ACCOUNT_API_VERSION = "2026-07";

/** Checked against Shopify's Customer Account API schema for that version in customer-account-api.test.ts. */
export const MEMBERSHIP_QUERY = `query MemberPerksMembership {
  customer {
    metafield(namespace: "$app", key: "membership") {
      value
    }
  }
}`;

type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/**
 * The metafield's JSON text, or null when the customer has none.
 * Throws when the API cannot answer, so the page says so instead of calling a
 * member a non-member.
 */
export async function fetchMembershipValue(fetchImpl: Fetch): Promise<string | null> {
  const response = await fetchImpl(`shopify://customer-account/api/${CUSTOMER_ACCOUNT_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: MEMBERSHIP_QUERY }),
  });
  if (!response.ok) throw new Error(`Customer Account API answered ${response.status}`);
  const body = (await response.json()) as { data?: { customer?: { metafield?: { value?: unknown } | null } | null }; errors?: unknown[] } | null;
  if (body?.errors?.length || !body?.data?.customer) throw new Error("Customer Account API returned no customer");
  const value = body.data.customer.metafield?.value;
  return typeof value === "string" ? value : null;
}
