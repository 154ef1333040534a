// Campaigns (issue 9): saving drafts, the live audience count, scheduling
// (every member's message planned as a row, the holdout kept back), cancelling,
// duplicating, and moving campaigns along as their messages go out. Sending
// itself is the dispatcher's, under the one contact policy (ADR 0008).
import { parseStoredAudience, validateAudience } from "~/domain/campaigns/audience";
import { CAMPAIGN_PRIORITY, campaignSchema, canCancel, canEdit, canSchedule, scheduleProblems, sendTimes, validateCampaign, type CampaignInput, type CampaignStatus, type FieldErrors } from "~/domain/campaigns/campaign";
import type { TemplateContent } from "~/domain/care/templates";
import type { Channel } from "~/domain/care/types";
import { localDate } from "~/domain/local-time";
import { isHeldOut } from "~/domain/results/holdout";
import { audiencePage, countAudience } from "~/models/campaign-audience.server";
import { campaignMessageProgress, campaignsIn, createCampaign, getCampaign, moveCampaign, updateDraft } from "~/models/campaigns.server";
import { cancelMessages, planMessages, type PlannedMessage } from "~/models/messages.server";
import { getShop } from "~/models/shops.server";
import { getTierProgram } from "~/models/tiers.server";

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FieldErrors } | { ok: false; notEditable: true };

/** The activity id a campaign's holdout draws and its messages' sourceId use. */
export const campaignActivity = (id: string) => `campaign:${id}`;

/**
 * The tiers an audience names must be the shop's (issue 18): the editor offers
 * only the program's tiers, so another handle is refused rather than saved as a
 * filter that silently selects nobody.
 */
async function unknownTiers(shop: string, tiers: readonly string[]): Promise<boolean> {
  if (tiers.length === 0) return false;
  const handles = new Set((await getTierProgram(shop))?.tiers.map((tier) => tier.handle) ?? []);
  return tiers.some((handle) => !handles.has(handle));
}

export async function saveCampaign(shop: string, id: string | null, input: unknown, staffId: string | null, now: Date): Promise<SaveResult> {
  const result = validateCampaign(input);
  if (!result.ok) return result;
  if (await unknownTiers(shop, result.campaign.audience.tiers)) return { ok: false, errors: { "audience.tiers": "campaigns.errors.audience.unknownTier" } };
  if (id === null) return { ok: true, id: (await createCampaign(shop, result.campaign, staffId, now)).id };
  return (await updateDraft(shop, id, result.campaign, now)) ? { ok: true, id } : { ok: false, notEditable: true };
}

/** The editor's live count: members the audience holds now on that channel. */
export async function previewAudience(shop: string, input: unknown, channel: Channel, now: Date) {
  const result = validateAudience(input);
  if (!result.ok) return result;
  if (await unknownTiers(shop, result.audience.tiers)) return { ok: false as const, errors: { tiers: "campaigns.errors.audience.unknownTier" as const } };
  return { ok: true as const, count: await countAudience(shop, result.audience, channel, now) };
}

