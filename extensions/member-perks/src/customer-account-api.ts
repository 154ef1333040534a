/**
 * The account page's one read. Full-page targets get no preloaded
 * `appMetafields` (only order-status targets do), so the page asks the
 * Customer Account API, which UI extensions reach through `fetch` on the
 * `shopify://customer-account` protocol with the session already attached:
 * the customer's `$app:membership` and the shop's `$app:program` (the
 * published tiers, for the line a customer without a tier reads), in one
 * request. Both definitions grant `access.customer_account = "read"`
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
  shop {
    metafield(namespace: "$app", key: "program") {
      value
    }
  }
}`;

type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** The metafields' JSON texts; null where there is none. */
export interface AccountValues {
  membership: string | null;
  program: string | null;
}

/**
 * The customer's membership (null when they have none) and the shop's program.
 * Throws when the API cannot answer, so the page says so instead of calling a
 * member a non-member.
 */
export async function fetchMembershipValue(fetchImpl: Fetch): Promise<AccountValues> {
  const response = await fetchImpl(`shopify://customer-account/api/${CUSTOMER_ACCOUNT_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: MEMBERSHIP_QUERY }),
  });
  if (!response.ok) throw new Error(`Customer Account API answered ${response.status}`);
  type Held = { metafield?: { value?: unknown } | null } | null;
  const body = (await response.json()) as { data?: { customer?: Held; shop?: Held }; errors?: unknown[] } | null;
  if (body?.errors?.length || !body?.data?.customer) throw new Error("Customer Account API returned no customer");
  const text = (held: Held | undefined) => (typeof held?.metafield?.value === "string" ? held.metafield.value : null);
  return { membership: text(body.data.customer), program: text(body.data.shop) };
}
