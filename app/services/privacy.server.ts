import type { CustomerPrivacyRequest } from "~/domain/webhook-payloads";
import { webhookSubjects } from "~/domain/webhook-subjects";
import db from "~/db.server";
import { checkpointAfterErasure, collectCustomerData, deleteShopData, redactCustomer, saveDataRequest } from "~/models/privacy.server";
import { buriedDigests, buryCustomer, buryShop, erasedShops, tombstoneDigest } from "~/models/tombstones.server";
import type { InboxEventInput, ProjectionOutcome } from "~/domain/projection";

/**
 * customers/data_request: assemble everything the app holds on the customer and
 * keep it for the merchant (the ops CLI prints it; `npm run cli -- export`).
 */
export async function exportCustomer(shop: string, request: CustomerPrivacyRequest, now: Date) {
  const data = await collectCustomerData(shop, request.customerShopifyId, request.orderShopifyIds);
  const exported = { shop, customerShopifyId: request.customerShopifyId, requestedOrders: request.orderShopifyIds, exportedAt: now.toISOString(), ...data };
  await saveDataRequest(shop, { customerShopifyId: request.customerShopifyId, requestShopifyId: request.requestShopifyId, exported });
  return exported;
}

/**
 * customers/redact: the customer's data erased everywhere, a tombstone of them
 * and of their orders kept (one-way digests), and on SQLite the log
 * checkpointed so the old pages are gone from the files too.
 */
export async function eraseCustomer(shop: string, request: CustomerPrivacyRequest, now: Date) {
  const result = await redactCustomer(shop, request.customerShopifyId, request.orderShopifyIds, now);
  await buryCustomer(shop, request.customerShopifyId, result.orders, now);
  const checkpointed = await checkpointAfterErasure();
  return { orders: result.orders.length, inboxRowsScrubbed: result.inboxRowsScrubbed, checkpointed };
}

/** shop/redact: every row of the shop gone, a tombstone of the shop kept until it installs again. */
export async function eraseShop(shop: string, now: Date = new Date()) {
  const rows = await deleteShopData(shop);
  await buryShop(shop, now);
  const checkpointed = await checkpointAfterErasure();
  return { rows, checkpointed };
}

const ALWAYS_CARRIED_OUT = new Set(["customers/redact", "shop/redact"]);

/**
 * The erasure gate, before a batch is projected: erasure stays complete.
 *
 * The rule, with the not-installed gate in the inbox worker (which runs
 * first): a shop's webhooks are projected only while the app is installed, and
 * an erased shop is not installed until it installs again (afterAuth clears
 * its tombstone, app/services/install.server.ts). What that gate lets through
 * for a shop that is not installed are the compliance topics; for an erased
 * shop those find nothing to act on (shop/redact aside, which erases again),
 * so their rows are deleted here, leaving no row that names the shop.
 *
 * An event about an erased customer, or one of their erased orders, is
 * acknowledged and not projected: no member row re-created, no order re-linked
 * to them, and its body is scrubbed. Such an order is not stored anonymously
 * either: the anonymous row kept at erasure already counts in the shop's
 * figures, and a late update cannot be applied without showing whom it is
 * about again (docs/operations.md, "Erasure and retention"). A repeated
 * customers/redact is carried out again (it is idempotent).
 */
