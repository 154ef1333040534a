// The test page's shoppers from the demo's database (`npm run demo` writes
// tmp/demo.sqlite): the shop, its program as the app publishes it to the
// `$app:program` shop metafield, and members of each tier with the
// `$app:membership` value last written to Shopify, the one Liquid reads.
// Every query names the shop.
import db from "~/db.server";
import { membershipValueSchema } from "~/domain/membership";
import { programMetafieldValue, serializeProgram } from "~/domain/program-metafield";
import { byRank } from "~/domain/tiers";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";
import { getTierContext } from "~/models/tiers.server";
import type { StorefrontCustomer, StorefrontShop } from "./page";

export interface DemoShopper {
  customer: StorefrontCustomer;
  tierHandle: string;
}

export interface DemoStore {
  shop: StorefrontShop;
  /** The program's tiers by rank: the handles `?tier=` accepts. */
  tiers: Array<{ handle: string; name: string }>;
}

export async function demoStore(shop: string): Promise<DemoStore> {
  const [row, context] = await Promise.all([db.shop.findUnique({ where: { shop }, select: { name: true, currencyCode: true } }), getTierContext(shop)]);
  if (!row) throw new Error(`${shop} is not in this database: run \`npm run demo\` first (it writes tmp/demo.sqlite)`);
  return {
    shop: { name: row.name ?? shop, currencyCode: row.currencyCode, program: context ? serializeProgram(programMetafieldValue(context.program, row.currencyCode)) : null },
    tiers: context ? byRank(context.program.tiers).map((tier) => ({ handle: tier.handle, name: tier.name.en })) : [],
  };
}

/**
 * A member of `tierHandle`, or the customer `customerShopifyId` when given.
 * Of a tier's members, the one closest to the next tier (the least spend
 * still needed, as their value says), so the page has progress to show; in
 * the top tier, the one with the highest net spend. The value is the one last
 * written to Shopify (what the storefront would read); a member whose first
 * write has not happened yet has none, as in Shopify.
 */
export async function demoShopper(shop: string, { tierHandle, customerShopifyId }: { tierHandle?: string; customerShopifyId?: string }): Promise<DemoShopper | null> {
  let chosen = customerShopifyId;
  if (!chosen) {
    const members = await db.memberTier.findMany({ where: { shop, tierHandle }, select: { customerShopifyId: true, syncedValue: true }, orderBy: { customerShopifyId: "asc" } });
    const needed = (text: string | null) => {
      const parsed = text ? membershipValueSchema.safeParse(JSON.parse(text)) : null;
      return parsed?.success ? (parsed.data.progress?.spendNeededMinor ?? null) : null;
    };
    const closest = members
      .map((member) => ({ id: member.customerShopifyId, needed: needed(member.syncedValue) }))
      .filter((member): member is { id: string; needed: number } => member.needed !== null)
      .sort((a, b) => a.needed - b.needed)[0];
    chosen = closest?.id;
    if (!chosen) {
      let best: { shopifyId: string; netSpentMinor: number } | null = null;
      for (const part of chunks(members.map((member) => member.customerShopifyId), MAX_IN_LIST)) {
        const top = await db.customer.findFirst({ where: { shop, deletedAt: null, shopifyId: { in: part } }, orderBy: { netSpentMinor: "desc" }, select: { shopifyId: true, netSpentMinor: true } });
        if (top && (!best || top.netSpentMinor > best.netSpentMinor)) best = top;
      }
      chosen = best?.shopifyId;
    }
  }
  if (!chosen) return null;
  const [member, customer] = await Promise.all([
    db.memberTier.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId: chosen } }, select: { tierHandle: true, syncedValue: true } }),
    db.customer.findFirst({ where: { shop, shopifyId: chosen, deletedAt: null }, select: { shopifyId: true, firstName: true, lastName: true, email: true } }),
  ]);
  if (!customer) return null;
  return {
    tierHandle: member?.tierHandle ?? "",
    customer: { id: customer.shopifyId, firstName: customer.firstName, lastName: customer.lastName, email: customer.email, membership: member?.syncedValue ?? null },
  };
}

/** A signed-in customer with no tier (no membership value), if the demo has one (with an entry tier open to all, it may not). */
export async function demoNonMember(shop: string): Promise<StorefrontCustomer | null> {
  let after = "";
  for (;;) {
    const page = await db.customer.findMany({ where: { shop, deletedAt: null, shopifyId: { gt: after } }, orderBy: { shopifyId: "asc" }, take: MAX_IN_LIST, select: { shopifyId: true, firstName: true, lastName: true, email: true } });
    if (page.length === 0) return null;
    const members = new Set((await db.memberTier.findMany({ where: { shop, customerShopifyId: { in: page.map((row) => row.shopifyId) } }, select: { customerShopifyId: true } })).map((row) => row.customerShopifyId));
    const customer = page.find((row) => !members.has(row.shopifyId));
    if (customer) return { id: customer.shopifyId, firstName: customer.firstName, lastName: customer.lastName, email: customer.email, membership: null };
    after = page[page.length - 1].shopifyId;
  }
}
