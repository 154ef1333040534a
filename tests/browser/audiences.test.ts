// Pickers, not ids (issues 20 and 21), in a real browser inside the local
// admin frame, in English and Simplified Chinese: a new campaign's audience
// built by picking a product with App Bridge's resource picker (the frame's
// stand-in, over the demo store's catalog) and a province by name from the
// shop's own customers' addresses, the live count following each choice, then
// saved with what was picked; and a tier's birthday gift picked from the Gift
// list (only the active gifts for that occasion and tier offered) and a
// collection left out of its discount picked in the resource picker, saved
// with the save bar. Every expected count is worked out from this file's own set of
// customers. No console error or failed request; screenshots in artifacts/.
import type { Browser, FrameLocator } from "playwright-core";
import db from "~/db.server";
import { parseStoredAudience } from "~/domain/campaigns/audience";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { createGift } from "~/models/gifts.server";
import { getTierProgram } from "~/models/tiers.server";
import { ADMIN_TEXT, type AdminFrame } from "../../tools/admin-frame";
import { demoCatalog } from "../../tools/admin-frame/catalog";
import { ledgerColumns } from "../support/ledger";
import { pageTitle, titleBarButton } from "./admin-chrome";
import { expectNoProblems, launchChromium, openWatchedPage, screenshot, startEmbeddedApp, startSimulatedShop, type WatchedPage } from "./support";

const shop = "lotus-audiences.myshopify.com";
const DAY = 86_400_000;

// The product the merchant picks, and another one, both from the catalog the picker shows.
const catalog = demoCatalog();
const TEA = catalog.products.find((product) => product.title.startsWith("Green Tea"))!;
const SUNSCREEN = catalog.products.find((product) => product.title.startsWith("Sunscreen"))!;

const PLACES = [
  { countryCode: "CA", provinceCode: "ON", provinceName: "Ontario", city: "Toronto" },
  { countryCode: "CA", provinceCode: "QC", provinceName: "Quebec", city: "Montréal" },
  { countryCode: "US", provinceCode: "NY", provinceName: "New York", city: "New York" },
  { countryCode: "CN", provinceCode: "SH", provinceName: "Shanghai", city: "Shanghai" },
];

interface Fixture {
  id: string;
  place: (typeof PLACES)[number];
  subscribed: boolean;
  bought: string | null;
}
const customers: Fixture[] = Array.from({ length: 60 }, (_, i) => ({
  id: String(830_000 + i),
  place: PLACES[i % PLACES.length],
  subscribed: i % 5 !== 0,
  bought: i % 3 === 0 ? TEA.id : i % 3 === 1 ? SUNSCREEN.id : null,
}));
// Who each step should count (email campaigns count the customers email may reach).
const reachable = customers.filter((c) => c.subscribed);
const boughtTea = reachable.filter((c) => c.bought === TEA.id);
const teaInOntario = boughtTea.filter((c) => c.place.provinceCode === "ON" && c.place.countryCode === "CA");

let simulated: Awaited<ReturnType<typeof startSimulatedShop>>;
let frame: AdminFrame;
let embedded: Awaited<ReturnType<typeof startEmbeddedApp>>;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  const now = new Date();
  simulated = await startSimulatedShop({ shop, name: "Lotus Tea House", now });
  await db.customer.createMany({
    data: customers.map((c, i) => ({
      shop,
      shopifyId: c.id,
      firstName: `Mei${i}`,
      email: `aud${i}@example.com`,
      emailConsentState: c.subscribed ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
      timeZone: "UTC",
      countryCode: c.place.countryCode,
      provinceCode: c.place.provinceCode,
      provinceName: c.place.provinceName,
      city: c.place.city,
    })),
  });
  for (const [i, c] of customers.entries()) {
    if (!c.bought) continue;
    const at = new Date(now.getTime() - (10 + i) * DAY);
    await db.order.create({
      data: {
        shop,
        shopifyId: String(93_000 + i),
        customerShopifyId: c.id,
        shopifyCreatedAt: at,
        processedAt: at,
        shopifyUpdatedAt: at,
        currencyCode: "USD",
        subtotalMinor: 3_000,
        totalMinor: 3_000,
        totalDiscountsMinor: 0,
        ...ledgerColumns({ subtotalMinor: 3_000 }),
        lines: { create: [{ shop, shopifyId: String(94_000 + i), productShopifyId: c.bought, title: c.bought === TEA.id ? TEA.title : SUNSCREEN.title, quantity: 1, unitPriceMinor: 3_000 }] },
      },
    });
  }
  // The Gift list: what a birthday perk may name, and what it may not.
  const gift = (name: string, kinds: Array<"entry" | "birthday" | "surprise">, tierHandles: string[], active = true) => createGift(shop, { name, sku: null, kinds, tierHandles, costMinor: 500, active }, now);
  await gift("Jasmine tea sampler", ["birthday"], []);
  await gift("Bamboo tea scoop", ["entry"], []);
  await gift("Silk scarf", [], ["platinum"]);
  await gift("Old mug", ["birthday"], [], false);

  embedded = await startEmbeddedApp({ shop, worker: false });
  ({ frame } = embedded);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await embedded?.close();
  await simulated?.close();
});

