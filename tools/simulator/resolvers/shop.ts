// `shop` and `shopLocales`.
import { gid, type FieldResolver, type ResolverContext } from "./common";
import { metafieldFields } from "./metafields";

/** The shop's UTC offset at the simulated time, from its IANA zone ("+0800", 480). */
function utcOffset(ianaTimezone: string, at: number) {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: ianaTimezone, timeZoneName: "longOffset" }).formatToParts(at).find((part) => part.type === "timeZoneName")!.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const minutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  const sign = minutes < 0 ? "-" : "+";
  const absolute = Math.abs(minutes);
  return { timezoneOffsetMinutes: minutes, timezoneOffset: `${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}${String(absolute % 60).padStart(2, "0")}` };
}

function shopObject(context: ResolverContext) {
  const { shop, state } = context;
  const id = gid("Shop", shop.id);
  return {
    __typename: "Shop",
    id,
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    myshopifyDomain: shop.domain,
    url: `https://${shop.domain}`,
    ianaTimezone: shop.ianaTimezone,
    ...utcOffset(shop.ianaTimezone, state.clock()),
    currencyCode: shop.currencyCode,
    enabledPresentmentCurrencies: [shop.currencyCode],
    createdAt: shop.createdAt,
    ...metafieldFields(id, context),
  };
}

const languageNames = new Intl.DisplayNames("en", { type: "language" });

export const shopQueries: Record<string, FieldResolver> = {
  shop: (_args, context) => shopObject(context),
  // `published: false` (the default) means all locales, not the unpublished ones.
  shopLocales: ({ published }: { published: boolean }, { shop }) =>
    shop.locales.filter((locale) => !published || locale.published).map((locale) => ({ ...locale, name: languageNames.of(locale.locale) ?? locale.locale, marketWebPresences: [] })),
};
