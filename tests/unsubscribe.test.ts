// Unsubscribing through the link in a marketing message, against the built app
// over HTTP: the page in the customer's language, the RFC 8058 one-click POST,
// the pending marketing messages on that channel cancelled, the consent written
// to Shopify (the store simulator) by the outbox, a tampered link refused with
// nothing changed, and an older customers/update unable to subscribe them again.
// Links are signed with the app's own unsubscribe keys (issue 18): this file's
// server has a rotated ring (u2 current, u1 kept), so links of the old key,
// and links sent before keys existed (signed with the app secret), still work;
// an expired link gets a 410 page in the customer's language.
import { randomBytes } from "node:crypto";
import db from "~/db.server";
import { keyRing, parseKeyRing } from "~/domain/keyring";
import { signLegacyUnsubscribeToken, signUnsubscribeToken } from "~/domain/care/unsubscribe-token";
import { planMessages, type PlannedMessage } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { createAdminClient } from "~/services/admin-client.server";
import { unsubscribeUrl } from "~/services/channels/unsubscribe.server";
import { installProcessClock, ManualClock } from "~/services/clock.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { startTestApp, type TestApp } from "./support/app";
import { customerPayload } from "./support/payloads";

// Set before any app module reads the environment (vi.hoisted runs before the imports).
const keys = vi.hoisted(() => {
  const random = () => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  const current = random();
  const old = random();
  process.env.UNSUBSCRIBE_SIGNING_KEYS = `u2:${current},u1:${old}`;
  return { ring: `u2:${current},u1:${old}`, old: `u1:${old}` };
});
const serverRing = parseKeyRing(keys.ring, { minBytes: 32 });
const oldKeyOnly = parseKeyRing(keys.old, { minBytes: 32 });

const shop = "unsubscribe-shop.myshopify.com";
const createdAt = "2026-10-01T12:00:00Z";
const clock = new ManualClock(new Date("2026-11-20T08:00:00Z"));
const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
let simulator: StoreSimulator;
let unroute: () => void;
let app: TestApp;
let ava: string; // zh-CN, email and SMS marketing
let ben: string; // en, email marketing

beforeAll(async () => {
  installProcessClock(clock);
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime() });
  unroute = installShopRouting(simulator.url);
  simulator.addShop({ shop, accessToken: "shpat_unsubscribe" });
  await saveShopSettings(shop, { name: "Maple & Co", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  ava = simulator.state.addCustomer(shop, { email: "ava@example.com", emailMarketingState: "SUBSCRIBED", phone: "+14155550123", smsMarketingState: "SUBSCRIBED", locale: "zh-CN" }).id;
  ben = simulator.state.addCustomer(shop, { email: "ben@example.com", emailMarketingState: "SUBSCRIBED" }).id;
  for (const body of [
    customerPayload({ id: ava, email: "ava@example.com", phone: "+14155550123", locale: "zh-CN", emailMarketing: "subscribed", smsMarketing: "subscribed", createdAt }),
    customerPayload({ id: ben, email: "ben@example.com", locale: "en", emailMarketing: "subscribed", createdAt }),
  ]) {
    await projectInboxEvent({ shop, topic: "customers/create", body: JSON.stringify(body) }, clock.now());
  }
  const planned = (customer: string, key: string, channel: PlannedMessage["channel"], messageClass: PlannedMessage["messageClass"]): PlannedMessage => ({
    customerShopifyId: customer,
    idempotencyKey: key,
    source: "flow",
    sourceId: "winBack",
    step: "atRisk",
    channel,
    messageClass,
    priority: 5,
    variables: {},
    plannedAt: new Date("2026-11-22T10:00:00Z"),
    expiresAt: new Date("2026-12-22T10:00:00Z"),
  });
  await planMessages(
    shop,
    [
      planned(ava, "ava:email:marketing", "email", "marketing"),
      planned(ava, "ava:sms:marketing", "sms", "marketing"),
      planned(ava, "ava:email:transactional", "email", "transactional"),
      planned(ben, "ben:email:marketing", "email", "marketing"),
    ],
    clock.now(),
  );
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app?.close();
  unroute();
  await simulator.close();
  installProcessClock(null);
  delete process.env.UNSUBSCRIBE_SIGNING_KEYS;
});

