// What the results of flows and campaigns (issue 9) are computed from: each
// activity's messages (who was in it, contacted or held out, when, what became
// of the message) and the orders its audience placed afterwards.
import db from "~/db.server";
import type { MessageRow } from "./messages.server";
import { sql } from "./sql.server";

/** A message of the activity, and whether it was ever deferred (from its decisions). */
export type ActivityMessageRow = Pick<MessageRow, "customerShopifyId" | "holdout" | "status" | "channel" | "plannedAt" | "sentAt"> & { deferred: boolean };

const asDate = (value: Date | string | null) => (value === null ? null : new Date(value));
const asBool = (value: boolean | number | bigint) => value === true || Number(value) === 1;

/** Every message of one activity (a flow by its key, a campaign by its id) planned up to `until`. */
/** An activity's messages planned up to `until` (and, given `since`, from then on: the Overview's period). */
export async function activityMessages(shop: string, sourceId: string, until: Date, since?: Date): Promise<ActivityMessageRow[]> {
  const rows = await db.$queryRaw<Array<{ customerShopifyId: string; holdout: boolean | number; status: MessageRow["status"]; channel: MessageRow["channel"]; plannedAt: Date | string; sentAt: Date | string | null; deferred: number | bigint }>>`
    SELECT m."customerShopifyId", m."holdout", m."status", m."channel", m."plannedAt", m."sentAt",
      (SELECT COUNT(*) FROM "MessageDecision" d WHERE d."shop" = m."shop" AND d."messageId" = m."id" AND d."decision" = 'deferred') AS "deferred"
    FROM "Message" m
    WHERE m."shop" = ${shop} AND m."sourceId" = ${sourceId} AND m."plannedAt" <= ${until} AND ${since ? sql`m."plannedAt" >= ${since}` : sql`1 = 1`}`;
  return rows.map((row) => ({ ...row, holdout: asBool(row.holdout), plannedAt: asDate(row.plannedAt)!, sentAt: asDate(row.sentAt), deferred: Number(row.deferred) > 0 }));
}

export interface AudienceOrderRow {
  /** The order (issue 17: its offer-code discount is the activity's cost, counted once). */
  shopifyId: string;
  customerShopifyId: string;
  processedAt: Date;
  revenueMinor: number;
  discountMinor: number;
}

/**
 * Orders placed from `from` to `to` by customers in the activity's audience,
 * that count as purchases (the purchase ledger: not test, cancelled or
 * refunded in full), revenue their net merchandise spend. The audience is
 * joined, not listed, so a flow with 100,000 messages is one query.
 */
export async function audienceOrders(shop: string, sourceId: string, from: Date, to: Date): Promise<AudienceOrderRow[]> {
  const rows = await db.$queryRaw<Array<{ shopifyId: string; customerShopifyId: string; processedAt: Date | string; netSpendMinor: number | bigint; totalDiscountsMinor: number | bigint }>>`
    SELECT o."shopifyId", o."customerShopifyId", o."processedAt", o."netSpendMinor", o."totalDiscountsMinor"
    FROM "Order" o
    WHERE o."shop" = ${shop} AND o."processedAt" >= ${from} AND o."processedAt" < ${to}
      AND o."countsAsPurchase" = ${true}
      AND o."customerShopifyId" IN (SELECT DISTINCT m."customerShopifyId" FROM "Message" m WHERE m."shop" = ${shop} AND m."sourceId" = ${sourceId})`;
  return rows.map((row) => ({
    shopifyId: row.shopifyId,
    customerShopifyId: row.customerShopifyId,
    processedAt: asDate(row.processedAt)!,
    revenueMinor: Number(row.netSpendMinor),
    discountMinor: Number(row.totalDiscountsMinor),
  }));
}

/** The activities with messages in the shop: every flow that planned any and every campaign. */
export async function activitySources(shop: string): Promise<Array<{ source: string; sourceId: string }>> {
  return db.$queryRaw<Array<{ source: string; sourceId: string }>>(sql`SELECT DISTINCT "source", "sourceId" FROM "Message" WHERE "shop" = ${shop} ORDER BY "source", "sourceId"`);
}
