import { localParts, resolveTimeZone, zonedTimeToUtc } from "../local-time";
import { capConstraint, decide, dispatchOrder, quietHoursConstraint, type PolicyCustomer, type PolicyInput, type PolicyMessage } from "./contact-policy";
import { DEFAULT_CARE_SETTINGS, type CareSettings } from "./settings";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);

const subscribed: PolicyCustomer = { emailConsent: "SUBSCRIBED", smsConsent: "SUBSCRIBED", email: "ann@example.com", phone: "+14155550100", timeZone: "Asia/Shanghai" };

function input(overrides: { message?: Partial<PolicyMessage>; customer?: Partial<PolicyCustomer>; settings?: Partial<CareSettings>; recentSends?: Date[]; now?: Date; shopTimeZone?: string } = {}): PolicyInput {
  const now = overrides.now ?? at("2026-03-02T04:00:00Z"); // 12:00 in Shanghai (UTC+8)
  return {
    message: { messageClass: "marketing", channel: "email", priority: 10, plannedAt: now, expiresAt: new Date(now.getTime() + 7 * DAY), allowWithoutConsent: false, ...overrides.message },
    customer: { ...subscribed, ...overrides.customer },
    shopTimeZone: overrides.shopTimeZone ?? "America/New_York",
    settings: { ...DEFAULT_CARE_SETTINGS, ...overrides.settings },
    recentSends: overrides.recentSends ?? [],
    now,
  };
}

describe("membership messages (a tier change, a downgrade warning: ADR 0011)", () => {
  const membership = { messageClass: "transactional" as const, allowWithoutConsent: true, membership: true };
  const allChannels = { channels: { email: true, sms: true, flow: true } };

  it.each(["NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", null])("emails a member whose marketing consent is %s", (state) => {
    expect(decide(input({ message: membership, customer: { emailConsent: state } })).decision).toBe("send");
  });

  it("texts only a member with SMS consent, whatever the flow allows", () => {
    const sms = { ...membership, channel: "sms" as const };
    expect(decide(input({ message: sms, customer: { smsConsent: "NOT_SUBSCRIBED" }, settings: allChannels }))).toEqual({ decision: "block", reason: "noConsent" });
    expect(decide(input({ message: sms, customer: { smsConsent: null, emailConsent: "SUBSCRIBED" }, settings: allChannels }))).toEqual({ decision: "block", reason: "noConsent" });
    expect(decide(input({ message: sms, customer: { smsConsent: "SUBSCRIBED" }, settings: allChannels })).decision).toBe("send");
  });

  it("respects a member who opted out of membership emails, even one subscribed to marketing", () => {
    expect(decide(input({ message: membership, customer: { membershipEmailOptOut: true } }))).toEqual({ decision: "block", reason: "unsubscribed" });
    expect(decide(input({ message: { ...membership, channel: "flow" }, customer: { membershipEmailOptOut: true }, settings: allChannels }))).toEqual({ decision: "block", reason: "unsubscribed" });
    // The opt-out is about membership emails: marketing to a subscriber goes on.
    expect(decide(input({ customer: { membershipEmailOptOut: true } })).decision).toBe("send");
  });

  it("follows a merchant who requires marketing consent for them", () => {
    expect(decide(input({ message: { ...membership, allowWithoutConsent: false }, customer: { emailConsent: "NOT_SUBSCRIBED" } }))).toEqual({ decision: "block", reason: "noConsent" });
    expect(decide(input({ message: { ...membership, allowWithoutConsent: false } })).decision).toBe("send");
  });

  it("still needs an address, and still waits out quiet hours in the member's zone", () => {
    expect(decide(input({ message: membership, customer: { email: null, emailConsent: null } }))).toEqual({ decision: "block", reason: "noAddress" });
    // 23:00 in Shanghai: put off to 09:00 there.
    expect(decide(input({ message: membership, customer: { emailConsent: "NOT_SUBSCRIBED" }, now: at("2026-03-02T15:00:00Z") }))).toMatchObject({ decision: "defer", reason: "quietHours", until: at("2026-03-03T01:00:00Z") });
  });
});

