// The Staff page from a generated set of POS registrations and edits (issue
// 21), through the built app on SQLite and PostgreSQL: files registered at two
// stores' counters by two staff members (some complete, some not), one file
// later edited by the other store's staff member, POS orders sent as signed
// order webhooks naming the staff member and store (user_id, location_id), and
// walk-in customers whose first purchase was rung up at a till. The page's
// rows must show the figures this test derives from what it generated.
import db from "~/db.server";
import { parseCustomerFileForm } from "~/domain/customer-file";
import { saveCustomerFile } from "~/models/customer-file.server";
import { recordStaffMember } from "~/models/staff-members.server";
import { ManualClock } from "~/services/clock.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { sendWebhook } from "../tools/simulator/webhooks";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";

const shop = "staff-page.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY);
let app: TestApp;

const FULL = { clothingSize: "M", shoeSize: "39", stylePreferences: "linen", productPreferences: "oolong", occupation: "teacher", family: "two children", hobbies: "hiking", preferredChannel: "sms", preferredContactTime: "evening", acceptsPromotions: "yes", birthday: "05-12", notes: "likes samples", tags: "tea" };
const THIN = { clothingSize: "S" };
const FULL_EDITS = Object.keys(FULL).length; // 13 fields, one edit each
// What the test generates: each staff member's registrations at their store's counter, in the last 90 days; each registered customer buys at that till (40.00).
const GENERATED = [
  { staff: "101", name: "Mei Lin", store: "501", complete: 3, thin: 2 },
  { staff: "102", name: "Wang Fang", store: "502", complete: 1, thin: 2 },
];
const SALE_MINOR = 4000;
// Walk-ins: no file; their first purchase rung up by staff 103 at store 501 (25.00), then one online (10.00).
const WALK_INS = 2;
const WALK_IN_MINOR = 2500 + 1000;

let customerSeq = 8000;
let orderSeq = 95000;
async function order(customerId: string, at: Date, subtotal: string, pos?: { user: string; store: string }) {
  const body = orderPayload({ id: String(++orderSeq), customerId, subtotal, createdAt: at.toISOString(), sourceName: pos ? "pos" : "web", userId: pos?.user ?? null, locationId: pos?.store ?? null });
  expect((await sendWebhook(app.url, { topic: "orders/create", shop, body })).status).toBe(200);
}

async function register(staff: { staff: string; name: string; store: string }, fields: Record<string, string>, at: Date) {
  const customerId = String(++customerSeq);
  await order(customerId, at, "40.00", { user: staff.staff, store: staff.store });
  const form = parseCustomerFileForm(fields);
  if (!form.ok) throw new Error(JSON.stringify(form.errors));
  await saveCustomerFile(shop, customerId, form.form, { id: staff.staff, name: staff.name }, new Date(at.getTime() + 60_000), { source: "pos", locationId: staff.store });
  return customerId;
}

let editedFile = "";
let oldRegistration = "";
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  await installShop(shop);
  await installTestShop(shop, { ianaTimezone: "Asia/Shanghai", currencyCode: "USD" });
  await recordStaffMember(shop, { id: 101, first_name: "Mei", last_name: "Lin" }, new Date());
  await recordStaffMember(shop, { id: 102, first_name: "Fang", last_name: "Wang" }, new Date());
  for (const staff of GENERATED) {
    for (let i = 0; i < staff.complete; i++) {
      const id = await register(staff, FULL, ago(40 + i));
      if (staff.staff === "101" && i === 0) editedFile = id;
    }
    for (let i = 0; i < staff.thin; i++) await register(staff, THIN, ago(30 + i));
  }
  // Staff 102 updates one of 101's complete files at store 502: the file is now theirs to keep (one field edit).
  const form = parseCustomerFileForm({ ...FULL, hobbies: "tea ceremony" });
  if (!form.ok) throw new Error("form");
  await saveCustomerFile(shop, editedFile, form.form, { id: "102", name: "Wang Fang" }, ago(5), { source: "pos", locationId: "502" });
  // 200 days ago staff 101 registered a customer with a thin file: outside the last 90 days.
  oldRegistration = await register(GENERATED[0], THIN, ago(200));
  for (let i = 0; i < WALK_INS; i++) {
    const customerId = String(++customerSeq);
    await order(customerId, ago(20 + i), "25.00", { user: "103", store: "501" });
    await order(customerId, ago(10 + i), "10.00");
  }
  // The webhooks were received just now: the inbox worker projects them now (the orders keep their own dates).
  const drained = await drainInbox({ clock: new ManualClock(new Date()) });
  expect(drained.failed).toBe(0);
}, 120_000);
afterAll(() => app?.close());

