// The Function's own reading of the $app:membership value and of the
// discount's configuration, held to the app's contracts: what the app writes is
// read as a member; what the app's zod schema refuses is "no member".
import { expectTypeOf } from "vitest";
import { functionConfiguration, type FunctionConfiguration as AppFunctionConfiguration } from "~/domain/discount-configuration";
import { membershipValue, membershipValueSchema, serializeMembership, type MembershipValue as AppMembershipValue } from "~/domain/membership";
import { starterProgram, type TierProgram } from "~/domain/tiers";
import { parseFunctionConfiguration, parseMembership, type FunctionConfiguration, type MembershipValue } from "../src/membership";
import { goldMember } from "./support/carts";

const program: TierProgram = { ...starterProgram(), timeZone: "Asia/Shanghai" };
const now = new Date("2026-11-23T10:00:00Z");

type Mutation = [string, (value: MembershipValue) => unknown];

/** Each a different document from the one the app writes; each must read as "no member". */
const mutations: Mutation[] = [
  ["version 2", (m) => ({ ...m, v: 2 })],
  ["version as a string", (m) => ({ ...m, v: "1" })],
  ["no version", ({ v: _v, ...m }) => m],
  ["an extra top-level key", (m) => ({ ...m, points: 120 })],
  ["no discount", ({ discount: _d, ...m }) => m],
  ["percent over 100", (m) => ({ ...m, discount: { ...m.discount, percent: 110 } })],
  ["negative percent", (m) => ({ ...m, discount: { ...m.discount, percent: -5 } })],
  ["percent as a string", (m) => ({ ...m, discount: { ...m.discount, percent: "10" } })],
  ["unknown scope", (m) => ({ ...m, discount: { ...m.discount, scope: "collection" } })],
  ["a tag that is not a string", (m) => ({ ...m, discount: { ...m.discount, excludedProductTags: ["sale", 7] } })],
  ["an extra discount key", (m) => ({ ...m, discount: { ...m.discount, amount: 5 } })],
  ["fractional rank", (m) => ({ ...m, tier: { ...m.tier, rank: 1.5 } })],
  ["tier name without zh-CN", (m) => ({ ...m, tier: { ...m.tier, name: { en: "Gold" } } })],
  ["tier name with a third language", (m) => ({ ...m, tier: { ...m.tier, name: { ...m.tier.name, fr: "Or" } } })],
  ["free shipping as a string", (m) => ({ ...m, freeShipping: "yes" })],
  ["perks not a list", (m) => ({ ...m, perks: { en: "x", "zh-CN": "x" } })],
  ["birthday gift missing (not null)", ({ birthdayGift: _b, ...m }) => m],
  ["negative spend needed", (m) => ({ ...m, progress: { ...m.progress, spendNeededMinor: -1 } })],
  ["currency code of 2 letters", (m) => ({ ...m, progress: { ...m.progress, currencyCode: "US" } })],
  ["a date without time", (m) => ({ ...m, nextEvaluation: "2027-01-01" })],
  ["a date with an offset", (m) => ({ ...m, nextEvaluation: "2027-01-01T08:00:00+08:00" })],
  ["February 30th", (m) => ({ ...m, downgradeOn: "2027-02-30T00:00:00.000Z" })],
  ["hour 24", (m) => ({ ...m, downgradeOn: "2027-02-03T24:00:00Z" })],
  ["an array", (m) => [m]],
  ["the value as JSON text", (m) => JSON.stringify(m)],
  ["null", () => null],
  ["a number", () => 1],
  ["a review with a date and time", (m) => ({ ...m, review: { by: "2026-12-15T00:00:00Z", spendToKeepMinor: 8_000, ordersToKeep: null, currencyCode: "USD" } })],
  ["a review with a key missing", (m) => ({ ...m, review: { by: "2026-12-15", spendToKeepMinor: 8_000, currencyCode: "USD" } })],
  ["a review of zero", (m) => ({ ...m, review: { by: "2026-12-15", spendToKeepMinor: 0, ordersToKeep: null, currencyCode: "USD" } })],
  ["a review that is null", (m) => ({ ...m, review: null })],
];

