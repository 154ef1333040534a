import { customerFileSchema, FILE_FIELDS, type ConfirmedAt } from "./customer-file";
import { firstDaysRevenue, newMembers, periodStart, staffPerformance, type FileFact, type OrderFact } from "./staff-performance";

const at = (iso: string) => new Date(iso);
const NOW = at("2026-03-10T00:00:00Z");
const ZONE = "Asia/Shanghai"; // UTC+8 all year

const confirmedAll = (iso: string, fields: readonly string[]): ConfirmedAt => Object.fromEntries(fields.map((field) => [field, iso]));
const fullValues = customerFileSchema.parse({
  clothingSize: "M",
  shoeSize: "39",
  stylePreferences: "linen",
  productPreferences: "oolong",
  occupation: "teacher",
  family: "two children",
  hobbies: "hiking",
  preferredChannel: "sms",
  preferredContactTime: "evening",
  acceptsPromotions: "no",
  birthday: "05-12",
});

// f1: registered and last saved at store L1 by staff 11; every field but notes and tags (95), confirmed last week.
// f2: registered at L2 by 12 long ago, last saved in the admin by 11; only the channel (15), confirmed two years ago: half, 8.
// f3: a file from before registrations were kept, last saved by 12 at store L2; the two sizes (8 + 7), confirmed now.
const files: FileFact[] = [
  { customerShopifyId: "A", createdAt: at("2026-03-01T06:00:00Z"), updatedAt: at("2026-03-05T02:00:00Z"), registeredBy: "11", registeredLocationId: "L1", updatedBy: "11", posLocationId: "L1", values: fullValues, confirmedAt: confirmedAll("2026-03-05T02:00:00Z", FILE_FIELDS) },
  { customerShopifyId: "B", createdAt: at("2025-06-01T02:00:00Z"), updatedAt: at("2026-03-02T02:00:00Z"), registeredBy: "12", registeredLocationId: "L2", updatedBy: "11", posLocationId: null, values: customerFileSchema.parse({ preferredChannel: "email" }), confirmedAt: { preferredChannel: "2024-01-01T00:00:00Z" } },
  { customerShopifyId: "C", createdAt: at("2025-01-01T02:00:00Z"), updatedAt: at("2026-03-03T02:00:00Z"), registeredBy: null, registeredLocationId: null, updatedBy: "12", posLocationId: "L2", values: customerFileSchema.parse({ clothingSize: "S", shoeSize: "37" }), confirmedAt: confirmedAll("2026-03-03T02:00:00Z", ["clothingSize", "shoeSize"]) },
];

const order = (customerShopifyId: string, iso: string, netSpendMinor: number, extra: Partial<OrderFact> = {}): OrderFact => ({
  customerShopifyId,
  processedAt: at(iso),
  countsAsPurchase: true,
  netSpendMinor,
  sourceName: "web",
  posUserId: null,
  posLocationId: null,
  ...extra,
});
const pos = (user: string, location: string) => ({ sourceName: "pos", posUserId: user, posLocationId: location });

const orders: OrderFact[] = [
  // A: bought at L2's till (staff 12) at 09:00 local on the day staff 11 registered them at 14:00: the registration credits 11; both purchases count.
  order("A", "2026-03-01T01:00:00Z", 5000, pos("12", "L2")),
  order("A", "2026-03-08T01:00:00Z", 2000),
  order("A", "2026-03-09T01:00:00Z", 9999, { countsAsPurchase: false }),
  // D: no file; first purchase at L1's till by 13, then online.
  order("D", "2026-02-20T03:00:00Z", 3000, pos("13", "L1")),
  order("D", "2026-03-01T03:00:00Z", 1500),
  // E: first purchase online, later at the till: nobody's new member.
  order("E", "2026-02-01T03:00:00Z", 1000),
  order("E", "2026-02-25T03:00:00Z", 800, pos("13", "L1")),
  // F: 13's new member, but before the period.
  order("F", "2025-10-01T03:00:00Z", 700, pos("13", "L1")),
  // G: a test order at the till does not make them 13's: their first purchase is online.
  order("G", "2026-03-02T03:00:00Z", 400, { ...pos("13", "L1"), countsAsPurchase: false }),
  order("G", "2026-03-03T03:00:00Z", 600),
];

const edits = [
  ...Array.from({ length: 3 }, () => ({ staffId: "11", locationId: "L1", at: at("2026-03-05T02:00:00Z") })),
  { staffId: "11", locationId: null, at: at("2026-03-02T02:00:00Z") },
  { staffId: "12", locationId: "L2", at: at("2025-01-01T02:00:00Z") },
];

