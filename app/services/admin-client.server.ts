/**
 * The Admin GraphQL client background work uses (outbox effects, backfills).
 * It returns Shopify's whole answer, cost extension included, instead of
 * throwing on `errors` the way the request-bound client does: the caller must
 * see THROTTLED and the bucket's state to pace itself
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface AdminAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  extensions?: { cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus } };
}

export interface AdminClient {
  shop: string;
  request<T>(query: string, variables?: Record<string, unknown>): Promise<AdminAnswer<T>>;
}

/** A transport failure or a refusal at the HTTP level: worth retrying later. */
export class AdminRequestError extends Error {}

export function createAdminClient({ shop, accessToken, apiVersion }: { shop: string; accessToken: string; apiVersion: string }): AdminClient {
  const endpoint = `https://${shop}/admin/api/${apiVersion}/graphql.json`;
  return {
    shop,
    async request<T>(query: string, variables: Record<string, unknown> = {}) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-Shopify-Access-Token": accessToken },
          body: JSON.stringify({ query, variables }),
        });
      } catch (error) {
        throw new AdminRequestError(`Admin API unreachable for ${shop}: ${(error as Error).message}`);
      }
      if (!response.ok) throw new AdminRequestError(`Admin API answered ${response.status} for ${shop}: ${(await response.text()).slice(0, 300)}`);
      return (await response.json()) as AdminAnswer<T>;
    },
  };
}

export const isThrottled = (answer: AdminAnswer<unknown>) => answer.errors?.some((error) => error.extensions?.code === "THROTTLED") ?? false;

/**
 * How long to wait before `cost` points are available, from the last answer's
 * throttle status (0 when they are there now).
 */
export function waitForPointsMs(status: ThrottleStatus | undefined, cost: number): number {
  if (!status || status.currentlyAvailable >= cost) return 0;
  return Math.ceil(((cost - status.currentlyAvailable) / status.restoreRate) * 1000);
}

/** Finds the offline Admin client for a shop (the production one comes from the app's session storage). */
export type AdminClientFor = (shop: string) => Promise<AdminClient>;
