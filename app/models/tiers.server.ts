import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { storedProgramSchema, type MemberTierState, type TierProgram, type Totals } from "~/domain/tiers";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { empty, join, sql } from "./sql.server";
import { openWarnings, writeWarningChanges, type WarningOutcome } from "./tier-warnings.server";

type StoredProgram = Omit<TierProgram, "timeZone">;

function toProgram(definition: string, timeZone: string | undefined): TierProgram {
  return { ...storedProgramSchema.parse(JSON.parse(definition)), timeZone: timeZone ?? "UTC" };
}

/** Everything evaluation needs to know about a shop's program. */
export interface TierContext {
  program: TierProgram;
  version: number;
  /** A change saved "from the next evaluation", not yet in force. */
  pending: { program: TierProgram; from: Date } | null;
  lastSweptAt: Date | null;
  currencyCode: string;
  /** customerTotals: Shopify's lifetime totals stand in for the orders the app cannot read. */
  historySource: string | null;
  segmentIds: Record<string, string>;
}

export async function getTierContext(shop: string): Promise<TierContext | null> {
  const [row, shopRow] = await Promise.all([
    db.tierProgram.findUnique({ where: { shop } }),
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true, currencyCode: true, historySource: true } }),
  ]);
  if (!row) return null;
  return {
    program: toProgram(row.definition, shopRow?.ianaTimezone),
    version: row.version,
    pending: row.pendingDefinition && row.pendingFrom ? { program: toProgram(row.pendingDefinition, shopRow?.ianaTimezone), from: row.pendingFrom } : null,
    lastSweptAt: row.lastSweptAt,
    currencyCode: shopRow?.currencyCode ?? "USD",
    historySource: shopRow?.historySource ?? null,
    segmentIds: JSON.parse(row.segmentIds) as Record<string, string>,
  };
}

/** The shop's tier program with the shop's time zone, or null when it has none. */
export async function getTierProgram(shop: string): Promise<TierProgram | null> {
  return (await getTierContext(shop))?.program ?? null;
}

/** Puts rules in force now (a pending change is dropped: the merchant decided again). */
export async function saveTierProgram(shop: string, program: StoredProgram, now: Date) {
  const definition = JSON.stringify(storedProgramSchema.parse(program));
  return db.tierProgram.upsert({
    where: { shop },
    create: { shop, definition, lastSweptAt: now },
    update: { definition, version: { increment: 1 }, pendingDefinition: null, pendingFrom: null },
  });
}

/** Keeps a change to take over at the first evaluation on or after `from`. */
export async function savePendingTierProgram(shop: string, program: StoredProgram, from: Date) {
  const pendingDefinition = JSON.stringify(storedProgramSchema.parse(program));
  await db.tierProgram.updateMany({ where: { shop }, data: { pendingDefinition, pendingFrom: from } });
}

/** Puts a due pending change in force; true when this caller did it. */
export async function promotePendingProgram(shop: string, now: Date): Promise<boolean> {
  const row = await db.tierProgram.findUnique({ where: { shop }, select: { pendingDefinition: true, pendingFrom: true } });
  if (!row?.pendingDefinition || !row.pendingFrom || row.pendingFrom > now) return false;
  const { count } = await db.tierProgram.updateMany({
    where: { shop, pendingFrom: row.pendingFrom },
    data: { definition: row.pendingDefinition, version: { increment: 1 }, pendingDefinition: null, pendingFrom: null },
  });
  return count === 1;
}

export async function saveSegmentIds(shop: string, segmentIds: Record<string, string>) {
  await db.tierProgram.updateMany({ where: { shop }, data: { segmentIds: JSON.stringify(segmentIds) } });
}

/** Every shop's program and when its sweep last ran, in two queries however many shops there are. */
export async function listTierPrograms(): Promise<Array<{ shop: string; lastSweptAt: Date | null; pendingFrom: Date | null; program: TierProgram }>> {
  const rows = await db.tierProgram.findMany({ orderBy: { shop: "asc" } });
  const zones = new Map<string, string>();
  for (const shops of chunks(rows.map((row) => row.shop), MAX_IN_LIST)) {
    for (const shopRow of await db.shop.findMany({ where: { shop: { in: shops } }, select: { shop: true, ianaTimezone: true } })) zones.set(shopRow.shop, shopRow.ianaTimezone);
  }
  return rows.map((row) => ({ shop: row.shop, lastSweptAt: row.lastSweptAt, pendingFrom: row.pendingFrom, program: toProgram(row.definition, zones.get(row.shop)) }));
}

/**
 * Takes this evaluation's sweep for the caller: a compare-and-set on the last
 * sweep time, so of several workers only one sweeps a shop.
 */
