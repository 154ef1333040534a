// The membership sync's documents: the `$app:membership` customer metafield
// (up to 25 per call), the optional tier tags, and a customer segment per tier.

export const SET_MEMBERSHIP_METAFIELDS = `#graphql
  mutation SetMembershipMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { namespace key }
      userErrors { field message code elementIndex }
    }
  }
`;

export const ADD_CUSTOMER_TAGS = `#graphql
  mutation AddCustomerTags($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }
`;

export const REMOVE_CUSTOMER_TAGS = `#graphql
  mutation RemoveCustomerTags($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }
`;

export const CREATE_TIER_SEGMENT = `#graphql
  mutation CreateTierSegment($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;

export const UPDATE_TIER_SEGMENT = `#graphql
  mutation UpdateTierSegment($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;
