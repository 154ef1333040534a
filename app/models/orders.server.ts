import { randomUUID } from "node:crypto";
import db from "~/db.server";
import type { FactOrder } from "~/domain/member-facts";
import { purchaseLedger, type LedgerEdit, type LedgerLine, type LedgerRefund, type PurchaseLedger } from "~/domain/purchase-ledger";
import type { OrderEditRecord, OrderLineRecord, OrderRecord, RefundRecord } from "~/domain/webhook-payloads";
import { insertJsonRows, type ColumnTypes } from "./sql.server";

import { chunks, MAX_IN_LIST } from "./sql-limits.server";

/**
 * Applies a batch of order payloads, each unless a newer version (by Shopify's
 * updated_at) is already stored; within the batch the newest version of each
 * order wins. Each order is stored with the purchase ledger's answer, from the
 * order as sent and the refunds and edits already stored for it. Set-based: a few statements per batch whatever its size, since a
 * statement costs about a millisecond here. Returns the orders written and the
 * customers whose facts may have changed (an order's customer, and the one it
 * moved from).
 */
export async function applyOrders(shop: string, records: OrderRecord[]): Promise<{ written: Set<string>; customers: string[] }> {
  const newest = new Map<string, OrderRecord>();
  for (const record of records) {
    const current = newest.get(record.shopifyId);
    if (!current || record.shopifyUpdatedAt >= current.shopifyUpdatedAt) newest.set(record.shopifyId, record);
  }
  const existing = new Map<string, { id: string; shopifyUpdatedAt: Date; customerShopifyId: string | null }>();
  for (const ids of chunks([...newest.keys()], MAX_IN_LIST)) {
    const rows = await db.order.findMany({
      where: { shop, shopifyId: { in: ids } },
      select: { id: true, shopifyId: true, shopifyUpdatedAt: true, customerShopifyId: true },
    });
    for (const row of rows) existing.set(row.shopifyId, row);
  }

  const toWrite = [...newest.values()].filter((record) => {
    const stored = existing.get(record.shopifyId);
    return !stored || stored.shopifyUpdatedAt <= record.shopifyUpdatedAt;
  });
  const customers = new Set<string>();
  // What Prisma's @default(now()) and @updatedAt wrote when these were createMany calls.
  const writtenAt = new Date();
  const ledgerInputs = await storedRefundsAndEdits(shop, toWrite.map((record) => record.shopifyId));
  const orders = toWrite.map((record) => {
    const stored = existing.get(record.shopifyId);
    const customerShopifyId = record.customer?.shopifyId ?? stored?.customerShopifyId ?? null;
    if (customerShopifyId) customers.add(customerShopifyId);
    if (stored?.customerShopifyId) customers.add(stored.customerShopifyId);
    const { customer: _customer, lines: _lines, ...fields } = record;
    // A rewritten order keeps its row id; its lines are replaced as a whole,
    // since an order edit can add, remove or change them.
    const { refunds, edits } = ledgerInputs.get(record.shopifyId) ?? { refunds: [], edits: [] };
    const ledger = purchaseLedger(ledgerOrder(record, record.lines), refunds, pendingEdits(edits, record.shopifyUpdatedAt));
    return { id: stored?.id ?? randomUUID(), shop, ...fields, customerShopifyId, ...ledger, createdAt: writtenAt, updatedAt: writtenAt } satisfies OrderRow;
  });

  const rewritten = toWrite.flatMap((record) => existing.get(record.shopifyId)?.id ?? []);
  for (const ids of chunks(rewritten, MAX_IN_LIST)) await db.order.deleteMany({ where: { shop, id: { in: ids } } }); // lines cascade
  for (const rows of chunks(orders, JSON_ROWS_PER_INSERT)) await db.$executeRaw`${insertJsonRows("Order", ORDER_COLUMNS, rows)}`;
  const lines = toWrite.flatMap((record, index) => record.lines.map((line) => ({ id: randomUUID(), shop, orderId: orders[index].id, ...line })));
  for (const rows of chunks(lines, JSON_ROWS_PER_INSERT)) await db.$executeRaw`${insertJsonRows("OrderLine", LINE_COLUMNS, rows)}`;
  return { written: new Set(toWrite.map((record) => record.shopifyId)), customers: [...customers] };
}

