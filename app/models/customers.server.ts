import { randomUUID } from "node:crypto";
import { Prisma, type Customer } from "@prisma/client";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import db from "~/db.server";
import type { ConsentRecord, CustomerRecord } from "~/domain/webhook-payloads";
import type { MemberFacts } from "~/domain/member-facts";
import { insertJsonRows, join, jsonField, jsonRows, raw, sql, typed, type ColumnTypes } from "./sql.server";

function customerFields(record: CustomerRecord) {
  return {
    firstName: record.firstName,
    lastName: record.lastName,
    email: record.email,
    phone: record.phone,
    locale: record.locale,
    countryCode: record.countryCode,
    provinceCode: record.provinceCode,
    provinceName: record.provinceName,
    city: record.city,
    shopifyCreatedAt: record.shopifyCreatedAt,
  };
}

/**
 * The record's consent per channel, unless the stored consent of that channel
 * is newer: an unsubscribe through the app's link (issue 8) is stored at once
 * with its time, and a customers/update written before it (a newer updated_at
 * than the row's, but consent from earlier) must not subscribe them again.
 * The consent's own time decides, else the record's updated_at.
 */
function consentFields(record: CustomerRecord, stored?: Pick<Customer, "emailConsentUpdatedAt" | "smsConsentUpdatedAt">) {
  const applies = (consent: { updatedAt: Date | null }, storedAt: Date | null | undefined) => {
    const at = consent.updatedAt ?? record.shopifyUpdatedAt;
    return !storedAt || (at !== null && at >= storedAt);
  };
  return {
    ...(record.emailConsent && applies(record.emailConsent, stored?.emailConsentUpdatedAt) ? { emailConsentState: record.emailConsent.state, emailConsentUpdatedAt: record.emailConsent.updatedAt } : {}),
    ...(record.smsConsent && applies(record.smsConsent, stored?.smsConsentUpdatedAt) ? { smsConsentState: record.smsConsent.state, smsConsentUpdatedAt: record.smsConsent.updatedAt } : {}),
  };
}

/**
 * Applies a customers/* record: it overwrites when at least as new as what is
 * stored (by Shopify's updated_at).
 */
export async function applyCustomerRecord(shop: string, record: CustomerRecord): Promise<"created" | "updated" | "stale" | "deleted"> {
  const existing = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: record.shopifyId } } });
  if (!existing) {
    try {
      await db.customer.create({
        data: { shop, shopifyId: record.shopifyId, ...customerFields(record), ...consentFields(record), tags: record.tags ?? "", shopifyUpdatedAt: record.shopifyUpdatedAt },
      });
      return "created";
    } catch (error) {
      // Created meanwhile by another worker (an order's partial customer): apply over it.
      if ((error as { code?: string }).code !== "P2002") throw error;
      return applyCustomerRecord(shop, record);
    }
  }
  if (existing.deletedAt) return "deleted";
  if (existing.shopifyUpdatedAt && record.shopifyUpdatedAt && record.shopifyUpdatedAt < existing.shopifyUpdatedAt) return "stale";
  await db.customer.updateMany({
    where: { id: existing.id, shop },
    data: { ...customerFields(record), ...consentFields(record, existing), ...(record.tags !== null ? { tags: record.tags } : {}), shopifyUpdatedAt: record.shopifyUpdatedAt },
  });
  return "updated";
}

/**
 * The partial customers nested in orders: they create members that do not exist
 * yet and otherwise only fill fields that are still empty, so they can never
 * undo a newer customers/update whatever order the two arrive in. They leave
 * shopifyUpdatedAt alone, so the next customers/* record always applies.
 */
