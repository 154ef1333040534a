// Reads for customers' active hours (issue 10): when their past orders were
// placed, and which campaigns place messages in those hours. Every function
// takes `shop` and filters on it.
import db from "~/db.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

/**
 * When each customer's orders since `since` were placed (processedAt: the
 * order's own time, also for imported history), read from the member-totals
 * index alone; cancelled orders count too, they still say when the customer
 * was about.
 */
export async function orderTimes(shop: string, customerShopifyIds: readonly string[], since: Date): Promise<Map<string, Date[]>> {
  const times = new Map<string, Date[]>();
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    const rows = await db.order.findMany({ where: { shop, customerShopifyId: { in: ids }, processedAt: { gte: since }, countsAsPurchase: true }, select: { customerShopifyId: true, processedAt: true } });
    for (const row of rows) {
      if (!row.customerShopifyId) continue;
      const list = times.get(row.customerShopifyId) ?? [];
      list.push(row.processedAt);
      times.set(row.customerShopifyId, list);
    }
  }
  return times;
}

/** Whether the campaign places its messages in each customer's active hours. */
export async function campaignUsesActiveHours(shop: string, campaignId: string): Promise<boolean> {
  const row = await db.campaign.findFirst({ where: { shop, id: campaignId }, select: { activeHours: true } });
  return row?.activeHours ?? false;
}
