// The admin frame's App Bridge stand-in (tools/admin-frame) in a real browser,
// against a small page that uses App Bridge the way Shopify documents it (no
// Remix, no database): the admin draws the page's title bar, save bar, modals,
// toasts and the resource picker, and the merchant's clicks there reach the
// page's own buttons. The app's pages rely on all of it in the other browser
// tests; this file pins each behaviour on its own.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Frame, Page } from "playwright-core";
import { startAdminFrame, type AdminFrame } from "../../tools/admin-frame";
import { launchChromium } from "./support";

let frameUrl = "";
// `listening` false stands for a page whose JavaScript has not hydrated yet:
// nothing listens for `shopify:navigate` (AppProvider adds that in an effect).
const PAGE = (listening = true) => `<!doctype html>
<html><head><title>Fixture</title><script src="${frameUrl}/app-bridge.js" data-api-key="key"></script></head>
<body>
<script>window.log = []; ${listening ? `addEventListener("shopify:navigate", (e) => log.push("navigate " + e.target.getAttribute("href")));` : ""}</script>
<ui-nav-menu><a href="/app" rel="home">Home</a><a href="/app/elsewhere">Elsewhere</a></ui-nav-menu>
<ui-title-bar title="Tier program">
  <button variant="breadcrumb" onclick="log.push('breadcrumb')">Members</button>
  <button onclick="log.push('export')">Export</button>
  <section label="More actions"><button onclick="log.push('archive')">Archive</button></section>
  <button variant="primary" onclick="log.push('create')">Create tier</button>
</ui-title-bar>
<ui-save-bar id="tiers-save">
  <button variant="primary" onclick="log.push('save'); shopify.saveBar.hide('tiers-save')"></button>
  <button onclick="log.push('discard'); shopify.saveBar.hide('tiers-save')"></button>
</ui-save-bar>
<ui-modal id="remove-tier">
  <p>Gold's 12 members move to the tier below at the next review.</p>
  <ui-title-bar title="Remove Gold?">
    <button onclick="log.push('keep'); shopify.modal.hide('remove-tier')">Keep tier</button>
    <button variant="primary" tone="critical" onclick="log.push('remove'); shopify.modal.hide('remove-tier')">Remove tier</button>
  </ui-title-bar>
</ui-modal>
<form data-save-bar id="settings"><input name="cap" value="3" aria-label="cap"></form>
<script>
  document.getElementById("remove-tier").addEventListener("hide", () => log.push("modal hidden"));
  document.getElementById("settings").addEventListener("submit", (e) => { e.preventDefault(); log.push("form submit " + new FormData(e.target).get("cap")); });
  document.getElementById("settings").addEventListener("reset", () => log.push("form reset"));
</script>
</body></html>`;

let app: http.Server;
let frame: AdminFrame;
let browser: Browser;
let page: Page;
let appFrame: Frame;

