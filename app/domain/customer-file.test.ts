import { COMPLETE_AT, EMPTY_FILE, FIELD_WEIGHTS, FILE_FIELDS, completeness, customerFileSchema, diffFile, monthsBefore, nextConfirmedAt, parseConfirmedAt, parseCustomerFileForm, validBirthday, type ConfirmedAt, type CustomerFileValues } from "./customer-file";

const now = new Date("2026-11-23T10:00:00Z");
const full: CustomerFileValues = {
  clothingSize: "M",
  shoeSize: "EU 39",
  stylePreferences: "minimal, linen",
  productPreferences: "green tea",
  occupation: "architect",
  family: "two children",
  hobbies: "hiking",
  preferredChannel: "phone",
  preferredContactTime: "evening",
  acceptsPromotions: true,
  birthday: "03-14",
  notes: "prefers gift wrap",
  tags: ["vip", "tea"],
};
const allConfirmed = (at: string): ConfirmedAt => Object.fromEntries(FILE_FIELDS.map((field) => [field, at]));

describe("form validation", () => {
  it("takes blank fields as empty, trims text and reads yes/no and comma-separated tags", () => {
    const parsed = parseCustomerFileForm({ clothingSize: "  L ", shoeSize: "", acceptsPromotions: "no", tags: "vip, tea , VIP,, ", preferredChannel: "sms", confirm: "shoeSize, hobbies" });
    expect(parsed).toEqual({ ok: true, form: { ...EMPTY_FILE, clothingSize: "L", acceptsPromotions: false, tags: ["vip", "tea"], preferredChannel: "sms", confirm: ["shoeSize", "hobbies"] } });
  });

  it.each([
    [{ preferredChannel: "fax" }, "preferredChannel"],
    [{ preferredContactTime: "midnight" }, "preferredContactTime"],
    [{ clothingSize: "x".repeat(21) }, "clothingSize"],
    [{ notes: "x".repeat(2001) }, "notes"],
    [{ birthday: "02-30" }, "birthday"],
    [{ birthday: "1990-13-01" }, "birthday"],
    [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(",") }, "tags"],
    [{ tags: "x".repeat(31) }, "tags"],
    [{ confirm: "shoeSize,password" }, "confirm"],
  ])("refuses %j naming the field", (input, field) => {
    const parsed = parseCustomerFileForm(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors).toEqual({ [field]: `customerFile.errors.${field}` });
  });

  it.each([
    ["02-29", true],
    ["2024-02-29", true],
    ["2023-02-29", false],
    ["12-31", true],
    ["00-10", false],
    ["1850-01-01", false],
    ["3/14", false],
  ])("birthday %s valid: %s", (value, valid) => {
    expect(validBirthday(value)).toBe(valid);
  });
});

describe("completeness", () => {
  it("weights sum to 100, and a full file confirmed within the year scores 100", () => {
    expect(Object.values(FIELD_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(completeness(full, allConfirmed("2026-06-01T00:00:00Z"), now)).toEqual({ score: 100, missing: [], stale: [] });
  });

  it("scores an empty file 0 with every field missing", () => {
    expect(completeness(EMPTY_FILE, {}, now)).toEqual({ score: 0, missing: [...FILE_FIELDS], stale: [] });
  });

  it.each([
    // field filled, confirmed when, score
    ["preferredChannel", "2026-11-01T00:00:00Z", 15],
    ["preferredChannel", "2025-11-23T10:00:00Z", 15], // exactly 12 months: still current
    ["preferredChannel", "2025-11-23T09:59:59Z", 7.5 + 0.5], // older: half, rounded (8)
    ["shoeSize", undefined, 3.5 + 0.5], // never confirmed: half (4)
    ["tags", "2020-01-01T00:00:00Z", 1],
  ] as const)("%s confirmed %s scores %d", (field, at, score) => {
    const values = { ...EMPTY_FILE, [field]: full[field] } as CustomerFileValues;
    const result = completeness(values, at ? { [field]: at } : {}, now);
    expect(result.score).toBe(score);
    expect(result.stale).toEqual(at && at >= "2025-11-23T10:00:00Z" ? [] : [field]);
  });

  it("lets the caller choose the staleness window", () => {
    const confirmed = allConfirmed("2026-03-01T00:00:00Z");
    expect(completeness(full, confirmed, now).score).toBe(100);
    expect(completeness(full, confirmed, now, { staleMonths: 6 }).score).toBe(50);
    expect(COMPLETE_AT).toBeLessThanOrEqual(100);
  });

  it("moves months back on the calendar, clamped to the month's end", () => {
    expect(monthsBefore(new Date("2026-03-31T08:00:00Z"), 1).toISOString()).toBe("2026-02-28T08:00:00.000Z");
    expect(monthsBefore(new Date("2026-11-23T10:00:00Z"), 12).toISOString()).toBe("2025-11-23T10:00:00.000Z");
  });
});

describe("edits and confirmation", () => {
  it("lists each changed field with its old and new text", () => {
    const after = customerFileSchema.parse({ ...full, shoeSize: "EU 40", notes: "", tags: ["vip"] });
    expect(diffFile(full, after)).toEqual([
      { field: "shoeSize", oldValue: "EU 39", newValue: "EU 40" },
      { field: "notes", oldValue: "prefers gift wrap", newValue: null },
      { field: "tags", oldValue: "vip, tea", newValue: "vip" },
    ]);
    expect(diffFile(full, full)).toEqual([]);
    expect(diffFile(EMPTY_FILE, { ...EMPTY_FILE, acceptsPromotions: false })).toEqual([{ field: "acceptsPromotions", oldValue: null, newValue: "false" }]);
  });

  it("confirms changed and re-confirmed fields now, keeps others, drops emptied ones", () => {
    const previous: ConfirmedAt = { shoeSize: "2024-01-01T00:00:00.000Z", hobbies: "2024-01-01T00:00:00.000Z", notes: "2024-01-01T00:00:00.000Z" };
    const before = { ...EMPTY_FILE, shoeSize: "39", hobbies: "golf", notes: "x" };
    const after = { ...EMPTY_FILE, shoeSize: "40", hobbies: "golf", clothingSize: "S" };
    const edits = diffFile(before, after);
    expect(nextConfirmedAt(previous, after, edits, [], now)).toEqual({ shoeSize: now.toISOString(), clothingSize: now.toISOString(), hobbies: "2024-01-01T00:00:00.000Z" });
    expect(nextConfirmedAt(previous, after, edits, ["hobbies"], now).hobbies).toBe(now.toISOString());
  });

  it("reads stored confirmation times defensively", () => {
    expect(parseConfirmedAt('{"shoeSize":"2026-01-01T00:00:00Z","bogus":"2026-01-01","hobbies":"soon"}')).toEqual({ shoeSize: "2026-01-01T00:00:00Z" });
    expect(parseConfirmedAt("not json")).toEqual({});
    expect(parseConfirmedAt(null)).toEqual({});
  });
});
