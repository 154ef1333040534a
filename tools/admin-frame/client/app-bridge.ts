// The App Bridge stand-in (test/demo only). Embedded admin pages load App Bridge
// from cdn.shopify.com, which no machine here can reach; the local admin frame
// serves this script in its place (the app's APP_BRIDGE_URL). It does what the
// real App Bridge does for MemberCare's pages, talking to the admin frame by
// postMessage as App Bridge talks to Shopify admin:
//
//   - `window.shopify`: `config` (apiKey, shop, host, locale), `idToken()` (a
//     fresh session token from the admin), `toast`, `loading`, `environment`,
//     `origin`, `modal`, `saveBar` and `resourcePicker`. Any other member is
//     reported as a console error, so a page that starts using more of App
//     Bridge fails the browser suite until the stand-in learns it.
//   - `fetch` to the app's own origin carries `Authorization: Bearer <fresh
//     token>` and the admin's locale in `Accept-Language` (Remix's client
//     navigations, loaders and actions authenticate this way), and is retried
//     once with a new token when the app answers
//     `X-Shopify-Retry-Invalid-Session-Request: 1`.
//   - `ui-nav-menu` tells the admin its links (the frame's sidebar shows them);
//     choosing one dispatches `shopify:navigate` on the link, which
//     shopify-app-remix's AppProvider turns into a Remix navigation (before
//     the page has hydrated, the admin loads the chosen page instead).
//   - `ui-title-bar`, `ui-save-bar`, `ui-modal` and `<form data-save-bar>` stay
//     hidden in the app's page, as with App Bridge: the admin draws them
//     (title bar above the app, save bar in the top bar, modals over everything)
//     and a click there clicks the app's own element here, as App Bridge
//     forwards clicks to the children's onclick. See "chrome" below.
//   - The admin follows the app's location and height.
import { CHANNEL, EMBEDDING_PARAMS, type ActionState, type AppMessage, type FrameMessage, type NavItem } from "../protocol";

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
    } else if (message.type === "action") {
      const [kind, key] = message.actionId.split(":");
      if (kind === "save" || kind === "discard") runFormAction(key, kind);
      else runAction(message.actionId);
    } else if (message.type === "modalClose") {
      void (document.getElementById(message.modalId) as ModalElement | null)?.hide?.();
    } else if (message.type === "discardForLeave") {
      discardForLeave();
    } else if (message.type === "leaveConfirmation") {
      const waiter = leaveWaiters.get(message.id);
      leaveWaiters.delete(message.id);
      if (message.leave) {
        discardForLeave();
        waiter?.();
      }
    } else if (message.type === "resourcePicker") {
      const waiter = pickerWaiters.get(message.id);
      pickerWaiters.delete(message.id);
      waiter?.(message.selection);
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
  // Toast API (https://shopify.dev/docs/api/app-bridge-library/apis/toast):
  // show(message, {duration (ms, default 5000), isError, action, onAction, onDismiss}) returns the toast's id; hide(id).
  let toastId = 0;
  const toastActions = new Map<string, () => void>();
  const api: Record<string, unknown> = {
    config,
    origin: adminOrigin,
    environment: { embedded: true, mobile: false, pos: false },
    idToken,
    toast: {
      show(message: string, options: { duration?: number; isError?: boolean; action?: string; onAction?: () => void } = {}) {
        const id = `toast-${++toastId}`;
        const action = options.action && options.onAction ? { id: `${id}-action`, label: options.action } : null;
        if (action && options.onAction) toastActions.set(action.id, options.onAction);
        post("toast", { id, message: String(message), isError: Boolean(options.isError), duration: options.duration ?? 5000, action });
        return id;
      },
      hide(id: string) {
        post("toastHide", { id });
      },
    },
    loading(on?: boolean) {
      post("loading", { on: on ?? true });
    },
    // Modal API (https://shopify.dev/docs/api/app-bridge-library/apis/modal): show/hide/toggle a `<ui-modal>` by its id.
    modal: {
      show: (id: string) => overlay<ModalElement>(id, "ui-modal")?.show() ?? Promise.resolve(),
      hide: (id: string) => overlay<ModalElement>(id, "ui-modal")?.hide() ?? Promise.resolve(),
      toggle: (id: string) => overlay<ModalElement>(id, "ui-modal")?.toggle() ?? Promise.resolve(),
    },
    // Save Bar API (https://shopify.dev/docs/api/app-bridge-library/apis/save-bar): show/hide/toggle a `<ui-save-bar>`;
    // leaveConfirmation() "is resolved when there is no visible save bar or user confirms to leave".
    saveBar: {
      show: (id: string) => overlay<SaveBarElement>(id, "ui-save-bar")?.show() ?? Promise.resolve(),
      hide: (id: string) => overlay<SaveBarElement>(id, "ui-save-bar")?.hide() ?? Promise.resolve(),
      toggle: (id: string) => overlay<SaveBarElement>(id, "ui-save-bar")?.toggle() ?? Promise.resolve(),
      leaveConfirmation,
    },
    resourcePicker,
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
  // `form[data-save-bar]` stays visible: it is the app's own form.
  const hidden = new CSSStyleSheet();
  hidden.replaceSync("ui-nav-menu, ui-title-bar, ui-modal, ui-save-bar { display: none !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, hidden];

  // Whether the app listens for `shopify:navigate` yet: AppProvider adds its
  // listener in an effect, after hydration. A sidebar choice made before then
  // would be an event nobody hears and a click that does nothing, so it loads
  // the page as a new document instead, as a link the app does not handle does.
  let navigateListeners = 0;
  const addListener: (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) => void = window.addEventListener.bind(window);
  const removeListener: (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions) => void = window.removeEventListener.bind(window);
  window.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) => {
    if (type === "shopify:navigate" && listener) navigateListeners++;
    addListener(type, listener, options);
  }) as typeof window.addEventListener;
  window.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions) => {
    if (type === "shopify:navigate" && listener) navigateListeners = Math.max(0, navigateListeners - 1);
    removeListener(type, listener, options);
  }) as typeof window.removeEventListener;

  /** Navigates inside the app through its `shopify:navigate` listener, or loads `href` as a new document while it has none. */
  function appNavigate(link: Element, href: string) {
    if (navigateListeners > 0) link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    else post("load", { path: href });
  }

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

  // ------------------------------------------------------------ chrome
  // The app's buttons and links the admin shows, each known by a handle the
  // admin sends back when the merchant clicks its copy.
  let nextActionId = 1;
  const actionIds = new WeakMap<Element, string>();
  const actionElements = new Map<string, WeakRef<Element>>();
  function actionId(element: Element) {
    let id = actionIds.get(element);
    if (!id) {
      id = `action-${nextActionId++}`;
      actionIds.set(element, id);
    }
    actionElements.set(id, new WeakRef(element));
    return id;
  }
  const label = (element: Element) => (element.textContent ?? "").replace(/\s+/g, " ").trim();
  function actionOf(element: Element, group: string | null): ActionState {
    const variant = element.getAttribute("variant");
    return {
      id: actionId(element),
      label: label(element),
      variant: variant === "primary" || variant === "breadcrumb" ? variant : "secondary",
      critical: element.getAttribute("tone") === "critical",
      disabled: element.hasAttribute("disabled"),
      loading: element.hasAttribute("loading"),
      group,
    };
  }
  /** Buttons and links of a title bar (or save bar), sections' ones grouped under their label (UITitleBarChildren). */
  function actionsOf(bar: Element): ActionState[] {
    return [...bar.children].flatMap((child) => {
      const tag = child.tagName.toLowerCase();
      if (tag === "button" || tag === "a") return [actionOf(child, null)];
      if (tag === "section") return [...child.querySelectorAll("button, a")].map((each) => actionOf(each, child.getAttribute("label") ?? ""));
      return [];
    });
  }

  /**
   * The merchant clicked the admin's copy of an app's element: a click on the
   * element itself, so its onclick and React's handlers run. A link nothing
   * handled navigates inside the app as App Bridge does (AppProvider's
   * `shopify:navigate`), not as a new document outside the admin.
   */
  function runAction(id: string) {
    const toastAction = toastActions.get(id);
    if (toastAction) return toastAction();
    const element = actionElements.get(id)?.deref();
    if (!element?.isConnected || element.hasAttribute("disabled")) return;
    if (element instanceof HTMLAnchorElement && element.getAttribute("href")) {
      const afterHandlers = (event: Event) => {
        if (event.defaultPrevented) return;
        event.preventDefault();
        appNavigate(element, element.getAttribute("href")!);
      };
      window.addEventListener("click", afterHandlers, { once: true });
      element.click();
      window.removeEventListener("click", afterHandlers);
      return;
    }
    (element as HTMLElement).click();
  }

  /** Calls `send` once after the current task's DOM changes have settled (React commits several mutations at once). */
  function batched(send: () => void) {
    let queued = false;
    return () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        send();
      });
    };
  }

  // Title bar (https://shopify.dev/docs/api/app-bridge-library/web-components/ui-title-bar): the title
  // (or document.title), `variant="primary"` the primary action, `variant="breadcrumb"` the
  // breadcrumb, other buttons and links secondary actions, `<section label>` a group of them.
  // A title bar inside a `<ui-modal>` is that modal's header and footer instead.
  const titleBars: TitleBarElement[] = [];
  const sendTitleBar = batched(() => {
    const bar = titleBars.filter((each) => each.isConnected && !each.closest("ui-modal")).at(-1);
    post("titleBar", { titleBar: bar ? { title: bar.getAttribute("title") || document.title, actions: actionsOf(bar) } : null });
    if (bar?.getAttribute("title")) post("title", { title: bar.getAttribute("title") ?? "" });
  });
  class TitleBarElement extends HTMLElement {
    private observer = new MutationObserver(() => this.changed());
    connectedCallback() {
      titleBars.push(this);
      this.observer.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
      this.changed();
    }
    disconnectedCallback() {
      titleBars.splice(titleBars.indexOf(this), 1);
      this.observer.disconnect();
      this.changed();
    }
    private changed() {
      sendTitleBar();
      const modal = this.closest("ui-modal") as ModalElement | null;
      modal?.changed?.();
    }
  }
  new MutationObserver(() => sendTitleBar()).observe(document.querySelector("title") ?? document.head, { childList: true, characterData: true, subtree: true });

  /** An element shown and hidden with `show()`/`hide()`/`toggle()` or its `open` attribute, firing `show` and `hide` events as App Bridge's do. */
  abstract class OverlayElement extends HTMLElement {
    static observedAttributes = ["open"];
    private shown = false;
    private observer = new MutationObserver(() => this.changed());
    get showing() {
      return this.shown;
    }
    show() {
      if (!this.shown) {
        this.shown = true;
        this.changed();
        this.dispatchEvent(new CustomEvent("show"));
      }
      return Promise.resolve();
    }
    hide() {
      if (this.shown) {
        this.shown = false;
        this.changed();
        this.dispatchEvent(new CustomEvent("hide"));
      }
      return Promise.resolve();
    }
    toggle() {
      return this.shown ? this.hide() : this.show();
    }
    attributeChangedCallback(_name: string, before: string | null, after: string | null) {
      if ((before === null) !== (after === null)) void (after === null ? this.hide() : this.show());
    }
    connectedCallback() {
      this.observer.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
      if (this.hasAttribute("open")) void this.show();
      this.changed();
    }
    disconnectedCallback() {
      this.observer.disconnect();
      // A page that goes away takes its save bar and modals with it.
      this.shown = false;
      this.changed();
    }
    abstract changed(): void;
  }

  // Save bar (https://shopify.dev/docs/api/app-bridge-library/web-components/ui-save-bar): its
  // `variant="primary"` button is Save, the other Discard; the admin shows the last one shown.
  const saveBars: SaveBarElement[] = [];
  const saveForms = new Set<HTMLFormElement>();
  const dirtyForms: HTMLFormElement[] = [];
  const sendSaveBar = batched(() => {
    const bar = saveBars.filter((each) => each.isConnected && each.showing).at(-1);
    if (bar) {
      const buttons = [...bar.querySelectorAll("button")];
      const save = buttons.find((button) => button.getAttribute("variant") === "primary");
      const discard = buttons.find((button) => button !== save);
      post("saveBar", { saveBar: { id: bar.id, save: save ? actionOf(save, null) : null, discard: discard ? actionOf(discard, null) : null, formId: null } });
      return;
    }
    const form = dirtyForms.filter((each) => each.isConnected).at(-1);
    post("saveBar", { saveBar: form ? { id: formKey(form), save: null, discard: null, formId: formKey(form) } : null });
  });
  class SaveBarElement extends OverlayElement {
    changed() {
      if (!saveBars.includes(this)) saveBars.push(this);
      sendSaveBar();
    }
  }
  const saveBarShowing = () => saveBars.some((each) => each.isConnected && each.showing) || dirtyForms.some((each) => each.isConnected);

  // `<form data-save-bar>` (https://shopify.dev/docs/api/app-home/app-bridge-web-components/save-bar):
  // "the save bar appears whenever any form input value changes from its initial state" and
  // hides when the form is submitted or reset; Save submits the form, Discard resets it.
  const formKeys = new WeakMap<HTMLFormElement, string>();
  const formsByKey = new Map<string, WeakRef<HTMLFormElement>>();
  const initialValues = new WeakMap<HTMLFormElement, string>();
  function formKey(form: HTMLFormElement) {
    let key = formKeys.get(form);
    if (!key) {
      key = `form-${nextActionId++}`;
      formKeys.set(form, key);
      formsByKey.set(key, new WeakRef(form));
    }
    return key;
  }
  const formValues = (form: HTMLFormElement) => JSON.stringify([...new FormData(form).entries()].map(([name, value]) => [name, typeof value === "string" ? value : value.name]));
  function watchForms() {
    for (const form of document.querySelectorAll<HTMLFormElement>("form[data-save-bar]")) {
      if (saveForms.has(form)) continue;
      saveForms.add(form);
      initialValues.set(form, formValues(form));
      formKey(form);
    }
  }
  function formChanged(form: HTMLFormElement) {
    const dirty = formValues(form) !== initialValues.get(form);
    const index = dirtyForms.indexOf(form);
    if (dirty && index < 0) dirtyForms.push(form);
    if (!dirty && index >= 0) dirtyForms.splice(index, 1);
    sendSaveBar();
  }
  for (const type of ["input", "change"]) {
    document.addEventListener(type, (event) => {
      const form = (event.target as Element | null)?.closest?.("form[data-save-bar]") as HTMLFormElement | null;
      if (form) {
        watchForms();
        formChanged(form);
      }
    }, true);
  }
  for (const type of ["submit", "reset"]) {
    document.addEventListener(type, (event) => {
      const form = event.target as HTMLFormElement;
      if (!form.matches?.("form[data-save-bar]")) return;
      // After a reset the inputs hold their initial values again; after a submit, what was sent is the new start.
      setTimeout(() => {
        initialValues.set(form, formValues(form));
        formChanged(form);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchForms);
  else watchForms();

  function runFormAction(key: string, kind: "save" | "discard") {
    const form = formsByKey.get(key)?.deref();
    if (!form?.isConnected) return;
    if (kind === "save") form.requestSubmit();
    else form.reset();
  }

  /** The merchant leaves the page: the save bar goes without saving, so the app's own leave guard lets the navigation through. */
  function discardForLeave() {
    for (const bar of saveBars) void bar.hide();
    for (const form of dirtyForms.splice(0)) initialValues.set(form, formValues(form));
    sendSaveBar();
  }

  const leaveWaiters = new Map<number, () => void>();
  function leaveConfirmation(): Promise<void> {
    if (!saveBarShowing()) return Promise.resolve();
    const id = nextId++;
    // Resolved only when the merchant chooses to leave; staying leaves it pending, as App Bridge's.
    return new Promise<void>((resolve) => {
      leaveWaiters.set(id, resolve);
      post("leaveConfirmation", { id });
    });
  }

  // Modal (https://shopify.dev/docs/api/app-bridge-library/web-components/ui-modal): its
  // content and a `<ui-title-bar>` whose buttons are the modal's actions. App Bridge React's
  // `<Modal>` renders its content into the element's `content` (a portal); plain HTML puts it
  // in the element's other children. The admin shows the content's text.
  const modals: ModalElement[] = [];
  const sendModals = batched(() => {
    const open = modals.filter((modal) => modal.isConnected && modal.showing);
    post("modals", {
      modals: open.map((modal) => {
        const bar = modal.querySelector(":scope > ui-title-bar");
        const own = [...modal.children].filter((child) => !["ui-title-bar", "ui-save-bar"].includes(child.tagName.toLowerCase()));
        const text = [...own.map((child) => (child as HTMLElement).innerText || child.textContent || ""), modal.content.innerText || modal.content.textContent || ""]
          .map((each) => each.trim())
          .filter(Boolean)
          .join("\n");
        return { id: modal.modalId, title: bar?.getAttribute("title") ?? "", text, actions: bar ? actionsOf(bar) : [], variant: modal.getAttribute("variant") ?? "base" };
      }),
    });
  });
  let nextModal = 1;
  class ModalElement extends OverlayElement {
    /** Where App Bridge React's `<Modal>` portals the content: outside the document React hydrates. */
    readonly content = document.createElement("div");
    private contentObserver = new MutationObserver(() => this.changed());
    private fallbackId = `modal-${nextModal++}`;
    constructor() {
      super();
      this.contentObserver.observe(this.content, { childList: true, subtree: true, characterData: true, attributes: true });
    }
    get modalId() {
      return this.id || this.fallbackId;
    }
    changed() {
      if (!modals.includes(this)) modals.push(this);
      sendModals();
    }
  }

  const define = (name: string, element: CustomElementConstructor) => customElements.get(name) ?? customElements.define(name, element);
  define("ui-nav-menu", NavMenuElement);
  define("ui-title-bar", TitleBarElement);
  define("ui-modal", ModalElement);
  define("ui-save-bar", SaveBarElement);

  function overlay<T extends OverlayElement>(id: string, tag: string): T | null {
    const element = document.getElementById(id);
    if (element?.tagName.toLowerCase() === tag) return element as T;
    console.error(`shopify.${tag === "ui-modal" ? "modal" : "saveBar"}: no <${tag} id="${id}"> on the page`);
    return null;
  }

  // Resource picker (https://shopify.dev/docs/api/app-bridge-library/apis/resource-picker): the admin
  // shows it; the promise resolves with the selection (App Bridge's Product/ProductVariant/Collection,
  // an array that also carries itself as the deprecated `selection`), or undefined when cancelled.
  const pickerWaiters = new Map<number, (selection: unknown[] | null) => void>();
  function resourcePicker(options: {
    type: "product" | "variant" | "collection";
    action?: "add" | "select";
    multiple?: boolean | number;
    query?: string;
    filter?: { query?: string };
    selectionIds?: Array<{ id: string }>;
  }): Promise<unknown[] | undefined> {
    if (!["product", "variant", "collection"].includes(options?.type)) return Promise.reject(new Error(`resourcePicker: type must be product, variant or collection, not ${String(options?.type)}`));
    const id = nextId++;
    return new Promise((resolve) => {
      pickerWaiters.set(id, (selection) => resolve(selection ? Object.assign([...selection], { selection }) : undefined));
      post("resourcePicker", {
        id,
        options: {
          type: options.type,
          action: options.action ?? "add",
          multiple: options.multiple ?? false,
          query: options.query ?? "",
          filterQuery: options.filter?.query ?? "",
          selectionIds: (options.selectionIds ?? []).map((each) => each.id),
        },
      });
    });
  }

  /** A page the merchant chose in the admin's sidebar: the app's own link navigates, as with App Bridge. */
  function navigate(href: string) {
    const link = [...navMenus].flatMap((menu) => [...menu.querySelectorAll("a")]).find((a) => a.getAttribute("href") === href);
    if (link) appNavigate(link, href);
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