describe("consent, address and channel", () => {
  it("sends a marketing email to a subscribed customer at noon in their zone", () => {
    expect(decide(input())).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai" });
  });

  it.each(["NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", "REDACTED", "INVALID", null])("blocks marketing email when email consent is %s", (state) => {
    expect(decide(input({ customer: { emailConsent: state } }))).toEqual({ decision: "block", reason: "noConsent" });
  });

  it("takes SMS consent for SMS, not email consent", () => {
    const smsOn = { channels: { email: true, sms: true, flow: false } };
    expect(decide(input({ message: { channel: "sms" }, customer: { smsConsent: "UNSUBSCRIBED" }, settings: smsOn }))).toEqual({ decision: "block", reason: "noConsent" });
    expect(decide(input({ message: { channel: "sms" }, customer: { emailConsent: "NOT_SUBSCRIBED" }, settings: smsOn })).decision).toBe("send");
  });

  it("lets a transactional message go without consent only when its flow allows it", () => {
    const unsubscribed = { emailConsent: "UNSUBSCRIBED" };
    expect(decide(input({ message: { messageClass: "transactional", allowWithoutConsent: true }, customer: unsubscribed })).decision).toBe("send");
    expect(decide(input({ message: { messageClass: "transactional", allowWithoutConsent: false }, customer: unsubscribed }))).toEqual({ decision: "block", reason: "noConsent" });
    // Marketing never goes without consent, whatever the flag says.
    expect(decide(input({ message: { messageClass: "marketing", allowWithoutConsent: true }, customer: unsubscribed }))).toEqual({ decision: "block", reason: "noConsent" });
  });

  it("blocks without an address on the channel, even transactional", () => {
    expect(decide(input({ customer: { email: null } }))).toEqual({ decision: "block", reason: "noAddress" });
    expect(decide(input({ customer: { email: "  " }, message: { messageClass: "transactional", allowWithoutConsent: true } }))).toEqual({ decision: "block", reason: "noAddress" });
    expect(decide(input({ message: { channel: "sms" }, customer: { phone: null }, settings: { channels: { email: true, sms: true, flow: false } } }))).toEqual({ decision: "block", reason: "noAddress" });
  });

  it("blocks on a channel the shop switched off (SMS and Flow are off by default)", () => {
    expect(decide(input({ message: { channel: "sms" } }))).toEqual({ decision: "block", reason: "channelOff" });
    expect(decide(input({ message: { channel: "flow" } }))).toEqual({ decision: "block", reason: "channelOff" });
    expect(decide(input({ settings: { channels: { email: false, sms: false, flow: false } } }))).toEqual({ decision: "block", reason: "channelOff" });
  });

  it("hands a Flow trigger over without an address, with marketing consent on either channel", () => {
    const flowOn = { channels: { email: true, sms: true, flow: true } };
    const noAddress = { email: null, phone: null };
    expect(decide(input({ message: { channel: "flow" }, settings: flowOn, customer: { ...noAddress, emailConsent: "NOT_SUBSCRIBED", smsConsent: "SUBSCRIBED" } })).decision).toBe("send");
    expect(decide(input({ message: { channel: "flow" }, settings: flowOn, customer: { ...noAddress, emailConsent: "NOT_SUBSCRIBED", smsConsent: null } }))).toEqual({ decision: "block", reason: "noConsent" });
  });
});

describe("validity", () => {
  it("expires a message whose window has ended", () => {
    const now = at("2026-03-02T04:00:00Z");
    expect(decide(input({ now, message: { expiresAt: now } }))).toEqual({ decision: "expire", reason: "pastValidity" });
  });

  it("expires rather than defers when the next allowed moment is past the window", () => {
    // 22:00 in Shanghai; quiet until 09:00, but the message is valid only until 23:00.
    const now = at("2026-03-02T14:00:00Z");
    expect(decide(input({ now, message: { expiresAt: at("2026-03-02T15:00:00Z") } }))).toEqual({
      decision: "expire",
      reason: "pastValidity",
      wouldSendAt: at("2026-03-03T01:00:00Z"),
      waitedFor: ["quietHours"],
    });
  });
});

