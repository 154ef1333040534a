// The dispatcher on the real database (SQLite and PostgreSQL): consent,
// quiet hours in the customer's zone (the shop's when unknown), the shared
// frequency cap (deferring, not dropping; transactional through), priority
// between a customer's due messages, expiry past the validity window, flows
// and channels switched off, retries with back-off then failure, in-doubt
// messages sent again with the same key, every decision logged with its
// reason; two dispatchers at once never exceed the cap or send twice; and the
// real email channel delivering a rendered message to the SMTP inbox.
import db from "~/db.server";
import type { Channel } from "~/domain/care/types";
import { saveCareSettings } from "~/models/care-settings.server";
import { messageDecisions, planMessages, type PlannedMessage } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { emailChannel } from "~/services/channels/email.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "~/services/channels/types";
import { TransientChannelError } from "~/services/channels/types";
import { ManualClock } from "~/services/clock.server";
import { dispatchAllDue, dispatchDue, type DispatchOptions } from "~/services/dispatcher.server";
import type { ContentResolver } from "~/services/message-content.server";
import { startSmtpInbox } from "../tools/smtp-inbox";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const shop = "dispatch.myshopify.com";
// 2 March 2026, 04:00 UTC: 12:00 in Shanghai, 20:00 (1 March) in Los Angeles.
const T0 = new Date("2026-03-02T04:00:00Z");
const at = (iso: string) => new Date(iso);

/** A channel that records what it is given and answers as told. */
class RecordingChannel implements ChannelSender {
  sent: OutgoingMessage[] = [];
  answer: (message: OutgoingMessage) => Promise<SendResult> = async (message) => ({ status: "accepted", providerMessageId: `p-${message.idempotencyKey}` });
  async send(message: OutgoingMessage): Promise<SendResult> {
    const result = await this.answer(message);
    if (result.status === "accepted") this.sent.push(message);
    return result;
  }
  keys() {
    return this.sent.map((message) => message.idempotencyKey);
  }
}

let email: RecordingChannel;
let sms: RecordingChannel;
let flowSteps: Record<string, { enabled: boolean; allowWithoutConsent: boolean }>;

const content = { subject: "Hello {{firstName}}", body: "How is your {{productTitle}}?", sms: "Hi {{firstName}}" };
const flowContent: ContentResolver = async (_shop, message) => {
  const step = flowSteps[message.step] ?? { enabled: true, allowWithoutConsent: false };
  return { enabled: step.enabled, allowWithoutConsent: step.allowWithoutConsent, content };
};
const options = (extra: Partial<DispatchOptions> = {}): DispatchOptions => ({
  channels: { email, sms, flow: new RecordingChannel() } as Record<Channel, ChannelSender>,
  content: { flow: flowContent },
  unsubscribeUrl: (domain, customer, channel) => `https://membercare.test/unsubscribe/${domain}/${customer}/${channel}`,
  ...extra,
});

async function customer(shopifyId: string, fields: { timeZone?: string | null; emailConsentState?: string | null; smsConsentState?: string | null; email?: string | null; phone?: string | null; locale?: string | null } = {}, domain = shop) {
  await db.customer.create({
    data: {
      shop: domain,
      shopifyId,
      firstName: `Ann${shopifyId}`,
      email: `c${shopifyId}@example.com`,
      phone: "+14155550100",
      timeZone: "Asia/Shanghai",
      emailConsentState: "SUBSCRIBED",
      smsConsentState: "SUBSCRIBED",
      ...fields,
    },
  });
}

const message = (key: string, overrides: Partial<PlannedMessage> = {}): PlannedMessage => ({
  customerShopifyId: "1",
  idempotencyKey: key,
  source: "flow",
  sourceId: "winBack",
  step: "atRisk",
  channel: "email",
  messageClass: "marketing",
  priority: 50,
  variables: { productTitle: "Oolong" },
  plannedAt: T0,
  expiresAt: new Date(T0.getTime() + 7 * DAY),
  ...overrides,
});

const row = (key: string, domain = shop) => db.message.findUniqueOrThrow({ where: { shop_idempotencyKey: { shop: domain, idempotencyKey: key } } });
const trail = async (key: string, domain = shop) => (await messageDecisions(domain, (await row(key, domain)).id)).map((entry) => `${entry.decision}/${entry.reason}`);