describe.each([["en"], ["zh-CN"]] as [Locale][])("audiences and perks in %s", (locale) => {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  const matching = (count: number) => t("campaigns.audience.count", { count: new Intl.NumberFormat(locale).format(count) });
  const admin = ADMIN_TEXT[locale];
  let watched: WatchedPage;
  let appFrame: FrameLocator;

  beforeAll(async () => {
    watched = await openWatchedPage(browser, { locale });
    appFrame = watched.page.frameLocator("#app-iframe");
  });
  afterAll(() => watched?.close());

  it("builds an audience with the product picker and a province by name, counting as it goes, and saves it", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app/campaigns/new?locale=${locale}`);
    await pageTitle(page, t("campaigns.new")).waitFor();
    const count = appFrame.locator("#campaign-count");
    await count.getByText(matching(reachable.length), { exact: true }).waitFor();
    const name = `Winter tea ${locale}`;
    await appFrame.getByLabel(t("campaigns.field.name"), { exact: true }).fill(name);
    await appFrame.getByLabel(t("campaigns.content.subject"), { exact: true }).fill("Winter tea");
    await appFrame.getByLabel(t("campaigns.content.body"), { exact: true }).fill("New blends for cold days.");

    // The product, from App Bridge's resource picker (drawn by the admin, outside the app's frame).
    await appFrame.locator("#audience-products").getByRole("button", { name: t("campaigns.audience.pickProducts"), exact: true }).click();
    // The editor asks for a selection (action "select"), which the admin titles "Select products".
    const picker = page.getByRole("dialog", { name: `${admin.select} ${admin.product}` });
    await picker.getByRole("searchbox").fill("Green Tea");
    await picker.getByRole("checkbox", { name: new RegExp(TEA.title) }).check();
    await picker.getByRole("button", { name: admin.select, exact: true }).click();
    await appFrame.locator("#audience-products").getByText(TEA.title, { exact: true }).waitFor();
    await count.getByText(matching(boughtTea.length), { exact: true }).waitFor();

    // The province, by the name its addresses give, with its country in the admin's language.
    const canada = new Intl.DisplayNames([locale], { type: "region" }).of("CA")!;
    const ontario = t("campaigns.audience.placeIn", { place: "Ontario", country: canada });
    const provinces = appFrame.locator("#audience-provinces");
    await provinces.getByRole("combobox").fill("Ontario");
    await appFrame.getByRole("option", { name: t("campaigns.audience.choice", { name: ontario, count: customers.filter((c) => c.place.provinceCode === "ON").length }) }).click();
    await provinces.getByText(ontario, { exact: true }).waitFor();
    await count.getByText(matching(teaInOntario.length), { exact: true }).waitFor();
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-audience-pickers`);

    // "Save draft" is the title bar's (issue 20); the draft continues on its own page, titled by its name.
    await titleBarButton(page, t("campaigns.action.save")).click();
    await pageTitle(page, name).waitFor();
    // Reopened, the audience shows what was picked, by name.
    await appFrame.locator("#audience-products").getByText(TEA.title, { exact: true }).waitFor();
    await appFrame.locator("#audience-provinces").getByText(ontario, { exact: true }).waitFor();
    const saved = await db.campaign.findFirstOrThrow({ where: { shop, name } });
    expect(parseStoredAudience(saved.audience)).toMatchObject({ boughtProducts: [TEA.id], provinces: [{ countryCode: "CA", provinceCode: "ON" }] });
    await expectNoProblems(watched);
  });

  it("picks a tier's birthday gift from the Gift list and a collection left out of its discount, and saves them with the save bar", { timeout: 120_000 }, async () => {
    const { page } = watched;
    await page.goto(`${frame.url}/app/tiers?locale=${locale}`);
    const birthday = appFrame.getByLabel(t("tiers.editor.birthdayGift"), { exact: true });
    await birthday.first().waitFor();
    const offered = async (index: number) => (await birthday.nth(index).locator("option").allTextContents()).filter((text) => text !== t("tiers.editor.gift.none"));
    // The first tier (Member): the active birthday gifts for every tier; not the entry-only, the inactive or another tier's gift.
    expect(await offered(0)).toEqual(["Jasmine tea sampler"]);
    // Platinum also has its own.
    const platinum = (await birthday.count()) - 1;
    expect(await offered(platinum)).toEqual(["Jasmine tea sampler", "Silk scarf"]);
    // Each language saves another choice, so each save is a change the save bar offers.
    const choice = locale === "en" ? "Silk scarf" : "Jasmine tea sampler";
    await birthday.nth(platinum).selectOption({ label: choice });
    // Products of a collection left out of Platinum's discount: the collection picked, not a tag typed (picked once, in English).
    const sale = catalog.collections[0];
    const excluded = appFrame.locator(`#tier-${platinum}-excluded-collections`);
    if (locale === "en") {
      await excluded.getByRole("button", { name: t("tiers.editor.excludedCollections.pick"), exact: true }).click();
      const picker = page.getByRole("dialog", { name: `${admin.select} ${admin.collection}` });
      await picker.getByRole("checkbox", { name: new RegExp(sale.title) }).check();
      await picker.getByRole("button", { name: admin.select, exact: true }).click();
    }
    await excluded.getByText(sale.title, { exact: true }).waitFor();
    await page.getByRole("button", { name: admin.save, exact: true }).click();
    await expect.poll(async () => (await getTierProgram(shop))?.tiers.find((tier) => tier.handle === "platinum")?.perks.birthdayGift, { timeout: 30_000 }).toBe(choice);
    expect((await getTierProgram(shop))?.tiers.find((tier) => tier.handle === "platinum")?.perks.excludedCollections).toEqual([{ id: sale.id, title: sale.title }]);
    await expectNoProblems(watched);
    await screenshot(page, `${locale}-tier-gift`);
  });
});
