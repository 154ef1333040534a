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
const either = (parts: Fragment[]) => (parts.length ? sql`(${join(parts, " OR ")})` : empty);

/**
 * `text` contains `needle`, case aside (LOWER on both sides: PostgreSQL's LIKE
 * minds case, SQLite's only for ASCII), the needle's own % and _ taken
 * literally. SQLite's LOWER folds ASCII only, PostgreSQL's every letter; the
 * keywords merchants use (English words, Chinese characters) read the same.
 */
const contains = (text: Fragment, needle: string) => sql`LOWER(${text}) LIKE ${`%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`} ESCAPE '\\'`;
const sameText = (column: Fragment, values: readonly string[]) => anyOf(sql`LOWER(TRIM(${column}))`, values.map((value) => value.trim().toLowerCase()));

/**
 * The customer file's part of the audience (issue 21), as one EXISTS: a
 * customer without a file matches none of it. Sizes match whole (case
 * aside); keywords anywhere in the preference text; a file tag whole, as the
 * JSON array holds it (`"tag"` with its quotes).
 */
function fileCondition(audience: AudienceFilter): Fragment {
  const conditions = [
    sameText(sql`f."clothingSize"`, audience.clothingSizes),
    sameText(sql`f."shoeSize"`, audience.shoeSizes),
    either(audience.styleKeywords.map((keyword) => contains(sql`f."stylePreferences"`, keyword))),
    either(audience.productKeywords.map((keyword) => contains(sql`f."productPreferences"`, keyword))),
    either(audience.fileTags.map((tag) => contains(sql`f."tags"`, JSON.stringify(tag)))),
    audience.acceptsPromotions === null ? empty : sql`f."acceptsPromotions" = ${audience.acceptsPromotions}`,
  ].filter((condition) => condition !== empty);
  if (conditions.length === 0) return empty;
  return sql`EXISTS (SELECT 1 FROM "CustomerFile" f WHERE f."shop" = c."shop" AND f."customerShopifyId" = c."shopifyId" AND ${join(conditions, " AND ")})`;
}

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
    either(audience.provinces.map((place) => sql`(c."countryCode" = ${place.countryCode} AND c."provinceCode" = ${place.provinceCode})`)),
    // City names as typed into addresses: the same city with other spacing or case is the same city.
    either(audience.cities.map((place) => sql`(c."countryCode" = ${place.countryCode} AND LOWER(TRIM(c."city")) = ${place.city.trim().toLowerCase()})`)),
    // Tags as Shopify sends them ("a, b, c"), matched whole and without case.
    audience.tags.length ? sql`(${join(audience.tags.map((tag) => sql`(', ' || LOWER(c."tags") || ',') LIKE ${`%, ${tag.toLowerCase()},%`}`), " OR ")})` : empty,
    audience.boughtProducts.length
      ? sql`EXISTS (SELECT 1 FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id"
            WHERE o."shop" = c."shop" AND o."customerShopifyId" = c."shopifyId" AND o."countsAsPurchase" = ${true}
              AND l."shop" = c."shop" AND ${anyOf(sql`l."productShopifyId"`, audience.boughtProducts)}
              AND COALESCE(l."currentQuantity", l."quantity") > 0
              ${since ? sql`AND o."processedAt" >= ${since}` : empty})`
      : empty,
    fileCondition(audience),
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
