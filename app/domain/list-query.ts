// What an admin list shows, read from the page's URL search params (issue 20):
// Members, Follow-ups, Messages, Shipments in trouble and Campaigns filter,
// sort and page on the server, so a link keeps its view and a long list stays
// one page of rows (a shop of 10,000 members sends 25).
// Pure: the routes parse with these, the models query with what they return,
// and the pages write a changed view back with `listParams`. Anything not
// understood falls back to the list's default rather than failing the page
// (an old bookmark still opens the list).
import { ANOMALY_KINDS, CHANNELS, MESSAGE_STATUSES, type AnomalyKind, type Channel, type MessageStatus } from "./care/types";
import { FOLLOW_UP_REASONS, type FollowUpReason } from "./follow-ups";
import { LIFECYCLE_STAGES, RFM_SEGMENTS, VALUE_CLASSES, type LifecycleStage, type RfmSegment, type ValueClass } from "./intelligence";

export const PAGE_SIZES = [25, 50] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export type Direction = "asc" | "desc";

const one = <T extends string>(value: string | null, allowed: readonly T[]): T | null => (value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null);
/** A multi-valued param: repeated (`reason=a&reason=b`) or comma separated; unknown values dropped, order of `allowed`. */
const many = <T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T[] => {
  const given = new Set(params.getAll(name).flatMap((value) => value.split(",")));
  return allowed.filter((value) => given.has(value));
};
const text = (value: string | null, max = 100) => (value ?? "").trim().slice(0, max);
const pageOf = (value: string | null) => {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
};
const sizeOf = (value: string | null): PageSize => (PAGE_SIZES as readonly number[]).includes(Number(value)) ? (Number(value) as PageSize) : PAGE_SIZES[0];
const directionOf = (value: string | null, fallback: Direction): Direction => (value === "asc" || value === "desc" ? value : fallback);
/** The sort direction: `dir`, or `direction` as Members and Messages links said it before the lists shared one reading. */
const dirParam = (params: URLSearchParams) => params.get("dir") ?? params.get("direction");

interface Paged {
  page: number;
  pageSize: PageSize;
}

/** Rows to skip for this page. */
export const offsetOf = (query: Paged) => (query.page - 1) * query.pageSize;

/** The page's place in the whole list, for "26–50 of 132" and the two pagination buttons. */
export function pageInfo(query: Paged, total: number) {
  const from = total === 0 ? 0 : Math.min(total, offsetOf(query) + 1);
  const to = Math.min(total, offsetOf(query) + query.pageSize);
  return { from, to, total, hasPrevious: query.page > 1, hasNext: to < total };
}

// ------------------------------------------------------------ Members

/**
 * How the list can be sorted: by the amount the tier is decided on (net spend
 * inside the program's window), the orders counted in that window, or the
 * last order.
 */
