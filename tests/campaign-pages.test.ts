// Campaign and Results pages (issue 9) through the built app with a real
// session token, en and zh-CN: the list with status, audience and send date;
// the editor's live count and its 422 field errors (nothing saved); schedule,
// cancel and duplicate; the report beside the attributed revenue labelled not
// incremental; the Results page; and the CSV export over HTTP carrying
// exactly the rows the report shows. Another shop's campaign is a 404.
import db from "~/db.server";
import { CSV_COLUMNS, summariesCsv, type ActivitySummary } from "~/domain/results/report";
import { planMessages } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { advanceCampaigns, saveCampaign, scheduleCampaign } from "~/services/campaigns.server";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";
import { ledgerColumns } from "./support/ledger";

const shop = "campaign-pages.myshopify.com";
const other = "campaign-pages-other.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const PAST = new Date("2026-05-20T00:00:00Z");
const SENT = new Date("2026-06-01T02:00:00Z"); // 10:00 in Shanghai
const DAY = 86_400_000;
let app: TestApp;
let doneId: string;
let otherId: string;

const draft = (overrides: Record<string, unknown> = {}) => ({
  name: "June tea",
  channel: "email",
  content: { en: { subject: "Summer tea for {{firstName}}", body: "New blends." }, "zh-CN": { subject: "{{firstName}}，夏季新茶", body: "新品到店。" } },
  audience: {},
  sendOn: "2026-06-01",
  sendHour: 10,
  holdoutPercent: 20,
  ...overrides,
});

async function saved(domain: string, overrides: Record<string, unknown> = {}) {
  const result = await saveCampaign(domain, null, draft(overrides), null, PAST);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.id;
}

