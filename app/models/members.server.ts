import db from "~/db.server";
import type { MemberSort } from "~/domain/member-list";
import { empty, join, raw, sql, storedDateText } from "./sql.server";


export interface MemberListQuery {
  /** Name, email or Shopify id. */
  query?: string;
  tier?: string;
  segment?: string;
  stage?: string;
  valueClass?: string;
  tag?: string;
  country?: string;
  sort?: MemberSort;
  /** The cursor of the page before: the last row's sort value and id. */
  after?: string | null;
  limit?: number;
}

export interface MemberRow {
  shopifyId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  countryCode: string | null;
  orderCount: number;
  netSpentMinor: number;
  lastOrderAt: Date | null;
  tierHandle: string | null;
  rfmSegment: string | null;
  lifecycleStage: string | null;
  valueClass: string | null;
}

// The column each sort orders by (descending, ties by Shopify id ascending).
// lastOrderAt is the only one that can be NULL: a member who never ordered
// sorts last by recency, as a second part of the list after those who did.
// Each part is an index range ((shop, lastOrderAt) for the first), where one
// ORDER BY COALESCE(...) would sort the whole shop on every page.
const SORT_COLUMN: Record<MemberSort, string> = {
  spend: `c."netSpentMinor"`,
  orders: `c."orderCount"`,
  recent: `c."lastOrderAt"`,
};

/**
 * Where the previous page ended: its last row's sort value exactly as the
 * database returned it (SQLite keeps dates as text, and a text compared with a
 * differently written instant would not be equal) and its id; v is null in
 * the part of the recency list without orders.
 */
