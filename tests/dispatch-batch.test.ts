// The dispatcher decides a claim's messages together and sends them in
// parallel (issue 19), on SQLite and PostgreSQL:
// - a message one dispatcher's policy allowed and has not handed to its
//   channel yet takes its slot of the customer's cap for every other
//   dispatcher, so a cap of 2 a week is never exceeded however the two
//   dispatchers' decisions and sends interleave;
// - a dispatcher that dies after deciding gives its slots back when its lease
//   ends: what it was sending goes again under the same key, what it had
//   allowed is decided again, and the cap still holds;
// - a channel gets at most as many sends at once as asked and as it carries,
//   never two of one customer's messages at once, each customer's in order.
import db from "~/db.server";
import type { Channel } from "~/domain/care/types";
import { saveCareSettings } from "~/models/care-settings.server";
import { messageDecisions, planMessages, type PlannedMessage } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "~/services/channels/types";
import { dispatchAllDue, dispatchDue, type DispatchOptions } from "~/services/dispatcher.server";

const DAY = 24 * 3_600_000;
const LEASE_MS = 5 * 60_000;
const shop = "batch.myshopify.com";
// 12:00 in Shanghai, where the customers live: outside quiet hours.
const T0 = new Date("2026-03-02T04:00:00Z");
const content = { subject: "Hello {{firstName}}", body: "How is your {{productTitle}}?", sms: "Hi {{firstName}}" };

/** A channel whose sends wait until the test lets them go, so the test sees (and orders) what is in flight. */
class GatedChannel implements ChannelSender {
  inFlight: OutgoingMessage[] = [];
  accepted: string[] = [];
  mostAtOnce = 0;
  private waiting: Array<() => void> = [];
  private arrivals: Array<() => void> = [];
  constructor(readonly maxInFlight?: number) {}
  async send(message: OutgoingMessage): Promise<SendResult> {
    this.inFlight.push(message);
    this.mostAtOnce = Math.max(this.mostAtOnce, this.inFlight.length);
    for (const arrived of this.arrivals.splice(0)) arrived();
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.accepted.push(message.idempotencyKey);
    return { status: "accepted", providerMessageId: `p-${message.idempotencyKey}` };
  }
  /** Resolves once `count` sends are in flight. */
  async until(count: number) {
    while (this.inFlight.length < count) await new Promise<void>((resolve) => this.arrivals.push(resolve));
  }
  /** Lets every send in flight answer (they are no longer in flight from now on). */
  release() {
    this.inFlight = [];
    for (const go of this.waiting.splice(0)) go();
  }
}

const unused: ChannelSender = { send: async () => ({ status: "rejected", reason: "not used" }) };
const options = (email: ChannelSender, extra: Partial<DispatchOptions> = {}): DispatchOptions => ({
  channels: { email, sms: unused, flow: unused } as Record<Channel, ChannelSender>,
  content: { flow: async () => ({ enabled: true, allowWithoutConsent: false, content }) },
  unsubscribeUrl: (domain, customer, channel) => `https://membercare.test/unsubscribe/${domain}/${customer}/${channel}`,
  leaseMs: LEASE_MS,
  ...extra,
});

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
  plannedAt: new Date(T0.getTime() - 60_000),
  expiresAt: new Date(T0.getTime() + 14 * DAY),
  ...overrides,
});

const row = (key: string) => db.message.findUniqueOrThrow({ where: { shop_idempotencyKey: { shop, idempotencyKey: key } } });
const trail = async (key: string) => (await messageDecisions(shop, (await row(key)).id)).map((entry) => `${entry.decision}/${entry.reason}`);
const sentInWeek = () => db.message.count({ where: { shop, customerShopifyId: "1", status: "sent" } });

async function customers(ids: string[]) {
  await db.customer.createMany({ data: ids.map((shopifyId) => ({ shop, shopifyId, firstName: `Ann${shopifyId}`, email: `c${shopifyId}@example.com`, timeZone: "Asia/Shanghai", emailConsentState: "SUBSCRIBED" })) });
}

beforeEach(async () => {
  await db.messageDecision.deleteMany({});
  await db.message.deleteMany({});
  await db.customer.deleteMany({});
  await db.shop.deleteMany({});
  await saveShopSettings(shop, { name: "Batch Tea", ianaTimezone: "Asia/Shanghai", currencyCode: "USD", primaryLocale: "en", scopes: null }, T0);
  // Two marketing messages a week per customer.
  const saved = await saveCareSettings(shop, { caps: [{ messages: 2, hours: 168 }], sender: { fromName: "Batch Tea", fromEmail: "care@batch.example" } });
  expect(saved.ok).toBe(true);
});

