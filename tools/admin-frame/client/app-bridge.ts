// The App Bridge stand-in (test/demo only). Embedded admin pages load App Bridge
// from cdn.shopify.com, which no machine here can reach; the local admin frame
// serves this script in its place (the app's APP_BRIDGE_URL). It does what the
// real App Bridge does for MemberCare's pages, talking to the admin frame by
// postMessage as App Bridge talks to Shopify admin:
//
//   - `window.shopify`: `config` (apiKey, shop, host, locale), `idToken()` (a
//     fresh session token from the admin), `toast`, `loading`, `environment`,
//     `origin`, and `modal`/`saveBar` that resolve. Any other member is reported
//     as a console error, so a page that starts using more of App Bridge fails
//     the browser suite until the stand-in learns it.
//   - `fetch` to the app's own origin carries `Authorization: Bearer <fresh
//     token>` and the admin's locale in `Accept-Language` (Remix's client
//     navigations, loaders and actions authenticate this way), and is retried
//     once with a new token when the app answers
//     `X-Shopify-Retry-Invalid-Session-Request: 1`.
//   - `ui-nav-menu` tells the admin its links (the frame's sidebar shows them);
//     choosing one dispatches `shopify:navigate` on the link, which
//     shopify-app-remix's AppProvider turns into a Remix navigation. `ui-title-bar`,
//     `ui-modal` and `ui-save-bar` are defined and stay hidden.
//   - The admin follows the app's location and height.
import { CHANNEL, EMBEDDING_PARAMS, type AppMessage, type FrameMessage, type NavItem } from "../protocol";

