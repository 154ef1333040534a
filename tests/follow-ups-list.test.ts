// Follow-ups as a list a team can work (issue 17), on the real database
// (SQLite and PostgreSQL) through the built app:
// - a task closes by itself when its reason is gone, with why recorded and
//   shown: the "at risk" customer reorders (a signed orders/create webhook),
//   the parcel in trouble is delivered (a signed fulfillment_events/create)
//   or staff close its trouble by hand, staff complete a thin file, the
//   birthday passes (the next day's list); a task whose reason still holds
//   stays open;
// - the merchant sets how many the team takes a day on the Settings page
//   (422 with the field's error for bad input, nothing lost); the list shows
//   that many, most valuable first, and how many more are waiting, with no
//   cap of its own (over a thousand open are all counted, and as many as the
//   team takes, up to a thousand, are shown);
//   the Overview's card and the page read the same numbers.
import db from "~/db.server";
import { starterProgram } from "~/domain/tiers";
import { formatNumber, translate } from "~/i18n";
import { saveShopSettings } from "~/models/shops.server";
import { saveTierProgram } from "~/models/tiers.server";
import { detectAnomalies, resolveShipmentByStaff } from "~/services/anomalies.server";
import { followUpClosures, generateFollowUps, todaysFollowUps } from "~/services/follow-ups.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveCustomerFile } from "~/models/customer-file.server";
import { customerFileFormSchema } from "~/domain/customer-file";
import { sendWebhook } from "../tools/simulator/webhooks";
import { startTestApp, type TestApp } from "./support/app";
import { fulfillmentEventPayload, orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";
import { drainInbox } from "~/services/inbox-worker.server";

const shop = "follow-ups-list.myshopify.com";
const busy = "follow-ups-busy.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const DAY = 86_400_000;
// The app's worker and pages read the real clock: the story starts five days
// before today (09:00 UTC; the shops keep UTC).
const startOfToday = Math.floor(Date.now() / DAY) * DAY;
const T0 = new Date(startOfToday - 5 * DAY + 9 * 3_600_000);
const day = (offset: number) => new Date(T0.getTime() + offset * DAY);
const date = (offset: number) => day(offset).toISOString().slice(0, 10);
const plusDays = (days: number) => new Date(startOfToday + days * DAY).toISOString().slice(0, 10);
let app: TestApp;

const query = (domain: string, locale = "en") => new URLSearchParams({ embedded: "1", shop: domain, host: Buffer.from(`admin.shopify.com/store/${domain.split(".")[0]}`).toString("base64url"), locale });
// The page as a person reads it: the markup's entities decoded.
const html = async (domain: string, path: string, locale = "en") => {
  const response = await fetch(`${app.url}${path}?${query(domain, locale)}&id_token=${sessionToken(domain)}`, { headers: { "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return (await response.text()).replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
};
const data = (domain: string, path: string, route: string, init: RequestInit = {}) =>
  fetch(`${app.url}${path}?${query(domain)}&_data=${encodeURIComponent(route)}`, { ...init, headers: { Authorization: `Bearer ${sessionToken(domain)}`, "User-Agent": BROWSER } });
const saveSettings = (domain: string, fields: Record<string, string>) => data(domain, "/app/settings", "routes/app.settings", { method: "POST", body: new URLSearchParams(fields) });
/** The customer's newest task (the touch staff completed before the story is older). */
const taskOf = (customerShopifyId: string, domain = shop) => db.followUpTask.findFirstOrThrow({ where: { shop: domain, customerShopifyId }, orderBy: { createdAt: "desc" } });

beforeAll(async () => {
  for (const domain of [shop, busy]) {
    await installShop(domain);
    await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, day(-90));
  }
  // 7101 and 7104: key customers at risk (their files complete, so at risk is their only reason);
  // 7102 and 7105: a parcel that failed; 7103: a birthday in two days; 7106: a main customer without a file.
  const history = day(-60).toISOString();
  for (const id of ["7101", "7102", "7103", "7104", "7105", "7106"]) {
    await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: `9${id}`, customerId: id, subtotal: "120.00", createdAt: history })) }, day(-60));
  }
  for (const id of ["7101", "7104"]) await db.customer.update({ where: { shop_shopifyId: { shop, shopifyId: id } }, data: { valueClass: "key", lifecycleStage: "atRisk" } });
  await db.customer.update({ where: { shop_shopifyId: { shop, shopifyId: "7106" } }, data: { valueClass: "main", lifecycleStage: "active" } });
  await db.customer.updateMany({ where: { shop, shopifyId: { in: ["7102", "7103", "7105"] } }, data: { valueClass: "regular", lifecycleStage: "active" } });
  const staff = { id: "42", name: null };
  const full = { clothingSize: "M", shoeSize: "40", stylePreferences: "a", productPreferences: "b", occupation: "c", family: "d", hobbies: "e", preferredChannel: "phone", preferredContactTime: "any", acceptsPromotions: "yes", birthday: "01-01", notes: "f", tags: "g" };
  for (const id of ["7101", "7104"]) await saveCustomerFile(shop, id, customerFileFormSchema.parse(full), staff, T0);
  await saveCustomerFile(shop, "7103", customerFileFormSchema.parse({ birthday: date(2).slice(5) }), staff, T0);
  for (const id of ["7102", "7105"]) {
    await db.fulfillment.create({ data: { shop, shopifyId: `9${id}701`, orderShopifyId: `9${id}`, status: "success", shipmentStatus: "failure", lastEventStatus: "failure", lastEventAt: day(-1) } });
  }
  await detectAnomalies(shop, T0);
  // Staff touched the key customers 20 days ago: past the cool-down, not yet due another touch.
  for (const id of ["7101", "7104"]) {
    await db.followUpTask.create({ data: { shop, customerShopifyId: id, reason: "keyCustomerTouch", priority: 2, dueOn: date(-20), status: "done", outcome: "reached", completedAt: day(-20), createdAt: day(-21), updatedAt: day(-20) } });
  }
  await generateFollowUps(shop, T0);
  // The inbox is drained here (as the in-process worker would, at the real
  // time) so the app's other background jobs do not run beside the story.
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

