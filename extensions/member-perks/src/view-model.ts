/**
 * What a shopper is shown about their membership, from what the extension
 * knows: whether they are signed in, the raw `$app:membership` value, their
 * language, and the host's formatters. Pure: the targets read `shopify.*` and
 * pass it in; the components turn a view into Polaris elements and strings.
 */
import { parseMembership, type LocalizedText } from "./membership";
import { currencyDigits, memberSavings, orderProgress, qualifyingSpend, type OrderFacts } from "./order";
import { firstDiscountTier, type ProgramWindow } from "./program";

/** The languages tier names and perks are written in (the app's `Locale`). */
export type PerksLanguage = keyof LocalizedText;

/** Chinese in any variant reads the zh-CN texts; everyone else the English ones. */
export function perksLanguage(locale: string): PerksLanguage {
  return locale.trim().toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/** The shopper's own formatting, supplied by the host (`shopify.i18n`) or by Intl in tests. */
export interface Formatters {
  /** An amount in major units (42.5) of an ISO 4217 currency. */
  money(amount: number, currencyCode: string): string;
  date(date: Date): string;
}

/**
 * Who is looking. `membership` is the metafield value as the host returns it:
 * undefined or null when the customer has none (not placed in a tier yet).
 */
export type Shopper = { signedIn: false } | { signedIn: true; membership: unknown };

export interface MemberView {
  kind: "member";
  tierName: string;
  /** Null when the tier's discount is 0%. */
  discount: { percent: number; scope: "subtotal" | "products" } | null;
  freeShipping: boolean;
  perks: string[];
  birthdayGift: string | null;
  /** Null at the top tier. */
  nextTier: NextTierView | null;
  /** Formatted dates. */
  nextReview: string | null;
  downgradeOn: string | null;
  /** While a downgrade is announced: what keeps the tier, and the last day that counts (formatted). */
  review: ReviewView | null;
  /** What this cart or order does for the next tier (order.ts); null when it cannot be told, and the synced line stands. */
  thisOrder: ThisOrderView | null;
  /** What the member discount took off this order, formatted; null when there is none or it cannot be told. */
  saved: string | null;
}

export type ThisOrderView = { kind: "reaches"; tier: string } | { kind: "short"; tier: string; amount: string };

export interface ReviewView {
  by: string;
  /** Formatted money in the shop's currency; null when spend is not what keeps the tier. */
  spendToKeep: string | null;
  ordersToKeep: number | null;
}

export interface NextTierView {
  name: string;
  /** Formatted money; null when spend is not a criterion or is already met. */
  spendNeeded: string | null;
  /** Null when orders are not a criterion or are already met. */
  ordersNeeded: number | null;
}

/**
 * What the account page tells a customer without a tier, from the program the
 * shop publishes (`$app:program`): the first tier that gives a discount, what
 * reaching it takes and what it gives. Absent when no tier gives one, or the
 * program cannot be read: then no discount is promised.
 */
export interface InvitationView {
  tier: string;
  percent: number;
  scope: "subtotal" | "products";
  /** Null when spend is no criterion; both null: the entry tier, which every member holds. */
  spend: string | null;
  orders: number | null;
  qualifyBy: "both" | "either";
  window: ProgramWindow;
}

export type PerksView = { kind: "guest" } | { kind: "non-member"; invitation?: InvitationView } | MemberView;

/** The account page fetches the membership itself, so it also waits and can fail. */
export type PageView = PerksView | { kind: "loading" } | { kind: "unavailable" };

/** Where the account page's fetch stands: the customer's membership and the shop's published program. */
export type MembershipFetch = { status: "loading" } | { status: "failed" } | { status: "loaded"; membership: unknown; program?: unknown };

/** Customer accounts are always signed in; a failed fetch is not a missing membership. */
export function pageView(fetched: MembershipFetch, locale: string, format: Formatters): PageView {
  if (fetched.status === "loading") return { kind: "loading" };
  if (fetched.status === "failed") return { kind: "unavailable" };
  const view = perksView({ signedIn: true, membership: fetched.membership }, locale, format);
  if (view.kind !== "non-member") return view;
  const tier = firstDiscountTier(fetched.program);
  if (!tier) return view;
  return {
    kind: "non-member",
    invitation: {
      tier: text(tier.name, perksLanguage(locale)) || tier.handle,
      percent: tier.percent,
      scope: tier.scope,
      spend: tier.spendMinor ? money(tier.spendMinor, tier.currencyCode, format) : null,
      orders: tier.orders || null,
      qualifyBy: tier.qualifyBy,
      window: tier.window,
    },
  };
}

/**
 * The cart at checkout, the placed order on the thank-you and order status
 * pages: what the tier saved on it, and, where the membership read is the one
 * from before it (checkout, the thank-you page: the app places the member
 * again only once Shopify reports the order), what it does for the next tier.
 * The order status page is opened long after, when the value may already
 * count the order, so it passes `beforeThisOrder: false` and keeps the synced line.
 */
export interface OrderContext {
  facts: OrderFacts;
  beforeThisOrder: boolean;
}

export function perksView(shopper: Shopper, locale: string, format: Formatters, order?: OrderContext): PerksView {
  if (!shopper.signedIn) return { kind: "guest" };
  const membership = parseMembership(shopper.membership);
  if (!membership) return { kind: "non-member" };

  const language = perksLanguage(locale);
  const { tier, discount, progress } = membership;
  const nextName = progress && (text(progress.next.name, language) || progress.next.handle);
  const forNext = order?.beforeThisOrder && nextName ? orderProgress(membership, qualifyingSpend(order.facts)) : null;
  const saved = order ? memberSavings(order.facts) : null;
  return {
    kind: "member",
    tierName: text(tier.name, language) || tier.handle,
    discount: discount.percent > 0 ? { percent: discount.percent, scope: discount.scope } : null,
    freeShipping: membership.freeShipping,
    perks: membership.perks.map((perk) => text(perk, language)).filter((perk) => perk !== ""),
    birthdayGift: membership.birthdayGift?.trim() || null,
    nextTier: progress && {
      name: nextName || progress.next.handle,
      spendNeeded: progress.spendNeededMinor ? money(progress.spendNeededMinor, progress.currencyCode, format) : null,
      ordersNeeded: progress.ordersNeeded || null,
    },
    nextReview: membership.nextEvaluation && safeDate(membership.nextEvaluation, format),
    downgradeOn: membership.downgradeOn && safeDate(membership.downgradeOn, format),
    review: membership.review
      ? {
          by: safeDay(membership.review.by, format),
          spendToKeep: membership.review.spendToKeepMinor ? money(membership.review.spendToKeepMinor, membership.review.currencyCode, format) : null,
          ordersToKeep: membership.review.ordersToKeep,
        }
      : null,
    thisOrder:
      forNext && nextName
        ? forNext.kind === "reaches"
          ? { kind: "reaches", tier: nextName }
          : { kind: "short", tier: nextName, amount: money(forNext.missing.amountMinor, forNext.missing.currencyCode, format) }
        : null,
    saved: saved && money(saved.amountMinor, saved.currencyCode, format),
  };
}

/** The shopper's language, else the other one: merchants sometimes fill in only one. */
function text(value: LocalizedText, language: PerksLanguage): string {
  return value[language].trim() || value.en.trim() || value["zh-CN"].trim();
}

/**
 * The metafield keeps money in minor units of the shop's currency; the host
 * formats major units. ISO 4217 exponents as Intl knows them (JPY 0, USD 2, KWD 3).
 */
export function minorToMajor(amountMinor: number, currencyCode: string): number {
  // An unknown code counts in cents, and the formatter below copes.
  return amountMinor / 10 ** currencyDigits(currencyCode);
}

function money(amountMinor: number, currencyCode: string, format: Formatters): string {
  const amount = minorToMajor(amountMinor, currencyCode);
  try {
    return format.money(amount, currencyCode);
  } catch {
    // Intl throws RangeError on a code it does not know; a plain figure beats a blank page.
    return `${amount} ${currencyCode}`;
  }
}

/**
 * A calendar day (YYYY-MM-DD, the shop's) as that same day in the shopper's
 * format: noon of the day on the shopper's own clock, which the host formats in
 * their zone, so no zone moves it to the day before or after.
 */
function safeDay(day: string, format: Formatters): string {
  const [year, month, date] = day.split("-").map(Number);
  try {
    return format.date(new Date(year, month - 1, date, 12));
  } catch {
    return day;
  }
}

function safeDate(iso: string, format: Formatters): string {
  const date = new Date(iso);
  try {
    return format.date(date);
  } catch {
    return iso.slice(0, 10);
  }
}
