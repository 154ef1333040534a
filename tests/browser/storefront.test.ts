// The storefront as a shopper sees it (issue 22): the test theme page
// (tools/storefront) with MemberCare's theme app extension placed, rendered in
// Chromium for members of each tier, a guest and a Chinese storefront. What
// the page must say is worked out here from the program's rules and the
// fixture's spend (a subtraction, formatted by Intl), not read back from the
// membership value the page renders; the words are the extension's own locale
// files. With a cart (`?cart=`), the progress follows it: the cart's spend is
// the catalog's prices times the quantities, added up here. And the extension
// adds no render-blocking script.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { percentOff } from "~/i18n/glossary";
import { byRank } from "~/domain/tiers";
import { storefrontProducts, type StorefrontProduct } from "../../tools/storefront/catalog";
import { FIXTURE_PROGRAM, FIXTURE_SHOP, FIXTURE_TOTALS } from "../../tools/storefront/fixtures";
import { ASSET_PATHS, THEME_DIR } from "../../tools/storefront/page";
import { fixtureSource, startStorefrontServer, type StorefrontServer } from "../../tools/storefront/server";
import { extensionWords as words, localeWords } from "../support/theme-words";
import { expectNoProblems, launchChromium, openWatchedPage, screenshot, type WatchedPage } from "./support";

type Lang = "en" | "zh-CN";
/** The test theme's own words (its header's cart link). */
const themeWords = localeWords(THEME_DIR);
const tiers = byRank(FIXTURE_PROGRAM.tiers);
const tier = (handle: string) => tiers.find((rule) => rule.handle === handle)!;
/** The shop's prices as a shopper reads them: US dollars, shown the US way in both languages (the shop's money format). */
const dollars = (minor: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: FIXTURE_SHOP.currencyCode }).format(minor / 100);
const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, " ").trim();