export async function claimSweep(shop: string, lastSweptAt: Date | null, now: Date): Promise<boolean> {
  const { count } = await db.tierProgram.updateMany({ where: { shop, lastSweptAt }, data: { lastSweptAt: now } });
  return count === 1;
}

/** Members who hold a tier, the ones a sweep looks at. */
export async function tieredMembers(shop: string): Promise<string[]> {
  const rows = await db.memberTier.findMany({ where: { shop }, select: { customerShopifyId: true } });
  return rows.map((row) => row.customerShopifyId);
}

/** The shop's customers in pages of Shopify ids, in id order (keyset paging: constant cost per page). */
export async function* customerIdPages(shop: string, size = MAX_IN_LIST): AsyncGenerator<string[]> {
  let after = "";
  for (;;) {
    const rows = await db.customer.findMany({ where: { shop, deletedAt: null, shopifyId: { gt: after } }, orderBy: { shopifyId: "asc" }, take: size, select: { shopifyId: true } });
    if (rows.length === 0) return;
    yield rows.map((row) => row.shopifyId);
    after = rows.at(-1)!.shopifyId;
  }
}

export type StoredMemberTier = MemberTierState & { since: Date; membershipValue: string | null; tierTag: string | null };

/** Members' stored tiers, each with when its open downgrade warning first reached them (warnedAt, from TierWarning). */
export async function memberTierStates(shop: string, customerShopifyIds: string[]): Promise<Map<string, StoredMemberTier>> {
  const states = new Map<string, StoredMemberTier>();
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const [rows, warnings] = await Promise.all([db.memberTier.findMany({ where: { shop, customerShopifyId: { in: ids } } }), openWarnings(shop, ids)]);
    for (const row of rows) states.set(row.customerShopifyId, { ...row, warnedAt: warnings.get(row.customerShopifyId)?.firstWarnedAt ?? null });
  }
  return states;
}

export type MemberTotals = Totals & { recentSpendMinor: number };

/**
 * Each member's qualifying totals inside the window, computed by the database
 * from the purchase ledger's columns (app/domain/purchase-ledger.ts): net
 * spend, the number of orders that count (a free order too), the oldest of
 * them, and the spend since `recentSince` (for discount-cost estimates). One
 * aggregate per chunk of members; members without orders get zeros. Agrees
 * with the pure `qualifyingTotals` in app/domain/tiers.ts (tests hold them to
 * it). The orders are read from Order_member_totals_idx alone.
 */
export async function qualifyingTotalsOf(
  shop: string,
  customerShopifyIds: string[],
  window: { start: Date | null; end: Date; recentSince?: Date; lifetimeFloor?: boolean },
): Promise<Map<string, MemberTotals>> {
  const totals = new Map<string, MemberTotals>(customerShopifyIds.map((id) => [id, { netSpendMinor: 0, orders: 0, oldestCountedAt: null, recentSpendMinor: 0 }]));
  const recentSince = window.recentSince ?? window.end;
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const rows = await db.$queryRaw<Array<{ customer: string; spend: number | bigint | null; orders: number | bigint; oldest: string | Date | null; recent: number | bigint | null }>>`
      SELECT o."customerShopifyId" AS customer,
             SUM(o."netSpendMinor") AS spend,
             COUNT(*) AS orders,
             MIN(o."processedAt") AS oldest,
             SUM(CASE WHEN o."processedAt" >= ${recentSince} THEN o."netSpendMinor" ELSE 0 END) AS recent
      FROM "Order" o
      WHERE o."shop" = ${shop}
        AND o."customerShopifyId" IN (${join(ids)})
        AND o."countsAsPurchase" = ${true}
        AND o."processedAt" <= ${window.end}
        ${window.start ? sql`AND o."processedAt" >= ${window.start}` : empty}
      GROUP BY o."customerShopifyId"`;
    for (const row of rows) {
      totals.set(row.customer, {
        netSpendMinor: Number(row.spend ?? 0),
        orders: Number(row.orders),
        oldestCountedAt: row.oldest === null ? null : new Date(row.oldest),
        recentSpendMinor: Number(row.recent ?? 0),
      });
    }
    if (window.lifetimeFloor) {
      const lifetimes = await db.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, shopifyAmountSpentMinor: true, shopifyOrderCount: true } });
      for (const row of lifetimes) {
        const own = totals.get(row.shopifyId)!;
        own.netSpendMinor = Math.max(own.netSpendMinor, row.shopifyAmountSpentMinor ?? 0);
        own.orders = Math.max(own.orders, row.shopifyOrderCount ?? 0);
      }
    }
  }
  return totals;
}