describe("closing by itself", () => {
  it("made the tasks due on the day each is for", async () => {
    const open = await db.followUpTask.findMany({ where: { shop, status: "open" }, orderBy: { customerShopifyId: "asc" } });
    expect(open.map((task) => [task.customerShopifyId, task.reason, task.dueOn])).toEqual([
      ["7101", "highValueAtRisk", date(3)],
      ["7102", "deliveryProblem", date(1)],
      ["7103", "birthday", date(2)],
      ["7104", "highValueAtRisk", date(3)],
      ["7105", "deliveryProblem", date(1)],
      ["7106", "thinFile", date(14)],
    ]);
  });

  it("closes a birthday task once the birthday has passed, and nothing whose reason holds", async () => {
    expect((await generateFollowUps(shop, day(2))).closed).toEqual({}); // the birthday is today: still due
    const next = await generateFollowUps(shop, day(3));
    expect(next).toMatchObject({ closed: { birthdayPassed: 1 }, created: 0 });
    expect(await taskOf("7103")).toMatchObject({ status: "closed", closedReason: "birthdayPassed", completedBy: null, outcome: null });
    expect((await db.followUpTask.findMany({ where: { shop, status: "open" } })).map((task) => task.customerShopifyId).sort()).toEqual(["7101", "7102", "7104", "7105", "7106"]);
  });

  it("closes an at-risk task as soon as the customer reorders (a signed orders/create webhook), not the other at-risk customer's", async () => {
    const created = new Date(Date.now() - 3_600_000).toISOString();
    const response = await sendWebhook(app.url, { topic: "orders/create", shop, body: orderPayload({ id: "97101002", customerId: "7101", subtotal: "80.00", createdAt: created }) });
    expect(response.status).toBe(200);
    expect(await drainInbox()).toMatchObject({ done: 1, failed: 0 });
    expect(await taskOf("7101")).toMatchObject({ status: "closed", closedReason: "reordered" });
    expect(await taskOf("7104")).toMatchObject({ status: "open", closedReason: null });
  });

  it("closes the delivery task when the parcel is delivered (a signed fulfillment_events/create webhook)", async () => {
    const body = fulfillmentEventPayload({ id: "7102900", fulfillmentId: "97102701", orderId: "97102", status: "delivered", happenedAt: new Date(Date.now() - 60_000).toISOString() });
    expect((await sendWebhook(app.url, { topic: "fulfillment_events/create", shop, body })).status).toBe(200);
    expect(await drainInbox()).toMatchObject({ done: 1, failed: 0 });
    expect(await taskOf("7102")).toMatchObject({ status: "closed", closedReason: "delivered" });
  });

  it("closes the delivery task as resolved when staff close the shipment's trouble by hand", async () => {
    const anomaly = await db.shipmentAnomaly.findFirstOrThrow({ where: { shop, customerShopifyId: "7105", status: "open" } });
    expect(await resolveShipmentByStaff(shop, anomaly.id, "42", new Date())).toBe(true);
    expect(await taskOf("7105")).toMatchObject({ status: "closed", closedReason: "shipmentResolved" });
  });

  it("closes a thin-file task when staff complete the file on the member page", async () => {
    const save = (fields: Record<string, string>) =>
      fetch(`${app.url}/app/members/7106/file?_data=${encodeURIComponent("routes/app.members.$id.file")}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${sessionToken(shop, { userId: "42" })}`, "User-Agent": BROWSER },
        body: new URLSearchParams(fields),
      });
    // Two fields are not enough: still thin, still open.
    expect((await save({ clothingSize: "M", shoeSize: "40" })).status).toBe(200);
    expect(await taskOf("7106")).toMatchObject({ status: "open" });
    const full = { clothingSize: "M", shoeSize: "40", stylePreferences: "linen", productPreferences: "oolong", occupation: "teacher", family: "two children", hobbies: "hiking", preferredChannel: "phone", preferredContactTime: "evening", acceptsPromotions: "yes", birthday: "04-02", notes: "likes samples", tags: "tea" };
    const saved = await save(full);
    expect(saved.status).toBe(200);
    expect((await saved.json()).score).toBeGreaterThanOrEqual(50);
    expect(await taskOf("7106")).toMatchObject({ status: "closed", closedReason: "fileCompleted" });
  });

  it("shows what closed by itself and why on the Follow-ups page, in both languages", async () => {
    const list = await todaysFollowUps(shop, new Date());
    expect(list).toMatchObject({ open: 1, waiting: 0 });
    expect(await followUpClosures(shop)).toEqual({ birthdayPassed: 1, reordered: 1, delivered: 1, shipmentResolved: 1, fileCompleted: 1 });
    expect(await followUpClosures(busy)).toEqual({});
    expect(list.tasks.map((task) => task.customerShopifyId)).toEqual(["7104"]);
    const en = await html(shop, "/app/follow-ups");
    for (const key of ["followUps.closed.reason.reordered", "followUps.closed.reason.delivered", "followUps.closed.reason.birthdayPassed", "followUps.closed.reason.shipmentResolved", "followUps.closed.reason.fileCompleted"] as const) expect(en).toContain(translate("en", key));
    expect(en).toContain(translate("en", "followUps.closed.count", { count: 5, days: 7 }));
    const zh = await html(shop, "/app/follow-ups", "zh-CN");
    expect(zh).toContain("客户已再次下单");
    expect(zh).toContain("包裹已送达");
    expect(zh).toContain("生日已过");
  });
});