beforeAll(async () => {
  app = http.createServer((req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end(PAGE(!req.url?.startsWith("/app/hydrating"))));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  frame = await startAdminFrame({
    appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    shop: "fixture.myshopify.com",
    apiKey: "key",
    apiSecret: "secret",
    catalog: {
      products: [
        { id: "101", title: "Green Tea Leaves 250 g", vendor: "Hillside", variants: [{ id: "201", title: "Default Title", priceMinor: 1900 }] },
        { id: "102", title: "Oolong Tea 250 g", variants: [{ id: "202", title: "Default Title", priceMinor: 2600 }] },
        { id: "103", title: "Coffee Beans 1 kg", variants: [{ id: "203", title: "Default Title", priceMinor: 3200 }] },
      ],
      collections: [{ id: "301", title: "Tea", productIds: ["101", "102"] }],
    },
  });
  frameUrl = frame.url;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${frame.url}/app/tiers?locale=en`);
  appFrame = page.frame({ name: "app-iframe" })!;
  await page.locator("#title-bar h1", { hasText: "Tier program" }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await frame?.close();
  await new Promise((resolve) => app?.close(resolve));
});

const log = () => appFrame.evaluate(() => (window as unknown as { log: string[] }).log.splice(0));
const until = async (expected: string[]) => {
  await expect.poll(() => appFrame.evaluate(() => [...(window as unknown as { log: string[] }).log])).toEqual(expected);
  await log();
};

it("shows the title bar's title and actions above the app and forwards a click to the app's button", async () => {
  const bar = page.locator("#title-bar");
  await bar.getByRole("button", { name: "Create tier" }).click();
  await bar.getByRole("button", { name: "Export" }).click();
  await bar.getByRole("navigation", { name: "Breadcrumb" }).getByRole("button", { name: "Members" }).click();
  await bar.getByText("More actions").click();
  await bar.getByRole("button", { name: "Archive" }).click();
  await until(["create", "export", "breadcrumb", "archive"]);
  // The page changes its title bar: the admin follows.
  await appFrame.evaluate(() => document.querySelector("ui-title-bar button[variant=primary]")!.setAttribute("disabled", ""));
  await expect.poll(() => bar.getByRole("button", { name: "Create tier" }).isDisabled()).toBe(true);
  await appFrame.evaluate(() => document.querySelector("ui-title-bar")!.setAttribute("title", "Tiers"));
  await page.locator("#title-bar h1", { hasText: /^Tiers$/ }).waitFor();
});

it("shows the save bar with Save and Discard while it is shown, and asks before the admin's nav leaves the page", async () => {
  const saveBar = page.getByRole("region", { name: "Unsaved changes" });
  expect(await saveBar.isVisible()).toBe(false);
  await appFrame.evaluate(() => (window as unknown as { shopify: { saveBar: { show(id: string): Promise<void> } } }).shopify.saveBar.show("tiers-save"));
  await saveBar.getByRole("button", { name: "Discard" }).click();
  await until(["discard"]);
  await saveBar.waitFor({ state: "hidden" });

  await appFrame.evaluate(() => document.getElementById("tiers-save")!.setAttribute("open", ""));
  await saveBar.getByRole("button", { name: "Save" }).click();
  await until(["save"]);
  await saveBar.waitFor({ state: "hidden" });

  await appFrame.evaluate(() => (window as unknown as { shopify: { saveBar: { show(id: string): Promise<void> } } }).shopify.saveBar.show("tiers-save"));
  await saveBar.waitFor();
  await page.locator("#app-nav").getByRole("link", { name: "Elsewhere" }).click();
  const leave = page.getByRole("dialog", { name: "Leave page with unsaved changes?" });
  await leave.getByRole("button", { name: "Stay" }).click();
  await leave.waitFor({ state: "hidden" });
  expect(await saveBar.isVisible()).toBe(true);
  expect(await log()).toEqual([]);
  await page.locator("#app-nav").getByRole("link", { name: "Elsewhere" }).click();
  await leave.getByRole("button", { name: "Leave page" }).click();
  await until(["navigate /app/elsewhere"]);
  await saveBar.waitFor({ state: "hidden" });
});

it("answers leaveConfirmation at once without a save bar, and after the merchant's choice with one", async () => {
  type Bridge = { shopify: { saveBar: { show(id: string): Promise<void>; leaveConfirmation(): Promise<void> } } };
  expect(await appFrame.evaluate(() => (window as unknown as Bridge).shopify.saveBar.leaveConfirmation().then(() => "resolved"))).toBe("resolved");
  await appFrame.evaluate(() => {
    const { shopify } = window as unknown as Bridge;
    void shopify.saveBar.show("tiers-save").then(() => shopify.saveBar.leaveConfirmation()).then(() => (window as unknown as { log: string[] }).log.push("left"));
  });
  await page.getByRole("dialog", { name: "Leave page with unsaved changes?" }).getByRole("button", { name: "Leave page" }).click();
  await until(["left"]);
  await page.getByRole("region", { name: "Unsaved changes" }).waitFor({ state: "hidden" });
});

it("shows a form with data-save-bar's save bar once a value changes: Save submits it, Discard resets it", async () => {
  const saveBar = page.getByRole("region", { name: "Unsaved changes" });
  const input = appFrame.getByLabel("cap");
  await input.fill("5");
  await saveBar.getByRole("button", { name: "Save" }).click();
  await until(["form submit 5"]);
  await saveBar.waitFor({ state: "hidden" });
  await input.fill("7");
  await saveBar.getByRole("button", { name: "Discard" }).click();
  await until(["form reset"]);
  await saveBar.waitFor({ state: "hidden" });
  expect(await input.inputValue()).toBe("3");
  // Back to the value it was saved with: nothing unsaved.
  await input.fill("9");
  await saveBar.waitFor();
  await input.fill("3");
  await saveBar.waitFor({ state: "hidden" });
});

it("shows a modal as a dialog with its title, text and actions; its buttons reach the app, Escape and close hide it", async () => {
  type Bridge = { shopify: { modal: { show(id: string): Promise<void> } } };
  const show = () => appFrame.evaluate(() => (window as unknown as Bridge).shopify.modal.show("remove-tier"));
  const dialog = page.getByRole("dialog", { name: "Remove Gold?" });
  await show();
  expect(await dialog.getAttribute("aria-modal")).toBe("true");
  await dialog.getByText("Gold's 12 members move to the tier below at the next review.").waitFor();
  await dialog.getByRole("button", { name: "Keep tier" }).click();
  await until(["keep", "modal hidden"]);
  await dialog.waitFor({ state: "hidden" });
  await show();
  await dialog.getByRole("button", { name: "Remove tier" }).click();
  await until(["remove", "modal hidden"]);
  await show();
  await dialog.getByRole("button", { name: "Keep tier" }).waitFor();
  await page.keyboard.press("Escape");
  await until(["modal hidden"]);
  await show();
  await dialog.getByRole("button", { name: "Close" }).click();
  await until(["modal hidden"]);
  await dialog.waitFor({ state: "hidden" });
});

it("shows a toast as a status message that goes after its duration, with its action", async () => {
  type Bridge = { shopify: { toast: { show(message: string, options?: object): string } } };
  await appFrame.evaluate(() => (window as unknown as Bridge).shopify.toast.show("Tier program saved", { duration: 1500 }));
  const toast = page.getByRole("status").filter({ hasText: "Tier program saved" });
  await toast.waitFor();
  await toast.waitFor({ state: "detached", timeout: 10_000 });
  await appFrame.evaluate(() =>
    (window as unknown as Bridge).shopify.toast.show("Tier removed", { isError: false, action: "Undo", onAction: () => (window as unknown as { log: string[] }).log.push("undo") }),
  );
  await page.getByRole("status").filter({ hasText: "Tier removed" }).getByRole("button", { name: "Undo" }).click();
  await until(["undo"]);
});

it("picks products by title and resolves with App Bridge's shape, or undefined when cancelled", async () => {
  type Bridge = { shopify: { resourcePicker(options: object): Promise<unknown> } };
  const pick = (options: object) => appFrame.evaluate((o) => (window as unknown as Bridge).shopify.resourcePicker(o).then((result) => (result === undefined ? "cancelled" : JSON.parse(JSON.stringify(result)))), options);
  const picked = pick({ type: "product", multiple: true, selectionIds: [{ id: "gid://shopify/Product/103" }] });
  const picker = page.getByRole("dialog", { name: "Add products" });
  await picker.getByRole("checkbox", { name: /Coffee Beans/ }).waitFor();
  expect(await picker.getByRole("checkbox", { name: /Coffee Beans/ }).isChecked()).toBe(true);
  await picker.getByRole("searchbox").fill("oolong");
  await expect.poll(() => picker.getByRole("checkbox").count()).toBe(1);
  await picker.getByRole("checkbox", { name: /Oolong Tea/ }).check();
  await picker.getByRole("button", { name: "Add" }).click();
  const selection = (await picked) as Array<{ id: string; title: string; handle: string; variants: Array<{ id: string; price: string }> }>;
  expect(selection.map((each) => each.id)).toEqual(["gid://shopify/Product/103", "gid://shopify/Product/102"]);
  expect(selection[1]).toMatchObject({ title: "Oolong Tea 250 g", handle: "oolong-tea-250-g", variants: [{ id: "gid://shopify/ProductVariant/202", price: "26.00" }] });

  const collection = pick({ type: "collection", action: "select" });
  const collectionPicker = page.getByRole("dialog", { name: "Select collections" });
  await collectionPicker.getByRole("radio", { name: /Tea/ }).check();
  await collectionPicker.getByRole("button", { name: "Select" }).click();
  expect(await collection).toEqual([expect.objectContaining({ id: "gid://shopify/Collection/301", title: "Tea", productsCount: 2 })]);

  const cancelled = pick({ type: "product" });
  await page.getByRole("dialog", { name: "Add products" }).getByRole("button", { name: "Cancel" }).click();
  expect(await cancelled).toBe("cancelled");
});

it("loads the page a merchant chose in the sidebar as a new document while the app does not listen for navigation yet", async () => {
  const early = await browser.newPage();
  try {
    await early.goto(`${frame.url}/app/hydrating?locale=en`);
    await early.locator("#app-nav").getByRole("link", { name: "Elsewhere" }).click();
    // The admin's address and the app's page both become the chosen page, not a click that did nothing.
    await expect.poll(() => new URL(early.url()).pathname).toBe("/app/elsewhere");
    await expect.poll(() => new URL(early.frame({ name: "app-iframe" })?.url() ?? "http://x/").pathname).toBe("/app/elsewhere");
    await early.locator("#app-nav").getByRole("link", { name: "Elsewhere", exact: true }).and(early.locator("[aria-current=page]")).waitFor();
  } finally {
    await early.close();
  }
});
