/**
 * Campaigns (issue 9), pure: what a merchant may save, the lifecycle, and
 * when each member's message goes.
 *
 * Lifecycle: draft → scheduled → sending → done; draft or scheduled →
 * cancelled (sending too: what is not out yet is cancelled); any campaign can
 * be duplicated into a new draft. Only a draft is edited: once scheduled its
 * messages are planned rows, and changing the campaign under them would make
 * the report describe something nobody sent.
 *
 * Timing: the campaign goes on the customers' local date `sendOn` at
 * `sendHour` in each one's own time zone (the shop's when unknown), through
 * the contact policy (quiet hours and caps defer it; past the validity window
 * it expires). A pre-announcement goes `daysBefore` earlier at the same hour.
 */
import { z } from "zod";
import type { MessageKey } from "~/i18n";
import { CHANNELS } from "../care/types";
import { namesOffer } from "../care/offers";
import { templateProblems, type TemplateContent } from "../care/templates";
import { DEFAULT_ATTRIBUTION_WINDOW_DAYS } from "../results/attribution";
import { DEFAULT_HOLDOUT_PERCENT, MAX_HOLDOUT_PERCENT } from "../results/holdout";
import { zonedInstant } from "../local-time";
import { audienceSchema, type AudienceFilter } from "./audience";

export const CAMPAIGN_STATUSES = ["draft", "scheduled", "sending", "done", "cancelled"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type CampaignStep = "main" | "preAnnouncement";
export const CAMPAIGN_LOCALES = ["en", "zh-CN"] as const;
export type CampaignLocale = (typeof CAMPAIGN_LOCALES)[number];
/** After flows' priorities (1..6): a campaign gives way to a shipment notice or a delivery check. */
export const CAMPAIGN_PRIORITY = 7;

const content = z.object({
  subject: z.string().max(200).default(""),
  body: z.string().max(20_000).default(""),
  sms: z.string().max(1_600).default(""),
});

export const campaignSchema = z.object({
  name: z.string().trim().min(1).max(120),
  channel: z.enum(CHANNELS),
  content: z.object({ en: content, "zh-CN": content.optional() }),
  audience: audienceSchema,
  sendOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().default(null),
  sendHour: z.number().int().min(0).max(23).default(10),
  validityDays: z.number().int().min(1).max(30).default(3),
  holdoutPercent: z.number().min(0).max(MAX_HOLDOUT_PERCENT).default(DEFAULT_HOLDOUT_PERCENT),
  attributionDays: z.number().int().min(1).max(60).default(DEFAULT_ATTRIBUTION_WINDOW_DAYS),
  // Issue 10: each message moves from the send hour into its customer's learned active hours (quiet hours and caps still apply).
  activeHours: z.boolean().default(false),
  preAnnouncement: z.object({ daysBefore: z.number().int().min(1).max(30), content: z.object({ en: content, "zh-CN": content.optional() }) }).nullable().default(null),
});

export type CampaignInput = z.infer<typeof campaignSchema>;
export type CampaignContent = CampaignInput["content"];
export type FieldErrors = Record<string, MessageKey>;

/** Which parts a channel sends: email a subject and a body, SMS its text, Flow nothing of ours (the merchant's workflow writes it). */
function missingParts(channel: CampaignInput["channel"], part: TemplateContent): Array<keyof TemplateContent> {
  if (channel === "email") return (["subject", "body"] as const).filter((field) => !part[field].trim());
  if (channel === "sms") return part.sms.trim() ? [] : ["sms"];
  return [];
}

function contentErrors(prefix: string, channel: CampaignInput["channel"], value: CampaignContent, errors: FieldErrors) {
  for (const locale of CAMPAIGN_LOCALES) {
    const part = value[locale];
    if (!part) continue;
    for (const field of missingParts(channel, part)) errors[`${prefix}.${locale}.${field}`] ??= "campaigns.errors.contentRequired";
    for (const problem of templateProblems(part)) errors[`${prefix}.${locale}.${problem.field}`] ??= problem.kind === "unknownVariable" ? "campaigns.errors.unknownVariable" : "campaigns.errors.badPlaceholder";
    // A campaign carries no offer, so it has no code to give (issue 17: an offer is a code); its wording may not promise one.
    for (const field of ["subject", "body", "sms"] as const) if (namesOffer({ [field]: part[field] })) errors[`${prefix}.${locale}.${field}`] ??= "campaigns.errors.noOffer";
  }
}

/** A campaign as the editor sent it (a draft may be incomplete: no date yet). */
export function validateCampaign(input: unknown): { ok: true; campaign: CampaignInput } | { ok: false; errors: FieldErrors } {
  const parsed = campaignSchema.safeParse(input);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.join(".");
      errors[path || "campaign"] ??= (`campaigns.errors.field.${String(issue.path[0] ?? "campaign")}`) as MessageKey;
    }
    return { ok: false, errors };
  }
  const errors: FieldErrors = {};
  contentErrors("content", parsed.data.channel, parsed.data.content, errors);
  if (parsed.data.preAnnouncement) contentErrors("preAnnouncement.content", parsed.data.channel, parsed.data.preAnnouncement.content, errors);
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, campaign: parsed.data };
}

/** What must hold to schedule a valid draft, checked at `today` (the shop's local date). */
export function scheduleProblems(campaign: Pick<CampaignInput, "sendOn" | "preAnnouncement">, today: string, audienceCount: number): FieldErrors {
  const errors: FieldErrors = {};
  if (!campaign.sendOn) errors.sendOn = "campaigns.errors.sendOnRequired";
  else if (campaign.sendOn < today) errors.sendOn = "campaigns.errors.sendOnPast";
  if (audienceCount === 0) errors.audience = "campaigns.errors.emptyAudience";
  return errors;
}

export const canEdit = (status: CampaignStatus) => status === "draft";
export const canSchedule = (status: CampaignStatus) => status === "draft";
export const canCancel = (status: CampaignStatus) => status === "scheduled" || status === "sending";

/** The campaign's main message and its pre-announcement, for one member in their zone. */
export function sendTimes(campaign: Pick<CampaignInput, "sendOn" | "sendHour" | "validityDays" | "preAnnouncement">, timeZone: string) {
  if (!campaign.sendOn) throw new Error("sendTimes: the campaign has no send date");
  const validityMs = campaign.validityDays * 86_400_000;
  const main = zonedInstant(campaign.sendOn, campaign.sendHour, timeZone);
  const times: Array<{ step: CampaignStep; plannedAt: Date; expiresAt: Date }> = [{ step: "main", plannedAt: main, expiresAt: new Date(main.getTime() + validityMs) }];
  if (campaign.preAnnouncement) {
    const before = new Date(Date.parse(`${campaign.sendOn}T00:00:00Z`) - campaign.preAnnouncement.daysBefore * 86_400_000).toISOString().slice(0, 10);
    const pre = zonedInstant(before, campaign.sendHour, timeZone);
    // A pre-announcement after the main send would be nonsense: it expires when the campaign goes.
    times.push({ step: "preAnnouncement", plannedAt: pre, expiresAt: new Date(Math.min(pre.getTime() + validityMs, main.getTime())) });
  }
  return times;
}

export type { AudienceFilter };
