// The record of downgrade warnings (docs/decisions/0011-membership-messages.md):
// one TierWarning row per announced downgrade, saying when and where the
// warning reached the member. The tier sweep reads `firstWarnedAt` (no
// downgrade without it; the grace period runs from it), the Tiers page the
// counts per channel, and the demo's summary the audit of downgrades.
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";
import { join, sql } from "./sql.server";

/** Where a warning reached the member: a message channel, or their account and checkout pages (the membership metafield). */
export type WarningChannel = "email" | "sms" | "flow" | "account";
export type WarningOutcome = "downgraded" | "kept" | "pinned";

const CHANNEL_COLUMN = { email: "emailAt", sms: "smsAt", flow: "flowAt", account: "publishedAt" } as const;

/**
 * A Shopify Flow trigger hands the member to the merchant's workflow, which
 * may message them or may only tag them: accepted, it is kept as a channel
 * used, but it does not by itself count as the member having been warned.
 */
export const REACHES_MEMBER: Record<WarningChannel, boolean> = { email: true, sms: true, flow: false, account: true };

/** Each member's open warning's first reach (null: announced, not yet delivered or shown). Members without an open warning are absent. */
export async function openWarnings(shop: string, customerShopifyIds: string[]): Promise<Map<string, { firstWarnedAt: Date | null }>> {
  const found = new Map<string, { firstWarnedAt: Date | null }>();
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const rows = await db.tierWarning.findMany({ where: { shop, customerShopifyId: { in: ids }, closedAt: null }, select: { customerShopifyId: true, firstWarnedAt: true } });
    for (const row of rows) found.set(row.customerShopifyId, { firstWarnedAt: row.firstWarnedAt });
  }
  return found;
}

export interface WarningChanges {
  /** Newly announced downgrades (members without an open warning). */
  open: Array<{ customerShopifyId: string; tierHandle: string; toHandle: string }>;
  /** Reviews that ended, by how. */
  close: Array<{ customerShopifyId: string; outcome: WarningOutcome }>;
}

// 6 parameters a row: well under every bound-value limit.
const WARNINGS_PER_INSERT = 150;

/** Opens and closes warnings as an evaluation decided (in the same pass that wrote the members' tiers). */
export async function writeWarningChanges(shop: string, changes: WarningChanges, now: Date): Promise<void> {
  const byOutcome = new Map<WarningOutcome, string[]>();
  for (const { customerShopifyId, outcome } of changes.close) byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), customerShopifyId]);
  for (const [outcome, customers] of byOutcome) {
    for (const ids of chunks(customers, MAX_IN_LIST)) {
      await db.tierWarning.updateMany({ where: { shop, customerShopifyId: { in: ids }, closedAt: null }, data: { closedAt: now, outcome } });
    }
  }
  // One open warning per member: a member announced again keeps theirs.
  const opening = changes.open;
  const already = await openWarnings(shop, opening.map((row) => row.customerShopifyId));
  const fresh = opening.filter((row) => !already.has(row.customerShopifyId));
  for (const rows of chunks(fresh, WARNINGS_PER_INSERT)) {
    await db.$executeRaw`
      INSERT INTO "TierWarning" ("id", "shop", "customerShopifyId", "tierHandle", "toHandle", "announcedAt")
      VALUES ${join(rows.map((row) => sql`(${randomUUID()}, ${shop}, ${row.customerShopifyId}, ${row.tierHandle}, ${row.toHandle}, ${now})`))}`;
  }
}

/**
 * The warning reached these members on `channel` at `at`: recorded on their
 * open warning (the first reach starts the grace period; later ones only add
 * the channel). `announcedBy`: a message counts only for a warning announced
 * at or before it was planned, never for a later one it did not carry.
 * Returns the members whose first reach this was.
 */
export async function recordWarningReached(shop: string, customerShopifyIds: string[], channel: WarningChannel, at: Date, announcedBy?: Date): Promise<number> {
  const column = CHANNEL_COLUMN[channel];
  let first = 0;
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const where = { shop, customerShopifyId: { in: ids }, closedAt: null, ...(announcedBy ? { announcedAt: { lte: announcedBy } } : {}) };
    if (REACHES_MEMBER[channel]) {
      first += (await db.tierWarning.updateMany({ where: { ...where, firstWarnedAt: null }, data: { firstWarnedAt: at, firstChannel: channel } })).count;
    }
    await db.tierWarning.updateMany({ where: { ...where, [column]: null }, data: { [column]: at } });
  }
  return first;
}

