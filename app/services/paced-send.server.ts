// Mutations sent at the pace Shopify's throttle allows: each answer's cost
// extension says how full the bucket is, and a call that the bucket cannot pay
// for is not sent; the caller puts its outbox effect off instead.
import { isThrottled, waitForPointsMs, type AdminAnswer, type AdminClient, type ThrottleStatus } from "./admin-client.server";

/** One step of an outbox effect: finished, or to be resumed at a time. */
export type PassResult = { status: "done"; written: number } | { status: "later"; at: Date; written: number; reason: string };

/** Shopify charges 10 points per mutation field; the real figure is learnt from the first answer. */
const MUTATION_COST = 10;

export interface Pacer {
  status?: ThrottleStatus;
  calls: number;
  /** Each document's requested cost, as Shopify reported it. */
  costs: Map<string, number>;
}

export const newPacer = (): Pacer => ({ calls: 0, costs: new Map() });

/** Sends one mutation unless the bucket says wait; returns the wait instead when it must not be sent now. */
export async function send<T>(client: AdminClient, pacer: Pacer, query: string, variables: Record<string, unknown>): Promise<{ answer: AdminAnswer<T> } | { waitMs: number; reason: string }> {
  const cost = pacer.costs.get(query) ?? MUTATION_COST;
  const waitMs = waitForPointsMs(pacer.status, cost);
  if (waitMs > 0) return { waitMs, reason: `throttle: waiting ${waitMs} ms for ${cost} points` };
  const answer = await client.request<T>(query, variables);
  pacer.calls++;
  pacer.status = answer.extensions?.cost?.throttleStatus ?? pacer.status;
  if (answer.extensions?.cost) pacer.costs.set(query, answer.extensions.cost.requestedQueryCost);
  if (isThrottled(answer)) return { waitMs: Math.max(1000, waitForPointsMs(pacer.status, pacer.costs.get(query) ?? cost)), reason: "THROTTLED by Shopify" };
  if (answer.errors?.length) throw new Error(`Shopify refused the request: ${answer.errors.map((error) => error.message).join("; ")}`);
  return { answer };
}

