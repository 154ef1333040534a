// `locations`: the shop's locations, behind read_locations. Without the scope
// Shopify answers the field with ACCESS_DENIED (and, the connection being
// non-null, `data: null`); the app must then keep working with bare ids.
import type { SimLocation } from "../state";
import { gid, NotImplemented, ShopifyError, type FieldResolver, type ResolverContext } from "./common";
import { connection, type ConnectionArgs } from "./connection";

const SORT_VALUES: Record<string, ((location: SimLocation) => string) | undefined> = {
  ID: undefined,
  NAME: (location) => location.name.toLowerCase(),
};

interface LocationsArgs extends ConnectionArgs {
  includeInactive?: boolean | null;
  includeLegacy?: boolean | null;
  query?: string | null;
  sortKey: string;
}

function locationObject(location: SimLocation) {
  return {
    __typename: "Location",
    id: gid("Location", location.id),
    legacyResourceId: location.id,
    name: location.name,
    isActive: location.isActive,
    address: { __typename: "LocationAddress", city: location.city, countryCode: location.countryCode },
  };
}

function requireScope({ shop }: ResolverContext, field: string) {
  if (!shop.grantedScopes.includes("read_locations")) throw new ShopifyError(`Access denied for ${field} field. Required access: \`read_locations\` access scope.`, "ACCESS_DENIED");
}

export const locationQueries: Record<string, FieldResolver> = {
  locations: (args: LocationsArgs, context) => {
    requireScope(context, "locations");
    if (!(args.sortKey in SORT_VALUES)) throw new NotImplemented(`locations(sortKey: ${args.sortKey})`);
    if (args.query) throw new NotImplemented("locations(query:)");
    // The simulated shops have no fulfillment-service locations, so includeLegacy changes nothing.
    const selected = [...context.shop.locations.values()].filter((location) => args.includeInactive || location.isActive);
    return connection(selected, args, { id: (location) => location.id, sortValue: SORT_VALUES[args.sortKey] }, locationObject);
  },
};
