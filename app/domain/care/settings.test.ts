import { translate } from "~/i18n";
import { CARE_SETTING_BOUNDS, DEFAULT_CARE_SETTINGS, resolveSender, validateCareSettings, type CareSettingsResult } from "./settings";

const errorsOf = (result: CareSettingsResult) => {
  if (result.ok) throw new Error("expected errors");
  return Object.fromEntries(Object.entries(result.errors).map(([path, error]) => [path, translate("en", error.key, error.vars)]));
};

describe("validateCareSettings", () => {
  it("gives every default for nothing stored, and for an empty object", () => {
    for (const input of [undefined, null, {}]) {
      const result = validateCareSettings(input);
      expect(result).toEqual({ ok: true, settings: DEFAULT_CARE_SETTINGS });
    }
    expect(DEFAULT_CARE_SETTINGS.quietHours).toEqual({ start: "21:00", end: "09:00" });
    expect(DEFAULT_CARE_SETTINGS.caps).toEqual([{ messages: 1, hours: 72 }, { messages: 4, hours: 720 }]);
    expect(DEFAULT_CARE_SETTINGS.channels).toEqual({ email: true, sms: false, flow: false });
    expect(DEFAULT_CARE_SETTINGS.capTransactional).toBe(false);
  });

  it("fills a missing field from its default and keeps the given ones", () => {
    const result = validateCareSettings({ quietHours: { start: "22:30" }, anomalies: { noUpdateDays: 3 }, channels: { sms: true }, sms: { fromNumber: "+14155550100" } });
    expect(result.ok && result.settings).toMatchObject({
      quietHours: { start: "22:30", end: "09:00" },
      anomalies: { noUpdateDays: 3, domesticTransitDays: 7, internationalTransitDays: 21, untrackedDeliveryDays: 7, notifyCustomer: true },
      channels: { email: true, sms: true, flow: false },
      sms: { fromNumber: "+14155550100" },
    });
  });

  it("accepts quiet hours that wrap midnight, that do not, and none (equal times)", () => {
    for (const quietHours of [{ start: "21:00", end: "09:00" }, { start: "01:00", end: "05:30" }, { start: "00:00", end: "00:00" }]) {
      expect(validateCareSettings({ quietHours }).ok).toBe(true);
    }
  });

  it("refuses bad times, emails and numbers with a message on the field", () => {
    expect(errorsOf(validateCareSettings({ quietHours: { start: "24:00", end: "9:00" }, sender: { fromEmail: "care@", replyTo: "not an email" }, sms: { fromNumber: "0415 555 0100" } }))).toEqual({
      "quietHours.start": "Enter a time as HH:MM, from 00:00 to 23:59.",
      "quietHours.end": "Enter a time as HH:MM, from 00:00 to 23:59.",
      "sender.fromEmail": "Enter an email address such as care@example.com.",
      "sender.replyTo": "Enter an email address such as care@example.com.",
      "sms.fromNumber": "Enter the number in international format: + and country code, such as +14155550100.",
    });
  });

  it("refuses numbers out of range or not whole, naming the range", () => {
    const { cap, anomalies } = CARE_SETTING_BOUNDS;
    expect(
      errorsOf(validateCareSettings({ caps: [{ messages: 0, hours: 72 }, { messages: 2, hours: 1.5 }], anomalies: { noUpdateDays: 61 }, validityDefaultDays: -1 })),
    ).toEqual({
      "caps.0.messages": `Enter a whole number between ${cap.messages.min} and ${cap.messages.max}.`,
      "caps.1.hours": `Enter a whole number between ${cap.hours.min} and ${cap.hours.max}.`,
      "anomalies.noUpdateDays": `Enter a whole number between ${anomalies.noUpdateDays.min} and ${anomalies.noUpdateDays.max}.`,
      "validityDefaultDays": `Enter a whole number between ${CARE_SETTING_BOUNDS.validityDefaultDays.min} and ${CARE_SETTING_BOUNDS.validityDefaultDays.max}.`,
    });
  });

  it("refuses too many caps, two caps over one window, SMS on with no number and international shorter than domestic", () => {
    expect(errorsOf(validateCareSettings({ caps: Array.from({ length: 6 }, (_, i) => ({ messages: 1, hours: i + 1 })) }))).toEqual({ caps: "At most 5 caps." });
    expect(
      errorsOf(validateCareSettings({ caps: [{ messages: 1, hours: 72 }, { messages: 3, hours: 72 }], channels: { sms: true }, anomalies: { domesticTransitDays: 10, internationalTransitDays: 8 } })),
    ).toEqual({
      "caps.1.hours": "Another cap already uses this window.",
      "sms.fromNumber": "SMS is on: enter the number to send from.",
      "anomalies.internationalTransitDays": "International shipments take at least as long as domestic ones: use 10 days or more.",
    });
  });

  it("allows no caps at all (an empty list), and treats an empty text field as not set", () => {
    const result = validateCareSettings({ caps: [], sender: { fromName: "  ", fromEmail: "", replyTo: " help@shop.example " } });
    expect(result.ok && result.settings.caps).toEqual([]);
    expect(result.ok && result.settings.sender).toEqual({ fromName: null, fromEmail: null, replyTo: "help@shop.example" });
  });

  it("refuses a value of the wrong kind instead of guessing", () => {
    expect(errorsOf(validateCareSettings({ channels: { email: "yes" }, caps: "1/72" }))).toEqual({
      "channels.email": "This value could not be read.",
      caps: "This value could not be read.",
    });
  });
});

