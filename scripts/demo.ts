// `npm run demo`: MemberCare's whole job on the embedded default, with no Shopify
// account and no network. It generates a store (2,000 customers with two years
// of history by default), starts the store simulator, the built app, the local
// admin frame and the SMTP inbox on a fresh SQLite file, and installs the app:
// the install imports the store's history with bulk queries and the merchant's
// tiers place every customer from it. Then it replays the last 90 days a day at
// a time on a clock it moves (signed webhooks over HTTP, with Shopify's
// duplicates and reordering; the workers run on the same clock), and prints
// what the app did: members per tier and the moves of those days, what was
// written to Shopify, shipments in trouble, the care messages and one campaign
// the dispatcher sent into the SMTP inbox hour by hour (scripts/demo-care.ts),
// and a checkout run through the member discount Function. The admin stays
// browsable until Ctrl-C.
//
//   npm run demo -- [--customers 2000] [--days 90] [--seed 7] [--holdout 10] [--exit]
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface DemoOptions {
  customers: number;
  days: number;
  seed: number;
  databaseFile: string;
  log: (line: string) => void;
  /** Keep the app, the admin frame and the inbox up until Ctrl-C. */
  keepRunning?: boolean;
  /** When the replay ends (default: now, to the hour): a fixed moment makes a run repeatable (tests). */
  end?: Date;
  /** The share each flow with a holdout and the campaign keep back (default: the catalog's, 10%); flows without one keep none. */
  holdoutPercent?: number;
  /** Sees every webhook body the store sends in the replay (tests look at what Shopify would send). */
  onWebhook?: (topic: string, body: unknown) => void;
  /** Runs once the summary is printed, with the admin still up on the demo's data (the Web Vitals test visits every page here). */
  whileRunning?: (admin: { frameUrl: string; appUrl: string; shop: string }) => Promise<void>;
}

const SHOP = "membercare-demo.myshopify.com";
const API_KEY = "demo-api-key";
const SECRET = "demo-secret";
const DAY = 86_400_000;
const HOUR = 3_600_000;
const HISTORY_DAYS = 730;
const root = path.resolve(import.meta.dirname, "..");

/** Runs `step` with the clock moving a second at a time until `done` says so (Shopify's bulk queries and throttle take simulated time). */
async function untilDone(clock: { advance(ms: number): void }, step: () => Promise<unknown>, done: () => Promise<boolean>, seconds = 900) {
  for (let second = 0; second < seconds; second++) {
    await step();
    if (await done()) return true;
    clock.advance(1000);
  }
  return false;
}

