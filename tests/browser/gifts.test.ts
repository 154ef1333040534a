// The gift list (issue 10) in a real browser inside the local admin frame, in
// English and Simplified Chinese: reached from the sidebar, it lists the
// shop's gifts; a gift with an unreadable cost is refused with the message on
// the field (the one 422 the page may show), a good one is added to the list
// and can be deactivated; no console error or failed request otherwise, and
// screenshots to artifacts/screenshots/.
import type { Browser, FrameLocator } from "playwright-core";
import { starterProgram } from "~/domain/tiers";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { createGift } from "~/models/gifts.server";
import { saveProgram } from "~/services/tiers.server";
import type { AdminFrame } from "../../tools/admin-frame";
import { openFromNav } from "./admin-chrome";
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

  it("lists the gifts, refuses a bad cost on its field, adds a gift and deactivates it", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app?locale=${locale}`);
    // Under the sidebar's Tiers entry since the nav has seven entries (issue 20).
    await openFromNav(page, appFrame, t("nav.tiers"), t("nav.gifts"));
    await appFrame.getByRole("heading", { level: 1, name: t("gifts.title"), exact: true }).waitFor();
    expect(page.url()).toContain("/app/gifts");
    await appFrame.getByText("Jasmine tea sampler", { exact: true }).waitFor();
    await appFrame.getByText("TEA-SAMPLER", { exact: true }).waitFor();
    await appFrame.locator("tr", { hasText: "Jasmine tea sampler" }).getByText(t("gifts.kind.entry"), { exact: true }).waitFor();
    await appFrame.locator("tr", { hasText: "Bamboo tea scoop" }).getByText(t("gifts.tiers.all"), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-gifts`);

    const name = `Lotus candle ${locale}`;
    await appFrame.getByLabel(t("gifts.field.name"), { exact: true }).fill(name);
    await appFrame.getByLabel(t("gifts.field.cost"), { exact: true }).fill("three");
    await appFrame.getByRole("button", { name: t("gifts.form.add"), exact: true }).click();
    await appFrame.getByText(t("gifts.errors.cost"), { exact: true }).waitFor();
    await requestsSettled(watched);
    // The refusal is the action's 422 (the browser also logs the status), and nothing else went wrong.
    const refused = watched.problems.filter((problem) => problem.includes("422") && problem.includes("/app/gifts"));
    expect(refused.filter((problem) => problem.startsWith("HTTP 422"))).toHaveLength(1);
    watched.problems.splice(0, watched.problems.length, ...watched.problems.filter((problem) => !refused.includes(problem)));
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-gifts-error`);

    await appFrame.getByLabel(t("gifts.field.cost"), { exact: true }).fill("3.50");
    await appFrame.getByRole("button", { name: t("gifts.form.add"), exact: true }).click();
    const row = appFrame.locator("tr", { hasText: name });
    await row.waitFor();
    await row.getByText(t("gifts.status.active"), { exact: true }).waitFor();
    await row.getByRole("button", { name: t("gifts.deactivate"), exact: true }).click();
    await row.getByText(t("gifts.status.inactive"), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-gifts-added`);
  });
});
