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

/** The shoppers `?shopper=` chooses: a tier's handle, "nonmember" or "guest". */
export const FIXTURE_SHOPPERS: Record<string, StorefrontCustomer | null> = {
  // $86 over 2 orders: the entry tier ("member"), which gives no discount.
  member: fixtureMember("7001", "Lena", "Fischer", 8_600, 2),
  // $318 over 5 orders: Silver, $182 from Gold.
  silver: fixtureMember("7002", "Sofia", "Rossi", 31_800, 5),
  gold: fixtureMember("7003", "Fang", "Wang", 64_250, 9),
  // The top tier: no next tier to reach.
  platinum: fixtureMember("7004", "Kenji", "Sato", 142_000, 21),
  // Signed in, never placed: no membership value.
  nonmember: { id: "7005", firstName: "Maya", lastName: "Cohen", email: "maya@example.com", membership: null },
  guest: null,
};