beforeEach(async () => {
  await db.messageDecision.deleteMany({});
  await db.message.deleteMany({});
  await db.customer.deleteMany({});
  await db.shop.deleteMany({});
  await saveShopSettings(shop, { name: "Tea House", ianaTimezone: "America/Los_Angeles", currencyCode: "USD", primaryLocale: "en", scopes: null }, T0);
  email = new RecordingChannel();
  sms = new RecordingChannel();
  flowSteps = {};
});

describe("consent", () => {
  it("blocks marketing without a subscription and logs why; sends it to a subscriber", async () => {
    await customer("1", { emailConsentState: "NOT_SUBSCRIBED" });
    await customer("2");
    await planMessages(shop, [message("m1"), message("m2", { customerShopifyId: "2" })], T0);
    const result = await dispatchDue(T0, options());
    expect(result).toMatchObject({ claimed: 2, sent: 1, blocked: 1 });
    expect(email.keys()).toEqual(["m2"]);
    expect(await row("m1")).toMatchObject({ status: "blocked", lastReason: "noConsent", sentAt: null });
    expect(await trail("m1")).toEqual(["planned/flowPlanned", "blocked/noConsent"]);
    expect(await row("m2")).toMatchObject({ status: "sent", lastReason: "providerAccepted", sentAt: T0, providerMessageId: "p-m2", attempts: 1 });
    expect(await trail("m2")).toEqual(["planned/flowPlanned", "sent/providerAccepted"]);
  });

  it("sends a transactional message without consent only when its flow allows it", async () => {
    await customer("1", { emailConsentState: "UNSUBSCRIBED" });
    flowSteps = { deliveryCheck: { enabled: true, allowWithoutConsent: true }, usageTips: { enabled: true, allowWithoutConsent: false } };
    const care = { sourceId: "postDelivery", messageClass: "transactional" as const, priority: 10 };
    await planMessages(shop, [message("allowed", { ...care, step: "deliveryCheck" }), message("notAllowed", { ...care, step: "usageTips" })], T0);
    await dispatchDue(T0, options());
    expect(email.keys()).toEqual(["allowed"]);
    expect(await row("notAllowed")).toMatchObject({ status: "blocked", lastReason: "noConsent" });
    // Transactional mail carries no unsubscribe link.
    expect(email.sent[0].unsubscribeUrl).toBeNull();
  });

  it("blocks a message without an address, and one to a customer the app does not know", async () => {
    await customer("1", { email: null });
    await planMessages(shop, [message("noEmail"), message("stranger", { customerShopifyId: "404" })], T0);
    await dispatchDue(T0, options());
    expect(await row("noEmail")).toMatchObject({ status: "blocked", lastReason: "noAddress" });
    expect(await row("stranger")).toMatchObject({ status: "blocked", lastReason: "noAddress" });
    expect(email.sent).toEqual([]);
  });
});

describe("quiet hours", () => {
  it("defers to 09:00 in the customer's zone, then sends then", async () => {
    await customer("1"); // Shanghai
    const night = at("2026-03-02T14:00:00Z"); // 22:00 in Shanghai
    await planMessages(shop, [message("night", { plannedAt: night })], night);
    expect(await dispatchDue(night, options())).toMatchObject({ deferred: 1, sent: 0 });
    const morning = at("2026-03-03T01:00:00Z"); // 09:00 in Shanghai
    expect(await row("night")).toMatchObject({ status: "deferred", lastReason: "quietHours", availableAt: morning });
    const [, deferred] = await messageDecisions(shop, (await row("night")).id);
    expect(deferred.detail).toMatchObject({ until: morning.toISOString(), timeZone: "Asia/Shanghai", waitedFor: ["quietHours"] });
    // Not before 09:00: nothing is due a minute earlier.
    expect(await dispatchDue(new Date(morning.getTime() - 60_000), options())).toMatchObject({ claimed: 0 });
    expect(await dispatchDue(morning, options())).toMatchObject({ sent: 1 });
    expect(await row("night")).toMatchObject({ status: "sent", sentAt: morning });
    expect(await trail("night")).toEqual(["planned/flowPlanned", "deferred/quietHours", "sent/providerAccepted"]);
  });

  it("uses the shop's zone for a customer whose zone is unknown", async () => {
    await customer("1", { timeZone: null });
    await customer("2"); // Shanghai: 14:00 there
    const now = at("2026-03-02T06:00:00Z"); // 22:00 on 1 March in Los Angeles
    await planMessages(shop, [message("unknownZone", { plannedAt: now }), message("shanghai", { customerShopifyId: "2", plannedAt: now })], now);
    await dispatchDue(now, options());
    expect(await row("unknownZone")).toMatchObject({ status: "deferred", availableAt: at("2026-03-02T17:00:00Z") }); // 09:00 PST
    expect(email.keys()).toEqual(["shanghai"]);
  });
});

