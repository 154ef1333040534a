// An offer is a code (issue 17), on the real database (SQLite and PostgreSQL)
// with the schema-true store simulator as Shopify: a win-back message goes
// out only with a code that exists in Shopify for that customer only, once,
// until its expiry; while the code is being created the message waits, and
// when it cannot be created the message is never sent and the Messages log
// says why; an order redeeming the code (a signed orders/create webhook) marks
// it used and its discount is the flow's cost in Results, once; a code that
// expired unused is deactivated in Shopify; and the count the demo prints of
// messages naming an offer without a code.
import db from "~/db.server";
import type { Channel } from "~/domain/care/types";
import { defaultFlowConfig } from "~/domain/care/flows";
import { saveFlowSettings } from "~/models/care-flows.server";
import { memberTimeline } from "~/models/members.server";
import { cancelMessages, getMessage, messageDecisions, planMessages } from "~/models/messages.server";
import { sentOffersWithoutCode } from "~/models/rewards.server";
import { saveShopSettings } from "~/models/shops.server";
import { AdminRequestError, createAdminClient, type AdminClient } from "~/services/admin-client.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "~/services/channels/types";
import { installProcessClock, ManualClock } from "~/services/clock.server";
import { dispatchAllDue, type DispatchOptions } from "~/services/dispatcher.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { runJobNow } from "~/jobs/start.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { flowSummary, NO_MESSAGE_COSTS } from "~/services/results.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { redeemCodeDiscount } from "../tools/simulator/resolvers/code-discounts";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { sendWebhook } from "../tools/simulator/webhooks";
import { startTestApp, type TestApp } from "./support/app";
import { customerPayload, orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

/** The "code-expiry" job's run at `at`, as the worker runs it: how many deactivations it asked for, in every shop. */
const expiryRun = async (at: Date) => (await runJobNow<number>("code-expiry", at)).reduce((sum, run) => sum + run.result, 0);

const shop = "offers-shop.myshopify.com";
const token = "shpat_offers";
const DAY = 86_400_000;
// 1 December 2026, 10:00 UTC; the shop keeps UTC.
const clock = new ManualClock(new Date("2026-12-01T10:00:00Z"));
let simulator: StoreSimulator;
let unroute: () => void;
let app: TestApp;
const ids: Record<string, string> = {};

class RecordingChannel implements ChannelSender {
  sent: OutgoingMessage[] = [];
  async send(message: OutgoingMessage): Promise<SendResult> {
    this.sent.push(message);
    return { status: "accepted", providerMessageId: `p-${message.idempotencyKey}` };
  }
}
let email: RecordingChannel;
const options = (): DispatchOptions => ({
  channels: { email, sms: new RecordingChannel(), flow: new RecordingChannel() } as Record<Channel, ChannelSender>,
  clock,
  unsubscribeUrl: (domain, customer, channel) => `https://membercare.test/unsubscribe/${domain}/${customer}/${channel}`,
});
const admin = (): AdminClient => createAdminClient({ shop, accessToken: token, apiVersion: "2026-10" });
const simShop = () => simulator.state.shop(shop);
const simCode = (code: string) => [...simShop().codeDiscounts.values()].find((discount) => discount.code === code);

/** A customer of the shop with email consent; `inShopify: false` is one Shopify no longer has (deleted there). */
async function addCustomer(name: string, { inShopify = true } = {}) {
  const id = inShopify ? simulator.state.addCustomer(shop, { email: `${name}@example.com`, firstName: name }).id : String(9_900_000 + Object.keys(ids).length);
  const body = customerPayload({ id, email: `${name}@example.com`, firstName: name, locale: "en", createdAt: "2026-06-01T12:00:00Z", emailMarketing: "SUBSCRIBED" });
  await projectInboxEvent({ shop, topic: "customers/create", body: JSON.stringify(body) }, clock.now());
  return id;
}

/** The win-back flow's at-risk message for a customer, due now, offering 20% (as the care planner plans it). */
async function planWinBack(customerShopifyId: string, variables: Record<string, string | number> = { discountPercent: 20 }) {
  const now = clock.now();
  const key = `flow:winBack:${customerShopifyId}:${now.getTime()}:atRisk`;
  await planMessages(
    shop,
    [{ customerShopifyId, idempotencyKey: key, source: "flow", sourceId: "winBack", step: "atRisk", channel: "email", messageClass: "marketing", priority: 50, variables: { tierName: "Gold", shopUrl: "https://maple.example", ...variables }, plannedAt: now, expiresAt: new Date(now.getTime() + 7 * DAY) }],
    now,
  );
  return (await db.message.findFirstOrThrow({ where: { shop, idempotencyKey: key } })).id;
}

const offerOf = (messageId: string) => db.reward.findFirstOrThrow({ where: { shop, messageId } });

beforeAll(async () => {
  installProcessClock(clock);
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime() });
  unroute = installShopRouting(simulator.url);
  simulator.addShop({ shop, accessToken: token });
  await installShop(shop, token);
  await saveShopSettings(shop, { name: "Maple & Co", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  expect(await saveFlowSettings(shop, "winBack", { ...defaultFlowConfig("winBack"), enabled: true }, null, clock.now())).toMatchObject({ ok: true });
  for (const name of ["ava", "ben", "cara", "dan", "eve"]) ids[name] = await addCustomer(name);
  ids.gone = await addCustomer("gone", { inShopify: false });
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app?.close();
  unroute?.();
  await simulator?.close();
  installProcessClock(null);
});
beforeEach(() => {
  email = new RecordingChannel();
});

it("sends a win-back message only with a code Shopify has for that customer only, once, until its expiry", async () => {
  const messageId = await planWinBack(ids.ava!);

  // The policy lets it through, but it has no code yet: it waits, and asks for one.
  const first = await dispatchAllDue(clock.now(), options());
  expect(first).toMatchObject({ sent: 0, deferred: 1 });
  expect(email.sent).toHaveLength(0);
  expect(await getMessage(shop, messageId)).toMatchObject({ status: "deferred", lastReason: "offerCodePending" });
  const pending = await offerOf(messageId);
  expect(pending).toMatchObject({ status: "pending", kind: "code", customerShopifyId: ids.ava, valueType: "percent", value: 20 });
  expect(simCode(pending.code!)).toBeUndefined();
  // Looking again before the outbox ran changes nothing and asks for no second code.
  clock.advance(60_000);
  expect(await dispatchAllDue(clock.now(), options())).toMatchObject({ sent: 0, deferred: 1 });
  expect(await db.reward.count({ where: { shop, messageId } })).toBe(1);

  // The outbox creates it in Shopify: this customer only, one use, ending 30 days on (the shop's code expiry) at midnight.
  await drainOutbox({ adminFor: async () => admin(), clock });
  const issued = await offerOf(messageId);
  expect(issued.status).toBe("issued");
  const discount = simCode(issued.code!)!;
  expect(discount).toMatchObject({ customerIds: [ids.ava], usageLimit: 1, appliesOncePerCustomer: true, value: { percentage: 0.2 }, endsAt: "2027-01-01T00:00:00Z" });
  expect(issued.discountId).toBe(`gid://shopify/DiscountCodeNode/${discount.id}`);

  // Made: the message need not wait for its next look, it goes at once.
  expect(await dispatchAllDue(clock.now(), options())).toMatchObject({ sent: 1 });
  expect(email.sent).toHaveLength(1);
  const text = email.sent[0]!.rendered.text;
  expect(text).toContain("enjoy 20% off your next order with your own code");
  expect(text).toContain(`${issued.code} (one use, valid until December 31, 2026)`);
  expect(email.sent[0]!.rendered.html).toContain(issued.code!);
  const decisions = await messageDecisions(shop, messageId);
  expect(decisions.at(-1)).toMatchObject({ decision: "sent", detail: expect.objectContaining({ offerCode: issued.code }) });

  // Shopify takes it from Ava once, and never from anyone else.
  const now = clock.now().getTime();
  expect(redeemCodeDiscount(simShop(), issued.code!, ids.ben!, now)).toMatchObject({ ok: false, reason: "not for this customer" });
  expect(redeemCodeDiscount(simShop(), issued.code!, ids.ava!, now)).toMatchObject({ ok: true });
  expect(redeemCodeDiscount(simShop(), issued.code!, ids.ava!, now)).toMatchObject({ ok: false, reason: "used up" });
  expect(await sentOffersWithoutCode(shop)).toBe(0);
  // The member's timeline names the offer and its code.
  expect(await memberTimeline(shop, ids.ava!)).toContainEqual(expect.objectContaining({ kind: "offerCode", detail: expect.objectContaining({ flow: "winBack", code: issued.code, percent: 20 }) }));
});

it("keeps a message whose code Shopify refuses from ever going, with Shopify's reason in the log", async () => {
  const messageId = await planWinBack(ids.gone!);
  await dispatchAllDue(clock.now(), options());
  await drainOutbox({ adminFor: async () => admin(), clock });
  expect(await offerOf(messageId)).toMatchObject({ status: "failed" });

  clock.advance(60_000);
  expect(await dispatchAllDue(clock.now(), options())).toMatchObject({ sent: 0, failed: 1 });
  expect(email.sent).toHaveLength(0);
  expect(await getMessage(shop, messageId)).toMatchObject({ status: "failed", lastReason: "offerCodeFailed" });
  const last = (await messageDecisions(shop, messageId)).at(-1)!;
  expect(last).toMatchObject({ decision: "failed", reason: "offerCodeFailed" });
  expect(String(last.detail.error)).toContain(`Customer gid://shopify/Customer/${ids.gone} does not exist`);

  // The merchant reads why on the Messages log, in either language.
  const logPage = async (locale: string) => {
    const params = new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/offers-shop").toString("base64url"), id_token: sessionToken(shop), locale, message: messageId });
    const response = await fetch(`${app.url}/app/messages?${params}`, { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" } });
    expect(response.status).toBe(200);
    return response.text();
  };
  const en = await logPage("en");
  expect(en).toContain("Not sent: its discount code could not be created");
  expect(en).toContain("does not exist");
  expect(await logPage("zh-CN")).toContain("未发送：其折扣码未能创建");
});

it("holds a message while Shopify does not answer, and fails it when the outbox gives up, never sending it without its code", async () => {
  const messageId = await planWinBack(ids.cara!);
  await dispatchAllDue(clock.now(), options());
  const unreachable = async (): Promise<AdminClient> => ({
    request: async () => {
      throw new AdminRequestError("connect ECONNREFUSED 127.0.0.1:9");
    },
  }) as unknown as AdminClient;
  // First attempt: no answer; the effect is retried later and the message keeps waiting.
  expect(await drainOutbox({ adminFor: unreachable, clock, maxAttempts: 2 })).toMatchObject({ postponed: 1, failed: 0 });
  for (let i = 0; i < 3; i++) {
    clock.advance(30_000);
    await dispatchAllDue(clock.now(), options());
  }
  expect(email.sent).toHaveLength(0);
  expect(await getMessage(shop, messageId)).toMatchObject({ status: "deferred", lastReason: "offerCodePending" });

  // Second and last attempt: the outbox gives up; the message is failed with why, not sent.
  clock.advance(60 * 60_000);
  expect(await drainOutbox({ adminFor: unreachable, clock, maxAttempts: 2 })).toMatchObject({ failed: 1 });
  expect(await dispatchAllDue(clock.now(), options())).toMatchObject({ sent: 0, failed: 1 });
  expect(email.sent).toHaveLength(0);
  const last = (await messageDecisions(shop, messageId)).at(-1)!;
  expect(last).toMatchObject({ decision: "failed", reason: "offerCodeFailed" });
  expect(String(last.detail.error)).toContain("ECONNREFUSED");
  expect(simShop().codeDiscounts.size).toBe(1);
});

it("sends a message left in doubt by a crash again with the same code", async () => {
  ids.hal = await addCustomer("hal");
  const messageId = await planWinBack(ids.hal);
  await dispatchAllDue(clock.now(), options());
  await drainOutbox({ adminFor: async () => admin(), clock });
  const code = (await offerOf(messageId)).code!;
  // A dispatcher marked it sending (its code there) and died before the provider answered: its lease ran out.
  await db.message.update({ where: { id: messageId }, data: { status: "sending", leaseOwner: "dead-dispatcher", leaseUntil: clock.now(), availableAt: clock.now() } });
  clock.advance(60_000);
  expect(await dispatchAllDue(clock.now(), options())).toMatchObject({ sent: 1 });
  expect(email.sent[0]!.rendered.text).toContain(code);
  expect(await db.reward.count({ where: { shop, messageId } })).toBe(1);
});

it("makes no code in Shopify for a message cancelled while its code waited", async () => {
  ids.ivy = await addCustomer("ivy");
  const messageId = await planWinBack(ids.ivy);
  await dispatchAllDue(clock.now(), options());
  const pending = await offerOf(messageId);
  // She ordered again before the outbox ran: win-back is cancelled.
  expect(await cancelMessages(shop, { customerShopifyId: ids.ivy, sourceId: "winBack" }, "reordered", clock.now())).toBe(1);
  await drainOutbox({ adminFor: async () => admin(), clock });
  expect(await offerOf(messageId)).toMatchObject({ status: "cancelled" });
  expect(simCode(pending.code!)).toBeUndefined();
});

it("blocks wording that promises an offer the message does not have", async () => {
  const messageId = await planWinBack(ids.dan!, {});
  expect(await dispatchAllDue(clock.now(), options())).toMatchObject({ sent: 0, blocked: 1 });
  expect(await getMessage(shop, messageId)).toMatchObject({ status: "blocked", lastReason: "noOffer" });
  expect(await db.reward.count({ where: { shop, messageId } })).toBe(0);
});

it("counts what a redeemed code took off as the flow's cost, once, and deactivates a code that expired unused", async () => {
  // Eve and Fay get the offer; Ben gets one too and never uses it.
  ids.fay = await addCustomer("fay");
  const eveMessage = await planWinBack(ids.eve!);
  const fayMessage = await planWinBack(ids.fay);
  const benMessage = await planWinBack(ids.ben!);
  await dispatchAllDue(clock.now(), options());
  await drainOutbox({ adminFor: async () => admin(), clock });
  clock.advance(60_000);
  expect(await dispatchAllDue(clock.now(), options())).toMatchObject({ sent: 3 });
  const [eveCode, fayCode, benCode] = await Promise.all([offerOf(eveMessage), offerOf(fayMessage), offerOf(benMessage)]);
  const before = (await flowSummary(shop, "winBack", clock.now(), NO_MESSAGE_COSTS)).result.costsMinor;

  const order = async (id: string, customer: string, code: string, price: string, off: string) => {
    expect(redeemCodeDiscount(simShop(), code, customer, clock.now().getTime())).toMatchObject({ ok: true });
    const body = orderPayload({
      id,
      customerId: customer,
      createdAt: clock.now().toISOString(),
      lines: [{ id: `${id}001`, productId: "8100000001", title: "Oolong tea", price, discounts: [{ amount: off, application: 0 }] }],
      discountApplications: [{ type: "discount_code", code, valueType: "percentage", value: "20.0" }],
    });
    // Triggered on the store's clock, which the app runs on too (a delivery is judged by its age, issue 18).
    expect((await sendWebhook(app.url, { topic: "orders/create", shop, body, triggeredAt: clock.now().toISOString() })).status).toBe(200);
    expect(await drainInbox()).toMatchObject({ done: 1, failed: 0 });
  };
  // Two days on, inside the 7-day attribution window, Fay orders 50.00 with her code: 10.00 off, which is
  // also among her window order's discounts. Ten days later, outside the window, Eve orders 100.00 with hers: 20.00 off.
  clock.advance(2 * DAY);
  await order("5550002", ids.fay, fayCode.code!, "50.00", "10.00");
  clock.advance(10 * DAY);
  await order("5550001", ids.eve!, eveCode.code!, "100.00", "20.00");
  expect(await offerOf(eveMessage)).toMatchObject({ status: "used", usedOrderShopifyId: "5550001", usedAmountMinor: 2000 });
  expect(await offerOf(fayMessage)).toMatchObject({ status: "used", usedOrderShopifyId: "5550002", usedAmountMinor: 1000 });
  // Each code counted once: 10.00 + 20.00.
  const after = await flowSummary(shop, "winBack", clock.now(), NO_MESSAGE_COSTS);
  expect(after.result.costsMinor - before).toBe(3000);

  // Past the end of Ben's code: the sweep deactivates it in Shopify through the outbox; the used ones are left alone.
  clock.advance(20 * DAY);
  expect(await expiryRun(clock.now())).toBeGreaterThanOrEqual(1);
  await drainOutbox({ adminFor: async () => admin(), clock });
  expect(await offerOf(benMessage)).toMatchObject({ status: "expired" });
  expect(simCode(benCode.code!)!.deactivatedAt).toBeDefined();
  expect(redeemCodeDiscount(simShop(), benCode.code!, ids.ben!, clock.now().getTime())).toMatchObject({ ok: false });
  expect(simCode(eveCode.code!)!.deactivatedAt).toBeUndefined();
  expect(await offerOf(eveMessage)).toMatchObject({ status: "used" });
  // A second sweep asks for nothing more.
  expect(await expiryRun(clock.now())).toBe(0);
});

it("counts sent messages that named an offer without a code of their own (what the demo prints)", async () => {
  expect(await sentOffersWithoutCode(shop)).toBe(0);
  // A message sent before offers had codes: planned with a percentage, sent, no code made for it.
  const messageId = await planWinBack(ids.ben!, { discountPercent: 25 });
  await db.message.update({ where: { id: messageId }, data: { status: "sent", sentAt: clock.now() } });
  expect(await sentOffersWithoutCode(shop)).toBe(1);
});
