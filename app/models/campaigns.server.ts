// Campaign rows (issue 9), shop-scoped. The rules for what may change when
// live in app/domain/campaigns/campaign.ts; this only reads and writes.
import db from "~/db.server";
import type { CampaignInput, CampaignStatus } from "~/domain/campaigns/campaign";

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