interface Cursor {
  v: number | string | null;
  id: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");
function decodeCursor(value: string | null | undefined): Cursor | null {
  if (!value) return null;
  try {
    const cursor = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Cursor;
    return (typeof cursor.v === "number" || typeof cursor.v === "string" || cursor.v === null) && typeof cursor.id === "string" ? cursor : null;
  } catch {
    return null;
  }
}

type Fragment = ReturnType<typeof sql>;
type RawMemberRow = Omit<MemberRow, "lastOrderAt" | "orderCount" | "netSpentMinor"> & {
  lastOrderAt: Date | string | null;
  orderCount: number | bigint;
  netSpentMinor: number | bigint;
  sortKey: number | bigint | string | Date | null;
};

async function memberRows(conditions: Fragment[], orderBy: Fragment, column: Fragment, limit: number): Promise<RawMemberRow[]> {
  return db.$queryRaw<RawMemberRow[]>`
    SELECT ${column} AS "sortKey", c."shopifyId", c."firstName", c."lastName", c."email", c."countryCode", c."orderCount", c."netSpentMinor", c."lastOrderAt",
           t."tierHandle", c."rfmSegment", c."lifecycleStage", c."valueClass"
    FROM "Customer" c
    LEFT JOIN "MemberTier" t ON t."shop" = c."shop" AND t."customerShopifyId" = c."shopifyId"
    WHERE ${join(conditions, " AND ")}
    ORDER BY ${orderBy}
    LIMIT ${limit}`;
}

/**
 * One page of the member list, filtered and sorted, with the cursor of the next
 * page. Keyset pagination (the last row's sort value and id, not an offset):
 * a page costs the same at member 190,000 as at member 1, and members added
 * while the merchant pages neither repeat nor push others off a page.
 */
export async function listMembers(shop: string, q: MemberListQuery = {}): Promise<{ members: MemberRow[]; next: string | null }> {
  const sort = q.sort ?? "spend";
  const limit = q.limit ?? 50;
  const column = raw(SORT_COLUMN[sort]);
  const cursor = decodeCursor(q.after);
  const text = q.query?.trim().toLowerCase();
  const filters = [
    sql`c."shop" = ${shop}`,
    sql`c."deletedAt" IS NULL`,
    text ? sql`(LOWER(COALESCE(c."email", '')) LIKE ${`%${text}%`} OR LOWER(COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", '')) LIKE ${`%${text}%`} OR c."shopifyId" = ${text})` : empty,
    q.tier ? sql`t."tierHandle" = ${q.tier}` : empty,
    q.segment ? sql`c."rfmSegment" = ${q.segment}` : empty,
    q.stage ? sql`c."lifecycleStage" = ${q.stage}` : empty,
    q.valueClass ? sql`c."valueClass" = ${q.valueClass}` : empty,
    q.country ? sql`c."countryCode" = ${q.country.toUpperCase()}` : empty,
    // Tags are stored as Shopify sends them: "a, b, c".
    q.tag ? sql`(', ' || LOWER(c."tags") || ',') LIKE ${`%, ${q.tag.trim().toLowerCase()},%`}` : empty,
  ].filter((condition) => condition !== empty);

  const rows: RawMemberRow[] = [];
  const inValuedPart = cursor === null || cursor.v !== null;
  if (inValuedPart) {
    const after = cursor ? sql`(${column} < ${cursor.v} OR (${column} = ${cursor.v} AND c."shopifyId" > ${cursor.id}))` : empty;
    const valued = sort === "recent" ? sql`${column} IS NOT NULL` : empty;
    const conditions = [...filters, valued, after].filter((condition) => condition !== empty);
    rows.push(...(await memberRows(conditions, sql`${column} DESC, c."shopifyId" ASC`, column, limit + 1)));
  }
  if (sort === "recent" && rows.length <= limit) {
    const after = cursor && cursor.v === null ? sql`c."shopifyId" > ${cursor.id}` : empty;
    const conditions = [...filters, sql`${column} IS NULL`, after].filter((condition) => condition !== empty);
    rows.push(...(await memberRows(conditions, sql`c."shopifyId" ASC`, column, limit + 1 - rows.length)));
  }
  const page = rows.slice(0, limit);
  const members = page.map(({ sortKey: _sortKey, ...row }) => ({
    ...row,
    orderCount: Number(row.orderCount),
    netSpentMinor: Number(row.netSpentMinor),
    lastOrderAt: row.lastOrderAt === null ? null : new Date(row.lastOrderAt),
  }));
  const last = page.at(-1);
  const next = rows.length > limit && last ? encodeCursor({ v: cursorOf(last.sortKey), id: last.shopifyId }) : null;
  return { members, next };
}

// A date goes back as the stored text, so SQLite's comparison with the column is exact.
const cursorOf = (value: number | bigint | string | Date | null): number | string | null =>
  value instanceof Date ? storedDateText(value) : typeof value === "bigint" ? Number(value) : value;

/** One member's file as the member page shows it: facts, tier state and tier history. */
export async function memberFile(shop: string, customerShopifyId: string) {
  const [customer, tier, history] = await Promise.all([
    db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } } }),
    db.memberTier.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } } }),
    db.tierChange.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "desc" }, take: 100 }),
  ]);
  if (!customer || customer.deletedAt) return null;
  return { customer, tier, history };
}

export type TimelineKind = "order" | "cancelled" | "refund" | "shipped" | "delivered" | "deliveryFailed" | "tier" | "fileEdit" | "rewardPercent" | "rewardAmount" | "rewardGift" | "offerCode" | "giftStaff" | "giftEntry" | "giftBirthday" | "giftSurprise";

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  /** What the page prints beside the kind: an order name, an amount (minor units), a tier change, a field. */
  detail: Record<string, string | number | null>;
}

/**
 * Everything that happened to one member, newest first: orders (and their
 * cancellations), refunds, shipments and their delivery or failure, tier
 * changes, edits of their file by staff, and rewards staff issued them.
 */
