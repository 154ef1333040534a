// The Tiers page and the member page as Shopify admin loads them: rendered on
// the server in both languages, the editor's preview and validation through the
// route's action, and a staff pin recorded with the staff member from the token.
import db from "~/db.server";
import { saveMemberDiscountRefused } from "~/models/member-discount.server";
import { saveShopSettings } from "~/models/shops.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "tier-pages.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let app: TestApp;

const program = {
  tiers: [
    { handle: "member", rank: 1, name: { en: "Member", "zh-CN": "会员" }, minNetSpendMinor: null, minOrders: null, qualifyBy: "either", entryGift: null, perks: { discountPercent: 0, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] } },
    { handle: "gold", rank: 2, name: { en: "Gold", "zh-CN": "金卡" }, minNetSpendMinor: 30_000, minOrders: null, qualifyBy: "either", entryGift: null, perks: { discountPercent: 10, discountScope: "subtotal", excludedProductTags: [], freeShipping: true, birthdayGift: null, notes: [{ en: "Early access to sales", "zh-CN": "优先参加促销" }] } },
  ],
  window: { kind: "rolling", months: 12 },
  graceDays: 30,
};

beforeAll(async () => {
  await installShop(shop);
  await saveShopSettings(shop, { name: "Tier Pages", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, new Date());
  const recent = new Date(Date.now() - 10 * 86_400_000).toISOString();
  await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: "8801", customerId: "8701", subtotal: "420.00", createdAt: recent })) }, new Date());
  await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: "8802", customerId: "8702", subtotal: "40.00", createdAt: recent })) }, new Date());
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const documentUrl = (path: string, locale: string) =>
  `${app.url}${path}?${new URLSearchParams({ embedded: "1", shop, host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"), id_token: sessionToken(shop), locale })}`;
const load = async (path: string, locale = "en-US") => {
  const response = await fetch(documentUrl(path, locale), { headers: { "User-Agent": BROWSER } });
  return { status: response.status, html: await response.text() };
};
const post = (path: string, route: string, fields: Record<string, string>, userId = "42") =>
  fetch(`${app.url}${path}?_data=${encodeURIComponent(route)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sessionToken(shop, { userId })}`, "User-Agent": BROWSER },
    body: new URLSearchParams(fields),
  });

it("offers a starter program before the shop has tiers, and saving it places every customer", async () => {
  const empty = await load("/app/tiers");
  expect(empty.status).toBe(200);
  expect(empty.html).toContain("No tier program yet");
  expect(empty.html).toContain("Platinum"); // the starter gradient, ready to edit

  const saved = await post("/app/tiers", "routes/app.tiers", { intent: "save", program: JSON.stringify(program), mode: "now" });
  expect(saved.status).toBe(200);
  expect(await saved.json()).toMatchObject({ intent: "save", members: 2, pending: false, errors: null });
  expect(await db.memberTier.count({ where: { shop } })).toBe(2);
});

it("lists the tiers with member counts, rules and perks, in English and in Chinese", async () => {
  const en = await load("/app/tiers");
  expect(en.html).toContain("$300.00 spent");
  expect(en.html).toContain("10% off · free shipping · Early access to sales");
  expect(en.html).toMatch(/>Gold<\/th>(?:(?!<\/tr>)[\s\S])*>1<\/td>/); // the Gold row counts one member
  const zh = await load("/app/tiers", "zh-CN");
  expect(zh.html).toContain('<html lang="zh-CN">');
  expect(zh.html).toContain("会员等级");
  expect(zh.html).toContain("优先参加促销");
  expect(zh.html).not.toContain("Edit tiers");
});

