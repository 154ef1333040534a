// What a merchant sees and clicks in Shopify admin's chrome around the app (the
// local admin frame draws it for App Bridge; tools/admin-frame/client/chrome.ts),
// for browser tests: the title bar above the app, the save bar, toasts, modals,
// the leave-page question, the sidebar and a page's group tabs.
import type { FrameLocator, Locator, Page } from "playwright-core";
import { ADMIN_TEXT } from "../../tools/admin-frame";
import type { Locale } from "~/i18n";

/** The admin's own words (Save, Discard, Leave page...), in the admin's language. */
export const adminText = (locale: Locale) => ADMIN_TEXT[locale];

/** The page's title in the admin's title bar (App Bridge's `<TitleBar title>`). */
export const pageTitle = (page: Page, name: string) => page.locator("#title-bar").getByRole("heading", { level: 1, name, exact: true });

/** A button of the title bar (primary, secondary or breadcrumb). */
export const titleBarButton = (page: Page, name: string) => page.locator("#title-bar").getByRole("button", { name, exact: true });

/** The save bar ("Unsaved changes" in the top bar). */
export const saveBar = (page: Page, locale: Locale) => page.getByRole("region", { name: ADMIN_TEXT[locale].unsavedChanges, exact: true });

/** A toast with this message (role="status"). */
export const toast = (page: Page, message: string) => page.getByRole("status").filter({ hasText: message });

/** A modal dialog by its title. */
export const dialog = (page: Page, title: string) => page.getByRole("dialog", { name: title, exact: true });

/** The "Leave page with unsaved changes?" question. */
export const leaveDialog = (page: Page, locale: Locale) => dialog(page, ADMIN_TEXT[locale].leaveTitle);

/** The sidebar's entry with this label. */
export const sidebarLink = (page: Page, label: string) => page.locator("#app-nav").getByRole("link", { name: label, exact: true });

/** A link to a page of the current page's group (the pages a nav entry holds), above the page in the app; the current one has aria-current="page". */
export const groupTab = (appFrame: FrameLocator, label: string): Locator => appFrame.locator("nav[aria-label]").getByRole("link", { name: label, exact: true });

/**
 * Opens a page as a merchant does since the nav has seven entries: the
 * sidebar's entry, then (for a page that is not the group's first) its link above the page.
 */
export async function openFromNav(page: Page, appFrame: FrameLocator, entry: string, pageLabel?: string): Promise<void> {
  await sidebarLink(page, entry).click();
  if (pageLabel) await groupTab(appFrame, pageLabel).click();
}
