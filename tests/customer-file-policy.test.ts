// The customer file acts on every message (issue 21), through the dispatcher
// and the one contact policy on the real database (SQLite and PostgreSQL),
// with the shop's real flow and campaign content and one recording channel
// per channel: a customer whose file says "SMS, evenings, no promotions" gets
// the care message by SMS at 17:00 in their own zone and no campaign (blocked,
// with the reason), and the Messages log says why in en and zh-CN; the same
// customer with an empty file gets both by email at once (the defaults); a
// customer who asked for a call gets a staff follow-up instead of either.
import db from "~/db.server";
import { localHour } from "~/domain/local-time";
import type { Channel } from "~/domain/care/types";
import { translate, type MessageKey } from "~/i18n";
import { fileDetailParts } from "~/components/customer-file-decision";
import { messageDecisions, planMessages, type PlannedMessage } from "~/models/messages.server";
import { getFlowSettings, saveFlowSettings } from "~/models/care-flows.server";
import { saveCareSettings } from "~/models/care-settings.server";
import { saveShopSettings } from "~/models/shops.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "~/services/channels/types";
import { saveCampaign } from "~/services/campaigns.server";
import { dispatchDue } from "~/services/dispatcher.server";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const shop = "counter-file.myshopify.com";
// 2 March 2026, 02:00 UTC: 10:00 in Shanghai (UTC+8 all year), when flows plan day-offset steps.
const T0 = new Date("2026-03-02T02:00:00Z");
const ZONE = "Asia/Shanghai";

class RecordingChannel implements ChannelSender {
  sent: Array<{ key: string; at: Date; to: string | null }> = [];
  constructor(private channel: Channel, private now: () => Date) {}
  async send(message: OutgoingMessage): Promise<SendResult> {
    this.sent.push({ key: message.idempotencyKey, at: this.now(), to: this.channel === "sms" ? message.customer.phone : message.customer.email });
    return { status: "accepted", providerMessageId: `${this.channel}-${message.idempotencyKey}` };
  }
}

let passAt = T0;
let email: RecordingChannel;
let sms: RecordingChannel;
let flow: RecordingChannel;

async function customer(shopifyId: string, file: { preferredChannel?: string; preferredContactTime?: string; acceptsPromotions?: boolean } | null) {
  // Shopify says yes to both kinds of marketing: what the file says must win for promotions.
  await db.customer.create({
    data: { shop, shopifyId, firstName: `C${shopifyId}`, email: `c${shopifyId}@example.com`, phone: `+86138000000${shopifyId.padStart(2, "0")}`, timeZone: ZONE, emailConsentState: "SUBSCRIBED", smsConsentState: "SUBSCRIBED" },
  });
  if (file) await db.customerFile.create({ data: { shop, customerShopifyId: shopifyId, ...file, createdAt: T0, updatedAt: T0 } });
}

const careMessage = (customerShopifyId: string): PlannedMessage => ({
  customerShopifyId,
  idempotencyKey: `care-${customerShopifyId}`,
  source: "flow",
  sourceId: "postDelivery",
  step: "deliveryCheck",
  channel: "email",
  messageClass: "transactional",
  priority: 40,
  variables: { orderName: "#1001", productTitles: "Spring oolong", deliveredOn: "1 March" },
  plannedAt: T0,
  expiresAt: new Date(T0.getTime() + 3 * DAY),
});

const campaignMessage = (customerShopifyId: string, campaignId: string): PlannedMessage => ({
  ...careMessage(customerShopifyId),
  idempotencyKey: `campaign-${customerShopifyId}`,
  source: "campaign",
  sourceId: campaignId,
  step: "main",
  messageClass: "marketing",
  priority: 50,
  variables: {},
});

/** A dispatcher pass every 15 minutes from T0 for `hours`, as the background job runs. */
async function runFor(hours: number) {
  for (let t = T0.getTime(); t <= T0.getTime() + hours * HOUR; t += 15 * 60_000) {
    passAt = new Date(t);
    await dispatchDue(passAt, { channels: { email, sms, flow }, unsubscribeUrl: () => "https://membercare.test/unsubscribe" });
  }
}

