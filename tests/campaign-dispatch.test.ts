// Must show (issue 9): consent and caps are respected by campaign sends.
// A scheduled campaign's messages go through the one dispatcher under the
// contact policy, on the real database (SQLite and PostgreSQL): a member who
// unsubscribed after scheduling is blocked with the reason (or cancelled, when
// they used the link), a member who just had a marketing message is deferred
// by the cap and sent once it frees, quiet hours in each member's own zone
// defer, the holdout gets nothing, a cancelled campaign's unsent messages never
// go, and the campaign moves scheduled → sending → done as its messages do.
import db from "~/db.server";
import type { Channel } from "~/domain/care/types";
import { isHeldOut } from "~/domain/results/holdout";
import { saveCareSettings } from "~/models/care-settings.server";
import { messageDecisions, planMessages } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { emailChannel } from "~/services/channels/email.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "~/services/channels/types";
import { advanceCampaigns, campaignActivity, cancelCampaign, saveCampaign, scheduleCampaign } from "~/services/campaigns.server";
import { dispatchAllDue, type DispatchOptions } from "~/services/dispatcher.server";
import { unsubscribe } from "~/services/unsubscribe.server";
import { startSmtpInbox } from "../tools/smtp-inbox";

const HOUR = 3_600_000;
const shop = "campaign-send.myshopify.com";
const SCHEDULED_AT = new Date("2026-11-25T08:00:00Z");
const at = (iso: string) => new Date(iso);

class RecordingChannel implements ChannelSender {
  sent: OutgoingMessage[] = [];
  async send(message: OutgoingMessage): Promise<SendResult> {
    this.sent.push(message);
    return { status: "accepted", providerMessageId: `p-${message.idempotencyKey}` };
  }
  customers() {
    return this.sent.map((message) => message.idempotencyKey.split(":").at(-1)!);
  }
}

let email: RecordingChannel;
const options = (channel: ChannelSender = email): DispatchOptions => ({
  channels: { email: channel, sms: new RecordingChannel(), flow: new RecordingChannel() } as Record<Channel, ChannelSender>,
  // The win-back email that fills the cap comes from a flow: its words are the test's (flows are off until the merchant turns them on).
  content: { flow: async () => ({ enabled: true, allowWithoutConsent: false, content: { subject: "We miss you", body: "Come back", sms: "" } }) },
  unsubscribeUrl: (domain, customer, ch) => `https://membercare.test/unsubscribe/${domain}/${customer}/${ch}`,
});

const campaign = (overrides: Record<string, unknown> = {}) => ({
  name: "Winter tea",
  channel: "email",
  content: { en: { subject: "Winter tea for {{firstName}}", body: "New blends are in." }, "zh-CN": { subject: "{{firstName}}，冬季茶品上新", body: "新品已到。" } },
  audience: {},
  sendOn: "2026-12-01",
  sendHour: 10,
  holdoutPercent: 20,
  ...overrides,
});

async function savedCampaign(overrides: Record<string, unknown> = {}) {
  const result = await saveCampaign(shop, null, campaign(overrides), null, SCHEDULED_AT);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.id;
}

/** Members 0..n-1, all subscribed, in Shanghai unless told; split into the campaign's holdout and contacted groups by its stable draw. */
async function members(id: string, n: number, zones: Record<number, string> = {}) {
  const ids = Array.from({ length: n }, (_, i) => String(700_000 + i));
  await db.customer.createMany({
    data: ids.map((shopifyId, i) => ({ shop, shopifyId, firstName: `Mei${i}`, email: `m${i}@example.com`, emailConsentState: "SUBSCRIBED", timeZone: zones[i] ?? "Asia/Shanghai", locale: i % 2 ? "zh-CN" : "en" })),
  });
  const heldOut = ids.filter((customer) => isHeldOut(shop, campaignActivity(id), customer, 20));
  return { ids, heldOut, contacted: ids.filter((customer) => !heldOut.includes(customer)) };
}

const row = (id: string, customer: string) => db.message.findFirstOrThrow({ where: { shop, sourceId: id, customerShopifyId: customer, step: "main" } });
const trail = async (id: string, customer: string) => (await messageDecisions(shop, (await row(id, customer)).id)).map((entry) => `${entry.decision}/${entry.reason}`);
const status = async (id: string) => (await db.campaign.findFirstOrThrow({ where: { shop, id } })).status;