/** What an evaluation decided for one member, written in bulk by `writeTierOutcomes`. */
export interface TierOutcome {
  customerShopifyId: string;
  tierHandle: string;
  since: Date;
  downgradeOn: Date | null;
  membershipValue: string;
  tierTag: string | null;
  change: { action: string; fromHandle: string | null; toHandle: string; reason: string; actor?: string | null } | null;
  event: { kind: string; payload: unknown } | null;
  /** The member's downgrade warning record: a downgrade announced, or the review ended. */
  warning?: { open: { tierHandle: string; toHandle: string } } | { close: WarningOutcome } | null;
}

// Rows per statement: MemberTier 9 parameters each, TierChange 8, DomainEvent 5; all stay under 999.
const MEMBER_TIERS_PER_UPSERT = 110;
const CHANGES_PER_INSERT = 120;
const EVENTS_PER_INSERT = 190;

/**
 * A UUID whose first 48 bits are the time (version 7, RFC 9562): rows inserted
 * together land side by side in the primary-key index, where random UUIDs
 * scatter them over its whole width (three times slower for a shop's members).
 * The random part comes from randomUUID, which draws from a pool.
 */
function timeOrderedId(): string {
  const time = Date.now().toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/**
 * Stores a batch of outcomes set-based: their tiers in multi-row upserts (the
 * tier, announced downgrade, membership value and tag; pins are left as they
 * are), their history entries and domain events in multi-row inserts. Plain
 * INSERTs rather than createMany, which took four times as long (90 µs a row
 * against 22 in bench:tiers).
 */
export async function writeTierOutcomes(shop: string, outcomes: TierOutcome[], now: Date): Promise<void> {
  for (const rows of chunks(outcomes, MEMBER_TIERS_PER_UPSERT)) {
    await db.$executeRaw`
      INSERT INTO "MemberTier" ("id", "shop", "customerShopifyId", "tierHandle", "since", "downgradeOn", "membershipValue", "tierTag", "updatedAt")
      VALUES ${join(rows.map((row) => sql`(${timeOrderedId()}, ${shop}, ${row.customerShopifyId}, ${row.tierHandle}, ${row.since}, ${row.downgradeOn}, ${row.membershipValue}, ${row.tierTag}, ${now})`))}
      ON CONFLICT ("shop", "customerShopifyId") DO UPDATE SET
        "tierHandle" = excluded."tierHandle", "since" = excluded."since", "downgradeOn" = excluded."downgradeOn",
        "membershipValue" = excluded."membershipValue", "tierTag" = excluded."tierTag", "updatedAt" = excluded."updatedAt",
        "syncError" = CASE WHEN "MemberTier"."membershipValue" = excluded."membershipValue" THEN "MemberTier"."syncError" ELSE NULL END`;
  }
  const changes = outcomes.flatMap(({ customerShopifyId, change }) => (change ? [{ customerShopifyId, ...change }] : []));
  for (const rows of chunks(changes, CHANGES_PER_INSERT)) {
    await db.$executeRaw`
      INSERT INTO "TierChange" ("shop", "customerShopifyId", "action", "fromHandle", "toHandle", "reason", "actor", "at")
      VALUES ${join(rows.map((row) => sql`(${shop}, ${row.customerShopifyId}, ${row.action}, ${row.fromHandle}, ${row.toHandle}, ${row.reason}, ${row.actor ?? null}, ${now})`))}`;
  }
  await writeWarningChanges(
    shop,
    {
      open: outcomes.flatMap(({ customerShopifyId, warning }) => (warning && "open" in warning ? [{ customerShopifyId, ...warning.open }] : [])),
      close: outcomes.flatMap(({ customerShopifyId, warning }) => (warning && "close" in warning ? [{ customerShopifyId, outcome: warning.close }] : [])),
    },
    now,
  );
  const events = outcomes.flatMap(({ customerShopifyId, event }) => (event ? [{ customerShopifyId, kind: event.kind, payload: JSON.stringify(event.payload) }] : []));
  for (const rows of chunks(events, EVENTS_PER_INSERT)) {
    await db.$executeRaw`
      INSERT INTO "DomainEvent" ("shop", "kind", "customerShopifyId", "payload", "at")
      VALUES ${join(rows.map((row) => sql`(${shop}, ${row.kind}, ${row.customerShopifyId}, ${row.payload}, ${now})`))}`;
  }
}

/** Staff pin a member to a tier until a date (or lift the pin with `handle: null`), recorded with who and why. */
export async function savePin(shop: string, customerShopifyId: string, pin: { handle: string | null; until: Date | null; reason: string; actor: string }, currentHandle: string, now: Date) {
  await db.memberTier.updateMany({
    where: { shop, customerShopifyId },
    data: { pinnedHandle: pin.handle, pinnedUntil: pin.until, pinnedReason: pin.handle ? pin.reason : null, pinnedBy: pin.handle ? pin.actor : null },
  });
  await db.tierChange.create({
    data: {
      shop,
      customerShopifyId,
      action: pin.handle ? "pin" : "unpin",
      fromHandle: currentHandle,
      toHandle: pin.handle ?? currentHandle,
      reason: pin.handle ? `${pin.reason}${pin.until ? ` (until ${pin.until.toISOString().slice(0, 10)})` : ""}` : pin.reason,
      actor: pin.actor,
      at: now,
    },
  });
}

export async function tierHistory(shop: string, customerShopifyId: string) {
  return db.tierChange.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "asc" } });
}

