// The extension's parser against the app's contract: the same verdict as
// membershipValueSchema on every value, and a round trip of what the app writes.
import { membershipValue, membershipValueSchema, serializeMembership } from "../../../app/domain/membership";
import { starterProgram } from "../../../app/domain/tiers";
import { goldMember } from "../tests/support";
import { parseMembership } from "./membership";

const gold = goldMember();
const with_ = (patch: (value: Record<string, unknown>) => void) => {
  const value = structuredClone(gold) as unknown as Record<string, unknown>;
  patch(value);
  return value;
};
const at = (value: Record<string, unknown>, key: string) => value[key] as Record<string, unknown>;

const cases: Array<[string, unknown]> = [
  ["a Gold member with progress to Platinum", gold],
  ["the top tier: no progress, no review, no downgrade", goldMember({ progress: null, nextEvaluation: null, downgradeOn: null })],
  ["a member warned of a downgrade", goldMember({ downgradeOn: "2026-12-15T05:00:00Z" })],
  ["a member under review", goldMember({ downgradeOn: "2026-12-16T05:00:00Z", review: { by: "2026-12-15", spendToKeepMinor: 8_000, ordersToKeep: null, currencyCode: "USD" } })],
  ["a review needing orders and spend", goldMember({ downgradeOn: "2026-12-16T05:00:00Z", review: { by: "2028-02-29", spendToKeepMinor: 1, ordersToKeep: 2, currencyCode: "JPY" } })],
  ["a review dated a day that does not exist", goldMember({ downgradeOn: "2026-12-16T05:00:00Z", review: { by: "2027-02-29", spendToKeepMinor: 8_000, ordersToKeep: null, currencyCode: "USD" } })],
  ["a review with a zero amount", goldMember({ downgradeOn: "2026-12-16T05:00:00Z", review: { by: "2026-12-15", spendToKeepMinor: 0, ordersToKeep: null, currencyCode: "USD" } })],
  ["a review with a key too many", goldMember({ downgradeOn: "2026-12-16T05:00:00Z", review: { by: "2026-12-15", spendToKeepMinor: 8_000, ordersToKeep: null, currencyCode: "USD", points: 5 } as never })],
  ["a review that is null", with_((v) => (v.review = null))],
  ["a birthday gift, products scope, orders to go", goldMember({ birthdayGift: "A tote bag", discount: { percent: 12.5, scope: "products", excludedProductTags: [] }, progress: { ...gold.progress!, spendNeededMinor: null, ordersNeeded: 2 } })],
  ["a 0% entry tier", goldMember({ discount: { percent: 0, scope: "subtotal", excludedProductTags: [] }, freeShipping: false, perks: [] })],
  ["another version", with_((v) => (v.v = 2))],
  ["no version", with_((v) => delete v.v)],
  ["no tier", with_((v) => delete v.tier)],
  ["a fractional rank", with_((v) => (at(v, "tier").rank = 1.5))],
  ["a tier name without zh-CN", with_((v) => (at(v, "tier").name = { en: "Gold" }))],
  ["a tier name that is a string", with_((v) => (at(v, "tier").name = "Gold"))],
  ["a discount over 100%", with_((v) => (at(v, "discount").percent = 101))],
  ["a negative discount", with_((v) => (at(v, "discount").percent = -5))],
  ["a percent as text", with_((v) => (at(v, "discount").percent = "10"))],
  ["an unknown discount scope", with_((v) => (at(v, "discount").scope = "order"))],
  ["excluded tags that are not strings", with_((v) => (at(v, "discount").excludedProductTags = [1]))],
  ["free shipping as text", with_((v) => (v.freeShipping = "yes"))],
  ["perks that are not a list", with_((v) => (v.perks = { en: "x", "zh-CN": "x" }))],
  ["a perk in one language only", with_((v) => (v.perks = [{ en: "Early access" }]))],
  ["a birthday gift that is a number", with_((v) => (v.birthdayGift = 5))],
  ["no birthday gift key", with_((v) => delete v.birthdayGift)],
  ["no progress key", with_((v) => delete v.progress)],
  ["a two-letter currency", with_((v) => (at(v, "progress").currencyCode = "US"))],
  ["negative spend needed", with_((v) => (at(v, "progress").spendNeededMinor = -1))],
  ["fractional minor units", with_((v) => (at(v, "progress").spendNeededMinor = 42.5))],
  ["orders needed as text", with_((v) => (at(v, "progress").ordersNeeded = "2"))],
  ["a next tier without a handle", with_((v) => delete at(at(v, "progress"), "next").handle)],
  ["a date that does not exist", with_((v) => (v.nextEvaluation = "2027-02-30T00:00:00Z"))],
  ["a date without a time", with_((v) => (v.nextEvaluation = "2027-01-01"))],
  ["a time without seconds", with_((v) => (v.nextEvaluation = "2027-01-01T00:00Z"))],
  ["a time with an offset", with_((v) => (v.downgradeOn = "2027-01-01T00:00:00+08:00"))],
  ["a date as epoch millis", with_((v) => (v.downgradeOn = 1798761600000))],
  ["no dates at all", with_((v) => (delete v.nextEvaluation, delete v.downgradeOn))],
  ["null", null],
  ["a list", [gold]],
  ["a number", 42],
];

describe.each(cases)("%s", (_, value) => {
  const verdict = membershipValueSchema.safeParse(value);

  it("gets the app schema's verdict, as an object and as the JSON text Shopify hands over", () => {
    expect(parseMembership(value)).toEqual(verdict.success ? verdict.data : null);
    expect(parseMembership(JSON.stringify(value))).toEqual(verdict.success ? verdict.data : null);
  });
});

it("reads no membership from a missing metafield or text that is not JSON", () => {
  expect(parseMembership(undefined)).toBeNull();
  expect(parseMembership("")).toBeNull();
  expect(parseMembership('{"v":1,')).toBeNull();
  expect(parseMembership("Gold")).toBeNull();
});

it("ignores keys the app may add later, where the app's strict schema refuses them", () => {
  const value = { ...gold, pointsBalance: 120 };
  expect(membershipValueSchema.safeParse(value).success).toBe(false);
  expect(parseMembership(value)).toEqual(gold);
});

it("reads back exactly what the app writes for a placed member", () => {
  const program = { ...starterProgram(), timeZone: "America/New_York" };
  const gold = program.tiers.find((tier) => tier.handle === "gold")!;
  const written = membershipValue(
    program,
    gold,
    { downgradeOn: new Date("2026-12-15T05:00:00Z") },
    { netSpendMinor: 95_800, orders: 4, oldestCountedAt: new Date("2025-09-10T08:00:00Z") },
    "USD",
    new Date("2026-06-01T12:00:00Z"),
  );
  expect(parseMembership(serializeMembership(written))).toEqual(written);
});
