// Shoppers for the test page without the demo's database (the bench and the
// browser test): the starter program's tiers and members placed by the app's
// own domain functions from their spend, the same way the sync computes the
// `$app:membership` value and the publisher the `$app:program` value. Only the
// spend is chosen here; tier, progress and perks come from the domain.
import { membershipValue, serializeMembership } from "~/domain/membership";
import { programMetafieldValue, serializeProgram } from "~/domain/program-metafield";
import { qualifiedTier, starterProgram, type TierProgram } from "~/domain/tiers";
import type { StorefrontCustomer, StorefrontShop } from "./page";

export const FIXTURE_NOW = new Date("2026-12-01T10:00:00Z");
export const FIXTURE_PROGRAM: TierProgram = { ...starterProgram(), timeZone: "UTC" };
export const FIXTURE_SHOP: StorefrontShop = {
  name: "MemberCare Demo Store",
  currencyCode: "USD",
  program: serializeProgram(programMetafieldValue(FIXTURE_PROGRAM, "USD")),
};

/** A signed-in shopper who has spent `netSpendMinor` in the program's window over `orders` orders. */
export function fixtureMember(id: string, firstName: string, lastName: string, netSpendMinor: number, orders: number): StorefrontCustomer {
  const totals = { netSpendMinor, orders, oldestCountedAt: new Date(FIXTURE_NOW.getTime() - 200 * 86_400_000) };
  const tier = qualifiedTier(FIXTURE_PROGRAM, totals);
  const value = membershipValue(FIXTURE_PROGRAM, tier, { downgradeOn: null }, totals, FIXTURE_SHOP.currencyCode, FIXTURE_NOW);
  return { id, firstName, lastName, email: `${firstName.toLowerCase()}@example.com`, membership: serializeMembership(value) };
}

/** What the fixture members have spent and ordered in the program's window (tests compute what the page must say from these and the program). */
export const FIXTURE_TOTALS = {
  // The entry tier ("member"), which gives no discount.
  member: { netSpendMinor: 8_600, orders: 2 },
  silver: { netSpendMinor: 31_800, orders: 5 },
  gold: { netSpendMinor: 64_250, orders: 9 },
  // The top tier: no next tier to reach.
  platinum: { netSpendMinor: 142_000, orders: 21 },
} as const;

/** The shoppers `?shopper=` chooses: a tier's handle, "nonmember" or "guest". */
export const FIXTURE_SHOPPERS: Record<string, StorefrontCustomer | null> = {
  member: fixtureMember("7001", "Lena", "Fischer", FIXTURE_TOTALS.member.netSpendMinor, FIXTURE_TOTALS.member.orders),
  silver: fixtureMember("7002", "Sofia", "Rossi", FIXTURE_TOTALS.silver.netSpendMinor, FIXTURE_TOTALS.silver.orders),
  gold: fixtureMember("7003", "Fang", "Wang", FIXTURE_TOTALS.gold.netSpendMinor, FIXTURE_TOTALS.gold.orders),
  platinum: fixtureMember("7004", "Kenji", "Sato", FIXTURE_TOTALS.platinum.netSpendMinor, FIXTURE_TOTALS.platinum.orders),
  // Signed in, never placed: no membership value.
  nonmember: { id: "7005", firstName: "Maya", lastName: "Cohen", email: "maya@example.com", membership: null },
  guest: null,
};
