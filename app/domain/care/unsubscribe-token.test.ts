import { createHmac } from "node:crypto";
import { keyRing, parseKeyRing } from "../keyring";
import { signLegacyUnsubscribeToken, signUnsubscribeToken, verifyUnsubscribeToken, type UnsubscribeSubject } from "./unsubscribe-token";

const appSecret = "test-api-secret";
const subject = { shop: "maple.myshopify.com", customerShopifyId: "9007199254740993", channel: "email" } as const;
const march = new Date("2027-03-01T09:00:00Z");
const days = (n: number) => n * 24 * 60 * 60 * 1000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

const oldKey = { id: "u2026", secret: Buffer.alloc(32, 7) };
const newKey = { id: "u2027", secret: Buffer.alloc(32, 9) };
const ring = keyRing([oldKey]);
const rotated = keyRing([newKey, oldKey]);
const verify = (token: string, keys = ring, now = march, legacySecret: string | null = appSecret) => verifyUnsubscribeToken(token, { keys, legacySecret, now });
const ok = (s: UnsubscribeSubject) => ({ ok: true, subject: s });

describe("unsubscribe tokens", () => {
  it("name the key, the shop, the customer, the channel and the expiry, signed with that key", () => {
    const token = signUnsubscribeToken(subject, ring, march);
    const [kid, payload, signature] = token.split(".");
    expect(kid).toBe("u2026");
    // 400 days after it was made, in unix seconds, then the subject.
    const text = `${Date.parse("2028-04-04T09:00:00Z") / 1000}\nmaple.myshopify.com\n9007199254740993\nemail`;
    expect(Buffer.from(payload!, "base64url").toString()).toBe(text);
    expect(signature).toBe(createHmac("sha256", oldKey.secret).update(`membercare:unsubscribe:v2\nu2026\n${text}`).digest("base64url"));
    expect(verify(token)).toEqual(ok(subject));
    expect(verify(signUnsubscribeToken({ ...subject, channel: "sms" }, ring, march))).toEqual(ok({ ...subject, channel: "sms" }));
  });

  it("keep working after a rotation while the old key stays in the ring; new links use the new key", () => {
    const before = signUnsubscribeToken(subject, ring, march);
    const after = signUnsubscribeToken(subject, rotated, march);
    expect(after.split(".")[0]).toBe("u2027");
    expect(verify(before, rotated)).toEqual(ok(subject));
    expect(verify(after, rotated)).toEqual(ok(subject));
    // The old key dropped from the ring: its links stop, the new ones do not.
    const retired = keyRing([newKey]);
    expect(verify(before, retired)).toEqual({ ok: false, reason: "invalid" });
    expect(verify(after, retired)).toEqual(ok(subject));
    // A ring that never held the new key cannot check a new link.
    expect(verify(after, ring)).toEqual({ ok: false, reason: "invalid" });
  });

  it("expire 400 days after they were made, as of the time given (not the machine's)", () => {
    const token = signUnsubscribeToken(subject, ring, march);
    expect(verify(token, ring, at(march, days(399)))).toEqual(ok(subject));
    expect(verify(token, ring, at(march, days(400) - 1000))).toEqual(ok(subject));
    // Expired: still known to be ours (the subject is there for the page's language), but not ok.
    expect(verify(token, ring, at(march, days(400)))).toEqual({ ok: false, reason: "expired", subject });
    expect(verify(token, ring, at(march, days(4000)))).toEqual({ ok: false, reason: "expired", subject });
  });

  it("refuse a token whose subject, expiry, key id or signature was changed, or that was cut short", () => {
    const token = signUnsubscribeToken(subject, rotated, march);
    const [kid, payload, signature] = token.split(".") as [string, string, string];
    const text = Buffer.from(payload, "base64url").toString();
    const otherCustomer = Buffer.from(text.replace("9007199254740993", "9007199254740994")).toString("base64url");
    const longer = Buffer.from(text.replace(/^\d+/, String(Date.parse("2040-01-01T00:00:00Z") / 1000))).toString("base64url");
    const flipped = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    for (const bad of [`${kid}.${otherCustomer}.${signature}`, `${kid}.${longer}.${signature}`, `u2026.${payload}.${signature}`, `${kid}.${payload}.${flipped}`, token.slice(0, -1), `${kid}.${payload}`, "", "not a token", `nokey.${payload}.${signature}`]) {
      expect(verify(bad, rotated)).toEqual({ ok: false, reason: "invalid" });
    }
    // An expired token made longer by hand is forged, not "expired".
    expect(verify(`${kid}.${longer}.${signature}`, rotated, at(march, days(500)))).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuse a correctly signed payload that is not a subject, or a signature made for another purpose", () => {
    const forge = (text: string, purpose = "membercare:unsubscribe:v2") => `u2026.${Buffer.from(text).toString("base64url")}.${createHmac("sha256", oldKey.secret).update(`${purpose}\nu2026\n${text}`).digest("base64url")}`;
    const exp = Date.parse("2028-01-01T00:00:00Z") / 1000;
    expect(verify(forge(`${exp}\nmaple.myshopify.com\n1\nemail`))).toEqual(ok({ shop: "maple.myshopify.com", customerShopifyId: "1", channel: "email" }));
    expect(verify(forge(`${exp}\nmaple.myshopify.com\n1\nflow`))).toEqual({ ok: false, reason: "invalid" });
    expect(verify(forge(`${exp}\nmaple.myshopify.com\n1\nemail\nextra`))).toEqual({ ok: false, reason: "invalid" });
    expect(verify(forge(`${exp}\n\n1\nemail`))).toEqual({ ok: false, reason: "invalid" });
    expect(verify(forge(`soon\nmaple.myshopify.com\n1\nemail`))).toEqual({ ok: false, reason: "invalid" });
    // Signed for another kind of link (say, a sender confirmation) with the same key.
    expect(verify(forge(`${exp}\nmaple.myshopify.com\n1\nemail`, "membercare:sender-confirmation:v1"))).toEqual({ ok: false, reason: "invalid" });
  });

  it("carry a membership topic when the link stops membership emails (ADR 0011)", () => {
    const membership = signUnsubscribeToken({ ...subject, topic: "membership" }, ring, march);
    expect(verify(membership)).toEqual(ok({ ...subject, topic: "membership" }));
    expect(membership).not.toBe(signUnsubscribeToken(subject, ring, march));
    expect(signUnsubscribeToken({ ...subject, topic: "marketing" }, ring, march)).toBe(signUnsubscribeToken(subject, ring, march));
  });

  it("refuse to sign a value that would shift the fields", () => {
    expect(() => signUnsubscribeToken({ ...subject, customerShopifyId: "1\nsms" }, ring, march)).toThrow();
    expect(() => signUnsubscribeToken({ ...subject, shop: "" }, ring, march)).toThrow();
  });
});

