// Shopify's patterns in the admin (issue 20), in a real browser inside the local
// admin frame, in English and Simplified Chinese, as a merchant meets them:
// the sidebar has at most seven entries and every page it used to list is still
// reached through an entry and its tabs; editing the tier program shows the save
// bar, Discard restores, leaving asks first, Save saves and says so in a toast;
// removing a tier asks in a modal and keeping it keeps it; the Status page shows
// the webhook inbox and the background jobs.
import type { Browser, FrameLocator, Page } from "playwright-core";
import db from "~/db.server";
import { starterProgram } from "~/domain/tiers";
import { formatNumber, translate, type Locale, type MessageKey } from "~/i18n";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveProgram } from "~/services/tiers.server";
import type { AdminFrame } from "../../tools/admin-frame";
import { sendWebhook } from "../../tools/simulator/webhooks";
import { customerPayload, orderPayload } from "../support/payloads";
import { adminText, dialog, groupTab, leaveDialog, pageTitle, saveBar, sidebarLink, titleBarButton, toast } from "./admin-chrome";
import { expectNoProblems, launchChromium, openWatchedPage, requestsSettled, screenshot, startEmbeddedApp, startSimulatedShop, type WatchedPage } from "./support";

const shop = "pattern-tea.myshopify.com";
const spends = [1280, 760, 420, 240, 95];

let simulated: Awaited<ReturnType<typeof startSimulatedShop>>;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  const now = new Date();
  simulated = await startSimulatedShop({ shop, name: "Pattern Tea", now });
  for (const [i, spend] of spends.entries()) {
    const email = `buyer${i}@example.com`;
    const customer = simulated.simulator.state.addCustomer(shop, { firstName: `Buyer${i}`, lastName: "Tea", email });
    const order = orderPayload({ id: String(7_300_000 + i), customerId: customer.id, email, subtotal: spend.toFixed(2), createdAt: new Date(now.getTime() - (10 + i) * 86_400_000).toISOString() });
    await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify(order) }, now);
  }
  await saveProgram(shop, starterProgram(), "now", now);
  embedded = await startEmbeddedApp({ shop, worker: true });
  ({ frame } = embedded);
  // Two customer updates reach the app as Shopify sends them, for the Status page's inbox.
  for (const [i, id] of ["7400001", "7400002"].entries()) {
    const response = await sendWebhook(embedded.app.url, { topic: "customers/update", shop, body: customerPayload({ id, email: `update${i}@example.com`, locale: "en" }), webhookId: `pattern-${id}` });
    expect(response.status).toBe(200);
  }
  // The worker applies them in the background: the Status page is opened once it has.
  for (const until = Date.now() + 60_000; (await db.inboxEvent.count({ where: { shop, status: "done" } })) < 2; ) {
    if (Date.now() > until) throw new Error("the worker did not apply the two customer updates within a minute");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
  await simulated?.close();
});

// Every page the thirteen-entry sidebar listed before issue 20, and the pages it did not (reward limits, Status), by the group that now holds them.
const GROUPS: Array<{ entry: MessageKey; tabs: Array<[MessageKey, string]> }> = [
  { entry: "nav.members", tabs: [["nav.members", "/app/members"], ["nav.followUps", "/app/follow-ups"]] },
  { entry: "nav.care", tabs: [["nav.flows", "/app/flows"], ["nav.messages", "/app/messages"], ["nav.anomalies", "/app/anomalies"]] },
  { entry: "nav.campaigns", tabs: [["nav.campaigns", "/app/campaigns"]] },
  { entry: "nav.tiers", tabs: [["nav.tiers", "/app/tiers"], ["nav.gifts", "/app/gifts"]] },
  { entry: "nav.results", tabs: [["nav.results", "/app/results"], ["nav.staff", "/app/staff"]] },
  { entry: "nav.settings", tabs: [["nav.settingsGeneral", "/app/settings"], ["nav.careSettings", "/app/care-settings"], ["nav.rewardLimits", "/app/rewards/settings"], ["nav.status", "/app/status"]] },
];