/** A stored campaign as the domain reads it; null when its stored JSON cannot be used (it is then never sent). */
export function storedCampaign(row: NonNullable<Awaited<ReturnType<typeof getCampaign>>>): CampaignInput | null {
  const audience = parseStoredAudience(row.audience);
  if (!audience) return null;
  try {
    const parsed = campaignSchema.safeParse({
      name: row.name,
      channel: row.channel,
      content: JSON.parse(row.content),
      audience,
      sendOn: row.sendOn,
      sendHour: row.sendHour,
      validityDays: row.validityDays,
      holdoutPercent: row.holdoutPercent,
      attributionDays: row.attributionDays,
      activeHours: row.activeHours,
      preAnnouncement: row.preAnnouncement ? JSON.parse(row.preAnnouncement) : null,
    });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type ScheduleResult = { ok: true; planned: number; heldOut: number } | { ok: false; errors: FieldErrors };

const PAGE = 500;

/**
 * Schedules a draft: moves it to "scheduled" first (compare-and-set, so two
 * clicks plan once), then plans every audience member's message(s), each
 * keyed by campaign, step and customer, the holdout drawn per customer.
 * Planning is idempotent, so a crash half-way is finished by scheduling the
 * rest again (`replanCampaign`).
 */
export async function scheduleCampaign(shop: string, id: string, now: Date): Promise<ScheduleResult> {
  const row = await getCampaign(shop, id);
  if (!row || !canSchedule(row.status as CampaignStatus)) return { ok: false, errors: { campaign: "campaigns.errors.notDraft" } };
  const campaign = storedCampaign(row);
  if (!campaign) return { ok: false, errors: { campaign: "campaigns.errors.unreadable" } };
  const timeZone = (await getShop(shop))?.ianaTimezone ?? "UTC";
  const count = await countAudience(shop, campaign.audience, campaign.channel, now);
  const problems = scheduleProblems(campaign, localDate(now, timeZone), count);
  if (Object.keys(problems).length) return { ok: false, errors: problems };
  if (!(await moveCampaign(shop, id, ["draft"], "scheduled", now))) return { ok: false, errors: { campaign: "campaigns.errors.notDraft" } };
  const planned = await planCampaignMessages(shop, id, campaign, timeZone, now);
  await moveCampaign(shop, id, ["scheduled"], "scheduled", now, { audienceCount: planned.planned + planned.heldOut });
  return { ok: true, ...planned };
}

async function planCampaignMessages(shop: string, id: string, campaign: CampaignInput, shopTimeZone: string, now: Date) {
  let planned = 0;
  let heldOut = 0;
  let after: string | null = null;
  for (;;) {
    const members = await audiencePage(shop, campaign.audience, campaign.channel, now, after, PAGE);
    if (members.length === 0) break;
    after = members.at(-1)!.shopifyId;
    const messages: PlannedMessage[] = [];
    for (const member of members) {
      const holdout = isHeldOut(shop, campaignActivity(id), member.shopifyId, campaign.holdoutPercent);
      if (holdout) heldOut++;
      else planned++;
      for (const time of sendTimes(campaign, member.timeZone ?? shopTimeZone)) {
        // The holdout keeps back the campaign itself, not only its pre-announcement.
        messages.push({
          customerShopifyId: member.shopifyId,
          idempotencyKey: `${campaignActivity(id)}:${time.step}:${member.shopifyId}`,
          source: "campaign",
          sourceId: id,
          step: time.step,
          channel: campaign.channel,
          messageClass: "marketing",
          priority: CAMPAIGN_PRIORITY,
          variables: {},
          plannedAt: time.plannedAt,
          expiresAt: time.expiresAt,
          holdout,
        });
      }
    }
    await planMessages(shop, messages, now);
  }
  return { planned, heldOut };
}

export async function cancelCampaign(shop: string, id: string, now: Date): Promise<boolean> {
  const row = await getCampaign(shop, id);
  if (!row || !canCancel(row.status as CampaignStatus)) return false;
  if (!(await moveCampaign(shop, id, ["scheduled", "sending"], "cancelled", now))) return false;
  await cancelMessages(shop, { sourceId: id }, "campaignCancelled", now);
  return true;
}

/** A new draft with the same settings (no date: the merchant picks a new one). */
export async function duplicateCampaign(shop: string, id: string, staffId: string | null, now: Date): Promise<string | null> {
  const row = await getCampaign(shop, id);
  const campaign = row && storedCampaign(row);
  if (!row || !campaign) return null;
  return (await createCampaign(shop, { ...campaign, name: `${campaign.name} (2)`.slice(0, 120), sendOn: null }, staffId, now, id)).id;
}

/** The content a campaign message renders, for the dispatcher; null when the campaign or its content is gone. */
export async function campaignContent(shop: string, id: string, step: string, locale: string): Promise<TemplateContent | null> {
  const row = await getCampaign(shop, id);
  const campaign = row && storedCampaign(row);
  if (!campaign) return null;
  const source = step === "preAnnouncement" ? campaign.preAnnouncement?.content : campaign.content;
  if (!source) return null;
  return (locale.toLowerCase().startsWith("zh") ? source["zh-CN"] : undefined) ?? source.en;
}

/** scheduled → sending once its first message is due; sending → done once none is left to send. */
export async function advanceCampaigns(shop: string, now: Date): Promise<void> {
  for (const { id } of await campaignsIn(shop, "scheduled")) {
    if ((await campaignMessageProgress(shop, id, now)).due > 0) await moveCampaign(shop, id, ["scheduled"], "sending", now);
  }
  for (const { id } of await campaignsIn(shop, "sending")) {
    if ((await campaignMessageProgress(shop, id, now)).unsent === 0) await moveCampaign(shop, id, ["sending"], "done", now);
  }
}

/** Whether the editor may change it (only drafts). */
export const campaignIsEditable = (status: string) => canEdit(status as CampaignStatus);
