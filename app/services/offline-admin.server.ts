import { API_VERSION, unauthenticated } from "~/shopify.server";
import { createAdminClient, type AdminClientFor } from "./admin-client.server";

/**
 * The offline Admin client of an installed shop, its token refreshed by
 * Shopify's library when it expired. Its own module (issue 19): the outbox
 * job and the Flow channel both use it, and when it lived in
 * background.server the channels had to import that module lazily to avoid
 * an import cycle.
 */
export const offlineAdmin: AdminClientFor = async (shop) => {
  const { session } = await unauthenticated.admin(shop);
  return createAdminClient({ shop, accessToken: session.accessToken!, apiVersion: API_VERSION });
};