/** Members per tier handle, for the Tiers page. */
export async function membersPerTier(shop: string): Promise<Map<string, number>> {
  const rows = await db.memberTier.groupBy({ by: ["tierHandle"], where: { shop }, _count: { _all: true } });
  return new Map(rows.map((row) => [row.tierHandle, row._count._all]));
}

export async function domainEventsAfter(shop: string, afterId: number, kinds?: string[], limit = 500) {
  return db.domainEvent.findMany({ where: { shop, id: { gt: afterId }, ...(kinds ? { kind: { in: kinds } } : {}) }, orderBy: { id: "asc" }, take: limit });
}

// ------------------------------------------------------ sync to Shopify

/** Members whose membership value Shopify does not have yet (and that did not fail validation there). */
export async function unsyncedMemberships(shop: string, limit: number): Promise<Array<{ customerShopifyId: string; membershipValue: string }>> {
  return db.$queryRaw`
    SELECT "customerShopifyId", "membershipValue" FROM "MemberTier"
    WHERE "shop" = ${shop} AND "membershipValue" IS NOT NULL AND "syncError" IS NULL
      AND ("syncedValue" IS NULL OR "syncedValue" <> "membershipValue")
    ORDER BY "customerShopifyId" LIMIT ${limit}`;
}

/** Records what Shopify now holds; a value recomputed meanwhile stays due (compare-and-set on the value). */
export async function markMembershipsSynced(shop: string, written: Array<{ customerShopifyId: string; membershipValue: string }>): Promise<void> {
  for (const rows of chunks(written, 100)) {
    await db.$executeRaw`UPDATE "MemberTier" SET "syncedValue" = "membershipValue"
      WHERE "shop" = ${shop} AND "customerShopifyId" IN (${join(rows.map((row) => row.customerShopifyId))})
        AND "membershipValue" = CASE "customerShopifyId" ${join(rows.map((row) => sql`WHEN ${row.customerShopifyId} THEN ${row.membershipValue}`), " ")} END`;
  }
}

/** Shopify refused this value: it is not retried until a new value is computed. */
export async function markMembershipRejected(shop: string, customerShopifyId: string, membershipValue: string, error: string): Promise<void> {
  await db.memberTier.updateMany({ where: { shop, customerShopifyId, membershipValue }, data: { syncError: error.slice(0, 500) } });
}

export async function unsyncedTags(shop: string, limit: number): Promise<Array<{ customerShopifyId: string; tierTag: string | null; syncedTag: string | null }>> {
  return db.$queryRaw`
    SELECT "customerShopifyId", "tierTag", "syncedTag" FROM "MemberTier"
    WHERE "shop" = ${shop} AND ("tierTag" IS NOT NULL OR "syncedTag" IS NOT NULL)
      AND ("tierTag" IS NULL OR "syncedTag" IS NULL OR "tierTag" <> "syncedTag")
    ORDER BY "customerShopifyId" LIMIT ${limit}`;
}

export async function markTagSynced(shop: string, customerShopifyId: string, tag: string | null): Promise<void> {
  await db.memberTier.updateMany({ where: { shop, customerShopifyId, tierTag: tag }, data: { syncedTag: tag } });
}

/** How far Shopify is behind the app, for the Tiers page. */
export async function membershipSyncStatus(shop: string) {
  const [rows] = await db.$queryRaw<Array<{ members: number | bigint; synced: number | bigint; rejected: number | bigint }>>`
    SELECT COUNT(*) AS members,
           SUM(CASE WHEN "syncedValue" = "membershipValue" THEN 1 ELSE 0 END) AS synced,
           SUM(CASE WHEN "syncError" IS NOT NULL THEN 1 ELSE 0 END) AS rejected
    FROM "MemberTier" WHERE "shop" = ${shop}`;
  return { members: Number(rows.members), synced: Number(rows.synced ?? 0), rejected: Number(rows.rejected ?? 0) };
}
