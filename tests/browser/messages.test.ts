// Messages and the Overview (issue 20) in a real browser inside the local admin
// frame, in English and Simplified Chinese: search the log by a customer's
// name, open the decision history on the message's own row and read why it
// went when it did, read the message's words as the customer got them (in
// the customer's language, Chinese here), and read the Overview's KPIs for a
// chosen period. No console error, uncaught exception or failed request.
import type { Browser, FrameLocator, Page } from "playwright-core";
import db from "~/db.server";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { flowNameKey } from "~/i18n/glossary";
import { polarisTranslations } from "~/i18n/polaris";
import { logDecisions, planMessages, type PlannedMessage } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import type { AdminFrame } from "../../tools/admin-frame";
import { installShop } from "../support/session-token";
import { expectNoProblems, launchChromium, openWatchedPage, screenshot, startEmbeddedApp, type WatchedPage } from "./support";

const shop = "messages-browser.myshopify.com";
const DAY = 86_400_000;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

const message = (key: string, customer: string, over: Partial<PlannedMessage> = {}): PlannedMessage => ({
  customerShopifyId: customer,
  idempotencyKey: key,
  source: "flow",
  sourceId: "postDelivery",
  step: "deliveryCheck",
  channel: "email",
  messageClass: "transactional",
  priority: 10,
  orderShopifyId: null,
  variables: { orderName: "#1600", productTitles: "乌龙茶", deliveredOn: "2026年12月1日" },
  plannedAt: new Date(Date.now() - DAY),
  expiresAt: new Date(Date.now() + 5 * DAY),
  ...over,
});

