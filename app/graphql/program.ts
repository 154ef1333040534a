// Publishing the tier program as the app-owned shop metafield `$app:program`
// (app/services/program-publish.server.ts). A shop metafield's owner is the
// shop's GID, which the app does not keep: it is asked for first.

export const PROGRAM_OWNER_QUERY = `#graphql
  query ProgramOwner {
    shop {
      id
    }
  }
`;

/**
 * One metafield per call. `$app` resolves to the app's reserved namespace
 * (`app--<app id>`), whose definition shopify.app.toml declares
 * (`[shop.metafields.app.program]`).
 */
export const SET_PROGRAM_METAFIELD = `#graphql
  mutation SetProgramMetafield($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { namespace key }
      userErrors { field message code }
    }
  }
`;
