// The SMS channel against the local endpoint that speaks Twilio's Messages API
// (tools/sms-endpoint.ts): what the provider receives, its refusals, its
// outages, and the idempotency header that makes a resend the same message.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { renderMessage } from "~/domain/care/templates";
import { smsChannel, smsIdempotencyKey } from "~/services/channels/sms.server";
import type { OutgoingMessage } from "~/services/channels/types";
import { TransientChannelError } from "~/services/channels/types";
import { startSmsEndpoint, type SmsEndpoint } from "../tools/sms-endpoint";

const shop = "maple.myshopify.com";
let endpoint: SmsEndpoint;
beforeAll(async () => {
  endpoint = await startSmsEndpoint();
});
afterAll(() => endpoint.close());

const channel = () => smsChannel({ baseUrl: endpoint.url, accountSid: endpoint.accountSid, authToken: endpoint.authToken });

function message(overrides: Partial<OutgoingMessage> & { locale?: string } = {}): OutgoingMessage {
  const { locale = "en", ...rest } = overrides;
  const sms = locale === "zh-CN" ? "{{firstName}}您好，您的{{productTitle}}快用完了吗？回购：{{reorderUrl}}" : "Hi {{firstName}}, running low on {{productTitle}}? Reorder: {{reorderUrl}}";
  const rendered = renderMessage({ subject: "", body: "", sms }, { firstName: locale === "zh-CN" ? "小明" : "Ava", productTitle: locale === "zh-CN" ? "咖啡豆" : "coffee beans", reorderUrl: "https://maple.example/r/1" }, { locale, unsubscribeUrl: "https://membercare.test/unsubscribe/x.y", shopName: "Maple" });
  return {
    shop,
    messageId: "msg-sms-1",
    idempotencyKey: "replenishment:reminder:9007199254740993:1001",
    channel: "sms",
    messageClass: "marketing",
    customer: { shopifyId: "9007199254740993", email: null, phone: "+14155550123", firstName: "Ava", lastName: null, locale },
    rendered,
    sender: { fromName: "Maple", fromEmail: "care@maple.example", replyTo: null, smsFrom: "+14155550100" },
    unsubscribeUrl: "https://membercare.test/unsubscribe/x.y",
    flow: null,
    ...rest,
  };
}

it("posts To, From and Body with the account's credentials and keeps the provider's sid", async () => {
  const before = endpoint.messages.length;
  const result = await channel().send(message());
  expect(result).toEqual({ status: "accepted", providerMessageId: endpoint.messages[before]!.sid });
  expect(endpoint.messages[before]).toMatchObject({
    to: "+14155550123",
    from: "+14155550100",
    body: "Maple: Hi Ava, running low on coffee beans? Reorder: https://maple.example/r/1 Reply STOP to opt out",
    idempotencyKey: smsIdempotencyKey(shop, "replenishment:reminder:9007199254740993:1001"),
  });
  expect(endpoint.messages[before]!.sid).toMatch(/^SM[0-9a-f]{32}$/);
});

it("sends Chinese text as it is, signed and with the TD hint", async () => {
  const before = endpoint.messages.length;
  expect((await channel().send(message({ locale: "zh-CN", idempotencyKey: "replenishment:reminder:zh" }))).status).toBe("accepted");
  expect(endpoint.messages[before]!.body).toBe("【Maple】小明您好，您的咖啡豆快用完了吗？回购：https://maple.example/r/1回复TD退订");
});

it("sends the same idempotency key again for a resend, and the provider keeps one message", async () => {
  const before = endpoint.messages.length;
  const first = await channel().send(message({ idempotencyKey: "winBack:atRisk:42" }));
  const again = await channel().send(message({ idempotencyKey: "winBack:atRisk:42", messageId: "another attempt" }));
  expect(again).toEqual(first);
  expect(endpoint.messages.length).toBe(before + 1);
  // The key leaves the app hashed: it names customers and orders.
  expect(endpoint.messages[before]!.idempotencyKey).not.toContain("winBack");
});

it("answers rejected with Twilio's code and message to a refusal, and throws on 429 and 5xx", async () => {
  const refused = await channel().send(message({ customer: { ...message().customer, phone: "0415 555 0123" } }));
  expect(refused).toEqual({ status: "rejected", reason: "SMS provider refused: 21211: Invalid 'To' Phone Number: 0415 555 0123" });

  const before = endpoint.messages.length;
  endpoint.failNext(429);
  await expect(channel().send(message({ idempotencyKey: "k-429" }))).rejects.toThrow(TransientChannelError);
  endpoint.failNext(503);
  await expect(channel().send(message({ idempotencyKey: "k-503" }))).rejects.toThrow(/SMS provider answered 503/);
  expect(endpoint.messages.length).toBe(before);
  // The provider recovered: the retry goes through.
  expect((await channel().send(message({ idempotencyKey: "k-503" }))).status).toBe("accepted");
});

it("answers rejected to wrong credentials (the provider's 401) without retrying forever", async () => {
  const wrong = smsChannel({ baseUrl: endpoint.url, accountSid: endpoint.accountSid, authToken: "not-the-token" });
  expect(await wrong.send(message())).toEqual({ status: "rejected", reason: "SMS provider refused: 20003: Authenticate" });
});

it("refuses without calling the provider when SMS is not configured or there is no number", async () => {
  const requests = endpoint.requests;
  expect(await smsChannel({ baseUrl: endpoint.url, accountSid: undefined, authToken: undefined }).send(message())).toEqual({
    status: "rejected",
    reason: "SMS is not configured (SMS_ACCOUNT_SID and SMS_AUTH_TOKEN)",
  });
  expect((await channel().send(message({ customer: { ...message().customer, phone: null } }))).status).toBe("rejected");
  expect((await channel().send(message({ sender: { ...message().sender, smsFrom: null } }))).status).toBe("rejected");
  expect(endpoint.requests).toBe(requests);
});

it("throws when the provider cannot be reached or hangs", async () => {
  const probe = await startSmsEndpoint();
  const downUrl = probe.url;
  await probe.close();
  const down = smsChannel({ baseUrl: downUrl, accountSid: "AC1", authToken: "t" });
  await expect(down.send(message())).rejects.toThrow(/SMS provider unreachable/);

  // Accepts the connection and never answers.
  const silent = http.createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  try {
    const hanging = smsChannel({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, accountSid: "AC1", authToken: "t", timeoutMs: 200 });
    const sent = hanging.send(message());
    await expect(sent).rejects.toThrow(TransientChannelError);
    // Its deadline passed: retried like any transient failure, with a reason that says so.
    await expect(sent).rejects.toThrow(/^SMS provider timed out after 0\.2 s$/);
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

it("lists what it received on its page, for the demo", async () => {
  const page = await (await fetch(`${endpoint.url}/`)).text();
  expect(page).toContain(`SMS endpoint: ${endpoint.messages.length} messages`);
  expect(page).toContain("回复TD退订");
});

it("is built from the environment, refusing as not configured while SMS_ACCOUNT_SID and SMS_AUTH_TOKEN are unset", async () => {
  const { channelsFromEnv, closeChannels } = await import("~/services/channels/index.server");
  try {
    const channels = channelsFromEnv();
    expect(Object.keys(channels).sort()).toEqual(["email", "flow", "sms"]);
    // One set per process: the email channel's pooled connections are shared.
    expect(channelsFromEnv()).toBe(channels);
    expect(await channels.sms.send(message())).toEqual({ status: "rejected", reason: "SMS is not configured (SMS_ACCOUNT_SID and SMS_AUTH_TOKEN)" });
  } finally {
    closeChannels();
  }
});
