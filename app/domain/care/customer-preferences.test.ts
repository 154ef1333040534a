import { decide, type PolicyCustomer, type PolicyInput, type PolicyMessage } from "./contact-policy";
import { NO_PREFERENCES, readContactPreferences, type ContactPreferences } from "./customer-preferences";
import { DEFAULT_CARE_SETTINGS, type CareSettings } from "./settings";

// Shanghai is UTC+8 all year: 02:00Z is 10:00 there, 09:00Z is 17:00, 13:00Z is 21:00.
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TEN_LOCAL = at("2026-03-02T02:00:00Z");

const customer: PolicyCustomer = { emailConsent: "SUBSCRIBED", smsConsent: "SUBSCRIBED", email: "ann@example.com", phone: "+8613800138000", timeZone: "Asia/Shanghai" };
const file = (values: Partial<ContactPreferences>): ContactPreferences => ({ ...NO_PREFERENCES, ...values });
const smsOn: Partial<CareSettings> = { channels: { email: true, sms: true, flow: false } };

function input(overrides: { message?: Partial<PolicyMessage>; customer?: Partial<PolicyCustomer>; settings?: Partial<CareSettings>; recentSends?: Date[]; now?: Date } = {}): PolicyInput {
  const now = overrides.now ?? TEN_LOCAL;
  return {
    message: { messageClass: "transactional", channel: "email", priority: 40, plannedAt: now, expiresAt: new Date(now.getTime() + 3 * DAY), allowWithoutConsent: true, ...overrides.message },
    customer: { ...customer, ...overrides.customer },
    shopTimeZone: "Europe/London",
    settings: { ...DEFAULT_CARE_SETTINGS, ...overrides.settings },
    recentSends: overrides.recentSends ?? [],
    now,
  };
}

describe("does not want promotions", () => {
  const noPromotions = file({ acceptsPromotions: false });

  it("blocks a marketing message to a customer subscribed in Shopify", () => {
    expect(decide(input({ message: { messageClass: "marketing", allowWithoutConsent: false }, customer: { file: noPromotions } }))).toEqual({ decision: "block", reason: "noPromotions" });
    expect(decide(input({ message: { messageClass: "marketing", allowWithoutConsent: false, channel: "sms" }, customer: { file: noPromotions }, settings: smsOn }))).toEqual({ decision: "block", reason: "noPromotions" });
  });

  it("leaves transactional messages alone", () => {
    expect(decide(input({ customer: { file: noPromotions } }))).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai" });
    expect(decide(input({ message: { membership: true }, customer: { file: noPromotions, emailConsent: "NOT_SUBSCRIBED" } }))).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai" });
  });

  it("does not stand in for consent when the file welcomes promotions", () => {
    const marketing = { messageClass: "marketing" as const, allowWithoutConsent: false };
    expect(decide(input({ message: marketing, customer: { file: file({ acceptsPromotions: true }), emailConsent: "NOT_SUBSCRIBED" } }))).toEqual({ decision: "block", reason: "noConsent" });
    expect(decide(input({ message: marketing, customer: { file: file({ acceptsPromotions: true }) } })).decision).toBe("send");
  });
});

describe("prefers a call, or no messages", () => {
  it.each(["phone", "none"] as const)("turns an automated touch into a staff follow-up (%s)", (preferred) => {
    const prefers = file({ preferredChannel: preferred });
    expect(decide(input({ customer: { file: prefers } }))).toEqual({ decision: "followUp", reason: "staffFollowUp", preferredChannel: preferred });
    expect(decide(input({ message: { messageClass: "marketing", allowWithoutConsent: false }, customer: { file: prefers } }))).toEqual({ decision: "followUp", reason: "staffFollowUp", preferredChannel: preferred });
  });

  it("does not hand staff a promotion the customer said no to", () => {
    expect(decide(input({ message: { messageClass: "marketing", allowWithoutConsent: false }, customer: { file: file({ preferredChannel: "phone", acceptsPromotions: false }) } }))).toEqual({ decision: "block", reason: "noPromotions" });
  });
});

describe("preferred channel", () => {
  const textMe = file({ preferredChannel: "sms" });

  it("sends by SMS when the flow uses the customer's preferred channel and the file says SMS", () => {
    expect(decide(input({ message: { preferredChannel: true }, customer: { file: textMe }, settings: smsOn }))).toEqual({
      decision: "send",
      reason: "allowed",
      timeZone: "Asia/Shanghai",
      channel: "sms",
      file: { channel: { preferred: "sms", used: "sms" } },
    });
  });

  it("keeps a flow's fixed channel", () => {
    expect(decide(input({ customer: { file: textMe }, settings: smsOn }))).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai" });
  });

  it("gives way to the flow's channel when the message could not go on the preferred one, and says why", () => {
    const email = { preferred: "sms", used: "email" };
    expect(decide(input({ message: { preferredChannel: true }, customer: { file: textMe } }))).toMatchObject({ decision: "send", file: { channel: { ...email, gaveWay: "channelOff" } } });
    expect(decide(input({ message: { preferredChannel: true }, customer: { file: textMe, phone: null }, settings: smsOn }))).toMatchObject({ decision: "send", file: { channel: { ...email, gaveWay: "noAddress" } } });
    const marketing = { preferredChannel: true, messageClass: "marketing" as const, allowWithoutConsent: false };
    const sent = decide(input({ message: marketing, customer: { file: textMe, smsConsent: "NOT_SUBSCRIBED" }, settings: smsOn }));
    expect(sent).toMatchObject({ decision: "send", file: { channel: { ...email, gaveWay: "noConsent" } } });
    expect(sent).not.toHaveProperty("channel");
  });

  it("moves an SMS flow to email for a customer who prefers email", () => {
    expect(decide(input({ message: { preferredChannel: true, channel: "sms" }, customer: { file: file({ preferredChannel: "email" }) }, settings: smsOn }))).toMatchObject({ decision: "send", channel: "email" });
  });
});

