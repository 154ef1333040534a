// The Staff page's rows (issue 21): what app/domain/staff-performance.ts
// counts, read for one shop and period. Files: every file saved or created in
// the period, and every registered one (a registration before the period
// still decides whose member a customer is). Edits: the period's. Orders: all
// of the customers who may have joined in the period (registered then, or a
// counted POS purchase then), since a member's first purchase and first 90
// days are read from their whole history.
import db from "~/db.server";
import { parseConfirmedAt } from "~/domain/customer-file";
import { staffPerformance, type FileFact, type OrderFact, type StaffPerformance } from "~/domain/staff-performance";
import { valuesOf } from "./customer-file.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

export async function staffPerformanceOf(shop: string, from: Date | null, now: Date, store: string | null = null): Promise<StaffPerformance & { timeZone: string; currencyCode: string }> {
  const since = from ?? new Date(0);
  const [shopRow, fileRows, edits] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true, currencyCode: true } }),
    db.customerFile.findMany({ where: { shop, OR: [{ updatedAt: { gte: since } }, { createdAt: { gte: since } }, { registeredBy: { not: null } }] } }),
    db.customerFileEdit.findMany({ where: { shop, at: { gte: since } }, select: { staffId: true, locationId: true, at: true } }),
  ]);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  const files: FileFact[] = fileRows.map((row) => ({
    customerShopifyId: row.customerShopifyId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    registeredBy: row.registeredBy,
    registeredLocationId: row.registeredLocationId,
    updatedBy: row.updatedBy,
    posLocationId: row.posLocationId,
    values: valuesOf(row),
    confirmedAt: parseConfirmedAt(row.confirmedAt),
  }));

  const tillCustomers = await db.order.findMany({
    where: { shop, sourceName: "pos", posUserId: { not: null }, countsAsPurchase: true, processedAt: { gte: since }, customerShopifyId: { not: null } },
    select: { customerShopifyId: true },
    distinct: ["customerShopifyId"],
  });
  const candidates = new Set<string>([...files.filter((file) => file.registeredBy && file.createdAt >= since).map((file) => file.customerShopifyId), ...tillCustomers.map((row) => row.customerShopifyId!)]);
  const orders: OrderFact[] = [];
  for (const ids of chunks([...candidates], MAX_IN_LIST)) {
    const rows = await db.order.findMany({
      where: { shop, customerShopifyId: { in: ids } },
      select: { customerShopifyId: true, processedAt: true, countsAsPurchase: true, netSpendMinor: true, sourceName: true, posUserId: true, posLocationId: true },
    });
    for (const row of rows) orders.push({ ...row, customerShopifyId: row.customerShopifyId! });
  }
  return { ...staffPerformance({ files, edits, orders, from, now, timeZone, store }), timeZone, currencyCode: shopRow?.currencyCode ?? "USD" };
}
