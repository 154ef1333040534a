// The email channel against real SMTP servers: the demo's inbox (smtp-server +
// mailparser) for what a recipient sees, and servers that refuse for good (5xx)
// or for now (4xx), or are not there at all.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { renderMessage } from "~/domain/care/templates";
import { emailChannel, messageIdFor, type EmailChannel } from "~/services/channels/email.server";
import type { OutgoingMessage } from "~/services/channels/types";
import { TransientChannelError } from "~/services/channels/types";
import { startSmtpInbox, type SmtpInbox } from "../tools/smtp-inbox";

const shop = "maple.myshopify.com";
const unsubscribeUrl = "https://membercare.test/unsubscribe/abc.def";
let inbox: SmtpInbox;
let channel: EmailChannel;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  channel = emailChannel({ smtpUrl: inbox.smtpUrl });
});
afterAll(async () => {
  channel.close();
  await inbox.close();
});

function message(overrides: Partial<OutgoingMessage> & { locale?: string; marketing?: boolean } = {}): OutgoingMessage {
  const { locale = "en", marketing = true, ...rest } = overrides;
  const content =
    locale === "zh-CN"
      ? { subject: "{{firstName}}，您的包裹已送达", body: "{{firstName}} 您好：\n\n您的{{productTitle}}已送达，使用愉快！", sms: "" }
      : { subject: "Your {{productTitle}} arrived", body: "Hi {{firstName}},\n\nhow is your {{productTitle}}?", sms: "" };
  const rendered = renderMessage(content, { firstName: locale === "zh-CN" ? "小明" : "Ava", productTitle: locale === "zh-CN" ? "真丝枕套" : "linen shirt" }, { locale, unsubscribeUrl: marketing ? unsubscribeUrl : null, shopName: "Maple & Co" });
  return {
    shop,
    messageId: "msg-1",
    idempotencyKey: "postDelivery:deliveryCheck:gid://shopify/Fulfillment/9007199254740993",
    channel: "email",
    messageClass: marketing ? "marketing" : "transactional",
    customer: { shopifyId: "9007199254740993", email: "ava@example.com", phone: null, firstName: "Ava", lastName: "Chen", locale },
    rendered,
    sender: { fromName: "Maple & Co", fromEmail: "care@maple.example", replyTo: "help@maple.example", smsFrom: null },
    unsubscribeUrl: marketing ? unsubscribeUrl : null,
    flow: null,
    ...rest,
  };
}

