import { SHOP_SETTINGS_QUERY } from "~/graphql/shop";
import { cancelShopEffects } from "~/models/outbox.server";
import { cancelShopMessages } from "~/models/messages.server";
import { forgetProgramPublished } from "~/models/program-publish.server";
import { markShopUninstalled, saveShopScopes, saveShopSettings } from "~/models/shops.server";
import { unburyShop } from "~/models/tombstones.server";
import { requestBackfill } from "./backfill.server";
import { onScopesUpdated, requestLocationsRefresh } from "./locations.server";
import { requestProgramPublishIfStale } from "./program-publish.server";
import type { Clock } from "./clock.server";
import { systemClock } from "./clock.server";

interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

interface ShopSettingsResponse {
  data?: {
    shop: { name: string; ianaTimezone: string; currencyCode: string };
    shopLocales: Array<{ locale: string; primary: boolean }>;
  };
  errors?: unknown;
}

/**
 * After OAuth or token exchange: keep the shop's time zone (quiet hours fall back
 * to it), currency (all money is shop money) and primary locale, and import the
 * shop's history the first time.
 */
export async function recordInstall(
  { shop, scopes, admin }: { shop: string; scopes: string | null; admin: AdminGraphql },
  clock: Clock = systemClock,
) {
  const response = await admin.graphql(SHOP_SETTINGS_QUERY);
  const body = (await response.json()) as ShopSettingsResponse;
  if (!body.data) throw new Error(`shop settings query failed: ${JSON.stringify(body.errors)}`);
  const primary = body.data.shopLocales.find((locale) => locale.primary)?.locale ?? "en";
  const saved = await saveShopSettings(
    shop,
    {
      name: body.data.shop.name,
      ianaTimezone: body.data.shop.ianaTimezone,
      currencyCode: body.data.shop.currencyCode,
      primaryLocale: primary,
      scopes,
    },
    clock.now(),
  );
  // A shop erased by shop/redact that installs again starts afresh: its
  // webhooks are projected again from now on (issue 18).
  await unburyShop(shop);
  // The first install imports the shop's history, so every existing customer is
  // placed within minutes (later installs keep what was imported).
  await requestBackfill(shop, clock.now(), { onlyIfNone: true });
  // A reinstall, or a shop whose currency changed: the storefront's program
  // is published again when it is not what the rules in force give.
  await requestProgramPublishIfStale(shop, clock.now());
  // The shop's stores by name (issue 21), for the Staff page and the POS.
  await requestLocationsRefresh(shop, clock.now());
  return saved;
}

/** app/uninstalled: sessions go, pending work stops; data stays until shop/redact (48 h later). */
export async function recordUninstall(shop: string, now: Date) {
  await cancelShopEffects(shop, now);
  await cancelShopMessages(shop, now);
  await forgetProgramPublished(shop);
  return markShopUninstalled(shop, now);
}

export async function recordScopes(shop: string, scopes: string[], now: Date = systemClock.now()) {
  await saveShopScopes(shop, scopes);
  // A scope the app asked for after the shop installed (read_locations) is granted once the merchant approves it.
  await onScopesUpdated(shop, scopes, now);
}