describe("preferred contact time", () => {
  it("puts a message due at 10:00 off to 17:00 for a customer who wants evenings", () => {
    expect(decide(input({ customer: { file: file({ preferredContactTime: "evening" }) } }))).toEqual({
      decision: "defer",
      reason: "contactTime",
      until: at("2026-03-02T09:00:00Z"),
      waitedFor: ["contactTime"],
      timeZone: "Asia/Shanghai",
      file: { contactTime: { time: "evening", startHour: 17, hours: 4, placed: true } },
    });
  });

  it("sends at once inside the window, and waits for the afternoon from the morning", () => {
    expect(decide(input({ customer: { file: file({ preferredContactTime: "morning" }) } }))).toMatchObject({ decision: "send", file: { contactTime: { time: "morning", placed: true } } });
    expect(decide(input({ customer: { file: file({ preferredContactTime: "afternoon" }) } }))).toMatchObject({ decision: "defer", until: at("2026-03-02T04:00:00Z") });
    expect(decide(input({ customer: { file: file({ preferredContactTime: "any" }) } }))).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai" });
  });

  it("comes before the learned active hours", () => {
    const decision = decide(input({ message: { activeHours: { startHour: 10, hours: 3 } }, customer: { file: file({ preferredContactTime: "evening" }) } }));
    expect(decision).toMatchObject({ decision: "defer", until: at("2026-03-02T09:00:00Z"), reason: "contactTime" });
    expect(decision).not.toHaveProperty("activeHours");
  });

  it("still keeps quiet hours and the cap", () => {
    // 22:00 local: quiet until 09:00, then the evening: 17:00 the next day.
    expect(decide(input({ now: at("2026-03-02T14:00:00Z"), customer: { file: file({ preferredContactTime: "evening" }) } }))).toMatchObject({
      decision: "defer",
      until: at("2026-03-03T09:00:00Z"),
      waitedFor: ["quietHours", "contactTime"],
    });
    // A marketing send at 18:30 local the day before holds the 72-hour cap's slot until 18:30 local on the 4th: inside that evening.
    const marketing = { messageClass: "marketing" as const, allowWithoutConsent: false };
    expect(decide(input({ message: marketing, recentSends: [at("2026-03-01T10:30:00Z")], customer: { file: file({ preferredContactTime: "evening" }) } }))).toMatchObject({
      decision: "defer",
      until: at("2026-03-04T10:30:00Z"),
    });
  });

  it("gives way when quiet hours cover the window, or it cannot be reached before the message expires", () => {
    const evening = file({ preferredContactTime: "evening" });
    expect(decide(input({ settings: { quietHours: { start: "16:00", end: "09:00" } }, customer: { file: evening } }))).toMatchObject({
      decision: "send",
      file: { contactTime: { time: "evening", placed: false } },
    });
    expect(decide(input({ message: { expiresAt: at("2026-03-02T06:00:00Z") }, customer: { file: evening } }))).toMatchObject({ decision: "send", file: { contactTime: { placed: false } } });
  });
});

describe("an empty file", () => {
  it("follows the defaults: the same decisions as no file at all", () => {
    const cases: Array<Parameters<typeof input>[0]> = [
      {},
      { message: { messageClass: "marketing", allowWithoutConsent: false, preferredChannel: true } },
      { now: at("2026-03-02T14:00:00Z") },
      { message: { activeHours: { startHour: 18, hours: 3 } } },
    ];
    for (const overrides of cases) {
      const without = decide(input(overrides));
      expect(decide(input({ ...overrides, customer: { file: NO_PREFERENCES } }))).toEqual(without);
      expect(decide(input({ ...overrides, customer: { file: readContactPreferences({ preferredChannel: null, preferredContactTime: null, acceptsPromotions: null }) } }))).toEqual(without);
    }
    expect(decide(input({ customer: { file: NO_PREFERENCES } }))).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai" });
  });

  it("reads unknown stored values as not recorded", () => {
    expect(readContactPreferences({ preferredChannel: "fax", preferredContactTime: "noon", acceptsPromotions: null })).toEqual(NO_PREFERENCES);
    expect(readContactPreferences(null)).toEqual(NO_PREFERENCES);
  });
});
