import readline from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Backfill } from "@prisma/client";
import { bulkCustomer, bulkOrder, isChildLine, type BulkCustomer } from "~/domain/bulk-records";
import { PayloadError } from "~/domain/webhook-payloads";
import { parseShopifyJson } from "~/domain/shopify-json";
import { APP_ACCESS_SCOPES, BULK_OPERATION_STATUS, CUSTOMERS_BULK_QUERY, ORDERS_BULK_QUERY, RUN_BULK_QUERY } from "~/graphql/backfill";
import { applyBulkCustomers, applyBulkRefunds, createBackfill, findBackfill, latestBackfill, setHistorySource, updateBackfill, type HistorySource } from "~/models/backfills.server";
import { applyOrders } from "~/models/orders.server";
import { requestEffect } from "~/models/outbox.server";
import { erasedOf } from "~/models/tombstones.server";
import { customerIdPages } from "~/models/tiers.server";
import type { AdminClient } from "./admin-client.server";
import { callDeadlineMs, idleDeadline } from "./call-deadlines.server";
import type { PassResult } from "./paced-send.server";
import { requestClassification } from "~/models/intelligence.server";
import { refreshMemberFacts } from "./member-facts.server";
import { placeShop } from "./tiers.server";

/**
 * The history import: every customer and order the app may read, fetched with
 * two Shopify bulk queries run side by side, streamed in from their JSONL
 * results in constant memory, then every customer's facts and tier computed.
 *
 * It runs as an outbox effect (`backfill.run`) in passes: each pass moves the
 * run one step (start the queries, poll them, import up to LINES_PER_PASS lines,
 * place members) and says when to come back. Progress is counted in lines
 * applied, so a pass that dies is resumed where the last one stopped; a result
 * whose URL expired (Shopify keeps it 7 days) is fetched again with new queries.
 *
 * Without `read_all_orders` Shopify returns only the last 60 days of orders, so
 * each customer's lifetime `amountSpent` and `numberOfOrders` stand in for the
 * rest (the history source is then "customerTotals", and the Tiers page says so).
 */
const LINES_PER_PASS = 20_000;
const ORDERS_PER_BATCH = 250;
const CUSTOMERS_PER_BATCH = 500;
const POLL_MS = 3_000;

/** Queues a history import unless one is under way; returns the run. */
export async function requestBackfill(shop: string, now: Date, { onlyIfNone = false } = {}): Promise<Backfill> {
  const latest = await latestBackfill(shop);
  if (latest && (onlyIfNone || !["done", "failed"].includes(latest.status))) return latest;
  const backfill = await createBackfill(shop, now);
  await requestEffect(shop, "backfill.run", `backfill:${backfill.id}`, now, { backfillId: backfill.id });
  return backfill;
}

interface BulkStatus {
  bulkOperation: { id: string; status: string; errorCode: string | null; objectCount: string; url: string | null } | null;
}

async function runBulkQuery(client: AdminClient, query: string, groupObjects: boolean): Promise<string> {
  const answer = await client.request<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: Array<{ message: string }> } }>(RUN_BULK_QUERY, { query, groupObjects });
  const payload = answer.data?.bulkOperationRunQuery;
  if (!payload?.bulkOperation) {
    throw new Error(`Shopify did not start the bulk query: ${[...(answer.errors ?? []), ...(payload?.userErrors ?? [])].map((error) => error.message).join("; ") || "no answer"}`);
  }
  return payload.bulkOperation.id;
}

async function bulkStatus(client: AdminClient, id: string): Promise<NonNullable<BulkStatus["bulkOperation"]>> {
  const answer = await client.request<BulkStatus>(BULK_OPERATION_STATUS, { id });
  if (!answer.data?.bulkOperation) throw new Error(`bulk operation ${id} is unknown to Shopify: ${answer.errors?.map((error) => error.message).join("; ") ?? ""}`);
  return answer.data.bulkOperation;
}

async function startQueries(shop: string, backfill: Backfill, client: AdminClient, now: Date): Promise<PassResult> {
  const scopes = await client.request<{ currentAppInstallation: { accessScopes: Array<{ handle: string }> } }>(APP_ACCESS_SCOPES);
  const handles = scopes.data?.currentAppInstallation.accessScopes.map((scope) => scope.handle) ?? [];
  const historySource: HistorySource = handles.includes("read_all_orders") ? "orders" : "customerTotals";
  // Orders ask for grouped output: the import reads each order with the line items right after it (ADR 0006).
  const [customersOperation, ordersOperation] = [await runBulkQuery(client, CUSTOMERS_BULK_QUERY, false), await runBulkQuery(client, ORDERS_BULK_QUERY, true)];
  await updateBackfill(shop, backfill.id, { status: "running", historySource, customersOperation, ordersOperation, customersApplied: 0, ordersApplied: 0, error: null });
  return { status: "later", at: new Date(now.getTime() + POLL_MS), written: 0, reason: "bulk queries started" };
}