const sentOn = (channel: RecordingChannel, key: string) => channel.sent.find((sent) => sent.key === key) ?? null;
const rowOf = (key: string) => db.message.findUniqueOrThrow({ where: { shop_idempotencyKey: { shop, idempotencyKey: key } } });
const decisionsOf = async (key: string) => messageDecisions(shop, (await rowOf(key)).id);
const words = (locale: "en" | "zh-CN", detail: Record<string, unknown>) =>
  Object.entries(detail).flatMap(([key, value]) => fileDetailParts(key, value, (k: MessageKey, vars) => translate(locale, k, vars)) ?? []);

beforeEach(async () => {
  for (const table of ["messageDecision", "message", "followUpTask", "customerFile", "customer", "campaign", "careFlow", "shop"] as const) {
    await (db[table] as unknown as { deleteMany(args: object): Promise<unknown> }).deleteMany({ where: { shop } });
  }
  await saveShopSettings(shop, { name: "Tea House", ianaTimezone: "Europe/London", currencyCode: "USD", primaryLocale: "en", scopes: null }, T0);
  const care = await saveCareSettings(shop, { channels: { email: true, sms: true, flow: false }, sms: { fromNumber: "+14155550123" } });
  expect(care.ok).toBe(true);
  // The flow as a merchant sets it on its page: email by default, each customer's preferred channel where the file names one.
  expect((await saveFlowSettings(shop, "postDelivery", { enabled: true, channel: "email", preferredChannel: true }, null, T0)).ok).toBe(true);
  passAt = T0;
  email = new RecordingChannel("email", () => passAt);
  sms = new RecordingChannel("sms", () => passAt);
  flow = new RecordingChannel("flow", () => passAt);
});

async function campaign() {
  const saved = await saveCampaign(shop, null, { name: "Spring harvest", channel: "email", content: { en: { subject: "New harvest", body: "The spring oolong is in.", sms: "Spring oolong is in." } }, audience: {}, activeHours: false }, null, T0);
  if (!saved.ok) throw new Error(`campaign not saved: ${JSON.stringify(saved)}`);
  return saved.id;
}

