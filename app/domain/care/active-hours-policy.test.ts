// The contact policy with a customer's active hours (issue 10): a message that
// allows it is moved into the window in the customer's own zone, after quiet
// hours and caps; a window it cannot reach in time gives way.
import { decide, type PolicyInput, type PolicyMessage } from "./contact-policy";
import { DEFAULT_CARE_SETTINGS, type CareSettings } from "./settings";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const evening = { startHour: 19, hours: 3 };

function input(overrides: { message?: Partial<PolicyMessage>; settings?: Partial<CareSettings>; recentSends?: Date[]; now?: Date } = {}): PolicyInput {
  const now = overrides.now ?? new Date("2026-03-02T02:00:00Z"); // 10:00 in Shanghai (UTC+8)
  return {
    message: { messageClass: "marketing", channel: "email", priority: 10, plannedAt: now, expiresAt: new Date(now.getTime() + 3 * DAY), allowWithoutConsent: false, activeHours: evening, ...overrides.message },
    customer: { emailConsent: "SUBSCRIBED", smsConsent: null, email: "ann@example.com", phone: null, timeZone: "Asia/Shanghai" },
    shopTimeZone: "America/New_York",
    settings: { ...DEFAULT_CARE_SETTINGS, ...overrides.settings },
    recentSends: overrides.recentSends ?? [],
    now,
  };
}

describe("active hours in the contact policy", () => {
  it("defers a morning message to the start of the customer's evening window in their zone", () => {
    expect(decide(input())).toEqual({
      decision: "defer",
      until: new Date("2026-03-02T11:00:00Z"), // 19:00 in Shanghai
      reason: "activeHours",
      waitedFor: ["activeHours"],
      timeZone: "Asia/Shanghai",
      activeHours: { startHour: 19, hours: 3, placed: true },
    });
  });

  it("sends at once inside the window, saying so", () => {
    expect(decide(input({ now: new Date("2026-03-02T12:30:00Z") }))).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai", activeHours: { startHour: 19, hours: 3, placed: true } });
  });

  it("keeps quiet hours: a window's quiet part is skipped to the next evening", () => {
    // 21:30 in Shanghai: quiet until 09:00, then the window opens at 19:00 the next day.
    const decision = decide(input({ now: new Date("2026-03-02T13:30:00Z") }));
    expect(decision).toMatchObject({ decision: "defer", until: new Date("2026-03-03T11:00:00Z"), reason: "activeHours", waitedFor: ["quietHours", "activeHours"] });
  });

  it("keeps the cap: the first window moment with a free slot", () => {
    // The 72-hour cap frees at 20:30 Shanghai time on the 4th, inside the window: the cap is why.
    const inWindow = decide(input({ recentSends: [new Date("2026-03-01T12:30:00Z")] }));
    expect(inWindow).toMatchObject({ decision: "defer", until: new Date("2026-03-04T12:30:00Z"), reason: "frequencyCap", waitedFor: ["frequencyCap"] });
    // It frees at 10:00 on the 4th: the window moves it on to 19:00 that day.
    const morning = decide(input({ recentSends: [new Date("2026-03-01T02:00:00Z")] }));
    expect(morning).toMatchObject({ decision: "defer", until: new Date("2026-03-04T11:00:00Z"), reason: "activeHours", waitedFor: ["frequencyCap", "activeHours"] });
  });

  it("gives way when no window moment comes before the message expires, or quiet hours cover the window", () => {
    const soon = decide(input({ message: { expiresAt: new Date("2026-03-02T06:00:00Z") } }));
    expect(soon).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai", activeHours: { startHour: 19, hours: 3, placed: false } });
    const night = decide(input({ message: { activeHours: { startHour: 22, hours: 3 } } }));
    expect(night).toMatchObject({ decision: "send", activeHours: { placed: false } });
  });

  it("changes nothing for a message that does not allow it", () => {
    expect(decide(input({ message: { activeHours: null } }))).toEqual({ decision: "send", reason: "allowed", timeZone: "Asia/Shanghai" });
  });
});
