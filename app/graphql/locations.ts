// The shop's locations (issue 21): the POS names a store only by id (an
// order's location_id, the POS session's locationId); these give the name the
// merchant gave it. Needs read_locations (shopify.app.toml); a shop that has
// not granted it yet answers ACCESS_DENIED and the app keeps showing ids.
// Deactivated stores are included (`includeInactive`): past sales there keep
// their store's name. Fulfillment services' legacy locations are not stores
// and stay out (`includeLegacy` defaults to false).
// shopify.dev/docs/api/admin-graphql/2026-10/queries/locations

export const SHOP_LOCATIONS = `#graphql
  query ShopLocations($after: String) {
    locations(first: 250, after: $after, includeInactive: true, sortKey: ID) {
      nodes {
        id
        name
        isActive
        address {
          city
          countryCode
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
