// Saved list views (issue 20) in a real browser, inside the local admin frame,
// in English and Simplified Chinese, as a merchant uses them: on Members and
// on Follow-ups, narrow the list with a filter pill, save it as a view (the
// IndexFilters "Save as" dialog), leave the list and come back to it (its
// built-in first view shows every row again), choose the saved view's tab and
// see the same rows as when it was saved, then delete it after confirming in
// the admin's modal (App Bridge), with a toast each time. No console error or
// failed request.
import type { Browser, FrameLocator, Locator, Page } from "playwright-core";
import db from "~/db.server";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { stageName } from "~/domain/intelligence";
import { polarisTranslations } from "~/i18n/polaris";
import type { AdminFrame } from "../../tools/admin-frame";
import { dialog, pageTitle, toast } from "./admin-chrome";
import { expectNoProblems, launchChromium, openWatchedPage, startEmbeddedApp, startSimulatedShop, type WatchedPage } from "./support";

const shop = "lotus-views.myshopify.com";
const LOCALES = ["en", "zh-CN"] as const;
const NOW = new Date();
const today = NOW.toISOString().slice(0, 10);

let simulated: Awaited<ReturnType<typeof startSimulatedShop>>;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

// Per language: two members at risk, one active; two follow-ups about a parcel, one about a birthday.
const people = (locale: Locale) => {
  const tag = locale === "en" ? "En" : "Zh";
  const base = locale === "en" ? 3000 : 4000;
  return {
    atRisk: [`Ivy ${tag}`, `Jon ${tag}`],
    active: `Kai ${tag}`,
    parcels: [`Lea ${tag}`, `Max ${tag}`],
    birthday: `Nia ${tag}`,
    base,
  };
};

beforeAll(async () => {
  browser = await launchChromium();
  simulated = await startSimulatedShop({ shop, name: "Lotus Tea House", now: NOW });
  for (const locale of LOCALES) {
    const p = people(locale);
    const customers: Array<[string, string | null, string | null]> = [
      [p.atRisk[0]!, "atRisk", null],
      [p.atRisk[1]!, "atRisk", null],
      [p.active, "active", null],
      [p.parcels[0]!, null, "deliveryProblem"],
      [p.parcels[1]!, null, "deliveryProblem"],
      [p.birthday, null, "birthday"],
    ];
    for (const [index, [name, stage, reason]] of customers.entries()) {
      const [firstName, lastName] = name.split(" ");
      const shopifyId = String(p.base + index);
      await db.customer.create({ data: { shop, shopifyId, firstName, lastName, email: `${firstName!.toLowerCase()}.${lastName!.toLowerCase()}@example.com`, lifecycleStage: stage } });
      if (reason) await db.followUpTask.create({ data: { shop, customerShopifyId: shopifyId, reason, priority: 2, detail: reason === "birthday" ? JSON.stringify({ on: today }) : "{}", dueOn: today, createdAt: NOW, updatedAt: NOW } });
    }
  }
  embedded = await startEmbeddedApp({ shop, worker: false });
  ({ frame } = embedded);
});

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
  await simulated?.close();
});

