/**
 * The Admin GraphQL client background work uses (outbox effects, backfills).
 * It returns Shopify's whole answer, cost extension included, instead of
 * throwing on `errors` the way the request-bound client does: the caller must
 * see THROTTLED and the bucket's state to pace itself
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
 */
import { CallTimeoutError, callDeadlineMs, deadlineSignal, isTimeout } from "./call-deadlines.server";

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

/** A transport failure, a refusal at the HTTP level or no answer in time: worth retrying later. */
export class AdminRequestError extends Error {}

/**
 * `timeoutMs`: how long one request may take, the answer's body included
 * (default ADMIN_API_TIMEOUT_MS, app/services/call-deadlines.server.ts). A
 * request past it is abandoned and thrown as an AdminRequestError whose
 * message says "timed out after N s", so the caller retries it like any
 * other transient failure.
 */
export function createAdminClient({ shop, accessToken, apiVersion, timeoutMs }: { shop: string; accessToken: string; apiVersion: string; timeoutMs?: number }): AdminClient {
  const endpoint = `https://${shop}/admin/api/${apiVersion}/graphql.json`;
  const deadline = timeoutMs ?? callDeadlineMs("adminApi");
  return {
    shop,
    async request<T>(query: string, variables: Record<string, unknown> = {}) {
      let response: Response;
      const signal = deadlineSignal(deadline);
      const failure = (what: string, error: unknown) => {
        if (!isTimeout(error)) return new AdminRequestError(`${what} for ${shop}: ${(error as Error).message}`, { cause: error });
        const timeout = new CallTimeoutError(`Admin API for ${shop}`, deadline);
        return new AdminRequestError(timeout.message, { cause: timeout });
      };
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-Shopify-Access-Token": accessToken },
          body: JSON.stringify({ query, variables }),
          signal,
        });
      } catch (error) {
        throw failure("Admin API unreachable", error);
      }
      // The body is read under the same deadline: a server that sends headers and then stalls is no answer either.
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw failure("Admin API answer cut off", error);
      }
      if (!response.ok) throw new AdminRequestError(`Admin API answered ${response.status} for ${shop}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as AdminAnswer<T>;
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
