// A test shop installed the way the app records an install (afterAuth ->
// recordInstall -> saveShopSettings), without the Admin API round trip for its
// settings. The inbox worker projects webhooks only for installed shops
// (issue 18), so a test that sends webhooks installs its shops first, as a
// real shop would have done.
import { saveShopSettings, type ShopSettings } from "~/models/shops.server";

export async function installTestShop(shop: string, settings: Partial<ShopSettings> = {}, now = new Date()) {
  return saveShopSettings(
    shop,
    { name: shop.replace(/\.myshopify\.com$/, ""), ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null, ...settings },
    now,
  );
}
