// The Messages log, Anomalies and Care settings pages through the built app
// with a real session token: the log shows each message's status and reason
// in words, filters and pages, and opens a message's decisions (never another
// shop's); the Anomalies page lists shipments in trouble and staff resolve
// one (422 on a bad request, 404 across shops); the Care settings page refuses
// invalid input with an error on each field (422, nothing saved) and saves
// good input. en and zh-CN.
import db from "~/db.server";
import { DEFAULT_CARE_SETTINGS } from "~/domain/care/settings";
import { getCareSettings } from "~/models/care-settings.server";
import { logDecisions, planMessages, type PlannedMessage } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { detectAnomalies } from "~/services/anomalies.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { startTestApp, type TestApp } from "./support/app";
import { customerPayload, orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "care-pages.myshopify.com";
const other = "care-pages-other.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const DAY = 86_400_000;
// The pages read the real clock: the story is set in the last days.
const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const ago = (days: number) => new Date(now.getTime() - days * DAY);
let app: TestApp;

const message = (key: string, over: Partial<PlannedMessage> = {}): PlannedMessage => ({
  customerShopifyId: "8801",
  idempotencyKey: key,
  source: "flow",
  sourceId: "postDelivery",
  step: "deliveryCheck",
  channel: "email",
  messageClass: "transactional",
  priority: 10,
  orderShopifyId: "98802", // not the parcel in trouble below: its messages would be paused
  variables: {},
  plannedAt: ago(1),
  expiresAt: ago(-5),
  ...over,
});

beforeAll(async () => {
  for (const domain of [shop, other]) {
    await installShop(domain);
    await saveShopSettings(domain, { name: domain, ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", primaryLocale: "en", scopes: null }, ago(30));
  }
  await projectInboxEvent({ shop, topic: "customers/create", body: JSON.stringify(customerPayload({ id: "8801", email: "mei@example.com", firstName: "Mei", lastName: "Lin" })) }, ago(30));
  await projectInboxEvent({ shop, topic: "orders/create", body: JSON.stringify(orderPayload({ id: "98801", customerId: "8801", createdAt: ago(12).toISOString() })) }, ago(12));

  // 60 messages: 57 sent, one deferred by quiet hours, one blocked, one by SMS (scheduled).
  const sent = Array.from({ length: 57 }, (_, index) => message(`sent-${index}`, { plannedAt: ago(10) }));
  await planMessages(shop, [...sent, message("deferred"), message("blocked", { sourceId: "replenishment", step: "reminder", messageClass: "marketing" }), message("sms", { channel: "sms" })], ago(2));
  const rows = await db.message.findMany({ where: { shop } });
  const id = (key: string) => rows.find((row) => row.idempotencyKey === key)!.id;
  await db.message.updateMany({ where: { shop, idempotencyKey: { startsWith: "sent-" } }, data: { status: "sent", sentAt: ago(1.5), lastReason: "providerAccepted", updatedAt: ago(1.5) } });
  await db.message.update({ where: { id: id("deferred") }, data: { status: "deferred", lastReason: "quietHours", availableAt: ago(-0.5), updatedAt: ago(0.9) } });
  await db.message.update({ where: { id: id("blocked") }, data: { status: "blocked", lastReason: "noConsent", updatedAt: ago(0.8) } });
  await logDecisions(shop, [{ messageId: id("deferred"), customerShopifyId: "8801", decision: "deferred", reason: "quietHours", detail: { until: ago(-0.5).toISOString(), timeZone: "Asia/Shanghai", waitedFor: ["quietHours", "activeHours"], activeHours: { startHour: 18, hours: 3, placed: true, source: "learned", orders: 8 } } }], ago(0.9));
  await planMessages(other, [message("other-1", { customerShopifyId: "8901" })], ago(2));

  // A parcel that failed two days ago.
  await db.fulfillment.create({
    data: { shop, shopifyId: "68801", orderShopifyId: "98801", status: "success", trackingCompany: "SF Express", trackingNumber: "SF1001", trackingUrl: "https://www.sf-express.com/track?no=SF1001", shopifyCreatedAt: ago(4), lastEventAt: ago(2), lastEventStatus: "failure" },
  });
  await detectAnomalies(shop, now);
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const query = (locale: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/care-pages").toString("base64url"), id_token: sessionToken(shop), locale, ...extra });
const page = async (path: string, locale: string, extra: Record<string, string> = {}) => {
  const response = await fetch(`${app.url}${path}?${query(locale, extra)}`, { headers: { "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return response.text();
};
const data = async (path: string, route: string, params: Record<string, string> = {}, domain = shop) => {
  const response = await fetch(`${app.url}${path}?${new URLSearchParams({ ...params, _data: route })}`, { headers: { Authorization: `Bearer ${sessionToken(domain)}`, "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return response.json();
};
const post = (path: string, route: string, fields: Record<string, string>, domain = shop) =>
  fetch(`${app.url}${path}?_data=${encodeURIComponent(route)}`, { method: "POST", headers: { Authorization: `Bearer ${sessionToken(domain, { userId: "77" })}`, "User-Agent": BROWSER }, body: new URLSearchParams(fields) });

type Decision = { decision: string; reason: string; detail: Record<string, unknown> };
type LogData = {
  count: number;
  nextCursor: string | null;
  previousCursor: string | null;
  entries: Array<{ id: string; status: string; lastReason: string; channel: string; sourceId: string; customerName: string | null; decisions: Decision[] }>;
};

describe("Messages log", () => {
  it("shows each message's status and reason in words, its flow by the Flows page's name, customer and channel, in both languages", async () => {
    const en = await page("/app/messages", "en");
    expect(en).toContain("Quiet hours in the customer&#x27;s time zone");
    expect(en).toContain("No marketing consent on this channel");
    // The flow's one display name, as the Flows page shows it.
    expect(en).toContain("After delivery · Delivery check");
    expect(en).not.toContain("Post-delivery care");
    expect(en).toContain("Mei Lin");
    expect(en).toContain('href="/app/members/8801"');
    expect(en).toContain("Asia/Shanghai");
    expect(en).toContain("61 messages match");
    const zh = await page("/app/messages", "zh-CN");
    expect(zh).toContain("消息记录");
    expect(zh).toContain("客户未同意通过此渠道接收营销信息");
    expect(zh).toContain("共 61 条消息符合条件");
  });

  it("filters by status, channel, source, customer and date, counts what matches, and pages both ways without repeats", async () => {
    const deferred = (await data("/app/messages", "routes/app.messages", { status: "deferred" })) as LogData;
    expect(deferred.entries.map((entry) => [entry.status, entry.lastReason])).toEqual([["deferred", "quietHours"]]);
    expect(deferred.count).toBe(1);
    const notSent = (await data("/app/messages", "routes/app.messages", { status: "blocked,deferred" })) as LogData;
    expect(notSent.entries.map((entry) => entry.status).sort()).toEqual(["blocked", "deferred"]);
    expect(((await data("/app/messages", "routes/app.messages", { channel: "sms" })) as LogData).entries.map((entry) => entry.channel)).toEqual(["sms"]);
    expect(((await data("/app/messages", "routes/app.messages", { source: "campaign" })) as LogData).entries).toEqual([]);
    expect(((await data("/app/messages", "routes/app.messages", { flow: "replenishment" })) as LogData).entries.map((entry) => entry.status)).toEqual(["blocked"]);
    // By the customer's name or email.
    // Every message of this shop is to Mei; the other shop's one (to 8901) never shows.
    const mei = (await data("/app/messages", "routes/app.messages", { q: "mei lin" })) as LogData;
    expect(mei.count).toBe(61);
    expect(new Set(mei.entries.map((entry) => entry.customerName))).toEqual(new Set(["Mei Lin"]));
    expect(((await data("/app/messages", "routes/app.messages", { q: "MEI@EXAMPLE" })) as LogData).count).toBe(61);
    expect(((await data("/app/messages", "routes/app.messages", { q: "nobody" })) as LogData).count).toBe(0);
    // By the shop's calendar days (Asia/Shanghai): the 57 were sent a day and a half ago, the others are dated later or earlier.
    const shanghaiDay = (date: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(date);
    const sentDay = (await data("/app/messages", "routes/app.messages", { from: shanghaiDay(ago(1.5)), to: shanghaiDay(ago(1.5)), status: "sent" })) as LogData;
    expect(sentDay.count).toBe(57);
    expect(((await data("/app/messages", "routes/app.messages", { to: shanghaiDay(ago(3)) })) as LogData).count).toBe(0);

    const first = (await data("/app/messages", "routes/app.messages")) as LogData;
    expect(first.entries).toHaveLength(50);
    expect(first.count).toBe(61);
    expect(first.previousCursor).toBeNull();
    // The failed parcel's "we are on it" note (planned just now) first, then the most recently changed.
    expect(first.entries.slice(0, 4).map((entry) => [entry.sourceId, entry.status])).toEqual([
      ["shipmentNotice", "scheduled"],
      ["replenishment", "blocked"],
      ["postDelivery", "deferred"],
      ["postDelivery", "sent"],
    ]);
    const second = (await data("/app/messages", "routes/app.messages", { cursor: first.nextCursor! })) as LogData;
    expect(second.entries).toHaveLength(11);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.entries, ...second.entries].map((entry) => entry.id)).size).toBe(61);
    // Back from the second page: the first page again.
    const back = (await data("/app/messages", "routes/app.messages", { before: second.previousCursor! })) as LogData;
    expect(back.entries.map((entry) => entry.id)).toEqual(first.entries.map((entry) => entry.id));
    // An unknown filter value is ignored, not an error.
    expect(((await data("/app/messages", "routes/app.messages", { status: "lost" })) as LogData).entries).toHaveLength(50);
  });

  it("carries each row's decisions, oldest first, opens a linked row's history on the row, and never another shop's", async () => {
    const deferred = ((await data("/app/messages", "routes/app.messages", { status: "deferred" })) as LogData).entries[0]!;
    expect(deferred.decisions.map((entry) => `${entry.decision}/${entry.reason}`)).toEqual(["planned/flowPlanned", "deferred/quietHours"]);
    const html = await page("/app/messages", "en", { status: "deferred", message: deferred.id });
    // The history names the message it explains.
    expect(html).toContain("Why the message to Mei Lin (After delivery · Delivery check) went when it did");
    // Why it went when it did, in words: the window learned from the customer's orders.
    expect(html).toContain("usual hours 18:00–21:00, learned from 8 orders");
    expect(html).toContain("in Asia/Shanghai");
    expect(html).not.toContain("activeHours:");
    expect(await page("/app/messages", "zh-CN", { status: "deferred", message: deferred.id })).toContain("常用时段 18:00–21:00，根据 8 笔订单学习");
    const foreign = await db.message.findFirstOrThrow({ where: { shop: other } });
    expect(((await data("/app/messages", "routes/app.messages", { q: "8901" })) as LogData).entries).toEqual([]);
    const response = await fetch(`${app.url}/app/messages/${foreign.id}?${new URLSearchParams({ _data: "routes/app.messages_.$id" })}`, { headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER } });
    expect(response.status).toBe(404);
  });

  it("shows a message's words as the customer gets them, in the customer's language", async () => {
    const sent = ((await data("/app/messages", "routes/app.messages", { status: "sent" })) as LogData).entries[0]!;
    const words = (await data(`/app/messages/${sent.id}`, "routes/app.messages_.$id")) as { words: { subject: string; text: string; locale: string } | null };
    // The delivery check of the catalog, filled in for Mei, with the shop's name in the footer.
    expect(words.words?.locale).toBe("en");
    expect(words.words?.subject).toContain("arrive safely?");
    expect(words.words?.text).toContain("Hi Mei,");
    expect(words.words?.text).toContain(shop);
    const html = await page(`/app/messages/${sent.id}`, "zh-CN");
    expect(html).toContain("发给Mei Lin的消息");
  });
});

describe("Anomalies", () => {
  it("lists shipments in trouble with kind, days, carrier, order, customer and follow-up, in both languages", async () => {
    const en = await page("/app/anomalies", "en");
    expect(en).toContain("Delivery failed");
    // The list's "since shipped" column.
    expect(en).toContain("4 days");
    // The carrier and number, as a link to the carrier's tracking page (issue 20: it was loaded and never shown).
    expect(en).toContain('href="https://www.sf-express.com/track?no=SF1001" target="_blank" rel="noreferrer noopener">SF Express SF1001</a>');
    expect(en).toContain('href="/app/members/8801"');
    expect(en).toContain("Follow-up: open");
    expect(en).toContain('href="shopify://admin/orders/98801"');
    const zh = await page("/app/anomalies", "zh-CN");
    expect(zh).toContain("投递失败");
    expect(zh).toContain("4 天");
  });

  it("lets staff resolve a shipment: 422 on a bad request, 404 across shops, resolvedBy the staff member", async () => {
    const anomaly = await db.shipmentAnomaly.findFirstOrThrow({ where: { shop } });
    expect((await post("/app/anomalies", "routes/app.anomalies", { intent: "close", id: anomaly.id })).status).toBe(422);
    expect((await post("/app/anomalies", "routes/app.anomalies", { intent: "resolve", id: anomaly.id }, other)).status).toBe(404);
    expect((await db.shipmentAnomaly.findUniqueOrThrow({ where: { id: anomaly.id } })).status).toBe("open");
    expect((await post("/app/anomalies", "routes/app.anomalies", { intent: "resolve", id: anomaly.id })).status).toBe(200);
    expect(await db.shipmentAnomaly.findUniqueOrThrow({ where: { id: anomaly.id } })).toMatchObject({ status: "resolved", resolvedBy: "77" });
    expect(await page("/app/anomalies", "en")).toContain("No shipment is in trouble.");
  });
});

describe("Care settings", () => {
  const valid = {
    "quietHours.start": "22:00",
    "quietHours.end": "08:30",
    "caps.0.messages": "2",
    "caps.0.hours": "48",
    "caps.1.messages": "",
    "caps.1.hours": "",
    "caps.2.messages": "6",
    "caps.2.hours": "720",
    "sender.fromName": "Mei's Tea",
    "sender.fromEmail": "care@example.com",
    "sender.replyTo": "",
    "channels.email": "on",
    "channels.sms": "on",
    "sms.fromNumber": "+8613800138000",
    "anomalies.domesticTransitDays": "5",
    "anomalies.internationalTransitDays": "15",
    "anomalies.noUpdateDays": "4",
    "anomalies.untrackedDeliveryDays": "",
    validityDefaultDays: "10",
    "messageCosts.email": "",
    // Typed in the shop's currency (USD): five cents, kept as 5 minor units.
    "messageCosts.sms": "0.05",
  };

  it("shows every setting, in both languages", async () => {
    const en = await page("/app/care-settings", "en");
    for (const text of ["Quiet hours", "Frequency caps", "Sender", "Channels", "SMS sender number", "Shipments in trouble", "A deferred message expires after (days)"]) expect(en).toContain(text);
    expect(await page("/app/care-settings", "zh-CN")).toContain("消息成本");
  });

  it("refuses invalid input with an error on each field, saving nothing", async () => {
    const response = await post("/app/care-settings", "routes/app.care-settings", {
      ...valid,
      "quietHours.start": "25:00",
      "caps.2.messages": "0",
      "sender.fromEmail": "not an address",
      "sms.fromNumber": "",
      "anomalies.internationalTransitDays": "abc",
      "messageCosts.email": "5 cents",
    });
    expect(response.status).toBe(422);
    const { errors } = (await response.json()) as { errors: Record<string, { key: string }> };
    expect(Object.fromEntries(Object.entries(errors).map(([field, error]) => [field, error.key]))).toEqual({
      "quietHours.start": "care.settings.errors.time",
      "caps.2.messages": "care.settings.errors.wholeRange", // the row the merchant typed in, though row 1 was empty
      "sender.fromEmail": "care.settings.errors.email",
      "anomalies.internationalTransitDays": "care.settings.errors.wholeRange",
      "messageCosts.email": "care.settings.errors.money",
    });
    expect(await getCareSettings(shop)).toEqual(DEFAULT_CARE_SETTINGS);

    // Valid on their own, wrong together: SMS on without a number, abroad shorter than at home.
    const crossed = await post("/app/care-settings", "routes/app.care-settings", { ...valid, "sms.fromNumber": "", "anomalies.internationalTransitDays": "3" });
    expect(crossed.status).toBe(422);
    expect(Object.keys(((await crossed.json()) as { errors: object }).errors).sort()).toEqual(["anomalies.internationalTransitDays", "sms.fromNumber"]);
    expect(await getCareSettings(shop)).toEqual(DEFAULT_CARE_SETTINGS);
  });

  it("saves good input: empty cap rows dropped, unticked boxes off, empty numbers at their default", async () => {
    const response = await post("/app/care-settings", "routes/app.care-settings", valid);
    expect(response.status).toBe(200);
    expect(await getCareSettings(shop)).toEqual({
      quietHours: { start: "22:00", end: "08:30" },
      caps: [
        { messages: 2, hours: 48 },
        { messages: 6, hours: 720 },
      ],
      capTransactional: false,
      sender: { fromName: "Mei's Tea", fromEmail: "care@example.com", replyTo: null },
      channels: { email: true, sms: true, flow: false },
      sms: { fromNumber: "+8613800138000" },
      anomalies: { domesticTransitDays: 5, internationalTransitDays: 15, noUpdateDays: 4, untrackedDeliveryDays: 7, notifyCustomer: false },
      validityDefaultDays: 10,
      messageCosts: { email: 0, sms: 5 },
    });
    const html = await page("/app/care-settings", "en");
    expect(html).toContain('value="+8613800138000"');
  });
});