beforeAll(async () => {
  await installShop(shop);
  await installShop(other);
  await saveShopSettings(shop, { name: "Tea House", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", primaryLocale: "zh-CN", scopes: null }, PAST);
  await saveShopSettings(other, { name: "Other", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, PAST);
  await db.customer.createMany({
    data: Array.from({ length: 120 }, (_, i) => ({ shop, shopifyId: String(600_000 + i), email: `p${i}@example.com`, emailConsentState: "SUBSCRIBED", timeZone: "Asia/Shanghai", rfmSegment: i % 3 === 0 ? "champions" : "loyal" })),
  });
  // A campaign sent in June: its contacted messages went out, a few members ordered in the window.
  // 40% held out: both groups large enough (30 or more) for an interval.
  doneId = await saved(shop, { holdoutPercent: 40 });
  expect(await scheduleCampaign(shop, doneId, PAST)).toMatchObject({ ok: true });
  await db.message.updateMany({ where: { shop, sourceId: doneId, holdout: false }, data: { status: "sent", sentAt: SENT } });
  await advanceCampaigns(shop, SENT);
  await advanceCampaigns(shop, SENT);
  const orders = Array.from({ length: 30 }, (_, i) => {
    const at = new Date(+SENT + (i % 6) * DAY);
    return { shop, shopifyId: String(70_000 + i), customerShopifyId: String(600_000 + i * 4), shopifyCreatedAt: at, processedAt: at, shopifyUpdatedAt: at, currencyCode: "CNY", subtotalMinor: 12_800 + i * 100, totalMinor: 12_800 + i * 100, totalDiscountsMinor: 0, ...ledgerColumns({ subtotalMinor: 12_800 + i * 100 }) };
  });
  await db.order.createMany({ data: orders });
  // A win-back flow's messages, so the Results page compares a flow too.
  await planMessages(
    shop,
    Array.from({ length: 10 }, (_, i) => ({ customerShopifyId: String(600_000 + i), idempotencyKey: `winBack:${i}`, source: "flow" as const, sourceId: "winBack", step: "atRisk", channel: "email" as const, messageClass: "marketing" as const, priority: 5, variables: {}, plannedAt: SENT, expiresAt: new Date(+SENT + 7 * DAY) })),
    SENT,
  );
  await db.message.updateMany({ where: { shop, sourceId: "winBack" }, data: { status: "sent", sentAt: SENT } });
  otherId = await saved(other, { name: "Not yours" });
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const query = (locale = "en-US") => new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/campaign-pages").toString("base64url"), locale });
const page = async (path: string, locale = "en-US") => {
  const response = await fetch(`${app.url}${path}?${query(locale)}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } });
  return { status: response.status, html: await response.text() };
};
const data = (path: string, route: string, init: RequestInit = {}) =>
  fetch(`${app.url}${path}?${query()}&_data=${encodeURIComponent(route)}`, { ...init, headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER }, redirect: "manual" });
const EDITOR = "routes/app.campaigns.$id";
const post = (id: string, fields: Record<string, string>) => data(`/app/campaigns/${id}`, EDITOR, { method: "POST", body: new URLSearchParams(fields) });

it("lists campaigns with status, audience size and send date, in both languages", async () => {
  const english = await page("/app/campaigns");
  expect(english.status).toBe(200);
  const count = await db.campaign.findFirstOrThrow({ where: { id: doneId } });
  expect(count.audienceCount).toBe(120);
  expect(english.html).toContain("June tea");
  expect(english.html).toContain("Done");
  // Dates as each language writes them (issue 20: one way per locale).
  expect(english.html).toContain("Jun 1, 2026 at 10:00 local time");
  expect(english.html).not.toContain("Not yours");
  const chinese = await page("/app/campaigns", "zh-CN");
  expect(chinese.html).toContain("已完成");
  expect(chinese.html).toContain("2026年6月1日 当地时间 10:00");
});

it("counts the audience live as the filter changes, and names a bad filter (422)", async () => {
  const count = async (audience: unknown) => post("new", { intent: "count", audience: JSON.stringify(audience), channel: "email" });
  expect(await (await count({})).json()).toMatchObject({ ok: true, count: 120 });
  expect(await (await count({ segments: ["champions"] })).json()).toMatchObject({ ok: true, count: 40 });
  const refused = await count({ segments: ["nobody"] });
  expect(refused.status).toBe(422);
  expect(((await refused.json()) as { errors: Record<string, string> }).errors).toEqual({ "audience.segments": expect.stringMatching(/^campaigns\.errors\./) });
});

it("refuses an invalid draft with field errors and saves nothing; saves a good one under its own address", async () => {
  const before = await db.campaign.count({ where: { shop } });
  const bad = await post("new", { intent: "save", campaign: JSON.stringify(draft({ name: " ", holdoutPercent: 90 })) });
  expect(bad.status).toBe(422);
  expect(((await bad.json()) as { errors: Record<string, string> }).errors).toEqual({ name: "campaigns.errors.field.name", holdoutPercent: "campaigns.errors.field.holdoutPercent" });
  const noSubject = await post("new", { intent: "save", campaign: JSON.stringify(draft({ content: { en: { subject: "", body: "Hi {{nickname}}" } } })) });
  expect(((await noSubject.json()) as { errors: Record<string, string> }).errors).toEqual({ "content.en.subject": "campaigns.errors.contentRequired", "content.en.body": "campaigns.errors.unknownVariable" });
  expect((await post("new", { intent: "save", campaign: "{not json" })).status).toBe(422);
  expect(await db.campaign.count({ where: { shop } })).toBe(before);

  const good = await post("new", { intent: "save", campaign: JSON.stringify(draft({ name: "Autumn", sendOn: null })) });
  expect(good.status).toBe(204);
  const created = await db.campaign.findFirstOrThrow({ where: { shop, name: "Autumn" } });
  expect(good.headers.get("x-remix-redirect")).toBe(`/app/campaigns/${created.id}`);
  expect(created.status).toBe("draft");
  const editor = await page(`/app/campaigns/${created.id}`);
  expect(editor.html).toContain("Autumn");
  expect(editor.html).toContain("120 customers match");
});

it("schedules (a past date refused on its field), cancels and duplicates", async () => {
  const id = await saved(shop, { name: "Schedule me", sendOn: null });
  const past = await post(id, { intent: "schedule", campaign: JSON.stringify(draft({ name: "Schedule me", sendOn: "2020-01-01" })) });
  expect(past.status).toBe(422);
  expect(((await past.json()) as { errors: Record<string, string> }).errors).toEqual({ sendOn: "campaigns.errors.sendOnPast" });
  expect((await db.campaign.findFirstOrThrow({ where: { id } })).status).toBe("draft");

  const scheduled = await post(id, { intent: "schedule", campaign: JSON.stringify(draft({ name: "Schedule me", sendOn: "2099-01-01" })) });
  expect(scheduled.status).toBe(200);
  expect(await db.campaign.findFirstOrThrow({ where: { id } })).toMatchObject({ status: "scheduled", audienceCount: 120, sendOn: "2099-01-01" });
  expect(await db.message.count({ where: { shop, sourceId: id } })).toBe(120);
  // Scheduled: no longer editable.
  expect((await post(id, { intent: "save", campaign: JSON.stringify(draft()) })).status).toBe(409);

  expect((await data("/app/campaigns", "routes/app.campaigns._index", { method: "POST", body: new URLSearchParams({ intent: "cancel", id }) })).status).toBe(200);
  expect((await db.campaign.findFirstOrThrow({ where: { id } })).status).toBe("cancelled");
  // Every contacted member's message is cancelled (the holdout is drawn afresh for each campaign id, so its size varies).
  const contacted = await db.message.count({ where: { shop, sourceId: id, holdout: false } });
  expect(contacted).toBeGreaterThan(0);
  expect(await db.message.count({ where: { shop, sourceId: id, status: "cancelled" } })).toBe(contacted);
  expect((await post(id, { intent: "cancel" })).status).toBe(409);

  const duplicated = await post(id, { intent: "duplicate" });
  expect(duplicated.status).toBe(204);
  const copy = await db.campaign.findFirstOrThrow({ where: { shop, duplicatedFrom: id } });
  expect(duplicated.headers.get("x-remix-redirect")).toBe(`/app/campaigns/${copy.id}`);
  expect(copy).toMatchObject({ status: "draft", sendOn: null, name: "Schedule me (2)" });
});

it("keeps other shops' campaigns out of reach (404)", async () => {
  expect((await page(`/app/campaigns/${otherId}`)).status).toBe(404);
  expect((await post(otherId, { intent: "save", campaign: JSON.stringify(draft()) })).status).toBe(404);
  expect((await post(otherId, { intent: "duplicate" })).status).toBe(404);
  expect((await db.campaign.findFirstOrThrow({ where: { id: otherId } })).name).toBe("Not yours");
});

it("shows the report against the holdout, the attributed revenue labelled not incremental, in both languages", async () => {
  const english = await page(`/app/campaigns/${doneId}`);
  expect(english.status).toBe(200);
  expect(english.html).toContain('id="campaign-report"');
  expect(english.html).toContain("Contacted vs held out, 7 days after the send");
  expect(english.html).toContain("Attributed revenue (not incremental)");
  expect(english.html).toContain("Incremental revenue");
  // Under each chart, the difference between the groups with its interval.
  expect(english.html.match(/Contacted minus held out: [^<]+ \([^<]+ to [^<]+\)/g)).toHaveLength(2);
  const chinese = await page(`/app/campaigns/${doneId}`, "zh-CN");
  expect(chinese.html).toContain("归因收入（非增量）");
  expect(chinese.html).toContain("联系组与对照组对比");
});

it("compares every flow and campaign on the Results page, and the CSV export matches the report", async () => {
  const english = await page("/app/results");
  expect(english.html).toContain("June tea");
  expect(english.html).toContain("Win-back");
  expect(english.html).toContain("Not known");
  expect((await page("/app/results", "zh-CN")).html).toContain("唤回");

  const report = (await (await data("/app/results", "routes/app.results")).json()) as { rows: ActivitySummary[] };
  const csvResponse = await data("/app/results.csv", "routes/app.results[.]csv");
  expect(csvResponse.status).toBe(200);
  expect(csvResponse.headers.get("content-type")).toContain("text/csv");
  expect(csvResponse.headers.get("content-disposition")).toMatch(/^attachment; filename="membercare-results-\d{4}-\d{2}-\d{2}\.csv"$/);
  const csv = await csvResponse.text();
  expect(report.rows.map((row) => `${row.kind}:${row.name}`).sort()).toEqual(["campaign:June tea", "campaign:Schedule me", "flow:winBack"]);
  expect(csv).toBe(summariesCsv(report.rows));
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe(CSV_COLUMNS.join(","));
  // The campaign's own report carries the same figures as its CSV line.
  const campaignPage = (await (await data(`/app/campaigns/${doneId}`, EDITOR)).json()) as { report: ActivitySummary };
  expect(lines).toContain(summariesCsv([campaignPage.report]).trimEnd().split("\r\n")[1]);
  const june = report.rows.find((row) => row.id === doneId)!;
  expect(june.counts).toMatchObject({ audience: 120, sent: june.counts.contacted, opened: null });
  expect(june.result.contacted.orders + june.result.holdout.orders).toBe(30);
});

it("says a sent campaign with no orders in either group has nothing to chart yet, instead of drawing empty bars", async () => {
  // Sent a month after the June campaign, when nobody ordered.
  const quietId = await saved(shop, { name: "Quiet week", holdoutPercent: 40, sendOn: "2026-07-01" });
  expect(await scheduleCampaign(shop, quietId, PAST)).toMatchObject({ ok: true });
  const quietSent = new Date(+SENT + 30 * DAY); // 2026-07-01, 10:00 in Shanghai
  await db.message.updateMany({ where: { shop, sourceId: quietId, holdout: false }, data: { status: "sent", sentAt: quietSent } });
  await advanceCampaigns(shop, quietSent);
  await advanceCampaigns(shop, quietSent);
  const quiet = await page(`/app/campaigns/${quietId}`);
  expect(quiet.html.match(/No orders from either group in the window yet/g)).toHaveLength(2);
  expect(quiet.html).not.toContain("data-chart");
  expect((await page(`/app/campaigns/${quietId}`, "zh-CN")).html).toContain("窗口期内两组都还没有订单");
  // The June campaign, whose members ordered, keeps its charts.
  const june = await page(`/app/campaigns/${doneId}`);
  expect(june.html).toContain("data-chart");
  expect(june.html).not.toContain("No orders from either group");
});