export async function runDemo(options: DemoOptions) {
  const log = options.log;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(options.databaseFile + suffix, { force: true });
  const { adminFrameAppEnv, freePort, startAdminFrame } = await import("../tools/admin-frame");
  const framePort = await freePort();
  Object.assign(process.env, {
    NODE_ENV: "production",
    DATABASE_URL: `file:${options.databaseFile}`,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://membercare.demo",
    // Production requires the app's own keys (docs/operations.md, "Keys and
    // rotation"); the demo's database is new each run, so are its keys.
    TOKEN_ENCRYPTION_KEYS: `demo:${randomBytes(32).toString("base64")}`,
    UNSUBSCRIBE_SIGNING_KEYS: `demo:${randomBytes(32).toString("base64")}`,
    // The workers run here, on the demo's clock, not in the web process.
    INBOX_WORKER_IN_PROCESS: "false",
    WORKER_BATCH_SIZE: "200",
    LOG_LEVEL: "error",
    ...adminFrameAppEnv(`http://127.0.0.1:${framePort}`),
  });
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { env: process.env, stdio: "ignore" });

  const { counterFileSaves, generateStore, responseOrder, seededRandom } = await import("../tools/simulator/store-generator");
  const { StoreTimeline } = await import("../tools/simulator/store-events");
  const { simulateCheckout } = await import("../tools/simulator/checkout");
  const { startStoreSimulator } = await import("../tools/simulator/admin-api");
  const { installShopRouting } = await import("../tools/simulator/route-shop-domains");
  const { emitWebhooks } = await import("../tools/simulator/webhooks");
  const { startSmtpInbox } = await import("../tools/smtp-inbox");
  const { ManualClock, installProcessClock } = await import("../app/services/clock.server");

  // The replay ends now, so the admin shows today's state when the demo is done.
  const end = options.end ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const replayFrom = new Date(end.getTime() - options.days * DAY);
  const historyStart = new Date(end.getTime() - HISTORY_DAYS * DAY);
  const store = generateStore({ customers: options.customers, seed: options.seed, start: historyStart, end });
  const clock = new ManualClock(replayFrom);
  // The app (webhook receipt, pages) runs on this clock too: see clock.server.ts.
  installProcessClock(clock);

  const simulator = await startStoreSimulator({ clock: () => clock.now().getTime() });
  simulator.addShop({ shop: SHOP, accessToken: "shpat_demo", apiClientId: API_KEY, name: "MemberCare Demo Store", ianaTimezone: "Asia/Shanghai", currencyCode: "USD", locales: ["en", "zh-CN"] });
  const uninstallRouting = installShopRouting(simulator.url);
  const { createAppServer } = await import("../server.mjs");
  const app = await createAppServer({ port: 0, host: "127.0.0.1" });
  const frame = await startAdminFrame({ appUrl: app.url, shop: SHOP, apiKey: API_KEY, apiSecret: SECRET, port: framePort, appName: "MemberCare" });
  const inbox = await startSmtpInbox();
  log(`store simulator ${simulator.url}, app ${app.url}, database ${path.relative(root, options.databaseFile)}`);

  // Before the app is installed, the store already has its customers and past orders.
  const timeline = new StoreTimeline(simulator.state, SHOP, store);
  const past = timeline.addPast(historyStart, replayFrom);
  log(`generated a store: ${store.customers.length} customers, ${store.products.length} products, ${store.orders.length} orders over ${HISTORY_DAYS} days; ${past.orders} of them placed before the install`);

  const { default: db } = await import("../app/db.server");
  const { recordInstall } = await import("../app/services/install.server");
  const { createAdminClient } = await import("../app/services/admin-client.server");
  const { drainInbox } = await import("../app/services/inbox-worker.server");
  const { drainOutbox } = await import("../app/services/outbox-worker.server");
  const { saveProgram } = await import("../app/services/tiers.server");
  const { runJobNow } = await import("../app/jobs/start.server");
  const { todaysFollowUps } = await import("../app/services/follow-ups.server");
  const { latestBackfill } = await import("../app/models/backfills.server");
  const { sentOffersWithoutCode } = await import("../app/models/rewards.server");
  const { membersDowngradedWithoutWarning } = await import("../app/services/membership-warnings.server");
  const care = await import("./demo-care");
  const { sealSessionToken } = await import("../app/services/session-storage.server");
  const { tokenEncryptionKeys } = await import("../app/services/keys.server");
  // Sealed as the app stores tokens (issue 18), so the demo's database holds no plaintext token either.
  const sealedToken = sealSessionToken(`offline_${SHOP}`, "accessToken", "shpat_demo", tokenEncryptionKeys());
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: sealedToken, scope: "read_customers,write_customers,read_orders,read_all_orders,read_fulfillments,read_products,read_discounts,write_discounts,read_locations" } });
  const client = createAdminClient({ shop: SHOP, accessToken: "shpat_demo", apiVersion: "2026-10" });
  const adminFor = async () => client;
  const runOutbox = () => drainOutbox({ adminFor, clock });

  // Install: shop settings, then the history import (bulk queries, simulated seconds).
  const { unauthenticated } = await import("../app/shopify.server");
  const { admin } = await unauthenticated.admin(SHOP);
  const installedAt = clock.now();
  const started = performance.now();
  await recordInstall({ shop: SHOP, scopes: null, admin }, clock);
  await untilDone(clock, runOutbox, async () => ["done", "failed"].includes((await latestBackfill(SHOP))?.status ?? ""));
  const backfill = await latestBackfill(SHOP);
  const importedOrders = await db.order.count({ where: { shop: SHOP } });
  log(`history import (Shopify bulk queries): ${backfill?.status}, ${backfill?.customersApplied} customers and ${importedOrders} orders in ${((clock.now().getTime() - installedAt.getTime()) / 1000).toFixed(0)} simulated s (${((performance.now() - started) / 1000).toFixed(1)} s here)`);

  // The merchant saves tiers (the starter program, with tags and segments): every
  // customer is placed from that history and written to the store.
  const { starterProgram, byRank } = await import("../app/domain/tiers");
  const starter = starterProgram();
  // The store's limited editions carry "no-member-discount": no tier discounts them.
  const program = { ...starter, tierTags: true, tierSegments: true, tiers: starter.tiers.map((tier) => ({ ...tier, perks: { ...tier.perks, excludedProductTags: [...new Set([...tier.perks.excludedProductTags, "no-member-discount"])] } })) };
  await saveProgram(SHOP, program, "now", clock.now());
  const idle = async () => (await db.outboxEffect.count({ where: { shop: SHOP, status: { in: ["pending", "processing"] } } })) === 0;
  await untilDone(clock, runOutbox, idle);
  const { membersPerTier } = await import("../app/models/tiers.server");
  const placed = await membersPerTier(SHOP);
  log(`tiers saved and every customer placed: ${byRank(program.tiers).map((tier) => `${tier.name.en} ${placed.get(tier.handle) ?? 0}`).join(", ")}`);

  // Staff keep customer files (issue 21): the birthdays they had noted before
  // the install (at their store's counter, or the owner in the admin), then at
  // the counter during the replay, each save by the staff member and store the
  // generator says (the POS's attribution: staff pinned in, location).
  const { saveCustomerFile } = await import("../app/models/customer-file.server");
  const { customerFileFormSchema } = await import("../app/domain/customer-file");
  const { rememberStaffMember } = await import("../app/services/staff-identity.server");
  const { issueSessionToken } = await import("../tools/admin-frame/session-token");
  const fileSaves = counterFileSaves(store, clock.now(), end);
  let filesSaved = 0;
  const saveFilesUntil = async (until: Date) => {
    for (; filesSaved < fileSaves.length && fileSaves[filesSaved].at < until; filesSaved++) {
      const save = fileSaves[filesSaved];
      const origin = save.locationId ? { source: "pos" as const, locationId: save.locationId } : { source: "admin" as const };
      await saveCustomerFile(SHOP, save.customerId, customerFileFormSchema.parse({ ...save.fields, confirm: "" }), { id: save.staffId, name: null }, save.at, origin);
    }
  };
  await saveFilesUntil(new Date(clock.now().getTime() + 1));
  // The staff sign in to the app once (the admin or the POS), so it learns their names from Shopify (token exchange).
  // Shopify's library checks the token's expiry against the machine's clock, as the admin frame's tokens are.
  const sessionNow = Math.floor(Date.now() / 1000);
  for (const userId of [...new Set([...store.locations.flatMap((location) => location.staff), "1"])]) {
    const token = issueSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: SECRET, userId, sessionId: `demo-${userId}`, now: sessionNow });
    await rememberStaffMember({ shop: SHOP, userId, sessionToken: token, now: clock.now(), waitMs: 10_000 });
  }
  log(`staff noted ${filesSaved} customers' birthdays; ${fileSaves.length - filesSaved} more file saves at the stores' counters during the replay`);

  // Care (issue 8): the merchant switches every care flow on; the dispatcher
  // sends into the demo's SMTP inbox as the replayed hours pass.
  const messaging = await care.startDemoCare({ shop: SHOP, clock, inboxSmtpUrl: inbox.smtpUrl, adminFor, days: options.days, holdoutPercent: options.holdoutPercent });

  // The last `days` days, one at a time: the day's events reach Shopify and the
  // app as webhooks; then the workers apply them, sweep tiers and write to Shopify.
  // Each order is priced at its checkout by the member discount Function, on the member's tier at that moment.
  const memberCheckout = (order: import("../tools/simulator/store-generator").GeneratedOrder) =>
    simulateCheckout(
      simulator.state,
      SHOP,
      order.customerId,
      order.lines.map((line) => ({ title: line.title, productId: line.productId, variantId: line.variantId, tags: line.tags, isGiftCard: line.isGiftCard, quantity: line.quantity, unitPriceMinor: line.priceMinor })),
    );
  log(`replaying ${options.days} days...`);
  const random = seededRandom(options.seed + 1);
  const statuses = new Map<number, number>();
  let sent = 0;
  // The orders messages earned (the generator's known response), placed when their moment comes.
  const responses: Array<import("../tools/simulator/store-generator").GeneratedOrder> = [];
  let pendingResponses: typeof responses = [];
  const replayStarted = performance.now();
  const replayClockStart = clock.now();
  for (let day = 1; day <= options.days; day++) {
    const dayEnd = new Date(Math.min(replayFrom.getTime() + day * DAY, end.getTime()));
    // Hour by hour: Shopify delivers within seconds of the event, and the app
    // refuses a delivery older than Shopify's retries allow (issue 18), so each
    // hour's webhooks go at the hour's end, not a whole day late.
    while (clock.now() < dayEnd) {
      const sliceStart = clock.now();
      const sliceEnd = new Date(Math.min(sliceStart.getTime() + HOUR, dayEnd.getTime()));
      await messaging.passHoursUntil(sliceEnd);
      // The hour's sent messages draw their responses; those due by its end join its own orders.
      for (const message of await messaging.sentBetween(sliceStart, sliceEnd)) {
        const order = responseOrder(store, message);
        if (order) pendingResponses.push(order);
      }
      const dueResponses = pendingResponses.filter((order) => order.createdAt < sliceEnd);
      pendingResponses = pendingResponses.filter((order) => order.createdAt >= sliceEnd);
      responses.push(...dueResponses);
      await timeline.place(sliceStart, sliceEnd, dueResponses, memberCheckout);
      const due = timeline.due(sliceEnd);
      for (const delivery of due) options.onWebhook?.(delivery.topic, delivery.body);
      for (const [status, count] of await emitWebhooks(app.url, due, { secret: SECRET, duplicateRate: 0.03, reorderRate: 0.2, random })) {
        statuses.set(status, (statuses.get(status) ?? 0) + count);
        sent += count;
      }
      await drainInbox({ clock });
      // Files staff saved at the counter during the hour (their customers' orders came in above).
      await saveFilesUntil(sliceEnd);
    }
    // The nightly jobs (their registry entries: the shops due, each claimed once per shop per local day).
    for (const job of ["tier-sweep", "intelligence", "follow-ups"]) await runJobNow(job, clock.now());
    await messaging.endOfDay(day);
    await runOutbox();
    if (day % 15 === 0 || day === options.days) log(`  day ${day}: ${sent} webhooks delivered`);
  }
  await untilDone(clock, runOutbox, idle);
  const replaySeconds = (performance.now() - replayStarted) / 1000;

  const summary = await demoSummary({ db, store, simulator, program, replayFrom: replayClockStart, end });
  // The same reading the Follow-ups page and the Overview's card show.
  const followUpList = await todaysFollowUps(SHOP, clock.now());
  const followUps = followUpList.tasks;
  const checkout = await sampleCheckout();
  const messages = await messaging.summary(inbox.messages.length);
  const results = await care.demoResults(
    SHOP,
    clock.now(),
    responses.map((order) => ({ customerId: order.customerId, activity: order.respondsTo!.activity, createdAt: order.createdAt, revenueMinor: timeline.placed(order.id)!.subtotalMinor })),
  );
  const orderFacts = replayedOrderFacts();
  const promises = await promiseChecks(replayClockStart);
  const counter = await counterFigures();
  const lines = [
    "",
    `MemberCare demo: ${summary.shopName} (${SHOP}, ${summary.timeZone}, ${summary.currency})`,
    `  store: ${store.customers.length} customers, ${summary.orders} orders in the app (${past.orders} imported at install, the rest replayed), net spend ${summary.netSpend}`,
    `  replay of ${options.days} days: ${sent} webhooks (${[...statuses].map(([status, n]) => `${n} answered ${status}`).join(", ")}) in ${replaySeconds.toFixed(1)} s; inbox ${Object.entries(summary.inbox).map(([status, n]) => `${status} ${n}`).join(", ")} (skipped: an older version of an order than the one applied; repeats of a webhook id are acknowledged and not stored)`,
    `  members per tier now: ${summary.perTier}`,
    `  tier moves in those ${options.days} days: ${summary.moves || "none"}`,
    `  written to Shopify: $app:membership on ${summary.synced.synced} of ${summary.synced.members} customers${summary.synced.rejected ? ` (${summary.synced.rejected} refused)` : ""}; segments ${summary.segments}; automatic discount "${summary.discount}"`,
    `  shipments: ${summary.shipments.delivered} delivered, ${summary.shipments.stuck} in transit over 7 days, ${summary.shipments.failed} failed delivery, ${summary.shipments.untracked} without tracking`,
    `  sample checkout (member discount Function, QuickJS): ${checkout}`,
    `  RFM segments: ${summary.segmentsByRfm}`,
    `  lifecycle: ${summary.stages}`,
    `  orders placed in the replay: ${orderFacts.placed} (${orderFacts.web} online, ${orderFacts.pos} at the stores' counters), numbered ${orderFacts.firstName} to ${orderFacts.lastName}; ${orderFacts.member} with the member discount, ${orderFacts.code} with a code, ${orderFacts.freeShipping} with the member's free shipping; ${orderFacts.responses} of them answering a message`,
    `  after the orders: ${Object.entries(orderFacts.changes).map(([kind, n]) => `${kind} ${n}`).join(", ") || "nothing"}; cancelled ${orderFacts.cancelled}`,
    `  follow-ups for today: ${followUps.length}${followUps.length ? ` (${countBy(followUps.map((task) => task.reason))})` : ""}, the team's daily capacity ${followUpList.capacity}; open in all ${followUpList.open}, waiting beyond today's list ${followUpList.waiting}, overdue ${followUpList.overdue}`,
    ...followUps.slice(0, 3).map((task) => `    ${task.customerShopifyId}: ${task.reason}, priority ${task.priority}`),
    ...messages.lines,
    ...results.lines,
    `  at the counters: ${counter.app.posOrders} POS sales in the app with the staff member who rang them up (the generator placed ${counter.generated.posOrders}); files registered at a store ${counter.app.registered} (generator ${counter.generated.registered}), field edits there ${counter.app.edits} (generator ${counter.generated.edits})`,
    `  Staff page, last ${counter.periodDays} days: ${counter.leaderboard.map((row) => `${row.name} ${row.newMembers} new members (${row.revenue} in their first 90 days), ${row.filesCreated} files registered, ${row.filesCompleted} of ${row.filesKept} complete`).join("; ") || "no rows"}; by store: ${counter.locations.map((row) => `${row.name} ${row.newMembers} new members`).join("; ") || "no rows"}`,
    `  promises: offers sent without their code ${promises.offersWithoutCode} of ${promises.offersSent} sent offers; downgrades in the replay ${promises.downgrades}; members ever downgraded without a warning that reached them first: ${promises.downgradedUnwarned}`,
    `  the SMTP inbox has ${inbox.messages.length} messages: ${inbox.url}`,
    "",
    `  admin (session tokens from a local admin frame): ${frame.url}/app   (中文: ${frame.url}/app?locale=zh-CN)`,
    `  SMTP inbox: ${inbox.url}   (SMTP at ${inbox.smtpUrl})`,
    `  a member from the command line: npm run cli -- member show --shop ${SHOP} --customer ${summary.topCustomer}  (DATABASE_URL=file:${path.relative(root, options.databaseFile)})`,
    "",
  ];
  lines.forEach((line) => log(line));

  const stop = async () => {
    messaging.close();
    await frame.close();
    await inbox.close();
    await app.close();
    await simulator.close();
    uninstallRouting();
    await db.$disconnect();
  };
  // Real time again: the replay ended now.
  installProcessClock(null);
  try {
    await options.whileRunning?.({ frameUrl: frame.url, appUrl: app.url, shop: SHOP });
  } catch (error) {
    await stop();
    throw error;
  }
  if (options.keepRunning) {
    log("Ctrl-C stops the demo.");
    await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  }
  await stop();
  return { counter, backfill, past, importedOrders, followUps: { shown: followUps.length, capacity: followUpList.capacity, open: followUpList.open, waiting: followUpList.waiting }, results: results.rows, orderFacts, promises, statuses: Object.fromEntries(statuses), sent, checkout, messages, inboxMessages: inbox.messages, ...summary };

  /** What the replayed orders were like, from the bodies the store sent (the priced orders). */
  function replayedOrderFacts() {
    const placed = timeline.allPlaced().filter((order) => order.order.createdAt >= replayFrom);
    const changes: Record<string, number> = {};
    for (const order of placed) for (const change of order.order.changes) changes[change.kind] = (changes[change.kind] ?? 0) + 1;
    return {
      placed: placed.length,
      web: placed.filter((order) => order.order.sourceName === "web").length,
      pos: placed.filter((order) => order.order.sourceName === "pos").length,
      firstName: placed.length ? `#${Math.min(...placed.map((order) => order.number))}` : "-",
      lastName: placed.length ? `#${Math.max(...placed.map((order) => order.number))}` : "-",
      member: placed.filter((order) => order.discountKind === "member").length,
      code: placed.filter((order) => order.discountKind === "code").length,
      freeShipping: placed.filter((order) => order.shippingDiscountMinor > 0).length,
      responses: placed.filter((order) => order.order.respondsTo).length,
      cancelled: placed.filter((order) => order.order.cancelledAt).length,
      changes,
    };
  }

  /**
   * The counters (issue 21): what the app recorded of the stores' POS sales
   * and of the files staff kept there, beside what the generator made (the
   * summary's own check), and the Staff page's rows as the page reads them.
   */
  async function counterFigures() {
    const { staffPerformanceOf } = await import("../app/models/staff-performance.server");
    const { knownStaffNames } = await import("../app/models/staff-members.server");
    const { periodStart, DEFAULT_PERIOD } = await import("../app/domain/staff-performance");
    const { formatMoney } = await import("../app/i18n");
    const replayedPos = timeline.allPlaced().filter((placed) => placed.order.createdAt >= replayFrom && placed.order.sourceName === "pos");
    const atStores = fileSaves.filter((save) => save.locationId !== null);
    const now = clock.now();
    const figures = await staffPerformanceOf(SHOP, periodStart(DEFAULT_PERIOD, now), now);
    const names = await knownStaffNames(SHOP, figures.staff.map((row) => row.staffId));
    // The stores as Shopify names them (read at the install from the simulator's locations, the generator's two stores).
    const { knownLocations } = await import("../app/models/shop-locations.server");
    const stores = await knownLocations(SHOP, figures.locations.map((row) => row.locationId));
    return {
      generated: {
        posOrders: replayedPos.length,
        byStaff: Object.fromEntries([...new Set(replayedPos.map((placed) => placed.order.staffId!))].map((staffId) => [staffId, replayedPos.filter((placed) => placed.order.staffId === staffId).length])),
        registered: atStores.filter((save) => save.registers).length,
        edits: atStores.reduce((sum, save) => sum + save.added.length, 0),
      },
      app: {
        posOrders: await db.order.count({ where: { shop: SHOP, sourceName: "pos", posUserId: { not: null } } }),
        byStaff: Object.fromEntries((await db.order.groupBy({ by: ["posUserId"], where: { shop: SHOP, sourceName: "pos", posUserId: { not: null } }, _count: { _all: true } })).map((row) => [row.posUserId!, row._count._all])),
        registered: await db.customerFile.count({ where: { shop: SHOP, registeredSource: "pos" } }),
        edits: await db.customerFileEdit.count({ where: { shop: SHOP, source: "pos" } }),
      },
      periodDays: Math.round((now.getTime() - periodStart(DEFAULT_PERIOD, now)!.getTime()) / DAY),
      leaderboard: figures.staff.map((row) => ({ ...row, name: names.get(row.staffId) ?? `staff member ${row.staffId}`, revenue: formatMoney(row.newMemberRevenueMinor, figures.currencyCode, "en") })),
      locations: figures.locations.map((row) => ({ ...row, name: stores.get(row.locationId)?.name ?? `Store ${row.locationId}` })),
    };
  }

  /**
   * The promises of issue 17 part 4, read by the functions the app itself
   * audits them with: sent offer messages (of a step the catalog gives an
   * offer) and those of them sent without a code Shopify has
   * (sentOffersWithoutCode); the replay's downgrades and every downgrade the
   * app made without a warning that had reached the member first
   * (membersDowngradedWithoutWarning, as `npm run cli -- tiers status` prints).
   */
  async function promiseChecks(from: Date) {
    const { FLOW_CATALOG } = await import("../app/domain/care/flows");
    const offerSteps = Object.values(FLOW_CATALOG).flatMap((definition) => definition.steps.filter((step) => step.offerPercent).map((step) => ({ sourceId: definition.flow, step: step.step })));
    return {
      offersSent: offerSteps.length ? await db.message.count({ where: { shop: SHOP, source: "flow", status: "sent", OR: offerSteps } }) : 0,
      offersWithoutCode: await sentOffersWithoutCode(SHOP),
      downgrades: await db.tierChange.count({ where: { shop: SHOP, action: "downgrade", at: { gt: from } } }),
      downgradedUnwarned: (await membersDowngradedWithoutWarning(SHOP)).length,
    };
  }

  /** A top member's cart (their favourite product and an excluded one) and a guest's, through the Function. */
  async function sampleCheckout(): Promise<string> {
    const member = await db.memberTier.findFirst({ where: { shop: SHOP }, orderBy: [{ tierHandle: "desc" }] });
    const best = byRank(program.tiers).at(-1)!;
    const top = (await db.memberTier.findFirst({ where: { shop: SHOP, tierHandle: best.handle } })) ?? member;
    if (!top) return "no member to check out";
    const tier = program.tiers.find((candidate) => candidate.handle === top.tierHandle)!;
    const products = store.products;
    const cart = [products[0], products.find((product) => product.tags.includes("no-member-discount")) ?? products[1]].map((product) => ({
      title: product.title,
      productId: product.id,
      tags: product.tags,
      isGiftCard: product.isGiftCard,
      quantity: 1,
      unitPriceMinor: product.priceMinor,
    }));
    const result = await simulateCheckout(simulator.state, SHOP, top.customerShopifyId, cart);
    const money = (minor: number) => `$${(minor / 100).toFixed(2)}`;
    const guest = await simulateCheckout(simulator.state, SHOP, null, cart);
    return (
      `${tier.name.en} member ${top.customerShopifyId}, cart ${money(result.subtotalMinor)}: ` +
      (result.message ? `"${result.message}" -${money(result.discountMinor)}` : "no discount") +
      (result.excludedTitles.length ? ` (${result.excludedTitles.join(", ")} left out)` : "") +
      (result.freeShipping ? `, "${result.shippingMessage}"` : "") +
      `; a guest with the same cart: ${guest.message ?? "no discount"}`
    );
  }
}