type Payload<T extends AppMessage["type"]> = Omit<Extract<AppMessage, { type: T }>, "channel" | "type">;

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const adminOrigin = script?.src ? new URL(script.src).origin : "";
  const params = new URLSearchParams(location.search);
  const apiKey = script?.dataset.apiKey ?? document.querySelector<HTMLMetaElement>('meta[name="shopify-api-key"]')?.content ?? "";
  const config = { apiKey, shop: params.get("shop") ?? "", host: params.get("host") ?? "", locale: params.get("locale") ?? "en", disabledFeatures: [] as string[] };

  // Outside the admin, App Bridge sends the page into it.
  if (window.parent === window) {
    const path = pathWithoutEmbedding(location.href);
    location.replace(`${adminOrigin}${path}${path.includes("?") ? "&" : "?"}locale=${encodeURIComponent(config.locale)}`);
    return;
  }

  function post<T extends AppMessage["type"]>(type: T, payload: Payload<T>) {
    window.parent.postMessage({ channel: CHANNEL, type, ...payload }, adminOrigin);
  }

  // ------------------------------------------------------------ ID tokens
  let nextId = 1;
  const pending = new Map<number, { resolve(token: string): void; reject(error: Error): void }>();

  function idToken(): Promise<string> {
    const id = nextId++;
    return new Promise<string>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      post("idToken", { id });
    });
  }

  window.addEventListener("message", (event: MessageEvent<FrameMessage>) => {
    if (event.origin !== adminOrigin || event.source !== window.parent || event.data?.channel !== CHANNEL) return;
    const message = event.data;
    if (message.type === "idToken") {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.token) waiter?.resolve(message.token);
      else waiter?.reject(new Error(`The admin frame issued no session token: ${message.error ?? "unknown reason"}`));
    } else if (message.type === "navigate") {
      navigate(message.href);
    }
  });

  // ------------------------------------------------------------ fetch
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== location.origin) return originalFetch(request);
    const retryCopy = request.clone();
    const authorized = async (base: Request) => {
      const headers = new Headers(base.headers);
      if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${await idToken()}`);
      if (!headers.has("Accept-Language")) headers.set("Accept-Language", config.locale);
      return new Request(base, { headers });
    };
    const response = await originalFetch(await authorized(request));
    const final = response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1" ? await originalFetch(await authorized(retryCopy)) : response;
    const reauthorize = final.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
    if (reauthorize) post("redirect", { url: reauthorize });
    return final;
  };

  // ------------------------------------------------------------ window.shopify
  let toastId = 0;
  const resolved = () => Promise.resolve();
  const api: Record<string, unknown> = {
    config,
    origin: adminOrigin,
    environment: { embedded: true, mobile: false, pos: false },
    idToken,
    toast: {
      show(message: string, options: { duration?: number; isError?: boolean } = {}) {
        post("toast", { message, isError: Boolean(options.isError), duration: options.duration ?? 5000 });
        return `toast-${++toastId}`;
      },
      hide() {},
    },
    loading(on?: boolean) {
      post("loading", { on: on ?? true });
    },
    modal: { show: resolved, hide: resolved, toggle: resolved },
    saveBar: { show: resolved, hide: resolved, toggle: resolved, leaveConfirmation: resolved },
  };
  // Asked of any object by promises, JSON and React: not App Bridge features.
  const probes = new Set(["then", "toJSON", "$$typeof", "constructor", "nodeType", "tagName"]);
  (window as unknown as { shopify: unknown }).shopify = new Proxy(api, {
    get(target, property) {
      if (typeof property === "string" && !(property in target) && !probes.has(property)) {
        console.error(`shopify.${property} is not provided by the admin frame's App Bridge stand-in (tools/admin-frame/client/app-bridge.ts)`);
      }
      return Reflect.get(target, property);
    },
  });

  // ------------------------------------------------------------ web components
  // A constructed style sheet: no node in the document React is about to hydrate.
  const hidden = new CSSStyleSheet();
  hidden.replaceSync("ui-nav-menu, ui-title-bar, ui-modal, ui-save-bar { display: none !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, hidden];

  const navMenus = new Set<HTMLElement>();
  function sendNav() {
    const items: NavItem[] = [...navMenus].flatMap((menu) =>
      [...menu.querySelectorAll("a")].map((a) => ({ label: (a.textContent ?? "").trim(), href: a.getAttribute("href") ?? "", home: a.rel === "home" })),
    );
    post("nav", { items });
  }

  class NavMenuElement extends HTMLElement {
    private observer = new MutationObserver(() => sendNav());
    connectedCallback() {
      navMenus.add(this);
      this.observer.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
      sendNav();
    }
    disconnectedCallback() {
      navMenus.delete(this);
      this.observer.disconnect();
      sendNav();
    }
  }

  class TitleBarElement extends HTMLElement {
    connectedCallback() {
      post("title", { title: this.getAttribute("title") ?? "" });
    }
  }

  class OverlayElement extends HTMLElement {
    show = resolved;
    hide = resolved;
    toggle = resolved;
  }

  const define = (name: string, element: CustomElementConstructor) => customElements.get(name) ?? customElements.define(name, element);
  define("ui-nav-menu", NavMenuElement);
  define("ui-title-bar", TitleBarElement);
  define("ui-modal", class extends OverlayElement {});
  define("ui-save-bar", class extends OverlayElement {});

  /** A page the merchant chose in the admin's sidebar: the app's own link navigates, as with App Bridge. */
  function navigate(href: string) {
    const link = [...navMenus].flatMap((menu) => [...menu.querySelectorAll("a")]).find((a) => a.getAttribute("href") === href);
    if (link) link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    else post("load", { path: href });
  }

  // ------------------------------------------------------------ location and size
  function pathWithoutEmbedding(href: string) {
    const url = new URL(href);
    for (const name of EMBEDDING_PARAMS) url.searchParams.delete(name);
    return `${url.pathname}${url.search}`;
  }
  let lastPath = "";
  const sendLocation = () => {
    const path = pathWithoutEmbedding(location.href);
    if (path !== lastPath) post("location", { path: (lastPath = path) });
  };
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method].bind(history);
    history[method] = (...args: Parameters<History["pushState"]>) => {
      original(...args);
      sendLocation();
    };
  }
  window.addEventListener("popstate", sendLocation);
  sendLocation();

  // The page's own height, not the iframe's: admin pages fill the frame's viewport
  // (body is at least as tall as the iframe), so measure where their content ends.
  let lastHeight = 0;
  const contentHeight = () => Math.ceil(Math.max(0, ...[...document.body.children].map((child) => child.getBoundingClientRect().bottom + window.scrollY)));
  const sendHeight = () => {
    const height = contentHeight();
    if (height !== lastHeight) post("height", { height: (lastHeight = height) });
  };
  const sizes = new ResizeObserver(sendHeight);
  const watchChildren = () => {
    sizes.disconnect();
    for (const child of document.body.children) sizes.observe(child);
    sendHeight();
  };
  new MutationObserver(watchChildren).observe(document.body, { childList: true });
  watchChildren();
})();
