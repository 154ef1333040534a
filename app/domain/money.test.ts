import { minorToAmount, toMinorUnits, MoneyFormatError } from "./money";

describe("toMinorUnits", () => {
  it.each([
    ["199.00", "USD", 19900],
    ["0.1", "USD", 10],
    ["1450000.00", "ARS", 145000000],
    ["1234", "JPY", 1234],
    ["1234.5", "JPY", 1235],
    ["12.345", "KWD", 12345],
    ["89.99", "USD", 8999],
    ["0.005", "USD", 1],
    ["-5.50", "EUR", -550],
    [89.99, "USD", 8999],
    ["1.00", "XXX", 100],
  ] as const)("%s %s → %i minor units", (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it("treats a missing amount as zero", () => {
    expect(toMinorUnits(null, "USD")).toBe(0);
    expect(toMinorUnits("", "USD")).toBe(0);
  });

  it("rejects text that is not an amount", () => {
    expect(() => toMinorUnits("12,50", "EUR")).toThrow(MoneyFormatError);
  });
});

describe("minorToAmount", () => {
  it("writes minor units in the currency's own digits", () => {
    expect(minorToAmount(2050, "USD")).toBe("20.50");
    expect(minorToAmount(5000, "JPY")).toBe("5000");
    expect(minorToAmount(12345, "KWD")).toBe("12.345");
    expect(minorToAmount(5, "KWD")).toBe("0.005");
  });

  it("keeps the sign of a loss and rounds an average to a whole minor unit", () => {
    expect(minorToAmount(-1205, "USD")).toBe("-12.05");
    expect(minorToAmount(-0.4, "USD")).toBe("0.00");
    expect(minorToAmount(1234.5, "JPY")).toBe("1235");
    expect(minorToAmount(1000.6, "KWD")).toBe("1.001");
  });

  it("reads back as the same minor units", () => {
    for (const [minor, currency] of [[123456789, "USD"], [987, "JPY"], [100001, "KWD"]] as const) {
      expect(toMinorUnits(minorToAmount(minor, currency), currency)).toBe(minor);
    }
  });
});