it("previews a change and refuses an invalid one with each problem named", async () => {
  const stricter = { ...program, tiers: [program.tiers[0], { ...program.tiers[1], minNetSpendMinor: 50_000 }] };
  const preview = await (await post("/app/tiers", "routes/app.tiers", { intent: "preview", program: JSON.stringify(stricter) })).json();
  expect(preview.preview).toMatchObject({ members: 2, current: { member: 1, gold: 1 }, proposed: { member: 2, gold: 0 }, movingDown: 1 });

  const invalid = { ...program, tiers: [program.tiers[0], { ...program.tiers[1], handle: "Gold!", perks: { ...program.tiers[1].perks, discountPercent: 120 } }] };
  const refused = await post("/app/tiers", "routes/app.tiers", { intent: "save", program: JSON.stringify(invalid), mode: "now" });
  expect(refused.status).toBe(422);
  expect((await refused.json()).errors).toEqual({ "tiers.1.handle": { key: "tiers.errors.handleFormat" }, "tiers.1.perks.discountPercent": { key: "tiers.errors.discount" } });
  const garbled = await post("/app/tiers", "routes/app.tiers", { intent: "save", program: "{not json", mode: "now" });
  expect(garbled.status).toBe(422);
  expect(await db.tierProgram.findUniqueOrThrow({ where: { shop } })).toMatchObject({ version: 1 }); // nothing saved
});

it("shows the member's tier, progress and history, and records a staff pin with who did it", async () => {
  const page = await load("/app/members/8702");
  expect(page.status).toBe(200);
  expect(page.html).toContain("$260.00 more reaches Gold.");
  expect(page.html).toContain("Placed in Member");

  const pinned = await post("/app/members/8702", "routes/app.members.$id", { intent: "pin", handle: "gold", until: "2099-01-31", reason: "Press partner" }, "77");
  expect(await pinned.json()).toEqual({ ok: true, errors: null });
  const after = await load("/app/members/8702");
  expect(after.html).toContain("Pinned to Gold");
  expect(after.html).toContain("Staff member 77"); // a staff member the app has not learnt the name of yet
  expect(after.html).toContain("Press partner (until 2099-01-31)");

  const noReason = await post("/app/members/8702", "routes/app.members.$id", { intent: "pin", handle: "gold", until: "2099-01-31", reason: " " });
  expect(noReason.status).toBe(422);
  expect((await noReason.json()).errors).toEqual({ reason: "member.pin.errors.reason", until: null });
  expect((await load("/app/members/99999")).status).toBe(404);
});

it("refuses to pin or unpin an id that is no customer of the shop, and creates no tier row for it", async () => {
  const tierRows = () => db.memberTier.count({ where: { shop } });
  const before = await tierRows();
  for (const id of ["99999", "gid%3A%2F%2Fshopify%2FCustomer%2F1", "8702x"]) {
    const pin = await post(`/app/members/${id}`, "routes/app.members.$id", { intent: "pin", handle: "gold", until: "2099-01-31", reason: "Press partner" });
    expect(pin.status, id).toBe(404);
    const unpin = await post(`/app/members/${id}`, "routes/app.members.$id", { intent: "unpin", reason: "" });
    expect(unpin.status, id).toBe(404);
  }
  expect(await tierRows()).toBe(before);
  expect(await db.memberTier.count({ where: { shop, customerShopifyId: "99999" } })).toBe(0);
  expect(await db.tierChange.count({ where: { shop, customerShopifyId: "99999" } })).toBe(0);
  // A real member with a tier the page never offers is refused as a bad request, not a server error.
  const forged = await post("/app/members/8702", "routes/app.members.$id", { intent: "pin", handle: "diamond", until: "2099-01-31", reason: "x" });
  expect(forged.status).toBe(400);
});

it("shows the checkout discount's state, and Shopify's refusal in the merchant's words", async () => {
  const pending = await load("/app/tiers");
  expect(pending.html).toContain("Checkout discount");
  expect(pending.html).toContain("Being written to Shopify.");

  await saveMemberDiscountRefused(shop, "tiers.discount.errors.limit", "The active period overlaps with too many other app-provided discounts.");
  const en = await load("/app/tiers");
  expect(en.html).toContain("this store already has the most app discounts Shopify allows to be active at once (25)");
  expect(en.html).toContain("Shopify said: The active period overlaps with too many other app-provided discounts.");
  const zh = await load("/app/tiers", "zh-CN");
  expect(zh.html).toContain("本店同时生效的应用折扣已达 Shopify 上限（25 个）");
});

