// A sender is verified before it is used (issue 18), through the built app and
// a real SMTP server: a merchant who types security@paypal.com sends nothing
// from it; the confirmation goes TO it; only following that link (and pressing
// Confirm: a GET, as link scanners make, confirms nothing) makes it the From.
// Edited, expired, used and replaced links are refused with a 4xx page. The
// envelope sender is always the app's address, and no shop name can add a
// header. The app's address here is notifications@ SHOPIFY_APP_URL's host
// (https://membercare.test, vitest.config.ts).
import db from "~/db.server";
import type { Channel } from "~/domain/care/types";
import { planMessages } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { emailChannel, type EmailChannel } from "~/services/channels/email.server";
import type { ChannelSender, OutgoingMessage } from "~/services/channels/types";
import { installProcessClock, ManualClock } from "~/services/clock.server";
import { dispatchDue } from "~/services/dispatcher.server";
import type { ContentResolver } from "~/services/message-content.server";
import { startSmtpInbox, type InboxMessage, type SmtpInbox } from "../tools/smtp-inbox";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";

const APP_FROM = "notifications@membercare.test";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const HOUR = 3_600_000;
// A shop name an attacker would choose: quotes, a comma, a line break and a header after it.
const HOSTILE_NAME = 'Acme "Tea", Ltd\r\nBcc: victim@example.com';
const shops = { main: "sender-main.myshopify.com", links: "sender-links.myshopify.com", zh: "sender-zh.myshopify.com", legacy: "sender-legacy.myshopify.com" };

let app: TestApp;
let inbox: SmtpInbox;
let channel: EmailChannel;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  // The built app reads its environment when first used: its channel sends to this inbox.
  process.env.SMTP_URL = inbox.smtpUrl;
  channel = emailChannel({ smtpUrl: inbox.smtpUrl });
  for (const [key, shop] of Object.entries(shops)) {
    await installShop(shop);
    const name = key === "main" ? HOSTILE_NAME : key === "zh" ? "茶舍" : key === "legacy" ? "Legacy Tea" : "Links Tea";
    await saveShopSettings(shop, { name, ianaTimezone: "Asia/Shanghai", currencyCode: "USD", primaryLocale: key === "zh" ? "zh-CN" : "en", scopes: null }, new Date());
  }
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  installProcessClock(null);
  await app?.close();
  channel?.close();
  await inbox?.close();
});

/** The care settings form as the page posts it, with the sender fields given. */
const form = (sender: { fromEmail?: string; fromName?: string; replyTo?: string } = {}) => ({
  "quietHours.start": "21:00",
  "quietHours.end": "09:00",
  "caps.0.messages": "1",
  "caps.0.hours": "72",
  "sender.fromName": sender.fromName ?? "",
  "sender.fromEmail": sender.fromEmail ?? "",
  "sender.replyTo": sender.replyTo ?? "",
  "channels.email": "on",
  validityDefaultDays: "7",
});
const post = (shop: string, fields: Record<string, string>) =>
  fetch(`${app.url}/app/care-settings?_data=${encodeURIComponent("routes/app.care-settings")}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sessionToken(shop, { userId: "77" })}`, "User-Agent": BROWSER },
    body: new URLSearchParams(fields),
  });
