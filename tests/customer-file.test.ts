// The customer file through the built app, as the member page posts it: every
// change recorded with the staff member of the session token, bad input
// refused field by field (422), another shop's member out of reach, the file
// in the data export and gone after customers/redact and shop/redact.
import db from "~/db.server";
import { storeInboxEvent } from "~/models/inbox.server";
import { staffLeaderboard } from "~/models/customer-file.server";
import { recordStaffMember } from "~/models/staff-members.server";
import { saveShopSettings } from "~/models/shops.server";
import { ManualClock } from "~/services/clock.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "customer-file.myshopify.com";
const other = "customer-file-other.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const clock = new ManualClock(new Date());
let app: TestApp;
let seq = 0;

async function deliver(shopDomain: string, topic: string, body: unknown) {
  await storeInboxEvent({ shop: shopDomain, webhookId: `cf-${++seq}`, topic, apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(body), receivedAt: clock.now() });
  expect((await drainInbox({ clock })).failed).toBe(0);
}

beforeAll(async () => {
  for (const domain of [shop, other]) {
    await installShop(domain);
    await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, new Date());
  }
  await deliver(shop, "orders/create", orderPayload({ id: "9101", customerId: "7101", email: "ada@example.com", subtotal: "120.00" }));
  await deliver(shop, "orders/create", orderPayload({ id: "9102", customerId: "7102", email: "alan@example.com", subtotal: "80.00" }));
  await deliver(other, "orders/create", orderPayload({ id: "9201", customerId: "7201", email: "eve@example.com", subtotal: "50.00" }));
  // A staff member the app knows by name (Shopify named them in an online token's associated user).
  await recordStaffMember(shop, { id: 77, first_name: "Mei", last_name: "Lin" }, new Date());
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const save = (customerId: string, fields: Record<string, string>, { userId = "42", shopDomain = shop } = {}) =>
  fetch(`${app.url}/app/members/${customerId}/file?_data=${encodeURIComponent("routes/app.members.$id.file")}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sessionToken(shopDomain, { userId })}`, "User-Agent": BROWSER },
    body: new URLSearchParams(fields),
  });
const read = (customerId: string, shopDomain = shop) =>
  fetch(`${app.url}/app/members/${customerId}/file?_data=${encodeURIComponent("routes/app.members.$id.file")}`, {
    headers: { Authorization: `Bearer ${sessionToken(shopDomain)}`, "User-Agent": BROWSER },
  });

it("records every change with the staff member from the session token and the time", async () => {
  const first = await save("7101", { clothingSize: "M", shoeSize: "EU 39", preferredChannel: "phone", preferredContactTime: "evening", acceptsPromotions: "yes", birthday: "03-14", tags: "vip, tea" });
  expect(first.status).toBe(200);
  expect(await first.json()).toMatchObject({ ok: true, changed: ["clothingSize", "shoeSize", "preferredChannel", "preferredContactTime", "acceptsPromotions", "birthday", "tags"] });

  const second = await save("7101", { clothingSize: "L", shoeSize: "EU 39", preferredChannel: "phone", preferredContactTime: "evening", acceptsPromotions: "yes", birthday: "03-14", tags: "vip, tea", hobbies: "hiking" }, { userId: "77" });
  expect(await second.json()).toMatchObject({ ok: true, changed: ["clothingSize", "hobbies"] });

  const edits = await db.customerFileEdit.findMany({ where: { shop, customerShopifyId: "7101" }, orderBy: { id: "asc" } });
  expect(edits).toHaveLength(9);
  expect(edits[0]).toMatchObject({ field: "clothingSize", oldValue: null, newValue: "M", staffId: "42", staffName: null });
  expect(edits.filter((edit) => edit.staffId === "77")).toEqual([
    expect.objectContaining({ field: "clothingSize", oldValue: "M", newValue: "L", staffName: "Mei Lin" }),
    expect.objectContaining({ field: "hobbies", oldValue: null, newValue: "hiking", staffName: "Mei Lin" }),
  ]);
  expect(Math.abs(edits[8].at.getTime() - Date.now())).toBeLessThan(60_000);

  const file = await db.customerFile.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId: "7101" } } });
  expect(file).toMatchObject({ clothingSize: "L", hobbies: "hiking", tags: '["vip","tea"]', acceptsPromotions: true, updatedBy: "77", updatedByName: "Mei Lin", completeness: 67 });

  const view = await (await read("7101")).json();
  expect(view.file).toMatchObject({ values: { clothingSize: "L", tags: ["vip", "tea"] }, completeness: { score: 67 }, updatedByName: "Mei Lin" });
  expect(view.edits[0]).toMatchObject({ field: "hobbies", staffId: "77" });
});