/** Each still the app's document (the schema accepts it). */
const variants: Mutation[] = [
  ["no progress (top tier)", (m) => ({ ...m, progress: null })],
  ["dates null", (m) => ({ ...m, nextEvaluation: null, downgradeOn: null })],
  ["a downgrade date without milliseconds", (m) => ({ ...m, downgradeOn: "2027-03-01T00:00:00Z" })],
  ["February 29th of a leap year", (m) => ({ ...m, downgradeOn: "2028-02-29T00:00:00.000Z" })],
  ["percent 0", (m) => ({ ...m, discount: { ...m.discount, percent: 0 } })],
  ["percent 12.5, product scope", (m) => ({ ...m, discount: { ...m.discount, percent: 12.5, scope: "products" } })],
  ["a birthday gift", (m) => ({ ...m, birthdayGift: "A tote bag" })],
  ["no perks, no tags", (m) => ({ ...m, perks: [], discount: { ...m.discount, excludedProductTags: [] } })],
  // ADR 0011: present only while a downgrade is announced; the Function reads the member as before.
  ["an announced review", (m) => ({ ...m, downgradeOn: "2026-12-16T05:00:00.000Z", review: { by: "2026-12-15", spendToKeepMinor: 8_000, ordersToKeep: null, currencyCode: "USD" } })],
  ["a review in orders, on 29 February of a leap year", (m) => ({ ...m, review: { by: "2028-02-29", spendToKeepMinor: null, ordersToKeep: 2, currencyCode: "JPY" } })],
];

describe("parseMembership", () => {
  it("reads every tier's value exactly as the app writes and serialises it", () => {
    for (const tier of program.tiers) {
      const written = JSON.parse(serializeMembership(membershipValue(program, tier, { downgradeOn: null }, { netSpendMinor: 30_000, orders: 4, oldestCountedAt: new Date("2026-02-10T08:00:00Z") }, "CNY", now)));
      expect(parseMembership(written)).toEqual(written);
    }
  });

  it.each(variants)("accepts %s, as the app's schema does", (_, change) => {
    const value = change(goldMember());
    expect(membershipValueSchema.safeParse(value).success).toBe(true);
    expect(parseMembership(value)).toEqual(value);
  });

  it.each(mutations)("reads %s as no member, as the app's schema refuses it", (_, change) => {
    const value = change(goldMember());
    expect(membershipValueSchema.safeParse(value).success).toBe(false);
    expect(parseMembership(value)).toBeNull();
  });

  it("reads a missing metafield (guest or customer without a tier yet) as no member", () => {
    expect(parseMembership(undefined)).toBeNull();
    expect(parseMembership(null)).toBeNull();
  });

  it("has the app's type", () => {
    expectTypeOf<MembershipValue>().toMatchTypeOf<AppMembershipValue>();
    expectTypeOf<AppMembershipValue>().toMatchTypeOf<Omit<MembershipValue, "v" | "discount"> & { v: number; discount: { percent: number; scope: "subtotal" | "products"; excludedProductTags: string[] } }>();
  });
});

describe("parseFunctionConfiguration", () => {
  it("reads the configuration the app keeps on the discount", () => {
    const written = JSON.parse(JSON.stringify(functionConfiguration(program)));
    expect(parseFunctionConfiguration(written)).toEqual(written);
    expect(parseFunctionConfiguration({ v: 1, excludedProductTags: ["clearance"] })).toEqual({ v: 1, excludedProductTags: ["clearance"] });
  });

  it.each([
    ["missing", null],
    ["another version", { v: 2, excludedProductTags: [] }],
    ["tags not a list", { v: 1, excludedProductTags: "clearance" }],
    ["an extra key", { v: 1, excludedProductTags: [], tiers: {} }],
  ])("reads a %s configuration as none", (_, value) => {
    expect(parseFunctionConfiguration(value)).toBeNull();
  });

  it("has the app's type", () => {
    expectTypeOf<FunctionConfiguration>().toMatchTypeOf<AppFunctionConfiguration>();
  });
});
