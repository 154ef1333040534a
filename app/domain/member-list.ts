// The Members list's view, read from the page's URL (issue 20): search,
// filters, sort and page live in the search params, so a link keeps its view
// and the server filters, sorts and pages (a shop of 10,000 members sends 25
// rows). Pure: the route parses with `readMemberList`, the model queries with
// what it returns, the page writes a changed view back with `memberListParams`.
// Anything not understood falls back to the default rather than failing (an
// old bookmark still opens the list).
import { LIFECYCLE_STAGES, RFM_SEGMENTS, VALUE_CLASSES, type LifecycleStage, type RfmSegment, type ValueClass } from "./intelligence";

/**
 * How the list can be sorted: by the amount the tier is decided on (net spend
 * inside the program's window), the orders counted in that window, or the
 * last order.
 */
export const MEMBER_SORTS = ["qualifying", "orders", "recent"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export type Direction = "asc" | "desc";

export const MEMBER_PAGE_SIZE = 25;

/** Saved views (the tabs): every member, key customers, those at risk, those in a downgrade review. */
export const MEMBER_VIEWS = ["all", "key", "atRisk", "underReview"] as const;
export type MemberView = (typeof MEMBER_VIEWS)[number];

export interface MemberListView {
  view: MemberView;
  /** Name, email, phone or Shopify id. */
  query: string;
  tier: string | null;
  stage: LifecycleStage | null;
  valueClass: ValueClass | null;
  segment: RfmSegment | null;
  tag: string;
  country: string;
  sort: MemberSort;
  direction: Direction;
  page: number;
}

const one = <T extends string>(value: string | null, allowed: readonly T[]): T | null => (value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null);
const text = (value: string | null, max = 100) => (value ?? "").trim().slice(0, max);

export function readMemberList(params: URLSearchParams): MemberListView {
  const page = Number(params.get("page"));
  return {
    view: one(params.get("view"), MEMBER_VIEWS) ?? "all",
    query: text(params.get("q")),
    tier: text(params.get("tier"), 64) || null,
    stage: one(params.get("stage"), LIFECYCLE_STAGES),
    valueClass: one(params.get("valueClass"), VALUE_CLASSES),
    segment: one(params.get("segment"), RFM_SEGMENTS),
    tag: text(params.get("tag"), 255),
    country: text(params.get("country"), 2).toUpperCase(),
    sort: one(params.get("sort"), MEMBER_SORTS) ?? "qualifying",
    direction: one(params.get("direction"), ["asc", "desc"] as const) ?? "desc",
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

export const DEFAULT_MEMBER_LIST: MemberListView = readMemberList(new URLSearchParams());

/** The URL params of a view, without the defaults (so the plain list is /app/members). */
export function memberListParams(view: MemberListView): URLSearchParams {
  const params = new URLSearchParams();
  const put = (name: string, value: string | number | null, fallback: string | number | null) => {
    if (value !== null && value !== "" && value !== fallback) params.set(name, String(value));
  };
  put("view", view.view, DEFAULT_MEMBER_LIST.view);
  put("q", view.query, "");
  put("tier", view.tier, null);
  put("stage", view.stage, null);
  put("valueClass", view.valueClass, null);
  put("segment", view.segment, null);
  put("tag", view.tag, "");
  put("country", view.country, "");
  put("sort", view.sort, DEFAULT_MEMBER_LIST.sort);
  put("direction", view.direction, DEFAULT_MEMBER_LIST.direction);
  put("page", view.page, 1);
  return params;
}

/** The page's place in the whole list, for "26–50 of 132" and the two pagination buttons. */
export function memberPageInfo(page: number, total: number, pageSize = MEMBER_PAGE_SIZE) {
  const offset = (page - 1) * pageSize;
  const from = total === 0 ? 0 : Math.min(total, offset + 1);
  const to = Math.min(total, offset + pageSize);
  return { from, to, total, hasPrevious: page > 1, hasNext: to < total };
}