it("shows the current review: members warned, where the warning reached them, and who no message could reach (ADR 0011)", async () => {
  const announcedAt = new Date(Date.now() - 2 * 86_400_000);
  const reached = new Date(Date.now() - 86_400_000);
  const warning = (customerShopifyId: string, reach: { emailAt?: Date; smsAt?: Date; publishedAt?: Date; flowAt?: Date }) =>
    db.tierWarning.create({
      data: { shop, customerShopifyId, tierHandle: "gold", toHandle: "member", announcedAt, ...reach, firstWarnedAt: reach.emailAt ?? reach.smsAt ?? reach.publishedAt ?? null, firstChannel: reach.emailAt ? "email" : reach.smsAt ? "sms" : reach.publishedAt ? "account" : null },
    });
  const message = (customerShopifyId: string, status: string) =>
    db.message.create({
      data: { shop, customerShopifyId, idempotencyKey: `flow:downgradeWarning:${customerShopifyId}:warning`, source: "flow", sourceId: "downgradeWarning", step: "warning", channel: "email", messageClass: "transactional", priority: 20, plannedAt: announcedAt, availableAt: announcedAt, expiresAt: new Date(announcedAt.getTime() + 7 * 86_400_000), status, createdAt: announcedAt, updatedAt: announcedAt },
    });
  await warning("9001", { emailAt: reached, publishedAt: reached }); // emailed, and shown
  await message("9001", "sent");
  await warning("9002", { publishedAt: reached }); // no address: shown only
  await message("9002", "blocked");
  await warning("9003", { smsAt: reached, flowAt: reached });
  await warning("9004", {}); // nothing yet: its email waits for the morning
  await message("9004", "deferred");
  // A review that ended is not part of the current one.
  await db.tierWarning.create({ data: { shop, customerShopifyId: "9005", tierHandle: "gold", toHandle: "member", announcedAt, firstWarnedAt: reached, publishedAt: reached, closedAt: reached, outcome: "kept" } });

  const { html } = await load("/app/tiers");
  const row = (label: string, count: number) => new RegExp(`>${label}</th>(?:(?!</tr>)[\\s\\S])*>${count}</td>`);
  expect(html).toContain("Current review: downgrade warnings");
  expect(html).toContain("4 members under review; 3 of them warned.");
  expect(html).toMatch(row("Email delivered", 1));
  expect(html).toMatch(row("Text message delivered", 1));
  expect(html).toMatch(row("Shown in their account and at checkout", 2));
  expect(html).toMatch(row("Handed to Shopify Flow \\(not counted as warned\\)", 1));
  // Only 9002: its email was blocked; 9001 was emailed, 9003 texted, and 9004's email is still on its way.
  expect(html).toMatch(row("No message could reach them \\(no consent, no address, or the flow is off\\)", 1));
  expect(html).toMatch(row("Not reached yet: grace period not started", 1));
  const zh = await load("/app/tiers", "zh-CN");
  expect(zh.html).toContain("4 位会员处于评定中，其中 3 位已收到提醒。");
  expect(zh.html).toContain("任何消息都无法送达");
});

it("shows on the member's page whether their downgrade warning has reached them, and where", async () => {
  const announcedAt = new Date(Date.now() - 3 * 86_400_000);
  await db.memberTier.update({ where: { shop_customerShopifyId: { shop, customerShopifyId: "8701" } }, data: { downgradeOn: new Date(Date.now() + 27 * 86_400_000) } });
  const warning = await db.tierWarning.create({ data: { shop, customerShopifyId: "8701", tierHandle: "gold", toHandle: "member", announcedAt } });
  expect((await load("/app/members/8701")).html).toContain("The warning has not reached them yet: no downgrade until it does, and the grace period starts then.");

  const reached = new Date(Date.now() - 2 * 86_400_000);
  await db.tierWarning.update({ where: { id: warning.id }, data: { firstWarnedAt: reached, firstChannel: "email", emailAt: reached, publishedAt: reached } });
  expect((await load("/app/members/8701")).html).toMatch(/Warned on [^<]+: Email delivered; Shown in their account and at checkout\./);
  expect((await load("/app/members/8701", "zh-CN")).html).toMatch(/已于 [^<]+ 提醒：邮件已送达、已显示在账户和结账页面。/);
});
