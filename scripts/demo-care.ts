// The care part of `npm run demo` (issues 8 and 9), kept apart from the
// replay in scripts/demo.ts: the merchant switches every care flow on, the
// care planner runs each replayed day, one campaign is scheduled a third of
// the way in, and the dispatcher sends what is due hour by hour on the demo's
// clock into the demo's SMTP inbox (email), its local SMS endpoint (SMS) and
// the store simulator's Flow triggers, under the one contact policy. The
// summary counts every message by flow or campaign and status, with the
// commonest reasons.
import type { ManualClock } from "../app/services/clock.server";
import type { AdminClientFor } from "../app/services/admin-client.server";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DemoCareOptions {
  shop: string;
  clock: ManualClock;
  inboxSmtpUrl: string;
  adminFor: AdminClientFor;
  days: number;
}

export interface DemoMessages {
  /** Per flow or campaign (by name): status → count. */
  byActivity: Record<string, Record<string, number>>;
  /** status → its reasons, commonest first. */
  reasons: Record<string, Array<{ reason: string; count: number }>>;
  /** Deferral decisions over the replay, by reason (a message may be deferred more than once). */
  deferrals: Record<string, number>;
  campaign: { name: string; status: string; sendOn: string | null } | null;
  /** Sent email rows and the Message-IDs they were sent with (the inbox holds each). */
  sentEmails: string[];
  inbox: number;
  lines: string[];
}

/** The shop's local date `days` after `now`, as a campaign's send date. */
const localDatePlus = (now: Date, days: number, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(now.getTime() + days * DAY));