describe("quiet hours in the customer's zone", () => {
  it("defers a message due at 22:00 local to 09:00 the next local morning", () => {
    expect(decide(input({ now: at("2026-03-02T14:00:00Z") }))).toEqual({ decision: "defer", until: at("2026-03-03T01:00:00Z"), reason: "quietHours", waitedFor: ["quietHours"], timeZone: "Asia/Shanghai" });
  });

  it("defers a message due at 03:00 local to 09:00 the same local day", () => {
    // 03:00 on 3 March in Shanghai is 19:00 UTC on 2 March.
    expect(decide(input({ now: at("2026-03-02T19:00:00Z") }))).toMatchObject({ decision: "defer", until: at("2026-03-03T01:00:00Z") });
  });

  it("holds for transactional messages too", () => {
    expect(decide(input({ now: at("2026-03-02T14:00:00Z"), message: { messageClass: "transactional", allowWithoutConsent: true } }))).toMatchObject({ decision: "defer", reason: "quietHours" });
  });

  it("sends at 21:00 minus a second and from 09:00 exactly; quiet from 21:00 exactly", () => {
    expect(decide(input({ now: at("2026-03-02T12:59:59Z") })).decision).toBe("send"); // 20:59:59
    expect(decide(input({ now: at("2026-03-02T13:00:00Z") })).decision).toBe("defer"); // 21:00
    expect(decide(input({ now: at("2026-03-03T01:00:00Z") })).decision).toBe("send"); // 09:00
    expect(decide(input({ now: at("2026-03-03T00:59:30Z") }))).toMatchObject({ decision: "defer", until: at("2026-03-03T01:00:00Z") }); // 08:59:30
  });

  it("uses the shop's zone when the customer's is unknown or not a zone", () => {
    // 23:00 in New York (UTC-5 in February): quiet there, though it is noon in Shanghai.
    const now = at("2026-02-10T04:00:00Z");
    for (const timeZone of [null, "Mars/Olympus_Mons"]) {
      expect(decide(input({ now, customer: { timeZone } }))).toEqual({ decision: "defer", until: at("2026-02-10T14:00:00Z"), reason: "quietHours", waitedFor: ["quietHours"], timeZone: "America/New_York" });
    }
    expect(resolveTimeZone(null, "Nowhere/Else")).toBe("UTC");
  });

  it("finds 09:00 across the spring-forward night (New York, 8 March 2026)", () => {
    // 23:00 EST on 7 March; the clocks go forward at 02:00; 09:00 EDT is 13:00 UTC.
    expect(decide(input({ now: at("2026-03-08T04:00:00Z"), customer: { timeZone: "America/New_York" } }))).toMatchObject({ decision: "defer", until: at("2026-03-08T13:00:00Z") });
  });

  it("finds 09:00 across the fall-back night (New York, 1 November 2026)", () => {
    // 23:00 EDT on 31 October; the clocks go back at 02:00; 09:00 EST is 14:00 UTC.
    expect(decide(input({ now: at("2026-11-01T03:00:00Z"), customer: { timeZone: "America/New_York" } }))).toMatchObject({ decision: "defer", until: at("2026-11-01T14:00:00Z") });
  });

  it("finds 09:00 in a zone with a half-hour offset and in one south of the equator in its summer", () => {
    // Kolkata UTC+5:30: 22:00 local is 16:30 UTC; 09:00 is 03:30 UTC.
    expect(decide(input({ now: at("2026-03-02T16:30:00Z"), customer: { timeZone: "Asia/Kolkata" } }))).toMatchObject({ until: at("2026-03-03T03:30:00Z") });
    // Sydney in January is UTC+11 (daylight time): 23:00 local is 12:00 UTC; 09:00 is 22:00 UTC.
    expect(decide(input({ now: at("2026-01-15T12:00:00Z"), customer: { timeZone: "Australia/Sydney" } }))).toMatchObject({ until: at("2026-01-15T22:00:00Z") });
  });

  it("applies quiet hours that do not wrap midnight, and none when start equals end", () => {
    const lunch = { quietHours: { start: "12:00", end: "14:00" } };
    expect(decide(input({ settings: lunch }))).toMatchObject({ decision: "defer", until: at("2026-03-02T06:00:00Z") }); // 12:00 -> 14:00 Shanghai
    expect(decide(input({ settings: lunch, now: at("2026-03-02T14:00:00Z") })).decision).toBe("send"); // 22:00 is fine then
    expect(decide(input({ settings: { quietHours: { start: "00:00", end: "00:00" } }, now: at("2026-03-02T19:00:00Z") })).decision).toBe("send"); // 03:00
  });

  it("ends quiet hours on the second 01:30 when the first has already passed in the repeated hour", () => {
    const quiet = quietHoursConstraint({ start: "01:00", end: "01:30" }, "America/New_York");
    // 01:15 EDT (05:15 UTC): ends at 01:30 EDT (05:30 UTC).
    expect(quiet(at("2026-11-01T05:15:00Z").getTime())).toEqual({ next: at("2026-11-01T05:30:00Z").getTime(), reason: "quietHours" });
    // 01:15 EST, the second time round (06:15 UTC): ends at 01:30 EST (06:30 UTC).
    expect(quiet(at("2026-11-01T06:15:00Z").getTime())).toEqual({ next: at("2026-11-01T06:30:00Z").getTime(), reason: "quietHours" });
  });
});