describe("the frequency cap", () => {
  it("defers a second marketing message by 72 hours, lets a transactional one through, then sends the deferred one", async () => {
    await customer("1");
    await planMessages(shop, [message("first")], T0);
    await dispatchDue(T0, options());
    const later = new Date(T0.getTime() + HOUR);
    await planMessages(shop, [message("second", { sourceId: "replenishment", step: "reminder", plannedAt: later }), message("order", { sourceId: "postDelivery", step: "deliveryCheck", messageClass: "transactional", priority: 10, plannedAt: later })], later);
    expect(await dispatchDue(later, options())).toMatchObject({ sent: 1, deferred: 1 });
    expect(email.keys()).toEqual(["first", "order"]);
    const freed = new Date(T0.getTime() + 72 * HOUR); // 12:00 in Shanghai, outside quiet hours
    expect(await row("second")).toMatchObject({ status: "deferred", lastReason: "frequencyCap", availableAt: freed });
    expect(await dispatchDue(freed, options())).toMatchObject({ sent: 1 });
    expect(email.keys()).toEqual(["first", "order", "second"]);
    expect(await trail("second")).toEqual(["planned/flowPlanned", "deferred/frequencyCap", "sent/providerAccepted"]);
  });

  it("applies the shop's own caps, and to transactional messages when it says so", async () => {
    await saveCareSettings(shop, { caps: [{ messages: 2, hours: 24 }], capTransactional: true });
    await customer("1");
    const keys = ["a", "b", "c"];
    await planMessages(shop, keys.map((key, i) => message(key, { messageClass: "transactional", priority: i, sourceId: "postDelivery", step: "deliveryCheck" })), T0);
    flowSteps = { deliveryCheck: { enabled: true, allowWithoutConsent: true } };
    expect(await dispatchDue(T0, options())).toMatchObject({ sent: 2, deferred: 1 });
    expect(await row("c")).toMatchObject({ status: "deferred", availableAt: new Date(T0.getTime() + DAY) });
  });

  it("counts a message being sent by another dispatcher", async () => {
    await customer("1");
    await planMessages(shop, [message("inFlight"), message("next")], T0);
    await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: "inFlight" } }, data: { status: "sending", availableAt: T0, leaseOwner: "other", leaseUntil: new Date(T0.getTime() + HOUR) } });
    await dispatchDue(T0, options());
    expect(await row("next")).toMatchObject({ status: "deferred", lastReason: "frequencyCap", availableAt: new Date(T0.getTime() + 72 * HOUR) });
    expect(email.sent).toEqual([]);
  });
});

describe("priority, validity, switches", () => {
  it("lets the higher priority take the slot when two are due together, whichever was planned first", async () => {
    await customer("1");
    await planMessages(shop, [message("winBack", { priority: 50, plannedAt: new Date(T0.getTime() - HOUR) }), message("replenishment", { sourceId: "replenishment", step: "reminder", priority: 20 })], T0);
    await dispatchDue(T0, options());
    expect(email.keys()).toEqual(["replenishment"]);
    expect(await row("winBack")).toMatchObject({ status: "deferred", lastReason: "frequencyCap" });
  });

  it("expires a message past its validity window, and one whose next allowed moment is past it", async () => {
    await customer("1");
    const night = at("2026-03-02T14:00:00Z"); // 22:00 in Shanghai
    await planMessages(shop, [
      message("stale", { plannedAt: new Date(night.getTime() - 8 * DAY), expiresAt: new Date(night.getTime() - DAY) }),
      message("tooLate", { customerShopifyId: "1", plannedAt: night, expiresAt: new Date(night.getTime() + 2 * HOUR), sourceId: "birthday", step: "greeting" }),
    ], night);
    await dispatchDue(night, options());
    expect(await row("stale")).toMatchObject({ status: "expired", lastReason: "pastValidity" });
    expect(await row("tooLate")).toMatchObject({ status: "expired", lastReason: "pastValidity" });
    const [, expired] = await messageDecisions(shop, (await row("tooLate")).id);
    expect(expired.detail).toMatchObject({ wouldSendAt: at("2026-03-03T01:00:00Z").toISOString() });
    expect(email.sent).toEqual([]);
  });

  it("blocks messages of a flow step switched off, and of a channel switched off", async () => {
    await customer("1");
    flowSteps = { atRisk: { enabled: false, allowWithoutConsent: false } };
    await planMessages(shop, [message("flowOff"), message("smsOff", { channel: "sms", step: "dormant" })], T0);
    await dispatchDue(T0, options());
    expect(await row("flowOff")).toMatchObject({ status: "blocked", lastReason: "flowOff" });
    expect(await row("smsOff")).toMatchObject({ status: "blocked", lastReason: "channelOff" });
    expect([...email.sent, ...sms.sent]).toEqual([]);
  });

  it("cancels what is due for an uninstalled shop or an erased customer", async () => {
    await customer("1");
    await db.customer.create({ data: { shop, shopifyId: "2", deletedAt: T0 } });
    await planMessages(shop, [message("erased", { customerShopifyId: "2" })], T0);
    await dispatchDue(T0, options());
    expect(await row("erased")).toMatchObject({ status: "cancelled", lastReason: "customerRedacted" });
    await planMessages(shop, [message("gone")], T0);
    await db.shop.update({ where: { shop }, data: { uninstalledAt: T0 } });
    await dispatchDue(T0, options());
    expect(await row("gone")).toMatchObject({ status: "cancelled", lastReason: "shopUninstalled" });
    expect(email.sent).toEqual([]);
  });
});

