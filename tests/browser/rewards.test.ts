// Staff rewards (issue 10) in a real browser inside the local admin frame, in
// English and Simplified Chinese: on a member's page the staff member issues a
// 15% code with a reason, sees the code and its expiry, and finds it in the
// store simulator for that customer only; a second reward to the same customer
// is refused with the limit's message (the one 422 the page may show); the
// reward limits page is a link away; each answer is also a toast in the
// admin. The customer file on the same page saves through the save bar (a
// toast, then the bar gone), Discard puts the saved value back, and leaving
// with an edit asks first. No console error or failed request otherwise, and
// screenshots to artifacts/screenshots/.
import type { Browser, FrameLocator } from "playwright-core";
import db from "~/db.server";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { projectInboxEvent } from "~/services/projectors.server";
import type { AdminFrame } from "../../tools/admin-frame";
import type { StoreSimulator } from "../../tools/simulator/admin-api";
import { customerPayload } from "../support/payloads";
import { adminText, groupTab, leaveDialog, pageTitle, saveBar, sidebarLink, toast } from "./admin-chrome";
import { expectNoProblems, requestsSettled, launchChromium, openWatchedPage, screenshot, startEmbeddedApp, startSimulatedShop, type WatchedPage } from "./support";

const shop = "reward-house.myshopify.com";

let simulator: StoreSimulator;
let simulated: Awaited<ReturnType<typeof startSimulatedShop>>;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;
const customers: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchChromium();
  const now = new Date();
  simulated = await startSimulatedShop({ shop, name: "Reward House", now });
  ({ simulator } = simulated);
  for (const [locale, name] of [["en", "Ava"], ["zh-CN", "Lin"]]) {
    const id = simulator.state.addCustomer(shop, { firstName: name, lastName: "Member", email: `${name.toLowerCase()}@example.com` }).id;
    const body = { ...customerPayload({ id, email: `${name.toLowerCase()}@example.com`, locale: "en" }), first_name: name, last_name: "Member" };
    await projectInboxEvent({ shop, topic: "customers/create", body: JSON.stringify(body) }, now);
    customers[locale] = id;
  }
  embedded = await startEmbeddedApp({ shop });
  ({ frame } = embedded);
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
  await simulated?.close();
});

describe.each([["en"], ["zh-CN"]] as [Locale][])("issuing a reward in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  let watched: WatchedPage;
  let appFrame: FrameLocator;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
  });
  afterAll(() => watched?.close());

  it("issues a code from the member page, shows it, and refuses a second one over the customer's limit", { timeout: 120_000 }, async () => {
    const { page } = watched;
    const customer = customers[locale];
    await page.goto(`${frame.url}/app/members/${customer}?locale=${locale}`);
    await appFrame.getByRole("heading", { name: t("rewards.heading"), exact: true }).waitFor();
    await appFrame.getByText(t("rewards.none"), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-member-rewards`);

    await appFrame.getByLabel(t("rewards.field.percent", { max: 20 }), { exact: true }).fill("15");
    await appFrame.getByLabel(t("rewards.field.reason"), { exact: true }).fill("Parcel arrived late");
    await appFrame.getByRole("button", { name: t("rewards.submit"), exact: true }).click();
    const issued = appFrame.locator("#reward-issued-code");
    await issued.waitFor();
    const [discount] = [...simulator.state.shop(shop).codeDiscounts.values()].filter((each) => each.customerIds?.includes(customer));
    expect(discount).toMatchObject({ customerIds: [customer], value: { percentage: 0.15 }, usageLimit: 1, appliesOncePerCustomer: true });
    await appFrame.getByText(t("rewards.issued.code", { code: discount.code }), { exact: true }).waitFor();
    await toast(page, t("rewards.issued.code", { code: discount.code })).waitFor();
    expect(await issued.innerText()).toContain("15%");
    await appFrame.locator("tr", { hasText: discount.code }).getByText(t("rewards.status.issued"), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-member-reward-issued`);

    // One reward per customer in 90 days by default: the second is refused with the limit's words.
    await appFrame.getByLabel(t("rewards.field.reason"), { exact: true }).fill("Another one");
    await appFrame.getByRole("button", { name: t("rewards.submit"), exact: true }).click();
    await appFrame.getByText(t("rewards.refused"), { exact: true }).waitFor();
    await toast(page, t("rewards.refused")).waitFor();
    // "Customer limit reached: ..." up to its colon, whichever the language's colon is.
    expect(await appFrame.locator("#reward-limit").innerText()).toContain(t("rewards.limit.customer", { limit: 1, days: 90, used: 1, next: "" }).split(/[:：]/)[0]);
    await requestsSettled(watched);
    const refused = watched.problems.filter((problem) => problem.includes("422") && problem.includes("/reward"));
    expect(refused.filter((problem) => problem.startsWith("HTTP 422"))).toHaveLength(1);
    watched.problems.splice(0, watched.problems.length, ...watched.problems.filter((problem) => !refused.includes(problem)));
    await expectNoProblems(watched);
    expect([...simulator.state.shop(shop).codeDiscounts.values()].filter((each) => each.customerIds?.includes(customer))).toHaveLength(1);
    await screenshot(page, `${locale}-member-reward-refused`);

    // The limits are one link away, with their ranges and defaults.
    await appFrame.getByRole("link", { name: t("rewards.settingsLink"), exact: true }).click();
    // Its title is in the admin's title bar (App Bridge's TitleBar); it is also under Settings in the sidebar (issue 20).
    await pageTitle(page, t("rewards.settings.title")).waitFor();
    await groupTab(appFrame, t("nav.rewardLimits")).waitFor();
    await appFrame.getByLabel(t("rewards.settings.staffPerMonth"), { exact: true }).waitFor();
    await appFrame.getByText(t("settings.range", { min: 1, max: 100, default: 1 }), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-reward-settings`);
  });

  it("saves the member's customer file with the save bar, discards an edit, and asks before leaving one", { timeout: 120_000 }, async () => {
    const { page } = watched;
    const admin = adminText(locale);
    const customer = customers[locale];
    await page.goto(`${frame.url}/app/members/${customer}?locale=${locale}`);
    await appFrame.getByRole("heading", { name: t("customerFile.heading"), exact: true }).waitFor();
    const bar = saveBar(page, locale);
    const occupation = appFrame.getByLabel(t("customerFile.field.occupation"), { exact: true });
    expect(await bar.isVisible()).toBe(false);

    await occupation.fill("Architect");
    await bar.waitFor();
    await bar.getByRole("button", { name: admin.discard, exact: true }).click();
    await bar.waitFor({ state: "hidden" });
    expect(await occupation.inputValue()).toBe("");

    // Leaving with the edit asks; staying keeps it.
    await occupation.fill("Architect");
    await bar.waitFor();
    await sidebarLink(page, t("nav.members")).click();
    await leaveDialog(page, locale).getByRole("button", { name: admin.stay, exact: true }).click();
    await leaveDialog(page, locale).waitFor({ state: "hidden" });
    expect(await occupation.inputValue()).toBe("Architect");

    await bar.getByRole("button", { name: admin.save, exact: true }).click();
    await toast(page, t("customerFile.saved")).waitFor();
    await bar.waitFor({ state: "hidden" });
    expect((await db.customerFile.findFirstOrThrow({ where: { shop, customerShopifyId: customer } })).occupation).toBe("Architect");
    await requestsSettled(watched);
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-member-file-saved`, { fullPage: false });
  });
});
