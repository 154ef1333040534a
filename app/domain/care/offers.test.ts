// The rules an offer's message follows (issue 17): which messages need a
// code, what the dispatcher does in each state of the code, when the code ends
// in the customer's zone, and the code's line added to wording that lacks it.
import { validateCampaign } from "../campaigns/campaign";
import { FLOW_CATALOG, readFlowConfig, validateFlowConfig } from "./flows";
import { needsOfferCode, namesOffer, offerEndsAt, offerLastDay, offerPercent, offerRecheckMs, offerVerdict, withOfferCode } from "./offers";
import { renderMessage } from "./templates";

const NOW = new Date("2026-12-07T02:00:00Z");

describe("which messages need a code", () => {
  it("the catalog's win-back wording, in both languages and every part, names an offer and shows the code", () => {
    for (const step of ["atRisk", "dormant"]) {
      for (const locale of ["en", "zh-CN"] as const) {
        const content = FLOW_CATALOG.winBack.templates[step]![locale];
        expect(namesOffer(content)).toBe(true);
        for (const part of [content.body, content.sms]) expect(part).toContain("{{offerCode}}");
      }
    }
  });

  it("needs a code when the wording names an offer, or when the message was planned with a percentage", () => {
    expect(needsOfferCode({ body: "Hi {{firstName}}" }, {})).toBe(false);
    expect(needsOfferCode({ body: "{{discountPercent}}% off" }, {})).toBe(true);
    expect(needsOfferCode({ subject: "Your code {{offerCode}}" }, {})).toBe(true);
    expect(needsOfferCode({ body: "We miss you" }, { discountPercent: 15 })).toBe(true);
  });

  it("reads a whole percentage from 1 to 100 and nothing else", () => {
    expect(offerPercent({ discountPercent: 25 })).toBe(25);
    expect(offerPercent({ discountPercent: "15" })).toBe(15);
    for (const value of [0, -5, 101, 12.5, "", "abc", null, undefined]) expect(offerPercent({ discountPercent: value })).toBeNull();
    expect(offerPercent({})).toBeNull();
  });
});

describe("what the dispatcher does with the code", () => {
  const ends = new Date("2026-12-20T00:00:00Z");
  it("asks for a code, waits while it is made, sends with it, and never sends without one", () => {
    expect(offerVerdict(20, { state: "missing" }, NOW)).toEqual({ action: "create", percent: 20 });
    expect(offerVerdict(20, { state: "pending", code: "MC-AAAA2222", since: NOW }, NOW)).toMatchObject({ action: "wait", code: "MC-AAAA2222" });
    expect(offerVerdict(20, { state: "ready", code: "MC-AAAA2222", expiresAt: ends }, NOW)).toEqual({ action: "send", code: "MC-AAAA2222", expiresAt: ends });
    expect(offerVerdict(20, { state: "failed", code: "MC-AAAA2222", error: "Shopify refused the code: customer does not exist" }, NOW)).toEqual({ action: "failed", error: "Shopify refused the code: customer does not exist" });
  });

  it("does not send a code that has already ended", () => {
    expect(offerVerdict(20, { state: "ready", code: "MC-AAAA2222", expiresAt: NOW }, NOW)).toMatchObject({ action: "failed" });
  });

  it("blocks wording that promises an offer the message was not planned with (whatever the code's state)", () => {
    expect(offerVerdict(null, { state: "missing" }, NOW)).toEqual({ action: "noOffer" });
  });

  it("looks again sooner for a fresh code than for one pending a long time, within bounds", () => {
    expect(offerRecheckMs(null, NOW)).toBe(30_000);
    expect(offerRecheckMs(new Date(NOW.getTime() - 5_000), NOW)).toBe(30_000);
    expect(offerRecheckMs(new Date(NOW.getTime() - 4 * 60_000), NOW)).toBe(4 * 60_000);
    expect(offerRecheckMs(new Date(NOW.getTime() - 5 * 3_600_000), NOW)).toBe(15 * 60_000);
  });
});

