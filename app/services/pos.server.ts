// The POS counter's backend (issue 21): what the POS UI extension
// (extensions/member-pos) shows of a customer, the customer file saved from
// its modal, and a location's follow-ups for today. Every change is
// attributed to the staff member pinned in at the POS and to the location.
//
// Who acts: Shopify's POS session token names the user signed in to POS on the
// device (its `sub`), not the staff member pinned in; pinned staff members are
// not authenticated users ("This is based on the authenticated user, not the
// pinned staff member": shopify.dev/docs/api/pos-ui-extensions/2026-07/target-apis/standard-apis/session-api).
// So the extension sends `shopify.session.staffMember.value.id` and the
// location (`currentSession.locationId`) with each change, the token proves
// the request comes from this shop's POS, and the change is recorded for the
// pinned staff member (the signed-in user when nobody is pinned in).
import { z } from "zod";
import { counterFacts } from "~/domain/counter-facts";
import { CONTACT_TIMES, PREFERRED_CHANNELS, parseCustomerFileForm } from "~/domain/customer-file";
import { FOLLOW_UP_OUTCOMES, isOverdue, type FollowUpReason } from "~/domain/follow-ups";
import type { LifecycleStage, ValueClass } from "~/domain/intelligence";
import { membershipValueSchema } from "~/domain/membership";
import type { PosChoices, PosCustomerView, PosFileAnswer, PosFollowUpsView, PosOutcomeAnswer } from "~/domain/pos";
import { byRank } from "~/domain/tiers";
import { EMPTY_CUSTOMER, type CustomerRecord } from "~/domain/webhook-payloads";
import { POS_CUSTOMER } from "~/graphql/pos";
import { getCustomerFile, saveCustomerFile, staffMember } from "~/models/customer-file.server";
import { createMissingCustomers, findMember } from "~/models/customers.server";
import { completeFollowUp } from "~/models/follow-ups.server";
import { memberFile } from "~/models/members.server";
import { fileRegistration, locationFollowUps, openFollowUpsOf } from "~/models/pos.server";
import { knownStaffNames } from "~/models/staff-members.server";
import { getTierContext } from "~/models/tiers.server";
import { closeGoneFollowUps, shopToday } from "./follow-ups.server";
import { noteLocationsNamed } from "./locations.server";
import { offlineAdmin } from "./offline-admin.server";

/** How many of a location's follow-ups the home tile's modal lists (the rest are counted). */
export const POS_FOLLOW_UPS_SHOWN = 50;

export const POS_CHOICES: PosChoices = Object.freeze({ preferredChannel: PREFERRED_CHANNELS, preferredContactTime: CONTACT_TIMES, outcomes: FOLLOW_UP_OUTCOMES });

/** A request the POS may not make: the route answers 404 (not this shop's) and writes nothing. */
export class PosNotFound extends Error {}

const numericId = (kind: string) =>
  z.union([z.number(), z.string()]).transform((value, context) => {
    const text = String(value).trim();
    const match = new RegExp(`^(?:gid://shopify/${kind}/)?(\\d{1,20})$`).exec(text);
    if (!match || /^0+$/.test(match[1])) {
      context.addIssue({ code: "custom", message: `not a ${kind} id` });
      return z.NEVER;
    }
    return match[1];
  });

/** A Shopify customer id as the POS gives it (a number) or as a GID, as the app stores it (digits). */
export function posCustomerId(value: string | undefined): string | null {
  const parsed = numericId("Customer").safeParse(value ?? "");
  return parsed.success ? parsed.data : null;
}

/** Where and by whom, from the extension: the location is required, the pinned staff member optional. */
const attributionSchema = z.object({ locationId: numericId("Location"), staffMemberId: numericId("StaffMember").nullish() });
type Attribution = { locationId: string; staffId: string };

function attribution(body: Record<string, unknown>, sub: string | undefined): { ok: true; value: Attribution } | { ok: false; errors: Record<string, string> } {
  const parsed = attributionSchema.safeParse({ locationId: body.locationId, staffMemberId: body.staffMemberId });
  const staffId = parsed.success ? (parsed.data.staffMemberId ?? sub ?? null) : null;
  if (!parsed.success || !staffId) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.success ? [] : parsed.error.issues) errors[String(issue.path[0])] = `pos.errors.${String(issue.path[0])}`;
    if (parsed.success) errors.staffMemberId = "pos.errors.staffMemberId";
    return { ok: false, errors };
  }
  return { ok: true, value: { locationId: parsed.data.locationId, staffId } };
}

/**
 * Whether this customer is this shop's, asked of Shopify, for a customer the
 * app has not seen (created at the POS a moment ago): `customer(id:)` answers
 * null for another shop's id. Returns their name, or null.
 */