describe("the day's capacity", () => {
  // Named tasks whose order the definition of "most valuable" decides, and 600
  // low-value ones (a thin file, a customer the app has not classified).
  const named = {
    A: { reason: "deliveryProblem", priority: 1, valueClass: "regular", tier: null, spend: 100, dueOn: plusDays(-1) },
    B: { reason: "highValueAtRisk", priority: 1, valueClass: "key", tier: "gold", spend: 5_000, dueOn: plusDays(2) },
    C: { reason: "highValueAtRisk", priority: 1, valueClass: "key", tier: "silver", spend: 90_000, dueOn: plusDays(2) },
    D: { reason: "highValueAtRisk", priority: 1, valueClass: "main", tier: "gold", spend: 999_999, dueOn: plusDays(2) },
    E: { reason: "birthday", priority: 2, valueClass: "key", tier: null, spend: 10, dueOn: plusDays(4) },
    F: { reason: "keyCustomerTouch", priority: 2, valueClass: "key", tier: "gold", spend: 20_000, dueOn: plusDays(6) },
    G: { reason: "thinFile", priority: 3, valueClass: "main", tier: null, spend: 50_000, dueOn: plusDays(13) },
  } as const;
  const FILLERS = 1_000;
  // Most valuable first: priority, then value class, then tier, then spend.
  const expectedOrder = ["B", "C", "D", "A", "F", "E", "G"];

  beforeAll(async () => {
    await saveTierProgram(busy, starterProgram(), day(-90));
    const now = new Date();
    for (const [name, spec] of Object.entries(named)) {
      await db.customer.create({ data: { shop: busy, shopifyId: name, firstName: `Customer ${name}`, valueClass: spec.valueClass, netSpentMinor: spec.spend } });
      if (spec.tier) await db.memberTier.create({ data: { shop: busy, customerShopifyId: name, tierHandle: spec.tier, since: day(-30) } });
      await db.followUpTask.create({ data: { shop: busy, customerShopifyId: name, reason: spec.reason, priority: spec.priority, dueOn: spec.dueOn, createdAt: day(-1), updatedAt: day(-1) } });
    }
    const fillers = Array.from({ length: FILLERS }, (_, i) => ({ shop: busy, customerShopifyId: `filler${i}`, reason: "thinFile", priority: 3, dueOn: plusDays(10), createdAt: now, updatedAt: now }));
    for (let i = 0; i < fillers.length; i += 100) await db.followUpTask.createMany({ data: fillers.slice(i, i + 100) });
    // Snoozed until a day that has come: back on the list. Until tomorrow, done or closed: not on it.
    const rest = { reason: "thinFile", priority: 3, createdAt: day(-4), updatedAt: day(-4) };
    await db.followUpTask.createMany({
      data: [
        { shop: busy, customerShopifyId: "woken", status: "snoozed", snoozedUntil: plusDays(-1), dueOn: plusDays(-3), ...rest },
        { shop: busy, customerShopifyId: "sleeping", status: "snoozed", snoozedUntil: plusDays(1), dueOn: plusDays(-3), ...rest },
        { shop: busy, customerShopifyId: "called", status: "done", outcome: "reached", completedAt: day(-2), dueOn: plusDays(-3), ...rest },
        { shop: busy, customerShopifyId: "gone", status: "closed", closedReason: "customerGone", completedAt: day(-2), dueOn: plusDays(-3), ...rest },
      ],
    });
  });

  // What is on today's list, counted from the rows here, not through the app.
  const ON_LIST = Object.keys(named).length + FILLERS + 1;
  const OVERDUE = 2; // A (due yesterday) and the woken task (due three days ago)

  it("refuses a capacity out of range or not a whole number with the field's error, and keeps what was saved", async () => {
    expect((await saveSettings(busy, { "followUps.dailyCapacity": "5" })).status).toBe(200);
    for (const [value, vars] of [["0", { min: 1, max: 1000 }], ["12.5", { min: 1, max: 1000 }], ["lots", { min: 1, max: 1000 }], ["5000", { min: 1, max: 1000 }]] as const) {
      const response = await saveSettings(busy, { "followUps.dailyCapacity": value });
      expect(response.status).toBe(422);
      const body = (await response.json()) as { ok: boolean; errors: Record<string, { key: string; vars: Record<string, number> }> };
      expect(body.ok).toBe(false);
      expect(Object.keys(body.errors)).toEqual(["followUps.dailyCapacity"]);
      expect(translate("en", body.errors["followUps.dailyCapacity"].key as never, body.errors["followUps.dailyCapacity"].vars)).toBe(`Enter a whole number between ${vars.min} and ${vars.max}.`);
    }
    expect((await todaysFollowUps(busy, new Date())).capacity).toBe(5);
  });

  it("shows as many as the team takes a day, most valuable first, and how many more are waiting; the Overview and the page agree", async () => {
    const page = await (await data(busy, "/app/follow-ups", "routes/app.follow-ups")).json();
    expect(page.tasks.map((task: { customerShopifyId: string }) => task.customerShopifyId)).toEqual(expectedOrder.slice(0, 5));
    expect(page).toMatchObject({ capacity: 5, open: ON_LIST, waiting: ON_LIST - 5, overdue: OVERDUE });
    expect(page.tasks.find((task: { customerShopifyId: string }) => task.customerShopifyId === "A").overdue).toBe(true);

    const overview = await (await data(busy, "/app", "routes/app._index")).json();
    expect(overview.dashboard.followUps).toMatchObject({ today: page.tasks.length, total: page.open, waiting: page.waiting, capacity: 5 });
    expect(overview.dashboard.followUps.tasks.map((task: { id: string }) => task.id)).toEqual(page.tasks.map((task: { id: string }) => task.id));
    expect(await db.followUpTask.count({ where: { shop: busy, status: "open" } })).toBe(ON_LIST - 1); // the woken one is still "snoozed" until tonight's run

    const en = await html(busy, "/app/follow-ups");
    const n = (value: number, locale: "en" | "zh-CN" = "en") => formatNumber(value, locale);
    expect(en).toContain(translate("en", "followUps.counts.waiting", { shown: 5, open: n(ON_LIST), waiting: n(ON_LIST - 5), capacity: 5 }));
    expect(en).toContain(translate("en", "followUps.counts.overdue", { overdue: OVERDUE }));
    const zh = await html(busy, "/app/follow-ups", "zh-CN");
    expect(zh).toContain(`另有 ${n(ON_LIST - 5, "zh-CN")} 条在等待`);
    const home = await html(busy, "/app");
    expect(home).toContain(translate("en", "dashboard.followUps.summaryWaiting", { today: 5, total: n(ON_LIST), waiting: n(ON_LIST - 5), capacity: 5 }));
  });

  it("has no cap of its own: a team that takes a thousand a day is shown a thousand, and the rest are counted", async () => {
    expect((await saveSettings(busy, { "followUps.dailyCapacity": "1000" })).status).toBe(200);
    const list = await todaysFollowUps(busy, new Date());
    expect(list).toMatchObject({ capacity: 1000, open: ON_LIST, waiting: ON_LIST - 1000 });
    expect(list.tasks).toHaveLength(1000);
    expect(list.tasks.slice(0, expectedOrder.length).map((task) => task.customerShopifyId)).toEqual(expectedOrder);
    expect(new Set(list.tasks.map((task) => task.customerShopifyId)).has("sleeping")).toBe(false);
    // Done with its first thousand, the team sees what was waiting.
    const shown = list.tasks.map((task) => task.id);
    for (let i = 0; i < shown.length; i += 500) await db.followUpTask.updateMany({ where: { id: { in: shown.slice(i, i + 500) } }, data: { status: "done", completedAt: new Date() } });
    expect(await todaysFollowUps(busy, new Date())).toMatchObject({ open: ON_LIST - 1000, waiting: 0 });
  });
});