/** A result URL Shopify no longer serves (they expire after 7 days). */
class ExpiredResult extends Error {}

/**
 * The JSONL lines from `skip` on, parsed; the download stops when the caller stops reading.
 * A result may rightly take minutes to stream, so its deadline (ADMIN_API_TIMEOUT_MS) is on
 * silence: the answer's headers, and then each next chunk, must come within it. A stalled
 * download throws "timed out after N s" and the pass is retried; lines already applied stay.
 */
export async function* jsonLines(url: string, skip: number, deadlineMs = callDeadlineMs("adminApi")): AsyncGenerator<unknown> {
  const deadline = idleDeadline(deadlineMs, "bulk result download");
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: deadline.signal });
    } catch (error) {
      throw deadline.signal.aborted ? deadline.signal.reason : error;
    }
    // A signed storage URL that no longer works answers 4xx (expired token, access denied, gone).
    if (response.status >= 400 && response.status < 500) throw new ExpiredResult(`result ${response.status}`);
    if (!response.ok || !response.body) throw new Error(`bulk result download failed: HTTP ${response.status}`);
    deadline.touch();
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          deadline.touch();
          controller.enqueue(chunk);
        },
      }),
    );
    const lines = readline.createInterface({ input: Readable.fromWeb(body as WebReadableStream), crlfDelay: Infinity });
    let index = 0;
    try {
      for await (const line of lines) {
        if (index++ < skip || line.trim() === "") continue;
        deadline.pause();
        yield parseShopifyJson(line);
        deadline.resume();
      }
    } catch (error) {
      throw deadline.signal.aborted ? deadline.signal.reason : error;
    } finally {
      lines.close();
    }
  } finally {
    deadline.clear();
  }
}

/** Counts a line that could not be used, keeping the first reason; the import goes on without it. */
function skipper(backfill: Backfill) {
  const skipped = { lines: 0, reason: backfill.skipReason };
  return {
    parse<T>(parse: () => T): T | null {
      try {
        return parse();
      } catch (error) {
        if (!(error instanceof PayloadError)) throw error;
        skipped.lines++;
        skipped.reason ??= error.message;
        return null;
      }
    },
    /** The fields to store with the progress, then reset. */
    take() {
      const fields = skipped.lines > 0 ? { skippedLines: { increment: skipped.lines }, skipReason: skipped.reason } : {};
      skipped.lines = 0;
      return fields;
    },
  };
}

async function importCustomers(shop: string, backfill: Backfill, url: string | null): Promise<number> {
  if (!url) return 0; // no customers: Shopify gives no file
  const skips = skipper(backfill);
  let applied = backfill.customersApplied;
  let lines = 0;
  let batch: BulkCustomer[] = [];
  const flush = async () => {
    // A customer erased by customers/redact is not brought back by a history
    // import (a bulk result can predate the erasure by days): issue 18.
    const erased = await erasedOf(shop, { customers: batch.map((customer) => customer.record.shopifyId) });
    await applyBulkCustomers(shop, batch.filter((customer) => !erased.customers.has(customer.record.shopifyId)));
    applied += lines;
    batch = [];
    lines = 0;
    await updateBackfill(shop, backfill.id, { customersApplied: applied, ...skips.take() });
  };
  for await (const line of jsonLines(url, applied)) {
    lines++;
    const customer = skips.parse(() => bulkCustomer(line));
    if (customer) batch.push(customer);
    if (lines === CUSTOMERS_PER_BATCH) await flush();
    if (applied + lines - backfill.customersApplied >= LINES_PER_PASS) break;
  }
  if (lines > 0) await flush();
  return applied - backfill.customersApplied;
}

