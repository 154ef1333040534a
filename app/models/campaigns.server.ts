// Campaign rows (issue 9), shop-scoped. The rules for what may change when
// live in app/domain/campaigns/campaign.ts; this only reads and writes.
import db from "~/db.server";
import type { CampaignInput, CampaignStatus } from "~/domain/campaigns/campaign";
import { CAMPAIGN_LIST_STATUSES, offsetOf, type CampaignListQuery } from "~/domain/list-query";
import { join, raw, sql } from "./sql.server";

const columns = (input: CampaignInput) => ({
  name: input.name,
  channel: input.channel,
  content: JSON.stringify(input.content),
  audience: JSON.stringify(input.audience),
  sendOn: input.sendOn,
  sendHour: input.sendHour,
  validityDays: input.validityDays,
  holdoutPercent: input.holdoutPercent,
  attributionDays: input.attributionDays,
  activeHours: input.activeHours,
  preAnnouncement: input.preAnnouncement ? JSON.stringify(input.preAnnouncement) : null,
});

export async function createCampaign(shop: string, input: CampaignInput, staffId: string | null, now: Date, duplicatedFrom: string | null = null) {
  return db.campaign.create({ data: { shop, ...columns(input), status: "draft", createdBy: staffId, duplicatedFrom, createdAt: now, updatedAt: now } });
}

/** Saves a draft; false when it is not (any more) a draft of this shop. */
export async function updateDraft(shop: string, id: string, input: CampaignInput, now: Date): Promise<boolean> {
  const { count } = await db.campaign.updateMany({ where: { shop, id, status: "draft" }, data: { ...columns(input), updatedAt: now } });
  return count === 1;
}

export const getCampaign = (shop: string, id: string) => db.campaign.findFirst({ where: { shop, id } });

export async function listCampaigns(shop: string, { status, limit = 100 }: { status?: CampaignStatus; limit?: number } = {}) {
  return db.campaign.findMany({ where: { shop, ...(status ? { status } : {}) }, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: limit });
}

export interface CampaignListRow {
  id: string;
  name: string;
  status: string;
  channel: string;
  audienceCount: number | null;
  sendOn: string | null;
  sendHour: number;
  createdAt: Date;
}

/**
 * One page of the Campaigns list (issue 20) as `query` asks: by status and
 * channel, by name (any case), newest first or by send date (campaigns
 * without a date last either way); how many match, and how many the shop has
 * in each status (the views' counts). Three statements whatever the count.
 */
export async function campaignListPage(shop: string, query: CampaignListQuery) {
  const conditions = [sql`"shop" = ${shop}`];
  if (query.statuses.length) conditions.push(sql`"status" IN (${join(query.statuses)})`);
  if (query.channels.length) conditions.push(sql`"channel" IN (${join(query.channels)})`);
  if (query.q) conditions.push(sql`LOWER("name") LIKE ${`%${query.q.toLowerCase()}%`}`);
  const where = join(conditions, " AND ");
  const dir = raw(query.direction === "asc" ? "ASC" : "DESC");
  const order = query.sort === "sendOn" ? sql`CASE WHEN "sendOn" IS NULL THEN 1 ELSE 0 END ASC, "sendOn" ${dir}, "sendHour" ${dir}, "createdAt" DESC, "id" ASC` : sql`"createdAt" ${dir}, "id" ASC`;
  const [ids, [{ total }], byStatus] = await Promise.all([
    db.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Campaign" WHERE ${where} ORDER BY ${order} LIMIT ${raw(String(query.pageSize))} OFFSET ${raw(String(offsetOf(query)))}`,
    db.$queryRaw<Array<{ total: number | bigint }>>`SELECT COUNT(*) AS "total" FROM "Campaign" WHERE ${where}`,
    db.campaign.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
  ]);
  const select = { id: true, name: true, status: true, channel: true, audienceCount: true, sendOn: true, sendHour: true, createdAt: true } as const;
  const rows = ids.length ? await db.campaign.findMany({ where: { shop, id: { in: ids.map((row) => row.id) } }, select }) : [];
  const place = new Map(ids.map((row, index) => [row.id, index]));
  const counts = Object.fromEntries(CAMPAIGN_LIST_STATUSES.map((status) => [status, byStatus.find((row) => row.status === status)?._count._all ?? 0])) as Record<(typeof CAMPAIGN_LIST_STATUSES)[number], number>;
  return { rows: rows.sort((a, b) => place.get(a.id)! - place.get(b.id)!) as CampaignListRow[], total: Number(total), counts };
}

/** Moves a campaign from one status to another by compare-and-set: false when another request moved it first. */
export async function moveCampaign(shop: string, id: string, from: CampaignStatus[], to: CampaignStatus, now: Date, extra: { audienceCount?: number } = {}): Promise<boolean> {
  const stamp = to === "scheduled" ? { scheduledAt: now } : to === "sending" ? { startedAt: now } : to === "done" ? { finishedAt: now } : to === "cancelled" ? { cancelledAt: now } : {};
  const { count } = await db.campaign.updateMany({ where: { shop, id, status: { in: from } }, data: { status: to, updatedAt: now, ...stamp, ...extra } });
  return count === 1;
}

/** Campaigns whose first messages are due (scheduled → sending) or whose messages are all final (sending → done). */
export const campaignsIn = (shop: string, status: CampaignStatus) => db.campaign.findMany({ where: { shop, status }, select: { id: true } });

/**
 * How far a campaign's messages are: `due` are contacted-group messages whose
 * time has come (sent or not), `unsent` those still to go (scheduled, deferred,
 * paused, or being sent). Held-out rows are neither.
 */
export async function campaignMessageProgress(shop: string, id: string, now: Date): Promise<{ due: number; unsent: number }> {
  const [due, unsent] = await Promise.all([
    db.message.count({ where: { shop, sourceId: id, holdout: false, plannedAt: { lte: now } } }),
    db.message.count({ where: { shop, sourceId: id, holdout: false, status: { in: ["scheduled", "deferred", "paused", "sending"] } } }),
  ]);
  return { due, unsent };
}

export const eraseShopCampaigns = (shop: string) => db.campaign.deleteMany({ where: { shop } });
