// The admin frame page (test/demo only): answers the App Bridge stand-in inside
// the app's iframe as Shopify admin answers App Bridge. It issues session
// tokens (from its own server), shows the app's nav menu in the sidebar, keeps
// the address bar on the app's page, sizes the iframe to the page, and shows
// toasts, the loading bar, the app's title bar, save bar and modals, the
// "leave page?" question and the resource picker (chrome.ts).
import { CHANNEL, type AppMessage, type FrameMessage, type NavItem, type ShellConfig, type Unsent } from "../protocol";
import { createChrome } from "./chrome";

const config = JSON.parse(document.getElementById("admin-frame-config")?.textContent ?? "{}") as ShellConfig;
const iframe = document.getElementById("app-iframe") as HTMLIFrameElement;
const nav = document.getElementById("app-nav") as HTMLElement;
const home = document.getElementById("app-home") as HTMLAnchorElement;
const toasts = document.getElementById("toasts") as HTMLElement;
const loadingBar = document.getElementById("loading") as HTMLElement;

function send(message: Unsent<FrameMessage>) {
  iframe.contentWindow?.postMessage({ channel: CHANNEL, ...message }, config.appOrigin);
}

const chrome = createChrome({ document, text: config.text, send });

/** The admin's own address for an app path, keeping the admin's language. */
function adminHref(path: string, locale = config.locale) {
  const url = new URL(path, location.origin);
  url.searchParams.set("locale", locale);
  return `${url.pathname}${url.search}`;
}

let items: NavItem[] = [];
let currentPath = location.pathname;

function renderNav() {
  const homeItem = items.find((item) => item.home);
  if (homeItem) home.href = adminHref(homeItem.href);
  const links = items.filter((item) => !item.home);
  // The longest matching link is the current page; the app's name stands for its home.
  const active = [...links].sort((a, b) => b.href.length - a.href.length).find((item) => currentPath === item.href || currentPath.startsWith(`${item.href}/`));
  home.classList.toggle("active", !active && Boolean(homeItem) && currentPath === homeItem?.href);
  nav.replaceChildren(
    ...links.map((item) => {
      const a = document.createElement("a");
      a.href = adminHref(item.href);
      a.textContent = item.label;
      a.dataset.appHref = item.href;
      if (item === active) {
        a.classList.add("active");
        a.setAttribute("aria-current", "page");
      }
      return a;
    }),
  );
}

// Choosing a page in the sidebar asks the app to navigate, as admin does; before
// the app has said what its links are, the link loads the page as a new document.
document.addEventListener("click", (event) => {
  const link = (event.target as Element | null)?.closest?.("a[data-app-href]") as HTMLAnchorElement | null;
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey || items.length === 0) return;
  event.preventDefault();
  const href = link.dataset.appHref ?? "/";
  // With a save bar showing, Shopify admin asks before leaving the page (and the bar goes with the page).
  if (!chrome.saveBarShowing()) return send({ type: "navigate", href });
  void chrome.confirmLeave().then((leave) => {
    if (!leave) return;
    send({ type: "discardForLeave" });
    send({ type: "navigate", href });
  });
});

function updateLocaleLinks() {
  for (const link of document.querySelectorAll<HTMLAnchorElement>("a[data-locale]")) link.href = adminHref(currentPath + new URL(location.href).search, link.dataset.locale as ShellConfig["locale"]);
}

async function issueToken(id: number) {
  try {
    const response = await fetch("/session-token", { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { token } = (await response.json()) as { token: string };
    send({ type: "idToken", id, token });
  } catch (error) {
    send({ type: "idToken", id, token: null, error: String(error) });
  }
}


window.addEventListener("message", (event: MessageEvent<AppMessage>) => {
  if (event.origin !== config.appOrigin || event.source !== iframe.contentWindow || event.data?.channel !== CHANNEL) return;
  const message = event.data;
  switch (message.type) {
    case "idToken":
      void issueToken(message.id);
      break;
    case "nav":
      items = message.items;
      renderNav();
      break;
    case "location": {
      const url = new URL(message.path, location.origin);
      currentPath = url.pathname;
      history.replaceState(null, "", adminHref(message.path));
      renderNav();
      updateLocaleLinks();
      break;
    }
    case "height":
      iframe.style.height = `${Math.max(message.height, window.innerHeight - 56)}px`;
      break;
    case "toast":
      chrome.showToast(toasts, message);
      break;
    case "toastHide":
      chrome.hideToast(message.id);
      break;
    case "titleBar":
      chrome.renderTitleBar(message.titleBar);
      break;
    case "saveBar":
      chrome.renderSaveBar(message.saveBar);
      break;
    case "modals":
      chrome.renderModals(message.modals);
      break;
    case "leaveConfirmation":
      void chrome.confirmLeave().then((leave) => send({ type: "leaveConfirmation", id: message.id, leave }));
      break;
    case "resourcePicker":
      void chrome.pickResources(message.options).then((selection) => send({ type: "resourcePicker", id: message.id, selection }));
      break;
    case "loading":
      loadingBar.hidden = !message.on;
      break;
    case "title":
      if (message.title) document.title = message.title;
      break;
    case "load":
      location.assign(adminHref(message.path));
      break;
    case "redirect":
      if (/^https?:\/\//.test(message.url)) location.assign(message.url);
      break;
  }
});

updateLocaleLinks();
