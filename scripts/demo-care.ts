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
import type { SentMessage } from "../tools/simulator/store-generator";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DemoCareOptions {
  shop: string;
  clock: ManualClock;
  inboxSmtpUrl: string;
  adminFor: AdminClientFor;
  days: number;
  /** Overrides the holdout of every flow that has one, and the campaign's (default: the catalog's 10%). */
  holdoutPercent?: number;
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

export async function startDemoCare({ shop, clock, inboxSmtpUrl, adminFor, days, holdoutPercent }: DemoCareOptions) {
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
    // A flow that keeps no one back (a downgrade warning, a late-parcel notice) keeps none with the override either.
    const holdout = holdoutPercent !== undefined && FLOW_CATALOG[flow].holdoutPercent > 0 ? { holdoutPercent } : {};
    const result = await saveFlowSettings(shop, flow, { enabled: true, ...holdout }, null, now);
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

    /**
     * The messages sent in [from, to), as the store generator's response
     * model takes them (who, which activity and step, when, the product it
     * named, the offer code it carried). Held-out rows are never sent, so
     * they never appear here.
     */
    async sentBetween(from: Date, to: Date): Promise<SentMessage[]> {
      const rows = await db.message.findMany({
        where: { shop, status: "sent", sentAt: { gte: from, lt: to } },
        select: { id: true, customerShopifyId: true, source: true, sourceId: true, step: true, sentAt: true, variables: true },
        orderBy: [{ sentAt: "asc" }, { customerShopifyId: "asc" }, { sourceId: "asc" }, { step: "asc" }],
      });
      const codes = new Map(
        (await db.reward.findMany({ where: { shop, messageId: { in: rows.map((row) => row.id) }, code: { not: null } }, select: { messageId: true, code: true, valueType: true, value: true } })).map((reward) => [reward.messageId, reward]),
      );
      return rows.map((row) => {
        let variables: Record<string, unknown> = {};
        try {
          variables = JSON.parse(row.variables) as Record<string, unknown>;
        } catch {
          variables = {};
        }
        const reward = codes.get(row.id);
        return {
          customerId: row.customerShopifyId,
          activity: `${row.source}:${row.sourceId}`,
          step: row.step,
          sentAt: row.sentAt!,
          productTitle: typeof variables.productTitle === "string" ? variables.productTitle : null,
          offerCode: reward?.code ? (reward.valueType === "amount" ? { code: reward.code, percent: 0, amountMinor: reward.value ?? 0 } : { code: reward.code, percent: reward.value ?? 0 }) : null,
        };
      });
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
            holdoutPercent: holdoutPercent ?? 10,
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
        campaign ? `    campaign "${campaign.name}": ${campaign.status}, sent on ${campaign.sendOn ?? "?"} at 10:00 local, ${holdoutPercent ?? 10}% held out` : `    no campaign scheduled (the replay ended before day ${campaignDay})`,
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

/** An order a message earned in the replay: the generator's known response, as its checkout priced it. */
export interface DemoResponse {
  customerId: string;
  /** "flow:<flow>" or "campaign:<id>", as SentMessage.activity. */
  activity: string;
  createdAt: Date;
  /** What the order's lines were paid after discounts (Shopify's subtotal_price): what it adds to revenue. */
  revenueMinor: number;
}

export interface DemoResultRow {
  kind: "flow" | "campaign";
  id: string;
  name: string;
  currencyCode: string;
  contacted: number;
  heldOut: number;
  ordersContacted: number;
  ordersHeldOut: number;
  incremental: { estimate: number; low: number; high: number } | null;
  costsMinor: number;
  roi: { estimate: number; low: number; high: number } | null;
  /** The known effect: the response orders the generator gave this activity's contacted members inside their attribution windows. */
  knownMinor: number;
  knownOrders: number;
  /** Whether the known effect lies inside the measured 95% interval (null: the app shows no interval, too few on a side). */
  knownInside: boolean | null;
}

/**
 * The Results table as the app computes it (app/services/results.server.ts,
 * the same rows the Results page shows), beside the effect the generator
 * actually gave: for each activity, the revenue of the response orders its
 * messages earned that fall where attribution looks (a contacted member's
 * window from their first exposure, planned time, as the app counts it).
 * Orders the store's own rhythm brought count for both groups alike and are
 * not part of the known effect.
 */
export async function demoResults(shop: string, now: Date, responses: DemoResponse[]): Promise<{ rows: DemoResultRow[]; lines: string[] }> {
  const { resultsOverview } = await import("../app/services/results.server");
  const { activityMessages } = await import("../app/models/results.server");
  const { formatMoney } = await import("../app/i18n");
  const rows: DemoResultRow[] = [];
  for (const summary of await resultsOverview(shop, now)) {
    const activity = `${summary.kind}:${summary.id}`;
    const first = new Map<string, { at: number; holdout: boolean }>();
    for (const message of await activityMessages(shop, summary.id, now)) {
      const seen = first.get(message.customerShopifyId);
      if (!seen || +message.plannedAt < seen.at) first.set(message.customerShopifyId, { at: +message.plannedAt, holdout: message.holdout });
    }
    const windowMs = summary.result.windowDays * DAY;
    const known = responses.filter((response) => {
      const exposure = first.get(response.customerId);
      return response.activity === activity && exposure && !exposure.holdout && +response.createdAt >= exposure.at && +response.createdAt < exposure.at + windowMs;
    });
    const knownMinor = known.reduce((sum, response) => sum + response.revenueMinor, 0);
    const interval = summary.result.incrementalRevenue;
    rows.push({
      kind: summary.kind,
      id: summary.id,
      name: summary.kind === "campaign" ? `campaign "${summary.name}"` : summary.name,
      currencyCode: summary.currencyCode,
      contacted: summary.counts.contacted,
      heldOut: summary.counts.heldOut,
      ordersContacted: summary.result.contacted.orders,
      ordersHeldOut: summary.result.holdout.orders,
      incremental: interval,
      costsMinor: summary.result.costsMinor,
      roi: summary.result.roi,
      knownMinor,
      knownOrders: known.length,
      knownInside: interval ? interval.low <= knownMinor && knownMinor <= interval.high : null,
    });
  }
  const money = (minor: number, currency: string) => formatMoney(Math.round(minor), currency, "en");
  const percent = (ratio: number) => `${Math.round(ratio * 100).toLocaleString("en")}%`;
  const lines = [
    `  results against each holdout (the Results page's figures; known effect = the response orders the generator gave the contacted members, in their windows):`,
    ...rows.map((row) => {
      const c = row.currencyCode;
      const incremental = row.incremental ? `${money(row.incremental.estimate, c)} [${money(row.incremental.low, c)} to ${money(row.incremental.high, c)}]` : "no interval (fewer than 30 on a side)";
      const roi = row.roi ? `${percent(row.roi.estimate)} [${percent(row.roi.low)} to ${percent(row.roi.high)}]` : "n/a";
      const verdict = row.knownInside === null ? "not testable" : row.knownInside ? "inside the interval" : "OUTSIDE the interval";
      return `    ${row.name}: contacted ${row.contacted}, held out ${row.heldOut}, orders ${row.ordersContacted} contacted / ${row.ordersHeldOut} held out; incremental revenue ${incremental}; cost ${money(row.costsMinor, c)}; ROI ${roi}; known effect ${money(row.knownMinor, c)} (${row.knownOrders} orders): ${verdict}`;
    }),
  ];
  return { rows, lines };
}
