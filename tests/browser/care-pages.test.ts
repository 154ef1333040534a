// The Anomalies, Messages log and Care settings pages (issue 8) in a real
// browser (Debian's chromium through playwright-core) inside the local admin
// frame, in English and Simplified Chinese: each reached from the sidebar; a
// failed parcel shown with its kind, order and customer; the log with reasons
// in words, a filter, and a message's decisions opened; a cap out of range
// refused on its field and a good one saved. No console error, uncaught
// exception or failed request beyond the deliberate 422; full-page
// screenshots go to artifacts/screenshots/.
import type { Browser, FrameLocator } from "playwright-core";
import db from "~/db.server";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { logDecisions, planMessages, type PlannedMessage } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { detectAnomalies } from "~/services/anomalies.server";
import type { AdminFrame } from "../../tools/admin-frame";
import { installShop } from "../support/session-token";
import { adminText, openFromNav, pageTitle, saveBar, toast } from "./admin-chrome";
import { expectNoProblems, launchChromium, openWatchedPage, screenshot, startEmbeddedApp, type WatchedPage } from "./support";

const shop = "care-pages-browser.myshopify.com";
const DAY = 86_400_000;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

const message = (
  key: string,
  over: Partial<PlannedMessage> = {}
): PlannedMessage => ({
  customerShopifyId: "601",
  idempotencyKey: key,
  source: "flow",
  sourceId: "postDelivery",
  step: "deliveryCheck",
  channel: "email",
  messageClass: "transactional",
  priority: 10,
  orderShopifyId: "9600",
  variables: {},
  plannedAt: new Date(Date.now() - DAY),
  expiresAt: new Date(Date.now() + 5 * DAY),
  ...over,
});

beforeAll(async () => {
  browser = await launchChromium();
  await installShop(shop);
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  await saveShopSettings(
    shop,
    {
      name: "Lotus Tea House",
      ianaTimezone: "Asia/Shanghai",
      currencyCode: "CNY",
      primaryLocale: "en",
      scopes: null,
    },
    now
  );
  await db.customer.create({
    data: {
      shop,
      shopifyId: "601",
      firstName: "Mei",
      lastName: "Lin",
      email: "mei@example.com",
      locale: "en",
      lastOrderAt: ago(6),
      orderCount: 2,
    },
  });
  for (const [id, name] of [
    ["9600", "#1600"],
    ["9601", "#1601"],
  ]) {
    await db.order.create({
      data: {
        shop,
        shopifyId: id,
        customerShopifyId: "601",
        name,
        shopifyCreatedAt: ago(6),
        processedAt: ago(6),
        shopifyUpdatedAt: ago(6),
        currencyCode: "CNY",
        subtotalMinor: 12_800,
        totalMinor: 12_800,
        totalDiscountsMinor: 0,
      },
    });
  }
  // Order #1601's parcel failed yesterday.
  await db.fulfillment.create({
    data: {
      shop,
      shopifyId: "6601",
      orderShopifyId: "9601",
      status: "success",
      trackingCompany: "SF Express",
      trackingNumber: "SF2002",
      shopifyCreatedAt: ago(5),
      lastEventAt: ago(1),
      lastEventStatus: "failure",
    },
  });
  await detectAnomalies(shop, now);
  // The log: one sent, one deferred by quiet hours (with its decision), one blocked.
  await planMessages(
    shop,
    [
      message("sent"),
      message("deferred", { step: "usageTips" }),
      message("blocked", {
        sourceId: "winBack",
        step: "atRisk",
        messageClass: "marketing",
      }),
    ],
    ago(2)
  );
  const rows = await db.message.findMany({ where: { shop } });
  const id = (key: string) =>
    rows.find((row) => row.idempotencyKey === key)!.id;
  await db.message.update({
    where: { id: id("sent") },
    data: {
      status: "sent",
      sentAt: ago(0.5),
      lastReason: "providerAccepted",
      updatedAt: ago(0.5),
    },
  });
  await db.message.update({
    where: { id: id("deferred") },
    data: {
      status: "deferred",
      lastReason: "quietHours",
      availableAt: new Date(now.getTime() + 0.4 * DAY),
      updatedAt: ago(0.3),
    },
  });
  await db.message.update({
    where: { id: id("blocked") },
    data: { status: "blocked", lastReason: "noConsent", updatedAt: ago(0.2) },
  });
  await logDecisions(
    shop,
    [
      {
        messageId: id("deferred"),
        customerShopifyId: "601",
        decision: "deferred",
        reason: "quietHours",
        detail: {},
      },
    ],
    ago(0.3)
  );

  embedded = await startEmbeddedApp({ shop, worker: false });
  ({ frame } = embedded);
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
});

const heading = (appFrame: FrameLocator, name: string) =>
  appFrame.getByRole("heading", { level: 1, name, exact: true });


