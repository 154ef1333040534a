import db from "~/db.server";
import { MEMBER_PAGE_SIZE, type MemberListView } from "~/domain/list-query";
import { empty, join, raw, sql } from "./sql.server";

export type MemberListQuery = Partial<Omit<MemberListView, "page">> & {
  page?: number;
  pageSize?: number;
  /** Only these members (the rows a merchant selected, for their export). */
  ids?: string[];
};

/**
 * The tier program's window the qualifying amount is counted in: from `start`
 * (null: the whole history) to `end`; with `lifetimeFloor`, Shopify's lifetime
 * totals stand in where they exceed what the app can see (no read_all_orders),
 * as the tier evaluation does (models/tiers.server.ts qualifyingTotalsOf).
 */
export interface QualifyingWindow {
  start: Date | null;
  end: Date;
  lifetimeFloor: boolean;
}

export interface MemberRow {
  shopifyId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  countryCode: string | null;
  tags: string;
  /** Lifetime, as the member file keeps it. */
  orderCount: number;
  netSpentMinor: number;
  /** What the tier is decided on: net spend and counted orders inside the program's window (the purchase ledger's columns). */
  qualifyingSpendMinor: number;
  qualifyingOrders: number;
  lastOrderAt: Date | null;
  tierHandle: string | null;
  downgradeOn: Date | null;
  rfmSegment: string | null;
  lifecycleStage: string | null;
  valueClass: string | null;
}

type Fragment = ReturnType<typeof sql>;
type RawMemberRow = Omit<MemberRow, "lastOrderAt" | "downgradeOn" | "orderCount" | "netSpentMinor" | "qualifyingSpendMinor" | "qualifyingOrders"> & {
  lastOrderAt: Date | string | null;
  downgradeOn: Date | string | null;
  orderCount: number | bigint;
  netSpentMinor: number | bigint;
  qualifyingSpendMinor: number | bigint;
  qualifyingOrders: number | bigint;
};

function conditions(shop: string, q: MemberListQuery): Fragment[] {
  const text = q.query?.trim().toLowerCase();
  const digits = text?.replace(/\D/g, "") ?? "";
  const view = q.view ?? "all";
  return [
    sql`c."shop" = ${shop}`,
    sql`c."deletedAt" IS NULL`,
    text
      ? sql`(LOWER(COALESCE(c."email", '')) LIKE ${`%${text}%`} OR LOWER(COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", '')) LIKE ${`%${text}%`} OR c."shopifyId" = ${text}${
          // A phone is searched by its digits: "555 0100" finds +1 555-0100.
          digits.length >= 4 ? sql` OR REPLACE(REPLACE(REPLACE(COALESCE(c."phone", ''), ' ', ''), '-', ''), '+', '') LIKE ${`%${digits}%`}` : empty
        })`
      : empty,
    q.tier ? sql`t."tierHandle" = ${q.tier}` : empty,
    q.segment ? sql`c."rfmSegment" = ${q.segment}` : empty,
    q.stage ? sql`c."lifecycleStage" = ${q.stage}` : empty,
    q.valueClass ? sql`c."valueClass" = ${q.valueClass}` : empty,
    q.country ? sql`c."countryCode" = ${q.country.toUpperCase()}` : empty,
    // Tags are stored as Shopify sends them: "a, b, c".
    q.tag ? sql`(', ' || LOWER(c."tags") || ',') LIKE ${`%, ${q.tag.trim().toLowerCase()},%`}` : empty,
    view === "key" ? sql`c."valueClass" = ${"key"}` : empty,
    view === "atRisk" ? sql`c."lifecycleStage" = ${"atRisk"}` : empty,
    view === "underReview" ? sql`t."downgradeOn" IS NOT NULL` : empty,
    q.ids ? (q.ids.length > 0 ? sql`c."shopifyId" IN (${join(q.ids)})` : sql`1 = 0`) : empty,
  ].filter((condition) => condition !== empty);
}

const larger = (a: Fragment, b: Fragment) => sql`CASE WHEN ${a} > ${b} THEN ${a} ELSE ${b} END`;

/**
 * One page of the members list, filtered and sorted on the database, with how
 * many members match. Each row carries the amount its tier is decided on: the
 * net spend and orders the purchase ledger counts inside the program's window
 * (one aggregate over the shop's orders in the window, read from
 * Order_member_totals_idx), not lifetime spend. Ties are broken by Shopify id
 * so pages never overlap.
 */