async function shopifyCustomer(shop: string, customerShopifyId: string): Promise<{ firstName: string | null; lastName: string | null } | null> {
  const admin = await offlineAdmin(shop);
  const answer = await admin.request<{ customer: { id: string; firstName: string | null; lastName: string | null } | null }>(POS_CUSTOMER, { id: `gid://shopify/Customer/${customerShopifyId}` });
  if (answer.errors?.length) throw new Error(`Shopify did not say whether customer ${customerShopifyId} is ${shop}'s: ${answer.errors.map((error) => error.message).join("; ")}`);
  return answer.data?.customer ?? null;
}

type Known = { kind: "known"; file: NonNullable<Awaited<ReturnType<typeof memberFile>>> } | { kind: "unseen"; firstName: string | null; lastName: string | null };

/** The customer as the app knows them, or (not seen yet) as Shopify does; PosNotFound for an erased customer or another shop's. */
async function resolveCustomer(shop: string, customerShopifyId: string): Promise<Known> {
  const file = await memberFile(shop, customerShopifyId);
  if (file) return { kind: "known", file };
  // An erased customer (customers/redact, customers/delete) stays a tombstone: never written again.
  if (await hasTombstone(shop, customerShopifyId)) throw new PosNotFound();
  const customer = await shopifyCustomer(shop, customerShopifyId);
  if (!customer) throw new PosNotFound();
  return { kind: "unseen", ...customer };
}

/** memberFile found nobody live: a row that is there anyway is a deleted customer's tombstone. */
async function hasTombstone(shop: string, customerShopifyId: string): Promise<boolean> {
  return (await findMember(shop, customerShopifyId)) !== null;
}

/** What the customer details block shows. */
export async function posCustomerView(shop: string, customerShopifyId: string, now: Date): Promise<PosCustomerView> {
  const known = await resolveCustomer(shop, customerShopifyId);
  const [context, file, registration, tasks, today] = await Promise.all([
    getTierContext(shop),
    getCustomerFile(shop, customerShopifyId, now),
    fileRegistration(shop, customerShopifyId),
    openFollowUpsOf(shop, customerShopifyId),
    shopToday(shop, now),
  ]);
  const currencyCode = context?.currencyCode ?? "USD";
  const customer = known.kind === "known" ? known.file.customer : null;
  const tier = known.kind === "known" ? known.file.tier : null;
  const membership = tier?.membershipValue ? membershipValueSchema.safeParse(JSON.parse(tier.membershipValue)) : null;
  const entry = context ? byRank(context.program.tiers)[0] : undefined;
  const status = tier && membership?.success ? "member" : customer && customer.orderCount > 0 ? "nonMember" : "new";
  const names = await knownStaffNames(shop, [file.updatedBy, ...tasks.map((task) => task.assignee)]);
  return {
    customer: { id: customerShopifyId, firstName: customer?.firstName ?? (known.kind === "unseen" ? known.firstName : null), lastName: customer?.lastName ?? (known.kind === "unseen" ? known.lastName : null) },
    status,
    member:
      status === "member" && tier && membership?.success
        ? { tier: { handle: membership.data.tier.handle, name: membership.data.tier.name }, since: tier.since.toISOString(), progress: membership.data.progress, downgradeOn: tier.downgradeOn?.toISOString() ?? null }
        : null,
    entryTier: status === "new" && entry ? { name: entry.name } : null,
    valueClass: (customer?.valueClass as ValueClass | null) ?? null,
    lifecycleStage: (customer?.lifecycleStage as LifecycleStage | null) ?? null,
    orders: { count: customer?.orderCount ?? 0, netSpentMinor: customer?.netSpentMinor ?? 0, currencyCode: customer?.currencyCode ?? currencyCode, lastOrderAt: customer?.lastOrderAt?.toISOString() ?? null },
    file: {
      registered: registration !== null,
      values: file.values,
      score: file.completeness.score,
      missing: file.completeness.missing,
      facts: counterFacts(file.values, today),
      updatedAt: file.updatedAt,
      updatedByName: (file.updatedBy && names.get(file.updatedBy)) ?? file.updatedByName,
    },
    followUps: tasks.map((task) => ({ id: task.id, reason: task.reason as FollowUpReason, dueOn: task.dueOn, detail: parseDetail(task.detail), assigneeName: (task.assignee && names.get(task.assignee)) ?? task.assigneeName })),
    today,
    choices: POS_CHOICES,
  };
}

function parseDetail(detail: string): Record<string, string | number> {
  try {
    const value = JSON.parse(detail) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, string | number>) : {};
  } catch {
    return {};
  }
}

/**
 * Saves the file from the POS modal, validated by the admin's own rules
 * (parseCustomerFileForm): 422 answers name each bad field and write nothing.
 * A customer the app has not seen yet is confirmed with Shopify first and
 * recorded as a customer (as an order's customer is), so the file has a
 * member to belong to; another shop's customer is PosNotFound.
 */
