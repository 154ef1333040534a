// Mutations sent at the pace Shopify's throttle allows: each answer's cost
// extension says how full the bucket is, and a call that the bucket cannot pay
// for is not sent; the caller puts its outbox effect off instead.
import { isThrottled, waitForPointsMs, type AdminAnswer, type AdminClient, type ThrottleStatus } from "./admin-client.server";

/** One step of an outbox effect: finished, or to be resumed at a time. */
export type PassResult = { status: "done"; written: number } | { status: "later"; at: Date; written: number; reason: string };

/** Shopify charges 10 points per mutation field; the real figure is learnt from the first answer. */
const MUTATION_COST = 10;

export interface Pacer {
  shop: string;
  /** The pass's time: what the bucket held is projected to it. */
  now: number;
  status?: ThrottleStatus;
  calls: number;
  /** Each document's requested cost, as Shopify reported it. */
  costs: Map<string, number>;
}

/**
 * What each shop's bucket held when this process last heard, and when: one
 * effect's pass drains the bucket that the next effect of the same shop (a
 * sync of another kind, in the same drain) would otherwise call into blind.
 */
const lastHeard = new Map<string, { status: ThrottleStatus; at: number }>();

/** The bucket as it should be at `now`: refilled at its restore rate since it was last heard of. */
function projected(shop: string, now: number): ThrottleStatus | undefined {
  const heard = lastHeard.get(shop);
  if (!heard || now < heard.at) return undefined;
  const { maximumAvailable, currentlyAvailable, restoreRate } = heard.status;
  return { maximumAvailable, restoreRate, currentlyAvailable: Math.min(maximumAvailable, currentlyAvailable + (restoreRate * (now - heard.at)) / 1000) };
}

export const newPacer = (shop: string, now: Date): Pacer => ({ shop, now: now.getTime(), status: projected(shop, now.getTime()), calls: 0, costs: new Map() });

/** Sends one mutation unless the bucket says wait; returns the wait instead when it must not be sent now. */
export async function send<T>(client: AdminClient, pacer: Pacer, query: string, variables: Record<string, unknown>): Promise<{ answer: AdminAnswer<T> } | { waitMs: number; reason: string }> {
  const cost = pacer.costs.get(query) ?? MUTATION_COST;
  const waitMs = waitForPointsMs(pacer.status, cost);
  if (waitMs > 0) return { waitMs, reason: `throttle: waiting ${waitMs} ms for ${cost} points` };
  const answer = await client.request<T>(query, variables);
  pacer.calls++;
  pacer.status = answer.extensions?.cost?.throttleStatus ?? pacer.status;
  if (pacer.status) lastHeard.set(pacer.shop, { status: pacer.status, at: pacer.now });
  if (answer.extensions?.cost) pacer.costs.set(query, answer.extensions.cost.requestedQueryCost);
  if (isThrottled(answer)) return { waitMs: Math.max(1000, waitForPointsMs(pacer.status, pacer.costs.get(query) ?? cost)), reason: "THROTTLED by Shopify" };
  if (answer.errors?.length) throw new Error(`Shopify refused the request: ${answer.errors.map((error) => error.message).join("; ")}`);
  return { answer };
}