describe.each([["en"], ["zh-CN"]] as [Locale][])(
  "care pages in %s",
  (locale) => {
    const t = (key: MessageKey, vars?: Record<string, string | number>) =>
      translate(locale, key, vars);
    let watched: WatchedPage;
    let appFrame: FrameLocator;

    beforeAll(async () => {
      watched = await openWatchedPage(browser, { locale });
      appFrame = watched.page.frameLocator("#app-iframe");
    });
    afterAll(() => watched?.close());

    it(
      "shows the failed parcel on Anomalies, from the sidebar",
      { timeout: 120_000 },
      async () => {
        const { page } = watched;
        await page.goto(`${frame.url}/app?locale=${locale}`);
        // Under the sidebar's Care entry since the nav has seven entries (issue 20).
        await openFromNav(page, appFrame, t("nav.care"), t("nav.anomalies"));
        await heading(appFrame, t("care.anomalies.title")).waitFor();
        await appFrame
          .getByText(t("care.anomalies.kind.failure"), { exact: true })
          .waitFor();
        await appFrame
          .getByText(t("care.anomalies.order", { name: "#1601" }), {
            exact: true,
          })
          .waitFor();
        await appFrame
          .getByRole("link", { name: "Mei Lin", exact: true })
          .waitFor();
        // Resolving is a bulk action on the selected shipments (issue 20):
        // selecting the row brings it up (tests/browser/lists.test.ts confirms one).
        await appFrame
          .locator("tr", { hasText: t("care.anomalies.order", { name: "#1601" }) })
          .getByRole("checkbox")
          .check({ force: true });
        await appFrame
          .getByRole("button", {
            name: t("care.anomalies.resolve"),
            exact: true,
          })
          .waitFor();
        await expectNoProblems(watched);
        await screenshot(page, `${locale}-anomalies`);
      }
    );

    it(
      "shows the Messages log with reasons in words, filters it and opens a message's decisions on its row",
      { timeout: 120_000 },
      async () => {
        const { page } = watched;
        // Messages is a page of the Care group: its tab above the page (the sidebar holds the groups).
        await appFrame
          .locator("nav[aria-label]")
          .getByRole("link", { name: t("care.messages.title"), exact: true })
          .click();
        // The title is in the admin's title bar (App Bridge TitleBar).
        await page
          .locator("#title-bar")
          .getByRole("heading", { level: 1, name: t("care.messages.title"), exact: true })
          .waitFor();
        await appFrame
          .getByText(t("care.reason.noConsent"), { exact: true })
          .waitFor();
        await appFrame
          .getByText(t("care.reason.quietHours"), { exact: true })
          .waitFor();
        await appFrame
          .getByText(t("care.reason.providerAccepted"), { exact: true })
          .waitFor();
        await expectNoProblems(watched);
        await screenshot(page, `${locale}-messages`);

        // The "Waiting" view: only the deferred message is left.
        await appFrame
          .getByRole("tab", { name: t("care.messages.view.waiting") })
          .click();
        await appFrame
          .getByText(t("care.reason.noConsent"), { exact: true })
          .waitFor({ state: "detached" });
        const source = `${t("results.flow.postDelivery")} · ${t("flows.step.usageTips")}`;
        await appFrame
          .getByRole("button", {
            name: t("care.messages.whyLabel", { customer: "Mei Lin", source }),
            exact: true,
          })
          .click();
        await appFrame
          .getByRole("heading", {
            name: t("care.messages.decisionsFor", { customer: "Mei Lin", source }),
            exact: true,
          })
          .waitFor();
        await appFrame
          .getByText(
            new RegExp(
              `${t("care.decision.deferred")} · ${t("care.reason.quietHours")}`
            )
          )
          .waitFor();
        await expectNoProblems(watched);
        await screenshot(page, `${locale}-messages-decisions`);
      }
    );

    it(
      "refuses a cap out of range on its field in Care settings, then saves a good one",
      { timeout: 120_000 },
      async () => {
        const { page } = watched;
        await openFromNav(page, appFrame, t("nav.settings"), t("nav.careSettings"));
        // The title is in the admin's title bar; the form saves through the save bar and says so in a toast.
        await pageTitle(page, t("care.settings.title")).waitFor();
        const bar = saveBar(page, locale);
        const cap = appFrame
          .getByLabel(t("care.settings.caps.messages"), { exact: true })
          .first();
        await cap.fill("0");
        await bar.getByRole("button", { name: adminText(locale).save, exact: true }).click();
        await appFrame
          .getByText(
            t("care.settings.errors.wholeRange", { min: 1, max: 100 }),
            { exact: true }
          )
          .waitFor();
        await appFrame
          .getByText(t("care.settings.fixErrors"), { exact: true })
          .waitFor();
        await screenshot(page, `${locale}-care-settings-refused`);
        // A value other than the one saved (the English run saved 2): the save bar shows only for a change.
        const good = locale === "en" ? 2 : 3;
        await cap.fill(String(good));
        await bar.getByRole("button", { name: adminText(locale).save, exact: true }).click();
        await toast(page, t("care.settings.saved")).waitFor();
        await bar.waitFor({ state: "hidden" });
        // The refused save answered 422 on purpose: only that may show as a failed request.
        const refused = (problem: string) =>
          (problem.startsWith("HTTP 422") &&
            problem.includes("/app/care-settings")) ||
          (problem.startsWith("console error") &&
            problem.includes("status of 422"));
        watched.problems.splice(
          0,
          watched.problems.length,
          ...watched.problems.filter((problem) => !refused(problem))
        );
        await expectNoProblems(watched);
        await screenshot(page, `${locale}-care-settings`);
        expect(
          JSON.parse(
            (await db.shop.findUniqueOrThrow({ where: { shop } })).careSettings!
          ).caps[0]
        ).toEqual({ messages: good, hours: 72 });
      }
    );
  }
);