export const MEMBER_SORTS = ["qualifying", "orders", "recent"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const MEMBER_PAGE_SIZE = 25;
/** Built-in views (the first tabs): every member, key customers, those at risk, those in a downgrade review. */
export const MEMBER_VIEWS = ["all", "key", "atRisk", "underReview"] as const;
export type MemberView = (typeof MEMBER_VIEWS)[number];

export interface MemberListView {
  view: MemberView;
  /** Name, email, phone or Shopify id (the `q` param). */
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

export function parseMemberListQuery(params: URLSearchParams): MemberListView {
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
    direction: directionOf(dirParam(params), "desc"),
    page: pageOf(params.get("page")),
  };
}

// ------------------------------------------------------------ Follow-ups

/**
 * Views (the tabs): `today` is the day's list, the dailyCapacity most
 * valuable tasks on the list (issue 17); `all` every task on the list; `mine`
 * those assigned to the staff member looking; `snoozed` those snoozed to a
 * later day (not on the list yet).
 */
export const FOLLOW_UP_VIEWS = ["today", "all", "mine", "snoozed"] as const;
export type FollowUpView = (typeof FOLLOW_UP_VIEWS)[number];
/** Due, in the shop's calendar: before today, today, in the next 7 days (today included), after that. */
export const FOLLOW_UP_DUE = ["overdue", "today", "week", "later"] as const;
export type FollowUpDue = (typeof FOLLOW_UP_DUE)[number];
/** `value`: most valuable first (the ranking of app/domain/follow-ups.ts); `asc` is that order. */
export const FOLLOW_UP_SORTS = ["value", "due", "lastOrder", "customer"] as const;
export type FollowUpSort = (typeof FOLLOW_UP_SORTS)[number];

export interface FollowUpListQuery extends Paged {
  view: FollowUpView;
  q: string;
  reasons: FollowUpReason[];
  /** "me", "none" (nobody) or a staff member's id. */
  assignee: string | null;
  due: FollowUpDue | null;
  sort: FollowUpSort;
  direction: Direction;
}

export function parseFollowUpListQuery(params: URLSearchParams): FollowUpListQuery {
  const sort = one(params.get("sort"), FOLLOW_UP_SORTS) ?? "value";
  const assignee = text(params.get("assignee"));
  return {
    view: one(params.get("view"), FOLLOW_UP_VIEWS) ?? "today",
    q: text(params.get("q")),
    reasons: many(params, "reason", FOLLOW_UP_REASONS),
    assignee: assignee === "" ? null : assignee,
    due: one(params.get("due"), FOLLOW_UP_DUE),
    sort,
    // The natural reading of each: most valuable, soonest due, latest order, A to Z.
    direction: directionOf(params.get("dir"), sort === "lastOrder" ? "desc" : "asc"),
    page: pageOf(params.get("page")),
    pageSize: sizeOf(params.get("size")),
  };
}

// ------------------------------------------------------------ Messages

/** Built-in views (the first tabs): each is a set of statuses. */
export const MESSAGE_VIEWS = {
  all: [],
  waiting: ["scheduled", "deferred", "paused", "sending"],
  sent: ["sent"],
  notSent: ["blocked", "failed", "expired", "cancelled", "heldOut"],
} as const satisfies Record<string, readonly MessageStatus[]>;
export type MessageView = keyof typeof MESSAGE_VIEWS;
export const MESSAGE_VIEW_NAMES = Object.keys(MESSAGE_VIEWS) as MessageView[];
/** `updated`: the last change (newest first); `date`: when it was planned. */
export const MESSAGE_SORTS = ["updated", "date"] as const;
export type MessageSort = (typeof MESSAGE_SORTS)[number];
export const MESSAGE_PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOf = (value: string | null) => (value !== null && DAY.test(value) ? value : null);
/** A keyset cursor as the model wrote it (opaque here; the model refuses one it cannot read). */
const cursorOf = (value: string | null) => (value && value.length <= 400 ? value : null);

export interface MessageListQuery {
  /** The customer's name or email. */
  q: string;
  statuses: MessageStatus[];
  channel: Channel | null;
  source: "flow" | "campaign" | null;
  /** A care flow's key or a campaign's id. */
  flow: string | null;
  /** Calendar days in the shop's zone, both whole. */
  from: string | null;
  to: string | null;
  sort: MessageSort;
  direction: Direction;
  /** Keyset pages: the rows after `cursor`, or those before `before`. */
  cursor: string | null;
  before: string | null;
}

export function parseMessageListQuery(params: URLSearchParams): MessageListQuery {
  return {
    q: text(params.get("q"), 200),
    statuses: many(params, "status", MESSAGE_STATUSES),
    channel: one(params.get("channel"), CHANNELS),
    source: one(params.get("source"), ["flow", "campaign"] as const),
    flow: text(params.get("flow")) || null,
    from: dayOf(params.get("from")),
    to: dayOf(params.get("to")),
    sort: one(params.get("sort"), MESSAGE_SORTS) ?? "updated",
    direction: directionOf(dirParam(params), "desc"),
    cursor: cursorOf(params.get("cursor")),
    before: cursorOf(params.get("before")),
  };
}

/** The built-in view whose statuses are exactly these, if any. */
export function messageViewOf(statuses: readonly MessageStatus[]): MessageView | null {
  return MESSAGE_VIEW_NAMES.find((view) => MESSAGE_VIEWS[view].length === statuses.length && statuses.every((status) => (MESSAGE_VIEWS[view] as readonly string[]).includes(status))) ?? null;
}

// ------------------------------------------------------------ Shipments in trouble

/** Days since the parcel shipped: under a week, one to two weeks, two weeks or more. */
export const SHIPMENT_AGES = ["week", "twoWeeks", "older"] as const;
export type ShipmentAge = (typeof SHIPMENT_AGES)[number];
export const SHIPMENT_AGE_DAYS: Readonly<Record<ShipmentAge, { from: number; to: number | null }>> = Object.freeze({ week: { from: 0, to: 7 }, twoWeeks: { from: 7, to: 14 }, older: { from: 14, to: null } });
/** `detected`: newest trouble first (desc); `shipped`: longest on the way first (asc = shipped earliest). */
export const SHIPMENT_SORTS = ["detected", "shipped"] as const;
export type ShipmentSort = (typeof SHIPMENT_SORTS)[number];

export interface ShipmentListQuery extends Paged {
  q: string;
  kinds: AnomalyKind[];
  age: ShipmentAge | null;
  sort: ShipmentSort;
  direction: Direction;
}

export function parseShipmentListQuery(params: URLSearchParams): ShipmentListQuery {
  const sort = one(params.get("sort"), SHIPMENT_SORTS) ?? "detected";
  return {
    q: text(params.get("q")),
    kinds: many(params, "kind", ANOMALY_KINDS),
    age: one(params.get("age"), SHIPMENT_AGES),
    sort,
    direction: directionOf(params.get("dir"), sort === "detected" ? "desc" : "asc"),
    page: pageOf(params.get("page")),
    pageSize: sizeOf(params.get("size")),
  };
}

// ------------------------------------------------------------ Campaigns

export const CAMPAIGN_LIST_STATUSES = ["draft", "scheduled", "sending", "done", "cancelled"] as const;
export type CampaignListStatus = (typeof CAMPAIGN_LIST_STATUSES)[number];
export const CAMPAIGN_LIST_CHANNELS = ["email", "sms", "flow"] as const;
/** `created`: when it was made; `sendOn`: the send date (campaigns without one last). */
export const CAMPAIGN_SORTS = ["created", "sendOn"] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];