describe("new members", () => {
  it("credits a registration over the till, and the till only for a first purchase that counts", () => {
    const members = newMembers(files, orders);
    expect(members.map((m) => `${m.customerShopifyId}:${m.staffId}@${m.locationId}:${m.via}`).sort()).toEqual([
      "A:11@L1:registration",
      "B:12@L2:registration",
      "D:13@L1:firstPosPurchase",
      "F:13@L1:firstPosPurchase",
    ]);
  });
});

describe("first-90-day revenue", () => {
  it("counts the ledger's purchases from the start of the local day they joined, for 90 days", () => {
    // Joined 10:00 local on 1 January 2025: the window is [31 Dec 16:00Z, 31 Mar 16:00Z).
    const joined = at("2025-01-01T02:00:00Z");
    const history = [
      order("J", "2024-12-31T16:30:00Z", 1000),
      order("J", "2024-12-31T15:59:00Z", 50),
      order("J", "2025-03-31T15:59:00Z", 100),
      order("J", "2025-03-31T16:00:00Z", 200),
      order("J", "2025-02-01T00:00:00Z", 300, { countsAsPurchase: false }),
    ];
    expect(firstDaysRevenue(history, joined, ZONE)).toBe(1100);
  });
});

describe("the Staff page's figures", () => {
  const result = staffPerformance({ files, edits, orders, from: periodStart("90d", NOW), now: NOW, timeZone: ZONE });

  it("per staff member", () => {
    expect(result.staff).toEqual([
      { staffId: "11", filesCreated: 1, filesKept: 2, filesCompleted: 1, averageCompleteness: 52, freshness: 92, edits: 4, newMembers: 1, newMemberRevenueMinor: 7000 },
      { staffId: "13", filesCreated: 0, filesKept: 0, filesCompleted: 0, averageCompleteness: null, freshness: null, edits: 0, newMembers: 1, newMemberRevenueMinor: 4500 },
      { staffId: "12", filesCreated: 0, filesKept: 1, filesCompleted: 0, averageCompleteness: 15, freshness: 100, edits: 0, newMembers: 0, newMemberRevenueMinor: 0 },
    ]);
  });

  it("per store", () => {
    expect(result.locations).toEqual([
      { locationId: "L1", filesCreated: 1, filesKept: 1, filesCompleted: 1, averageCompleteness: 95, freshness: 100, edits: 3, newMembers: 2, newMemberRevenueMinor: 11500 },
      { locationId: "L2", filesCreated: 0, filesKept: 1, filesCompleted: 0, averageCompleteness: 15, freshness: 100, edits: 0, newMembers: 0, newMemberRevenueMinor: 0 },
    ]);
  });

  it("at one store, each staff member's acts there only; the stores as before", () => {
    const atL1 = staffPerformance({ files, edits, orders, from: periodStart("90d", NOW), now: NOW, timeZone: ZONE, store: "L1" });
    // 11 at L1: A registered and kept there, its three edits there; B (saved in the admin) and the edit without a store are not L1's.
    expect(atL1.staff).toEqual([
      { staffId: "11", filesCreated: 1, filesKept: 1, filesCompleted: 1, averageCompleteness: 95, freshness: 100, edits: 3, newMembers: 1, newMemberRevenueMinor: 7000 },
      { staffId: "13", filesCreated: 0, filesKept: 0, filesCompleted: 0, averageCompleteness: null, freshness: null, edits: 0, newMembers: 1, newMemberRevenueMinor: 4500 },
    ]);
    expect(atL1.locations).toEqual(result.locations);
    const atL2 = staffPerformance({ files, edits, orders, from: periodStart("90d", NOW), now: NOW, timeZone: ZONE, store: "L2" });
    expect(atL2.staff).toEqual([{ staffId: "12", filesCreated: 0, filesKept: 1, filesCompleted: 0, averageCompleteness: 15, freshness: 100, edits: 0, newMembers: 0, newMemberRevenueMinor: 0 }]);
  });

  it("over all time, the earlier registration and member count too", () => {
    const all = staffPerformance({ files, edits, orders, from: periodStart("all", NOW), now: NOW, timeZone: ZONE });
    expect(all.staff.find((row) => row.staffId === "12")).toMatchObject({ filesCreated: 1, newMembers: 1, edits: 1 });
    expect(all.staff.find((row) => row.staffId === "13")).toMatchObject({ newMembers: 2, newMemberRevenueMinor: 4500 + 700 });
  });
});