it("counts a message another dispatcher allowed and has not sent yet: a cap of 2 a week holds while both decide and send", async () => {
  await customers(["1"]);
  await planMessages(shop, [message("first", { priority: 10 }), message("second", { priority: 20 }), message("third", { priority: 30 })], T0);
  const a = new GatedChannel(5);
  // Dispatcher A decides all three (two allowed, the third deferred by the cap) and is sending the first.
  const passA = dispatchDue(T0, options(a, { owner: "a" }));
  await a.until(1);
  expect(a.inFlight.map((one) => one.idempotencyKey)).toEqual(["first"]);
  expect((await row("third")).status).toBe("deferred");

  // Meanwhile a fourth message of the customer comes due and dispatcher B decides it:
  // "first" is being sent and "second" is allowed but not handed over yet; both count.
  await planMessages(shop, [message("fourth", { priority: 5, plannedAt: T0 })], T0);
  const b = new GatedChannel(5);
  const passB = await dispatchDue(T0, options(b, { owner: "b" }));
  expect(passB).toMatchObject({ claimed: 1, sent: 0, deferred: 1 });
  expect(await trail("fourth")).toEqual(["planned/flowPlanned", "deferred/frequencyCap"]);

  // A goes on: the customer gets its two messages of the week and no more.
  for (let sent = 0; sent < 2; sent++) {
    await a.until(1);
    a.release();
  }
  expect(await passA).toMatchObject({ claimed: 3, sent: 2, deferred: 1 });
  expect(a.accepted).toEqual(["first", "second"]);
  expect(b.accepted).toEqual([]);
  expect(await sentInWeek()).toBe(2);
});

it("gives a dead dispatcher's slots back when its lease ends: what it was sending goes again under the same key, what it had allowed is decided again, the cap holds", async () => {
  await customers(["1"]);
  await planMessages(shop, [message("first", { priority: 10 }), message("second", { priority: 20 }), message("third", { priority: 30 })], T0);
  // A decides and hands "first" to a channel that never answers: A is as good as dead.
  const hung = new GatedChannel(5);
  void dispatchDue(T0, options(hung, { owner: "a" }));
  await hung.until(1);
  expect((await row("first")).status).toBe("sending");
  expect((await row("second")).status).toBe("scheduled");

  // After A's lease, B takes over everything A held.
  const later = new Date(T0.getTime() + LEASE_MS + 60_000);
  const b = new GatedChannel(5);
  const passB = dispatchAllDue(later, options(b, { owner: "b" }));
  for (let sent = 0; sent < 2; sent++) {
    await b.until(1);
    b.release();
  }
  expect(await passB).toMatchObject({ sent: 2 });
  // "first" again under its key (the receiver can drop the repeat), "second" sent, "third" still waits for the cap.
  expect(b.accepted).toEqual(["first", "second"]);
  expect(await row("first")).toMatchObject({ status: "sent", attempts: 2, providerMessageId: "p-first" });
  expect(await row("second")).toMatchObject({ status: "sent", attempts: 1 });
  expect(await row("third")).toMatchObject({ status: "deferred", lastReason: "frequencyCap" });
  const resent = await db.messageDecision.findFirstOrThrow({ where: { shop, messageId: (await row("first")).id, decision: "sent" } });
  expect(JSON.parse(resent.detail)).toMatchObject({ resent: true });
  expect(await sentInWeek()).toBe(2);
});

it("hands a channel as many sends at once as asked and as it carries, one customer's messages one after another in their order", async () => {
  const ids = ["11", "12", "13", "14", "15", "16"];
  await customers(ids);
  // Two transactional messages each (not capped), the care check before the tips.
  const care = { sourceId: "postDelivery", messageClass: "transactional" as const };
  await planMessages(shop, ids.flatMap((id) => [message(`${id}:check`, { ...care, customerShopifyId: id, step: "deliveryCheck", priority: 10 }), message(`${id}:tips`, { ...care, customerShopifyId: id, step: "usageTips", priority: 20 })]), T0);

  // Asked for 5 at once, the channel carries 3: three go at a time.
  const channel = new GatedChannel(3);
  const overlapping: string[] = [];
  const pass = dispatchDue(T0, options(channel, { inFlight: { email: 5 } }));
  for (let left = ids.length * 2; left > 0; ) {
    const batch = Math.min(3, left);
    await channel.until(batch);
    const owners = channel.inFlight.map((one) => one.customer.shopifyId);
    if (new Set(owners).size !== owners.length) overlapping.push(owners.join(","));
    left -= channel.inFlight.length;
    channel.release();
  }
  expect(await pass).toMatchObject({ claimed: 12, sent: 12 });
  expect(channel.mostAtOnce).toBe(3);
  expect(overlapping).toEqual([]);
  for (const id of ids) expect(channel.accepted.filter((key) => key.startsWith(`${id}:`))).toEqual([`${id}:check`, `${id}:tips`]);
  expect(await db.message.count({ where: { shop, status: "sent" } })).toBe(12);

  // Asked for one at a time (DISPATCH_IN_FLIGHT=1): one, however many the channel carries.
  await db.message.updateMany({ where: { shop }, data: { status: "scheduled", sentAt: null, availableAt: new Date(T0.getTime() - 60_000) } });
  const single = new GatedChannel(3);
  const again = dispatchDue(T0, options(single, { inFlight: { email: 1 } }));
  for (let left = ids.length * 2; left > 0; left--) {
    await single.until(1);
    single.release();
  }
  expect(await again).toMatchObject({ sent: 12 });
  expect(single.mostAtOnce).toBe(1);

  // By default (DISPATCH_IN_FLIGHT unset) as many as the channel carries.
  await db.message.updateMany({ where: { shop }, data: { status: "scheduled", sentAt: null, availableAt: new Date(T0.getTime() - 60_000) } });
  const pooled = new GatedChannel(3);
  const byDefault = dispatchDue(T0, options(pooled));
  for (let left = ids.length * 2; left > 0; ) {
    await pooled.until(Math.min(3, left));
    left -= pooled.inFlight.length;
    pooled.release();
  }
  expect(await byDefault).toMatchObject({ sent: 12 });
  expect(pooled.mostAtOnce).toBe(3);
});