/** The link as the message carries it, pointed at the test server. */
const link = (customer: string, channel: "email" | "sms") => {
  const url = new URL(unsubscribeUrl(shop, customer, channel));
  return `${app.url}${url.pathname}`;
};
const customer = (id: string) => db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: id } } });
const statuses = async () =>
  Object.fromEntries((await db.message.findMany({ where: { shop }, orderBy: { idempotencyKey: "asc" } })).map((m) => [m.idempotencyKey, `${m.status}${m.lastReason === "unsubscribed" ? ":unsubscribed" : ""}`]));
const effects = () => db.outboxEffect.findMany({ where: { shop, kind: "consent.unsubscribe" }, orderBy: { id: "asc" } });
const adminFor = async () => createAdminClient({ shop, accessToken: "shpat_unsubscribe", apiVersion: "2026-10" });
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const BEFORE = { "ava:email:marketing": "scheduled", "ava:email:transactional": "scheduled", "ava:sms:marketing": "scheduled", "ben:email:marketing": "scheduled" };

it("links to the app's public URL with a token signed with the current unsubscribe key", () => {
  expect(unsubscribeUrl(shop, ava, "email")).toMatch(/^https:\/\/membercare\.test\/unsubscribe\/u2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  // A Flow touch's link withdraws the email consent (its workflows end in Shopify Email).
  expect(unsubscribeUrl(shop, ava, "flow")).toBe(unsubscribeUrl(shop, ava, "email"));
  expect(unsubscribeUrl(shop, ava, "sms")).not.toBe(unsubscribeUrl(shop, ava, "email"));
});

it("refuses a tampered or malformed link with a 400 page and changes nothing", async () => {
  const good = link(ava, "email");
  const [kid, payload, signature] = good.split("/").at(-1)!.split(".");
  const otherCustomer = Buffer.from(Buffer.from(payload!, "base64url").toString().replace(ava, ben)).toString("base64url");
  for (const bad of [`${app.url}/unsubscribe/${kid}.${otherCustomer}.${signature}`, `${app.url}/unsubscribe/${kid}.${payload}.${signature!.slice(0, -2)}AA`, `${app.url}/unsubscribe/u1.${payload}.${signature}`, `${app.url}/unsubscribe/not-a-token`]) {
    const page = await fetch(bad, { headers: { "Accept-Language": "en" } });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("This unsubscribe link is not valid");
    const post = await fetch(bad, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(post.status).toBe(400);
  }
  // A key this server does not hold (another installation's, or one removed from the ring), and an old-style link of another app secret: refused too.
  const foreign = signUnsubscribeToken({ shop, customerShopifyId: ava, channel: "email" }, keyRing([{ id: "u2", secret: randomBytes(32) }]), clock.now());
  expect((await fetch(`${app.url}/unsubscribe/${foreign}`, { method: "POST", headers: FORM, body: "List-Unsubscribe=One-Click" })).status).toBe(400);
  const unknownKey = signUnsubscribeToken({ shop, customerShopifyId: ava, channel: "email" }, keyRing([{ id: "u0", secret: randomBytes(32) }]), clock.now());
  expect((await fetch(`${app.url}/unsubscribe/${unknownKey}`, { method: "POST", headers: FORM, body: "List-Unsubscribe=One-Click" })).status).toBe(400);
  const foreignLegacy = signLegacyUnsubscribeToken({ shop, customerShopifyId: ava, channel: "email" }, "another-app-secret");
  expect((await fetch(`${app.url}/unsubscribe/${foreignLegacy}`, { method: "POST", headers: FORM, body: "List-Unsubscribe=One-Click" })).status).toBe(400);
  const zh = await fetch(`${app.url}/unsubscribe/${kid}.${otherCustomer}.${signature}`, { headers: { "Accept-Language": "zh-CN,zh;q=0.9" } });
  expect(await zh.text()).toContain("此退订链接无效");

  expect(await customer(ava)).toMatchObject({ emailConsentState: "SUBSCRIBED", smsConsentState: "SUBSCRIBED" });
  expect(await customer(ben)).toMatchObject({ emailConsentState: "SUBSCRIBED" });
  expect(await statuses()).toEqual(BEFORE);
  expect(await effects()).toEqual([]);
});

it("shows a confirmation in the customer's language on GET, and changes nothing (link scanners fetch links)", async () => {
  const zh = await fetch(link(ava, "email"), { headers: { "Accept-Language": "en-US,en;q=0.9" } });
  expect(zh.status).toBe(200);
  const zhPage = await zh.text();
  expect(zhPage).toContain("不再接收 Maple &amp; Co 的营销邮件？");
  expect(zhPage).toContain("确认退订");
  expect(zhPage).toContain('lang="zh-CN"');
  expect(zhPage).toContain('method="post"');

  const en = await (await fetch(link(ben, "email"), { headers: { "Accept-Language": "zh-CN" } })).text();
  expect(en).toContain("Stop marketing emails from Maple &amp; Co?");
  // A customer the app does not know (yet): the browser's language decides.
  const unknown = signUnsubscribeToken({ shop, customerShopifyId: "123", channel: "sms" }, serverRing, clock.now());
  expect(await (await fetch(`${app.url}/unsubscribe/${unknown}`, { headers: { "Accept-Language": "zh-CN" } })).text()).toContain("的营销短信？");

  expect(await customer(ava)).toMatchObject({ emailConsentState: "SUBSCRIBED" });
  expect(await statuses()).toEqual(BEFORE);
});

it("keeps links of the previous key, and links sent before keys existed (app secret), working", async () => {
  // Signed before the rotation, with u1 (still in the ring, no longer current).
  const beforeRotation = signUnsubscribeToken({ shop, customerShopifyId: ben, channel: "email" }, oldKeyOnly, clock.now());
  expect(beforeRotation.startsWith("u1.")).toBe(true);
  const page = await fetch(`${app.url}/unsubscribe/${beforeRotation}`, { headers: { "Accept-Language": "en" } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Stop marketing emails from Maple &amp; Co?");
  // As every link sent until now looks: no key id, no expiry, the app secret's signature.
  const legacy = signLegacyUnsubscribeToken({ shop, customerShopifyId: ava, channel: "sms" }, "test-api-secret");
  const legacyPage = await fetch(`${app.url}/unsubscribe/${legacy}`, { headers: { "Accept-Language": "en" } });
  expect(legacyPage.status).toBe(200);
  expect(await legacyPage.text()).toContain("不再接收 Maple &amp; Co 的营销短信？");
  expect(await statuses()).toEqual(BEFORE);
});

it("answers an expired link with a 410 page in the customer's language, and changes nothing", async () => {
  const days = (n: number) => new Date(clock.now().getTime() - n * 24 * 60 * 60 * 1000);
  const expired = signUnsubscribeToken({ shop, customerShopifyId: ava, channel: "email" }, serverRing, days(400));
  const page = await fetch(`${app.url}/unsubscribe/${expired}`, { headers: { "Accept-Language": "en-US,en;q=0.9" } });
  expect(page.status).toBe(410);
  const zhPage = await page.text();
  expect(zhPage).toContain("此退订链接已过期");
  expect(zhPage).toContain("如需停止接收 Maple &amp; Co 的消息");
  expect(zhPage).not.toContain('method="post"');
  const en = await (await fetch(`${app.url}/unsubscribe/${signUnsubscribeToken({ shop, customerShopifyId: ben, channel: "email" }, oldKeyOnly, days(500))}`)).text();
  expect(en).toContain("This unsubscribe link has expired");
  for (const body of ["List-Unsubscribe=One-Click", "intent=unsubscribe"]) {
    const post = await fetch(`${app.url}/unsubscribe/${expired}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(post.status).toBe(410);
  }
  // A day younger, the same link still works.
  expect((await fetch(`${app.url}/unsubscribe/${signUnsubscribeToken({ shop, customerShopifyId: ava, channel: "email" }, serverRing, days(399))}`)).status).toBe(200);

  expect(await customer(ava)).toMatchObject({ emailConsentState: "SUBSCRIBED", smsConsentState: "SUBSCRIBED" });
  expect(await statuses()).toEqual(BEFORE);
  expect(await effects()).toEqual([]);
});

it("unsubscribes at once on a one-click POST (RFC 8058): consent, pending marketing on that channel, and Shopify through the outbox", async () => {
  const response = await fetch(link(ava, "email"), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain("您已退订 Maple &amp; Co 的营销邮件");

  expect(await customer(ava)).toMatchObject({ emailConsentState: "UNSUBSCRIBED", emailConsentUpdatedAt: clock.now(), smsConsentState: "SUBSCRIBED" });
  // Only Ava's marketing email: her SMS and her transactional email stay planned, and Ben is not touched.
  expect(await statuses()).toEqual({ ...BEFORE, "ava:email:marketing": "cancelled:unsubscribed" });
  const decision = await db.messageDecision.findFirst({ where: { shop, customerShopifyId: ava, decision: "cancelled" } });
  expect(decision).toMatchObject({ reason: "unsubscribed" });

  // Shopify still has her subscribed until the outbox runs.
  expect(simulator.state.shop(shop).customers.get(ava)!.emailMarketingState).toBe("SUBSCRIBED");
  // Kept under the customer, so a data request exports it and customers/redact cancels it.
  expect(await effects()).toMatchObject([{ status: "pending", idempotencyKey: `consent.unsubscribe:email:${ava}`, customerShopifyId: ava }]);
  expect(await drainOutbox({ adminFor, clock })).toMatchObject({ done: 1, failed: 0 });
  expect(simulator.state.shop(shop).customers.get(ava)!.emailMarketingState).toBe("UNSUBSCRIBED");
  expect(simulator.state.shop(shop).customers.get(ava)!.smsMarketingState).toBe("SUBSCRIBED");
  const write = simulator.requests.filter((r) => r.operationName === "UpdateEmailMarketingConsent");
  expect(write).toHaveLength(1);
  expect(write[0]!.variables).toEqual({ input: { customerId: `gid://shopify/Customer/${ava}`, emailMarketingConsent: { marketingState: "UNSUBSCRIBED", consentUpdatedAt: "2026-11-20T08:00:00.000Z" } } });
});

it("unsubscribes from SMS through the page's button, in the customer's language", async () => {
  clock.advance(60_000);
  const response = await fetch(link(ava, "sms"), { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=unsubscribe" });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain("您已退订 Maple &amp; Co 的营销短信");
  expect(await customer(ava)).toMatchObject({ smsConsentState: "UNSUBSCRIBED", smsConsentUpdatedAt: clock.now() });
  expect(await statuses()).toEqual({ ...BEFORE, "ava:email:marketing": "cancelled:unsubscribed", "ava:sms:marketing": "cancelled:unsubscribed" });
  await drainOutbox({ adminFor, clock });
  expect(simulator.state.shop(shop).customers.get(ava)!.smsMarketingState).toBe("UNSUBSCRIBED");
});

it("changes nothing more on a second click: the consent keeps its time", async () => {
  const before = await customer(ava);
  setClock("2026-11-20T09:00:00Z");
  expect((await fetch(link(ava, "email"), { method: "POST", headers: FORM, body: "List-Unsubscribe=One-Click" })).status).toBe(200);
  expect((await customer(ava)).emailConsentUpdatedAt).toEqual(before.emailConsentUpdatedAt);
  expect(await statuses()).toEqual({ ...BEFORE, "ava:email:marketing": "cancelled:unsubscribed", "ava:sms:marketing": "cancelled:unsubscribed" });
  await drainOutbox({ adminFor, clock });
  expect(simulator.state.shop(shop).customers.get(ava)!.emailMarketingState).toBe("UNSUBSCRIBED");
});

it("is not undone by a customers/update written before the unsubscribe, and follows one written after it", async () => {
  // Delivered late: a newer updated_at than the row's, but the consent is from before the click.
  const stale = customerPayload({ id: ava, email: "ava@example.com", phone: "+14155550123", locale: "zh-CN", emailMarketing: "subscribed", smsMarketing: "subscribed", createdAt });
  Object.assign(stale, { updated_at: "2026-11-20T07:30:00Z", first_name: "Ava" });
  await projectInboxEvent({ shop, topic: "customers/update", body: JSON.stringify(stale) }, clock.now());
  expect(await customer(ava)).toMatchObject({ firstName: "Ava", emailConsentState: "UNSUBSCRIBED", smsConsentState: "UNSUBSCRIBED" });

  // She subscribes again in the shop later: that is her newer choice.
  const later = customerPayload({ id: ava, email: "ava@example.com", phone: "+14155550123", locale: "zh-CN", emailMarketing: "subscribed", createdAt: "2026-11-25T10:00:00Z" });
  await projectInboxEvent({ shop, topic: "customers/update", body: JSON.stringify(later) }, clock.now());
  expect(await customer(ava)).toMatchObject({ emailConsentState: "SUBSCRIBED", emailConsentUpdatedAt: new Date("2026-11-25T10:00:00Z") });
});

it("does not write an unsubscribe to Shopify that a newer subscription has overtaken", async () => {
  // Ben unsubscribes; before the outbox runs he subscribes again (a newer consent webhook).
  setClock("2026-11-26T08:00:00Z");
  expect((await fetch(link(ben, "email"), { method: "POST", headers: FORM, body: "List-Unsubscribe=One-Click" })).status).toBe(200);
  expect(await customer(ben)).toMatchObject({ emailConsentState: "UNSUBSCRIBED" });
  await projectInboxEvent(
    { shop, topic: "customers_email_marketing_consent/update", body: JSON.stringify({ customer_id: ben, email_address: "ben@example.com", email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-11-26T08:05:00Z" } }) },
    clock.now(),
  );
  expect(await customer(ben)).toMatchObject({ emailConsentState: "SUBSCRIBED" });
  const writes = () => simulator.requests.filter((r) => r.operationName === "UpdateEmailMarketingConsent").length;
  const before = writes();
  expect(await drainOutbox({ adminFor, clock })).toMatchObject({ done: 1, failed: 0 });
  expect(writes()).toBe(before);
  expect(simulator.state.shop(shop).customers.get(ben)!.emailMarketingState).toBe("SUBSCRIBED");
});

it("stops only membership emails through the link in one (ADR 0011): marketing consent and Shopify untouched", async () => {
  const membershipMessage = (key: string, sourceId: string, step: string, messageClass: PlannedMessage["messageClass"]): PlannedMessage => ({
    customerShopifyId: ben,
    idempotencyKey: key,
    source: "flow",
    sourceId,
    step,
    channel: "email",
    messageClass,
    priority: 20,
    variables: {},
    plannedAt: new Date("2026-12-01T10:00:00Z"),
    expiresAt: new Date("2026-12-08T10:00:00Z"),
  });
  await planMessages(shop, [membershipMessage("ben:warning", "downgradeWarning", "warning", "transactional"), membershipMessage("ben:winback", "winBack", "atRisk", "marketing")], clock.now());
  const before = await customer(ben);
  const effectsBefore = (await effects()).length;
  const url = `${app.url}${new URL(unsubscribeUrl(shop, ben, "email", "membership")).pathname}`;
  expect(url).not.toBe(link(ben, "email"));

  const page = await (await fetch(url, { headers: { "Accept-Language": "en" } })).text();
  expect(page).toContain("Stop emails about your Maple &amp; Co membership?");
  expect(page).toContain("Your tier and perks stay as they are");
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain("You will no longer get emails about your Maple &amp; Co membership");

  const after = await customer(ben);
  expect(after.membershipEmailOptOutAt).toEqual(clock.now());
  expect({ state: after.emailConsentState, at: after.emailConsentUpdatedAt }).toEqual({ state: before.emailConsentState, at: before.emailConsentUpdatedAt });
  const states = await statuses();
  expect(states["ben:warning"]).toBe("cancelled:unsubscribed");
  expect(states["ben:winback"]).toBe("scheduled");
  expect(await effects()).toHaveLength(effectsBefore);
});