export async function screenErasedEvents(
  events: InboxEventInput[],
  // The projectors' reader of the bodies (throws on one that is not JSON): a batch's bodies are parsed once.
  readBody: (event: InboxEventInput) => unknown,
): Promise<{ project: InboxEventInput[]; outcomes: Map<number, ProjectionOutcome> }> {
  const outcomes = new Map<number, ProjectionOutcome>();
  if (events.length === 0) return { project: events, outcomes };
  const goneShops = await erasedShops(events.map((event) => event.shop));
  const dropped = events.filter((event) => goneShops.has(event.shop) && event.topic !== "shop/redact");
  if (dropped.length > 0) {
    await db.inboxEvent.deleteMany({ where: { shop: { in: [...goneShops] }, id: { in: dropped.map((event) => event.id) } } });
    for (const event of dropped) outcomes.set(event.id, { status: "skipped", note: "the shop was erased (shop/redact): dropped" });
  }
  const rest = events.filter((event) => !outcomes.has(event.id));
  const digests = new Map<number, string[]>();
  for (const event of rest) {
    if (ALWAYS_CARRIED_OUT.has(event.topic)) continue;
    let body: unknown;
    try {
      body = readBody(event);
    } catch {
      continue; // the projector reports it
    }
    const subjects = webhookSubjects(event.topic, body);
    digests.set(event.id, [
      ...(subjects.customerShopifyId ? [tombstoneDigest("customer", event.shop, subjects.customerShopifyId)] : []),
      ...subjects.orderShopifyIds.map((id) => tombstoneDigest("order", event.shop, id)),
    ]);
  }
  const buried = await buriedDigests([...digests.values()].flat());
  for (const [id, own] of digests) {
    if (own.some((digest) => buried.has(digest))) outcomes.set(id, ERASED_SUBJECT);
  }
  return { project: rest.filter((event) => !outcomes.has(event.id)), outcomes };
}

const ERASED_SUBJECT: ProjectionOutcome = {
  status: "skipped",
  note: "about an erased customer (customers/redact): not projected",
  subjectCustomerId: null,
  subjectOrderId: null,
  scrubBody: true,
};

/**
 * After a batch, before its outcomes are recorded and its members refreshed.
 * A customers/redact in the batch comes after the batch's order events
 * (projectors apply orders first); with several workers, another one may
 * erase a customer or shop while this batch was being projected, after the
 * gate above let it through. Either way: the outcomes must not write the
 * erased customer's id back onto their inbox rows, the member refresh that
 * follows must not recompute (recreate) them, and what this batch wrote about
 * them is erased again (erasure is idempotent), so the last writer cleans up.
 */
export async function forgetErasedInBatch(
  events: InboxEventInput[],
  outcomes: Map<number, ProjectionOutcome>,
  factsChanged: Map<string, Set<string>>,
  now: Date,
): Promise<void> {
  if (events.length === 0) return;
  const wrote = (event: InboxEventInput) => outcomes.get(event.id)?.status === "done" && !ALWAYS_CARRIED_OUT.has(event.topic);
  let erasedAgain = false;
  for (const shop of await erasedShops(events.map((event) => event.shop))) {
    factsChanged.delete(shop);
    if (events.some((event) => event.shop === shop && wrote(event))) {
      await deleteShopData(shop);
      erasedAgain = true;
    }
  }
  const digestOf = (shop: string, customer: string) => tombstoneDigest("customer", shop, customer);
  const candidates = [...factsChanged].flatMap(([shop, customers]) => [...customers].map((customer) => digestOf(shop, customer)));
  for (const event of events) {
    const outcome = outcomes.get(event.id);
    if (outcome?.subjectCustomerId) candidates.push(digestOf(event.shop, outcome.subjectCustomerId));
  }
  const buried = await buriedDigests(candidates);
  if (buried.size === 0) {
    if (erasedAgain) await checkpointAfterErasure();
    return;
  }
  const again = new Map<string, Set<string>>();
  const redo = (shop: string, customer: string) => again.set(shop, (again.get(shop) ?? new Set()).add(customer));
  for (const [shop, customers] of factsChanged) {
    for (const customer of customers) {
      if (!buried.has(digestOf(shop, customer))) continue;
      customers.delete(customer);
      redo(shop, customer);
    }
  }
  for (const event of events) {
    const outcome = outcomes.get(event.id);
    if (!outcome?.subjectCustomerId || !buried.has(digestOf(event.shop, outcome.subjectCustomerId))) continue;
    if (wrote(event)) redo(event.shop, outcome.subjectCustomerId);
    outcomes.set(event.id, { ...outcome, ...ERASED_SUBJECT, status: outcome.status });
  }
  for (const [shop, customers] of again) for (const customer of customers) await redactCustomer(shop, customer, [], now);
  if (again.size > 0 || erasedAgain) await checkpointAfterErasure();
}