/** An order as stored: a field added to OrderRecord and missing from ORDER_COLUMNS fails the typecheck. */
type OrderRow = Omit<OrderRecord, "customer" | "lines"> & PurchaseLedger & { id: string; shop: string; customerShopifyId: string | null; createdAt: Date; updatedAt: Date };
const ORDER_COLUMNS: ColumnTypes<OrderRow> = {
  id: "TEXT",
  shop: "TEXT",
  shopifyId: "TEXT",
  customerShopifyId: "TEXT",
  name: "TEXT",
  shopifyCreatedAt: "TIMESTAMP(3)",
  processedAt: "TIMESTAMP(3)",
  shopifyUpdatedAt: "TIMESTAMP(3)",
  currencyCode: "TEXT",
  presentmentCurrency: "TEXT",
  subtotalMinor: "INTEGER",
  totalMinor: "INTEGER",
  totalDiscountsMinor: "INTEGER",
  totalTaxMinor: "INTEGER",
  shippingMinor: "INTEGER",
  financialStatus: "TEXT",
  fulfillmentStatus: "TEXT",
  cancelledAt: "TIMESTAMP(3)",
  cancelReason: "TEXT",
  test: "BOOLEAN",
  sourceName: "TEXT",
  posUserId: "TEXT",
  posLocationId: "TEXT",
  countsAsPurchase: "BOOLEAN",
  netSpendMinor: "INTEGER",
  createdAt: "TIMESTAMP(3)",
  updatedAt: "TIMESTAMP(3)",
};
const LINE_COLUMNS: ColumnTypes<OrderLineRecord & { id: string; shop: string; orderId: string }> = {
  id: "TEXT",
  shop: "TEXT",
  orderId: "TEXT",
  shopifyId: "TEXT",
  productShopifyId: "TEXT",
  variantShopifyId: "TEXT",
  title: "TEXT",
  sku: "TEXT",
  vendor: "TEXT",
  quantity: "INTEGER",
  currentQuantity: "INTEGER",
  unitPriceMinor: "INTEGER",
  discountMinor: "INTEGER",
  giftCard: "BOOLEAN",
};
// Rows per INSERT (one JSON parameter): a drain batch's orders, or lines, in one statement.
const JSON_ROWS_PER_INSERT = 500;

/**
 * Refunds never change once created; a repeat is a no-op. The order's ledger
 * is recomputed with it (an order not stored yet counts it when it arrives).
 * Returns the order's customer, if known.
 */
export async function applyRefund(shop: string, record: RefundRecord): Promise<{ stored: boolean; customerShopifyId: string | null }> {
  const { stored, customers } = await applyRefunds(shop, [record]);
  return { stored: stored > 0, customerShopifyId: customers.get(record.orderShopifyId) ?? null };
}

/** Refunds in bulk (the same as one by one): new ones stored, their orders' ledgers recomputed. Returns how many were new and each stored order's customer. */
export async function applyRefunds(shop: string, records: RefundRecord[]): Promise<{ stored: number; customers: Map<string, string | null> }> {
  const fresh = await newOnes(records, (ids) => db.refund.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true } }));
  for (const rows of chunks(fresh, ROWS_PER_INSERT)) await db.refund.createMany({ data: rows.map((record) => ({ shop, ...record, lines: JSON.stringify(record.lines) })) });
  return { stored: fresh.length, customers: await refreshOrderLedgers(shop, records.map((record) => record.orderShopifyId)) };
}

/** orders/edited: the edit is kept (once) and the order's ledger recomputed. Returns the order's customer, if known. */
export async function applyOrderEdit(shop: string, record: OrderEditRecord): Promise<{ stored: boolean; customerShopifyId: string | null }> {
  const { stored, customers } = await applyOrderEdits(shop, [record]);
  return { stored: stored > 0, customerShopifyId: customers.get(record.orderShopifyId) ?? null };
}

/** Order edits in bulk, as applyRefunds. */
export async function applyOrderEdits(shop: string, records: OrderEditRecord[]): Promise<{ stored: number; customers: Map<string, string | null> }> {
  const fresh = await newOnes(records, (ids) => db.orderEdit.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true } }));
  for (const rows of chunks(fresh, ROWS_PER_INSERT)) {
    await db.orderEdit.createMany({ data: rows.map((record) => ({ shop, shopifyId: record.shopifyId, orderShopifyId: record.orderShopifyId, committedAt: record.committedAt, removals: JSON.stringify(record.removals) })) });
  }
  return { stored: fresh.length, customers: await refreshOrderLedgers(shop, records.map((record) => record.orderShopifyId)) };
}

const ROWS_PER_INSERT = 100;

/** The records not stored yet (by Shopify id), each once. */
async function newOnes<T extends { shopifyId: string }>(records: T[], stored: (ids: string[]) => Promise<Array<{ shopifyId: string }>>): Promise<T[]> {
  const unique = new Map(records.map((record) => [record.shopifyId, record]));
  const known = new Set<string>();
  for (const ids of chunks([...unique.keys()], MAX_IN_LIST)) for (const row of await stored(ids)) known.add(row.shopifyId);
  return [...unique.values()].filter((record) => !known.has(record.shopifyId));
}

/**
 * Recomputes stored orders' ledgers from their rows, lines, refunds and edits;
 * returns each stored order's customer (orders not stored yet are left out:
 * they count their refunds and edits when they arrive).
 */