describe("the customer file on every message", () => {
  it("SMS, evenings, no promotions: the care message by SMS at 17:00 their time, the campaign blocked, and the log says why", async () => {
    await customer("1", { preferredChannel: "sms", preferredContactTime: "evening", acceptsPromotions: false });
    const campaignId = await campaign();
    await planMessages(shop, [careMessage("1"), campaignMessage("1", campaignId)], T0);

    await runFor(10);

    const care = sentOn(sms, "care-1");
    expect(care).toEqual({ key: "care-1", at: new Date("2026-03-02T09:00:00Z"), to: "+8613800000001" });
    expect(localHour(care!.at, ZONE)).toBe(17);
    expect(sentOn(email, "care-1")).toBeNull();
    expect((await rowOf("care-1")).channel).toBe("sms");

    const careLog = await decisionsOf("care-1");
    expect(careLog.map((entry) => `${entry.decision}/${entry.reason}`)).toEqual(["planned/flowPlanned", "deferred/contactTime", "sent/providerAccepted"]);
    expect(careLog[1].detail).toMatchObject({ until: "2026-03-02T09:00:00.000Z", waitedFor: ["contactTime"], customerFile: { channel: { preferred: "sms", used: "sms" }, contactTime: { time: "evening", startHour: 17, hours: 4, placed: true } } });
    expect(words("en", careLog[1].detail)).toEqual(["sent by SMS, the channel the customer's file prefers", "preferred contact time from the customer's file: Evening, 17:00–21:00"]);
    expect(words("zh-CN", careLog[1].detail)).toEqual(["按顾客档案偏好的渠道（短信）发送", "顾客档案中偏好的联系时段：晚上，17:00–21:00"]);

    // Subscribed to email marketing in Shopify, but the file says no promotions.
    expect(sentOn(email, "campaign-1")).toBeNull();
    expect(sentOn(sms, "campaign-1")).toBeNull();
    expect((await rowOf("campaign-1")).status).toBe("blocked");
    expect((await decisionsOf("campaign-1")).at(-1)).toMatchObject({ decision: "blocked", reason: "noPromotions" });
    expect(translate("en", "care.reason.noPromotions")).toBe("Not sent: the customer's file says no promotions");
    expect(translate("zh-CN", "care.reason.noPromotions")).toBe("未发送：顾客档案注明不接受促销");
  });

  it("the same customer with an empty file follows the defaults: both by email, at once", async () => {
    await customer("2", { preferredChannel: undefined });
    await customer("3", null);
    const campaignId = await campaign();
    await planMessages(shop, [careMessage("2"), campaignMessage("2", campaignId), careMessage("3"), campaignMessage("3", campaignId)], T0);

    await runFor(1);

    for (const id of ["2", "3"]) {
      expect(sentOn(email, `care-${id}`)).toMatchObject({ at: T0, to: `c${id}@example.com` });
      expect(sentOn(email, `campaign-${id}`)).toMatchObject({ at: T0 });
      expect((await rowOf(`care-${id}`)).channel).toBe("email");
      for (const entry of await decisionsOf(`care-${id}`)) expect(entry.detail).not.toHaveProperty("customerFile");
    }
    expect(sms.sent).toEqual([]);
  });

  it("a customer who asked for a call gets a staff follow-up instead of an automated touch, one for both", async () => {
    await customer("4", { preferredChannel: "phone" });
    const campaignId = await campaign();
    await planMessages(shop, [careMessage("4"), campaignMessage("4", campaignId)], T0);

    await runFor(1);

    expect([...email.sent, ...sms.sent]).toEqual([]);
    const tasks = await db.followUpTask.findMany({ where: { shop, customerShopifyId: "4" } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ reason: "personalContact", status: "open", dueOn: "2026-03-04", priority: 2 });
    const care = (await decisionsOf("care-4")).at(-1)!;
    const promo = (await decisionsOf("campaign-4")).at(-1)!;
    expect(care).toMatchObject({ decision: "blocked", reason: "staffFollowUp", detail: { preferredChannel: "phone", followUpTaskId: tasks[0].id } });
    expect(promo).toMatchObject({ decision: "blocked", reason: "staffFollowUp", detail: { preferredChannel: "phone", followUpTaskId: tasks[0].id } });
    // The first of the two (the care message goes first, by priority) opened the task; the other found it open.
    expect([care.detail.followUp, promo.detail.followUp]).toEqual(["opened", "existing"]);
    expect(words("en", care.detail)).toEqual(["the customer's file says: Phone", "a follow-up was added to staff's list"]);
    expect(words("zh-CN", promo.detail)[1]).toBe("已在员工跟进列表中");
  });
});

describe("the flow's setting on its page", () => {
  const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
  const query = (locale: string) => new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/counter-file").toString("base64url"), locale });
  let app: TestApp;
  beforeAll(async () => {
    await installShop(shop);
    app = await startTestApp({ worker: false });
  });
  afterAll(() => app?.close());

  it("offers 'the customer's preferred channel' in en and zh-CN, and saves it", async () => {
    for (const [locale, label] of [["en", "Send on each customer&#x27;s preferred channel"], ["zh-CN", "按每位顾客偏好的渠道发送"]] as const) {
      const response = await fetch(`${app.url}/app/flows/replenishment?${query(locale)}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(label);
    }
    const saved = await fetch(`${app.url}/app/flows/replenishment?${query("en")}&_data=${encodeURIComponent("routes/app.flows.$flow")}`, {
      method: "POST",
      body: new URLSearchParams({ config: JSON.stringify({ enabled: true, channel: "email", preferredChannel: true }) }),
      headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER },
    });
    expect(saved.status).toBe(200);
    expect((await getFlowSettings(shop)).replenishment.config).toMatchObject({ channel: "email", preferredChannel: true });
    // A flow the merchant did not set keeps its one channel.
    expect((await getFlowSettings(shop)).winBack.config.preferredChannel).toBe(false);
  });
});
