// The gift list (issue 10) in a real browser inside the local admin frame, in
// English and Simplified Chinese: reached from the sidebar, it lists the
// shop's gifts under the admin's title bar; a gift with an unreadable cost is
// refused with the message on the field and an error toast (the one 422 the
// page may show), a good one is added with the save bar's Save and a toast;
// deactivating asks in a modal first (keeping it keeps it); an edit shows the
// save bar and Discard restores it. No console error or failed request
// otherwise, and screenshots to artifacts/screenshots/.
import type { Browser, FrameLocator } from "playwright-core";
import db from "~/db.server";
import { starterProgram } from "~/domain/tiers";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { createGift } from "~/models/gifts.server";
import { saveProgram } from "~/services/tiers.server";
import type { AdminFrame } from "../../tools/admin-frame";
import { adminText, dialog, openFromNav, pageTitle, saveBar, titleBarButton, toast } from "./admin-chrome";
import { expectNoProblems, requestsSettled, launchChromium, openWatchedPage, screenshot, startEmbeddedApp, startSimulatedShop, type WatchedPage } from "./support";

const shop = "gift-house.myshopify.com";

let simulated: Awaited<ReturnType<typeof startSimulatedShop>>;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  const now = new Date();
  simulated = await startSimulatedShop({ shop, name: "Gift House", now });
  await saveProgram(shop, starterProgram(), "now", now);
  await createGift(shop, { name: "Jasmine tea sampler", sku: "TEA-SAMPLER", kinds: ["entry"], tierHandles: ["gold"], costMinor: 450, active: true }, now);
  await createGift(shop, { name: "Bamboo tea scoop", sku: null, kinds: [], tierHandles: [], costMinor: 120, active: true }, now);

  embedded = await startEmbeddedApp({ shop });
  ({ frame } = embedded);
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
  await simulated?.close();
});

describe.each([["en"], ["zh-CN"]] as [Locale][])("the gift list in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  let watched: WatchedPage;
  let appFrame: FrameLocator;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
  });
  afterAll(() => watched?.close());

  it("lists the gifts, refuses a bad cost on its field, adds a gift with the save bar and deactivates it after asking", { timeout: 120_000 }, async () => {
    const { page } = watched;
    const admin = adminText(locale);
    await page.goto(`${frame.url}/app?locale=${locale}`);
    // Under the sidebar's Tiers entry since the nav has seven entries (issue 20).
    await openFromNav(page, appFrame, t("nav.tiers"), t("nav.gifts"));
    await pageTitle(page, t("gifts.title")).waitFor();
    await titleBarButton(page, t("gifts.form.add")).waitFor();
    expect(page.url()).toContain("/app/gifts");
    await appFrame.getByText("Jasmine tea sampler", { exact: true }).waitFor();
    await appFrame.getByText("TEA-SAMPLER", { exact: true }).waitFor();
    await appFrame.locator("tr", { hasText: "Jasmine tea sampler" }).getByText(t("gifts.kind.entry"), { exact: true }).waitFor();
    await appFrame.locator("tr", { hasText: "Bamboo tea scoop" }).getByText(t("gifts.tiers.all"), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-gifts`);

    const name = `Lotus candle ${locale}`;
    const bar = saveBar(page, locale);
    expect(await bar.isVisible()).toBe(false);
    // The title bar's "Add gift" puts the cursor in the form's first field.
    await titleBarButton(page, t("gifts.form.add")).click();
    await expect.poll(() => appFrame.getByLabel(t("gifts.field.name"), { exact: true }).evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.type(name);
    await bar.waitFor();
    await appFrame.getByLabel(t("gifts.field.cost"), { exact: true }).fill("three");
    await appFrame.getByRole("button", { name: t("gifts.form.add"), exact: true }).click();
    await appFrame.getByText(t("gifts.errors.cost"), { exact: true }).waitFor();
    await toast(page, t("care.settings.fixErrors")).waitFor();
    // Refused, the draft stays as typed and unsaved.
    await bar.waitFor();
    await requestsSettled(watched);
    // The refusal is the action's 422 (the browser also logs the status), and nothing else went wrong.
    const refused = watched.problems.filter((problem) => problem.includes("422") && problem.includes("/app/gifts"));
    expect(refused.filter((problem) => problem.startsWith("HTTP 422"))).toHaveLength(1);
    watched.problems.splice(0, watched.problems.length, ...watched.problems.filter((problem) => !refused.includes(problem)));
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-gifts-error`);

    await appFrame.getByLabel(t("gifts.field.cost"), { exact: true }).fill("3.50");
    await bar.getByRole("button", { name: admin.save, exact: true }).click();
    await toast(page, t("gifts.toast.added")).waitFor();
    await bar.waitFor({ state: "hidden" });
    const row = appFrame.locator("tr", { hasText: name });
    await row.waitFor();
    await row.getByText(t("gifts.status.active"), { exact: true }).waitFor();
    expect(await appFrame.getByLabel(t("gifts.field.name"), { exact: true }).inputValue()).toBe("");
    await screenshot(page, `${locale}-gifts-added`);

    // Deactivating asks first; keeping it keeps it active.
    const modal = dialog(page, t("gifts.deactivateConfirm.title", { name }));
    await row.getByRole("button", { name: t("gifts.deactivate"), exact: true }).click();
    await modal.getByText(t("gifts.deactivateConfirm.body"), { exact: true }).waitFor();
    await screenshot(page, `${locale}-gifts-deactivate-modal`, { fullPage: false });
    await modal.getByRole("button", { name: t("gifts.deactivateConfirm.keep"), exact: true }).click();
    await modal.waitFor({ state: "hidden" });
    await row.getByText(t("gifts.status.active"), { exact: true }).waitFor();
    expect((await db.gift.findFirstOrThrow({ where: { shop, name } })).active).toBe(true);
    await row.getByRole("button", { name: t("gifts.deactivate"), exact: true }).click();
    await modal.getByRole("button", { name: t("gifts.deactivate"), exact: true }).click();
    await toast(page, t("gifts.toast.deactivated")).waitFor();
    await row.getByText(t("gifts.status.inactive"), { exact: true }).waitFor();
    expect((await db.gift.findFirstOrThrow({ where: { shop, name } })).active).toBe(false);

    // Editing a gift shows the save bar; Discard puts its saved name back and saves nothing.
    await appFrame.locator("tr", { hasText: "Bamboo tea scoop" }).getByRole("button", { name: t("gifts.edit"), exact: true }).click();
    const nameField = appFrame.getByLabel(t("gifts.field.name"), { exact: true });
    await expect.poll(() => nameField.inputValue()).toBe("Bamboo tea scoop");
    expect(await bar.isVisible()).toBe(false);
    await nameField.fill("Bamboo tea spoon");
    await bar.waitFor();
    await bar.getByRole("button", { name: admin.discard, exact: true }).click();
    await bar.waitFor({ state: "hidden" });
    expect(await nameField.inputValue()).toBe("Bamboo tea scoop");
    expect(await db.gift.count({ where: { shop, name: "Bamboo tea spoon" } })).toBe(0);
    await expectNoProblems(watched);
  });
});
