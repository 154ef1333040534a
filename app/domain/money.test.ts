import { toMinorUnits, MoneyFormatError } from "./money";

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
