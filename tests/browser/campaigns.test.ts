// Campaigns and Results in a real browser (issue 9), inside the local admin
// frame as in admin.test.ts, in English and Simplified Chinese: the list from
// the sidebar, a new campaign's live audience count changing as a segment is
// ticked, its draft saved with the save bar (a toast, then its own page under
// the admin's title bar), a scheduled campaign cancelled from its title bar
// only after the modal asks, a sent campaign's report with its polaris-viz
// chart of contacted vs held out, and the Results page with its CSV export
// (the title bar's action) fetched with the session token. No console error or
// failed request; screenshots in artifacts/screenshots.
import type { Browser, FrameLocator, Page } from "playwright-core";
import db from "~/db.server";
import { segmentName } from "~/domain/intelligence/rfm";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { advanceCampaigns, saveCampaign, scheduleCampaign } from "~/services/campaigns.server";
import type { AdminFrame } from "../../tools/admin-frame";
import { adminText, dialog, pageTitle, saveBar, titleBarButton, toast } from "./admin-chrome";
import { expectNoProblems, launchChromium, openWatchedPage, screenshot, startEmbeddedApp, startSimulatedShop, type WatchedPage } from "./support";
import { ledgerColumns } from "../support/ledger";

const shop = "lotus-campaigns.myshopify.com";
const MEMBERS = 90;
const CHAMPIONS = 30;
const DAY = 86_400_000;

let simulated: Awaited<ReturnType<typeof startSimulatedShop>>;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  const now = new Date();
  simulated = await startSimulatedShop({ shop, name: "Lotus Tea House", now });
  await db.customer.createMany({
    data: Array.from({ length: MEMBERS }, (_, i) => ({ shop, shopifyId: String(810_000 + i), firstName: `Mei${i}`, email: `b${i}@example.com`, emailConsentState: "SUBSCRIBED", timeZone: "UTC", rfmSegment: i % 3 === 0 ? "champions" : "loyal" })),
  });
  // A campaign sent 20 days ago, with orders from some members in its window.
  const sendOn = new Date(now.getTime() - 20 * DAY).toISOString().slice(0, 10);
  const scheduledAt = new Date(now.getTime() - 25 * DAY);
  const saved = await saveCampaign(
    shop,
    null,
    { name: "Spring tea", channel: "email", content: { en: { subject: "Spring tea", body: "New blends." }, "zh-CN": { subject: "春茶上新", body: "新品到店。" } }, audience: {}, sendOn, sendHour: 10, holdoutPercent: 30 },
    null,
    scheduledAt,
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  await scheduleCampaign(shop, saved.id, scheduledAt);
  const sentAt = new Date(`${sendOn}T10:00:00Z`);
  await db.message.updateMany({ where: { shop, sourceId: saved.id, holdout: false }, data: { status: "sent", sentAt } });
  await advanceCampaigns(shop, sentAt);
  await advanceCampaigns(shop, sentAt);
  await db.order.createMany({
    data: Array.from({ length: 24 }, (_, i) => {
      const at = new Date(sentAt.getTime() + ((i % 5) + 1) * DAY);
      return { shop, shopifyId: String(91_000 + i), customerShopifyId: String(810_000 + i * 3 + 1), shopifyCreatedAt: at, processedAt: at, shopifyUpdatedAt: at, currencyCode: "USD", subtotalMinor: 4_500 + i * 150, totalMinor: 4_500 + i * 150, totalDiscountsMinor: 0, ...ledgerColumns({ subtotalMinor: 4_500 + i * 150 }) };
    }),
  });

  embedded = await startEmbeddedApp({ shop, worker: false });
  ({ frame } = embedded);
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
  await simulated?.close();
});

// A page's title: drawn by the admin from the app's App Bridge title bar, or (pages not yet on it) the app's own h1.
const heading = (appFrame: FrameLocator, name: string) => ({
  waitFor: () =>
    Promise.any([appFrame.getByRole("heading", { level: 1, name, exact: true }).waitFor(), appFrame.owner().page().getByRole("heading", { level: 1, name, exact: true }).waitFor()]),
});

async function sidebarTo(page: Page, label: string) {
  await page.locator("#app-nav").getByRole("link", { name: label, exact: true }).click();
}