/** The member's open downgrade warning (null: not under review), for their page in the admin. */
export async function memberWarning(shop: string, customerShopifyId: string) {
  return db.tierWarning.findFirst({
    where: { shop, customerShopifyId, closedAt: null },
    select: { announcedAt: true, firstWarnedAt: true, emailAt: true, smsAt: true, publishedAt: true, flowAt: true },
  });
}

/** Message statuses still on their way to the member. */
const PENDING = ["scheduled", "deferred", "sending", "paused"] as const;

export interface ReviewReach {
  /** Members under review now (an open warning). */
  underReview: number;
  /** Of them, reached by at least one channel: their grace period is running. */
  warned: number;
  /** Per channel (a member reached on two counts in both). */
  byChannel: Record<WarningChannel, number>;
  /** No message reached them and none is on its way (no consent, no address, flow off): warned only on their account and checkout pages, if at all. */
  noMessage: number;
  /** Not reached anywhere yet (the metafield write and any message still pending): their grace period has not started. */
  notYetWarned: number;
}

/** How the members under review now were warned, for the Tiers page. One aggregate over the open warnings. */
export async function reviewReach(shop: string): Promise<ReviewReach> {
  const [row] = await db.$queryRaw<Array<Record<string, number | bigint | null>>>`
    SELECT COUNT(*) AS "underReview",
           SUM(CASE WHEN w."firstWarnedAt" IS NOT NULL THEN 1 ELSE 0 END) AS "warned",
           SUM(CASE WHEN w."emailAt" IS NOT NULL THEN 1 ELSE 0 END) AS "email",
           SUM(CASE WHEN w."smsAt" IS NOT NULL THEN 1 ELSE 0 END) AS "sms",
           SUM(CASE WHEN w."flowAt" IS NOT NULL THEN 1 ELSE 0 END) AS "flow",
           SUM(CASE WHEN w."publishedAt" IS NOT NULL THEN 1 ELSE 0 END) AS "account",
           SUM(CASE WHEN w."emailAt" IS NULL AND w."smsAt" IS NULL AND NOT EXISTS (
                 SELECT 1 FROM "Message" m
                 WHERE m."shop" = w."shop" AND m."customerShopifyId" = w."customerShopifyId" AND m."source" = 'flow' AND m."sourceId" = 'downgradeWarning'
                   AND m."plannedAt" >= w."announcedAt" AND m."status" IN (${join([...PENDING])})
               ) THEN 1 ELSE 0 END) AS "noMessage"
    FROM "TierWarning" w
    WHERE w."shop" = ${shop} AND w."closedAt" IS NULL`;
  const n = (key: string) => Number(row?.[key] ?? 0);
  return {
    underReview: n("underReview"),
    warned: n("warned"),
    byChannel: { email: n("email"), sms: n("sms"), flow: n("flow"), account: n("account") },
    noMessage: n("noMessage"),
    notYetWarned: n("underReview") - n("warned"),
  };
}

export interface UnwarnedDowngrade {
  customerShopifyId: string;
  fromHandle: string | null;
  toHandle: string;
  at: Date;
}

/**
 * The promise's audit: members the app downgraded (staff pins aside, which are
 * a person's decision) without a warning that had reached them before, still
 * open at the time. Empty when the promise held. The demo's summary prints its length.
 */
export async function downgradesWithoutWarning(shop: string): Promise<UnwarnedDowngrade[]> {
  const rows = await db.$queryRaw<Array<Omit<UnwarnedDowngrade, "at"> & { at: Date | string }>>`
    SELECT d."customerShopifyId", d."fromHandle", d."toHandle", d."at"
    FROM "TierChange" d
    WHERE d."shop" = ${shop} AND d."action" = 'downgrade' AND d."actor" IS NULL AND d."reason" <> 'pinned by staff'
      AND NOT EXISTS (
        SELECT 1 FROM "TierWarning" w
        WHERE w."shop" = d."shop" AND w."customerShopifyId" = d."customerShopifyId"
          AND w."firstWarnedAt" IS NOT NULL AND w."firstWarnedAt" < d."at"
          AND (w."closedAt" IS NULL OR w."closedAt" >= d."at")
      )
    ORDER BY d."at", d."customerShopifyId"`;
  return rows.map((row) => ({ ...row, at: new Date(row.at) }));
}