const settingsPage = async (shop: string, locale: string) => {
  const query = new URLSearchParams({ embedded: "1", shop, host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"), id_token: sessionToken(shop), locale });
  const response = await fetch(`${app.url}/app/care-settings?${query}`, { headers: { "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return response.text();
};

/** The newest mail to `address` since `from`, and the confirmation link's path in it. */
function linkMail(address: string, from = 0): { mail: InboxMessage; path: string } {
  const mails = inbox.messages.slice(from).filter((mail) => mail.to.includes(address));
  expect(mails).toHaveLength(1);
  const mail = mails[0]!;
  const match = /https:\/\/membercare\.test(\/sender\/confirm\/[A-Za-z0-9_.-]+)/.exec(mail.text);
  expect(match).not.toBeNull();
  return { mail, path: match![1]! };
}
const open = (path: string) => fetch(`${app.url}${path}`, { headers: { "User-Agent": BROWSER, "Accept-Language": "en" } });
const confirm = (path: string) => fetch(`${app.url}${path}`, { method: "POST", headers: { "User-Agent": BROWSER, "Content-Type": "application/x-www-form-urlencoded", Origin: app.url }, body: "" });
const senderRow = (shop: string) => db.shop.findUniqueOrThrow({ where: { shop }, select: { senderConfirmedEmail: true, senderPendingEmail: true } });

/** One care email to a customer of `shop`, through the real dispatcher and email channel; the mail the customer got. */
let sequence = 0;
async function customerMail(shop: string): Promise<InboxMessage> {
  const id = String(9000 + ++sequence);
  await db.customer.create({ data: { shop, shopifyId: id, firstName: "Ava", email: `ava${id}@example.com`, timeZone: "Asia/Shanghai", emailConsentState: "SUBSCRIBED" } });
  // Noon in Shanghai: outside quiet hours.
  const now = new Date("2026-03-02T04:00:00Z");
  await planMessages(shop, [{ customerShopifyId: id, idempotencyKey: `sender-test:${id}`, source: "flow", sourceId: "postDelivery", step: "deliveryCheck", channel: "email", messageClass: "transactional", priority: 10, variables: {}, plannedAt: now, expiresAt: new Date(now.getTime() + 72 * HOUR) }], now);
  const content: ContentResolver = async () => ({ enabled: true, allowWithoutConsent: true, content: { subject: "How is your parcel?", body: "Hi {{firstName}}", sms: "" } });
  const none: ChannelSender = { send: async (message: OutgoingMessage) => ({ status: "rejected", reason: `no ${message.channel} here` }) };
  const before = inbox.messages.length;
  const result = await dispatchDue(now, { channels: { email: channel, sms: none, flow: none } as Record<Channel, ChannelSender>, content: { flow: content, campaign: content }, unsubscribeUrl: () => "https://membercare.test/unsubscribe/x" });
  expect(result).toMatchObject({ sent: 1 });
  const mails = inbox.messages.slice(before);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.to).toEqual([`ava${id}@example.com`]);
  return mails[0]!;
}

describe("a merchant who saves security@paypal.com", () => {
  let link: string;

  it("sends nothing from it: its confirmation goes to it from the app, and customers' mail keeps the app's address with Reply-To it", async () => {
    const before = inbox.messages.length;
    const response = await post(shops.main, form({ fromEmail: "security@paypal.com" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, senderLink: { status: "sent", email: "security@paypal.com" } });

    const { mail, path } = linkMail("security@paypal.com", before);
    link = path;
    expect(mail.from).toBe(APP_FROM);
    expect(mail.headers["from"]).toBe(`MemberCare <${APP_FROM}>`);
    expect(mail.subject).toBe('Confirm security@paypal.com as the sender for Acme "Tea", Ltd Bcc: victim@example.com');
    expect(mail.headers["bcc"]).toBeUndefined();
    expect(mail.text).toContain("If you did not ask for this, ignore this email");
    expect(await senderRow(shops.main)).toEqual({ senderConfirmedEmail: null, senderPendingEmail: "security@paypal.com" });

    const customer = await customerMail(shops.main);
    expect(customer.from).toBe(APP_FROM);
    expect(customer.headers["from"]).toContain(`<${APP_FROM}>`);
    expect(customer.headers["reply-to"]).toBe("security@paypal.com");
    // The shop's name is the display name, on one line, and added no header.
    expect(customer.headers["bcc"]).toBeUndefined();
    // (Unfolded: a long header line may be folded on the wire, RFC 5322 2.2.3.)
    expect(customer.headers["from"]!.replace(/\r?\n(?=[ \t])/g, "")).toBe(`"Acme \\"Tea\\", Ltd Bcc: victim@example.com" <${APP_FROM}>`);
    // Nothing anywhere went out from the typed address.
    for (const sent of inbox.messages) {
      expect(sent.from).not.toBe("security@paypal.com");
      expect(sent.headers["from"]).not.toContain("paypal.com");
    }
  });

  it("says so on the settings page, in English and Chinese; saving again sends no second link", async () => {
    const en = await settingsPage(shops.main, "en");
    expect(en).toContain("Waiting for confirmation: we sent a link to security@paypal.com.");
    expect(en).toContain(`care emails go from ${APP_FROM} with replies to security@paypal.com`);
    expect(en).toContain("Resend confirmation email");
    expect(await settingsPage(shops.main, "zh-CN")).toContain("等待确认：我们已向 security@paypal.com 发送确认链接。");
    const before = inbox.messages.length;
    expect((await post(shops.main, form({ fromEmail: "security@paypal.com" }))).status).toBe(200);
    expect(inbox.messages.length).toBe(before);
  });

  it("opening the link asks and confirms nothing; pressing Confirm does, once; after that mail goes from it", async () => {
    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("Confirm this address");
    expect(html).toContain("security@paypal.com");
    expect(await senderRow(shops.main)).toEqual({ senderConfirmedEmail: null, senderPendingEmail: "security@paypal.com" });

    const done = await confirm(link);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("security@paypal.com is confirmed");
    expect(await senderRow(shops.main)).toEqual({ senderConfirmedEmail: "security@paypal.com", senderPendingEmail: null });

    const customer = await customerMail(shops.main);
    expect(customer.headers["from"]).toContain("<security@paypal.com>");
    // The envelope stays the app's: SPF is judged against the app's domain, bounces come back to it.
    expect(customer.from).toBe(APP_FROM);
    expect(await settingsPage(shops.main, "en")).toContain("security@paypal.com is confirmed: care emails go out from it.");

    // Used: refused, and nothing changes.
    for (const again of [await confirm(link), await open(link)]) {
      expect(again.status).toBe(410);
      expect(await again.text()).toContain("This confirmation link no longer works");
    }
  });

  it("changing the address again needs a new confirmation: until then mail goes from the app's address", async () => {
    const before = inbox.messages.length;
    // Past the minute between two confirmation mails of a shop.
    installProcessClock(new ManualClock(new Date(Date.now() + 2 * 60_000)));
    const saved = await post(shops.main, form({ fromEmail: "care@acme-tea.example" }));
    installProcessClock(null);
    expect(saved.status).toBe(200);
    const { path } = linkMail("care@acme-tea.example", before);
    expect(await senderRow(shops.main)).toEqual({ senderConfirmedEmail: null, senderPendingEmail: "care@acme-tea.example" });
    const customer = await customerMail(shops.main);
    expect(customer.headers["from"]).toContain(`<${APP_FROM}>`);
    expect(customer.headers["reply-to"]).toBe("care@acme-tea.example");
    // And going back to the address confirmed before is a change like any other.
    expect((await post(shops.main, form({ fromEmail: "security@paypal.com" }))).status).toBe(200);
    expect(await senderRow(shops.main)).toEqual({ senderConfirmedEmail: null, senderPendingEmail: "security@paypal.com" });
    // The link for care@acme-tea.example died with the change.
    expect((await confirm(path)).status).toBe(410);
  });
});

describe("links that are not good", () => {
  it("refuses an edited link or one that is not ours with 400, an expired one with 410, and confirms nothing", async () => {
    const before = inbox.messages.length;
    const start = new Date();
    expect((await post(shops.links, form({ fromEmail: "owner@links.example" }))).status).toBe(200);
    const { path } = linkMail("owner@links.example", before);
    const [kid, payload, signature] = path.slice("/sender/confirm/".length).split(".") as [string, string, string];
    const fields = Buffer.from(payload, "base64url").toString("utf8").split("\n");
    const otherAddress = Buffer.from([fields[0], fields[1], "ceo@links.example", fields[3]].join("\n")).toString("base64url");
    const later = Buffer.from([String(Number(fields[0]) + 86_400 * 30), ...fields.slice(1)].join("\n")).toString("base64url");
    for (const bad of [`${kid}.${otherAddress}.${signature}`, `${kid}.${later}.${signature}`, `${kid}.${payload}.${signature.slice(0, -2)}AA`, `${kid}.${payload}`, "not-a-token", `other.${payload}.${signature}`]) {
      for (const response of [await open(`/sender/confirm/${bad}`), await confirm(`/sender/confirm/${bad}`)]) {
        expect(response.status).toBe(400);
        expect(await response.text()).toContain("This confirmation link is not valid");
      }
    }
    expect(await senderRow(shops.links)).toEqual({ senderConfirmedEmail: null, senderPendingEmail: "owner@links.example" });

    // Two days and a minute later (the server's clock, moved): expired.
    installProcessClock(new ManualClock(new Date(start.getTime() + 48 * HOUR + 60_000)));
    try {
      for (const response of [await open(path), await confirm(path)]) {
        expect(response.status).toBe(410);
        expect(await response.text()).toContain("This confirmation link has expired");
      }
      expect(await senderRow(shops.links)).toEqual({ senderConfirmedEmail: null, senderPendingEmail: "owner@links.example" });

      // Resend: a new link works, and the old one stays dead.
      const resentFrom = inbox.messages.length;
      const resend = await post(shops.links, { intent: "resendSenderLink" });
      expect(resend.status).toBe(200);
      expect(await resend.json()).toMatchObject({ senderLink: { status: "sent", email: "owner@links.example" } });
      const fresh = linkMail("owner@links.example", resentFrom).path;
      expect(fresh).not.toBe(path);
      expect((await confirm(path)).status).toBe(410);
      // A newer link replaces the one before it, even unexpired.
      const olderFresh = fresh;
      installProcessClock(new ManualClock(new Date(start.getTime() + 48 * HOUR + 3 * 60_000)));
      const thirdFrom = inbox.messages.length;
      expect((await post(shops.links, { intent: "resendSenderLink" })).status).toBe(200);
      const third = linkMail("owner@links.example", thirdFrom).path;
      expect((await confirm(olderFresh)).status).toBe(410);
      expect((await confirm(third)).status).toBe(200);
      expect(await senderRow(shops.links)).toEqual({ senderConfirmedEmail: "owner@links.example", senderPendingEmail: null });
    } finally {
      installProcessClock(null);
    }
  });

  it("lets a shop cause only a few confirmation mails: one a minute, five a day (429 past that)", async () => {
    const start = new Date(Date.now() + 10 * 24 * HOUR);
    const clock = new ManualClock(start);
    installProcessClock(clock);
    try {
      expect((await post(shops.links, form({ fromEmail: "spam-target@links.example" }))).status).toBe(200);
      const tooSoon = await post(shops.links, { intent: "resendSenderLink" });
      expect(tooSoon.status).toBe(429);
      expect(await tooSoon.json()).toMatchObject({ senderLink: { status: "limited" } });
      for (let minute = 2; minute <= 5; minute++) {
        installProcessClock(new ManualClock(new Date(start.getTime() + minute * 60_000)));
        expect((await post(shops.links, { intent: "resendSenderLink" })).status).toBe(200);
      }
      installProcessClock(new ManualClock(new Date(start.getTime() + 10 * 60_000)));
      expect((await post(shops.links, { intent: "resendSenderLink" })).status).toBe(429);
      expect(inbox.messages.filter((mail) => mail.to.includes("spam-target@links.example"))).toHaveLength(5);
    } finally {
      installProcessClock(null);
    }
  });
});

it("writes the confirmation mail and page in the shop's language", async () => {
  const before = inbox.messages.length;
  expect((await post(shops.zh, form({ fromEmail: "dian@chashe.example" }))).status).toBe(200);
  const { mail, path } = linkMail("dian@chashe.example", before);
  expect(mail.subject).toBe("确认 dian@chashe.example 为 茶舍 的发件地址");
  expect(mail.text).toContain("如果这不是您的请求，请忽略本邮件");
  // The page follows the shop, not the visitor's browser (English here).
  const page = await (await open(path)).text();
  expect(page).toContain("用 dian@chashe.example 发送 茶舍 的关怀邮件？");
  expect(page).toContain('lang="zh-CN"');
  expect(await (await confirm(path)).text()).toContain("dian@chashe.example 已确认");
});

it("sends from the app's address for a From saved before confirmation existed, and sends its link on request", async () => {
  // Stored as settings were before issue 18: an address, no confirmation state.
  await db.shop.update({ where: { shop: shops.legacy }, data: { careSettings: JSON.stringify({ sender: { fromName: null, fromEmail: "owner@legacy.example", replyTo: null } }) } });
  const customer = await customerMail(shops.legacy);
  expect(customer.headers["from"]).toBe(`Legacy Tea <${APP_FROM}>`);
  expect(customer.headers["reply-to"]).toBe("owner@legacy.example");
  const en = await settingsPage(shops.legacy, "en");
  expect(en).toContain("owner@legacy.example is not confirmed, and no confirmation email has reached it yet.");
  expect(en).toContain("Send confirmation email");

  const before = inbox.messages.length;
  const sent = await post(shops.legacy, { intent: "resendSenderLink" });
  expect(sent.status).toBe(200);
  const { path } = linkMail("owner@legacy.example", before);
  expect(await settingsPage(shops.legacy, "en")).toContain("Waiting for confirmation: we sent a link to owner@legacy.example.");
  expect((await confirm(path)).status).toBe(200);
  expect((await customerMail(shops.legacy)).headers["from"]).toBe("Legacy Tea <owner@legacy.example>");
});