beforeAll(async () => {
  browser = await launchChromium();
  await installShop(shop);
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  await saveShopSettings(shop, { name: "Lotus Tea House", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, ago(200));
  // Mei reads Chinese; Tom English.
  await db.customer.createMany({
    data: [
      { shop, shopifyId: "701", firstName: "Mei", lastName: "Lin", email: "mei@example.com", locale: "zh-CN", orderCount: 1 },
      { shop, shopifyId: "702", firstName: "Tom", lastName: "Baker", email: "tom@example.com", locale: "en", orderCount: 1 },
    ],
  });
  // Orders as the purchase ledger left them: Mei (Gold) bought 60 days ago, Tom (in no tier) 10 days ago.
  for (const [id, customer, days, minor] of [
    ["9701", "701", 60, 12_800],
    ["9702", "702", 10, 10_000],
  ] as const) {
    await db.order.create({
      data: { shop, shopifyId: id, customerShopifyId: customer, name: `#${id}`, shopifyCreatedAt: ago(days), processedAt: ago(days), shopifyUpdatedAt: ago(days), currencyCode: "USD", subtotalMinor: minor, totalMinor: minor, totalDiscountsMinor: 0, countsAsPurchase: true, netSpendMinor: minor },
    });
  }
  await db.memberTier.create({ data: { shop, customerShopifyId: "701", tierHandle: "gold", since: ago(90) } });

  // Mei's delivery check waited for her usual hours, then went; Tom's win-back was blocked.
  await planMessages(shop, [message("mei", "701"), message("tom", "702", { sourceId: "winBack", step: "atRisk", messageClass: "marketing" })], ago(1));
  const rows = await db.message.findMany({ where: { shop } });
  const id = (key: string) => rows.find((row) => row.idempotencyKey === key)!.id;
  await db.message.update({ where: { id: id("mei") }, data: { status: "sent", sentAt: ago(0.5), lastReason: "providerAccepted", updatedAt: ago(0.5) } });
  await db.message.update({ where: { id: id("tom") }, data: { status: "blocked", lastReason: "noConsent", updatedAt: ago(0.4) } });
  await logDecisions(shop, [{ messageId: id("mei"), customerShopifyId: "701", decision: "deferred", reason: "activeHours", detail: { activeHours: { startHour: 18, hours: 3, placed: true, source: "learned", orders: 8 } } }], ago(0.9));
  await logDecisions(shop, [{ messageId: id("mei"), customerShopifyId: "701", decision: "sent", reason: "providerAccepted", detail: {} }], ago(0.5));

  embedded = await startEmbeddedApp({ shop, worker: false });
  ({ frame } = embedded);
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
});

/** A page's title: in the admin's title bar (App Bridge's TitleBar) or the app's own h1. */
const title = (page: Page, appFrame: FrameLocator, name: string) =>
  Promise.any([page.locator("#title-bar").getByRole("heading", { level: 1, name, exact: true }).waitFor(), appFrame.getByRole("heading", { level: 1, name, exact: true }).waitFor()]);

describe.each([["en"], ["zh-CN"]] as [Locale][])("Messages and the Overview in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  let watched: WatchedPage;
  let appFrame: FrameLocator;
  const meiSource = () => `${t(flowNameKey("postDelivery"))} · ${t("flows.step.deliveryCheck")}`;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
  });
  afterAll(() => watched?.close());

  it("finds a message by the customer's name and opens why it went on its own row", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app/messages?locale=${locale}`);
    await title(page, appFrame, t("care.messages.title"));
    await appFrame.getByRole("link", { name: "Tom Baker", exact: true }).waitFor();

    await appFrame.getByRole("button", { name: (polarisTranslations[locale] as { Polaris: { IndexFilters: { searchFilterAccessibilityLabel: string } } }).Polaris.IndexFilters.searchFilterAccessibilityLabel, exact: true }).click();
    await appFrame.getByPlaceholder(t("care.messages.search"), { exact: true }).fill("Mei");
    await appFrame.getByRole("link", { name: "Tom Baker", exact: true }).waitFor({ state: "detached" });
    await appFrame.getByRole("link", { name: "Mei Lin", exact: true }).waitFor();
    await appFrame.getByText(t("care.messages.count.one"), { exact: true }).waitFor();

    // "Why?" on Mei's row opens the history under it, titled with whose message it is.
    await appFrame.getByRole("button", { name: t("care.messages.whyLabel", { customer: "Mei Lin", source: meiSource() }), exact: true }).click();
    const history = appFrame.getByRole("heading", { name: t("care.messages.decisionsFor", { customer: "Mei Lin", source: meiSource() }), exact: true });
    await history.waitFor();
    await appFrame.getByText(t("care.messages.detail.activeHoursLearned", { from: "18:00", to: "21:00", orders: 8 }), { exact: false }).waitFor();
    await appFrame.getByText(new RegExp(`${t("care.decision.deferred")} · ${t("care.reason.activeHours")}`)).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-messages-why`);
  });

  it("reads the message's words as the customer got them, in her language", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await appFrame.getByRole("link", { name: t("care.messages.readLabel", { customer: "Mei Lin", source: meiSource() }), exact: true }).click();
    await title(page, appFrame, t("care.messages.words.title", { customer: "Mei Lin" }));
    // Sent before MemberCare kept a sent message's words (the seed's row has none): rendered now, and the page says so.
    await appFrame.getByText(t("care.messages.words.renderedNow.title"), { exact: true }).waitFor();
    // The delivery check's Chinese wording (Mei reads Chinese), with what the message was planned with.
    await appFrame.locator("#message-subject").getByText("您的订单 #1600 安全送达了吗？", { exact: true }).waitFor();
    // The email as HTML first, in its sandboxed frame; the text part on the tab beside it.
    await appFrame.frameLocator("#message-html").getByText("Mei，您好：", { exact: false }).waitFor();
    await appFrame.getByRole("tab", { name: t("care.messages.words.textTab"), exact: true }).click();
    const body = await appFrame.locator("#message-body").innerText();
    expect(body).toContain("Mei，您好：");
    expect(body).toContain("您购买的 乌龙茶 已于 2026年12月1日 送达。");
    expect(body).toContain("Lotus Tea House");
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-message-words`);
  });

  it("shows the program's KPIs for the period the merchant picks", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app?locale=${locale}`);
    await title(page, appFrame, t("overview.title"));
    const share = appFrame.locator("#kpi-member-share");
    // Last 30 days: only Tom, in no tier, bought.
    await share.getByText("0%", { exact: true }).waitFor();
    await appFrame.getByLabel(t("overview.period.label"), { exact: true }).selectOption("90");
    // Last 90 days: Mei's 128.00 of 228.00.
    await share.getByText(new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(128 / 228), { exact: true }).waitFor();
    await appFrame.locator("#kpi-repeat").getByText("gold", { exact: true }).waitFor();
    expect(new URL(page.frame({ name: "app-iframe" })!.url()).searchParams.get("period")).toBe("90");
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-overview-kpis`);
  });
});
