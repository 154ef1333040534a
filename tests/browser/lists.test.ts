// The lists of issue 20 in a real browser, inside the local admin frame (App
// Bridge's stand-in draws the title bar, the confirm modals and the toasts), in
// English and Simplified Chinese, as a merchant works them:
// - Follow-ups: narrow the list with the "Why" filter pill, select rows,
//   assign them to a staff member, then complete them with an outcome chosen
//   explicitly (nothing is chosen until the merchant chooses; Complete waits
//   for it) and confirmed in the modal; a toast each time;
// - Shipments in trouble: the carrier and tracking number are a link to the
//   carrier's page; select the shipment, resolve it after confirming;
// - Campaigns: cancel a scheduled campaign in the confirm modal, see the toast
//   and its new status; "Create campaign" in the title bar opens the editor.
// Each language works on its own rows. No console error or failed request.
import type { Browser, FrameLocator, Page } from "playwright-core";
import db from "~/db.server";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { polarisTranslations } from "~/i18n/polaris";
import type { AdminFrame } from "../../tools/admin-frame";
import { expectNoProblems, launchChromium, openWatchedPage, screenshot, startEmbeddedApp, startSimulatedShop, type WatchedPage } from "./support";

const shop = "lotus-lists.myshopify.com";
const LOCALES = ["en", "zh-CN"] as const;
const NOW = new Date();
const today = NOW.toISOString().slice(0, 10);
// The admin frame's staff member (startEmbeddedApp issues tokens for user 7).
const STAFF = "7";

let simulated: Awaited<ReturnType<typeof startSimulatedShop>>;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

// Per language: two customers whose parcels are in trouble and one with a birthday (a different reason).
const people = (locale: Locale) => {
  const tag = locale === "en" ? "En" : "Zh";
  const base = locale === "en" ? 1000 : 2000;
  return {
    parcelA: { id: String(base + 1), name: `Ann ${tag}`, phone: `+1 555 ${base + 1}` },
    parcelB: { id: String(base + 2), name: `Bea ${tag}`, email: `bea.${tag.toLowerCase()}@example.com` },
    birthday: { id: String(base + 3), name: `Cyd ${tag}` },
    order: `#${base + 1}`,
    tracking: `SF${base + 1}`,
    campaign: `Autumn tea ${tag}`,
  };
};

beforeAll(async () => {
  browser = await launchChromium();
  simulated = await startSimulatedShop({ shop, name: "Lotus Tea House", now: NOW });
  for (const locale of LOCALES) {
    const p = people(locale);
    for (const [person, reason, priority] of [
      [p.parcelA, "deliveryProblem", 1],
      [p.parcelB, "deliveryProblem", 1],
      [p.birthday, "birthday", 2],
    ] as const) {
      const [firstName, lastName] = person.name.split(" ");
      await db.customer.create({ data: { shop, shopifyId: person.id, firstName, lastName, phone: "phone" in person ? person.phone : null, email: "email" in person ? person.email : null, valueClass: "key" } });
      await db.followUpTask.create({ data: { shop, customerShopifyId: person.id, reason, priority, detail: reason === "birthday" ? JSON.stringify({ on: today }) : "{}", dueOn: today, createdAt: NOW, updatedAt: NOW } });
    }
    const orderId = `9${p.parcelA.id}`;
    await db.order.create({ data: { shop, shopifyId: orderId, name: p.order, customerShopifyId: p.parcelA.id, shopifyCreatedAt: NOW, processedAt: NOW, shopifyUpdatedAt: NOW, currencyCode: "USD", subtotalMinor: 4500, totalMinor: 4500, totalDiscountsMinor: 0 } });
    await db.fulfillment.create({
      data: { shop, shopifyId: `8${p.parcelA.id}`, orderShopifyId: orderId, status: "success", trackingCompany: "SF Express", trackingNumber: p.tracking, trackingUrl: `https://www.sf-express.com/track?no=${p.tracking}`, shopifyCreatedAt: new Date(NOW.getTime() - 5 * 86_400_000), lastEventStatus: "failure", lastEventAt: NOW },
    });
    await db.shipmentAnomaly.create({ data: { id: `anomaly-${locale}`, shop, fulfillmentShopifyId: `8${p.parcelA.id}`, orderShopifyId: orderId, customerShopifyId: p.parcelA.id, kind: "failure", detectedAt: NOW } });
    await db.campaign.create({ data: { id: `campaign-${locale}`, shop, name: p.campaign, status: "scheduled", channel: "email", sendOn: new Date(NOW.getTime() + 10 * 86_400_000).toISOString().slice(0, 10), audienceCount: 40, scheduledAt: NOW, createdAt: NOW, updatedAt: NOW } });
  }
  embedded = await startEmbeddedApp({ shop, worker: false });
  ({ frame } = embedded);
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
  await simulated?.close();
});