it("sends a marketing email with both parts, the sender, a stable Message-ID and RFC 8058 one-click unsubscribe headers", async () => {
  const before = inbox.messages.length;
  const result = await channel.send(message());
  const expectedId = messageIdFor(shop, "postDelivery:deliveryCheck:gid://shopify/Fulfillment/9007199254740993");
  expect(result).toEqual({ status: "accepted", providerMessageId: expectedId });
  expect(expectedId).toMatch(/^<postDelivery\.deliveryCheck\.gid\.shopify\.Fulfillment\.9007199254740993\.[0-9a-f]{20}@maple\.myshopify\.com>$/);

  const received = inbox.messages[before]!;
  expect(received.to).toEqual(["ava@example.com"]);
  // The envelope sender is the app's own address whatever the From says (issue 18): notifications@ SHOPIFY_APP_URL's host in the tests.
  expect(received.from).toBe("notifications@membercare.test");
  expect(received.subject).toBe("Your linen shirt arrived");
  expect(received.headers["from"]).toBe('"Maple & Co" <care@maple.example>');
  expect(received.headers["reply-to"]).toBe("help@maple.example");
  expect(received.headers["message-id"]).toBe(expectedId);
  // Long header lines are folded on the wire (RFC 5322); unfolded, they read as sent.
  expect(received.headers["list-unsubscribe"]!.replace(/\r?\n[ \t]+/g, " ")).toBe(`<${unsubscribeUrl}>, <mailto:help@maple.example?subject=unsubscribe&body=https%3A%2F%2Fmembercare.test%2Funsubscribe%2Fabc.def>`);
  expect(received.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  expect(received.text).toContain("how is your linen shirt?");
  expect(received.text).toContain(`unsubscribe here: ${unsubscribeUrl}`);
  expect(received.html).toContain("<p style=\"margin:0 0 16px\">how is your linen shirt?</p>");
  expect(received.html).toContain(`<a href="${unsubscribeUrl}"`);
});

it("sends the same Message-ID again for the same idempotency key (a resend after a crash is the same message)", async () => {
  const before = inbox.messages.length;
  await channel.send(message());
  await channel.send(message({ messageId: "msg-1-again" }));
  const ids = inbox.messages.slice(before).map((m) => m.headers["message-id"]);
  expect(ids).toHaveLength(2);
  expect(new Set(ids).size).toBe(1);
  // Another key, or the same key in another shop, is another message.
  expect(messageIdFor(shop, "postDelivery:deliveryCheck:1")).not.toBe(messageIdFor(shop, "postDelivery:deliveryCheck:2"));
  expect(messageIdFor(shop, "a:b")).not.toBe(messageIdFor(shop, "a.b"));
  expect(messageIdFor("other.myshopify.com", "a:b")).not.toBe(messageIdFor(shop, "a:b"));
});

it("leaves the unsubscribe headers and link out of a transactional email", async () => {
  const before = inbox.messages.length;
  expect((await channel.send(message({ marketing: false }))).status).toBe("accepted");
  const received = inbox.messages[before]!;
  expect(received.headers["list-unsubscribe"]).toBeUndefined();
  expect(received.headers["list-unsubscribe-post"]).toBeUndefined();
  expect(received.text).not.toContain("unsubscribe");
});

it("carries Chinese content intact in the subject, both parts and the sender's name", async () => {
  const before = inbox.messages.length;
  await channel.send(message({ locale: "zh-CN", sender: { fromName: "枫叶小店", fromEmail: "care@maple.example", replyTo: null, smsFrom: null } }));
  const received = inbox.messages[before]!;
  expect(received.subject).toBe("小明，您的包裹已送达");
  expect(received.text).toContain("您的真丝枕套已送达，使用愉快！");
  expect(received.text).toContain("如不想再收到此类邮件，请点此退订");
  expect(received.html).toContain('<html lang="zh-CN">');
  expect(received.html).toContain("退订 Maple &amp; Co 的营销邮件");
  // The display name is MIME-encoded on the wire and reads back as written.
  expect(received.headers["from"]).toMatch(/=\?UTF-8\?/i);
  // Without a Reply-To, the mailto goes to the sender.
  expect(received.headers["list-unsubscribe"]).toContain("<mailto:care@maple.example?");
});

it("sends with the envelope sender it was given, never the From address", async () => {
  const own = emailChannel({ smtpUrl: inbox.smtpUrl, envelopeFrom: "bounces@app.example" });
  try {
    const before = inbox.messages.length;
    await own.send(message({ sender: { fromName: "Maple & Co", fromEmail: "security@paypal.com", replyTo: null, smsFrom: null } }));
    expect(inbox.messages[before]).toMatchObject({ from: "bounces@app.example", to: ["ava@example.com"] });
    expect(inbox.messages[before]!.headers["from"]).toBe('"Maple & Co" <security@paypal.com>');
  } finally {
    own.close();
  }
});

it("lets no display name add a header or a recipient: quotes, commas and line breaks stay inside the name", async () => {
  const before = inbox.messages.length;
  // What a shop named by an attacker would pass if nothing cleaned it: the channel must still keep it one header.
  const hostile = 'Evil, "Store"\r\nBcc: victim@example.com\r\nX-Injected: yes';
  await channel.send(message({ sender: { fromName: hostile, fromEmail: "notifications@membercare.test", replyTo: "help@maple.example", smsFrom: null } }));
  const received = inbox.messages[before]!;
  expect(received.to).toEqual(["ava@example.com"]);
  expect(received.headers["bcc"]).toBeUndefined();
  expect(received.headers["x-injected"]).toBeUndefined();
  expect(received.headers["reply-to"]).toBe("help@maple.example");
  // The whole name is the From's display name (MIME-encoded on the wire), and the address is the one given.
  const { simpleParser } = await import("mailparser");
  const parsed = await simpleParser(`From: ${received.headers["from"]}\r\n\r\n`);
  expect(parsed.from?.value).toEqual([{ name: hostile, address: "notifications@membercare.test" }]);
});

it("refuses without trying when there is no address to send to or from", async () => {
  const before = inbox.messages.length;
  expect(await channel.send(message({ customer: { ...message().customer, email: null } }))).toEqual({ status: "rejected", reason: "the customer has no email address" });
  expect(await channel.send(message({ sender: { ...message().sender, fromEmail: "" } }))).toMatchObject({ status: "rejected" });
  expect(inbox.messages.length).toBe(before);
});

describe("when the server refuses or is not there", () => {
  let refusing: SMTPServer;
  let port: number;
  const accepted: string[] = [];

  beforeAll(async () => {
    // Refuses one mailbox for good and another for now, as real servers do.
    refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address === "gone@example.com") return callback(Object.assign(new Error("5.1.1 No such user here"), { responseCode: 550 }));
        if (address.address === "busy@example.com") return callback(Object.assign(new Error("4.2.1 Mailbox busy, try again later"), { responseCode: 451 }));
        callback();
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on("end", () => {
          accepted.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    port = (refusing.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => refusing.close(() => resolve())));

  it("answers rejected, with the server's reason, to a permanent 5xx refusal", async () => {
    const smtp = emailChannel({ smtpUrl: `smtp://127.0.0.1:${port}` });
    try {
      const result = await smtp.send(message({ customer: { ...message().customer, email: "gone@example.com" } }));
      expect(result.status).toBe("rejected");
      expect(result.status === "rejected" && result.reason).toMatch(/^SMTP 550: .*No such user here/);
      // The pooled connection is still good for the next message.
      expect((await smtp.send(message())).status).toBe("accepted");
      expect(accepted).toEqual(["ava@example.com"]);
    } finally {
      smtp.close();
    }
  });

  it("throws on a temporary 4xx refusal, so the message is retried", async () => {
    const smtp = emailChannel({ smtpUrl: `smtp://127.0.0.1:${port}` });
    try {
      const error = await smtp.send(message({ customer: { ...message().customer, email: "busy@example.com" } })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientChannelError);
      expect((error as Error).message).toMatch(/^SMTP 451: .*Mailbox busy/);
    } finally {
      smtp.close();
    }
  });

  it("throws when the server is down, and sends once it is back", async () => {
    // A port nothing listens on: take one, then free it.
    const probe = await startSmtpInbox();
    const downPort = probe.smtpPort;
    await probe.close();
    const smtp = emailChannel({ smtpUrl: `smtp://127.0.0.1:${downPort}` });
    try {
      const error = await smtp.send(message()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientChannelError);
      expect((error as Error).message).toMatch(/ECONNECTION|ECONNREFUSED/);

      const back = await startSmtpInbox({ smtpPort: downPort });
      try {
        expect((await smtp.send(message())).status).toBe("accepted");
        expect(back.messages.map((m) => m.subject)).toEqual(["Your linen shirt arrived"]);
      } finally {
        smtp.close();
        await back.close();
      }
    } finally {
      smtp.close();
    }
  });
});

it("refuses an SMTP_URL that is not smtp:// or smtps://", () => {
  expect(() => emailChannel({ smtpUrl: "http://127.0.0.1:25" })).toThrow(/smtp:\/\/ or smtps:\/\//);
});