describe("the code's end", () => {
  it("is the midnight after the last day, in the customer's zone", () => {
    // 02:00 UTC on 7 December is 10:00 on the 7th in Shanghai: 30 days on is 6 January, ending at midnight Shanghai time.
    const shanghai = offerEndsAt(NOW, 30, "Asia/Shanghai");
    expect(shanghai.toISOString()).toBe("2027-01-06T16:00:00.000Z");
    // ... and 18:00 on the 6th in Los Angeles: the last day is 5 January there.
    const losAngeles = offerEndsAt(NOW, 30, "America/Los_Angeles");
    expect(losAngeles.toISOString()).toBe("2027-01-06T08:00:00.000Z");
    expect(new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(offerLastDay(losAngeles))).toBe("2027-01-05");
  });
});

describe("wording without the code", () => {
  const options = { locale: "en", unsubscribeUrl: null, shopName: "Maple & Co" };
  it("gets the code's line in the customer's language, in the body and the SMS", () => {
    const content = withOfferCode({ subject: "{{discountPercent}}% off", body: "Hi {{firstName}}, {{discountPercent}}% off for you.", sms: "{{discountPercent}}% off" }, "en");
    const rendered = renderMessage(content, { firstName: "Ava", discountPercent: 20, offerCode: "MC-AB23CD45", offerExpiresOn: "January 5, 2027" }, options);
    expect(rendered.text).toContain("Your code: MC-AB23CD45 (one use, valid until January 5, 2027).");
    expect(rendered.sms).toContain("MC-AB23CD45");
    const zh = renderMessage(withOfferCode({ subject: "s", body: "享优惠 {{discountPercent}}%", sms: "" }, "zh-CN"), { discountPercent: 20, offerCode: "MC-AB23CD45", offerExpiresOn: "2027年1月5日" }, { ...options, locale: "zh-CN" });
    expect(zh.text).toContain("您的专属折扣码：MC-AB23CD45（限用一次，有效期至 2027年1月5日）。");
    expect(zh.sms).toBe("");
  });

  it("leaves wording that already shows the code as the merchant wrote it", () => {
    const content = { subject: "s", body: "Use {{ offerCode }} today", sms: "Code {{offerCode}}" };
    expect(withOfferCode(content, "en")).toEqual(content);
  });
});

describe("the flow editor", () => {
  const wording = (body: string) => ({ subject: "Hello {{firstName}}", body, sms: "Hi {{firstName}}" });
  it("refuses wording that promises an offer on a step that has none, and keeps it on win-back's steps", () => {
    const refused = validateFlowConfig("postDelivery", { templates: { deliveryCheck: { en: wording("Here is {{discountPercent}}% off with {{offerCode}}") } } });
    expect(refused).toMatchObject({ ok: false, errors: { "templates.deliveryCheck.en.body": { key: "care.flows.errors.noOffer" } } });
    expect(validateFlowConfig("winBack", { templates: { dormant: { "zh-CN": wording("专属折扣码 {{offerCode}}，有效期至 {{offerExpiresOn}}") } } })).toMatchObject({ ok: true });
  });

  it("keeps a flow whose stored wording predates the rule switched on (its offer messages are blocked when due, with the reason)", () => {
    const stored = { templates: { deliveryCheck: { en: wording("Here is {{discountPercent}}% off") } } };
    expect(readFlowConfig("postDelivery", true, stored)).toMatchObject({ invalid: false, config: { enabled: true } });
  });
});

describe("the campaign editor", () => {
  it("refuses wording that promises an offer: a campaign has no code to give", () => {
    const campaign = (body: string) => ({ name: "Spring tea", channel: "email", content: { en: { subject: "New teas", body, sms: "" } }, audience: {} });
    expect(validateCampaign(campaign("Enjoy {{discountPercent}}% off with {{offerCode}}"))).toMatchObject({ ok: false, errors: { "content.en.body": "campaigns.errors.noOffer" } });
    expect(validateCampaign(campaign("Our spring teas are in, {{firstName}}"))).toMatchObject({ ok: true });
  });
});