describe("links sent before key rings (signed with the app secret, no key id, no expiry)", () => {
  // As the app signed them until now: the payload, then HMAC-SHA256 of the app secret.
  const legacy = (text: string, secret = appSecret) => `${Buffer.from(text).toString("base64url")}.${createHmac("sha256", secret).update(`membercare:unsubscribe:v1\n${text}`).digest("base64url")}`;

  it("keep working while the app secret is unchanged, however old", () => {
    expect(verify(legacy("maple.myshopify.com\n1\nemail"), rotated, at(march, days(3000)))).toEqual(ok({ shop: "maple.myshopify.com", customerShopifyId: "1", channel: "email" }));
    expect(verify(legacy("maple.myshopify.com\n1\nemail\nmembership"))).toEqual(ok({ shop: "maple.myshopify.com", customerShopifyId: "1", channel: "email", topic: "membership" }));
    expect(signLegacyUnsubscribeToken(subject, appSecret)).toBe(legacy("maple.myshopify.com\n9007199254740993\nemail"));
  });

  it("stop once the app secret is rotated, and are refused when tampered with or not a subject", () => {
    const token = legacy("maple.myshopify.com\n1\nemail");
    expect(verify(token, ring, march, "rotated-app-secret")).toEqual({ ok: false, reason: "invalid" });
    expect(verify(token, ring, march, null)).toEqual({ ok: false, reason: "invalid" });
    const [, signature] = token.split(".");
    expect(verify(`${Buffer.from("maple.myshopify.com\n2\nemail").toString("base64url")}.${signature}`)).toEqual({ ok: false, reason: "invalid" });
    expect(verify(legacy("maple.myshopify.com\n1\nflow"))).toEqual({ ok: false, reason: "invalid" });
    expect(verify(legacy("maple.myshopify.com\n1\nemail\nnewsletter"))).toEqual({ ok: false, reason: "invalid" });
    // A webhook-style HMAC over the same text (no purpose label) is not accepted.
    const text = "maple.myshopify.com\n1\nemail";
    expect(verify(`${Buffer.from(text).toString("base64url")}.${createHmac("sha256", appSecret).update(text).digest("base64url")}`)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("key rings", () => {
  const b64 = (fill: number, length = 32) => Buffer.alloc(length, fill).toString("base64");

  it("read kid:base64key pairs, the first current", () => {
    const parsed = parseKeyRing(`k2:${b64(2)}, k1:${Buffer.alloc(32, 1).toString("base64url")}`, { minBytes: 32 });
    expect(parsed.current.id).toBe("k2");
    expect(parsed.current.secret).toEqual(Buffer.alloc(32, 2));
    expect([...parsed.byId.keys()]).toEqual(["k2", "k1"]);
    expect(parsed.byId.get("k1")!.secret).toEqual(Buffer.alloc(32, 1));
  });

  it("refuse short keys, wrong lengths, bad ids, duplicates and empty rings, naming the problem and not the key", () => {
    expect(() => parseKeyRing(`k1:${b64(1, 16)}`, { minBytes: 32 })).toThrow(/k1 is 16 bytes, fewer than 32 \(generate one with: openssl rand -base64 32\)/);
    expect(() => parseKeyRing(`k1:${b64(1, 48)}`, { exactBytes: 32 })).toThrow(/k1 is 48 bytes, not 32/);
    expect(() => parseKeyRing(b64(1), { minBytes: 32 })).toThrow(/entry 1 is not kid:base64key/);
    expect(() => parseKeyRing(`k.1:${b64(1)}`, { minBytes: 32 })).toThrow(/key id "k.1"/);
    expect(() => parseKeyRing(`k1:${b64(1)},k1:${b64(2)}`, { minBytes: 32 })).toThrow(/k1 appears twice/);
    expect(() => parseKeyRing(`k1:not base64!`, { minBytes: 32 })).toThrow(/k1 is not base64/);
    expect(() => parseKeyRing(" , ", { minBytes: 32 })).toThrow(/at least one key/);
    let message = "";
    try {
      parseKeyRing(`k1:${b64(5, 16)}`, { minBytes: 32 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain(b64(5, 16));
  });
});
