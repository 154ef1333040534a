/**
 * Reads the shop metafield `$app:program` the app publishes
 * (app/domain/program-metafield.ts, `programMetafieldSchema`), for the one
 * thing the account page tells a customer without a tier: the first tier that
 * gives a discount, what it takes and what it gives ("Reach Silver ($200.00
 * in 12 months) for 5% off every order").
 *
 * Hand-written, not zod, for the bundle (see membership.ts). It checks only
 * the fields that line uses, and only on the tiers up to the one it names: a
 * value it cannot read yields null and the page says nothing about discounts.
 */
import type { ProgramMetafieldValue } from "../../../app/domain/program-metafield";
import { isRecord, isString, localized, metafieldJson, type LocalizedText } from "./membership";

/** `PROGRAM_METAFIELD_VERSION` in app/domain/program-metafield.ts. */
const SUPPORTED_VERSION = 1;

export type ProgramWindow = ProgramMetafieldValue["window"];

/** The first tier (by rank) whose discount is above 0%, as the account page words it. */
export interface DiscountTier {
  name: LocalizedText;
  handle: string;
  /** Both null: the entry tier, which every member holds. */
  spendMinor: number | null;
  orders: number | null;
  qualifyBy: "both" | "either";
  percent: number;
  /** "products" also when the discount is on the order but some products are excluded: the page says "eligible items" then. */
  scope: "subtotal" | "products";
  window: ProgramWindow;
  currencyCode: string;
}

const nullableCount = (value: unknown): number | null | undefined => (value === null ? null : Number.isInteger(value) && (value as number) >= 0 ? (value as number) : undefined);

function programWindow(value: unknown): ProgramWindow | null {
  if (!isRecord(value)) return null;
  if (value.kind === "lifetime" || value.kind === "calendarYear") return { kind: value.kind };
  if (value.kind === "rolling" && Number.isInteger(value.months) && (value.months as number) > 0) return { kind: "rolling", months: value.months as number };
  return null;
}

/** The metafield's JSON text (or parsed object); null when missing, unreadable, or no tier gives a discount. */
export function firstDiscountTier(raw: unknown): DiscountTier | null {
  const value = metafieldJson(raw);
  if (!isRecord(value) || value.v !== SUPPORTED_VERSION || !Array.isArray(value.tiers)) return null;
  const window = programWindow(value.window);
  if (!window || !isString(value.currencyCode) || !/^[A-Z]{3}$/.test(value.currencyCode)) return null;
  const tiers = value.tiers.filter(isRecord);
  if (tiers.length !== value.tiers.length || tiers.some((tier) => !Number.isInteger(tier.rank))) return null;
  // Published by rank; sorted again so a reordered value cannot name a higher tier first.
  const byRank = [...tiers].sort((a, b) => (a.rank as number) - (b.rank as number));
  const tier = byRank.find((candidate) => typeof candidate.discountPercent === "number" && candidate.discountPercent > 0);
  if (!tier) return null;
  const percent = tier.discountPercent as number;
  const name = localized(tier.name);
  const requirement = isRecord(tier.requirement) ? tier.requirement : null;
  const spendMinor = nullableCount(requirement?.spendMinor);
  const orders = nullableCount(requirement?.orders);
  const qualifyBy = requirement?.qualifyBy;
  if (!name || !isString(tier.handle) || percent > 100 || spendMinor === undefined || orders === undefined) return null;
  if ((qualifyBy !== "both" && qualifyBy !== "either") || (tier.discountScope !== "subtotal" && tier.discountScope !== "products")) return null;
  const scope = tier.discountScope === "products" || tier.someProductsExcluded === true ? "products" : "subtotal";
  return { name, handle: tier.handle, spendMinor, orders, qualifyBy, percent, scope, window, currencyCode: value.currencyCode };
}
