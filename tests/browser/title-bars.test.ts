// Every page under the admin's title bar (issue 20), in a real browser inside
// the local admin frame, in English and Simplified Chinese: the walk follows
// the app's own navigation (app/components/admin/navigation.ts), each sidebar
// entry and each page of its group, and the pages reached from them (a
// member, a flow, a new and a saved campaign), and waits for the page's title
// in the admin's title bar (App Bridge's <TitleBar>, drawn by the frame). A
// page without a title bar, or one added to the navigation without a title
// here, fails. On this young shop (one buyer, no gifts, nothing sent yet) the
// lists that have nothing say so with an empty state.
import type { Browser, FrameLocator, Page } from "playwright-core";
import { NAV_GROUPS } from "~/components/admin/navigation";
import { starterProgram } from "~/domain/tiers";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { saveCampaign } from "~/services/campaigns.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveProgram } from "~/services/tiers.server";
import type { AdminFrame } from "../../tools/admin-frame";
import { orderPayload } from "../support/payloads";
import { groupTab, pageTitle, sidebarLink, titleBarButton } from "./admin-chrome";
import { expectNoProblems, launchChromium, openWatchedPage, requestsSettled, startEmbeddedApp, startSimulatedShop, type WatchedPage } from "./support";

const shop = "title-tea.myshopify.com";
const buyer = { first: "Lan", last: "Zhou" };
const campaignName = "Harvest tea";

/** Each page of the navigation and the title it shows (the page's own words, not always the nav's). */
const TITLES: Record<string, MessageKey> = {
  "/app": "overview.title",
  "/app/members": "members.title",
  "/app/follow-ups": "followUps.title",
  "/app/flows": "flows.title",
  "/app/messages": "care.messages.title",
  "/app/anomalies": "care.anomalies.title",
  "/app/campaigns": "campaigns.title",
  "/app/tiers": "tiers.title",
  "/app/gifts": "gifts.title",
  "/app/results": "results.title",
  "/app/staff": "staff.title",
  "/app/settings": "settings.title",
  "/app/care-settings": "care.settings.title",
  "/app/rewards/settings": "rewards.settings.title",
  "/app/status": "status.title",
};

let simulated: Awaited<ReturnType<typeof startSimulatedShop>>;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  const now = new Date();
  simulated = await startSimulatedShop({ shop, name: "Title Tea", now });
  const email = "lan@example.com";
  const customer = simulated.simulator.state.addCustomer(shop, { firstName: buyer.first, lastName: buyer.last, email });
  const order = orderPayload({ id: "7600001", customerId: customer.id, email, subtotal: "240.00", createdAt: new Date(now.getTime() - 12 * 86_400_000).toISOString() });
  await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify({ ...order, customer: { ...(order.customer as object), first_name: buyer.first, last_name: buyer.last } }) }, now);
  await saveProgram(shop, starterProgram(), "now", now);
  const saved = await saveCampaign(shop, null, { name: campaignName, channel: "email", content: { en: { subject: "Harvest", body: "New tea." } }, audience: {}, sendOn: null, sendHour: 10, holdoutPercent: 10 }, null, now);
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  embedded = await startEmbeddedApp({ shop, worker: false });
  ({ frame } = embedded);
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
  await simulated?.close();
});

const path = (page: Page) => new URL(page.url()).pathname;

