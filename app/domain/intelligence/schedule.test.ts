import { localDate } from "../local-time";
import { classificationDue } from "./schedule";

describe("classificationDue", () => {
  it("is due at once for a shop never classified", () => {
    expect(classificationDue(null, new Date("2026-11-01T10:00:00Z"), "UTC")).toBe(true);
  });
  it("is due once per local calendar day", () => {
    const last = new Date("2026-11-01T00:10:00Z");
    expect(classificationDue(last, new Date("2026-11-01T23:59:00Z"), "UTC")).toBe(false);
    expect(classificationDue(last, new Date("2026-11-02T00:00:00Z"), "UTC")).toBe(true);
  });
  it("counts days in the shop's time zone", () => {
    // 2026-11-01 20:00 in Shanghai is 12:00 UTC; the next local day starts at 16:00 UTC.
    const last = new Date("2026-11-01T12:00:00Z");
    expect(localDate(last, "Asia/Shanghai")).toBe("2026-11-01");
    expect(classificationDue(last, new Date("2026-11-01T15:59:00Z"), "Asia/Shanghai")).toBe(false);
    expect(classificationDue(last, new Date("2026-11-01T16:00:00Z"), "Asia/Shanghai")).toBe(true);
  });
  it("is not due when the clock reads earlier than the last run", () => {
    expect(classificationDue(new Date("2026-11-05T00:00:00Z"), new Date("2026-11-03T00:00:00Z"), "UTC")).toBe(false);
  });
});
