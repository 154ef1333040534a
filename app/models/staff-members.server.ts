// Staff members' names (issue 20). Everywhere else a staff member is only the
// user id Shopify puts in the session token's `sub` ("Issued by 1"). Shopify
// names the user only in an ONLINE access token's `associated_user` (id,
// first_name, last_name, email, account_owner, locale, collaborator), which an
// embedded app gets by token exchange
// (shopify.dev/docs/apps/build/authentication-authorization/access-tokens/online-access-tokens,
// .../access-tokens/token-exchange). app/services/staff-identity.server.ts
// asks for one when a staff member opens the admin and records the user here;
// the token itself is not kept (the app works with its offline token).
//
// Staff are not customers: the rows hold the merchant's own staff, are erased
// with the shop on shop/redact, and appear in no customer's export.
import db from "~/db.server";
import { translate, type Locale } from "~/i18n";

/** Shopify's `associated_user` as token exchange answers it (the fields we keep). */
export interface StaffIdentity {
  id: number | string;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  account_owner?: boolean | null;
  locale?: string | null;
}

/** How long a recorded name is trusted before the next visit asks Shopify again. */
export const STAFF_REFRESH_MS = 24 * 60 * 60 * 1000;

const clean = (value: string | null | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** Records (or refreshes) a staff member as Shopify named them. */
export async function recordStaffMember(shop: string, identity: StaffIdentity, now: Date): Promise<void> {
  const userId = String(identity.id).trim();
  if (!/^\d+$/.test(userId)) throw new Error(`A staff member's user id is a number; got "${identity.id}"`);
  const data = {
    firstName: clean(identity.first_name),
    lastName: clean(identity.last_name),
    email: clean(identity.email),
    accountOwner: identity.account_owner === true,
    locale: clean(identity.locale),
    updatedAt: now,
  };
  await db.staffMember.upsert({ where: { shop_userId: { shop, userId } }, create: { shop, userId, ...data }, update: data });
}

/** Whether the app should ask Shopify who this staff member is: never asked, or asked over a day ago. */
export async function staffMemberNeedsRefresh(shop: string, userId: string, now: Date): Promise<boolean> {
  const row = await db.staffMember.findUnique({ where: { shop_userId: { shop, userId } }, select: { updatedAt: true } });
  return !row || now.getTime() - row.updatedAt.getTime() >= STAFF_REFRESH_MS;
}

const HAN = /\p{Script=Han}/u;

/**
 * A person's name as their language writes it: "Ava Chen"; a name written in
 * Chinese characters family name first without a space ("陈静").
 */
export function personName(firstName: string | null | undefined, lastName: string | null | undefined): string | null {
  const first = clean(firstName);
  const last = clean(lastName);
  if (first && last && HAN.test(first) && HAN.test(last)) return `${last}${first}`;
  return [first, last].filter(Boolean).join(" ") || null;
}

/** Names of the staff members the app has recorded, by user id; ids it has never seen are absent. */
export async function knownStaffNames(shop: string, userIds: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const ids = [...new Set([...userIds].filter((id): id is string => typeof id === "string" && id.trim() !== "").map((id) => id.trim()))];
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const rows = await db.staffMember.findMany({ where: { shop, userId: { in: ids } }, select: { userId: true, firstName: true, lastName: true, email: true } });
  for (const row of rows) {
    const name = personName(row.firstName, row.lastName) ?? row.email;
    if (name) names.set(row.userId, name);
  }
  return names;
}

/** What to call a staff member the app cannot name: "Staff member 1234" / "员工 1234". */
export function unknownStaffName(userId: string, locale: Locale): string {
  return translate(locale, "staff.unknown", { id: userId });
}

/**
 * A name for every given user id: the recorded name, else "Staff member 1234"
 * in `locale`. Pages whose loaders cannot know the admin's language (Shopify
 * adds `locale` only to the first document request) can take
 * `knownStaffNames` and call `unknownStaffName` in the browser instead.
 */
export async function staffNames(shop: string, userIds: Iterable<string | null | undefined>, locale: Locale = "en"): Promise<Map<string, string>> {
  const wanted = [...userIds].filter((id): id is string => typeof id === "string" && id.trim() !== "").map((id) => id.trim());
  const known = await knownStaffNames(shop, wanted);
  const names = new Map<string, string>();
  for (const id of wanted) names.set(id, known.get(id) ?? unknownStaffName(id, locale));
  return names;
}