describe.each([["en"], ["zh-CN"]] as [Locale][])("title bars in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  let watched: WatchedPage;
  let appFrame: FrameLocator;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
  });
  afterAll(() => watched?.close());

  /** The page at `url` shows `title` in the admin's title bar; a page that fails says why. */
  async function expectTitle(page: Page, url: string, title: string) {
    await expect.poll(() => path(page), { message: `${url}: ${watched.problems.join("\n")}` }).toBe(url);
    await pageTitle(page, title).waitFor({ timeout: 15_000 });
  }

  it("shows every page of the navigation under its title in the admin's title bar", { timeout: 240_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app?locale=${locale}`);
    const pages = NAV_GROUPS.flatMap((group) => group.pages.map((entry) => entry.to));
    // A page added to the navigation must be given its title here.
    expect(pages.filter((to) => !(to in TITLES))).toEqual([]);
    await expectTitle(page, "/app", t(TITLES["/app"]!));
    for (const group of NAV_GROUPS.filter((entry) => !entry.home)) {
      await sidebarLink(page, t(group.label)).click();
      await expectTitle(page, group.pages[0].to, t(TITLES[group.pages[0].to]!));
      for (const entry of group.pages.slice(1)) {
        await groupTab(appFrame, t(entry.label)).click();
        await expectTitle(page, entry.to, t(TITLES[entry.to]!));
      }
    }
    await requestsSettled(watched);
    await expectNoProblems(watched);
  });

  it("shows the pages reached from the lists under theirs, with a breadcrumb back", { timeout: 180_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app/members?locale=${locale}`);
    await pageTitle(page, t("members.title")).waitFor();
    await appFrame.getByRole("link", { name: `${buyer.first} ${buyer.last}`, exact: true }).click();
    await pageTitle(page, `${buyer.first} ${buyer.last}`).waitFor();
    await titleBarButton(page, t("members.title")).click();
    await expectTitle(page, "/app/members", t("members.title"));

    await sidebarLink(page, t("nav.care")).click();
    await expectTitle(page, "/app/flows", t("flows.title"));
    await appFrame.locator("#flows-list").getByRole("link", { name: t("results.flow.winBack"), exact: true }).click();
    await expectTitle(page, "/app/flows/winBack", t("results.flow.winBack"));
    await titleBarButton(page, t("flows.title")).click();
    await expectTitle(page, "/app/flows", t("flows.title"));

    await sidebarLink(page, t("nav.campaigns")).click();
    await expectTitle(page, "/app/campaigns", t("campaigns.title"));
    await titleBarButton(page, t("campaigns.create")).click();
    await expectTitle(page, "/app/campaigns/new", t("campaigns.new"));
    await titleBarButton(page, t("campaigns.title")).click();
    await expectTitle(page, "/app/campaigns", t("campaigns.title"));
    await appFrame.getByRole("link", { name: campaignName, exact: true }).click();
    await pageTitle(page, campaignName).waitFor();
    await titleBarButton(page, t("campaigns.action.schedule")).waitFor();
    await requestsSettled(watched);
    await expectNoProblems(watched);
  });

  it("says what fills a list that has nothing yet: gifts, results, staff", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app/gifts?locale=${locale}`);
    await pageTitle(page, t("gifts.title")).waitFor();
    await appFrame.getByText(t("gifts.empty.heading"), { exact: true }).waitFor();
    // The empty state's own action starts a gift: the cursor in the form's first field.
    await appFrame.getByRole("button", { name: t("gifts.form.add"), exact: true }).first().click();
    await expect.poll(() => appFrame.getByLabel(t("gifts.field.name"), { exact: true }).evaluate((input) => input === document.activeElement)).toBe(true);

    await page.goto(`${frame.url}/app/results?locale=${locale}`);
    await pageTitle(page, t("results.title")).waitFor();
    await appFrame.getByText(t("results.empty"), { exact: true }).waitFor();
    await appFrame.getByText(t("results.emptyBody"), { exact: true }).waitFor();

    await page.goto(`${frame.url}/app/staff?locale=${locale}`);
    await pageTitle(page, t("staff.title")).waitFor();
    await appFrame.locator("#staff-leaderboard").getByText(t("staff.emptyPeriod"), { exact: true }).waitFor();
    await appFrame.locator("#location-leaderboard").getByText(t("staff.noLocations"), { exact: true }).waitFor();
    await requestsSettled(watched);
    await expectNoProblems(watched);
  });
});
