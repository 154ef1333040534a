// Who a campaign's audience holds (issue 9): the filter of
// app/domain/campaigns/audience.ts as one SQL condition over the shop's live
// customers, used to count while the merchant edits and to page through the
// members when the campaign is scheduled.
import db from "~/db.server";
import type { AudienceFilter } from "~/domain/campaigns/audience";
import type { Channel } from "~/domain/care/types";
import { empty, join, sql } from "./sql.server";

type Fragment = ReturnType<typeof sql>;

const anyOf = (column: Fragment, values: readonly string[]) => (values.length ? sql`${column} IN (${join(values.map((value) => sql`${value}`))})` : empty);

function audienceCondition(shop: string, audience: AudienceFilter, channel: Channel, now: Date): Fragment {
  const since = audience.boughtWithinDays === null ? null : new Date(now.getTime() - audience.boughtWithinDays * 86_400_000);
  const reachable =
    !audience.reachableOnly || channel === "flow"
      ? empty
      : channel === "sms"
        ? sql`c."smsConsentState" = 'SUBSCRIBED' AND c."phone" IS NOT NULL`
        : sql`c."emailConsentState" = 'SUBSCRIBED' AND c."email" IS NOT NULL`;
  const conditions = [
    sql`c."shop" = ${shop}`,
    sql`c."deletedAt" IS NULL`,
    audience.tiers.length ? sql`EXISTS (SELECT 1 FROM "MemberTier" t WHERE t."shop" = c."shop" AND t."customerShopifyId" = c."shopifyId" AND ${anyOf(sql`t."tierHandle"`, audience.tiers)})` : empty,
    anyOf(sql`c."rfmSegment"`, audience.segments),
    anyOf(sql`c."lifecycleStage"`, audience.stages),
    anyOf(sql`c."valueClass"`, audience.valueClasses),
    anyOf(sql`c."countryCode"`, audience.countries),
    // Tags as Shopify sends them ("a, b, c"), matched whole and without case.
    audience.tags.length ? sql`(${join(audience.tags.map((tag) => sql`(', ' || LOWER(c."tags") || ',') LIKE ${`%, ${tag.toLowerCase()},%`}`), " OR ")})` : empty,
    audience.boughtProducts.length
      ? sql`EXISTS (SELECT 1 FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id"
            WHERE o."shop" = c."shop" AND o."customerShopifyId" = c."shopifyId" AND o."countsAsPurchase" = ${true}
              AND l."shop" = c."shop" AND ${anyOf(sql`l."productShopifyId"`, audience.boughtProducts)}
              AND COALESCE(l."currentQuantity", l."quantity") > 0
              ${since ? sql`AND o."processedAt" >= ${since}` : empty})`
      : empty,
    reachable,
  ];
  return join(conditions.filter((condition) => condition !== empty), " AND ");
}

/** How many members the audience holds now (the editor's live count). */
export async function countAudience(shop: string, audience: AudienceFilter, channel: Channel, now: Date): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "Customer" c WHERE ${audienceCondition(shop, audience, channel, now)}`;
  return Number(row.n);
}

export interface AudienceMemberRow {
  shopifyId: string;
  timeZone: string | null;
  locale: string | null;
}

/** One page of the audience by Shopify id, after `afterId` (scheduling walks it whole). */
export async function audiencePage(shop: string, audience: AudienceFilter, channel: Channel, now: Date, afterId: string | null, limit: number): Promise<AudienceMemberRow[]> {
  return db.$queryRaw<AudienceMemberRow[]>`
    SELECT c."shopifyId", c."timeZone", c."locale" FROM "Customer" c
    WHERE ${audienceCondition(shop, audience, channel, now)} ${afterId === null ? empty : sql`AND c."shopifyId" > ${afterId}`}
    ORDER BY c."shopifyId" LIMIT ${limit}`;
}
