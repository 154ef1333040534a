import type { Prisma } from "@prisma/client";
import db from "~/db.server";
import type { ConsentRecord, CustomerRecord } from "~/domain/webhook-payloads";
import type { MemberFacts } from "~/domain/member-facts";

/**
 * Applies a customer record. `authoritative` records (customers/* topics)
 * overwrite when at least as new as what is stored; the partial customer nested
 * in an order only fills fields that are still empty, so it can never undo a
 * newer customers/update whatever order the two arrive in.
 */
export async function applyCustomerRecord(
  shop: string,
  record: CustomerRecord,
  { authoritative }: { authoritative: boolean },
): Promise<"created" | "updated" | "stale" | "deleted"> {
  const existing = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: record.shopifyId } } });
  const fields = {
    firstName: record.firstName,
    lastName: record.lastName,
    email: record.email,
    phone: record.phone,
    locale: record.locale,
    countryCode: record.countryCode,
    provinceCode: record.provinceCode,
    city: record.city,
    shopifyCreatedAt: record.shopifyCreatedAt,
  };
  const consent = {
    ...(record.emailConsent ? { emailConsentState: record.emailConsent.state, emailConsentUpdatedAt: record.emailConsent.updatedAt } : {}),
    ...(record.smsConsent ? { smsConsentState: record.smsConsent.state, smsConsentUpdatedAt: record.smsConsent.updatedAt } : {}),
  };
  if (!existing) {
    await db.customer.create({
      data: {
        shop,
        shopifyId: record.shopifyId,
        ...fields,
        ...consent,
        tags: record.tags ?? "",
        shopifyUpdatedAt: authoritative ? record.shopifyUpdatedAt : null,
      },
    });
    return "created";
  }
  if (existing.deletedAt) return "deleted";

  if (authoritative) {
    const stale = existing.shopifyUpdatedAt && record.shopifyUpdatedAt && record.shopifyUpdatedAt < existing.shopifyUpdatedAt;
    if (stale) return "stale";
    await db.customer.update({
      where: { id: existing.id },
      data: { ...fields, ...consent, ...(record.tags !== null ? { tags: record.tags } : {}), shopifyUpdatedAt: record.shopifyUpdatedAt },
    });
    return "updated";
  }

  const fill: Prisma.CustomerUpdateInput = {};
  for (const [key, value] of Object.entries(fields) as Array<[keyof typeof fields, unknown]>) {
    if (value !== null && value !== undefined && (existing[key] === null || existing[key] === undefined)) {
      (fill as Record<string, unknown>)[key] = value;
    }
  }
  if (Object.keys(fill).length === 0) return "stale";
  await db.customer.update({ where: { id: existing.id }, data: fill });
  return "updated";
}

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
  await db.customer.update({ where: { id: existing.id }, data: { [stateField]: record.state, [timeField]: record.updatedAt } });
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
  tags: "",
  emailConsentState: null,
  emailConsentUpdatedAt: null,
  smsConsentState: null,
  smsConsentUpdatedAt: null,
} satisfies Prisma.CustomerUpdateInput;

export async function saveMemberFacts(shop: string, shopifyId: string, facts: MemberFacts, now: Date): Promise<boolean> {
  const result = await db.customer.updateMany({
    where: { shop, shopifyId },
    data: {
      orderCount: facts.orderCount,
      netSpentMinor: facts.netSpentMinor,
      currencyCode: facts.currencyCode,
      firstOrderAt: facts.firstOrderAt,
      lastOrderAt: facts.lastOrderAt,
      orderGapsDays: JSON.stringify(facts.orderGapsDays),
      medianGapDays: facts.medianGapDays,
      factsComputedAt: now,
    },
  });
  return result.count > 0;
}

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
