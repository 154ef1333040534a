// `currentAppInstallation`: what the app was granted on the shop.
import { gid, type FieldResolver } from "./common";

export const appQueries: Record<string, FieldResolver> = {
  currentAppInstallation: (_args, { shop }) => ({
    __typename: "AppInstallation",
    id: gid("AppInstallation", shop.id),
    accessScopes: shop.grantedScopes.map((handle) => ({ __typename: "AccessScope", handle, description: handle.replace(/_/g, " ") })),
  }),
};
