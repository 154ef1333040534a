// The Overview's dashboard (issue 7) as Shopify admin loads it: the built app,
// a document request with a real session token, in English and Simplified
// Chinese. A shop's orders are projected by the app's own projector, a tier
// program places everyone, the nightly classification scores them and leaves
// its snapshot; the page shows members per tier, RFM segment and lifecycle
// stage as the database holds them, the trend from the snapshots and the top
// of today's follow-ups.
import db from "~/db.server";
import { localDate } from "~/domain/local-time";
import { LIFECYCLE_STAGES, RFM_SEGMENTS, segmentName, stageName } from "~/domain/intelligence";
import { starterProgram } from "~/domain/tiers";
import { translate, type Locale } from "~/i18n";
import { saveIntelSnapshot } from "~/models/dashboard.server";
import { saveShopSettings } from "~/models/shops.server";
import { classifyShop, type ShopClassification } from "~/services/intelligence.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveProgram } from "~/services/tiers.server";
import { startTestApp, type TestApp } from "./support/app";
import { orderPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "dashboard-shop.myshopify.com";
const empty = "dashboard-empty.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const DAY = 86_400_000;

// Net spend in dollars and days since the last order; the starter program's thresholds are Silver 200, Gold 500, Platinum 1,000.
const customers = [
  { id: "8101", spend: 1280, daysAgo: 5, orders: 4 },
  { id: "8102", spend: 760, daysAgo: 20, orders: 3 },
  { id: "8103", spend: 420, daysAgo: 45, orders: 2 },
  { id: "8104", spend: 350, daysAgo: 90, orders: 2 },
  { id: "8105", spend: 240, daysAgo: 150, orders: 1 },
  { id: "8106", spend: 150, daysAgo: 220, orders: 1 },
  { id: "8107", spend: 95, daysAgo: 320, orders: 1 },
  { id: "8108", spend: 60, daysAgo: 500, orders: 1 },
];
const expectedTiers = { Platinum: 1, Gold: 1, Silver: 3, Member: 3 };

let app: TestApp;
let classification: ShopClassification;
let today: string;

beforeAll(async () => {
  const now = new Date();
  today = localDate(now, "UTC");
  for (const name of [shop, empty]) {
    await installShop(name);
    await saveShopSettings(name, { name: "Dashboard Tea", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, now);
  }
  for (const customer of customers) {
    for (let n = 0; n < customer.orders; n++) {
      const placed = new Date(+now - (customer.daysAgo + n * 30) * DAY).toISOString();
      const subtotal = (customer.spend / customer.orders).toFixed(2);
      const order = orderPayload({ id: `${customer.id}${n}`, customerId: customer.id, subtotal, createdAt: placed });
      await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify(order) }, now);
    }
  }
  await saveProgram(shop, starterProgram(), "now", now);
  classification = await classifyShop(shop, now);
  // An earlier night, three weeks ago, as the nightly classification would have left it.
  await saveIntelSnapshot(shop, localDate(new Date(+now - 21 * DAY), "UTC"), { active: 11, dormant: 7 }, new Date(+now - 21 * DAY));
  await db.followUpTask.create({
    data: { shop, customerShopifyId: "8101", reason: "keyCustomerTouch", priority: 1, dueOn: today, createdAt: now, updatedAt: now },
  });
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

async function loadOverview(name: string, locale: string, extra: Record<string, string> = {}) {
  const params = new URLSearchParams({ embedded: "1", shop: name, host: Buffer.from(`admin.shopify.com/store/${name.split(".")[0]}`).toString("base64url"), id_token: sessionToken(name), locale, ...extra });
  const response = await fetch(`${app.url}/app?${params}`, { headers: { "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  const html = await response.text();
  // React 18.3 pads with NUL bytes where a multi-byte character meets its write
  // buffer's end (react/react#31134); entry.server.tsx drops them.
  expect(html).not.toContain("\0");
  return html;
}

const decode = (text: string) => text.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').trim();

/** The dashboard section with this id: its text, and its chart's summary line ("Gold: 3 · Silver: 5") as label → count. */
function section(html: string, id: string) {
  const start = html.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThan(-1);
  const next = html.indexOf('id="dashboard-', start + 1);
  const part = html.slice(start, next === -1 ? undefined : next);
  const rows: Record<string, string> = {};
  const summary = /data-chart-summary[^>]*>(.*?)<\/div>/s.exec(part)?.[1];
  for (const pair of summary ? decode(summary).split(" · ") : []) {
    const [, label, count] = /^(.*)[:：]\s*([\d,]+)$/.exec(pair) ?? [];
    if (label !== undefined && count !== undefined) rows[label] = count;
  }
  return { text: decode(part), rows };
}

const asText = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, String(value)]));

describe.each([["en"], ["zh-CN"]] as [Locale][])("the dashboard in %s", (locale) => {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(locale, key, vars);
  const tierName = (en: keyof typeof expectedTiers) => starterProgram().tiers.find((tier) => tier.name.en === en)!.name[locale];

  it("shows members per tier, RFM segment and lifecycle stage as the shop's rows hold them", async () => {
    const html = await loadOverview(shop, locale);
    expect(html).toContain(`<html lang="${locale}">`);

    const tiers = section(html, "dashboard-tiers");
    expect(tiers.text).toContain(t("dashboard.tiers.heading"));
    expect(tiers.rows).toEqual(Object.fromEntries(Object.entries(expectedTiers).map(([en, count]) => [tierName(en as keyof typeof expectedTiers), String(count)])));

    // The page's counts are what the classification found and what the rows say.
    const live = { shop, deletedAt: null };
    const bySegment = Object.fromEntries((await db.customer.groupBy({ by: ["rfmSegment"], where: live, _count: { _all: true } })).map((row) => [row.rfmSegment, row._count._all]));
    const byStage = Object.fromEntries((await db.customer.groupBy({ by: ["lifecycleStage"], where: live, _count: { _all: true } })).map((row) => [row.lifecycleStage, row._count._all]));
    expect(bySegment).toEqual(classification.segments);
    expect(byStage).toEqual(classification.stages);
    expect(Object.keys(byStage).length, "the seeded shop spans several stages").toBeGreaterThan(2);

    const segments = section(html, "dashboard-segments");
    expect(segments.text).toContain(t("dashboard.segments.heading"));
    expect(segments.rows).toEqual(asText(Object.fromEntries(RFM_SEGMENTS.filter((s) => bySegment[s]).map((s) => [t(segmentName(s).key), bySegment[s]]))));

    const stages = section(html, "dashboard-stages");
    expect(stages.text).toContain(t("dashboard.stages.heading"));
    expect(stages.rows).toEqual(asText(Object.fromEntries(LIFECYCLE_STAGES.filter((s) => byStage[s]).map((s) => [t(stageName(s).key), byStage[s]]))));
    expect(Object.values(stages.rows).reduce((sum, n) => sum + Number(n), 0)).toBe(customers.length);
  });

  it("draws the trend from the snapshots and lists today's follow-ups with a link to all of them", async () => {
    const html = await loadOverview(shop, locale);
    const trend = section(html, "dashboard-trend");
    expect(trend.text).toContain(t("dashboard.trend.heading"));
    expect(trend.text).toContain(t("dashboard.trend.help"));
    expect(trend.text).not.toContain(t("dashboard.trend.empty"));
    // The chart itself is drawn in the browser (tests/browser/admin.test.ts); its data travels with the page.
    expect(html).toContain('"active":11,"dormant":7');
    expect(html).toContain(`"weekEnding":"${today}","active":${classification.stages.active ?? 0},"dormant":${classification.stages.dormant ?? 0}`);

    const followUps = section(html, "dashboard-follow-ups");
    expect(followUps.text).toContain(t("dashboard.followUps.heading"));
    expect(followUps.text).toContain(t("followUps.reason.keyCustomerTouch"));
    expect(followUps.text).toContain(t("dashboard.followUps.all", { count: 1 }));
    expect(html).toMatch(/href="\/app\/follow-ups"/);
    expect(html).toMatch(/href="\/app\/members\/8101"/);
  });

  it("shows the program's figures for the period the merchant picks", async () => {
    const html = await loadOverview(shop, locale, { period: "365" });
    const date = (at: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(at);
    const [year, month, day] = today.split("-").map(Number);
    // The last 365 days of the shop's calendar (UTC), today included.
    expect(decode(html)).toContain(t("overview.kpi.heading", { from: date(new Date(Date.UTC(year!, month! - 1, day! - 364))), to: date(new Date(Date.UTC(year!, month! - 1, day!))) }));
    expect(decode(html)).toContain(t("overview.kpi.memberShare"));
    expect(html).toContain(t("overview.kpi.repeat"));
    expect(html).toContain('"period":365');
    expect(await loadOverview(shop, locale, { period: "7" })).toContain('"period":30');
  });

  it("tells a new shop how the program fills instead of empty charts, and another shop's numbers stay out", async () => {
    const html = await loadOverview(empty, locale);
    expect(decode(html)).toContain(t("overview.empty.heading"));
    expect(html).toMatch(/href="\/app\/tiers"/);
    expect(html).not.toContain('id="dashboard-tiers"');
    expect(html).not.toContain('"active":11');
  });
});