const path = (page: Page) => new URL(page.url()).pathname;

describe.each([["en"], ["zh-CN"]] as [Locale][])("Shopify's patterns in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  const admin = adminText(locale);
  let watched: WatchedPage;
  let appFrame: FrameLocator;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
  });
  // Each case starts from the admin's home, as a merchant opening the app.
  beforeEach(async () => {
    // What an earlier case ran into is reported by that case; its last requests end before the page is left (leaving would abort them).
    await requestsSettled(watched);
    watched.problems.splice(0);
    await watched.page.goto(`${frame.url}/app?locale=${locale}`);
    await sidebarLink(watched.page, t("nav.members")).waitFor();
  });
  afterAll(() => watched?.close());

  it("has at most seven entries in the sidebar, and every former page behind an entry and its tabs", { timeout: 240_000 }, async () => {
    const { page } = watched;
    await sidebarLink(page, t("nav.members")).waitFor();
    // The app's name (home) and the entries under it.
    const entries = await page.locator("#app-nav a").allInnerTexts();
    expect(entries.length + 1).toBeLessThanOrEqual(7);
    expect(entries).toEqual(GROUPS.map((group) => t(group.entry)));
    for (const group of GROUPS) {
      await sidebarLink(page, t(group.entry)).click();
      await expect.poll(() => path(page), { message: `${group.tabs[0][1]}: ${watched.problems.join("\n")}` }).toBe(group.tabs[0][1]);
      if (group.tabs.length === 1) continue;
      for (const [label, url] of group.tabs) {
        const tab = groupTab(appFrame, t(label));
        await tab.click();
        // A page that fails to load names why (its console errors and failed requests).
        await expect.poll(() => path(page), { message: `${url}: ${watched.problems.join("\n")}` }).toBe(url);
        await expect.poll(() => groupTab(appFrame, t(label)).getAttribute("aria-current")).toBe("page");
      }
    }
    await expectNoProblems(watched);
  });

  it("shows the save bar while the tier program is edited: Discard restores, leaving asks, Save saves with a toast", { timeout: 180_000 }, async () => {
    const { page } = watched;
    await sidebarLink(page, t("nav.tiers")).click();
    await pageTitle(page, t("tiers.title")).waitFor();
    await titleBarButton(page, t("tiers.editor.preview")).waitFor();
    const bar = saveBar(page, locale);
    expect(await bar.isVisible()).toBe(false);

    // The editor lists the starter tiers in order: Member, Silver, Gold, Platinum.
    const goldSpend = appFrame.getByLabel(t("tiers.editor.minSpend"), { exact: true }).nth(2);
    const saved = await goldSpend.inputValue();
    const edited = String(Number(saved) - 50);
    await goldSpend.fill(edited);
    await bar.waitFor();
    await screenshot(page, `${locale}-tiers-save-bar`, { fullPage: false });
    await bar.getByRole("button", { name: admin.discard, exact: true }).click();
    await bar.waitFor({ state: "hidden" });
    expect(await goldSpend.inputValue()).toBe(saved);

    // Leaving with unsaved changes asks; staying keeps the edit.
    await goldSpend.fill(edited);
    await bar.waitFor();
    await sidebarLink(page, t("nav.members")).click();
    await leaveDialog(page, locale).getByRole("button", { name: admin.stay, exact: true }).click();
    await leaveDialog(page, locale).waitFor({ state: "hidden" });
    expect(path(page)).toBe("/app/tiers");
    expect(await goldSpend.inputValue()).toBe(edited);
    // A link inside the app asks too (the tabs above the page).
    await groupTab(appFrame, t("nav.gifts")).click();
    await leaveDialog(page, locale).getByRole("button", { name: admin.stay, exact: true }).click();
    expect(path(page)).toBe("/app/tiers");
    await sidebarLink(page, t("nav.members")).click();
    await leaveDialog(page, locale).getByRole("button", { name: admin.leave, exact: true }).click();
    await expect.poll(() => path(page)).toBe("/app/members");
    await bar.waitFor({ state: "hidden" });

    // Back on Tiers nothing was saved; this time Save.
    await sidebarLink(page, t("nav.tiers")).click();
    await pageTitle(page, t("tiers.title")).waitFor();
    expect(await goldSpend.inputValue()).toBe(saved);
    await goldSpend.fill(edited);
    // Saving places every customer of the shop again (the five buyers and the two the webhooks brought).
    const members = await db.customer.count({ where: { shop } });
    await bar.getByRole("button", { name: admin.save, exact: true }).click();
    await toast(page, t("tiers.editor.saved", { count: formatNumber(members, locale) })).waitFor();
    await bar.waitFor({ state: "hidden" });
    await screenshot(page, `${locale}-tiers-saved-toast`, { fullPage: false });
    await page.reload();
    await expect.poll(() => appFrame.getByLabel(t("tiers.editor.minSpend"), { exact: true }).nth(2).inputValue()).toBe(edited);
    await expectNoProblems(watched);
  });

  it("asks in a modal before removing a tier; keeping it keeps it, removing it waits for Save", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await sidebarLink(page, t("nav.tiers")).click();
    await pageTitle(page, t("tiers.title")).waitFor();
    const removeButtons = appFrame.getByRole("button", { name: t("tiers.editor.remove"), exact: true });
    await expect.poll(() => removeButtons.count()).toBe(4);
    const platinum = starterProgram().tiers.find((tier) => tier.name.en === "Platinum")!.name[locale];
    const modal = dialog(page, t("tiers.remove.title", { name: platinum }));
    await removeButtons.nth(3).click();
    await modal.waitFor();
    expect(await modal.getAttribute("aria-modal")).toBe("true");
    await modal.getByText(t("tiers.remove.body", { name: platinum, count: formatNumber(1, locale) })).waitFor();
    await screenshot(page, `${locale}-tiers-remove-modal`, { fullPage: false });
    await modal.getByRole("button", { name: t("tiers.remove.keep"), exact: true }).click();
    await modal.waitFor({ state: "hidden" });
    expect(await removeButtons.count()).toBe(4);
    expect(await saveBar(page, locale).isVisible()).toBe(false);

    // Escape is "keep" too; confirming removes it from the draft only, and Discard brings it back.
    await removeButtons.nth(3).click();
    await modal.waitFor();
    await page.keyboard.press("Escape");
    await modal.waitFor({ state: "hidden" });
    expect(await removeButtons.count()).toBe(4);
    await removeButtons.nth(3).click();
    await modal.getByRole("button", { name: t("tiers.editor.remove"), exact: true }).click();
    await expect.poll(() => removeButtons.count()).toBe(3);
    await saveBar(page, locale).getByRole("button", { name: admin.discard, exact: true }).click();
    await expect.poll(() => removeButtons.count()).toBe(4);
    await expectNoProblems(watched);
  });

  it("shows the webhook inbox, failed events and the background jobs on the Status page", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await sidebarLink(page, t("nav.settings")).click();
    await groupTab(appFrame, t("nav.status")).click();
    await pageTitle(page, t("status.title")).waitFor();
    await appFrame.getByRole("heading", { name: t("overview.inbox.heading"), exact: true }).waitFor();
    // The two customer updates sent as webhooks were received and applied by the background worker.
    await appFrame.getByText(t("overview.inbox.status.done", { count: formatNumber(2, locale) }), { exact: true }).waitFor();
    await appFrame.getByText(t("overview.failed.none"), { exact: true }).waitFor();
    const jobs = appFrame.getByRole("heading", { name: t("status.jobs.heading"), exact: true });
    await jobs.waitFor();
    for (const job of ["inbox", "dispatcher", "tier-sweep"] as const) await appFrame.getByText(t(`status.jobs.name.${job}`), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-status`);
  });
});