export async function savePosFile(shop: string, customerShopifyId: string, body: Record<string, unknown>, sub: string | undefined, now: Date): Promise<{ status: 200 | 422; answer: PosFileAnswer }> {
  const where = attribution(body, sub);
  const { locationId: _location, staffMemberId: _staff, ...fields } = body;
  const parsed = parseCustomerFileForm(fields);
  if (!where.ok || !parsed.ok) return { status: 422, answer: { ok: false, errors: { ...(where.ok ? {} : where.errors), ...(parsed.ok ? {} : parsed.errors) } } };
  const known = await resolveCustomer(shop, customerShopifyId);
  if (known.kind === "unseen") await createMissingCustomers(shop, [unseenCustomerRecord(customerShopifyId, known)]);
  const staff = await staffMember(shop, where.value.staffId);
  const saved = await saveCustomerFile(shop, customerShopifyId, parsed.form, staff, now, { source: "pos", locationId: where.value.locationId });
  // A "thin file" follow-up closes as soon as the file is complete enough (as in the admin).
  await closeGoneFollowUps(shop, now, { customerShopifyIds: [customerShopifyId] });
  // A store the app cannot name yet (opened since the last refresh): its name is asked of Shopify, through the outbox.
  await noteLocationsNamed(shop, [where.value.locationId], now);
  return { status: 200, answer: { ok: true, changed: saved.edits.map((edit) => edit.field), score: saved.score, registered: saved.registered } };
}

/**
 * A customer as Shopify's Admin API named them, the rest left for the
 * customers/create webhook to fill (createMissingCustomers only fills empty
 * fields and leaves shopifyUpdatedAt null, so that webhook always applies).
 */
function unseenCustomerRecord(shopifyId: string, customer: { firstName: string | null; lastName: string | null }): CustomerRecord {
  return { ...EMPTY_CUSTOMER, shopifyId, firstName: customer.firstName, lastName: customer.lastName };
}

/** The home tile's list: today's follow-ups of customers whose file was last saved at this location. */
export async function posFollowUps(shop: string, rawLocationId: unknown, now: Date): Promise<{ status: 200 | 422; answer: PosFollowUpsView | { ok: false; errors: Record<string, string> } }> {
  const location = numericId("Location").safeParse(rawLocationId ?? "");
  if (!location.success) return { status: 422, answer: { ok: false, errors: { locationId: "pos.errors.locationId" } } };
  const today = await shopToday(shop, now);
  const { total, tasks } = await locationFollowUps(shop, location.data, today, POS_FOLLOW_UPS_SHOWN);
  const names = await knownStaffNames(shop, tasks.map((task) => task.assignee));
  return {
    status: 200,
    answer: {
      today,
      total,
      outcomes: FOLLOW_UP_OUTCOMES,
      tasks: tasks.map((task) => ({
        id: task.id,
        reason: task.reason as FollowUpReason,
        dueOn: task.dueOn,
        detail: parseDetail(task.detail),
        assigneeName: (task.assignee && names.get(task.assignee)) ?? task.assigneeName,
        overdue: isOverdue(task, today),
        customer: {
          id: task.customerShopifyId,
          name: [task.customer?.firstName, task.customer?.lastName].filter(Boolean).join(" ") || null,
          email: task.customer?.email ?? null,
          phone: task.customer?.phone ?? null,
        },
      })),
    },
  };
}

const outcomeSchema = z.object({
  outcome: z.enum(FOLLOW_UP_OUTCOMES),
  note: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? null : typeof value === "string" ? value.trim() : value), z.string().max(500).nullable().default(null)),
});

/**
 * Records a follow-up's outcome from the POS: an outcome must be chosen (there
 * is no default), by the pinned staff member. PosNotFound when the task is not
 * this shop's or no longer on the list.
 */
export async function recordPosOutcome(shop: string, taskId: string, body: Record<string, unknown>, sub: string | undefined, now: Date): Promise<{ status: 200 | 422; answer: PosOutcomeAnswer }> {
  const where = attribution(body, sub);
  const parsed = outcomeSchema.safeParse({ outcome: body.outcome, note: body.note });
  if (!where.ok || !parsed.success) {
    const errors: Record<string, string> = where.ok ? {} : { ...where.errors };
    for (const issue of parsed.success ? [] : parsed.error.issues) errors[String(issue.path[0])] = `pos.errors.${String(issue.path[0])}`;
    return { status: 422, answer: { ok: false, errors } };
  }
  const staff = await staffMember(shop, where.value.staffId);
  if (!(await completeFollowUp(shop, taskId, { outcome: parsed.data.outcome, note: parsed.data.note }, staff, now))) throw new PosNotFound();
  return { status: 200, answer: { ok: true } };
}
