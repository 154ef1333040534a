// The shop's locations by name (issue 21). The POS names a store only by id;
// the app asks Shopify for the names (the `locations` query, read_locations)
// through one outbox effect, `locations.refresh`, asked for:
// - on install (recordInstall), and when the shop grants read_locations
//   (app/scopes_update: a shop installed before the app asked for the scope
//   keeps working with ids until the merchant approves it);
// - daily, by the "locations" job (app/jobs/registry.server.ts), so a store
//   renamed or deactivated in Shopify is renamed here by the next day;
// - when a POS order or a POS file save names a location id the app has no row
//   for (a store opened since the last refresh): the same job finds the
//   shop's POS orders projected since naming one (within its 15 minutes; the
//   inbox drain is not slowed by a lookup per order), and the POS backend asks
//   at once when a file is saved at an unknown store (noteLocationsNamed).
//   Never on a webhook's acknowledgement.
// ADR 0037 says why.
import { SHOP_LOCATIONS } from "~/graphql/locations";
import { requestEffect } from "~/models/outbox.server";
import { markLocationsDenied, saveShopLocations, unknownLocationIds, type LocationRecord } from "~/models/shop-locations.server";
import { isThrottled, type AdminAnswer, type AdminClient } from "./admin-client.server";
import type { PassResult } from "./paced-send.server";

export const LOCATIONS_REFRESH = "locations.refresh";

/** The scope the `locations` query needs (shopify.app.toml asks for it). */
export const LOCATIONS_SCOPE = "read_locations";

/** Asks for the shop's locations to be read again (one pending request per shop, however often asked). */
export const requestLocationsRefresh = (shop: string, now: Date) => requestEffect(shop, LOCATIONS_REFRESH, LOCATIONS_REFRESH, now);

interface LocationsPage {
  locations: {
    nodes: Array<{ id: string; name: string; isActive: boolean; address: { city: string | null; countryCode: string | null } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** A shop with more locations than this is not a shop of stores; the refresh stops rather than page forever. */
const MAX_PAGES = 40;

const numericId = (gid: string) => {
  const match = /^gid:\/\/shopify\/Location\/(\d+)$/.exec(gid);
  if (!match) throw new Error(`Shopify answered a location id that is not a Location gid: ${gid}`);
  return match[1];
};

/**
 * The `locations.refresh` effect: reads every location of the shop (active
 * and deactivated; paging 250 at a time) and keeps their names. A shop that
 * has not granted read_locations answers ACCESS_DENIED: that is an answer, not
 * a failure (the pages keep showing "Store <id>"), so the effect is done and
 * the next day's job asks again. Throttled: tried again shortly.
 */
export async function refreshLocations(shop: string, client: AdminClient, now: Date): Promise<PassResult> {
  const found: LocationRecord[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: AdminAnswer<LocationsPage> = await client.request<LocationsPage>(SHOP_LOCATIONS, { after });
    if (isThrottled(answer)) return { status: "later", at: new Date(now.getTime() + 2_000), written: 0, reason: "Shopify throttled the locations query" };
    if (answer.errors?.some((error) => error.extensions?.code === "ACCESS_DENIED")) {
      await markLocationsDenied(shop, now);
      return { status: "done", written: 0 };
    }
    if (answer.errors?.length || !answer.data) throw new Error(`Shopify did not list ${shop}'s locations: ${answer.errors?.map((error) => error.message).join("; ") ?? "no data"}`);
    for (const node of answer.data.locations.nodes) {
      found.push({ locationId: numericId(node.id), name: node.name, active: node.isActive, city: node.address.city, countryCode: node.address.countryCode });
    }
    const { hasNextPage, endCursor } = answer.data.locations.pageInfo;
    if (!hasNextPage || !endCursor) {
      await saveShopLocations(shop, found, now);
      return { status: "done", written: found.length };
    }
    after = endCursor;
  }
  throw new Error(`${shop} lists more than ${MAX_PAGES * 250} locations; the refresh stopped without saving`);
}

// Location ids this process has seen named for a shop and found known, or
// asked a refresh for: each is looked up at most once per process, so a
// counter saving files all day pays one read for its store. A refresh that
// does not find the id (a store since deleted) is not asked again here; the
// daily job still reads the shop's locations.
const seen = new Set<string>();

/**
 * A POS file save named these location ids: asks for a refresh when one of
 * them is not known yet. Returns whether it asked.
 */
export async function noteLocationsNamed(shop: string, locationIds: Iterable<string | null | undefined>, now: Date): Promise<boolean> {
  const fresh = [...new Set([...locationIds].filter((id): id is string => typeof id === "string" && id !== ""))].filter((id) => !seen.has(`${shop}|${id}`));
  if (fresh.length === 0) return false;
  const unknown = await unknownLocationIds(shop, fresh);
  if (unknown.length > 0) await requestLocationsRefresh(shop, now);
  for (const id of fresh) seen.add(`${shop}|${id}`);
  return unknown.length > 0;
}

/**
 * app/scopes_update: the granted scopes changed. When they include
 * read_locations (the merchant approved it, or it was there all along) the
 * shop's stores are read now; scope changes are rare, so no need to tell a
 * newly granted scope from one granted before.
 */
export async function onScopesUpdated(shop: string, scopes: string[], now: Date): Promise<void> {
  if (scopes.includes(LOCATIONS_SCOPE)) await requestLocationsRefresh(shop, now);
}