export interface CampaignListQuery extends Paged {
  q: string;
  statuses: CampaignListStatus[];
  channels: Array<(typeof CAMPAIGN_LIST_CHANNELS)[number]>;
  sort: CampaignSort;
  direction: Direction;
}

export function parseCampaignListQuery(params: URLSearchParams): CampaignListQuery {
  const sort = one(params.get("sort"), CAMPAIGN_SORTS) ?? "created";
  return {
    q: text(params.get("q")),
    statuses: many(params, "status", CAMPAIGN_LIST_STATUSES),
    channels: many(params, "channel", CAMPAIGN_LIST_CHANNELS),
    sort,
    direction: directionOf(params.get("dir"), "desc"),
    page: pageOf(params.get("page")),
    pageSize: sizeOf(params.get("size")),
  };
}

// ------------------------------------------------------------ writing a view back

/**
 * The URL changes for a sort ("<sort> <asc|desc>"): `sort` and `dir`, or
 * neither for the list's default (so the plain list is the plain URL);
 * `direction`, the name Members and Messages links used before, is dropped.
 */
export function sortParams(value: string, defaultSort: string): Record<"sort" | "dir" | "direction", string | null> {
  const [sort = "", dir = ""] = value.split(" ");
  return { sort: sort === defaultSort.split(" ")[0] ? null : sort, dir: value === defaultSort ? null : dir, direction: null };
}

/**
 * `current` with `changes` applied (null, "" or [] removes a param); any
 * change other than the page itself goes back to page 1 (or, on a list paged
 * by keyset, to its first page: no cursor), since the rows before it have changed.
 */
export function listParams(current: URLSearchParams, changes: Record<string, string | number | readonly string[] | null>): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [name, value] of Object.entries(changes)) {
    next.delete(name);
    if (value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length) next.set(name, value.join(","));
    } else next.set(name, String(value));
  }
  if (!("page" in changes)) next.delete("page");
  if (!("cursor" in changes) && !("before" in changes)) {
    next.delete("cursor");
    next.delete("before");
  }
  return next;
}
