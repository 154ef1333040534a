// What a campaign audience can be chosen from (issues 20 and 21): the places,
// tags and file values that actually occur among the shop's live customers,
// each with how many customers have it, so the editor offers choices instead
// of asking for codes. Names in the admin's language are the page's job
// (country names through Intl.DisplayNames); a province keeps the name its
// addresses give.
import db from "~/db.server";
import { parseStringList } from "~/domain/gifts";
import { sql } from "./sql.server";

export interface Counted {
  count: number;
}
export interface CountryChoice extends Counted {
  countryCode: string;
}
export interface ProvinceChoice extends Counted {
  countryCode: string;
  provinceCode: string;
  /** The name the addresses give (the most common one); null when none came with one. */
  name: string | null;
}
export interface CityChoice extends Counted {
  countryCode: string;
  /** The spelling most of its customers' addresses use. */
  city: string;
}
export interface ValueChoice extends Counted {
  value: string;
}

export interface AudienceChoices {
  countries: CountryChoice[];
  provinces: ProvinceChoice[];
  cities: CityChoice[];
  tags: ValueChoice[];
  clothingSizes: ValueChoice[];
  shoeSizes: ValueChoice[];
  fileTags: ValueChoice[];
}

/** Cities and tags offered at most (the most common first); a search narrows them in the page. */
export const MAX_CHOICES = 500;

const byCount = <T extends Counted>(items: T[]) => items.sort((a, b) => b.count - a.count).slice(0, MAX_CHOICES);

/**
 * Values split from grouped rows (a customer's comma-separated tags, a file's
 * JSON list), counted per customer and merged case aside under the spelling
 * most customers use.
 */
function tally(rows: Array<{ value: string; n: number | bigint }>, split: (value: string) => string[]): ValueChoice[] {
  const merged = new Map<string, { spellings: Map<string, number>; count: number }>();
  for (const row of rows) {
    for (const value of new Set(split(row.value))) {
      const key = value.toLowerCase();
      const entry = merged.get(key) ?? { spellings: new Map(), count: 0 };
      entry.count += Number(row.n);
      entry.spellings.set(value, (entry.spellings.get(value) ?? 0) + Number(row.n));
      merged.set(key, entry);
    }
  }
  return byCount([...merged.values()].map((entry) => ({ value: [...entry.spellings].sort((a, b) => b[1] - a[1])[0][0], count: entry.count })));
}

