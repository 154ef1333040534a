import db from "~/db.server";

/** The member list: customers with their tier, biggest spenders first, optionally searched by name or email. */
export async function listMembers(shop: string, { query, limit = 50 }: { query?: string; limit?: number }) {
  const text = query?.trim();
  const customers = await db.customer.findMany({
    where: {
      shop,
      deletedAt: null,
      ...(text ? { OR: [{ email: { contains: text } }, { firstName: { contains: text } }, { lastName: { contains: text } }, { shopifyId: text }] } : {}),
    },
    orderBy: [{ netSpentMinor: "desc" }, { shopifyId: "asc" }],
    take: limit,
    select: { shopifyId: true, firstName: true, lastName: true, email: true, orderCount: true, netSpentMinor: true },
  });
  const tiers = await db.memberTier.findMany({ where: { shop, customerShopifyId: { in: customers.map((c) => c.shopifyId) } }, select: { customerShopifyId: true, tierHandle: true } });
  const tierOf = new Map(tiers.map((row) => [row.customerShopifyId, row.tierHandle]));
  return customers.map((customer) => ({ ...customer, tierHandle: tierOf.get(customer.shopifyId) ?? null }));
}

/** One member's file as the member page shows it: facts, tier state and tier history. */
export async function memberFile(shop: string, customerShopifyId: string) {
  const [customer, tier, history] = await Promise.all([
    db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } } }),
    db.memberTier.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } } }),
    db.tierChange.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "desc" }, take: 100 }),
  ]);
  if (!customer || customer.deletedAt) return null;
  return { customer, tier, history };
}