/** Imports orders from where the last pass stopped; counts lines only up to a whole order. */
async function importOrders(shop: string, backfill: Backfill, url: string | null): Promise<{ lines: number; finished: boolean }> {
  if (!url) return { lines: 0, finished: true };
  const skips = skipper(backfill);
  let applied = backfill.ordersApplied;
  let orders: Array<{ line: unknown; items: unknown[] }> = [];
  let current: { line: unknown; items: unknown[] } | null = null;
  let linesInBatch = 0;
  const flush = async () => {
    const read = orders.flatMap(({ line, items }) => skips.parse(() => bulkOrder(line, items)) ?? []);
    // Nor an erased customer's orders, nor an order of theirs now without them (issue 18).
    const erased = await erasedOf(shop, { customers: read.flatMap(({ order }) => (order.customer ? [order.customer.shopifyId] : [])), orders: read.map(({ order }) => order.shopifyId) });
    const parsed = read.filter(({ order }) => !erased.orders.has(order.shopifyId) && !(order.customer && erased.customers.has(order.customer.shopifyId)));
    // Refunds first: the ledger each order is stored with counts its refunds.
    await applyBulkRefunds(shop, parsed.flatMap(({ refunds }) => refunds));
    await applyOrders(shop, parsed.map(({ order }) => order));
    applied += linesInBatch;
    orders = [];
    linesInBatch = 0;
    await updateBackfill(shop, backfill.id, { ordersApplied: applied, ...skips.take() });
  };
  let finished = true;
  for await (const line of jsonLines(url, applied)) {
    if (isChildLine(line)) {
      if (!current) throw new Error("bulk result: a line item came before any order");
      current.items.push(line);
      continue;
    }
    if (current) {
      orders.push(current);
      linesInBatch += 1 + current.items.length;
      if (orders.length === ORDERS_PER_BATCH) await flush();
      if (applied + linesInBatch - backfill.ordersApplied >= LINES_PER_PASS) {
        finished = false;
        current = null;
        break;
      }
    }
    current = { line, items: [] };
  }
  if (current) {
    orders.push(current);
    linesInBatch += 1 + current.items.length;
  }
  if (orders.length > 0) await flush();
  return { lines: applied - backfill.ordersApplied, finished };
}

/** Facts for every customer, then every customer placed in a tier (when the shop has a program). */
async function placeEveryone(shop: string, backfill: Backfill, now: Date): Promise<void> {
  for await (const ids of customerIdPages(shop)) await refreshMemberFacts(shop, ids, now);
  await setHistorySource(shop, backfill.historySource as HistorySource);
  await placeShop(shop, now, { sweep: false, onProgress: (placed) => updateBackfill(shop, backfill.id, { placed }) });
  // The imported history changes everyone's scores: classify the shop at the next sweep, not tomorrow.
  await requestClassification(shop);
}

/** One step of a run; see the module comment. */
export async function runBackfillPass(shop: string, backfillId: string, client: AdminClient, now: Date): Promise<PassResult> {
  const backfill = await findBackfill(shop, backfillId);
  if (!backfill || backfill.status === "done" || backfill.status === "failed") return { status: "done", written: 0 };
  const fail = async (error: string): Promise<PassResult> => {
    await updateBackfill(shop, backfill.id, { status: "failed", error, finishedAt: now });
    return { status: "done", written: 0 };
  };

  if (backfill.status === "queued") return startQueries(shop, backfill, client, now);

  if (backfill.status === "running") {
    const operations = [await bulkStatus(client, backfill.customersOperation!), await bulkStatus(client, backfill.ordersOperation!)];
    const broken = operations.find((operation) => ["FAILED", "CANCELED", "EXPIRED"].includes(operation.status));
    if (broken) return fail(`Shopify's bulk query ${broken.status.toLowerCase()}${broken.errorCode ? ` (${broken.errorCode})` : ""}`);
    if (operations.some((operation) => operation.status !== "COMPLETED")) return { status: "later", at: new Date(now.getTime() + POLL_MS), written: 0, reason: "waiting for Shopify's bulk queries" };
    await updateBackfill(shop, backfill.id, { status: "importing", customersTotal: Number(operations[0].objectCount), ordersTotal: Number(operations[1].objectCount) });
    return { status: "later", at: now, written: 0, reason: "importing" };
  }

  if (backfill.status === "importing") {
    try {
      const [customers, orders] = [await bulkStatus(client, backfill.customersOperation!), await bulkStatus(client, backfill.ordersOperation!)];
      if (backfill.customersTotal === null || backfill.customersApplied < backfill.customersTotal) {
        const lines = await importCustomers(shop, backfill, customers.url);
        if (lines >= LINES_PER_PASS) return { status: "later", at: now, written: lines, reason: "importing customers" };
      }
      const { lines, finished } = await importOrders(shop, (await findBackfill(shop, backfill.id))!, orders.url);
      if (!finished) return { status: "later", at: now, written: lines, reason: "importing orders" };
    } catch (error) {
      if (!(error instanceof ExpiredResult)) throw error;
      // The results are gone: ask Shopify again (what was applied stays; applying it again is harmless).
      await updateBackfill(shop, backfill.id, { status: "queued" });
      return { status: "later", at: now, written: 0, reason: "bulk results expired; querying again" };
    }
    await updateBackfill(shop, backfill.id, { status: "placing" });
    return { status: "later", at: now, written: 0, reason: "placing members" };
  }

  // placing
  await placeEveryone(shop, backfill, now);
  await updateBackfill(shop, backfill.id, { status: "done", finishedAt: now });
  return { status: "done", written: 0 };
}
