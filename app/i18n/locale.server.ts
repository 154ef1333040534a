import { createCookie } from "@remix-run/node";
import { matchLocale, type Locale } from "./index";

/**
 * Shopify admin adds `locale` to the app's URL on the first load; later
 * navigations inside the frame do not carry it, so the choice is kept in a
 * cookie. Then the browser's languages, then English.
 */
const localeCookie = createCookie("membercare_locale", { path: "/", sameSite: "none", secure: true, httpOnly: true, maxAge: 60 * 60 * 24 * 365 });

export async function resolveLocale(request: Request): Promise<{ locale: Locale; setCookie: string | null }> {
  const fromUrl = matchLocale(new URL(request.url).searchParams.get("locale"));
  if (fromUrl) return { locale: fromUrl, setCookie: await localeCookie.serialize(fromUrl) };
  const fromCookie = matchLocale(await localeCookie.parse(request.headers.get("Cookie")));
  if (fromCookie) return { locale: fromCookie, setCookie: null };
  const accepted = (request.headers.get("Accept-Language") ?? "").split(",").map((part) => matchLocale(part.split(";")[0])).find(Boolean);
  return { locale: accepted ?? "en", setCookie: null };
}
