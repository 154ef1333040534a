import { createHmac } from "node:crypto";
import db from "~/db.server";
import { env } from "~/env.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

/**
 * Erasure tombstones (issue 18): what is left of an erased customer, order or
 * shop is a one-way digest, HMAC-SHA256 keyed with the server's erasure key
 * (ERASURE_TOMBSTONE_KEY, else the app's secret), so a late webhook about it can
 * be recognised and not projected, while the table names nobody: without the
 * key not even a guessed id can be confirmed (a plain hash of a sequential
 * Shopify id could be, by trying them all). The key must stay the same for as
 * long as late webhooks can come: a new key makes the old tombstones match
 * nothing (docs/operations.md, Erasure and retention).
 */
export type TombstoneKind = "shop" | "customer" | "order";

function key(): string {
  const config = env();
  return config.ERASURE_TOMBSTONE_KEY ?? config.SHOPIFY_API_SECRET;
}

/** The digest of one subject; the kind and shop are part of what is hashed, so equal ids of two shops differ. */
export function tombstoneDigest(kind: TombstoneKind, shop: string, id: string | null = null): string {
  return createHmac("sha256", key()).update(`${kind}\u0000${shop}\u0000${id ?? ""}`).digest("hex");
}

const shopDigest = (shop: string) => tombstoneDigest("shop", shop);

/** Records the customer and their orders as erased (idempotent). */
export async function buryCustomer(shop: string, customerShopifyId: string, orderShopifyIds: string[], now: Date): Promise<void> {
  const scope = shopDigest(shop);
  const rows = [
    { digest: tombstoneDigest("customer", shop, customerShopifyId), kind: "customer" },
    ...orderShopifyIds.map((id) => ({ digest: tombstoneDigest("order", shop, id), kind: "order" })),
  ];
  await insertTombstones(rows.map((row) => ({ ...row, shopDigest: scope, erasedAt: now })));
}

/**
 * Records the shop as erased. Its customers' and orders' tombstones go: the
 * shop's own covers everything of it, and the table keeps nothing per person
 * of a shop that is gone.
 */
export async function buryShop(shop: string, now: Date): Promise<void> {
  const scope = shopDigest(shop);
  await db.erasureTombstone.deleteMany({ where: { shopDigest: scope, kind: { not: "shop" } } });
  await insertTombstones([{ digest: scope, kind: "shop", shopDigest: scope, erasedAt: now }]);
}

/** A shop that installs again starts afresh: its tombstone goes. */
export async function unburyShop(shop: string): Promise<boolean> {
  const { count } = await db.erasureTombstone.deleteMany({ where: { digest: shopDigest(shop), kind: "shop" } });
  return count > 0;
}

/** Which of these shops were erased. */
export async function erasedShops(shops: string[]): Promise<Set<string>> {
  const byDigest = new Map([...new Set(shops)].map((shop) => [shopDigest(shop), shop]));
  const found = new Set<string>();
  for (const part of chunks([...byDigest.keys()], MAX_IN_LIST)) {
    const rows = await db.erasureTombstone.findMany({ where: { digest: { in: part }, kind: "shop" }, select: { digest: true } });
    for (const row of rows) found.add(byDigest.get(row.digest)!);
  }
  return found;
}

/** Which of these digests (customers and orders, from tombstoneDigest) are tombstoned. */
export async function buriedDigests(digests: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks([...new Set(digests)], MAX_IN_LIST)) {
    const rows = await db.erasureTombstone.findMany({ where: { digest: { in: part } }, select: { digest: true } });
    for (const row of rows) found.add(row.digest);
  }
  return found;
}

async function insertTombstones(rows: Array<{ digest: string; kind: string; shopDigest: string; erasedAt: Date }>) {
  // Portable "insert unless present" (createMany's skipDuplicates is not on SQLite).
  for (const part of chunks(rows, 200)) {
    const existing = await buriedDigests(part.map((row) => row.digest));
    const fresh = part.filter((row) => !existing.has(row.digest));
    if (fresh.length > 0) await db.erasureTombstone.createMany({ data: fresh });
  }
}

/** Which of these customers and orders of the shop were erased by customers/redact. */
export async function erasedOf(shop: string, { customers = [], orders = [] }: { customers?: string[]; orders?: string[] }): Promise<{ customers: Set<string>; orders: Set<string> }> {
  const byDigest = new Map<string, { kind: "customers" | "orders"; id: string }>([
    ...customers.map((id): [string, { kind: "customers"; id: string }] => [tombstoneDigest("customer", shop, id), { kind: "customers", id }]),
    ...orders.map((id): [string, { kind: "orders"; id: string }] => [tombstoneDigest("order", shop, id), { kind: "orders", id }]),
  ]);
  const found = { customers: new Set<string>(), orders: new Set<string>() };
  for (const digest of await buriedDigests([...byDigest.keys()])) {
    const { kind, id } = byDigest.get(digest)!;
    found[kind].add(id);
  }
  return found;
}
