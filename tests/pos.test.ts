// The POS counter through the built app (issue 21): requests as the POS UI
// extension (extensions/member-pos/src/api.ts) sends them, each with a signed
// POS session token, and the extension's components rendered with what the
// backend answered, for a member, a non-member and a customer new to the shop,
// in English and Chinese. A file saved from the modal is attributed to the
// staff member pinned in and to the location; refused without a valid token
// and for another shop's customer, with nothing written. The home tile lists
// the location's follow-ups and records an outcome, which must be chosen.
import { h } from "preact";
import { render } from "preact-render-to-string";
import db from "~/db.server";
import { EMPTY_FILE } from "~/domain/customer-file";
import type { PosCustomerView, PosFollowUpsView } from "~/domain/pos";
import { markCustomerDeleted } from "~/models/customers.server";
import { markShopUninstalled, saveShopSettings } from "~/models/shops.server";
import { saveTierProgram } from "~/models/tiers.server";
import { starterProgram } from "~/domain/tiers";
import { projectInboxEvent } from "~/services/projectors.server";
import { evaluateTiers } from "~/services/tiers.server";
import { loadCustomer, loadFollowUps, recordOutcome, saveFile, type Backend, type Counter } from "../extensions/member-pos/src/api";
import { CustomerBlock } from "../extensions/member-pos/src/components/CustomerBlock";
import { FileForm, draftOf, requestOf } from "../extensions/member-pos/src/components/FileForm";
import { FollowUpList } from "../extensions/member-pos/src/components/FollowUpList";
import { intlWords, shopperText } from "../extensions/member-pos/tests/support";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "pos-counter.myshopify.com";
const other = "pos-counter-other.myshopify.com";
// Shopify POS's own user agent: the library lets it through its bot check.
const POS_AGENT = "com.jadedpixel.pos Shopify POS/10.14.0 (iPad; iOS 18.2)";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const STORE = { locationId: 71_234_567, staffMemberId: 555 } satisfies Counter;
const OTHER_STORE = { locationId: 71_999_999, staffMemberId: 556 } satisfies Counter;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000);

let app: TestApp;
let simulator: StoreSimulator;
let unroute: () => void;
/** Customers Shopify holds but the app has not seen yet (created at the POS a moment ago). */
let freshId: string;
let otherShopsId: string;

/** The extension's backend as POS gives it: the session token of the user signed in, fetch from POS's origin. */
function backendFor(domain: string, token: () => string | undefined = () => sessionToken(domain, { userId: "42" })): Backend {
  return {
    baseUrl: app.url,
    token: async () => token(),
    fetch: (url, init) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Origin: EXTENSION_ORIGIN, "User-Agent": POS_AGENT } }),
  };
}

const project = (domain: string, topic: string, body: unknown) => projectInboxEvent({ shop: domain, topic, body: JSON.stringify(body) }, new Date());

beforeAll(async () => {
  simulator = await startStoreSimulator();
  unroute = installShopRouting(simulator.url);
  for (const domain of [shop, other]) {
    await installShop(domain);
    simulator.addShop({ shop: domain, accessToken: `shpat_${domain}` });
    await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, day(-100));
  }
  // The lowest tier, Silver, is every placed customer's floor (the other shop has no tiers yet).
  const starter = starterProgram();
  await saveTierProgram(shop, { ...starter, tiers: starter.tiers.filter((tier) => tier.handle !== "member") }, day(-100));
  await project(shop, "orders/paid", orderPayload({ id: "98101", customerId: "8101", subtotal: "350.00", createdAt: day(-40).toISOString(), firstName: "Ada", lastName: "Lovelace" }));
  await project(shop, "orders/paid", orderPayload({ id: "98102", customerId: "8101", subtotal: "250.00", createdAt: day(-10).toISOString(), firstName: "Ada", lastName: "Lovelace" }));
  await project(shop, "orders/paid", orderPayload({ id: "98103", customerId: "8102", subtotal: "50.00", createdAt: day(-5).toISOString(), firstName: "Alan", lastName: "Turing" }));
  await project(other, "orders/paid", orderPayload({ id: "98201", customerId: "8201", subtotal: "80.00", createdAt: day(-5).toISOString() }));
  await evaluateTiers(shop, ["8101", "8102"], new Date(), { sweep: false });
  await db.customer.update({ where: { shop_shopifyId: { shop, shopifyId: "8101" } }, data: { valueClass: "key", lifecycleStage: "active" } });
  // An open follow-up for the member.
  await db.followUpTask.create({
    data: { shop, customerShopifyId: "8101", reason: "keyCustomerTouch", priority: 2, dueOn: day(2).toISOString().slice(0, 10), createdAt: day(-1), updatedAt: day(-1) },
  });
  freshId = simulator.state.addCustomer(shop, { firstName: "Grace", lastName: "Hopper" }).id;
  otherShopsId = simulator.state.addCustomer(other, { firstName: "Eve" }).id;
  // The staff member pinned in, as the admin has named them (app/models/staff-members.server.ts).
  await db.staffMember.create({ data: { shop, userId: String(STORE.staffMemberId), firstName: "Mei", lastName: "Lin", updatedAt: new Date() } });
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app?.close();
  unroute?.();
  await simulator?.close();
});