// A page's title: the app's own h1, or the admin's title bar drawn from App Bridge's TitleBar.
const heading = (appFrame: FrameLocator, name: string) => ({
  waitFor: () => Promise.any([appFrame.getByRole("heading", { level: 1, name, exact: true }).waitFor(), appFrame.owner().page().locator("#title-bar").getByRole("heading", { level: 1, name, exact: true }).waitFor()]),
});
const row = (appFrame: FrameLocator, text: string) => appFrame.locator("tr", { hasText: text });
/** The admin's toast (role status) with this text. */
const toast = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });
/** The admin's dialog (App Bridge's modal) with this title. */
const dialog = (page: Page, title: string) => page.getByRole("dialog", { name: title });

describe.each(LOCALES.map((locale) => [locale]))("lists in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  const n = (value: number) => new Intl.NumberFormat(locale).format(value);
  const p = people(locale);
  let watched: WatchedPage;
  let appFrame: FrameLocator;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
  });
  afterAll(() => watched?.close());

  it("filters follow-ups by a pill, assigns the selected ones, and completes them with an outcome chosen and confirmed", { timeout: 180_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app/follow-ups?locale=${locale}`);
    await heading(appFrame, t("followUps.title")).waitFor();
    const list = appFrame.locator("#follow-ups-list");
    await list.getByRole("link", { name: p.birthday.name, exact: true }).waitFor();
    // What staff need to act: the phone and email as links.
    await expect(list.getByRole("link", { name: p.parcelA.phone, exact: true }).getAttribute("href")).resolves.toBe(`tel:${p.parcelA.phone.replace(/ /g, "")}`);
    await expect(list.getByRole("link", { name: p.parcelB.email, exact: true }).getAttribute("href")).resolves.toBe(`mailto:${p.parcelB.email}`);

    // The "Why" pill (in the filter bar, which Polaris's own "Search and filter" button opens): only parcels in trouble stay.
    const polaris = (polarisTranslations[locale] as { Polaris: { IndexFilters: { searchFilterAccessibilityLabel: string } } }).Polaris;
    await list.getByRole("button", { name: polaris.IndexFilters.searchFilterAccessibilityLabel }).click();
    await list.getByRole("button", { name: t("followUps.filter.reason"), exact: true }).first().click();
    // The choice is the URL's: it shows as ticked once the filtered list has loaded.
    await appFrame.getByLabel(t("followUps.reasonName.deliveryProblem"), { exact: true }).click({ force: true });
    await list.getByRole("link", { name: p.birthday.name, exact: true }).waitFor({ state: "detached" });
    await page.keyboard.press("Escape");

    // Select this language's two parcels and assign them.
    for (const person of [p.parcelA, p.parcelB]) await row(appFrame, person.name).getByRole("checkbox").check({ force: true });
    await appFrame.getByRole("button", { name: t("followUps.bulk.assign.action"), exact: true }).click();
    const panel = appFrame.locator("#follow-ups-bulk");
    await panel.getByLabel(t("followUps.bulk.assign.to"), { exact: true }).selectOption(STAFF);
    await panel.getByRole("button", { name: t("followUps.bulk.assign.submit", { count: n(2) }), exact: true }).click();
    await toast(page, t("followUps.toast.assign", { count: n(2) })).waitFor();
    await expect.poll(async () => (await db.followUpTask.findMany({ where: { shop, customerShopifyId: { in: [p.parcelA.id, p.parcelB.id] } } })).map((task) => task.assignee)).toEqual([STAFF, STAFF]);

    // Complete them: no outcome is chosen for the merchant, and Complete waits until one is.
    for (const person of [p.parcelA, p.parcelB]) await row(appFrame, person.name).getByRole("checkbox").check({ force: true });
    await appFrame.getByRole("button", { name: t("followUps.bulk.complete.action"), exact: true }).click();
    for (const outcome of ["reached", "noAnswer", "declined", "resolved", "notNeeded"] as const) {
      expect(await panel.getByLabel(t(`followUps.outcome.${outcome}`), { exact: true }).isChecked()).toBe(false);
    }
    const complete = panel.getByRole("button", { name: t("followUps.bulk.complete.submit", { count: n(2) }), exact: true });
    expect(await complete.isDisabled()).toBe(true);
    await panel.getByLabel(t("followUps.outcome.reached"), { exact: true }).check({ force: true });
    await complete.click();
    const confirm = dialog(page, t("followUps.bulk.complete.confirmTitle", { count: n(2) }));
    await confirm.getByText(t("followUps.bulk.complete.confirm", { count: n(2), outcome: t("followUps.outcome.reached") })).waitFor();
    await confirm.getByRole("button", { name: t("followUps.bulk.complete.confirmAction"), exact: true }).click();
    await toast(page, t("followUps.toast.complete", { count: n(2) })).waitFor();
    await list.getByRole("link", { name: p.parcelA.name, exact: true }).waitFor({ state: "detached" });
    const done = await db.followUpTask.findMany({ where: { shop, customerShopifyId: { in: [p.parcelA.id, p.parcelB.id] } } });
    expect(done.map((task) => [task.status, task.outcome, task.completedBy])).toEqual([
      ["done", "reached", STAFF],
      ["done", "reached", STAFF],
    ]);
    // The birthday was not selected: still open.
    expect((await db.followUpTask.findFirstOrThrow({ where: { shop, customerShopifyId: p.birthday.id } })).status).toBe("open");
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-follow-ups-list`);
  });

  it("shows a shipment's tracking link, and resolves it after confirming in the modal", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app/anomalies?locale=${locale}`);
    await heading(appFrame, t("care.anomalies.title")).waitFor();
    const list = appFrame.locator("#anomalies-list");
    const link = list.getByRole("link", { name: `SF Express ${p.tracking}`, exact: true });
    expect(await link.getAttribute("href")).toBe(`https://www.sf-express.com/track?no=${p.tracking}`);
    await screenshot(page, `${locale}-anomalies-list`);
    await row(appFrame, p.order).getByRole("checkbox").check({ force: true });
    await appFrame.getByRole("button", { name: t("care.anomalies.resolve"), exact: true }).click();
    const confirm = dialog(page, t("care.anomalies.confirm.title", { count: n(1) }));
    await confirm.getByRole("button", { name: t("care.anomalies.resolve"), exact: true }).click();
    await toast(page, t("care.anomalies.toast.resolved", { count: n(1) })).waitFor();
    await link.waitFor({ state: "detached" });
    expect(await db.shipmentAnomaly.findUniqueOrThrow({ where: { id: `anomaly-${locale}` } })).toMatchObject({ status: "resolved", resolvedBy: STAFF });
    await expectNoProblems(watched);
  });

  it("cancels a scheduled campaign in the confirm modal, and opens the editor from the title bar", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app/campaigns?locale=${locale}`);
    await heading(appFrame, t("campaigns.title")).waitFor();
    const campaign = row(appFrame, p.campaign);
    await campaign.getByText(t("campaigns.status.scheduled"), { exact: true }).waitFor();
    await campaign.getByRole("button", { name: t("campaigns.action.cancel"), exact: true }).click();
    const confirm = dialog(page, t("campaigns.cancelConfirm.title", { name: p.campaign }));
    await confirm.getByRole("button", { name: t("campaigns.action.cancel"), exact: true }).click();
    await toast(page, t("campaigns.toast.cancelled")).waitFor();
    await campaign.getByText(t("campaigns.status.cancelled"), { exact: true }).waitFor();
    expect((await db.campaign.findUniqueOrThrow({ where: { id: `campaign-${locale}` } })).status).toBe("cancelled");
    await screenshot(page, `${locale}-campaigns-list`);
    await page.locator("#title-bar").getByRole("button", { name: t("campaigns.create"), exact: true }).click();
    await heading(appFrame, t("campaigns.new")).waitFor();
    await expectNoProblems(watched);
  });
});
