import db from "~/db.server";
import { knownStaffNames } from "~/models/staff-members.server";
import {
  COMPLETE_AT,
  EMPTY_FILE,
  completeness,
  customerFileSchema,
  diffFile,
  nextConfirmedAt,
  parseConfirmedAt,
  type ConfirmedAt,
  type CustomerFileForm,
  type CustomerFileValues,
  type FieldEdit,
} from "~/domain/customer-file";

/** A staff member as the session token names them: `sub` is their Shopify user id. */
export interface StaffMember {
  id: string | null;
  name: string | null;
}

/**
 * The staff member behind a session token's `sub`: their name when the app
 * has learnt it from Shopify (models/staff-members.server.ts), else only the id.
 */
export async function staffMember(shop: string, sub: string | undefined | null): Promise<StaffMember> {
  if (!sub) return { id: null, name: null };
  return { id: sub, name: (await knownStaffNames(shop, [sub])).get(sub) ?? null };
}

type FileRow = NonNullable<Awaited<ReturnType<typeof db.customerFile.findUnique>>>;

/** A stored row as the form's values (an unreadable one reads as empty). */
export function valuesOf(row: FileRow | null): CustomerFileValues {
  if (!row) return { ...EMPTY_FILE };
  let tags: unknown = [];
  try {
    tags = JSON.parse(row.tags);
  } catch {
    tags = [];
  }
  const parsed = customerFileSchema.safeParse({
    clothingSize: row.clothingSize,
    shoeSize: row.shoeSize,
    stylePreferences: row.stylePreferences,
    productPreferences: row.productPreferences,
    occupation: row.occupation,
    family: row.family,
    hobbies: row.hobbies,
    preferredChannel: row.preferredChannel,
    preferredContactTime: row.preferredContactTime,
    acceptsPromotions: row.acceptsPromotions,
    birthday: row.birthday,
    notes: row.notes,
    tags,
  });
  return parsed.success ? parsed.data : { ...EMPTY_FILE };
}

export async function customerExists(shop: string, customerShopifyId: string): Promise<boolean> {
  const customer = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { deletedAt: true } });
  return customer !== null && customer.deletedAt === null;
}

export interface CustomerFileView {
  values: CustomerFileValues;
  confirmedAt: ConfirmedAt;
  completeness: ReturnType<typeof completeness>;
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: string | null;
}

/** The file as the member page shows it, its completeness at `now` (an empty file when none was saved). */
export async function getCustomerFile(shop: string, customerShopifyId: string, now: Date): Promise<CustomerFileView> {
  const row = await db.customerFile.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } } });
  const values = valuesOf(row);
  const confirmedAt = parseConfirmedAt(row?.confirmedAt);
  return {
    values,
    confirmedAt,
    completeness: completeness(values, confirmedAt, now),
    updatedBy: row?.updatedBy ?? null,
    updatedByName: row?.updatedByName ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/**
 * Where a save comes from (issue 21): the admin, or the POS at a Shopify
 * location (its numeric id, as text).
 */
export type FileOrigin = { source: "admin" } | { source: "pos"; locationId: string };
export const ADMIN_ORIGIN: FileOrigin = Object.freeze({ source: "admin" });

/**
 * Saves the form over the stored file: one edit row per changed field, with
 * the staff member, where it was made (admin, or the POS and its location) and
 * the time; changed and re-confirmed fields confirmed at `now`. The save that
 * creates the file registers it (registeredSource/By/LocationId: the Staff
 * page's new members). A save that changes and confirms nothing writes nothing.
 */
export async function saveCustomerFile(
  shop: string,
  customerShopifyId: string,
  form: CustomerFileForm,
  staff: StaffMember,
  now: Date,
  origin: FileOrigin = ADMIN_ORIGIN,
): Promise<{ edits: FieldEdit[]; score: number; registered: boolean }> {
  const { confirm, ...after } = form;
  const locationId = origin.source === "pos" ? origin.locationId : null;
  return db.$transaction(async (tx) => {
    const row = await tx.customerFile.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } } });
    const before = valuesOf(row);
    const edits = diffFile(before, after);
    const confirmedAt = nextConfirmedAt(parseConfirmedAt(row?.confirmedAt), after, edits, confirm, now);
    const score = completeness(after, confirmedAt, now).score;
    if (edits.length === 0 && confirm.length === 0) return { edits, score, registered: false };
    const data = {
      ...after,
      tags: JSON.stringify(after.tags),
      confirmedAt: JSON.stringify(confirmedAt),
      completeness: score,
      updatedBy: staff.id,
      updatedByName: staff.name,
      updatedAt: now,
      ...(locationId ? { posLocationId: locationId } : {}),
    };
    await tx.customerFile.upsert({
      where: { shop_customerShopifyId: { shop, customerShopifyId } },
      create: { shop, customerShopifyId, createdAt: now, registeredSource: origin.source, registeredBy: staff.id, registeredLocationId: locationId, ...data },
      update: data,
    });
    if (edits.length > 0) {
      await tx.customerFileEdit.createMany({
        data: edits.map((edit) => ({
          shop,
          customerShopifyId,
          field: edit.field,
          oldValue: edit.oldValue,
          newValue: edit.newValue,
          staffId: staff.id,
          staffName: staff.name,
          source: origin.source,
          locationId,
          at: now,
        })),
      });
    }
    return { edits, score, registered: row === null };
  });
}

