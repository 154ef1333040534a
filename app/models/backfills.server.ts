import { Prisma, type Backfill } from "@prisma/client";
import db from "~/db.server";
import type { BulkCustomer } from "~/domain/bulk-records";
import type { RefundRecord } from "~/domain/webhook-payloads";
import { createMissingCustomers } from "./customers.server";
import { chunks } from "./sql-limits.server";
import { join, sql, typed } from "./sql.server";

export type BackfillStatus = "queued" | "running" | "importing" | "placing" | "done" | "failed";
export type HistorySource = "orders" | "customerTotals";

export async function latestBackfill(shop: string): Promise<Backfill | null> {
  return db.backfill.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });
}

export async function createBackfill(shop: string, now: Date): Promise<Backfill> {
  return db.backfill.create({ data: { shop, status: "queued", historySource: "orders", startedAt: now } });
}

export async function updateBackfill(shop: string, id: string, data: Prisma.BackfillUpdateManyMutationInput): Promise<void> {
  await db.backfill.updateMany({ where: { shop, id }, data });
}

export async function findBackfill(shop: string, id: string): Promise<Backfill | null> {
  return db.backfill.findFirst({ where: { shop, id } });
}

/**
 * Customers read in bulk: the missing ones are created (webhooks may already
 * have brought fresher details for the others, which stay), and everyone's
 * Shopify lifetime totals are kept for the fallback.
 */
export async function applyBulkCustomers(shop: string, customers: BulkCustomer[]): Promise<void> {
  await createMissingCustomers(shop, customers.map(({ record }) => record));
  for (const rows of chunks(customers, 150)) {
    const ids = rows.map(({ record }) => record.shopifyId);
    const caseOf = (value: (row: BulkCustomer) => number | null) => join(rows.map((row) => sql`WHEN ${row.record.shopifyId} THEN ${value(row)}`), " ");
    await db.$executeRaw`UPDATE "Customer" SET
        "shopifyAmountSpentMinor" = ${typed(sql`CASE "shopifyId" ${caseOf((row) => row.lifetime.amountSpentMinor)} END`, "INTEGER")},
        "shopifyOrderCount" = ${typed(sql`CASE "shopifyId" ${caseOf((row) => row.lifetime.numberOfOrders)} END`, "INTEGER")}
      WHERE "shop" = ${shop} AND "shopifyId" IN (${join(ids)})`;
  }
}

/** Refunds read with their orders; one already stored (by webhook) is left as it is. */
export async function applyBulkRefunds(shop: string, refunds: RefundRecord[]): Promise<void> {
  for (const rows of chunks(refunds, 100)) {
    await db.$executeRaw`INSERT INTO "Refund" ("id", "shop", "shopifyId", "orderShopifyId", "processedAt", "amountMinor", "currencyCode", "lines", "note", "createdAt")
      VALUES ${join(rows.map((refund) => sql`(${crypto.randomUUID()}, ${shop}, ${refund.shopifyId}, ${refund.orderShopifyId}, ${refund.processedAt}, ${refund.amountMinor}, ${refund.currencyCode}, ${JSON.stringify(refund.lines)}, ${refund.note}, ${refund.processedAt})`))}
      ON CONFLICT ("shop", "shopifyId") DO NOTHING`;
  }
}

export async function setHistorySource(shop: string, historySource: HistorySource): Promise<void> {
  await db.shop.updateMany({ where: { shop }, data: { historySource } });
}
