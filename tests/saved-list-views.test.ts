// Saved list views (issue 20) through the app's own endpoint, as the lists'
// IndexFilters post to it: signed requests to the built server, on SQLite and
// PostgreSQL. A view is stored as the URL's filters, sort and search; names
// are unique within a list; another shop's views cannot be touched; bad input
// is refused with its reason and changes nothing.
import db from "~/db.server";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";

const shop = "saved-views.myshopify.com";
const other = "saved-views-other.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let app: TestApp;

beforeAll(async () => {
  for (const domain of [shop, other]) {
    await installShop(domain);
    await installTestShop(domain);
  }
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

async function post(domain: string, fields: Record<string, string>) {
  const response = await fetch(`${app.url}/app/list-views?shop=${domain}`, { method: "POST", headers: { Authorization: `Bearer ${sessionToken(domain)}`, "User-Agent": BROWSER }, body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as { ok: boolean; error?: string; view?: { id: string; name: string; query: string } | null } };
}
const stored = (domain: string, list: string) => db.savedListView.findMany({ where: { shop: domain, list }, orderBy: { position: "asc" }, select: { name: true, query: true } });

it("saves the URL's view (no page, no cursor, params in one order), and lists it after the ones saved before", async () => {
  const first = await post(shop, { intent: "create", list: "members", name: "Gold at risk", query: "?stage=atRisk&tier=gold&page=4&saved=old" });
  expect(first.status).toBe(200);
  expect(first.body.view).toMatchObject({ name: "Gold at risk", query: "stage=atRisk&tier=gold" });
  await post(shop, { intent: "create", list: "members", name: "Chinese VIPs", query: "tag=vip&country=CN&dir=asc" });
  expect(await stored(shop, "members")).toEqual([
    { name: "Gold at risk", query: "stage=atRisk&tier=gold" },
    { name: "Chinese VIPs", query: "country=CN&dir=asc&tag=vip" },
  ]);
  // The same name in another list is another view.
  expect((await post(shop, { intent: "create", list: "followUps", name: "Gold at risk", query: "reason=winBack" })).status).toBe(200);
});

it("refuses a second view of the same name in a list, an empty or too long name, and an unknown list, changing nothing", async () => {
  const before = await db.savedListView.count({ where: { shop } });
  expect(await post(shop, { intent: "create", list: "members", name: "Gold at risk", query: "tier=gold" })).toEqual({ status: 422, body: { ok: false, error: "taken" } });
  expect(await post(shop, { intent: "create", list: "members", name: "   ", query: "tier=gold" })).toEqual({ status: 422, body: { ok: false, error: "name" } });
  expect(await post(shop, { intent: "create", list: "members", name: "x".repeat(41), query: "tier=gold" })).toEqual({ status: 422, body: { ok: false, error: "name" } });
  expect(await post(shop, { intent: "create", list: "orders", name: "Orders", query: "" })).toEqual({ status: 422, body: { ok: false, error: "invalid" } });
  expect(await post(shop, { intent: "create", list: "members", name: "Long", query: `q=${"a".repeat(1500)}` })).toEqual({ status: 422, body: { ok: false, error: "query" } });
  expect(await db.savedListView.count({ where: { shop } })).toBe(before);
});

it("saves a changed view, renames, duplicates and deletes it", async () => {
  const { body } = await post(shop, { intent: "create", list: "messages", name: "Failed emails", query: "status=failed&channel=email" });
  const id = body.view!.id;
  expect((await post(shop, { intent: "save", id, query: "status=failed,blocked&channel=email&cursor=abc" })).body.view).toMatchObject({ query: "channel=email&status=failed%2Cblocked" });
  expect((await post(shop, { intent: "rename", id, name: "Not delivered" })).body.view).toMatchObject({ name: "Not delivered" });
  const copy = await post(shop, { intent: "duplicate", id, name: "Not delivered (copy)" });
  expect(copy.body.view).toMatchObject({ name: "Not delivered (copy)", query: "channel=email&status=failed%2Cblocked" });
  // Renaming onto a name the list has is refused.
  expect(await post(shop, { intent: "rename", id: copy.body.view!.id, name: "Not delivered" })).toEqual({ status: 422, body: { ok: false, error: "taken" } });
  expect(await post(shop, { intent: "delete", id })).toEqual({ status: 200, body: { ok: true, view: null } });
  expect(await stored(shop, "messages")).toEqual([{ name: "Not delivered (copy)", query: "channel=email&status=failed%2Cblocked" }]);
  // Deleted already: nothing to delete.
  expect((await post(shop, { intent: "delete", id })).status).toBe(404);
});

it("keeps each shop's views its own: another shop cannot rename, save over or delete them", async () => {
  const { body } = await post(shop, { intent: "create", list: "campaigns", name: "Drafts", query: "status=draft" });
  const id = body.view!.id;
  expect((await post(other, { intent: "rename", id, name: "Mine now" })).status).toBe(404);
  expect((await post(other, { intent: "save", id, query: "status=done" })).status).toBe(404);
  expect((await post(other, { intent: "duplicate", id, name: "Copy" })).status).toBe(404);
  expect((await post(other, { intent: "delete", id })).status).toBe(404);
  expect(await stored(shop, "campaigns")).toEqual([{ name: "Drafts", query: "status=draft" }]);
  expect(await db.savedListView.count({ where: { shop: other } })).toBe(0);
});

it("shows a list's saved views as tabs after its built-in ones, in both languages", async () => {
  await post(shop, { intent: "create", list: "shipments", name: "Lost parcels", query: "kind=lost" });
  const page = (locale: string) =>
    fetch(`${app.url}/app/anomalies?${new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/saved-views").toString("base64url"), id_token: sessionToken(shop), locale })}`, {
      headers: { "User-Agent": BROWSER },
    }).then((response) => response.text());
  for (const [locale, builtIn] of [
    ["en", "In trouble"],
    ["zh-CN", "有异常"],
  ] as const) {
    const html = await page(locale);
    // The tab's id (Polaris also renders a measuring copy, id + "Measurer").
    const builtInTab = html.indexOf(`id="view-shipments-open`);
    expect(builtInTab).toBeGreaterThan(0);
    expect(html.slice(builtInTab, builtInTab + 2000)).toContain(builtIn);
    expect(html.indexOf("Lost parcels")).toBeGreaterThan(builtInTab);
  }
});
