// A generated shop for the benchmarks (bench:tiers, bench:intel): customers,
// orders and refunds, optionally order lines and fulfillments, written with
// plain multi-row INSERTs into a fresh SQLite file; and the measuring harness
// both use (a phase's time, sampled RSS and the kernel's high-water mark).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { purchaseLedger } from "../../app/domain/purchase-ledger";
import { seededRandom } from "../../tools/simulator/store-generator";

export const YEAR_MS = 365.25 * 86_400_000;
const DAY_MS = 86_400_000;
const RSS_SAMPLE_MS = 50;

/** Dates as the libsql adapter stores and binds them (ISO 8601, "+00:00"). */
export const sqlDate = (date: Date) => date.toISOString().replace("Z", "+00:00");

export const customerShopifyId = (i: number) => String(7_000_000_000_000 + i);
const pad = (n: number) => String(n).padStart(9, "0");
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const FIRST = ["Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jia", "Kofi", "Lena", "Mei", "Noor", "Omar", "Pia"];
const LAST = ["Smith", "Wang", "Garcia", "Müller", "Okafor", "Tanaka", "Silva", "O'Brien", "Kowalski", "Nguyen", "Haddad", "Larsen"];

export interface GeneratedShopOptions {
  shop: string;
  name: string;
  now: Date;
  seed: number;
  customers: number;
  orders: number;
  /** Order lines from a catalog of this many products (each customer leaning to a favourite); none when absent. */
  products?: number;
  /** Fulfillments, with a delivery time for most, on this share of the shipped orders; none when absent. */
  fulfilledShare?: number;
}

export interface GeneratedShop {
  orders: number;
  guests: number;
  cancelled: number;
  refunded: number;
  refunds: number;
  withoutOrders: number;
  lines: number;
  fulfillments: number;
  delivered: number;
}

/** A fresh SQLite file with the app's schema, opened for generation (WAL, no fsync). */
export async function freshDatabase(root: string, dbFile: string): Promise<Client> {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(dbFile + suffix, { force: true });
  process.env.DATABASE_URL = `file:${dbFile}`;
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { env: process.env, stdio: "ignore" });
  const client = createClient({ url: `file:${dbFile}` });
  await client.execute("PRAGMA journal_mode = WAL");
  await client.execute("PRAGMA synchronous = OFF"); // generation only; the measured parts use the app's settings
  return client;
}

/**
 * 200,000 customers and 2,000,000 orders by default: about 12% of customers
 * without orders, a long tail of frequent buyers (log-normal weights), dates
 * over three years with more recent ones, about 1.5% guest checkouts, 2.5%
 * cancelled, 0.5% voided, 0.3% test orders, 5% refunded (fully or partly,
 * some twice). Raw multi-row INSERTs in one transaction per table. Lines and
 * fulfillments (when asked for) draw from a random stream of their own, so the
 * customers, orders and refunds are the same with or without them.
 */