const customerView = async (id: string, domain = shop) => {
  const answer = await loadCustomer(backendFor(domain), id);
  if (answer.kind !== "ok") throw new Error(`expected the customer's view, got ${answer.kind}`);
  return answer.value;
};
const block = (view: PosCustomerView, locale: string) => shopperText(render(h(CustomerBlock, { state: { kind: "ok", value: view }, words: intlWords(locale), onOpenFile: () => undefined })));

describe("the customer details block", () => {
  it("shows a member's tier, progress, value class and stage, last order and open follow-up", async () => {
    const view = await customerView("8101");
    expect(view).toMatchObject({ status: "member", member: { tier: { handle: "gold" }, progress: { next: { handle: "platinum" }, spendNeededMinor: 40_000 } }, file: { registered: false } });
    const text = block(view, "en-US");
    expect(text).toContain(`Gold member since`);
    expect(text).toContain("$400.00 more to reach Platinum");
    expect(text).toContain("Key customer · Active");
    expect(text).toMatch(/Last order .+ · 2 orders in all/);
    expect(text).toContain("No customer file yet");
    expect(text).toContain("Ask about: Preferred channel");
    expect(text).toMatch(/Follow-up: Key customer due a personal touch \(due .+\)/);
    expect(text).toContain("Register customer file");
  });

  it("says the same in Chinese", async () => {
    const text = block(await customerView("8101"), "zh-CN");
    expect(text).toContain("金卡会员");
    expect(text).toContain("再消费 US$400.00 即可升级为白金卡");
    expect(text).toContain("重点客户 · 活跃");
    expect(text).toContain("建立客户档案");
  });

  it("tells staff a customer with purchases is not a member in a shop without tiers yet", async () => {
    const view = await customerView("8201", other);
    expect(view).toMatchObject({ status: "nonMember", member: null, entryTier: null, orders: { count: 1 } });
    expect(block(view, "en-US")).toMatch(/^MemberCare Not a member yet New Last order .+ · 1 order in all No customer file yet: ask a few questions and register it\. Ask about: Preferred channel Register customer file$/);
    expect(block(view, "zh-CN")).toMatch(/^MemberCare 尚未成为会员 新顾客 最近订单 .+ · 共 1 笔订单 尚无客户档案/);
  });

  it("knows a customer just created at the POS, before Shopify's webhook, as new to the shop, by asking Shopify", async () => {
    const view = await customerView(freshId);
    expect(view).toMatchObject({ status: "new", customer: { firstName: "Grace", lastName: "Hopper" }, orders: { count: 0, lastOrderAt: null }, file: { registered: false } });
    expect(block(view, "en-US")).toBe("MemberCare New to the shop Joins Silver with their first order No orders yet No customer file yet: ask a few questions and register it. Ask about: Preferred channel Register customer file");
    expect(block(view, "zh-CN")).toBe("MemberCare 新顾客 首笔订单后即成为银卡 尚无订单 尚无客户档案：问几个问题，为顾客建档。 可以问问：首选联系渠道 建立客户档案");
    // Reading wrote nothing.
    expect(await db.customer.count({ where: { shop, shopifyId: freshId } })).toBe(0);
  });
});

