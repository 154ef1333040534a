// Saved views of the admin lists (issue 20): a merchant names the view they
// are looking at (its filters, sort and search, which all live in the URL:
// ./list-query.ts) and finds it again as a tab after the list's built-in ones.
// A view is stored as the URL's search params, canonical, without what only
// places the reader in the list (the page, a keyset cursor, an opened row) and
// without the saved view's own marker, so choosing a view restores exactly the
// filters it was saved with and "has it changed?" is a string comparison.
// Pure: the model stores what these return, the routes and pages call them.
import { z } from "zod";

/** The lists that keep saved views; the key is stored with each view. */
export const SAVED_VIEW_LISTS = ["members", "followUps", "messages", "shipments", "campaigns"] as const;
export type SavedViewList = (typeof SAVED_VIEW_LISTS)[number];

/** The URL param that says which saved view the list shows (its id). */
export const SAVED_VIEW_PARAM = "saved";
/**
 * What Shopify admin adds to an embedded app's URL (the shop, the admin's host
 * and language, the launch's signature and id token): the admin's, not the view's.
 * https://shopify.dev/docs/apps/build/admin/embedded-app-home (the app's URL params).
 */
const ADMIN_PARAMS = new Set(["embedded", "hmac", "host", "id_token", "locale", "session", "shop", "timestamp"]);
/** Where the reader is, not what the view is: never saved. */
const NOT_THE_VIEW = new Set(["page", "cursor", "before", "message", SAVED_VIEW_PARAM, ...ADMIN_PARAMS]);
/** Saved views per list: the tabs stay usable (Shopify's own lists scroll them into a "more views" menu). */
export const MAX_SAVED_VIEWS = 20;
export const VIEW_NAME_MAX = 40;
const QUERY_MAX = 1000;

export const viewNameSchema = z.string().trim().min(1).max(VIEW_NAME_MAX);
export const savedViewListSchema = z.enum(SAVED_VIEW_LISTS);

/**
 * The view a URL shows, as stored: params sorted by name (values of one name
 * keep their order), empty values and reader-position params dropped.
 */
export function viewQuery(params: URLSearchParams): string {
  const kept = [...params].filter(([name, value]) => !NOT_THE_VIEW.has(name) && value.trim() !== "");
  // A stable sort: repeated names (reason=a&reason=b) keep their order.
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(kept).toString();
}

/** A query sent to be saved, canonical; null when it is too long to be a list's view. */
export function parseViewQuery(text: string): string | null {
  if (text.length > QUERY_MAX) return null;
  return viewQuery(new URLSearchParams(text.startsWith("?") ? text.slice(1) : text));
}

/**
 * The URL params that show a view: the admin's params of the current URL
 * kept, the view's own in place of the list's, and the saved view's id
 * (null: a built-in view, whose params are `query`).
 */
export function viewParams(current: URLSearchParams, query: string, savedId: string | null): URLSearchParams {
  const params = new URLSearchParams([...current].filter(([name]) => ADMIN_PARAMS.has(name)));
  for (const [name, value] of new URLSearchParams(query)) params.append(name, value);
  if (savedId) params.set(SAVED_VIEW_PARAM, savedId);
  return params;
}

/** The view's search text (every list searches with `q`). */
export const viewSearchText = (query: string) => (new URLSearchParams(query).get("q") ?? "").trim();

/**
 * Whether a view's search could be looking for this person: the search holds
 * one of their identifiers (name, email, phone, id), or is a piece of one long
 * enough to mean something (three characters or more). customers/redact
 * clears such a search (the view keeps its filters); erring towards clearing
 * costs the merchant a search box's text, never a customer's erasure.
 */
export function searchNames(query: string, identifiers: ReadonlyArray<string | null | undefined>): boolean {
  const search = viewSearchText(query).toLowerCase();
  if (search === "") return false;
  return identifiers.some((identifier) => {
    const term = (identifier ?? "").trim().toLowerCase();
    if (term.length < 2) return false;
    return search.includes(term) || (search.length >= 3 && term.includes(search));
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Whether a view's name (the merchant's words) names this person: one of
 * their identifiers as a whole word ("Calls for Quilla", not "Annual" for
 * Ann); in Chinese, Japanese or Korean, which write no spaces, anywhere in it.
 * customers/redact deletes such a view: it was about them.
 */
export function nameNames(name: string, identifiers: ReadonlyArray<string | null | undefined>): boolean {
  const text = name.toLowerCase();
  return identifiers.some((identifier) => {
    const term = (identifier ?? "").trim().toLowerCase();
    if (term.length < 2) return false;
    if (CJK.test(term)) return text.includes(term);
    return new RegExp(`(^|[^\\p{L}\\p{N}])${escape(term)}($|[^\\p{L}\\p{N}])`, "u").test(text);
  });
}

/** The query without its search text. */
export function withoutSearch(query: string): string {
  const params = new URLSearchParams(query);
  params.delete("q");
  return viewQuery(params);
}