const countBy = (values: string[]) => [...values.reduce((counts, value) => counts.set(value, (counts.get(value) ?? 0) + 1), new Map<string, number>())].map(([value, n]) => `${value} ${n}`).join(", ");

async function demoSummary({ db, store, simulator, program, replayFrom, end }: { db: typeof import("../app/db.server").default; store: import("../tools/simulator/store-generator").GeneratedStore; simulator: import("../tools/simulator/admin-api").StoreSimulator; program: ReturnType<typeof import("../app/domain/tiers").starterProgram>; replayFrom: Date; end: Date }) {
  const { byRank } = await import("../app/domain/tiers");
  const { membersPerTier, membershipSyncStatus } = await import("../app/models/tiers.server");
  const { memberSummary } = await import("../app/models/customers.server");
  const { inboxStatusCounts } = await import("../app/models/inbox.server");
  const { formatMoney } = await import("../app/i18n");
  const shop = await db.shop.findUnique({ where: { shop: SHOP } });
  const members = await memberSummary(SHOP);
  const perTier = await membersPerTier(SHOP);
  const moves = await db.tierChange.groupBy({ by: ["action"], where: { shop: SHOP, at: { gt: replayFrom } }, _count: { _all: true } });
  // A week before the replay's end (the demo's now), not the machine's.
  const weekAgo = new Date(end.getTime() - 7 * DAY);
  const simShop = simulator.state.shop(SHOP);
  const top = await db.customer.findFirst({ where: { shop: SHOP }, orderBy: { netSpentMinor: "desc" } });
  return {
    shopName: shop?.name,
    timeZone: shop?.ianaTimezone,
    currency: shop?.currencyCode,
    orders: await db.order.count({ where: { shop: SHOP } }),
    netSpend: formatMoney(members.netSpentMinor, members.currencyCode ?? "USD", "en"),
    inbox: await inboxStatusCounts(SHOP),
    perTier: byRank(program.tiers)
      .map((tier) => `${tier.name.en} ${perTier.get(tier.handle) ?? 0}`)
      .join(", "),
    perTierCounts: Object.fromEntries(perTier),
    moves: moves.map((move) => `${move.action} ${move._count._all}`).join(", "),
    segmentsByRfm: (await db.customer.groupBy({ by: ["rfmSegment"], where: { shop: SHOP, rfmSegment: { not: null } }, _count: { _all: true } })).map((row) => `${row.rfmSegment} ${row._count._all}`).join(", ") || "none",
    stages: (await db.customer.groupBy({ by: ["lifecycleStage"], where: { shop: SHOP, lifecycleStage: { not: null } }, _count: { _all: true } })).map((row) => `${row.lifecycleStage} ${row._count._all}`).join(", ") || "none",
    synced: await membershipSyncStatus(SHOP),
    segments: [...simShop.segments.values()].map((segment) => `"${segment.name}"`).join(", ") || "none",
    discount: [...simShop.discounts.values()].find((discount) => discount.ownedByApp)?.title ?? "(none)",
    shipments: {
      delivered: await db.fulfillment.count({ where: { shop: SHOP, deliveredAt: { not: null } } }),
      stuck: await db.fulfillment.count({ where: { shop: SHOP, deliveredAt: null, lastEventStatus: "in_transit", lastEventAt: { lt: weekAgo } } }),
      failed: await db.fulfillment.count({ where: { shop: SHOP, lastEventStatus: "failure" } }),
      untracked: await db.fulfillment.count({ where: { shop: SHOP, trackingNumber: null } }),
    },
    generatedOrders: store.orders.length,
    topCustomer: top?.shopifyId ?? "?",
  };
}

if (process.argv[1]?.endsWith("demo.ts")) {
  const { values } = parseArgs({ options: { customers: { type: "string", default: "2000" }, days: { type: "string", default: "90" }, seed: { type: "string", default: "7" }, holdout: { type: "string" }, exit: { type: "boolean", default: false } } });
  const customers = Number(values.customers);
  const days = Number(values.days);
  const holdout = values.holdout === undefined ? undefined : Number(values.holdout);
  if (!Number.isInteger(customers) || customers < 1 || !Number.isInteger(days) || days < 1 || days > 365 || (holdout !== undefined && (!Number.isInteger(holdout) || holdout < 1 || holdout > 50))) {
    console.error("npm run demo -- [--customers N (1 or more)] [--days D (1 to 365)] [--seed S] [--holdout PERCENT (1 to 50)] [--exit]");
    process.exit(2);
  }
  fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
  await runDemo({ customers, days, seed: Number(values.seed), databaseFile: path.join(root, "tmp", "demo.sqlite"), log: (line) => console.log(line), keepRunning: !values.exit, holdoutPercent: holdout });
  process.exit(0);
}