describe("the customer file saved from the POS modal", () => {
  it("registers a new customer's file in one step, attributed to the staff member pinned in and the location", async () => {
    const view = await customerView(freshId);
    const draft = { ...draftOf(view.file.values), preferredChannel: "sms", preferredContactTime: "evening", acceptsPromotions: "no", clothingSize: "M", birthday: "03-14", tags: "tea, linen" };
    const locationsRefresh = () => db.outboxEffect.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey: "locations.refresh" } }, select: { status: true } });
    expect(await locationsRefresh()).toBeNull();
    const answer = await saveFile(backendFor(shop), freshId, requestOf(draft), STORE);
    expect(answer).toMatchObject({ kind: "ok", value: { registered: true, changed: ["clothingSize", "preferredChannel", "preferredContactTime", "acceptsPromotions", "birthday", "tags"] } });

    const file = await db.customerFile.findUniqueOrThrow({ where: { shop_customerShopifyId: { shop, customerShopifyId: freshId } } });
    expect(file).toMatchObject({
      preferredChannel: "sms",
      acceptsPromotions: false,
      tags: '["tea","linen"]',
      registeredSource: "pos",
      registeredBy: "555",
      registeredLocationId: "71234567",
      posLocationId: "71234567",
      updatedBy: "555",
      updatedByName: "Mei Lin",
    });
    const edits = await db.customerFileEdit.findMany({ where: { shop, customerShopifyId: freshId } });
    expect(edits).toHaveLength(6);
    for (const edit of edits) expect(edit).toMatchObject({ staffId: "555", staffName: "Mei Lin", source: "pos", locationId: "71234567" });
    // A store the app cannot name yet: it asks Shopify for the shop's locations, through the outbox (ADR 0037).
    expect(await locationsRefresh()).toEqual({ status: "pending" });
    // The customer is now the app's, named as Shopify named them, for the customers/create webhook to complete.
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: freshId } } })).toMatchObject({ firstName: "Grace", lastName: "Hopper", shopifyUpdatedAt: null });

    const after = block(await customerView(freshId), "en-US");
    expect(after).toContain("Customer file 55% complete");
    expect(after).toMatch(/Last saved by Mei Lin on \w{3} \d{1,2}, \d{4}/);
    expect(after).toContain("Does not want promotions");
    expect(after).toContain("Update customer file");
  });

  it("records a later change at another store by the user signed in when nobody is pinned in, and counts no new registration", async () => {
    const view = await customerView(freshId);
    const answer = await saveFile(backendFor(shop), freshId, requestOf({ ...draftOf(view.file.values), shoeSize: "EU 38" }), { locationId: OTHER_STORE.locationId, staffMemberId: null });
    expect(answer).toMatchObject({ kind: "ok", value: { registered: false, changed: ["shoeSize"] } });
    const edit = await db.customerFileEdit.findFirstOrThrow({ where: { shop, customerShopifyId: freshId, field: "shoeSize" } });
    expect(edit).toMatchObject({ staffId: "42", source: "pos", locationId: String(OTHER_STORE.locationId) });
    expect(await db.customerFile.findUniqueOrThrow({ where: { shop_customerShopifyId: { shop, customerShopifyId: freshId } } })).toMatchObject({
      registeredBy: "555",
      registeredLocationId: "71234567",
      posLocationId: String(OTHER_STORE.locationId),
    });
  });

  it("refuses what the admin refuses, field by field, and a request that does not say where, writing nothing", async () => {
    const before = await db.customerFileEdit.count({ where: { shop } });
    const view = await customerView("8102");
    const draft = { ...draftOf(view.file.values), preferredChannel: "fax", birthday: "02-30", clothingSize: "x".repeat(40) };
    const answer = await saveFile(backendFor(shop), "8102", requestOf(draft), { locationId: 0, staffMemberId: 555 });
    expect(answer).toEqual({
      kind: "invalid",
      errors: { locationId: "pos.errors.locationId", preferredChannel: "customerFile.errors.preferredChannel", birthday: "customerFile.errors.birthday", clothingSize: "customerFile.errors.clothingSize" },
    });
    expect(await db.customerFileEdit.count({ where: { shop } })).toBe(before);
    expect(await db.customerFile.count({ where: { shop, customerShopifyId: "8102" } })).toBe(0);
    // The modal shows the admin's messages beside the fields.
    const form = shopperText(render(h(FileForm, { draft, errors: answer.kind === "invalid" ? answer.errors : {}, choices: view.choices, t: intlWords("en-US").t, busy: false, onChange: () => undefined, onSave: () => undefined })));
    expect(form).toContain("This POS did not say which store and staff member it is.");
    expect(form).toContain("Choose email, SMS, phone or do not contact.");
    expect(form).toContain("Enter a real date as MM-DD or YYYY-MM-DD.");
  });

  it("answers 401 without a valid POS session token, and writes nothing", async () => {
    const before = await db.customerFileEdit.count();
    const request = requestOf({ ...draftOf({ ...(await customerView("8102")).file.values }), occupation: "baker" });
    const forged = sessionToken(shop, { userId: "42", secret: "not-the-app-secret" });
    for (const token of [undefined, forged, "not.a.token"]) {
      const response = await fetch(`${app.url}/pos/customers/8102`, {
        method: "POST",
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json", Origin: EXTENSION_ORIGIN, "User-Agent": POS_AGENT },
        body: JSON.stringify({ ...request, ...STORE }),
      });
      expect(response.status, String(token)).toBe(401);
      // Readable by the extension: the refusal carries CORS headers too.
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
    }
    expect((await loadCustomer(backendFor(shop, () => forged), "8102")).kind).toBe("noPermission");
    expect(await db.customerFileEdit.count()).toBe(before);
    expect(await db.customerFile.count({ where: { customerShopifyId: "8102" } })).toBe(0);
  });

  it("answers 401 to a valid token of a shop that never installed the app or uninstalled it", async () => {
    const gone = "pos-counter-gone.myshopify.com";
    await saveShopSettings(gone, { name: gone, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, day(-10));
    await markShopUninstalled(gone, day(-1));
    for (const domain of [gone, "pos-counter-never.myshopify.com"]) {
      const response = await fetch(`${app.url}/pos/follow-ups?locationId=${STORE.locationId}`, { headers: { Authorization: `Bearer ${sessionToken(domain)}`, Origin: EXTENSION_ORIGIN, "User-Agent": POS_AGENT } });
      expect(response.status, domain).toBe(401);
    }
  });

  it("answers 404 for another shop's customer, known to the app or only to Shopify, and writes nothing", async () => {
    const before = await db.customerFileEdit.count();
    const request = requestOf({ ...draftOf((await customerView("8102")).file.values), occupation: "spy" });
    for (const id of ["8201", otherShopsId]) {
      expect(await loadCustomer(backendFor(shop), id)).toEqual({ kind: "notFound" });
      expect(await saveFile(backendFor(shop), id, request, STORE)).toEqual({ kind: "notFound" });
    }
    expect(await db.customerFileEdit.count()).toBe(before);
    expect(await db.customerFile.count({ where: { customerShopifyId: { in: ["8201", otherShopsId] } } })).toBe(0);
    expect(await db.customer.count({ where: { shop, shopifyId: { in: ["8201", otherShopsId] } } })).toBe(0);
  });

  it("never writes again the file of a customer the shop had erased, whatever Shopify still answers", async () => {
    const erased = simulator.state.addCustomer(shop, { firstName: "Gone" }).id;
    await markCustomerDeleted(shop, erased, new Date());
    expect(await loadCustomer(backendFor(shop), erased)).toEqual({ kind: "notFound" });
    expect(await saveFile(backendFor(shop), erased, requestOf({ ...draftOf(EMPTY_FILE), hobbies: "sailing" }), STORE)).toEqual({ kind: "notFound" });
    expect(await db.customerFile.count({ where: { shop, customerShopifyId: erased } })).toBe(0);
  });

  it("takes only JSON: a form posted to the POS backend is 415, nothing written", async () => {
    const response = await fetch(`${app.url}/pos/customers/8102`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionToken(shop)}`, Origin: EXTENSION_ORIGIN, "User-Agent": POS_AGENT },
      body: new URLSearchParams({ occupation: "baker", locationId: String(STORE.locationId) }),
    });
    expect(response.status).toBe(415);
    expect(await db.customerFile.count({ where: { shop, customerShopifyId: "8102" } })).toBe(0);
  });

  it("answers a preflight with the CORS headers Shopify's library sets", async () => {
    const response = await fetch(`${app.url}/pos/customers/8101`, {
      method: "OPTIONS",
      headers: { Origin: EXTENSION_ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type", "User-Agent": POS_AGENT },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
  });
});

describe("the home tile's follow-ups", () => {
  let view: PosFollowUpsView;

  beforeAll(async () => {
    // Ada's file saved at this store; a follow-up for Alan, whose file is kept at another.
    const ada = await customerView("8101");
    await saveFile(backendFor(shop), "8101", requestOf({ ...draftOf(ada.file.values), hobbies: "chess" }), STORE);
    await saveFile(backendFor(shop), "8102", requestOf({ ...draftOf((await customerView("8102")).file.values), hobbies: "rowing" }), OTHER_STORE);
    await db.followUpTask.create({ data: { shop, customerShopifyId: "8102", reason: "deliveryProblem", priority: 1, dueOn: day(-1).toISOString().slice(0, 10), createdAt: day(-2), updatedAt: day(-2) } });
    const answer = await loadFollowUps(backendFor(shop), STORE);
    if (answer.kind !== "ok") throw new Error(answer.kind);
    view = answer.value;
  });

  it("lists today's follow-ups of this store's customers only: who, why, and how to reach them", () => {
    expect(view.total).toBe(1);
    expect(view.tasks).toEqual([expect.objectContaining({ reason: "keyCustomerTouch", overdue: false, customer: expect.objectContaining({ id: "8101", name: "Ada Lovelace" }) })]);
    const text = shopperText(render(h(FollowUpList, { view, drafts: {}, words: intlWords("en-US"), onChange: () => undefined, onRecord: () => undefined })));
    expect(text).toMatch(/^Ada Lovelace Key customer due a personal touch member8101@example\.com Outcome Reached No answer Declined Resolved Not needed Note \(optional\) Record outcome$/);
    expect(shopperText(render(h(FollowUpList, { view, drafts: {}, words: intlWords("zh-CN"), onChange: () => undefined, onRecord: () => undefined })))).toContain("重点客户需要个人关怀");
  });

  it("lists the other store's follow-up there, overdue", async () => {
    const answer = await loadFollowUps(backendFor(shop), OTHER_STORE);
    expect(answer).toMatchObject({ kind: "ok", value: { total: 1, tasks: [{ reason: "deliveryProblem", overdue: true, customer: { id: "8102" } }] } });
  });

  it("records an outcome only when one is chosen, by the staff member pinned in", async () => {
    const [task] = view.tasks;
    const refused = await fetch(`${app.url}/pos/follow-ups/${task.id}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionToken(shop)}`, "Content-Type": "application/json", Origin: EXTENSION_ORIGIN, "User-Agent": POS_AGENT },
      body: JSON.stringify({ note: "called", ...STORE }),
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ ok: false, errors: { outcome: "pos.errors.outcome" } });
    expect(await db.followUpTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "open", outcome: null });

    expect(await recordOutcome(backendFor(shop), task.id, "reached", "  will come on Saturday ", STORE)).toEqual({ kind: "ok", value: { ok: true } });
    expect(await db.followUpTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "done", outcome: "reached", outcomeNote: "will come on Saturday", completedBy: "555" });
    // Done: off the list, and a second outcome finds nothing.
    expect(await loadFollowUps(backendFor(shop), STORE)).toMatchObject({ kind: "ok", value: { total: 0, tasks: [] } });
    expect(await recordOutcome(backendFor(shop), task.id, "noAnswer", "", STORE)).toEqual({ kind: "notFound" });
  });

  it("keeps another shop's follow-ups out of reach", async () => {
    const task = await db.followUpTask.create({ data: { shop: other, customerShopifyId: "8201", reason: "deliveryProblem", priority: 1, dueOn: day(0).toISOString().slice(0, 10), createdAt: day(-1), updatedAt: day(-1) } });
    expect(await recordOutcome(backendFor(shop), task.id, "reached", "", STORE)).toEqual({ kind: "notFound" });
    expect(await db.followUpTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "open" });
    expect(await loadFollowUps(backendFor(shop), { locationId: Number.NaN, staffMemberId: null })).toEqual({ kind: "invalid", errors: { locationId: "pos.errors.locationId" } });
  });
});