describe("failures", () => {
  it("retries transient failures with growing delays, then keeps the message as failed with the reason", async () => {
    await customer("1");
    await planMessages(shop, [message("flaky")], T0);
    email.answer = async () => {
      throw new TransientChannelError("SMTP ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:2525");
    };
    const clock = new ManualClock(T0);
    const retryAt: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await dispatchDue(clock.now(), options({ maxAttempts: 3 }))).toMatchObject({ claimed: 1, ...(attempt < 3 ? { retried: 1 } : { failed: 1 }) });
      const current = await row("flaky");
      expect(current.attempts).toBe(attempt);
      if (attempt < 3) {
        expect(current.status).toBe("scheduled");
        retryAt.push(current.availableAt.getTime() - clock.now().getTime());
        clock.advance(current.availableAt.getTime() - clock.now().getTime());
      }
    }
    expect(retryAt).toEqual([60_000, 120_000]);
    expect(await row("flaky")).toMatchObject({ status: "failed", lastReason: "providerError" });
    const decisions = await messageDecisions(shop, (await row("flaky")).id);
    expect(decisions.map((entry) => `${entry.decision}/${entry.reason}`)).toEqual(["planned/flowPlanned", "retry/providerError", "retry/providerError", "failed/providerError"]);
    expect(decisions.at(-1)!.detail).toMatchObject({ error: "SMTP ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:2525", attempts: 3 });
    // A retried message frees the cap's slot it held while being sent: another goes meanwhile.
  });

  it("fails a message the provider refuses, at once, with its reason", async () => {
    await customer("1");
    await planMessages(shop, [message("refused")], T0);
    email.answer = async () => ({ status: "rejected", reason: "SMTP 550: mailbox unavailable" });
    expect(await dispatchDue(T0, options())).toMatchObject({ failed: 1 });
    expect(await row("refused")).toMatchObject({ status: "failed", lastReason: "providerRejected", attempts: 1 });
    const decisions = await messageDecisions(shop, (await row("refused")).id);
    expect(decisions.at(-1)).toMatchObject({ decision: "failed", reason: "providerRejected", detail: { error: "SMTP 550: mailbox unavailable" } });
  });

  it("sends an in-doubt message again with the same key once its lease has run out, and not before", async () => {
    await customer("1");
    await planMessages(shop, [message("inDoubt")], T0);
    await db.message.update({ where: { shop_idempotencyKey: { shop, idempotencyKey: "inDoubt" } }, data: { status: "sending", attempts: 1, availableAt: T0, leaseOwner: "dead", leaseUntil: new Date(T0.getTime() + 5 * 60_000) } });
    expect(await dispatchDue(new Date(T0.getTime() + 60_000), options())).toMatchObject({ claimed: 0 });
    const later = new Date(T0.getTime() + 6 * 60_000);
    expect(await dispatchDue(later, options())).toMatchObject({ claimed: 1, sent: 1 });
    expect(email.keys()).toEqual(["inDoubt"]);
    expect(email.sent[0].messageId).toBe((await row("inDoubt")).id);
    expect(await row("inDoubt")).toMatchObject({ status: "sent", attempts: 2, sentAt: later });
    const decisions = await messageDecisions(shop, (await row("inDoubt")).id);
    expect(decisions.at(-1)).toMatchObject({ decision: "sent", reason: "providerAccepted", detail: { resent: true } });
  });

  it("leaves alone a message cancelled while it was claimed", async () => {
    await customer("1");
    await planMessages(shop, [message("cancelMe")], T0);
    email.answer = async (outgoing) => ({ status: "accepted", providerMessageId: outgoing.idempotencyKey });
    // The content is read after the claim: cancel the message right then.
    const content: ContentResolver = async (domain, claimed, locale) => {
      await db.message.updateMany({ where: { shop: domain, idempotencyKey: "cancelMe" }, data: { status: "cancelled", leaseOwner: null, leaseUntil: null } });
      return flowContent(domain, claimed, locale);
    };
    expect(await dispatchDue(T0, options({ content: { flow: content } }))).toMatchObject({ claimed: 1, skipped: 1 });
    expect(email.sent).toEqual([]);
    expect(await row("cancelMe")).toMatchObject({ status: "cancelled" });
  });
});

