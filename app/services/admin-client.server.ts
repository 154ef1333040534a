/**
 * The Admin GraphQL client background work uses (outbox effects, backfills),
 * built on graphql-request (the design card's client). It returns Shopify's
 * whole answer, cost extension included, instead of throwing on `errors` the
 * way the request-bound client does: the caller must see THROTTLED and the
 * bucket's state to pace itself
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). Hence
 * graphql-request's error policy "all": with its default ("none") an answer
 * with errors is thrown and the cost extension goes with it.
 */
import { ClientError, GraphQLClient } from "graphql-request";
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
      // Whether the answer's headers came: a failure after them is an answer cut off, not an unreachable shop.
      let answered = false;
      const client = new GraphQLClient(endpoint, {
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-Shopify-Access-Token": accessToken },
        errorPolicy: "all",
        // globalThis.fetch read at each call, as before (tests and the demo route shop domains by replacing it).
        fetch: async (input, init) => {
          const response = await globalThis.fetch(input, init);
          answered = true;
          return response;
        },
      });
      // One signal per call: the deadline covers the request and the body graphql-request reads after the headers.
      const signal = deadlineSignal(deadline);
      try {
        const answer = await client.rawRequest<T>({ query, variables, signal });
        return { data: answer.data ?? undefined, errors: answer.errors, extensions: answer.extensions } as AdminAnswer<T>;
      } catch (error) {
        // A non-2xx status (graphql-request throws those whatever the error policy): a refusal at the HTTP level.
        if (error instanceof ClientError) throw new AdminRequestError(`Admin API answered ${error.response.status} for ${shop}: ${(error.response.body ?? "").slice(0, 300)}`, { cause: error });
        if (isTimeout(error)) {
          const timeout = new CallTimeoutError(`Admin API for ${shop}`, deadline);
          throw new AdminRequestError(timeout.message, { cause: timeout });
        }
        throw new AdminRequestError(`${answered ? "Admin API answer cut off" : "Admin API unreachable"} for ${shop}: ${(error as Error).message}`, { cause: error });
      }
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