describe("resolveSender", () => {
  it("uses the shop's name and the app's address when none is set", () => {
    expect(resolveSender(DEFAULT_CARE_SETTINGS, "Tea House", "care@app.example", null)).toEqual({ fromName: "Tea House", fromEmail: "care@app.example", replyTo: null, smsFrom: null });
  });

  it("sends from the merchant's address only once that very address is confirmed; until then it is the Reply-To", () => {
    const own = validateCareSettings({ sender: { fromName: "Tea Care", fromEmail: "hello@tea.example", replyTo: null }, sms: { fromNumber: "+8613800138000" } });
    if (!own.ok) throw new Error("valid settings refused");
    expect(resolveSender(own.settings, "Tea House", "care@app.example", null)).toEqual({ fromName: "Tea Care", fromEmail: "care@app.example", replyTo: "hello@tea.example", smsFrom: "+8613800138000" });
    // Confirmed another address earlier: that does not vouch for this one.
    expect(resolveSender(own.settings, "Tea House", "care@app.example", "old@tea.example").fromEmail).toBe("care@app.example");
    expect(resolveSender(own.settings, "Tea House", "care@app.example", "Hello@Tea.Example")).toMatchObject({ fromEmail: "hello@tea.example", replyTo: "hello@tea.example" });
    const withReply = validateCareSettings({ sender: { fromEmail: "hello@tea.example", replyTo: "help@tea.example" } });
    expect(withReply.ok && resolveSender(withReply.settings, "Tea House", "care@app.example", null)).toMatchObject({ fromEmail: "care@app.example", replyTo: "help@tea.example" });
  });

  it("takes out of a shop's name whatever could start a header or pass for an address", () => {
    expect(resolveSender(DEFAULT_CARE_SETTINGS, 'Tea "House"\r\nBcc: victim@example.com', "care@app.example", null).fromName).toBe('Tea "House" Bcc: victim@example.com');
    expect(resolveSender(DEFAULT_CARE_SETTINGS, "PayPal <security@paypal.com>", "care@app.example", null).fromName).toBe("PayPal security@paypal.com");
    expect(resolveSender(DEFAULT_CARE_SETTINGS, "\n\t", "care@app.example", null).fromName).toBe("MemberCare");
  });

  it("refuses a sender name that carries an address or a line break, with its own error", () => {
    for (const fromName of ["PayPal <security@paypal.com>", "Support@Tea", "Tea\nBcc: x@y.example"]) {
      const result = validateCareSettings({ sender: { fromName } });
      expect(result.ok ? null : result.errors["sender.fromName"]).toEqual({ key: "care.settings.errors.fromNameAddress" });
    }
    expect(validateCareSettings({ sender: { fromName: 'Mei\'s "Tea", Shanghai' } }).ok).toBe(true);
  });
});