describe.each(LOCALES.map((locale) => [locale]))("saved views in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  const polaris = (
    polarisTranslations[locale] as {
      Polaris: {
        IndexFilters: { searchFilterAccessibilityLabel: string; UpdateButtons: { saveAs: string; modal: { title: string; label: string; save: string } } };
        Tabs: { Tab: { rename: string }; RenameModal: { title: string; label: string; create: string } };
      };
    }
  ).Polaris;
  const p = people(locale);
  let watched: WatchedPage;
  let appFrame: FrameLocator;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
  });
  afterAll(() => watched?.close());

  /** The names in the list's rows, in order (this language's people only). */
  const rowNames = async (list: Locator, names: string[]) => {
    const texts = await list.locator("tbody tr").allInnerTexts();
    return texts.map((text) => names.find((name) => text.includes(name))).filter(Boolean);
  };
  const tab = (list: Locator, name: string) => list.getByRole("tab", { name, exact: true });

  /** Filter with a pill, save what shows as a view, and check the view's tab shows it. */
  async function saveFilteredView(page: Page, list: Locator, { filter, choice, gone, viewName }: { filter: string; choice: string; gone: string; viewName: string }) {
    await list.getByRole("button", { name: polaris.IndexFilters.searchFilterAccessibilityLabel }).click();
    await list.getByRole("button", { name: filter, exact: true }).first().click();
    await appFrame.getByLabel(choice, { exact: true }).click({ force: true });
    await list.getByRole("link", { name: gone, exact: true }).waitFor({ state: "detached" });
    // "Save as" beside the search field, while the filter bar is open (Escape would close it).
    await list.getByRole("button", { name: polaris.IndexFilters.UpdateButtons.saveAs, exact: true }).click();
    const modal = appFrame.getByRole("dialog", { name: polaris.IndexFilters.UpdateButtons.modal.title });
    await modal.getByLabel(polaris.IndexFilters.UpdateButtons.modal.label, { exact: true }).fill(viewName);
    await modal.getByRole("button", { name: polaris.IndexFilters.UpdateButtons.modal.save, exact: true }).click();
    await toast(page, t("lists.views.created")).waitFor();
    await tab(list, viewName).and(list.locator("[aria-selected=true]")).waitFor();
  }

  /** Delete the selected saved view: its tab's menu, then the admin's confirm modal. */
  async function deleteView(page: Page, list: Locator, viewName: string) {
    await tab(list, viewName).click();
    await appFrame.getByRole("button", { name: t("lists.views.delete"), exact: true }).or(appFrame.getByRole("menuitem", { name: t("lists.views.delete"), exact: true })).first().click();
    const confirm = dialog(page, t("lists.views.deleteTitle", { name: viewName }));
    await confirm.getByText(t("lists.views.deleteBody", { name: viewName })).waitFor();
    await confirm.getByRole("button", { name: t("lists.views.delete"), exact: true }).click();
    await toast(page, t("lists.views.deleted")).waitFor();
    await tab(list, viewName).waitFor({ state: "detached" });
  }

  // Each list: where it is, the filter pill and choice that narrow it, who stays, who goes, the query stored.
  const cases = [
    {
      list: "Members",
      key: "members",
      path: "/app/members",
      title: t("members.title"),
      container: "#members-list",
      filter: t("members.filter.stage"),
      choice: t(stageName("atRisk").key),
      kept: p.atRisk,
      gone: p.active,
      viewName: locale === "en" ? "Members at risk" : "流失风险会员",
      query: "stage=atRisk",
    },
    {
      list: "Follow-ups",
      key: "followUps",
      path: "/app/follow-ups",
      title: t("followUps.title"),
      container: "#follow-ups-list",
      filter: t("followUps.filter.reason"),
      choice: t("followUps.reasonName.deliveryProblem"),
      kept: p.parcels,
      gone: p.birthday,
      viewName: locale === "en" ? "Parcels" : "包裹问题",
      query: "reason=deliveryProblem",
    },
  ];

  it.each(cases)("saves a filtered $list list as a view, shows the same rows when it is chosen after a reload, renames it, and deletes it after confirming", { timeout: 180_000 }, async (view) => {
    const { page } = watched;
    const everyone = [...view.kept, view.gone];
    await page.goto(`${frame.url}${view.path}?locale=${locale}`);
    await pageTitle(page, view.title).waitFor();
    const list = appFrame.locator(view.container);
    await list.getByRole("link", { name: view.gone, exact: true }).waitFor();

    await saveFilteredView(page, list, { filter: view.filter, choice: view.choice, gone: view.gone, viewName: view.viewName });
    const saved = await rowNames(list, everyone);
    expect(saved.sort()).toEqual([...view.kept].sort());
    expect(await db.savedListView.findMany({ where: { shop, list: view.key, name: view.viewName }, select: { query: true } })).toEqual([{ query: view.query }]);

    // Back on the list another day: its first built-in view, every row; the saved view is a tab.
    await page.goto(`${frame.url}${view.path}?locale=${locale}`);
    await list.getByRole("link", { name: view.gone, exact: true }).waitFor();
    await tab(list, view.viewName).click();
    await list.getByRole("link", { name: view.gone, exact: true }).waitFor({ state: "detached" });
    expect(await rowNames(list, everyone)).toEqual(saved);

    // Renamed from its tab's menu: the same view under its new name.
    const renamed = `${view.viewName} 2`;
    await tab(list, view.viewName).click();
    await appFrame.getByRole("button", { name: polaris.Tabs.Tab.rename, exact: true }).or(appFrame.getByRole("menuitem", { name: polaris.Tabs.Tab.rename, exact: true })).first().click();
    const rename = appFrame.getByRole("dialog", { name: polaris.Tabs.RenameModal.title });
    await rename.getByLabel(polaris.Tabs.RenameModal.label, { exact: true }).fill(renamed);
    await rename.getByRole("button", { name: polaris.Tabs.RenameModal.create, exact: true }).click();
    await toast(page, t("lists.views.renamed")).waitFor();
    await tab(list, renamed).waitFor();
    expect(await db.savedListView.findMany({ where: { shop, list: view.key }, select: { name: true, query: true } })).toEqual([{ name: renamed, query: view.query }]);

    await deleteView(page, list, renamed);
    // The view shown is gone: the list is back on its first view, every row again.
    await list.getByRole("link", { name: view.gone, exact: true }).waitFor();
    expect(await db.savedListView.count({ where: { shop, list: view.key } })).toBe(0);
    await expectNoProblems(watched);
  });
});
