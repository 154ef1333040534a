/**
 * A campaign's audience (issue 9), as the merchant builds it: every list is
 * "any of" and an empty list does not filter; the lists combine with "and".
 * "Bought product X" finds the members who bought any of those products
 * (within the last N days when given), so a promotion of a product reaches
 * exactly the people who know it. Pure: the SQL is built from this in
 * app/models/campaign-audience.server.ts.
 *
 * `reachableOnly` (default on) keeps the audience to members the campaign's
 * channel may reach with marketing (subscribed to email or SMS marketing, with
 * an address). The holdout is drawn from the same set, so the two groups
 * differ only in being contacted; members the policy would block are not
 * counted as "contacted" by accident.
 *
 * Issues 20 and 21: everything is chosen, not typed. Products come from App
 * Bridge's resource picker (its GIDs are kept as the numeric ids order lines
 * carry; `productTitles` only labels them); countries, provinces and cities
 * from the shop's own customers' addresses (a province or a city is named
 * with its country: codes and city names repeat across countries); tags from
 * the shop's customers. The customer file adds sizes, style and product
 * preferences by keyword (any keyword found in the text, case aside), the
 * file's tags and "accepts promotions". File criteria are evaluated by the app
 * only: a Shopify segment cannot see them (ADR 0026).
 */
import { z } from "zod";
import type { MessageKey } from "~/i18n";
import { LIFECYCLE_STAGES, RFM_SEGMENTS, VALUE_CLASSES } from "../intelligence";

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max).default([]);

const countryCode = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/);
// A product as the resource picker gives it (gid://shopify/Product/123) or as order lines hold it (123).
const productId = z
  .string()
  .trim()
  .regex(/^(?:gid:\/\/shopify\/Product\/)?\d{1,20}$/)
  .transform((id) => id.replace(/^gid:\/\/shopify\/Product\//, ""));
const word = (max: number) => z.string().trim().min(1).max(max);

export const audienceSchema = z.object({
  tiers: list(z.string().trim().min(1).max(64), 20),
  segments: list(z.enum(RFM_SEGMENTS), RFM_SEGMENTS.length),
  stages: list(z.enum(LIFECYCLE_STAGES), LIFECYCLE_STAGES.length),
  valueClasses: list(z.enum(VALUE_CLASSES), VALUE_CLASSES.length),
  countries: list(countryCode, 60),
  provinces: list(z.object({ countryCode, provinceCode: word(16) }), 100),
  cities: list(z.object({ countryCode, city: word(120) }), 100),
  tags: list(z.string().trim().min(1).max(255), 20),
  boughtProducts: list(productId, 50),
  /** What the merchant picked, by id: shown in the editor, never used to choose members. */
  productTitles: z.record(z.string(), z.string().max(255)).default({}),
  boughtWithinDays: z.number().int().min(1).max(3650).nullable().default(null),
  // The customer file (issue 21).
  clothingSizes: list(word(40), 30),
  shoeSizes: list(word(40), 30),
  styleKeywords: list(word(60), 20),
  productKeywords: list(word(60), 20),
  fileTags: list(word(60), 20),
  /** true: the file says they welcome promotions; false: it says they do not; null: either or unknown. */
  acceptsPromotions: z.boolean().nullable().default(null),
  reachableOnly: z.boolean().default(true),
});

export type AudienceFilter = z.infer<typeof audienceSchema>;

/** The audience's criteria that read the customer file (app-side only: ADR 0026). */
export function fileCriteria(audience: AudienceFilter): boolean {
  return (
    audience.clothingSizes.length + audience.shoeSizes.length + audience.styleKeywords.length + audience.productKeywords.length + audience.fileTags.length > 0 || audience.acceptsPromotions !== null
  );
}
export const EMPTY_AUDIENCE: AudienceFilter = audienceSchema.parse({});

export type AudienceResult = { ok: true; audience: AudienceFilter } | { ok: false; errors: Record<string, MessageKey> };

/** The audience as the editor sent it: field errors (422) name the list that is wrong. */
export function validateAudience(input: unknown): AudienceResult {
  const parsed = audienceSchema.safeParse(input);
  if (parsed.success) {
    if (parsed.data.boughtWithinDays !== null && parsed.data.boughtProducts.length === 0) {
      return { ok: false, errors: { boughtWithinDays: "campaigns.errors.boughtWithinNeedsProducts" } };
    }
    return { ok: true, audience: parsed.data };
  }
  const errors: Record<string, MessageKey> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "audience");
    errors[field] ??= `campaigns.errors.audience.${field}` as MessageKey;
  }
  return { ok: false, errors };
}

/**
 * A stored audience, or null when it cannot be read: never read as "no
 * filter", which would send to everyone; callers refuse to schedule.
 */
export function parseStoredAudience(json: string | null): AudienceFilter | null {
  try {
    const parsed = audienceSchema.safeParse(JSON.parse(json ?? "{}"));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