/** The file's change log, newest first. */
export async function customerFileEdits(shop: string, customerShopifyId: string, take = 50) {
  return db.customerFileEdit.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "desc" }, take });
}

export interface StaffStanding {
  staffId: string;
  staffName: string | null;
  files: number; // files this staff member saved last
  completed: number; // of those, at COMPLETE_AT or more
  averageCompleteness: number; // whole percent
  edits: number; // field edits recorded for them
}

/**
 * The staff leaderboard: files each staff member saved last (so credit moves
 * with the latest work on a file), how many of them are complete, their
 * average completeness at save time, and the field edits they made. Most
 * completed files first, then the better average.
 */
export async function staffLeaderboard(shop: string): Promise<StaffStanding[]> {
  const [files, completed, edits] = await Promise.all([
    db.customerFile.groupBy({ by: ["updatedBy"], where: { shop, updatedBy: { not: null } }, _count: { _all: true }, _avg: { completeness: true } }),
    db.customerFile.groupBy({ by: ["updatedBy"], where: { shop, updatedBy: { not: null }, completeness: { gte: COMPLETE_AT } }, _count: { _all: true } }),
    db.customerFileEdit.groupBy({ by: ["staffId"], where: { shop, staffId: { not: null } }, _count: { _all: true } }),
  ]);
  const names = await db.customerFileEdit.findMany({ where: { shop, staffId: { in: files.map((row) => row.updatedBy!) }, staffName: { not: null } }, select: { staffId: true, staffName: true }, orderBy: { id: "desc" }, distinct: ["staffId"] });
  const nameOf = new Map(names.map((row) => [row.staffId, row.staffName]));
  const completedOf = new Map(completed.map((row) => [row.updatedBy, row._count._all]));
  const editsOf = new Map(edits.map((row) => [row.staffId, row._count._all]));
  return files
    .map((row) => ({
      staffId: row.updatedBy!,
      staffName: nameOf.get(row.updatedBy!) ?? null,
      files: row._count._all,
      completed: completedOf.get(row.updatedBy) ?? 0,
      averageCompleteness: Math.round(row._avg.completeness ?? 0),
      edits: editsOf.get(row.updatedBy) ?? 0,
    }))
    .sort((a, b) => b.completed - a.completed || b.averageCompleteness - a.averageCompleteness || b.files - a.files || (a.staffId < b.staffId ? -1 : 1));
}

/** Stored files of these customers, as values and confirmation times (follow-ups read completeness and birthdays). */
export async function customerFilesOf(shop: string, where: { customerShopifyIds?: string[]; withBirthday?: boolean }) {
  const rows = await db.customerFile.findMany({
    where: { shop, ...(where.customerShopifyIds ? { customerShopifyId: { in: where.customerShopifyIds } } : {}), ...(where.withBirthday ? { birthday: { not: null } } : {}) },
  });
  return rows.map((row) => ({ customerShopifyId: row.customerShopifyId, values: valuesOf(row), confirmedAt: parseConfirmedAt(row.confirmedAt) }));
}
