// A message's words as sent (issue 20, ADR 0032), on SQLite and PostgreSQL:
// the dispatcher keeps what each channel was handed on the message row, in the
// write that records the send (the SMTP server's copy is the oracle for email,
// the channel's own argument for SMS and Shopify Flow); a rejected send keeps
// nothing; a claim's answers written in one group all keep theirs. The message
// page (built server, real session token) shows the words as sent after the
// merchant changed the flow's wording, the HTML part in a sandboxed iframe,
// and a clear label when it can only render them now (not sent; sent before
// words were kept; past their retention). The retention job blanks words past
// MESSAGE_WORDS_RETENTION_DAYS and, on SQLite, leaves none of their bytes in
// the database file or its write-ahead log.
import fs from "node:fs";
import db, { dialect } from "~/db.server";
import type { Channel } from "~/domain/care/types";
import { env } from "~/env.server";
import { runJobNow } from "~/jobs/start.server";
import { saveFlowSettings } from "~/models/care-flows.server";
import { saveCareSettings } from "~/models/care-settings.server";
import { planMessages, type PlannedMessage } from "~/models/messages.server";
import { emailChannel } from "~/services/channels/email.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "~/services/channels/types";
import { dispatchDue, type DispatchOptions } from "~/services/dispatcher.server";
import { startSmtpInbox } from "../tools/smtp-inbox";
import { startTestApp, type TestApp } from "./support/app";
import { customerPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";
import { projectInboxEvent } from "~/services/projectors.server";

const shop = "message-words.myshopify.com";
const other = "message-words-other.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const DAY = 86_400_000;
// Noon UTC, outside the quiet hours of customers in UTC (the shop's zone).
const T0 = new Date("2026-03-02T12:00:00Z");
let app: TestApp;

/** A channel that hands back what it was given; `answer` decides. */
class RecordingChannel implements ChannelSender {
  got: OutgoingMessage[] = [];
  maxInFlight = 200;
  answer: (message: OutgoingMessage) => Promise<SendResult> = async (message) => ({ status: "accepted", providerMessageId: `p-${message.idempotencyKey}` });
  async send(message: OutgoingMessage): Promise<SendResult> {
    this.got.push(message);
    return this.answer(message);
  }
  of(key: string) {
    return this.got.find((message) => message.idempotencyKey === key)!;
  }
}

const planned = (key: string, over: Partial<PlannedMessage> = {}): PlannedMessage => ({
  customerShopifyId: "5101",
  idempotencyKey: key,
  source: "flow",
  sourceId: "postDelivery",
  step: "deliveryCheck",
  channel: "email",
  messageClass: "transactional",
  priority: 10,
  variables: { productTitle: "Tieguanyin", orderName: "#5101" },
  plannedAt: T0,
  expiresAt: new Date(T0.getTime() + 5 * DAY),
  ...over,
});
const row = (key: string, domain = shop) => db.message.findUniqueOrThrow({ where: { shop_idempotencyKey: { shop: domain, idempotencyKey: key } } });
const dispatch = (channels: Partial<Record<Channel, ChannelSender>>, extra: Partial<DispatchOptions> = {}) => {
  const idle = new RecordingChannel();
  return dispatchDue(T0, { channels: { email: idle, sms: idle, flow: idle, ...channels }, unsubscribeUrl: (domain, customer, channel) => `https://membercare.test/unsubscribe/${domain}/${customer}/${channel}`, ...extra });
};

async function customer(domain: string, id: string, firstName: string, lastName: string) {
  await projectInboxEvent({ shop: domain, topic: "customers/create", body: JSON.stringify(customerPayload({ id, email: `${firstName.toLowerCase()}@example.com`, firstName, lastName })) }, new Date(T0.getTime() - 30 * DAY));
  // Marketing consent and a phone for the SMS below; the care flows' zone is the shop's (UTC).
  await db.customer.update({ where: { shop_shopifyId: { shop: domain, shopifyId: id } }, data: { phone: "+15550175101", emailConsentState: "SUBSCRIBED", smsConsentState: "SUBSCRIBED", timeZone: "UTC" } });
}

beforeAll(async () => {
  for (const domain of [shop, other]) {
    await installShop(domain);
    await installTestShop(domain, { name: "Tea Terrace" }, new Date(T0.getTime() - 60 * DAY));
  }
  await customer(shop, "5101", "Mei", "Okonkwo-Lin");
  // SMS and Shopify Flow are off until the merchant turns them on.
  await saveCareSettings(shop, { channels: { email: true, sms: true, flow: true }, sms: { fromNumber: "+15550170000" } });
  // The merchant's own wording of the delivery check, with a phrase only the sent words will hold once filled in.
  await saveFlowSettings(shop, "postDelivery", { enabled: true, allowWithoutConsent: true, templates: { deliveryCheck: { en: { subject: "Did the {{productTitle}} reach you, {{firstName}}?", body: "Dear {{fullName}},\n\nyour {{productTitle}} of order {{orderName}} should be with you. Reply if anything is wrong.", sms: "{{firstName}}, did {{orderName}} arrive?" } } } }, null, T0);
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const data = async (id: string, domain = shop) => {
  const response = await fetch(`${app.url}/app/messages/${id}?${new URLSearchParams({ _data: "routes/app.messages_.$id" })}`, { headers: { Authorization: `Bearer ${sessionToken(domain)}`, "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return (await response.json()) as { retentionDays: number; words: { basis: string; why: string | null; sentAt: string | null; subject: string | null; text: string; html: string | null } | null };
};
const page = async (id: string, locale: string) => {
  const query = new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/message-words").toString("base64url"), id_token: sessionToken(shop), locale });
  const response = await fetch(`${app.url}/app/messages/${id}?${query}`, { headers: { "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return response.text();
};

it("keeps an email's subject, text part and HTML part exactly as the SMTP server received them", async () => {
  const inbox = await startSmtpInbox();
  const email = emailChannel({ smtpUrl: inbox.smtpUrl });
  try {
    await planMessages(shop, [planned("email-1")], T0);
    expect(await dispatch({ email })).toMatchObject({ sent: 1 });
    const [mail] = inbox.messages;
    const sent = await row("email-1");
    expect(sent).toMatchObject({ status: "sent", sentAt: T0, sentSubject: mail!.subject, sentHtml: mail!.html });
    // mailparser ends the decoded text part with the line break the MIME body needed.
    expect(sent.sentText).toBe(mail!.text.replace(/\n$/, ""));
    expect(sent.sentText).toContain("Dear Mei Okonkwo-Lin,");
    expect(sent.sentHtml).toContain("Dear Mei Okonkwo-Lin,");
  } finally {
    email.close();
    await inbox.close();
  }
});

it("keeps an SMS's text and what a Shopify Flow workflow received, and nothing for a send the provider rejected", async () => {
  const sms = new RecordingChannel();
  const flow = new RecordingChannel();
  const email = new RecordingChannel();
  email.answer = async () => ({ status: "rejected", reason: "mailbox unavailable" });
  await planMessages(shop, [planned("sms-1", { channel: "sms" }), planned("flow-1", { channel: "flow" }), planned("rejected-1")], T0);
  await dispatch({ sms, flow, email });
  expect(await row("sms-1")).toMatchObject({ status: "sent", sentSubject: null, sentText: sms.of("sms-1").rendered.sms, sentHtml: null });
  expect(sms.of("sms-1").rendered.sms).toContain("Mei, did #5101 arrive?");
  // The trigger's payload, field by field: the words a workflow can send, and the facts it branches on.
  const payload = flow.of("flow-1").flow!.payload;
  const kept = (await row("flow-1")).sentText!;
  expect(Object.keys(payload).length).toBeGreaterThan(5);
  for (const [field, value] of Object.entries(payload)) expect(kept).toContain(`${field}: ${String(value)}`);
  expect(kept).toContain("Subject: Did the Tieguanyin reach you, Mei?");
  expect(await row("rejected-1")).toMatchObject({ status: "failed", sentSubject: null, sentText: null, sentHtml: null });
});

it("keeps the words of every answer when a claim's answers are written in one group", { timeout: 60_000 }, async () => {
  const many = 130;
  const customers = Array.from({ length: many }, (_, index) => String(6000 + index));
  for (const id of customers) await db.customer.create({ data: { shop: other, shopifyId: id, firstName: `Guest${id}`, email: `g${id}@example.com`, emailConsentState: "SUBSCRIBED", timeZone: "UTC" } });
  await saveFlowSettings(other, "postDelivery", { enabled: true }, null, T0);
  await planMessages(other, customers.map((id) => planned(`batch-${id}`, { customerShopifyId: id })), T0);
  // Every send is answered at once when all are in flight: the answers arrive while the first one is being written.
  const email = new RecordingChannel();
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  email.answer = async (message) => {
    if (email.got.length === many) release();
    await all;
    return { status: "accepted", providerMessageId: `p-${message.idempotencyKey}` };
  };
  expect(await dispatch({ email }, { limit: many, inFlight: { email: many } })).toMatchObject({ sent: many });
  const rows = await db.message.findMany({ where: { shop: other, idempotencyKey: { startsWith: "batch-" } } });
  expect(rows).toHaveLength(many);
  for (const sent of rows) {
    const got = email.of(sent.idempotencyKey);
    expect([sent.sentSubject, sent.sentText, sent.sentHtml]).toEqual([got.rendered.subject, got.rendered.text, got.rendered.html]);
  }
});

it("shows the words as sent after the merchant changed the wording, the HTML part in a sandboxed frame; otherwise says they are rendered now, and why", { timeout: 60_000 }, async () => {
  const sent = await row("email-1");
  await saveFlowSettings(shop, "postDelivery", { enabled: true, allowWithoutConsent: true, templates: { deliveryCheck: { en: { subject: "Your {{productTitle}} has landed", body: "Hello again {{firstName}}.", sms: "Landed?" } } } }, null, T0);
  const asSent = (await data(sent.id)).words!;
  expect(asSent).toMatchObject({ basis: "asSent", why: null, sentAt: T0.toISOString(), subject: "Did the Tieguanyin reach you, Mei?", html: sent.sentHtml, text: sent.sentText });
  const html = await page(sent.id, "en");
  // The HTML part in an iframe with an empty sandbox (no scripts, forms, pop-ups or navigation of the admin), escaped into srcdoc.
  const frame = html.match(/<iframe[^>]*>/)?.[0] ?? "";
  expect(frame).toContain('sandbox=""');
  // (React writes the attribute as srcDoc; HTML attribute names are case-insensitive.)
  expect(frame).toMatch(/ srcdoc="&lt;!doctype html&gt;/i);
  expect(frame).toContain("Dear Mei Okonkwo-Lin,");
  expect(html).toContain("The words as sent on");
  expect(html).not.toContain("Rendered now from the template");
  expect(await page(sent.id, "zh-CN")).toContain("发出时的原文");
  // What a Shopify Flow workflow received: the trigger's fields, no HTML.
  const flow = await page((await row("flow-1")).id, "en");
  expect(flow).toContain("What the Shopify Flow workflow received on");
  expect(flow).toContain("Care step: deliveryCheck");
  expect(flow).not.toContain("<iframe");

  // Not sent yet: rendered now, in today's wording, and the page says so.
  await planMessages(shop, [planned("later-1", { plannedAt: new Date(T0.getTime() + DAY) })], T0);
  const notSent = (await data((await row("later-1")).id)).words!;
  expect(notSent).toMatchObject({ basis: "renderedNow", why: "notSent", subject: "Your Tieguanyin has landed" });
  // Sent before words were kept (a row as this change found it): rendered now, labelled in both languages.
  await planMessages(shop, [planned("old-1")], T0);
  const old = await row("old-1");
  await db.message.update({ where: { id: old.id }, data: { status: "sent", sentAt: new Date(T0.getTime() - 3 * DAY), lastReason: "providerAccepted" } });
  expect((await data(old.id)).words).toMatchObject({ basis: "renderedNow", why: "sentBeforeKept", subject: "Your Tieguanyin has landed" });
  expect(await page(old.id, "en")).toContain("This message went out before MemberCare kept the words of sent messages.");
  expect(await page(old.id, "zh-CN")).toContain("按模板即时生成，并非发出时的原文");
  // Another shop's message is not found, words or not.
  const foreign = await row("batch-6000", other);
  const response = await fetch(`${app.url}/app/messages/${foreign.id}?${new URLSearchParams({ _data: "routes/app.messages_.$id" })}`, { headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER } });
  expect(response.status).toBe(404);
});

describe("retention", () => {
  const days = env().MESSAGE_WORDS_RETENTION_DAYS;
  // The database file and its write-ahead log, as bytes (SQLite only).
  const onDisk = (text: string) => {
    const file = new URL(process.env.DATABASE_URL!).pathname;
    return [file, `${file}-wal`].some((path) => fs.existsSync(path) && fs.readFileSync(path).includes(Buffer.from(text, "utf8")));
  };

  it("keeps the words through the period, then blanks them; the message stays sent and its page says the words are no longer kept", { timeout: 60_000 }, async () => {
    // Only the sent words hold the filled-in subject: the flow's wording has the placeholder (and was changed since).
    const words = "Did the Tieguanyin reach you, Mei?";
    if (dialect() === "sqlite") expect(onDisk(words)).toBe(true);
    await runJobNow("message-words-retention", new Date(T0.getTime() + (days - 1) * DAY));
    expect(await row("email-1")).toMatchObject({ sentSubject: words, sentWordsPurgedAt: null });

    const after = new Date(T0.getTime() + (days + 1) * DAY);
    await runJobNow("message-words-retention", after);
    for (const key of ["email-1", "sms-1", "flow-1"]) {
      expect(await row(key), key).toMatchObject({ status: "sent", sentAt: T0, sentSubject: null, sentText: null, sentHtml: null, sentWordsPurgedAt: after });
    }
    // Not sent: nothing to blank, and not passed over.
    expect(await row("later-1")).toMatchObject({ sentWordsPurgedAt: null });
    if (dialect() === "sqlite") expect(onDisk(words), "the words still on disk").toBe(false);

    const purged = await row("email-1");
    expect((await data(purged.id)).words).toMatchObject({ basis: "renderedNow", why: "purged", subject: "Your Tieguanyin has landed" });
    expect(await page(purged.id, "en")).toContain(`MemberCare keeps a sent message&#x27;s words for ${days} days`);
  });
});