let browser: Browser;
let server: StorefrontServer;
beforeAll(async () => {
  server = await startStorefrontServer({ source: await fixtureSource() });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * The whole page as one screenshot: the lazy product photos below the fold
 * loaded first, and the window as tall as the page, so the embed's launcher
 * (fixed to the window's corner) sits at the page's foot instead of over a block.
 */
async function screenshotWhole(page: Page, name: string) {
  await page.evaluate(async () => {
    const images = [...document.images];
    for (const image of images) image.loading = "eager";
    await Promise.all(images.map((image) => (image.complete ? null : new Promise((resolve) => image.addEventListener("load", resolve, { once: true })))));
  });
  await page.setViewportSize({ width: 1280, height: await page.evaluate(() => document.documentElement.scrollHeight) });
  await screenshot(page, name, { fullPage: false });
}

/** A cart of the page's products that stays under `missingMinor`: one of each in turn while one more still fits. */
function cartBelow(products: StorefrontProduct[], missingMinor: number): Map<StorefrontProduct, number> {
  const cart = new Map<StorefrontProduct, number>();
  let spend = 0;
  for (let added = true; added; ) {
    added = false;
    for (const product of products) {
      if (spend + product.price >= missingMinor) continue;
      cart.set(product, (cart.get(product) ?? 0) + 1);
      spend += product.price;
      added = true;
    }
  }
  return cart;
}
/** What the cart adds to the member's spend: the catalog's prices times the quantities (no discount, no gift card in it). */
const cartSpend = (cart: Map<StorefrontProduct, number>) => [...cart].reduce((sum, [product, quantity]) => sum + product.price * quantity, 0);
/** `?cart=` for the preview: products by handle, the first by its variant id (the server takes both). */
const cartSpec = (cart: Map<StorefrontProduct, number>) => [...cart].map(([product, quantity], index) => `${index === 0 ? product.variant_id : product.handle}:${quantity}`).join(",");

async function visit(query: string, lang: Lang, pagePath = "/"): Promise<WatchedPage & { page: Page }> {
  const watched = await openWatchedPage(browser, { locale: lang });
  await watched.page.goto(`${server.url}${pagePath}?${query}&locale=${lang}`);
  return watched;
}

describe("the storefront with MemberCare's blocks", () => {
  it("shows a Silver member their tier, discount and what more reaches Gold, in words and on the ladder", { timeout: 120_000 }, async () => {
    const watched = await visit("shopper=silver", "en");
    const { page } = watched;
    const status = page.getByRole("region", { name: words("en", "member_theme.status.heading") }).first();
    await expect.poll(() => text(status)).toContain(words("en", "member_theme.status.tier", { tier: "Silver" }));
    const statusText = await text(status);
    expect(statusText).toContain(percentOff(tier("silver").perks.discountPercent, "en"));
    // Progress in words, not only a bar: Gold's threshold less what she spent.
    const toGold = tier("gold").minNetSpendMinor! - FIXTURE_TOTALS.silver.netSpendMinor;
    expect(statusText).toContain(words("en", "member_theme.progress.spend", { amount: dollars(toGold), tier: "Gold" }));

    // The ladder: every tier by rank, hers marked for assistive technology too.
    const ladder = page.getByRole("region", { name: words("en", "member_theme.ladder.heading") });
    await expect.poll(async () => (await ladder.getByRole("heading", { level: 3 }).allInnerTexts()).map((name) => name.trim())).toEqual(tiers.map((rule) => rule.name.en));
    const current = ladder.locator('li[aria-current="true"]');
    expect(await current.count()).toBe(1);
    expect(await text(current)).toContain("Silver");
    expect(await text(current)).toContain(words("en", "member_theme.ladder.yours"));
    // Each tier's requirement as the merchant set it.
    expect(await text(ladder)).toContain(dollars(tier("platinum").minNetSpendMinor!));

    // The embed's launcher opens from the keyboard and lets the focus move on.
    const launcher = page.locator(".mc-embed summary");
    expect(await text(launcher)).toBe(words("en", "member_theme.embed.member", { tier: "Silver" }));
    await launcher.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page.locator(".mc-embed [role=region]"))).toContain(words("en", "member_theme.status.tier", { tier: "Silver" }));
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest(".mc-embed summary") === null)).toBe(true);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await expectNoProblems(watched);
    await watched.close();
  });

  it("adds no render-blocking script and stylesheets within the theme app extension's limit", { timeout: 120_000 }, async () => {
    const watched = await visit("shopper=gold", "en");
    const { page } = watched;
    await page.getByRole("region", { name: words("en", "member_theme.ladder.heading") }).waitFor();
    const report = await page.evaluate((extensionPrefix) => {
      const ours = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((entry) => new URL(entry.name).pathname.startsWith(extensionPrefix));
      const blocks = [...document.querySelectorAll(".shopify-app-block, .mc-embed")];
      return {
        resources: ours.map((entry) => ({ url: new URL(entry.name).pathname, type: entry.initiatorType, blocking: (entry as PerformanceResourceTiming & { renderBlockingStatus?: string }).renderBlockingStatus, bytes: entry.decodedBodySize })),
        scriptsInBlocks: blocks.reduce((count, element) => count + element.querySelectorAll("script").length, 0),
        blockingScripts: [...document.querySelectorAll<HTMLScriptElement>("script[src]")].filter((script) => new URL(script.src).pathname.startsWith(extensionPrefix) && !script.defer && !script.async).map((script) => script.src),
        blocks: blocks.length,
      };
    }, `${ASSET_PATHS.extension}/`);
    expect(report.blocks).toBe(3); // member status, tier ladder, the embed
    expect(report.scriptsInBlocks).toBe(0);
    expect(report.blockingScripts).toEqual([]);
    // What Chromium itself counts as render-blocking from the extension: stylesheets only, never a script.
    expect(report.resources.filter((resource) => resource.blocking === "blocking" && resource.type !== "link")).toEqual([]);
    expect(report.resources.length).toBeGreaterThan(0);
    // Theme Check's AssetSizeAppBlockCSS: an app block's stylesheet stays under 100 KB.
    for (const resource of report.resources.filter((entry) => entry.url.endsWith(".css"))) expect(resource.bytes, resource.url).toBeLessThan(100_000);
    await expectNoProblems(watched);
    await watched.close();

    // The same page without the extension loads nothing of it.
    const without = await visit("shopper=gold&blocks=0", "en");
    await without.page.getByRole("heading", { name: "Bestsellers" }).waitFor();
    expect(await without.page.locator(".mc").count()).toBe(0);
    expect(await without.page.evaluate((prefix) => performance.getEntriesByType("resource").filter((entry) => new URL(entry.name).pathname.startsWith(prefix)).length, `${ASSET_PATHS.extension}/`)).toBe(0);
    await expectNoProblems(without);
    await without.close();
  });

  it("speaks Chinese on a Chinese storefront: a Gold member on the Membership page", { timeout: 120_000 }, async () => {
    const watched = await visit("shopper=gold", "zh-CN", "/pages/membership");
    const { page } = watched;
    const gold = tier("gold").name["zh-CN"];
    const platinum = tier("platinum").name["zh-CN"];
    const status = page.getByRole("region", { name: words("zh-CN", "member_theme.status.heading") }).first();
    await expect.poll(() => text(status)).toContain(words("zh-CN", "member_theme.status.tier", { tier: gold }));
    const statusText = await text(status);
    expect(statusText).toContain(percentOff(tier("gold").perks.discountPercent, "zh-CN"));
    const toPlatinum = tier("platinum").minNetSpendMinor! - FIXTURE_TOTALS.gold.netSpendMinor;
    expect(statusText).toContain(words("zh-CN", "member_theme.progress.spend", { amount: dollars(toPlatinum), tier: platinum }));
    const ladder = page.getByRole("region", { name: words("zh-CN", "member_theme.ladder.heading") });
    await expect.poll(async () => (await ladder.getByRole("heading", { level: 3 }).allInnerTexts()).map((name) => name.trim())).toEqual(tiers.map((rule) => rule.name["zh-CN"]));
    expect(await text(ladder.locator('li[aria-current="true"]'))).toContain(gold);
    await expectNoProblems(watched);
    await watched.close();
  });

  it("follows the cart: what is still missing in this order, or that this order reaches the next tier, with the cart's count in the header, in English and Chinese", { timeout: 180_000 }, async () => {
    const products = storefrontProducts();
    const cases = [
      { lang: "en", shopper: "silver", next: "gold", pagePath: "/", screenshot: "storefront-en", at: "below" },
      { lang: "zh-CN", shopper: "gold", next: "platinum", pagePath: "/pages/membership", screenshot: "storefront-zh-CN", at: "crossing" },
    ] as const;
    for (const { lang, shopper, next, pagePath, screenshot: shot, at } of cases) {
      // What the member still needed at the last sync: the next tier's threshold less their spend in the window.
      const missing = tier(next).minNetSpendMinor! - FIXTURE_TOTALS[shopper].netSpendMinor;
      const below = cartBelow(products, missing);
      // One more of any product crosses: none fitted under the line.
      const crossing = new Map(below).set(products[0], (below.get(products[0]) ?? 0) + 1);
      expect(cartSpend(below)).toBeLessThan(missing);
      expect(cartSpend(crossing)).toBeGreaterThanOrEqual(missing);
      const nextName = tier(next).name[lang];
      for (const [cart, line] of [
        [below, words(lang, "member_theme.progress.this_order.short", { amount: dollars(missing - cartSpend(below)), tier: nextName })],
        [crossing, words(lang, "member_theme.progress.this_order.reaches", { tier: nextName })],
      ] as const) {
        const watched = await visit(`shopper=${shopper}&cart=${cartSpec(cart)}`, lang, pagePath);
        const { page } = watched;
        const status = page.getByRole("region", { name: words(lang, "member_theme.status.heading") }).first();
        await expect.poll(() => text(status)).toContain(line);
        // The synced distance gives way to the cart's line; the tier is still the one they hold.
        expect(await text(status)).not.toContain(words(lang, "member_theme.progress.spend", { amount: dollars(missing), tier: nextName }));
        expect(await text(status)).toContain(words(lang, "member_theme.status.tier", { tier: tier(shopper).name[lang] }));
        // The launcher tells the same.
        await page.locator(".mc-embed summary").click();
        await expect.poll(() => text(page.locator(".mc-embed [role=region]"))).toContain(line);
        // The header's cart: the count a shopper sees, and the words a screen reader says.
        const items = [...cart.values()].reduce((sum, quantity) => sum + quantity, 0);
        const cartLink = page.getByRole("link", { name: themeWords(lang, "general.cart.items", { count: items }) });
        expect(await text(cartLink)).toContain(String(items));
        expect(await cartLink.getAttribute("href")).toBe("/cart");
        if ((cart === below) === (at === "below")) await screenshotWhole(page, shot);
        await expectNoProblems(watched);
        await watched.close();
      }
    }
  });

  it("tells the top tier it is the top, and promises the entry tier no savings", { timeout: 120_000 }, async () => {
    const top = await visit("shopper=platinum", "en");
    const topStatus = top.page.getByRole("region", { name: words("en", "member_theme.status.heading") }).first();
    await expect.poll(() => text(topStatus)).toContain(words("en", "member_theme.progress.top"));
    expect(await text(topStatus)).toContain(percentOff(tier("platinum").perks.discountPercent, "en"));
    await expectNoProblems(top);
    await top.close();

    const entry = await visit("shopper=member", "en");
    const entryStatus = entry.page.getByRole("region", { name: words("en", "member_theme.status.heading") }).first();
    await expect.poll(() => text(entryStatus)).toContain(words("en", "member_theme.status.tier", { tier: tier("member").name.en }));
    const entryText = await text(entryStatus);
    expect(tier("member").perks.discountPercent).toBe(0);
    expect(entryText).not.toMatch(/% off/);
    const toSilver = tier("silver").minNetSpendMinor! - FIXTURE_TOTALS.member.netSpendMinor;
    expect(entryText).toContain(words("en", "member_theme.progress.spend", { amount: dollars(toSilver), tier: "Silver" }));
    await expectNoProblems(entry);
    await entry.close();
  });

  it("invites a guest to sign in or join, naming the first tier that gives a discount", { timeout: 120_000 }, async () => {
    const watched = await visit("shopper=guest", "en");
    const { page } = watched;
    const invite = page.getByRole("region", { name: words("en", "member_theme.status.guest_heading") }).first();
    await invite.waitFor();
    const inviteText = await text(invite);
    const firstDiscount = tiers.find((rule) => rule.perks.discountPercent > 0)!;
    expect(inviteText).toContain(firstDiscount.name.en);
    expect(inviteText).toContain(percentOff(firstDiscount.perks.discountPercent, "en"));
    expect(inviteText).not.toContain(words("en", "member_theme.ladder.yours"));
    expect(await invite.getByRole("link", { name: words("en", "member_theme.invite.sign_in") }).getAttribute("href")).toBe("/account/login");
    expect(await invite.getByRole("link", { name: words("en", "member_theme.invite.join") }).getAttribute("href")).toBe("/account/register");
    await expectNoProblems(watched);
    await watched.close();
  });
});