export async function listMembers(shop: string, q: MemberListQuery, window: QualifyingWindow): Promise<{ members: MemberRow[]; total: number }> {
  const pageSize = Math.min(Math.max(q.pageSize ?? MEMBER_PAGE_SIZE, 1), 1000);
  const page = Math.max(q.page ?? 1, 1);
  const where = join(conditions(shop, q), " AND ");
  const spend = window.lifetimeFloor ? larger(sql`COALESCE(q."spend", 0)`, sql`COALESCE(c."shopifyAmountSpentMinor", 0)`) : sql`COALESCE(q."spend", 0)`;
  const orders = window.lifetimeFloor ? larger(sql`COALESCE(q."orders", 0)`, sql`COALESCE(c."shopifyOrderCount", 0)`) : sql`COALESCE(q."orders", 0)`;
  const direction = raw(q.direction === "asc" ? "ASC" : "DESC");
  const order: Record<NonNullable<MemberListQuery["sort"]>, Fragment> = {
    qualifying: sql`"qualifyingSpendMinor" ${direction}, "qualifyingOrders" ${direction}`,
    orders: sql`"qualifyingOrders" ${direction}, "qualifyingSpendMinor" ${direction}`,
    // Members who never ordered come last either way.
    recent: sql`CASE WHEN c."lastOrderAt" IS NULL THEN 1 ELSE 0 END ASC, c."lastOrderAt" ${direction}`,
  };
  const [rows, counted] = await Promise.all([
    db.$queryRaw<RawMemberRow[]>`
      SELECT c."shopifyId", c."firstName", c."lastName", c."email", c."phone", c."countryCode", c."tags", c."orderCount", c."netSpentMinor", c."lastOrderAt",
             t."tierHandle", t."downgradeOn", c."rfmSegment", c."lifecycleStage", c."valueClass",
             ${spend} AS "qualifyingSpendMinor", ${orders} AS "qualifyingOrders"
      FROM "Customer" c
      LEFT JOIN "MemberTier" t ON t."shop" = c."shop" AND t."customerShopifyId" = c."shopifyId"
      LEFT JOIN (
        SELECT o."customerShopifyId" AS "customer", SUM(o."netSpendMinor") AS "spend", COUNT(*) AS "orders"
        FROM "Order" o
        WHERE o."shop" = ${shop} AND o."countsAsPurchase" = ${true} AND o."processedAt" <= ${window.end}
          ${window.start ? sql`AND o."processedAt" >= ${window.start}` : empty}
        GROUP BY o."customerShopifyId"
      ) q ON q."customer" = c."shopifyId"
      WHERE ${where}
      ORDER BY ${order[q.sort ?? "qualifying"]}, c."shopifyId" ASC
      LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    db.$queryRaw<Array<{ total: number | bigint }>>`
      SELECT COUNT(*) AS "total"
      FROM "Customer" c
      LEFT JOIN "MemberTier" t ON t."shop" = c."shop" AND t."customerShopifyId" = c."shopifyId"
      WHERE ${where}`,
  ]);
  const members = rows.map((row) => ({
    ...row,
    orderCount: Number(row.orderCount),
    netSpentMinor: Number(row.netSpentMinor),
    qualifyingSpendMinor: Number(row.qualifyingSpendMinor),
    qualifyingOrders: Number(row.qualifyingOrders),
    lastOrderAt: row.lastOrderAt === null ? null : new Date(row.lastOrderAt),
    downgradeOn: row.downgradeOn === null ? null : new Date(row.downgradeOn),
  }));
  return { members, total: Number(counted[0]?.total ?? 0) };
}

/** Every member of a view, a page at a time, for the CSV export (never the whole shop in memory at once). */
export async function* eachMemberPage(shop: string, q: MemberListQuery, window: QualifyingWindow, pageSize = 500): AsyncGenerator<MemberRow[]> {
  for (let page = 1; ; page++) {
    const { members } = await listMembers(shop, { ...q, page, pageSize }, window);
    if (members.length > 0) yield members;
    if (members.length < pageSize) return;
  }
}

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

export type TimelineKind = "order" | "cancelled" | "refund" | "shipped" | "delivered" | "deliveryFailed" | "tier" | "fileEdit" | "rewardPercent" | "rewardAmount" | "rewardGift" | "offerCode" | "giftStaff" | "giftEntry" | "giftBirthday" | "giftSurprise" | "message" | "followUp" | "followUpDone" | "followUpClosed";

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  /** What the page prints beside the kind: an order name, an amount (minor units), a tier change, a field. */
  detail: Record<string, string | number | null>;
}

/**
 * Everything that happened to one member, newest first: orders (and their
 * cancellations), refunds, shipments and their delivery or failure, tier
 * changes, edits of their file by staff, rewards staff issued them, the care
 * messages and campaign messages planned for them (sent, or why not), and
 * their follow-ups (opened, done by staff with the outcome, or closed by
 * themselves). Staff appear by user id (`staffId`); the page names them
 * (models/staff-members.server.ts).
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
  const [messages, followUps] = await Promise.all([
    db.message.findMany({ where: { shop, customerShopifyId }, orderBy: { plannedAt: "desc" }, take: limit, select: { id: true, source: true, sourceId: true, channel: true, status: true, plannedAt: true, sentAt: true, holdout: true } }),
    db.followUpTask.findMany({ where: { shop, customerShopifyId }, orderBy: { createdAt: "desc" }, take: limit, select: { reason: true, status: true, outcome: true, completedBy: true, completedAt: true, closedReason: true, createdAt: true, assignee: true } }),
  ]);
  const campaignIds = [...new Set(messages.filter((message) => message.source === "campaign").map((message) => message.sourceId))];
  const campaigns = campaignIds.length > 0 ? await db.campaign.findMany({ where: { shop, id: { in: campaignIds } }, select: { id: true, name: true } }) : [];
  const campaignNames = new Map(campaigns.map((campaign) => [campaign.id, campaign.name]));
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
  for (const edit of edits) entries.push({ at: edit.at, kind: "fileEdit", detail: { field: edit.field, staffId: edit.staffId, staff: edit.staffName } });
  for (const reward of rewards) {
    // A care message's offer code (issue 17): named by its flow, once Shopify has it.
    if (reward.messageId) {
      if (reward.status !== "pending") entries.push({ at: reward.createdAt, kind: "offerCode", detail: { flow: reward.issuedBy.replace(/^flow:/, ""), code: reward.code, percent: reward.value } });
      continue;
    }
    const kind = reward.kind === "gift" ? "rewardGift" : reward.valueType === "amount" ? "rewardAmount" : "rewardPercent";
    const value: Record<string, number | null> = reward.valueType === "amount" ? { amountMinor: reward.value } : { percent: reward.value };
    entries.push({ at: reward.createdAt, kind, detail: { staffId: reward.issuedBy, staff: reward.issuedByName, code: reward.code, reason: reward.reason, ...value } });
  }
  for (const message of messages) {
    entries.push({
      at: message.sentAt ?? message.plannedAt,
      kind: "message",
      detail: { id: message.id, source: message.source, flow: message.source === "flow" ? message.sourceId : null, campaign: message.source === "campaign" ? (campaignNames.get(message.sourceId) ?? null) : null, channel: message.channel, status: message.holdout ? "heldOut" : message.status },
    });
  }
  for (const task of followUps) {
    entries.push({ at: task.createdAt, kind: "followUp", detail: { reason: task.reason, staffId: task.assignee } });
    if (task.completedAt && task.status === "done") entries.push({ at: task.completedAt, kind: "followUpDone", detail: { reason: task.reason, outcome: task.outcome, staffId: task.completedBy } });
    else if (task.completedAt && task.status === "closed") entries.push({ at: task.completedAt, kind: "followUpClosed", detail: { reason: task.reason, closedReason: task.closedReason } });
  }
  const giftKinds: Record<string, TimelineKind> = { staff: "giftStaff", entry: "giftEntry", birthday: "giftBirthday", surprise: "giftSurprise" };
  for (const gift of gifts) {
    const kind = giftKinds[gift.reason];
    if (kind) entries.push({ at: gift.givenAt, kind, detail: { gift: gift.giftName, order: names.get(gift.orderShopifyId) ?? `#${gift.orderShopifyId}` } });
  }
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}

/** One member's orders as the purchase ledger left them (what counts, its net spend, when), oldest first: the tier's inputs. */
export async function ledgerOrdersOf(shop: string, customerShopifyId: string): Promise<Array<{ processedAt: Date; netMinor: number; countsAsPurchase: boolean }>> {
  const rows = await db.order.findMany({
    where: { shop, customerShopifyId, countsAsPurchase: true },
    orderBy: { processedAt: "asc" },
    select: { processedAt: true, netSpendMinor: true, countsAsPurchase: true },
  });
  return rows.map((row) => ({ processedAt: row.processedAt, netMinor: row.netSpendMinor, countsAsPurchase: row.countsAsPurchase }));
}

/** What a member's tier standing is computed from: their ledger orders, their stored tier and review, Shopify's lifetime totals. */
export async function standingInputsOf(shop: string, customerShopifyId: string) {
  const [orders, tier, customer] = await Promise.all([
    ledgerOrdersOf(shop, customerShopifyId),
    db.memberTier.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId } }, select: { tierHandle: true, downgradeOn: true } }),
    db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { shopifyAmountSpentMinor: true, shopifyOrderCount: true } }),
  ]);
  return { orders, tierHandle: tier?.tierHandle ?? null, downgradeOn: tier?.downgradeOn ?? null, lifetime: customer ? { netSpendMinor: customer.shopifyAmountSpentMinor, orders: customer.shopifyOrderCount } : null };
}

/** Customers' names as the admin shows them ("Ava Chen", else their email), by Shopify id; ids without either are absent. */
export async function memberNames(shop: string, customerShopifyIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = [...new Set(customerShopifyIds)];
  if (ids.length === 0) return names;
  const rows = await db.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, firstName: true, lastName: true, email: true } });
  for (const row of rows) {
    const name = [row.firstName, row.lastName].filter(Boolean).join(" ") || row.email;
    if (name) names.set(row.shopifyId, name);
  }
  return names;
}
