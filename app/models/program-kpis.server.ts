// The Overview's reads for the program's KPIs (issue 20). Every function takes
// `shop`. Orders count as the purchase ledger says (Order.countsAsPurchase,
// Order.netSpendMinor: test orders never, gift cards not as spend, refunds
// and edits netted), so the Overview agrees with tiers and Results.
import db from "~/db.server";
import type { PeriodBuyer } from "~/domain/program-kpis";
import { sql } from "./sql.server";

/** One row per customer who bought in [from, to) with the tier they are in now, guests together as one row. */
export async function periodBuyers(shop: string, from: Date, to: Date): Promise<PeriodBuyer[]> {
  const rows = await db.$queryRaw<Array<{ customerShopifyId: string | null; tierHandle: string | null; orders: number | bigint; spend: number | bigint | null }>>(sql`
    SELECT o."customerShopifyId" AS "customerShopifyId", t."tierHandle" AS "tierHandle", COUNT(*) AS "orders", SUM(o."netSpendMinor") AS "spend"
    FROM "Order" o
    LEFT JOIN "MemberTier" t ON t."shop" = o."shop" AND t."customerShopifyId" = o."customerShopifyId"
    WHERE o."shop" = ${shop} AND o."countsAsPurchase" = ${true} AND o."processedAt" >= ${from} AND o."processedAt" < ${to}
    GROUP BY o."customerShopifyId", t."tierHandle"`);
  return rows.map((row) => ({ customerShopifyId: row.customerShopifyId, tierHandle: row.tierHandle, orders: Number(row.orders), netSpendMinor: Number(row.spend ?? 0) }));
}

/** Tier upgrades and downgrades made in [from, to). */
export async function tierMoves(shop: string, from: Date, to: Date): Promise<{ up: number; down: number }> {
  const rows = await db.tierChange.groupBy({ by: ["action"], where: { shop, action: { in: ["upgrade", "downgrade"] }, at: { gte: from, lt: to } }, _count: { _all: true } });
  const count = (action: string) => rows.find((row) => row.action === action)?._count._all ?? 0;
  return { up: count("upgrade"), down: count("downgrade") };
}
