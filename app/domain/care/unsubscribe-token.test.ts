import { createHmac } from "node:crypto";
import { signUnsubscribeToken, verifyUnsubscribeToken } from "./unsubscribe-token";

const secret = "test-api-secret";
const subject = { shop: "maple.myshopify.com", customerShopifyId: "9007199254740993", channel: "email" } as const;

describe("unsubscribe tokens", () => {
  it("name the shop, the customer and the channel, and read back only with the same secret", () => {
    const token = signUnsubscribeToken(subject, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(token, secret)).toEqual(subject);
    expect(verifyUnsubscribeToken(signUnsubscribeToken({ ...subject, channel: "sms" }, secret), secret)).toEqual({ ...subject, channel: "sms" });
    expect(verifyUnsubscribeToken(token, "another-secret")).toBeNull();
    // The same subject always gives the same link.
    expect(signUnsubscribeToken(subject, secret)).toBe(token);
  });

  it("refuse a token whose subject was changed, whose signature was changed, or that was cut short", () => {
    const token = signUnsubscribeToken(subject, secret);
    const [payload, signature] = token.split(".");
    const otherCustomer = Buffer.from("maple.myshopify.com\n9007199254740994\nemail").toString("base64url");
    expect(verifyUnsubscribeToken(`${otherCustomer}.${signature}`, secret)).toBeNull();
    const flipped = `${signature![0] === "A" ? "B" : "A"}${signature!.slice(1)}`;
    expect(verifyUnsubscribeToken(`${payload}.${flipped}`, secret)).toBeNull();
    expect(verifyUnsubscribeToken(token.slice(0, -1), secret)).toBeNull();
    expect(verifyUnsubscribeToken(`${payload}`, secret)).toBeNull();
    expect(verifyUnsubscribeToken("", secret)).toBeNull();
    expect(verifyUnsubscribeToken("not a token", secret)).toBeNull();
  });

  it("refuse a correctly signed payload that is not a subject (wrong channel, extra fields)", () => {
    // Signed the way the module signs, so only the content check can refuse them.
    const forge = (text: string) => `${Buffer.from(text).toString("base64url")}.${createHmac("sha256", secret).update(`membercare:unsubscribe:v1\n${text}`).digest("base64url")}`;
    expect(verifyUnsubscribeToken(forge("maple.myshopify.com\n1\nemail"), secret)).toEqual({ shop: "maple.myshopify.com", customerShopifyId: "1", channel: "email" });
    expect(verifyUnsubscribeToken(forge("maple.myshopify.com\n1\nflow"), secret)).toBeNull();
    expect(verifyUnsubscribeToken(forge("maple.myshopify.com\n1\nemail\nextra"), secret)).toBeNull();
    expect(verifyUnsubscribeToken(forge("\n1\nemail"), secret)).toBeNull();
    // A signature for another purpose (say, a webhook HMAC over the same text) is not accepted.
    const text = "maple.myshopify.com\n1\nemail";
    expect(verifyUnsubscribeToken(`${Buffer.from(text).toString("base64url")}.${createHmac("sha256", secret).update(text).digest("base64url")}`, secret)).toBeNull();
  });

  it("carry a membership topic when the link stops membership emails (ADR 0011), and read marketing links as before", () => {
    const membership = signUnsubscribeToken({ ...subject, topic: "membership" }, secret);
    expect(verifyUnsubscribeToken(membership, secret)).toEqual({ ...subject, topic: "membership" });
    expect(membership).not.toBe(signUnsubscribeToken(subject, secret));
    // A marketing link is the three fields it always was: links already sent keep working.
    expect(signUnsubscribeToken({ ...subject, topic: "marketing" }, secret)).toBe(signUnsubscribeToken(subject, secret));
    const forge = (text: string) => `${Buffer.from(text).toString("base64url")}.${createHmac("sha256", secret).update(`membercare:unsubscribe:v1\n${text}`).digest("base64url")}`;
    expect(verifyUnsubscribeToken(forge("maple.myshopify.com\n1\nemail\nmembership\nextra"), secret)).toBeNull();
    expect(verifyUnsubscribeToken(forge("maple.myshopify.com\n1\nemail\nnewsletter"), secret)).toBeNull();
  });

  it("refuse to sign without a secret or with a value that would shift the fields", () => {
    expect(() => signUnsubscribeToken(subject, "")).toThrow(/secret/);
    expect(() => signUnsubscribeToken({ ...subject, customerShopifyId: "1\nsms" }, secret)).toThrow();
  });
});
