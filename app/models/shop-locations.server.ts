// The shop's locations by name (issue 21): the POS knows a store only by its
// Shopify id (orders' location_id, the POS session's locationId, kept as
// text), so pages name stores from these rows. Written by the locations
// refresh (app/services/locations.server.ts) from the Admin API's `locations`.
// Not about customers: erased with the shop on shop/redact (deleteShopData).
import db from "~/db.server";
import { localDate } from "~/domain/local-time";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { insertJsonRows, sql, type ColumnTypes } from "./sql.server";

/** A location as the refresh read it from Shopify. */
export interface LocationRecord {
  locationId: string;
  name: string;
  active: boolean;
  city: string | null;
  countryCode: string | null;
}

/** A store's name and whether it still trades, by id; ids never named by Shopify are absent. */
export type KnownLocation = { name: string; active: boolean };

/**
 * Keeps what Shopify listed (all of the shop's locations, deactivated ones
 * included) and marks the ones it no longer lists as inactive: a location
 * deleted in Shopify keeps its last name here, so past sales there stay named.
 * Records the time of the refresh on the shop.
 */
export async function saveShopLocations(shop: string, locations: LocationRecord[], now: Date): Promise<void> {
  const listed = new Set(locations.map((location) => location.locationId));
  const rows = locations.map((location) => ({ shop, ...location, updatedAt: now }));
  await db.$transaction(async (tx) => {
    // One statement per 500 stores, not one per store: the transaction holds
    // SQLite's write lock, which webhook acknowledgements wait for (ADR 0035).
    for (const part of chunks(rows, LOCATIONS_PER_INSERT)) {
      await tx.$executeRaw`${insertJsonRows("ShopLocation", LOCATION_COLUMNS, part, UPSERT)}`;
    }
    const gone = (await tx.shopLocation.findMany({ where: { shop, active: true }, select: { locationId: true } })).filter((row) => !listed.has(row.locationId));
    if (gone.length > 0) await tx.shopLocation.updateMany({ where: { shop, locationId: { in: gone.map((row) => row.locationId) } }, data: { active: false, updatedAt: now } });
    await tx.shop.updateMany({ where: { shop }, data: { locationsRefreshedAt: now, locationsDenied: false } });
  });
}

const LOCATION_COLUMNS: ColumnTypes<LocationRecord & { shop: string; updatedAt: Date }> = {
  shop: "TEXT",
  locationId: "TEXT",
  name: "TEXT",
  active: "BOOLEAN",
  city: "TEXT",
  countryCode: "TEXT",
  updatedAt: "TIMESTAMP(3)",
};
const UPSERT = sql`ON CONFLICT ("shop", "locationId") DO UPDATE SET "name" = excluded."name", "active" = excluded."active", "city" = excluded."city", "countryCode" = excluded."countryCode", "updatedAt" = excluded."updatedAt"`;
const LOCATIONS_PER_INSERT = 500;

/** A refresh Shopify refused for want of read_locations: the rows stay as they were; the refusal and its time are kept. */
export async function markLocationsDenied(shop: string, now: Date): Promise<void> {
  await db.shop.updateMany({ where: { shop }, data: { locationsRefreshedAt: now, locationsDenied: true } });
}

/** The stores of these ids the app can name. */
export async function knownLocations(shop: string, locationIds: Iterable<string | null | undefined>): Promise<Map<string, KnownLocation>> {
  const ids = [...new Set([...locationIds].filter((id): id is string => typeof id === "string" && id !== ""))];
  const known = new Map<string, KnownLocation>();
  for (const part of chunks(ids, MAX_IN_LIST)) {
    const rows = await db.shopLocation.findMany({ where: { shop, locationId: { in: part } }, select: { locationId: true, name: true, active: true } });
    for (const row of rows) known.set(row.locationId, { name: row.name, active: row.active });
  }
  return known;
}

/** Of these ids, those the app has no row for. */
export async function unknownLocationIds(shop: string, locationIds: Iterable<string>): Promise<string[]> {
  const ids = [...new Set(locationIds)];
  if (ids.length === 0) return [];
  const known = await knownLocations(shop, ids);
  return ids.filter((id) => !known.has(id));
}

/**
 * How late an order's webhook may be projected after the Shopify time it was
 * processed: POS orders processed this long before the last refresh are
 * looked at again, in case they reached the app after it.
 */
const LATE_ORDER_MS = 60 * 60_000;

/**
 * The installed shops whose locations are due to be read: those last read
 * before their local today (or never), and those whose POS orders processed
 * since the last read name a location id the app has no row for (a store
 * opened since). A shop that refused read_locations is asked only daily.
 */
export async function shopsDueForLocations(now: Date): Promise<Array<{ shop: string }>> {
  const rows = await db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true, ianaTimezone: true, locationsRefreshedAt: true, locationsDenied: true }, orderBy: { shop: "asc" } });
  const due: Array<{ shop: string }> = [];
  for (const row of rows) {
    const read = row.locationsRefreshedAt;
    if (!read || localDate(read, row.ianaTimezone) < localDate(now, row.ianaTimezone)) due.push({ shop: row.shop });
    else if (!row.locationsDenied && (await posOrdersNameUnknownLocations(row.shop, new Date(read.getTime() - LATE_ORDER_MS)))) due.push({ shop: row.shop });
  }
  return due;
}

/** Whether the shop's POS orders processed since `since` name a location the app has no row for (one indexed range read). */
async function posOrdersNameUnknownLocations(shop: string, since: Date): Promise<boolean> {
  const named = await db.order.groupBy({ by: ["posLocationId"], where: { shop, processedAt: { gte: since }, posLocationId: { not: null } } });
  const ids = named.map((row) => row.posLocationId!);
  return ids.length > 0 && (await unknownLocationIds(shop, ids)).length > 0;
}