it("refuses invalid input with a 422 naming each field, and saves nothing", async () => {
  const before = await db.customerFileEdit.count({ where: { shop } });
  const refused = await save("7102", { preferredChannel: "fax", birthday: "02-30", clothingSize: "x".repeat(40), occupation: "baker" });
  expect(refused.status).toBe(422);
  expect((await refused.json()).errors).toEqual({ preferredChannel: "customerFile.errors.preferredChannel", birthday: "customerFile.errors.birthday", clothingSize: "customerFile.errors.clothingSize" });
  expect(await db.customerFileEdit.count({ where: { shop } })).toBe(before);
  expect(await db.customerFile.count({ where: { shop, customerShopifyId: "7102" } })).toBe(0);
});

it("keeps each shop to its own members", async () => {
  expect((await save("7201", { occupation: "spy" })).status).toBe(404);
  expect((await read("7201")).status).toBe(404);
  expect((await save("7101", { occupation: "spy" }, { shopDomain: other })).status).toBe(404);
  expect(await db.customerFile.count({ where: { customerShopifyId: "7201" } })).toBe(0);
});

it("ranks staff by completed files and average completeness", async () => {
  await save("7102", { clothingSize: "S", shoeSize: "36", stylePreferences: "classic", productPreferences: "oolong", occupation: "baker", family: "single", hobbies: "chess", preferredChannel: "email", preferredContactTime: "morning", acceptsPromotions: "no", birthday: "1988-07-01", notes: "likes samples", tags: "new" });
  expect(await staffLeaderboard(shop)).toEqual([
    { staffId: "42", staffName: null, files: 1, completed: 1, averageCompleteness: 100, edits: 20 },
    { staffId: "77", staffName: "Mei Lin", files: 1, completed: 0, averageCompleteness: 67, edits: 2 },
  ]);
  const page = await fetch(`${app.url}/app/staff?${new URLSearchParams({ embedded: "1", shop, host: Buffer.from(`admin.shopify.com/store/customer-file`).toString("base64url"), id_token: sessionToken(shop), locale: "zh-CN" })}`, { headers: { "User-Agent": BROWSER } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("平均完整度");
  expect(html).toContain("Mei Lin");
});

it("exports the file with its change log, and erases both on customers/redact and shop/redact", async () => {
  await deliver(shop, "customers/data_request", { shop_id: 1, shop_domain: shop, orders_requested: [9101], customer: { id: 7101, email: "ada@example.com", phone: null }, data_request: { id: 31 } });
  const request = await db.dataRequest.findFirstOrThrow({ where: { shop, customerShopifyId: "7101" } });
  const exported = JSON.parse(request.export);
  expect(exported.customerFile).toMatchObject({ clothingSize: "L", hobbies: "hiking", updatedByName: "Mei Lin" });
  expect(exported.customerFileEdits).toHaveLength(9);

  await deliver(shop, "customers/redact", { shop_id: 1, shop_domain: shop, customer: { id: 7101, email: "ada@example.com", phone: null }, orders_to_redact: [9101] });
  expect(await db.customerFile.count({ where: { shop, customerShopifyId: "7101" } })).toBe(0);
  expect(await db.customerFileEdit.count({ where: { shop, customerShopifyId: "7101" } })).toBe(0);
  expect(JSON.stringify(await db.customerFileEdit.findMany({ where: { shop } }))).not.toContain("hiking");
  // The other customer's file stays, and the redacted customer's file cannot be written again.
  expect(await db.customerFile.count({ where: { shop, customerShopifyId: "7102" } })).toBe(1);
  expect((await save("7101", { occupation: "again" })).status).toBe(404);

  await deliver(shop, "shop/redact", { shop_id: 1, shop_domain: shop });
  expect(await db.customerFile.count({ where: { shop } })).toBe(0);
  expect(await db.customerFileEdit.count({ where: { shop } })).toBe(0);
});
