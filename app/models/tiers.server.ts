import db from "~/db.server";
import { storedProgramSchema, type MemberTierState, type TierDecision, type TierProgram } from "~/domain/tiers";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

function toProgram(definition: string, timeZone: string | undefined): TierProgram {
  return { ...storedProgramSchema.parse(JSON.parse(definition)), timeZone: timeZone ?? "UTC" };
}

/** The shop's tier program with the shop's time zone, or null when it has none. */
export async function getTierProgram(shop: string): Promise<TierProgram | null> {
  const [row, shopRow] = await Promise.all([db.tierProgram.findUnique({ where: { shop } }), db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } })]);
  return row ? toProgram(row.definition, shopRow?.ianaTimezone) : null;
}

export async function saveTierProgram(shop: string, program: Omit<TierProgram, "timeZone">, now: Date) {
  const definition = JSON.stringify(storedProgramSchema.parse(program));
  return db.tierProgram.upsert({ where: { shop }, create: { shop, definition, lastSweptAt: now }, update: { definition, version: { increment: 1 } } });
}

/** Every shop's program and when its sweep last ran, in two queries however many shops there are. */
export async function listTierPrograms(): Promise<Array<{ shop: string; lastSweptAt: Date | null; program: TierProgram }>> {
  const rows = await db.tierProgram.findMany({ orderBy: { shop: "asc" } });
  const zones = new Map<string, string>();
  for (const shops of chunks(rows.map((row) => row.shop), MAX_IN_LIST)) {
    for (const shopRow of await db.shop.findMany({ where: { shop: { in: shops } }, select: { shop: true, ianaTimezone: true } })) zones.set(shopRow.shop, shopRow.ianaTimezone);
  }
  return rows.map((row) => ({ shop: row.shop, lastSweptAt: row.lastSweptAt, program: toProgram(row.definition, zones.get(row.shop)) }));
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

export async function memberTierStates(shop: string, customerShopifyIds: string[]): Promise<Map<string, MemberTierState>> {
  const states = new Map<string, MemberTierState>();
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const rows = await db.memberTier.findMany({ where: { shop, customerShopifyId: { in: ids } } });
    for (const row of rows) states.set(row.customerShopifyId, row);
  }
  return states;
}

/** Records decisions that change something: the member's tier row and a history entry each. */
export async function applyTierDecisions(shop: string, decisions: Array<{ customerShopifyId: string; decision: TierDecision }>, now: Date) {
  for (const { customerShopifyId, decision } of decisions) {
    if (decision.action === "keep") continue;
    const where = { shop_customerShopifyId: { shop, customerShopifyId } };
    if (decision.action === "warn") {
      await db.memberTier.updateMany({ where: { shop, customerShopifyId }, data: { downgradeOn: decision.downgradeOn } });
      await db.tierChange.create({ data: { shop, customerShopifyId, action: "warn", fromHandle: decision.tier.handle, toHandle: decision.to.handle, reason: `below the tier's threshold; downgrade on ${decision.downgradeOn.toISOString().slice(0, 10)} unless it is met again`, at: now } });
    } else if (decision.action === "clearWarning") {
      await db.memberTier.updateMany({ where: { shop, customerShopifyId }, data: { downgradeOn: null } });
      await db.tierChange.create({ data: { shop, customerShopifyId, action: "clearWarning", fromHandle: decision.tier.handle, toHandle: decision.tier.handle, reason: "meets the tier's threshold again", at: now } });
    } else {
      await db.memberTier.upsert({
        where,
        create: { shop, customerShopifyId, tierHandle: decision.to.handle, since: now },
        update: { tierHandle: decision.to.handle, since: now, downgradeOn: null },
      });
      await db.tierChange.create({
        data: { shop, customerShopifyId, action: decision.from ? decision.action : "placed", fromHandle: decision.from?.handle ?? null, toHandle: decision.to.handle, reason: decision.reason, at: now },
      });
    }
  }
}

export async function tierHistory(shop: string, customerShopifyId: string) {
  return db.tierChange.findMany({ where: { shop, customerShopifyId }, orderBy: { at: "asc" } });
}
