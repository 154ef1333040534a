// Message costs (issue 9): the shop's price per sent email and SMS, kept in its
// care settings, is what the Results report counts as each activity's message
// cost, for sent messages only (blocked, held out or cancelled ones cost
// nothing). On the real database, SQLite and PostgreSQL.
import db from "~/db.server";
import type { Channel } from "~/domain/care/types";
import { DEFAULT_CARE_SETTINGS, validateCareSettings } from "~/domain/care/settings";
import { getCareSettings, saveCareSettings } from "~/models/care-settings.server";
import { saveShopSettings } from "~/models/shops.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "~/services/channels/types";
import { saveCampaign, scheduleCampaign } from "~/services/campaigns.server";
import { dispatchAllDue } from "~/services/dispatcher.server";
import { campaignSummary, resultsOverview, shopMessageCosts } from "~/services/results.server";

const shop = "costs.myshopify.com";
const NOW = new Date("2026-11-20T08:00:00Z");
const SEND = new Date("2026-12-01T10:00:00Z");

const accepting: ChannelSender = { send: async (message: OutgoingMessage): Promise<SendResult> => ({ status: "accepted", providerMessageId: message.idempotencyKey }) };
const channels = { email: accepting, sms: accepting, flow: accepting } as Record<Channel, ChannelSender>;

async function scheduled(channel: "email" | "sms") {
  const saved = await saveCampaign(shop, null, { name: `December ${channel}`, channel, content: { en: { subject: "Hi", body: "News", sms: "News from the tea house" } }, audience: {}, sendOn: "2026-12-01", sendHour: 10, holdoutPercent: 0 }, null, NOW);
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  expect(await scheduleCampaign(shop, saved.id, NOW)).toMatchObject({ ok: true });
  return saved.id;
}

beforeAll(async () => {
  await saveShopSettings(shop, { name: "Tea House", ianaTimezone: "UTC", currencyCode: "CNY", primaryLocale: "zh-CN", scopes: null }, NOW);
  await db.customer.createMany({
    data: Array.from({ length: 10 }, (_, i) => ({ shop, shopifyId: String(900_000 + i), email: `c${i}@example.com`, phone: `+861380000000${i}`, emailConsentState: "SUBSCRIBED", smsConsentState: "SUBSCRIBED", timeZone: "UTC" })),
  });
});

it("is nothing until the merchant sets a price, and refuses a price out of range", async () => {
  expect(DEFAULT_CARE_SETTINGS.messageCosts).toEqual({ email: 0, sms: 0 });
  expect(await shopMessageCosts(shop)).toEqual({ email: 0, sms: 0, flow: 0 });
  const refused = validateCareSettings({ messageCosts: { email: -1, sms: 2.5 } });
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(Object.keys(refused.errors).sort()).toEqual(["messageCosts.email", "messageCosts.sms"]);
  expect((await saveCareSettings(shop, { messageCosts: { sms: 100_001 } })).ok).toBe(false);
  expect((await getCareSettings(shop)).messageCosts).toEqual({ email: 0, sms: 0 });
});

it("counts the shop's price for each sent message into the activity's costs", async () => {
  expect(await saveCareSettings(shop, { caps: [{ messages: 5, hours: 72 }], channels: { email: true, sms: true }, sms: { fromNumber: "+14155550100" }, messageCosts: { email: 2, sms: 35 } })).toMatchObject({ ok: true });
  expect(await shopMessageCosts(shop)).toEqual({ email: 2, sms: 35, flow: 0 });
  const email = await scheduled("email");
  const sms = await scheduled("sms");
  // Two members withdrew SMS consent after scheduling: blocked, so not paid for.
  await db.customer.updateMany({ where: { shop, shopifyId: { in: ["900000", "900001"] } }, data: { smsConsentState: "UNSUBSCRIBED" } });
  await dispatchAllDue(SEND, { channels });
  const sent = async (id: string) => db.message.count({ where: { shop, sourceId: id, status: "sent" } });
  const emailSent = await sent(email);
  const smsSent = await sent(sms);
  expect([emailSent, smsSent]).toEqual([10, 8]);
  expect(await db.message.count({ where: { shop, sourceId: sms, status: "blocked" } })).toBe(2);

  const emailSummary = await campaignSummary(shop, email, SEND);
  const smsSummary = await campaignSummary(shop, sms, SEND);
  expect(emailSummary?.counts.sent).toBe(emailSent);
  expect(emailSummary?.result.costsMinor).toBe(emailSent * 2);
  expect(smsSummary?.counts.sent).toBe(smsSent);
  expect(smsSummary?.result.costsMinor).toBe(smsSent * 35);
  // The overview (the Results page and its CSV) uses the same prices.
  const overview = await resultsOverview(shop, SEND);
  expect(overview.find((row) => row.id === sms)?.result.costsMinor).toBe(smsSent * 35);
  // Given prices (a what-if) override the stored ones.
  expect((await campaignSummary(shop, sms, SEND, { email: 0, sms: 100, flow: 0 }))?.result.costsMinor).toBe(smsSent * 100);
});