beforeEach(async () => {
  await db.messageDecision.deleteMany({});
  await db.message.deleteMany({});
  await db.campaign.deleteMany({});
  await db.customer.deleteMany({});
  await db.shop.deleteMany({});
  await saveShopSettings(shop, { name: "Tea House", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", primaryLocale: "zh-CN", scopes: null }, SCHEDULED_AT);
  email = new RecordingChannel();
});

it("sends to the contacted group under consent and the cap, never to the holdout, and goes scheduled → sending → done", async () => {
  const id = await savedCampaign();
  const { heldOut, contacted } = await members(id, 40);
  expect(heldOut.length).toBeGreaterThan(0);
  const [unsubscribedLater, unsubscribedByLink, recentlyMessaged] = contacted;
  // The last contacted member lives in New York: 10:00 there is 15:00 UTC, later than Shanghai's 02:00 UTC.
  const newYork = contacted.at(-1)!;
  await db.customer.updateMany({ where: { shop, shopifyId: newYork }, data: { timeZone: "America/New_York" } });

  // A win-back email the day before the campaign: the 1-per-72-hours cap holds the campaign back for that member.
  const dayBefore = at("2026-11-30T04:00:00Z"); // 12:00 in Shanghai
  await planMessages(shop, [{ customerShopifyId: recentlyMessaged, idempotencyKey: "winBack:1", source: "flow", sourceId: "winBack", step: "atRisk", channel: "email", messageClass: "marketing", priority: 5, variables: {}, plannedAt: dayBefore, expiresAt: new Date(dayBefore.getTime() + 72 * HOUR) }], dayBefore);
  expect(await dispatchAllDue(dayBefore, options())).toMatchObject({ sent: 1 });
  email.sent = [];

  expect(await scheduleCampaign(shop, id, SCHEDULED_AT)).toEqual({ ok: true, planned: contacted.length, heldOut: heldOut.length });
  expect(await status(id)).toBe("scheduled");

  // After scheduling, one member's consent changes in Shopify (customers/update), another clicks the unsubscribe link.
  await db.customer.updateMany({ where: { shop, shopifyId: unsubscribedLater }, data: { emailConsentState: "UNSUBSCRIBED" } });
  expect(await unsubscribe({ shop, customerShopifyId: unsubscribedByLink, channel: "email" }, at("2026-11-28T00:00:00Z"))).toEqual({ found: true, cancelled: 1 });

  // Nothing is due before 10:00 in Shanghai: still scheduled.
  const early = at("2026-12-01T01:59:00Z");
  expect(await dispatchAllDue(early, options())).toMatchObject({ claimed: 0 });
  await advanceCampaigns(shop, early);
  expect(await status(id)).toBe("scheduled");

  const shanghaiTen = at("2026-12-01T02:00:00Z");
  await advanceCampaigns(shop, shanghaiTen);
  expect(await status(id)).toBe("sending");
  const first = await dispatchAllDue(shanghaiTen, options());
  const shanghaiReachable = contacted.filter((customer) => ![unsubscribedLater, unsubscribedByLink, recentlyMessaged, newYork].includes(customer));
  expect(first).toMatchObject({ sent: shanghaiReachable.length, blocked: 1, deferred: 1 });
  expect(email.customers().sort()).toEqual(shanghaiReachable.sort());
  expect(email.sent.every((message) => message.unsubscribeUrl !== null)).toBe(true);

  expect(await row(id, unsubscribedLater)).toMatchObject({ status: "blocked", lastReason: "noConsent", sentAt: null });
  expect((await trail(id, unsubscribedLater)).slice(1)).toEqual(["blocked/noConsent"]);
  expect(await row(id, unsubscribedByLink)).toMatchObject({ status: "cancelled", lastReason: "unsubscribed", sentAt: null });
  // Deferred, not dropped: the cap frees 72 hours after the win-back email.
  const capFrees = new Date(dayBefore.getTime() + 72 * HOUR);
  expect(await row(id, recentlyMessaged)).toMatchObject({ status: "deferred", lastReason: "frequencyCap", availableAt: capFrees });
  for (const customer of heldOut) expect(await row(id, customer)).toMatchObject({ status: "heldOut", sentAt: null });

  // 10:00 in New York.
  const newYorkTen = at("2026-12-01T15:00:00Z");
  expect(await dispatchAllDue(newYorkTen, options())).toMatchObject({ sent: 1 });
  expect(email.customers().at(-1)).toBe(newYork);
  await advanceCampaigns(shop, newYorkTen);
  expect(await status(id)).toBe("sending"); // the capped member's message is still to go

  expect(await dispatchAllDue(new Date(capFrees.getTime() - 60_000), options())).toMatchObject({ claimed: 0 });
  expect(await dispatchAllDue(capFrees, options())).toMatchObject({ sent: 1 });
  expect(await row(id, recentlyMessaged)).toMatchObject({ status: "sent", sentAt: capFrees });
  expect((await trail(id, recentlyMessaged)).slice(1)).toEqual(["deferred/frequencyCap", "sent/providerAccepted"]);
  await advanceCampaigns(shop, capFrees);
  expect(await status(id)).toBe("done");

  // Never a word to the holdout, nor to those who said no; each member at most once.
  const reached = email.customers();
  for (const customer of [...heldOut, unsubscribedLater, unsubscribedByLink]) expect(reached).not.toContain(customer);
  expect(new Set(reached).size).toBe(reached.length);
  expect(reached.sort()).toEqual(contacted.filter((customer) => customer !== unsubscribedLater && customer !== unsubscribedByLink).sort());
});

it("defers a send hour inside quiet hours to 09:00 in each member's own zone", async () => {
  const id = await savedCampaign({ sendHour: 22, holdoutPercent: 0 });
  const { ids } = await members(id, 2, { 1: "Europe/Berlin" });
  const [shanghai, berlin] = ids;
  await scheduleCampaign(shop, id, SCHEDULED_AT);
  // 22:00 in Shanghai (14:00 UTC) and in Berlin (21:00 UTC): both inside 21:00–09:00.
  expect(await dispatchAllDue(at("2026-12-01T14:00:00Z"), options())).toMatchObject({ deferred: 1, sent: 0 });
  expect(await dispatchAllDue(at("2026-12-01T21:00:00Z"), options())).toMatchObject({ deferred: 1, sent: 0 });
  const shanghaiMorning = at("2026-12-02T01:00:00Z");
  const berlinMorning = at("2026-12-02T08:00:00Z");
  expect(await row(id, shanghai)).toMatchObject({ status: "deferred", lastReason: "quietHours", availableAt: shanghaiMorning });
  expect(await row(id, berlin)).toMatchObject({ status: "deferred", lastReason: "quietHours", availableAt: berlinMorning });
  expect(email.sent).toEqual([]);
  expect(await dispatchAllDue(shanghaiMorning, options())).toMatchObject({ sent: 1 });
  expect(await dispatchAllDue(berlinMorning, options())).toMatchObject({ sent: 1 });
  expect(email.customers()).toEqual([shanghai, berlin]);
  expect(await row(id, berlin)).toMatchObject({ status: "sent", sentAt: berlinMorning });
});

it("a cancelled campaign's unsent messages never go, and it stays cancelled", async () => {
  const id = await savedCampaign({ holdoutPercent: 0 });
  const { ids } = await members(id, 4, { 2: "America/New_York", 3: "America/New_York" });
  await scheduleCampaign(shop, id, SCHEDULED_AT);
  const shanghaiTen = at("2026-12-01T02:00:00Z");
  await advanceCampaigns(shop, shanghaiTen);
  expect(await dispatchAllDue(shanghaiTen, options())).toMatchObject({ sent: 2 });
  expect(await status(id)).toBe("sending");

  expect(await cancelCampaign(shop, id, at("2026-12-01T03:00:00Z"))).toBe(true);
  expect(await dispatchAllDue(at("2026-12-01T15:00:00Z"), options())).toMatchObject({ claimed: 0 });
  expect(email.customers().sort()).toEqual(ids.slice(0, 2));
  for (const customer of ids.slice(2)) expect(await row(id, customer)).toMatchObject({ status: "cancelled", lastReason: "campaignCancelled", sentAt: null });
  // What went stays sent.
  for (const customer of ids.slice(0, 2)) expect(await row(id, customer)).toMatchObject({ status: "sent" });
  await advanceCampaigns(shop, at("2026-12-05T00:00:00Z"));
  expect(await status(id)).toBe("cancelled");
  expect(await cancelCampaign(shop, id, at("2026-12-05T00:00:00Z"))).toBe(false);
});

it("delivers through the real email channel, in each member's language, with the unsubscribe header", async () => {
  const inbox = await startSmtpInbox();
  const channel = emailChannel({ smtpUrl: inbox.smtpUrl });
  try {
    await saveCareSettings(shop, { sender: { fromName: "Tea House", fromEmail: "care@tea.example", replyTo: "help@tea.example" } });
    const id = await savedCampaign({ holdoutPercent: 0 });
    const { ids } = await members(id, 2);
    await scheduleCampaign(shop, id, SCHEDULED_AT);
    expect(await dispatchAllDue(at("2026-12-01T02:00:00Z"), options(channel))).toMatchObject({ sent: 2 });
    const mail = inbox.messages.map((message) => ({ to: message.to, subject: message.subject, unsubscribe: message.headers["list-unsubscribe"] }));
    expect(mail).toHaveLength(2);
    expect(mail).toContainEqual(expect.objectContaining({ to: ["m0@example.com"], subject: "Winter tea for Mei0" }));
    expect(mail).toContainEqual(expect.objectContaining({ to: ["m1@example.com"], subject: "Mei1，冬季茶品上新" }));
    for (const one of mail) expect(one.unsubscribe).toContain(`/unsubscribe/${shop}/`);
    expect(ids).toHaveLength(2);
  } finally {
    channel.close();
    await inbox.close();
  }
});