describe.each([["en"], ["zh-CN"]] as [Locale][])("campaigns in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  const members = (count: number) => t("campaigns.audience.count", { count: new Intl.NumberFormat(locale).format(count) });
  let watched: WatchedPage;
  let appFrame: FrameLocator;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
    await watched.page.goto(`${frame.url}/app?locale=${locale}`);
    await heading(appFrame, t("overview.title")).waitFor();
  });
  afterAll(() => watched?.close());

  it("lists the campaigns from the sidebar, with status and audience", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await sidebarTo(page, t("nav.campaigns"));
    await heading(appFrame, t("campaigns.title")).waitFor();
    const list = appFrame.locator("#campaigns-list");
    await list.getByRole("link", { name: "Spring tea", exact: true }).waitFor();
    await list.getByText(t("campaigns.status.done"), { exact: true }).waitFor();
    await list.getByText(String(MEMBERS), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-campaigns`);
  });

  it("counts a new campaign's audience live as a segment is ticked", { timeout: 120_000 }, async () => {
    const { page } = watched;
    // "Create campaign" is the list's title bar primary action (issue 20), drawn by the admin.
    await page.locator("#title-bar").getByRole("button", { name: t("campaigns.create"), exact: true }).click();
    await heading(appFrame, t("campaigns.new")).waitFor();
    const count = appFrame.locator("#campaign-count");
    await count.getByText(members(MEMBERS), { exact: true }).waitFor();
    await appFrame.getByLabel(t(segmentName("champions").key), { exact: true }).check();
    await count.getByText(members(CHAMPIONS), { exact: true }).waitFor();
    await appFrame.getByLabel(t(segmentName("champions").key), { exact: true }).uncheck();
    await count.getByText(members(MEMBERS), { exact: true }).waitFor();
    // Scheduling an empty form (the title bar's primary action) names the fields on the page (422), nothing saved.
    const before = await db.campaign.count({ where: { shop } });
    await titleBarButton(page, t("campaigns.action.schedule")).click();
    await appFrame.getByText(t("campaigns.errors.field.name"), { exact: true }).waitFor();
    await toast(page, t("campaigns.errors.title")).waitFor();
    expect(await db.campaign.count({ where: { shop } })).toBe(before);
    // The form's 422 answer is a response the page expected, not a failure.
    watched.problems.splice(0, watched.problems.length, ...watched.problems.filter((problem) => !problem.includes("422")));
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-campaign-editor`);

    // An edit shows the save bar: it saves the draft, says so, and the draft continues on its own page.
    const name = `Oolong week ${locale}`;
    const bar = saveBar(page, locale);
    await appFrame.getByLabel(t("campaigns.field.name"), { exact: true }).fill(name);
    await bar.waitFor();
    await appFrame.getByLabel(t("campaigns.content.subject"), { exact: true }).fill("Oolong week");
    await appFrame.getByLabel(t("campaigns.content.body"), { exact: true }).fill("Roasted and fresh.");
    await bar.getByRole("button", { name: adminText(locale).save, exact: true }).click();
    await toast(page, t("campaigns.toast.saved")).waitFor();
    await pageTitle(page, name).waitFor();
    await bar.waitFor({ state: "hidden" });
    const draft = await db.campaign.findFirstOrThrow({ where: { shop, name } });
    expect(draft.status).toBe("draft");
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/app/campaigns/${draft.id}`);
    await expectNoProblems(watched);
  });

  it("cancels a scheduled campaign from its title bar only once the modal is confirmed", { timeout: 120_000 }, async () => {
    const { page } = watched;
    // Scheduled for next week, to the champions only (30 of them: no count another row of the list shows).
    const name = `Autumn oolong ${locale}`;
    const sendOn = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10);
    const saved = await saveCampaign(shop, null, { name, channel: "email", content: { en: { subject: "Autumn", body: "Oolong." }, "zh-CN": { subject: "秋茶", body: "乌龙。" } }, audience: { segments: ["champions"] }, sendOn, sendHour: 10, holdoutPercent: 10 }, null, new Date());
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    expect((await scheduleCampaign(shop, saved.id, new Date())).ok).toBe(true);
    await sidebarTo(page, t("nav.campaigns"));
    await appFrame.getByRole("link", { name, exact: true }).click();
    await pageTitle(page, name).waitFor();
    const status = appFrame.locator("#campaign-status");
    await status.getByText(t("campaigns.status.scheduled"), { exact: true }).waitFor();

    const modal = dialog(page, t("campaigns.cancelConfirm.title", { name }));
    await titleBarButton(page, t("campaigns.action.cancel")).click();
    await modal.getByText(t("campaigns.cancelConfirm.body"), { exact: true }).waitFor();
    await screenshot(page, `${locale}-campaign-cancel-modal`, { fullPage: false });
    await modal.getByRole("button", { name: t("campaigns.cancelConfirm.keep"), exact: true }).click();
    await modal.waitFor({ state: "hidden" });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: saved.id } })).status).toBe("scheduled");

    await titleBarButton(page, t("campaigns.action.cancel")).click();
    await modal.getByRole("button", { name: t("campaigns.action.cancel"), exact: true }).click();
    await toast(page, t("campaigns.toast.cancelled")).waitFor();
    await status.getByText(t("campaigns.status.cancelled"), { exact: true }).waitFor();
    expect((await db.campaign.findUniqueOrThrow({ where: { id: saved.id } })).status).toBe("cancelled");
    // Cancelled, it can no longer be cancelled; it can still be duplicated.
    await titleBarButton(page, t("campaigns.action.cancel")).waitFor({ state: "detached" });
    await titleBarButton(page, t("campaigns.action.duplicate")).waitFor();
    await expectNoProblems(watched);
  });

  it("shows a sent campaign's report with the chart of contacted vs held out", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await sidebarTo(page, t("nav.campaigns"));
    await heading(appFrame, t("campaigns.title")).waitFor();
    await appFrame.getByRole("link", { name: "Spring tea", exact: true }).click();
    await heading(appFrame, "Spring tea").waitFor();
    const report = appFrame.locator("#campaign-report");
    await report.getByRole("heading", { name: t("results.groups.heading", { days: 7 }), exact: true }).waitFor();
    await report.locator("[data-chart] svg").first().waitFor();
    await report.getByText(t("results.attributedRevenue"), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-campaign-report`);
  });

  it("compares activities on the Results page and exports the CSV with the session token", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await sidebarTo(page, t("nav.results"));
    await heading(appFrame, t("results.title")).waitFor();
    const table = appFrame.locator("#results-table");
    await table.getByRole("link", { name: "Spring tea", exact: true }).waitFor();
    await table.locator("tr", { hasText: "Spring tea" }).getByText(t("results.notKnown"), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-results`);
    const [csv] = await Promise.all([page.waitForResponse((response) => response.url().includes("/app/results.csv")), titleBarButton(page, t("results.csv")).click()]);
    expect(csv.status()).toBe(200);
    expect(csv.request().headers().authorization).toMatch(/^Bearer /);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    await expectNoProblems(watched);
  });
});