export async function createMissingCustomers(shop: string, records: CustomerRecord[]): Promise<void> {
  const newest = new Map<string, CustomerRecord>();
  for (const record of records) {
    const current = newest.get(record.shopifyId);
    if (!current || (record.shopifyUpdatedAt ?? 0) >= (current.shopifyUpdatedAt ?? 0)) newest.set(record.shopifyId, record);
  }
  // Only the columns an order can fill: a whole Customer row is some fifty
  // values, and Prisma's reading of them was a seventh of the inbox drain (issue 19).
  const existing = new Map<string, Pick<Customer, "id" | "deletedAt" | keyof ReturnType<typeof customerFields>>>();
  for (const ids of chunks([...newest.keys()], MAX_IN_LIST)) {
    for (const { shopifyId, ...row } of await db.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, ...FILLABLE } })) existing.set(shopifyId, row);
  }
  // What Prisma's @default(now()) and @updatedAt wrote when this was a createMany.
  const createdAt = new Date();
  const created = [...newest.values()]
    .filter((record) => !existing.has(record.shopifyId))
    .map((record): NewCustomerRow => ({
      id: randomUUID(),
      shop,
      shopifyId: record.shopifyId,
      ...customerFields(record),
      ...NO_CONSENT,
      ...consentFields(record),
      tags: record.tags ?? "",
      createdAt,
      updatedAt: createdAt,
    }));
  // Another worker may be creating the same member right now (many workers on
  // PostgreSQL, or two processes on SQLite): its row wins and ours is skipped;
  // both carry the same order's data.
  for (const rows of chunks(created, CUSTOMERS_PER_INSERT)) {
    await db.$executeRaw`${insertJsonRows("Customer", NEW_CUSTOMER_COLUMNS, rows, sql`ON CONFLICT ("shop", "shopifyId") DO NOTHING`)}`;
  }

  for (const [shopifyId, row] of existing) {
    if (row.deletedAt) continue;
    const fill: Prisma.CustomerUpdateManyMutationInput = {};
    for (const [key, value] of Object.entries(customerFields(newest.get(shopifyId)!)) as Array<[keyof ReturnType<typeof customerFields>, unknown]>) {
      if (value !== null && value !== undefined && (row[key] === null || row[key] === undefined)) (fill as Record<string, unknown>)[key] = value;
    }
    if (Object.keys(fill).length > 0) await db.customer.updateMany({ where: { id: row.id, shop }, data: fill });
  }
}

// Rows per INSERT (one JSON parameter): a drain batch's new members in one statement.
const CUSTOMERS_PER_INSERT = 500;

const NO_CONSENT = { emailConsentState: null, emailConsentUpdatedAt: null, smsConsentState: null, smsConsentUpdatedAt: null };

/** A member created from an order's partial customer; the member facts and the rest start at their column defaults. */
type NewCustomerRow = ReturnType<typeof customerFields> & { [K in keyof typeof NO_CONSENT]: Customer[K] } & Pick<Customer, "id" | "shop" | "shopifyId" | "tags" | "createdAt" | "updatedAt">;
const NEW_CUSTOMER_COLUMNS: ColumnTypes<NewCustomerRow> = {
  id: "TEXT",
  shop: "TEXT",
  shopifyId: "TEXT",
  firstName: "TEXT",
  lastName: "TEXT",
  email: "TEXT",
  phone: "TEXT",
  locale: "TEXT",
  countryCode: "TEXT",
  provinceCode: "TEXT",
  provinceName: "TEXT",
  city: "TEXT",
  shopifyCreatedAt: "TIMESTAMP(3)",
  emailConsentState: "TEXT",
  emailConsentUpdatedAt: "TIMESTAMP(3)",
  smsConsentState: "TEXT",
  smsConsentUpdatedAt: "TIMESTAMP(3)",
  tags: "TEXT",
  createdAt: "TIMESTAMP(3)",
  updatedAt: "TIMESTAMP(3)",
};

/** What createMissingCustomers reads of a stored customer: whether it is deleted, and the fields an order's partial customer fills. */
const FILLABLE = {
  id: true,
  deletedAt: true,
  firstName: true,
  lastName: true,
  email: true,
  phone: true,
  locale: true,
  countryCode: true,
  provinceCode: true,
  provinceName: true,
  city: true,
  shopifyCreatedAt: true,
} satisfies Record<"id" | "deletedAt" | keyof ReturnType<typeof customerFields>, true>;

/** Consent changes apply when at least as new as the stored consent of that channel. */
export async function applyConsent(shop: string, record: ConsentRecord): Promise<"applied" | "stale"> {
  const existing = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: record.customerShopifyId } } });
  const stateField = record.channel === "email" ? "emailConsentState" : "smsConsentState";
  const timeField = record.channel === "email" ? "emailConsentUpdatedAt" : "smsConsentUpdatedAt";
  if (!existing) {
    await db.customer.create({
      data: { shop, shopifyId: record.customerShopifyId, [stateField]: record.state, [timeField]: record.updatedAt },
    });
    return "applied";
  }
  if (existing.deletedAt) return "stale";
  const storedAt = existing[timeField];
  if (storedAt && record.updatedAt && record.updatedAt < storedAt) return "stale";
  await db.customer.updateMany({ where: { id: existing.id, shop }, data: { [stateField]: record.state, [timeField]: record.updatedAt } });
  return "applied";
}

