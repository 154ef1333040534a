import db from "~/db.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

export interface ShopSettings {
  name: string | null;
  ianaTimezone: string;
  currencyCode: string;
  primaryLocale: string;
  scopes: string | null;
}

export async function saveShopSettings(shop: string, settings: ShopSettings, now: Date) {
  return db.shop.upsert({
    where: { shop },
    create: { shop, ...settings, installedAt: now },
    update: { ...settings, uninstalledAt: null },
  });
}

export async function getShop(shop: string) {
  return db.shop.findUnique({ where: { shop } });
}

export async function markShopUninstalled(shop: string, now: Date) {
  await db.shop.updateMany({ where: { shop }, data: { uninstalledAt: now } });
  await db.session.deleteMany({ where: { shop } });
  // Pending effects would act on a shop that no longer has the app.
  const cancelled = await db.outboxEffect.updateMany({
    where: { shop, status: { in: ["pending", "processing"] } },
    data: { status: "cancelled", lastError: "app uninstalled" },
  });
  return { cancelledEffects: cancelled.count };
}

export async function saveShopScopes(shop: string, scopes: string[]) {
  const value = scopes.join(",");
  await db.shop.updateMany({ where: { shop }, data: { scopes: value } });
  await db.session.updateMany({ where: { shop, isOnline: false }, data: { scope: value } });
}

/** Every shop with the app installed, by domain (the sweepers walk them). */
export async function installedShops(): Promise<string[]> {
  return (await db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true }, orderBy: { shop: "asc" } })).map((row) => row.shop);
}

/**
 * Which of these shops have the app installed now (a Shop row, not uninstalled):
 * the inbox worker projects webhooks only for them (issue 18).
 */
export async function installedAmong(shops: string[]): Promise<Set<string>> {
  const installed = new Set<string>();
  for (const part of chunks([...new Set(shops)], MAX_IN_LIST)) {
    const rows = await db.shop.findMany({ where: { shop: { in: part }, uninstalledAt: null }, select: { shop: true } });
    for (const row of rows) installed.add(row.shop);
  }
  return installed;
}