export async function startDemoCare({ shop, clock, inboxSmtpUrl, adminFor, days }: DemoCareOptions) {
  const { default: db } = await import("../app/db.server");
  const { FLOW_CATALOG } = await import("../app/domain/care/flows");
  const { saveFlowSettings } = await import("../app/models/care-flows.server");
  const { saveCareSettings } = await import("../app/models/care-settings.server");
  const { planCare } = await import("../app/services/care-planner.server");
  const { dispatchAllDue } = await import("../app/services/dispatcher.server");
  const { emailChannel } = await import("../app/services/channels/email.server");
  const { smsChannel } = await import("../app/services/channels/sms.server");
  const { flowChannel } = await import("../app/services/channels/flow.server");
  const { saveCampaign, scheduleCampaign, advanceCampaigns } = await import("../app/services/campaigns.server");
  const { startSmsEndpoint } = await import("../tools/sms-endpoint");

  const now = clock.now();
  const shopRow = await db.shop.findUniqueOrThrow({ where: { shop } });
  const saved = await saveCareSettings(shop, { sender: { fromName: shopRow.name ?? "MemberCare Demo Store", fromEmail: "care@membercare-demo.example", replyTo: "hello@membercare-demo.example" } });
  if (!saved.ok) throw new Error(`demo care settings refused: ${JSON.stringify(saved.errors)}`);
  for (const flow of Object.keys(FLOW_CATALOG) as Array<keyof typeof FLOW_CATALOG>) {
    const result = await saveFlowSettings(shop, flow, { enabled: true }, null, now);
    if (!result.ok) throw new Error(`demo flow ${flow} refused: ${JSON.stringify(result.errors)}`);
  }

  const sms = await startSmsEndpoint();
  const email = emailChannel({ smtpUrl: inboxSmtpUrl });
  const channels = {
    email,
    sms: smsChannel({ baseUrl: sms.url, accountSid: sms.accountSid, authToken: sms.authToken }),
    flow: flowChannel({ adminFor }),
  };
  const campaignDay = Math.max(1, Math.floor(days / 3));
  let campaignId: string | null = null;

  return {
    /** Moves the clock to `until` an hour at a time, the dispatcher sending what is due at each hour (quiet hours end at 09:00 in each customer's zone, whatever hour the replay's days end at). */
    async passHoursUntil(until: Date) {
      while (clock.now() < until) {
        clock.advance(Math.min(HOUR, until.getTime() - clock.now().getTime()));
        await dispatchAllDue(clock.now(), { channels, clock: { now: () => clock.now() } });
        await advanceCampaigns(shop, clock.now());
      }
    },

    /** After the day's webhooks and nightly jobs: the care planner's pass, and on one day the campaign is scheduled. */
    async endOfDay(day: number) {
      // THE place the care planner runs in the demo: once per replayed day, before the next day's hours are dispatched.
      await planCare(shop, clock.now());
      if (day === campaignDay) {
        const sendOn = localDatePlus(clock.now(), 2, shopRow.ianaTimezone ?? "UTC");
        const draft = await saveCampaign(
          shop,
          null,
          {
            name: "Autumn tasting",
            channel: "email",
            content: {
              en: { subject: "{{firstName}}, a tasting of our autumn teas", body: "Three new oolongs arrived this week.\n\nMembers taste them first: reply to book a seat." },
              "zh-CN": { subject: "{{firstName}}，秋季新茶品鉴", body: "本周到了三款新乌龙。\n\n会员优先品鉴：回复本邮件预约座位。" },
            },
            audience: {},
            sendOn,
            sendHour: 10,
            holdoutPercent: 10,
          },
          null,
          clock.now(),
        );
        if (!draft.ok) throw new Error(`demo campaign refused: ${JSON.stringify(draft)}`);
        const scheduled = await scheduleCampaign(shop, draft.id, clock.now());
        if (!scheduled.ok) throw new Error(`demo campaign not scheduled: ${JSON.stringify(scheduled.errors)}`);
        campaignId = draft.id;
      }
    },

    async summary(inboxCount: number): Promise<DemoMessages> {
      const campaign = campaignId ? await db.campaign.findUnique({ where: { id: campaignId }, select: { name: true, status: true, sendOn: true } }) : null;
      const label = (source: string, sourceId: string) => (source === "campaign" ? `campaign "${campaign && sourceId === campaignId ? campaign.name : sourceId}"` : sourceId);
      const byActivity: DemoMessages["byActivity"] = {};
      for (const row of await db.message.groupBy({ by: ["source", "sourceId", "status"], where: { shop }, _count: { _all: true } })) {
        const key = label(row.source, row.sourceId);
        (byActivity[key] ??= {})[row.status] = row._count._all;
      }
      const reasons: DemoMessages["reasons"] = {};
      for (const row of await db.message.groupBy({ by: ["status", "lastReason"], where: { shop }, _count: { _all: true } })) {
        (reasons[row.status] ??= []).push({ reason: row.lastReason ?? "none", count: row._count._all });
      }
      for (const list of Object.values(reasons)) list.sort((a, b) => b.count - a.count);
      // Where messages stand now hides the waits on the way: the log keeps every deferral.
      const deferrals = await db.messageDecision.groupBy({ by: ["reason"], where: { shop, decision: "deferred" }, _count: { _all: true } });
      deferrals.sort((a, b) => b._count._all - a._count._all);
      const sentEmails = (await db.message.findMany({ where: { shop, channel: "email", status: "sent" }, select: { providerMessageId: true } })).map((row) => row.providerMessageId ?? "");
      const shown = ["sent", "deferred", "blocked", "expired", "heldOut", "failed", "cancelled", "scheduled", "paused", "sending"];
      const total = (status: string) => Object.values(byActivity).reduce((sum, counts) => sum + (counts[status] ?? 0), 0);
      const lines = [
        `  care messages: ${shown.filter((status) => total(status) > 0).map((status) => `${status === "heldOut" ? "held out" : status} ${total(status)}`).join(", ") || "none"}`,
        ...Object.entries(byActivity)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([activity, counts]) => `    ${activity}: ${shown.filter((status) => counts[status]).map((status) => `${status === "heldOut" ? "held out" : status} ${counts[status]}`).join(", ")}`),
        `    commonest reasons: ${["deferred", "blocked", "expired", "failed", "cancelled"]
          .filter((status) => reasons[status]?.length)
          .map((status) => `${status}: ${reasons[status].slice(0, 2).map((entry) => `${entry.reason} ${entry.count}`).join(", ")}`)
          .join("; ") || "none"}`,
        `    deferred on the way (the log): ${deferrals.map((row) => `${row.reason} ${row._count._all}`).join(", ") || "none"}`,
        campaign ? `    campaign "${campaign.name}": ${campaign.status}, sent on ${campaign.sendOn ?? "?"} at 10:00 local, 10% held out` : `    no campaign scheduled (the replay ended before day ${campaignDay})`,
        `  SMS endpoint: ${sms.messages.length} messages; Flow triggers through the store simulator`,
      ];
      return { byActivity, reasons, deferrals: Object.fromEntries(deferrals.map((row) => [row.reason, row._count._all])), campaign: campaign ? { name: campaign.name, status: campaign.status, sendOn: campaign.sendOn ? String(campaign.sendOn) : null } : null, sentEmails, inbox: inboxCount, lines };
    },

    close() {
      email.close();
      void sms.close();
    },
  };
}