/** customers/delete: personal data goes, a tombstone stays so a late update cannot bring it back. */
export async function markCustomerDeleted(shop: string, shopifyId: string, now: Date): Promise<void> {
  await db.customer.upsert({
    where: { shop_shopifyId: { shop, shopifyId } },
    create: { shop, shopifyId, deletedAt: now },
    update: { ...ERASED_PERSONAL_DATA, deletedAt: now },
  });
}

/** Every personal field of the member file, blanked. Aggregates (facts) stay. */
export const ERASED_PERSONAL_DATA = {
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  locale: null,
  timeZone: null,
  city: null,
  provinceCode: null,
  provinceName: null,
  tags: "",
  emailConsentState: null,
  emailConsentUpdatedAt: null,
  smsConsentState: null,
  smsConsentUpdatedAt: null,
} satisfies Prisma.CustomerUpdateInput;

/**
 * Stores the facts of many members in one statement per chunk: an UPDATE ...
 * FROM the rows as one JSON parameter (jsonRows), on both databases. It was a
 * CASE per column with two bound parameters per member and column (four
 * statements and some 3,000 parameters for a drain batch of 200 members);
 * binding them cost more than the update itself (issue 19).
 */
export async function saveMemberFacts(shop: string, facts: Map<string, MemberFacts>, now: Date): Promise<void> {
  const sets = FACT_COLUMNS.map(([column, type], i) => sql`${raw(`"${column}"`)} = ${jsonField("row", i + 2, type)}`);
  for (const entries of chunks([...facts], FACTS_PER_UPDATE)) {
    const values = entries.map(([id, f]) => [shop, id, ...FACT_COLUMNS.map(([, , value]) => value(f))]);
    // Matched on both columns of the unique index, read from the row (as
    // saveClassifications does): SQLite then looks each member up instead of
    // scanning the JSON once per customer of the shop.
    await db.$executeRaw`UPDATE "Customer" SET ${join(sets, ", ")}, "factsComputedAt" = ${now}, "updatedAt" = ${now}
      FROM ${jsonRows(values, "row")}
      WHERE "Customer"."shop" = ${jsonField("row", 0, "TEXT")} AND "Customer"."shopifyId" = ${jsonField("row", 1, "TEXT")} AND ${jsonField("row", 0, "TEXT")} = ${shop}`;
  }
}

const FACT_COLUMNS: Array<[string, Parameters<typeof typed>[1], (f: MemberFacts) => unknown]> = [
  ["orderCount", "INTEGER", (f) => f.orderCount],
  ["netSpentMinor", "INTEGER", (f) => f.netSpentMinor],
  ["currencyCode", "TEXT", (f) => f.currencyCode],
  ["firstOrderAt", "TIMESTAMP(3)", (f) => f.firstOrderAt],
  ["lastOrderAt", "TIMESTAMP(3)", (f) => f.lastOrderAt],
  ["orderGapsDays", "TEXT", (f) => JSON.stringify(f.orderGapsDays)],
  ["medianGapDays", "DOUBLE PRECISION", (f) => f.medianGapDays],
];

// Members per UPDATE: one JSON parameter, so only its size bounds a chunk.
const FACTS_PER_UPDATE = 1000;

export async function findMember(shop: string, shopifyId: string) {
  return db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId } } });
}

export async function memberSummary(shop: string) {
  const [members, withOrders, spend, last] = await Promise.all([
    db.customer.count({ where: { shop, deletedAt: null } }),
    db.customer.count({ where: { shop, deletedAt: null, orderCount: { gt: 0 } } }),
    db.customer.aggregate({ where: { shop, deletedAt: null }, _sum: { netSpentMinor: true } }),
    db.customer.findFirst({ where: { shop, lastOrderAt: { not: null } }, orderBy: { lastOrderAt: "desc" }, select: { lastOrderAt: true, currencyCode: true } }),
  ]);
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { currencyCode: true } });
  return {
    members,
    withOrders,
    netSpentMinor: spend._sum.netSpentMinor ?? 0,
    currencyCode: shopRow?.currencyCode ?? last?.currencyCode ?? null,
    lastOrderAt: last?.lastOrderAt ?? null,
  };
}