export async function generateShop(client: Client, options: GeneratedShopOptions): Promise<GeneratedShop> {
  const { shop: SHOP, now: NOW, customers: customerCount, orders: orderCount } = options;
  const random = seededRandom(options.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const nowIso = sqlDate(NOW);

  // Each customer's share of the orders.
  const cumulative = new Float64Array(customerCount);
  let sum = 0;
  for (let i = 0; i < customerCount; i++) {
    sum += random() < 0.12 ? 0 : Math.exp(1.1 * normal());
    cumulative[i] = sum;
  }
  // Each order's customer (-1: a guest checkout) and time. More orders lately
  // (the shop grew): u^1.3 leans toward now.
  const perCustomer = new Uint32Array(customerCount);
  const orderCustomer = new Int32Array(orderCount);
  const orderTime = new Float64Array(orderCount);
  let guestOrders = 0;
  for (let j = 0; j < orderCount; j++) {
    orderTime[j] = NOW.getTime() - Math.pow(random(), 1.3) * 3 * YEAR_MS;
    if (random() < 0.015) {
      guestOrders++;
      orderCustomer[j] = -1;
      continue;
    }
    const target = random() * sum;
    let lo = 0;
    let hi = customerCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    perCustomer[lo]++;
    orderCustomer[j] = lo;
  }

  const ROWS_PER_STATEMENT = 500;
  async function insertAll(table: string, columns: string[], rows: Iterable<string>) {
    const transaction = await client.transaction("write");
    let batch: string[] = [];
    const head = `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES `;
    for (const row of rows) {
      batch.push(row);
      if (batch.length === ROWS_PER_STATEMENT) {
        await transaction.execute(head + batch.join(","));
        batch = [];
      }
    }
    if (batch.length > 0) await transaction.execute(head + batch.join(","));
    await transaction.commit();
  }

  await client.execute({ sql: `INSERT INTO "Shop" ("shop", "name", "ianaTimezone", "currencyCode", "historySource", "updatedAt") VALUES (?, ?, 'America/New_York', 'USD', 'orders', ?)`, args: [SHOP, options.name, nowIso] });

  await insertAll(
    "Customer",
    ["id", "shop", "shopifyId", "firstName", "lastName", "email", "locale", "countryCode", "tags", "emailConsentState", "shopifyCreatedAt", "shopifyUpdatedAt", "createdAt", "updatedAt"],
    (function* () {
      for (let i = 0; i < customerCount; i++) {
        const first = FIRST[Math.floor(random() * FIRST.length)];
        const last = LAST[Math.floor(random() * LAST.length)];
        const created = sqlDate(new Date(NOW.getTime() - (3.2 * random() + 0.01) * YEAR_MS));
        yield `('c${pad(i)}', '${SHOP}', '${customerShopifyId(i)}', ${quote(first)}, ${quote(last)}, ${quote(`${first}.${last}.${i}@example.com`.toLowerCase())}, 'en', 'US', '${random() < 0.1 ? "vip" : ""}', '${random() < 0.6 ? "SUBSCRIBED" : "NOT_SUBSCRIBED"}', '${created}', '${created}', '${nowIso}', '${nowIso}')`;
      }
    })(),
  );

  const refunds: string[] = [];
  let refundSequence = 0;
  let refundedOfOrder = 0;
  const refund = (orderShopifyId: string, at: Date, amount: number) => {
    refundSequence++;
    refundedOfOrder += amount;
    refunds.push(`('r${pad(refundSequence)}', '${SHOP}', '${9_000_000_000_000 + refundSequence}', '${orderShopifyId}', '${sqlDate(at)}', ${amount}, 'USD', '[]', '${nowIso}')`);
  };
  // What lines and fulfillments need of each order, by sequence (1-based).
  const extras = options.products !== undefined || options.fulfilledShare !== undefined;
  const seqCustomer = new Int32Array(extras ? orderCount + 1 : 0);
  const seqTime = new Float64Array(extras ? orderCount + 1 : 0);
  const seqShipped = new Uint8Array(extras ? orderCount + 1 : 0);
  let orderSequence = 0;
  let cancelled = 0;
  let refunded = 0;
  function orderRow(customer: number, processed: Date): string {
    orderSequence++;
    const shopifyId = String(5_000_000_000_000 + orderSequence);
    const subtotal = Math.max(300, Math.min(250_000, Math.round(Math.exp(8.6 + 0.7 * normal()) / 5) * 5));
    const discounts = random() < 0.2 ? Math.round(subtotal * 0.1) : 0;
    const shipping = subtotal >= 7_500 ? 0 : 695;
    const tax = Math.round((subtotal - discounts) * 0.08);
    const roll = random();
    refundedOfOrder = 0;
    let financialStatus = "paid";
    let cancelledAt: Date | null = null;
    let test = 0;
    if (roll < 0.025) {
      cancelledAt = new Date(processed.getTime() + 3_600_000 * (1 + 48 * random()));
      financialStatus = random() < 0.5 ? "refunded" : "voided";
      if (financialStatus === "refunded") refund(shopifyId, cancelledAt, subtotal);
      cancelled++;
    } else if (roll < 0.03) {
      financialStatus = "voided";
    } else if (roll < 0.033) {
      test = 1;
    } else if (roll < 0.083) {
      refunded++;
      const at = new Date(processed.getTime() + 86_400_000 * (2 + 40 * random()));
      if (random() < 0.4) {
        financialStatus = "refunded";
        refund(shopifyId, at, subtotal);
      } else {
        financialStatus = "partially_refunded";
        refund(shopifyId, at, Math.round(subtotal * (0.1 + 0.5 * random())));
        if (random() < 0.1) refund(shopifyId, new Date(at.getTime() + 86_400_000 * 7), Math.round(subtotal * 0.2));
      }
    } else if (processed.getTime() > NOW.getTime() - 86_400_000 * 3 && random() < 0.3) {
      financialStatus = "pending";
    }
    if (extras) {
      seqCustomer[orderSequence] = customer;
      seqTime[orderSequence] = processed.getTime();
      seqShipped[orderSequence] = cancelledAt || financialStatus === "voided" ? 0 : 1;
    }
    const processedIso = sqlDate(processed);
    const customerId = customer < 0 ? null : customerShopifyId(customer);
    // The purchase ledger's answer, as the projector would store it (the
    // subtotal as the order's one line of merchandise; refunds of it).
    const ledger = purchaseLedger(
      { test: test === 1, cancelledAt, financialStatus, lines: [{ shopifyId: "1", quantity: 1, currentQuantity: 1, unitPriceMinor: subtotal, discountMinor: 0, giftCard: false }] },
      refundedOfOrder ? [{ lines: [{ lineShopifyId: "1", quantity: 1, subtotalMinor: refundedOfOrder }], unallocatedMinor: 0 }] : [],
    );
    return `('o${pad(orderSequence)}', '${SHOP}', '${shopifyId}', ${customerId ? `'${customerId}'` : "NULL"}, '#${1000 + orderSequence}', '${processedIso}', '${processedIso}', '${processedIso}', 'USD', 'USD', ${subtotal}, ${subtotal - discounts + shipping + tax}, ${discounts}, ${tax}, ${shipping}, '${financialStatus}', ${cancelledAt ? "NULL" : "'fulfilled'"}, ${cancelledAt ? `'${sqlDate(cancelledAt)}'` : "NULL"}, ${cancelledAt ? "'customer'" : "NULL"}, ${test}, 'web', ${ledger.countsAsPurchase ? 1 : 0}, ${ledger.netSpendMinor}, '${nowIso}', '${nowIso}')`;
  }
  await insertAll(
    "Order",
    ["id", "shop", "shopifyId", "customerShopifyId", "name", "shopifyCreatedAt", "processedAt", "shopifyUpdatedAt", "currencyCode", "presentmentCurrency", "subtotalMinor", "totalMinor", "totalDiscountsMinor", "totalTaxMinor", "shippingMinor", "financialStatus", "fulfillmentStatus", "cancelledAt", "cancelReason", "test", "sourceName", "countsAsPurchase", "netSpendMinor", "createdAt", "updatedAt"],
    (function* () {
      // In the order they were placed, as a shop's rows are: a customer's orders
      // lie apart in the table, not side by side.
      const byTime = new Uint32Array(orderCount).map((_, j) => j).sort((a, b) => orderTime[a] - orderTime[b]);
      for (const j of byTime) yield orderRow(orderCustomer[j], new Date(orderTime[j]));
    })(),
  );
  await insertAll("Refund", ["id", "shop", "shopifyId", "orderShopifyId", "processedAt", "amountMinor", "currencyCode", "lines", "createdAt"], refunds);

  // Lines: one to three per order (a few gift cards), a Zipf-like catalog, and
  // each customer coming back to a favourite product half the time, so product
  // intervals have repeat purchases to learn from.
  let lineSequence = 0;
  if (options.products !== undefined) {
    const extra = seededRandom(options.seed + 1_000);
    const catalog = options.products;
    const popular = () => Math.min(catalog - 1, Math.floor(catalog * Math.pow(extra(), 2.5)));
    const favourite = new Uint16Array(customerCount).map(() => popular());
    await insertAll(
      "OrderLine",
      ["id", "shop", "orderId", "shopifyId", "productShopifyId", "variantShopifyId", "title", "quantity", "unitPriceMinor", "giftCard"],
      (function* () {
        for (let s = 1; s <= orderSequence; s++) {
          const lines = 1 + (extra() < 0.35 ? 1 : 0) + (extra() < 0.1 ? 1 : 0);
          for (let l = 0; l < lines; l++) {
            lineSequence++;
            const giftCard = extra() < 0.01;
            const product = seqCustomer[s] >= 0 && l === 0 && extra() < 0.5 ? favourite[seqCustomer[s]] : popular();
            const productId = String(8_000_000_000_000 + product);
            yield `('l${pad(lineSequence)}', '${SHOP}', 'o${pad(s)}', '${6_000_000_000_000 + lineSequence}', '${productId}', '${Number(productId) * 10 + 1}', 'Product ${product}', ${1 + (extra() < 0.2 ? 1 : 0)}, ${500 + product * 25}, ${giftCard ? 1 : 0})`;
          }
        }
      })(),
    );
  }

  // Fulfillments of a share of the shipped orders: shipped within two days,
  // delivered two to eight days later (nine in ten), the rest in transit or lost.
  let fulfillmentSequence = 0;
  let delivered = 0;
  if (options.fulfilledShare !== undefined) {
    const extra = seededRandom(options.seed + 2_000);
    const share = options.fulfilledShare;
    await insertAll(
      "Fulfillment",
      ["id", "shop", "shopifyId", "orderShopifyId", "status", "shipmentStatus", "trackingCompany", "shopifyCreatedAt", "deliveredAt", "lastEventAt", "lastEventStatus", "createdAt", "updatedAt"],
      (function* () {
        for (let s = 1; s <= orderSequence; s++) {
          if (!seqShipped[s] || extra() >= share) continue;
          const shippedMs = seqTime[s] + DAY_MS * 2 * extra();
          if (shippedMs > NOW.getTime()) continue;
          fulfillmentSequence++;
          const arrivesMs = shippedMs + DAY_MS * (2 + 6 * extra());
          const outcome = extra();
          const isDelivered = arrivesMs <= NOW.getTime() && outcome < 0.9;
          const status = isDelivered ? "delivered" : outcome < 0.97 || arrivesMs > NOW.getTime() ? "in_transit" : "failure";
          const eventMs = isDelivered || status === "failure" ? Math.min(arrivesMs, NOW.getTime()) : shippedMs;
          if (isDelivered) delivered++;
          const shipped = sqlDate(new Date(shippedMs));
          yield `('f${pad(fulfillmentSequence)}', '${SHOP}', '${4_000_000_000_000 + fulfillmentSequence}', '${5_000_000_000_000 + s}', 'success', '${status}', 'UPS', '${shipped}', ${isDelivered ? `'${sqlDate(new Date(arrivesMs))}'` : "NULL"}, '${sqlDate(new Date(eventMs))}', '${status}', '${nowIso}', '${nowIso}')`;
        }
      })(),
    );
  }
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  return {
    orders: orderSequence,
    guests: guestOrders,
    cancelled,
    refunded,
    refunds: refundSequence,
    withoutOrders: perCustomer.filter((n) => n === 0).length,
    lines: lineSequence,
    fulfillments: fulfillmentSequence,
    delivered,
  };
}

// ------------------------------------------------------------- measuring

export type PhaseResult = { seconds: number; baselineRss: number; peakRss: number; maxRss: number; rows: number };

/** Runs `work` while sampling the process's RSS every 50 ms. */
export async function measured<T>(work: () => Promise<T>) {
  global.gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  // The kernel's high-water mark, which also sees what the sampler cannot (a
  // synchronous query blocks the timer): VmHWM, not getrusage's maxRSS, which
  // a forked child inherits from its parent.
  const status = fs.existsSync("/proc/self/status") ? fs.readFileSync("/proc/self/status", "utf8") : "";
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
  const maxRss = hwm ? Number(hwm[1]) * 1024 : peakRss;
  return { value, seconds, baselineRss, peakRss, maxRss };
}