describe("wall-clock times to instants", () => {
  it("moves a time skipped in spring forward by the gap and takes the first of a repeated time", () => {
    expect(new Date(zonedTimeToUtc(2026, 3, 8, 2, 30, "America/New_York"))).toEqual(at("2026-03-08T07:30:00Z")); // 03:30 EDT
    expect(new Date(zonedTimeToUtc(2026, 11, 1, 1, 30, "America/New_York"))).toEqual(at("2026-11-01T05:30:00Z")); // 01:30 EDT
    expect(new Date(zonedTimeToUtc(2026, 7, 1, 9, 0, "Europe/London"))).toEqual(at("2026-07-01T08:00:00Z"));
    expect(localParts(at("2026-03-08T07:30:00Z").getTime(), "America/New_York")).toEqual({ year: 2026, month: 3, day: 8, hour: 3, minute: 30, second: 0 });
  });
});

describe("frequency caps (marketing)", () => {
  const noon = at("2026-03-02T04:00:00Z"); // 12:00 Shanghai

  it("defers a second marketing message by 72 hours from the first", () => {
    const first = new Date(noon.getTime() - 2 * HOUR);
    expect(decide(input({ now: noon, recentSends: [first] }))).toEqual({
      decision: "defer",
      until: new Date(first.getTime() + 72 * HOUR),
      reason: "frequencyCap",
      waitedFor: ["frequencyCap"],
      timeZone: "Asia/Shanghai",
    });
    // Once 72 hours have passed, it goes.
    expect(decide(input({ now: new Date(first.getTime() + 72 * HOUR), recentSends: [first] })).decision).toBe("send");
  });

  it("lets a transactional message through a full cap, unless the shop caps those too", () => {
    const recentSends = [new Date(noon.getTime() - HOUR)];
    const transactional = { messageClass: "transactional" as const, allowWithoutConsent: true };
    expect(decide(input({ message: transactional, recentSends })).decision).toBe("send");
    expect(decide(input({ message: transactional, recentSends, settings: { capTransactional: true } }))).toMatchObject({ decision: "defer", reason: "frequencyCap" });
  });

  it("waits for the longest-full cap: four in 30 days frees when the oldest of the four leaves the window", () => {
    const sends = [20, 15, 10, 5].map((days) => new Date(noon.getTime() - days * DAY));
    const message = { expiresAt: new Date(noon.getTime() + 30 * DAY) };
    expect(decide(input({ now: noon, recentSends: sends, message }))).toMatchObject({ decision: "defer", until: new Date(sends[0].getTime() + 30 * DAY), reason: "frequencyCap" });
    // Three in the window: only the 72-hour cap matters, and it is free.
    expect(decide(input({ now: noon, recentSends: sends.slice(1) })).decision).toBe("send");
  });

  it("moves a slot that frees at night on to the next morning, and says the cap caused it", () => {
    // The last one went at 19:30 Shanghai time on 27 February; quiet hours here start at 19:00.
    const sent = at("2026-02-27T11:30:00Z");
    const now = at("2026-03-02T04:00:00Z");
    // The slot frees at 19:30 on 2 March, inside quiet hours: the message waits for 09:00 on 3 March.
    expect(decide(input({ now, recentSends: [sent], settings: { quietHours: { start: "19:00", end: "09:00" } } }))).toEqual({
      decision: "defer",
      until: at("2026-03-03T01:00:00Z"),
      reason: "frequencyCap",
      waitedFor: ["frequencyCap", "quietHours"],
      timeZone: "Asia/Shanghai",
    });
  });

  it("keeps moving until quiet hours and every cap hold at once", () => {
    // 2 per 24 h and 3 per 7 days. Quiet hours 21:00-09:00 in UTC.
    const settings = { caps: [{ messages: 2, hours: 24 }, { messages: 3, hours: 168 }], quietHours: { start: "21:00", end: "09:00" } };
    const customer = { timeZone: "UTC" };
    const now = at("2026-03-10T22:00:00Z"); // quiet until 09:00 on the 11th
    // Three sends in the week: the week's cap frees when the first leaves it, 4 March 23:00 + 7 days = 11 March 23:00 (quiet again).
    const recentSends = [at("2026-03-04T23:00:00Z"), at("2026-03-08T10:00:00Z"), at("2026-03-10T12:00:00Z")];
    expect(decide(input({ now, customer, settings, recentSends }))).toMatchObject({ decision: "defer", until: at("2026-03-12T09:00:00Z"), reason: "frequencyCap" });
  });

  it("counts sends in flight and sends in any order, and none older than the window", () => {
    const cap = capConstraint([{ messages: 2, hours: 10 }], [at("2026-03-02T09:00:00Z"), at("2026-03-02T01:00:00Z"), at("2026-03-01T00:00:00Z")]);
    expect(cap(at("2026-03-02T10:00:00Z").getTime())).toEqual({ next: at("2026-03-02T11:00:00Z").getTime(), reason: "frequencyCap" });
    expect(cap(at("2026-03-02T11:00:00Z").getTime())).toBeNull();
  });

  it("has no cap with an empty list of caps", () => {
    expect(decide(input({ settings: { caps: [] }, recentSends: [new Date(Date.UTC(2026, 2, 2, 3))] })).decision).toBe("send");
  });

  it("defers, not drops: a message over the cap keeps its place until it expires", () => {
    const first = new Date(noon.getTime() - HOUR);
    expect(decide(input({ now: noon, recentSends: [first], message: { expiresAt: new Date(noon.getTime() + 71 * HOUR) } }))).toMatchObject({ decision: "expire", reason: "pastValidity" });
    expect(decide(input({ now: noon, recentSends: [first], message: { expiresAt: new Date(noon.getTime() + 72 * HOUR) } }))).toMatchObject({ decision: "defer" });
  });
});

describe("priority", () => {
  it("puts a customer's due messages in priority order, then planned order, then id", () => {
    const t = (hours: number) => new Date(Date.UTC(2026, 2, 2, hours));
    const messages = [
      { id: "d", priority: 20, plannedAt: t(1) },
      { id: "c", priority: 10, plannedAt: t(3) },
      { id: "b", priority: 10, plannedAt: t(2) },
      { id: "a", priority: 10, plannedAt: t(2) },
    ];
    expect(dispatchOrder(messages).map((message) => message.id)).toEqual(["a", "b", "c", "d"]);
  });

  it("lets the first in priority order take the slot and defers the next (as the dispatcher feeds them)", () => {
    const now = at("2026-03-02T04:00:00Z");
    const sends: Date[] = [];
    const outcomes = dispatchOrder([
      { id: "winBack", priority: 50, plannedAt: now },
      { id: "replenishment", priority: 20, plannedAt: now },
    ]).map((message) => {
      const decision = decide(input({ now, recentSends: sends, message: { priority: message.priority } }));
      if (decision.decision === "send") sends.push(now);
      return [message.id, decision.decision];
    });
    expect(outcomes).toEqual([["replenishment", "send"], ["winBack", "defer"]]);
  });
});