export async function audienceChoices(shop: string): Promise<AudienceChoices> {
  const [countries, provinces, cities, tags, clothing, shoes, fileTags] = await Promise.all([
    db.$queryRaw<Array<{ countryCode: string; n: number | bigint }>>`
      SELECT c."countryCode" AS "countryCode", COUNT(*) AS "n" FROM "Customer" c
      WHERE c."shop" = ${shop} AND c."deletedAt" IS NULL AND c."countryCode" IS NOT NULL
      GROUP BY c."countryCode"`,
    db.$queryRaw<Array<{ countryCode: string; provinceCode: string; name: string | null; n: number | bigint }>>`
      SELECT c."countryCode" AS "countryCode", c."provinceCode" AS "provinceCode", c."provinceName" AS "name", COUNT(*) AS "n" FROM "Customer" c
      WHERE c."shop" = ${shop} AND c."deletedAt" IS NULL AND c."countryCode" IS NOT NULL AND c."provinceCode" IS NOT NULL
      GROUP BY c."countryCode", c."provinceCode", c."provinceName"`,
    db.$queryRaw<Array<{ countryCode: string; city: string; n: number | bigint }>>`
      SELECT c."countryCode" AS "countryCode", TRIM(c."city") AS "city", COUNT(*) AS "n" FROM "Customer" c
      WHERE c."shop" = ${shop} AND c."deletedAt" IS NULL AND c."countryCode" IS NOT NULL AND c."city" IS NOT NULL AND TRIM(c."city") <> ''
      GROUP BY c."countryCode", TRIM(c."city")`,
    db.$queryRaw<Array<{ value: string; n: number | bigint }>>`
      SELECT c."tags" AS "value", COUNT(*) AS "n" FROM "Customer" c
      WHERE c."shop" = ${shop} AND c."deletedAt" IS NULL AND c."tags" <> ''
      GROUP BY c."tags"`,
    fileValues(shop, "clothingSize"),
    fileValues(shop, "shoeSize"),
    db.$queryRaw<Array<{ value: string; n: number | bigint }>>`
      SELECT f."tags" AS "value", COUNT(*) AS "n" FROM "CustomerFile" f JOIN "Customer" c ON c."shop" = f."shop" AND c."shopifyId" = f."customerShopifyId"
      WHERE f."shop" = ${shop} AND c."deletedAt" IS NULL AND f."tags" <> '[]'
      GROUP BY f."tags"`,
  ]);

  // A province's name as most of its addresses give it (a missing name loses to any name).
  const provinceMap = new Map<string, ProvinceChoice & { named: number }>();
  for (const row of provinces) {
    const key = `${row.countryCode}\u0000${row.provinceCode}`;
    const entry = provinceMap.get(key) ?? { countryCode: row.countryCode, provinceCode: row.provinceCode, name: null, count: 0, named: 0 };
    entry.count += Number(row.n);
    if (row.name && Number(row.n) > entry.named) {
      entry.name = row.name;
      entry.named = Number(row.n);
    }
    provinceMap.set(key, entry);
  }
  // A city as most of its customers spell it; "new york" and "New York" are one city (the audience matches case aside).
  const cityMap = new Map<string, CityChoice & { spelled: number }>();
  for (const row of cities) {
    const key = `${row.countryCode}\u0000${row.city.toLowerCase()}`;
    const entry = cityMap.get(key) ?? { countryCode: row.countryCode, city: row.city, count: 0, spelled: 0 };
    entry.count += Number(row.n);
    if (Number(row.n) > entry.spelled) {
      entry.city = row.city;
      entry.spelled = Number(row.n);
    }
    cityMap.set(key, entry);
  }

  return {
    countries: byCount(countries.map((row) => ({ countryCode: row.countryCode, count: Number(row.n) }))),
    provinces: byCount([...provinceMap.values()].map(({ named: _named, ...choice }) => choice)),
    cities: byCount([...cityMap.values()].map(({ spelled: _spelled, ...choice }) => choice)),
    tags: tally(tags, (value) => value.split(",").map((tag) => tag.trim()).filter(Boolean)),
    clothingSizes: tally(clothing, (value) => [value]),
    shoeSizes: tally(shoes, (value) => [value]),
    fileTags: tally(fileTags, parseStringList),
  };
}

async function fileValues(shop: string, column: "clothingSize" | "shoeSize") {
  const field = column === "clothingSize" ? sql`f."clothingSize"` : sql`f."shoeSize"`;
  return db.$queryRaw<Array<{ value: string; n: number | bigint }>>`
    SELECT TRIM(${field}) AS "value", COUNT(*) AS "n" FROM "CustomerFile" f JOIN "Customer" c ON c."shop" = f."shop" AND c."shopifyId" = f."customerShopifyId"
    WHERE f."shop" = ${shop} AND c."deletedAt" IS NULL AND ${field} IS NOT NULL AND TRIM(${field}) <> ''
    GROUP BY TRIM(${field})`;
}

/**
 * Titles of products the shop's orders name, for picked products stored
 * without one (campaigns saved when ids were typed): a title its order lines carry.
 */
export async function productTitles(shop: string, productIds: readonly string[]): Promise<Record<string, string>> {
  if (productIds.length === 0) return {};
  const rows = await db.orderLine.groupBy({ by: ["productShopifyId"], where: { shop, productShopifyId: { in: [...productIds] } }, _max: { title: true } });
  return Object.fromEntries(rows.flatMap((row) => (row.productShopifyId && row._max.title ? [[row.productShopifyId, row._max.title]] : [])));
}