export async function memberTimeline(shop: string, customerShopifyId: string, limit = 100): Promise<TimelineEntry[]> {
  const orders = await db.order.findMany({
    where: { shop, customerShopifyId },
    orderBy: { processedAt: "desc" },
    take: limit,
    select: { shopifyId: true, name: true, processedAt: true, subtotalMinor: true, cancelledAt: true },
  });
  const orderIds = orders.map((order) => order.shopifyId);
  const names = new Map(orders.map((order) => [order.shopifyId, order.name ?? `#${order.shopifyId}`]));
  const [refunds, fulfillments, changes, edits, rewards, gifts] = await Promise.all([
    db.refund.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, select: { orderShopifyId: true, processedAt: true, amountMinor: true } }),
    db.fulfillment.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, select: { orderShopifyId: true, shopifyCreatedAt: true, trackingCompany: true, deliveredAt: true, lastEventStatus: true, lastEventAt: true } }),
    db.tierChange.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "desc" }, take: limit, select: { at: true, action: true, fromHandle: true, toHandle: true } }),
    db.customerFileEdit.findMany({ where: { shop, customerShopifyId }, orderBy: { id: "desc" }, take: limit, select: { at: true, field: true, staffName: true, staffId: true } }),
    // Staff rewards (issue 10); one Shopify refused never reached the customer.
    db.reward.findMany({ where: { shop, customerShopifyId, status: { not: "failed" } }, orderBy: { createdAt: "desc" }, take: limit, select: { createdAt: true, kind: true, valueType: true, value: true, code: true, reason: true, issuedBy: true, issuedByName: true, messageId: true, status: true } }),
    // Gifts that went into a parcel (issue 10), by why.
    db.giftGiven.findMany({ where: { shop, customerShopifyId }, orderBy: { givenAt: "desc" }, take: limit, select: { givenAt: true, giftName: true, orderShopifyId: true, reason: true } }),
  ]);
  const entries: TimelineEntry[] = [];
  for (const order of orders) {
    entries.push({ at: order.processedAt, kind: "order", detail: { order: names.get(order.shopifyId)!, amountMinor: order.subtotalMinor } });
    if (order.cancelledAt) entries.push({ at: order.cancelledAt, kind: "cancelled", detail: { order: names.get(order.shopifyId)! } });
  }
  for (const refund of refunds) entries.push({ at: refund.processedAt, kind: "refund", detail: { order: names.get(refund.orderShopifyId) ?? "", amountMinor: refund.amountMinor } });
  for (const fulfillment of fulfillments) {
    const order = names.get(fulfillment.orderShopifyId) ?? "";
    if (fulfillment.shopifyCreatedAt) entries.push({ at: fulfillment.shopifyCreatedAt, kind: "shipped", detail: { order, carrier: fulfillment.trackingCompany } });
    if (fulfillment.deliveredAt) entries.push({ at: fulfillment.deliveredAt, kind: "delivered", detail: { order } });
    else if (fulfillment.lastEventStatus === "failure" && fulfillment.lastEventAt) entries.push({ at: fulfillment.lastEventAt, kind: "deliveryFailed", detail: { order } });
  }
  for (const change of changes) entries.push({ at: change.at, kind: "tier", detail: { action: change.action, from: change.fromHandle, to: change.toHandle } });
  for (const edit of edits) entries.push({ at: edit.at, kind: "fileEdit", detail: { field: edit.field, staff: edit.staffName ?? edit.staffId } });
  for (const reward of rewards) {
    // A care message's offer code (issue 17): named by its flow, once Shopify has it.
    if (reward.messageId) {
      if (reward.status !== "pending") entries.push({ at: reward.createdAt, kind: "offerCode", detail: { flow: reward.issuedBy.replace(/^flow:/, ""), code: reward.code, percent: reward.value } });
      continue;
    }
    const kind = reward.kind === "gift" ? "rewardGift" : reward.valueType === "amount" ? "rewardAmount" : "rewardPercent";
    const value: Record<string, number | null> = reward.valueType === "amount" ? { amountMinor: reward.value } : { percent: reward.value };
    entries.push({ at: reward.createdAt, kind, detail: { staff: reward.issuedByName ?? reward.issuedBy, code: reward.code, reason: reward.reason, ...value } });
  }
  const giftKinds: Record<string, TimelineKind> = { staff: "giftStaff", entry: "giftEntry", birthday: "giftBirthday", surprise: "giftSurprise" };
  for (const gift of gifts) {
    const kind = giftKinds[gift.reason];
    if (kind) entries.push({ at: gift.givenAt, kind, detail: { gift: gift.giftName, order: names.get(gift.orderShopifyId) ?? `#${gift.orderShopifyId}` } });
  }
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}