it("renders in the customer's language and delivers through the real email channel to the SMTP inbox", async () => {
  const inbox = await startSmtpInbox();
  const channel = emailChannel({ smtpUrl: inbox.smtpUrl });
  try {
    await saveCareSettings(shop, { sender: { fromName: "Tea House Care", fromEmail: "care@tea.example", replyTo: "help@tea.example" } });
    await customer("1", { locale: "zh-CN" });
    await planMessages(shop, [message("real")], T0);
    const result = await dispatchDue(T0, options({ channels: { email: channel, sms, flow: sms } }));
    expect(result).toMatchObject({ sent: 1 });
    expect(inbox.messages).toHaveLength(1);
    const [mail] = inbox.messages;
    expect(mail.subject).toBe("Hello Ann1");
    expect(mail.to).toEqual(["c1@example.com"]);
    // care@tea.example was typed, never confirmed (issue 18): the app's address (from SHOPIFY_APP_URL's host) sends, the shop's replies go to the shop.
    expect(mail.headers.from).toBe("Tea House Care <notifications@membercare.test>");
    expect(mail.headers["reply-to"]).toBe("help@tea.example");
    expect(mail.from).toBe("notifications@membercare.test");
    expect(mail.text).toContain("How is your Oolong?");
    // Marketing: the one-click unsubscribe headers, and the footer in the customer's language.
    expect(mail.headers["list-unsubscribe"]).toContain("https://membercare.test/unsubscribe/dispatch.myshopify.com/1/email");
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail.text).toMatch(/[\u4e00-\u9fff]/);
    const sent = await row("real");
    expect(mail.headers["message-id"]).toBe(sent.providerMessageId);
  } finally {
    channel.close();
    await inbox.close();
  }
});

it("two dispatchers at once never exceed the cap nor send a message twice", async () => {
  // Each customer has two marketing messages due at the same moment, and the
  // customers' moments follow each other: claiming one message at a time, the
  // two dispatchers take one message each of the same customer and decide
  // them at the same time, the race the cap's lock is there for.
  const customers = Array.from({ length: 30 }, (_, i) => String(100 + i));
  for (const id of customers) await customer(id);
  const planned: PlannedMessage[] = customers.flatMap((id, i) =>
    [10, 20].map((priority) => message(`${id}:${priority}`, { customerShopifyId: id, priority, plannedAt: new Date(T0.getTime() - (customers.length - i) * 1000) })),
  );
  await planMessages(shop, planned, T0);
  email.answer = async (outgoing) => ({ status: "accepted", providerMessageId: outgoing.idempotencyKey });
  const run = (owner: string) => dispatchAllDue(T0, options({ owner, limit: 1 }));
  const [a, b] = await Promise.all([run("a"), run("b")]);
  expect(a.claimed + b.claimed).toBe(planned.length);
  // Both did work: the race was run, not avoided.
  expect(Math.min(a.claimed, b.claimed)).toBeGreaterThan(planned.length / 4);
  const keys = email.keys();
  expect(new Set(keys).size).toBe(keys.length);
  for (const id of customers) expect(email.sent.filter((outgoing) => outgoing.customer.shopifyId === id)).toHaveLength(1);
  const rows = await db.message.findMany({ where: { shop } });
  expect(rows.filter((one) => one.status === "sent")).toHaveLength(customers.length);
  expect(rows.filter((one) => one.status === "deferred" && one.lastReason === "frequencyCap")).toHaveLength(customers.length);
  // Every decision is in the log: one planned and one outcome for each message.
  expect(await db.messageDecision.count({ where: { shop } })).toBe(planned.length * 2);
});