/** The text of each cell of the row with this id in the page's HTML. */
function rowCells(html: string, id: string): string[] | null {
  const row = new RegExp(`<tr[^>]*id="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  if (!row) return null;
  return [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1].replace(/<[^>]+>/g, "").replace(/&nbsp;|\u00a0/g, " ").trim());
}

async function page(params: Record<string, string> = {}) {
  const response = await fetch(`${app.url}/app/staff?${new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/staff-page").toString("base64url"), id_token: sessionToken(shop), locale: "en", ...params })}`, { headers: { "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return response.text();
}

const money = (minor: number) => `$${(minor / 100).toFixed(2)}`;

it("shows each staff member's and each store's figures for the last 90 days", async () => {
  const html = await page();
  const [a, b] = GENERATED;
  // 101: registered 3 complete + 2 thin; 102 now keeps one of the complete ones. Complete files score 100, thin ones 8 (clothing size).
  const keptA = a.complete - 1 + a.thin;
  const keptB = b.complete + b.thin + 1;
  expect(rowCells(html, "staff-101")).toEqual([
    "Mei Lin",
    String(a.complete + a.thin),
    money((a.complete + a.thin) * SALE_MINOR),
    String(a.complete + a.thin),
    `${a.complete - 1} of ${keptA}`,
    `${Math.round(((a.complete - 1) * 100 + a.thin * 8) / keptA)}%`,
    "100%",
    String(a.complete * FULL_EDITS + a.thin),
  ]);
  expect(rowCells(html, "staff-102")).toEqual([
    "Fang Wang",
    String(b.complete + b.thin),
    money((b.complete + b.thin) * SALE_MINOR),
    String(b.complete + b.thin),
    `${b.complete + 1} of ${keptB}`,
    `${Math.round(((b.complete + 1) * 100 + b.thin * 8) / keptB)}%`,
    "100%",
    String(b.complete * FULL_EDITS + b.thin + 1),
  ]);
  // 103 registered nobody, but rang up the walk-ins' first purchases: their new members, with what they spent since.
  expect(rowCells(html, "staff-103")).toEqual(["Staff member 103", String(WALK_INS), money(WALK_INS * WALK_IN_MINOR), "0", "0 of 0", "—", "—", "0"]);

  expect(rowCells(html, "location-501")).toEqual([
    "Store 501",
    String(a.complete + a.thin + WALK_INS),
    money((a.complete + a.thin) * SALE_MINOR + WALK_INS * WALK_IN_MINOR),
    String(a.complete + a.thin),
    `${a.complete - 1} of ${keptA}`,
    `${Math.round(((a.complete - 1) * 100 + a.thin * 8) / keptA)}%`,
    "100%",
    String(a.complete * FULL_EDITS + a.thin),
  ]);
  // Store 502: staff 102's registrations, and the file 102 took over there.
  expect(rowCells(html, "location-502")).toEqual(["Store 502", ...rowCells(html, "staff-102")!.slice(1)]);
  // Most new members first.
  expect(html.indexOf('id="staff-101"')).toBeLessThan(html.indexOf('id="staff-102"'));
});

it("takes the period from the picker's URL: all time adds the registration from 200 days ago", async () => {
  expect(await db.customerFile.count({ where: { shop, customerShopifyId: oldRegistration } })).toBe(1);
  const html = await page({ period: "all" });
  const [a] = GENERATED;
  const cells = rowCells(html, "staff-101")!;
  expect(cells.slice(0, 4)).toEqual(["Mei Lin", String(a.complete + a.thin + 1), money((a.complete + a.thin + 1) * SALE_MINOR), String(a.complete + a.thin + 1)]);
  const zh = await page({ period: "all", locale: "zh-CN" });
  expect(zh).toContain("前 90 天消费额");
  expect(rowCells(zh, "staff-103")![0]).toBe("员工 103");
});

it("narrows the staff table to what each did at the store chosen in the picker; the stores' table stays whole", async () => {
  const whole = await page();
  const html = await page({ store: "501" });
  // The picker names the chosen store, and the staff table says whose store it is.
  expect(html).toMatch(/<option value="501" selected="">Store 501<\/option>/);
  expect(html).toContain("By staff member at Store 501");
  // At 501: staff 101 did everything there (their registrations and files), staff 103 rang up the walk-ins there; 102 did nothing there.
  expect(rowCells(html, "staff-101")).toEqual(rowCells(whole, "staff-101"));
  expect(rowCells(html, "staff-103")).toEqual(rowCells(whole, "staff-103"));
  expect(rowCells(html, "staff-102")).toBeNull();
  // What the staff did at 501 adds up to the store's own row.
  const sum = (column: number) => ["staff-101", "staff-103"].reduce((total, id) => total + Number(rowCells(html, id)![column].replace(/[$,]/g, "")), 0);
  const store = rowCells(html, "location-501")!;
  for (const column of [1, 2, 3, 7]) expect(sum(column)).toBe(Number(store[column].replace(/[$,]/g, "")));
  expect(rowCells(html, "location-502")).toEqual(rowCells(whole, "location-502"));

  // At 502: only 102, who registered there and took over one of 101's files there.
  const at502 = await page({ store: "502" });
  expect(rowCells(at502, "staff-102")).toEqual(rowCells(whole, "staff-102"));
  expect(rowCells(at502, "staff-101")).toBeNull();
  expect(rowCells(at502, "staff-103")).toBeNull();
  // A store id that is not one is ignored: every staff member again.
  const ignored = await page({ store: "../501" });
  expect(rowCells(ignored, "staff-102")).toEqual(rowCells(whole, "staff-102"));
  expect(ignored).toContain('<option value="" selected="">All stores</option>');
});
