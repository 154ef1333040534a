/**
 * The tier program as published to Shopify: the app-owned shop metafield
 * `$app:program` (declared in shopify.app.toml), which the theme app extension
 * renders in Liquid (the tier ladder, the guest's invitation) and the account
 * page reads for non-members ("Reach Silver ... for 5% off every order").
 *
 * Pure. Only what a shopper is told: no excluded product ids, no combination
 * rules, no grace days. A theme reads it on every page view, so it stays small
 * (checked against PROGRAM_METAFIELD_LIMIT_BYTES before the tiers are saved).
 */
import { z } from "zod";
import type { TierProgram, TierProgramErrors, TierRule, TierWindow } from "./tiers";
import { byRank } from "./tiers";

export const PROGRAM_METAFIELD_VERSION = 1;
export const PROGRAM_METAFIELD = { namespace: "$app", key: "program", type: "json" } as const;
/**
 * Our own bound, far below Shopify's (a json metafield value may be up to
 * 2 MB): the value is in every storefront page's Liquid context, and eight
 * tiers with generous perk texts stay well inside it.
 */
export const PROGRAM_METAFIELD_LIMIT_BYTES = 16_000;

const localized = z.object({ en: z.string(), "zh-CN": z.string() }).strict();

export const programTierSchema = z
  .object({
    handle: z.string(),
    rank: z.number().int(),
    name: localized,
    /**
     * What reaching the tier takes, inside the program's window. Both null: the
     * entry tier (every member). With both set, `qualifyBy` says whether the
     * member needs both or either.
     */
    requirement: z
      .object({
        spendMinor: z.number().int().nonnegative().nullable(),
        orders: z.number().int().nonnegative().nullable(),
        qualifyBy: z.enum(["both", "either"]),
      })
      .strict(),
    /** 0: the tier gives no discount (the shopper is not promised savings). */
    discountPercent: z.number().min(0).max(100),
    /** "subtotal": the whole order; "products": eligible products only. */
    discountScope: z.enum(["subtotal", "products"]),
    /** Some products get no discount (tags, products or collections the merchant excluded). */
    someProductsExcluded: z.boolean(),
    freeShipping: z.boolean(),
    perks: z.array(localized),
    birthdayGift: z.string().nullable(),
    /** Given once on reaching the tier. */
    entryGift: z.string().nullable(),
  })
  .strict();

/** The value's contract with its readers (theme app extension, account page). */
export const programMetafieldSchema = z
  .object({
    v: z.literal(PROGRAM_METAFIELD_VERSION),
    /** The shop's currency: the requirement's spend is in its minor units. */
    currencyCode: z.string().regex(/^[A-Z]{3}$/),
    window: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("lifetime") }).strict(),
      z.object({ kind: z.literal("rolling"), months: z.number().int().positive() }).strict(),
      z.object({ kind: z.literal("calendarYear") }).strict(),
    ]),
    /** By rank, the entry tier first. */
    tiers: z.array(programTierSchema).min(1),
  })
  .strict();

export type ProgramMetafieldValue = z.infer<typeof programMetafieldSchema>;
export type ProgramTier = z.infer<typeof programTierSchema>;

function publishedWindow(window: TierWindow): ProgramMetafieldValue["window"] {
  return window.kind === "rolling" ? { kind: "rolling", months: window.months } : { kind: window.kind };
}

function publishedTier(tier: TierRule): ProgramTier {
  const { perks } = tier;
  return {
    handle: tier.handle,
    rank: tier.rank,
    name: tier.name,
    requirement: { spendMinor: tier.minNetSpendMinor, orders: tier.minOrders, qualifyBy: tier.qualifyBy },
    discountPercent: perks.discountPercent,
    discountScope: perks.discountScope,
    // Trimmed as the Function's configuration trims them: a blank tag excludes nothing.
    someProductsExcluded: perks.excludedProductTags.some((tag) => tag.trim() !== "") || (perks.excludedProducts?.length ?? 0) > 0 || (perks.excludedCollections?.length ?? 0) > 0,
    freeShipping: perks.freeShipping,
    perks: perks.notes,
    birthdayGift: perks.birthdayGift,
    entryGift: tier.entryGift,
  };
}

/** The value published for a program, in the shop's currency. */
export function programMetafieldValue(program: Pick<TierProgram, "tiers" | "window">, currencyCode: string): ProgramMetafieldValue {
  return {
    v: PROGRAM_METAFIELD_VERSION,
    currencyCode,
    window: publishedWindow(program.window),
    tiers: byRank(program.tiers).map(publishedTier),
  };
}

/**
 * The serialised value: validated against the schema its readers parse with
 * (a value they would reject is never published) and bounded in size. Keys in
 * a fixed order, so an unchanged program serialises identically and is not
 * written again.
 */
export function serializeProgram(value: ProgramMetafieldValue): string {
  const parsed = programMetafieldSchema.safeParse(value);
  if (!parsed.success) throw new Error(`program metafield value is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "value"}: ${issue.message}`).join("; ")}`);
  const text = JSON.stringify(value);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > PROGRAM_METAFIELD_LIMIT_BYTES) throw new Error(`program metafield is ${bytes} bytes; at most ${PROGRAM_METAFIELD_LIMIT_BYTES} are published`);
  return text;
}

/** The published program, or null for anything that is not a value of ours (readers then show their neutral version). */
export function parseProgram(serialized: string | null | undefined): ProgramMetafieldValue | null {
  if (!serialized) return null;
  try {
    const parsed = programMetafieldSchema.safeParse(JSON.parse(serialized));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Errors for a program whose published value would pass the size bound (long
 * perk texts on many tiers), checked before the rules are saved so the
 * storefront never keeps showing a program the merchant has since changed.
 */
export function programSizeErrors(program: Pick<TierProgram, "tiers" | "window">): TierProgramErrors {
  const bytes = new TextEncoder().encode(JSON.stringify(programMetafieldValue(program, "USD"))).length;
  if (bytes <= PROGRAM_METAFIELD_LIMIT_BYTES) return {};
  return { tiers: { key: "tiers.errors.tooLargeForStorefront", vars: { bytes, max: PROGRAM_METAFIELD_LIMIT_BYTES } } };
}