export async function refreshOrderLedgers(shop: string, orderShopifyIds: string[]): Promise<Map<string, string | null>> {
  const customers = new Map<string, string | null>();
  for (const ids of chunks([...new Set(orderShopifyIds)], MAX_IN_LIST)) {
    const [orders, inputs] = await Promise.all([
      db.order.findMany({
        where: { shop, shopifyId: { in: ids } },
        select: { shopifyId: true, customerShopifyId: true, currencyCode: true, test: true, cancelledAt: true, financialStatus: true, shopifyUpdatedAt: true, countsAsPurchase: true, netSpendMinor: true, lines: { select: { shopifyId: true, quantity: true, currentQuantity: true, unitPriceMinor: true, discountMinor: true, giftCard: true } } },
      }),
      storedRefundsAndEdits(shop, ids),
    ]);
    for (const order of orders) {
      customers.set(order.shopifyId, order.customerShopifyId);
      const { refunds, edits } = inputs.get(order.shopifyId) ?? { refunds: [], edits: [] };
      const ledger: PurchaseLedger = purchaseLedger(ledgerOrder(order, order.lines), refunds, pendingEdits(edits, order.shopifyUpdatedAt));
      if (ledger.countsAsPurchase !== order.countsAsPurchase || ledger.netSpendMinor !== order.netSpendMinor) await db.order.update({ where: { shop_shopifyId: { shop, shopifyId: order.shopifyId } }, data: ledger });
    }
  }
  return customers;
}

function ledgerOrder(
  order: { currencyCode: string; test: boolean; cancelledAt: Date | null; financialStatus: string | null },
  lines: Array<Omit<LedgerLine, "currentQuantity"> & { currentQuantity: number | null }>,
) {
  return {
    currencyCode: order.currencyCode,
    test: order.test,
    cancelledAt: order.cancelledAt,
    financialStatus: order.financialStatus,
    lines: lines.map((line) => ({ ...line, currentQuantity: line.currentQuantity ?? line.quantity })),
  };
}

/** Edits committed after the stored version of the order: its current quantities do not show them yet. */
function pendingEdits(edits: Array<LedgerEdit & { committedAt: Date }>, orderUpdatedAt: Date): LedgerEdit[] {
  return edits.filter((edit) => edit.committedAt > orderUpdatedAt);
}

async function storedRefundsAndEdits(shop: string, orderShopifyIds: string[]): Promise<Map<string, { refunds: LedgerRefund[]; edits: Array<LedgerEdit & { committedAt: Date }> }>> {
  const found = new Map<string, { refunds: LedgerRefund[]; edits: Array<LedgerEdit & { committedAt: Date }> }>();
  const entry = (id: string) => {
    let value = found.get(id);
    if (!value) found.set(id, (value = { refunds: [], edits: [] }));
    return value;
  };
  for (const ids of chunks(orderShopifyIds, MAX_IN_LIST)) {
    const [refunds, edits] = await Promise.all([
      db.refund.findMany({ where: { shop, orderShopifyId: { in: ids } }, select: { orderShopifyId: true, amountMinor: true, unallocatedMinor: true, currencyCode: true, lines: true } }),
      db.orderEdit.findMany({ where: { shop, orderShopifyId: { in: ids } }, select: { orderShopifyId: true, committedAt: true, removals: true } }),
    ]);
    for (const refund of refunds) {
      const lines = JSON.parse(refund.lines) as LedgerRefund["lines"];
      // A refund stored without its lines (read in bulk) still returns its amount.
      entry(refund.orderShopifyId).refunds.push({
        lines: lines.length > 0 || refund.amountMinor === 0 ? lines : [{ lineShopifyId: null, quantity: 0, subtotalMinor: refund.amountMinor }],
        unallocatedMinor: refund.unallocatedMinor,
        currencyCode: refund.currencyCode,
      });
    }
    for (const edit of edits) entry(edit.orderShopifyId).edits.push({ committedAt: edit.committedAt, removals: JSON.parse(edit.removals) as LedgerEdit["removals"] });
  }
  return found;
}

export async function orderCustomer(shop: string, orderShopifyId: string): Promise<string | null> {
  const order = await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } }, select: { customerShopifyId: true } });
  return order?.customerShopifyId ?? null;
}

/** What member facts are computed from: each customer's orders with their stored ledger, in one query. */
export async function factInputs(shop: string, customerShopifyIds: string[]): Promise<Map<string, FactOrder[]>> {
  const inputs = new Map(customerShopifyIds.map((id) => [id, [] as FactOrder[]]));
  for (const ids of chunks(customerShopifyIds, MAX_IN_LIST)) {
    const orders = await db.order.findMany({
      where: { shop, customerShopifyId: { in: ids } },
      select: { shopifyId: true, customerShopifyId: true, processedAt: true, currencyCode: true, countsAsPurchase: true, netSpendMinor: true },
    });
    for (const { customerShopifyId, ...order } of orders) inputs.get(customerShopifyId!)!.push(order);
  }
  return inputs;
}
