// A local Shopify admin for the embedded app (test/demo only): a page shaped
// like a minimal admin (top bar with the shop and a language switch, a sidebar
// with the app's nav menu, the app in an iframe), the session tokens admin
// issues, and the App Bridge stand-in the app loads instead of Shopify's CDN
// script. The app's pages authenticate for real: every document load carries
// `id_token`, every request from the page `Authorization: Bearer <token>`, each
// token signed with the app's secret and checked by Shopify's library.
//
// The app has to know the frame before it starts (its environment is read
// once): start it with `adminFrameAppEnv(frameUrl)` in its environment, which
// points APP_BRIDGE_URL at the stand-in and lets the frame's origin embed the
// pages (ADMIN_FRAME_ORIGIN). So pick the frame's port first:
//
//   const port = await freePort();                               // or a fixed one
//   Object.assign(process.env, adminFrameAppEnv(`http://127.0.0.1:${port}`));
//   const app = await createAppServer({ port: 0 });              // server.mjs
//   const frame = await startAdminFrame({ appUrl: app.url, shop, apiKey, apiSecret, port });
//   console.log(`Admin: ${frame.url}/app`);                       // ?locale=zh-CN for Chinese
//
// Routes: /app and /app/... (the admin page showing that app page; `locale`
// en or zh-CN, other parameters go to the app), / (to /app), /session-token
// (a fresh token, for the page), /app-bridge.js (the stand-in), /admin-frame.js,
// /resources?type=product|variant|collection&query=... (the shop's catalog as
// the resource picker lists it, in App Bridge's shapes: catalog.ts).
import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { demoCatalog, searchCatalog, type CatalogSource, type PickerType } from "./catalog";
import { EMBEDDING_PARAMS, type ShellConfig } from "./protocol";
import { issueSessionToken } from "./session-token";

export interface AdminFrameOptions {
  /** Where the app is served, e.g. http://127.0.0.1:3000; its admin pages are under /app. */
  appUrl: string;
  /** The shop the admin is signed in to (demo-shop.myshopify.com): the tokens' `iss`/`dest` and the app's `shop` parameter. */
  shop: string;
  /** The app's client id (SHOPIFY_API_KEY): the tokens' `aud`. */
  apiKey: string;
  /** The app's client secret (SHOPIFY_API_SECRET): signs the tokens (HS256). */
  apiSecret: string;
  /** Port to listen on; 0 (the default) takes a free one. The app must have been started with adminFrameAppEnv() of this frame's URL. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** The app's name in the sidebar (default MemberCare). */
  appName?: string;
  /** The signed-in staff member's user id, the tokens' `sub` (default "1"). */
  staffUserId?: string;
  /** The shop's products and collections for `shopify.resourcePicker` (default: the demo store's catalog, catalog.ts). */
  catalog?: CatalogSource;
}

export interface AdminFrame {
  /** http://<host>:<port>; the app's pages are at `${url}/app...`. */
  url: string;
  close(): Promise<void>;
}

type Locale = ShellConfig["locale"];

/** The app's environment for this frame: App Bridge from the frame's stand-in, and the frame allowed to embed the pages. */
export function adminFrameAppEnv(frameUrl: string): { APP_BRIDGE_URL: string; ADMIN_FRAME_ORIGIN: string } {
  const origin = new URL(frameUrl).origin;
  return { APP_BRIDGE_URL: `${origin}/app-bridge.js`, ADMIN_FRAME_ORIGIN: origin };
}

/** A port nothing listens on now, for a frame whose URL the app must know before either starts. */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const here = path.dirname(fileURLToPath(import.meta.url));
let defaultCatalog: ReturnType<typeof demoCatalog> | undefined;
let scripts: Promise<{ appBridge: string; admin: string }> | undefined;

/** The browser scripts, bundled from TypeScript once per process. */
function browserScripts() {
  const bundle = async (file: string) => {
    const result = await build({ entryPoints: [path.join(here, "client", file)], bundle: true, write: false, format: "iife", target: "chrome110", logLevel: "silent" });
    return result.outputFiles[0].text;
  };
  scripts ??= Promise.all([bundle("app-bridge.ts"), bundle("admin.ts")]).then(([appBridge, admin]) => ({ appBridge, admin }));
  return scripts;
}

type ShellText = Record<"apps" | "language" | "loading", string> & ShellConfig["text"];

// Shopify admin's own words for its chrome, in the two languages the app serves
// (exported for tests that click them: the save bar's Save, the leave dialog's buttons).
export const ADMIN_TEXT: Record<Locale, ShellText> = {
  en: {
    apps: "Apps",
    language: "Language",
    loading: "Loading",
    unsavedChanges: "Unsaved changes",
    save: "Save",
    discard: "Discard",
    leaveTitle: "Leave page with unsaved changes?",
    leaveBody: "Leaving this page will delete all unsaved changes.",
    leave: "Leave page",
    stay: "Stay",
    close: "Close",
    cancel: "Cancel",
    add: "Add",
    select: "Select",
    search: "Search",
    noResults: "No results",
    selected: "{count} selected",
    product: "products",
    variant: "variants",
    collection: "collections",
    moreActions: "More actions",
    dismiss: "Dismiss",
  },
  "zh-CN": {
    apps: "应用",
    language: "语言",
    loading: "正在加载",
    unsavedChanges: "未保存的更改",
    save: "保存",
    discard: "放弃",
    leaveTitle: "要离开有未保存更改的页面吗？",
    leaveBody: "离开此页面将删除所有未保存的更改。",
    leave: "离开页面",
    stay: "留在此页",
    close: "关闭",
    cancel: "取消",
    add: "添加",
    select: "选择",
    search: "搜索",
    noResults: "没有结果",
    selected: "已选择 {count} 个",
    product: "产品",
    variant: "多属性",
    collection: "产品系列",
    moreActions: "更多操作",
    dismiss: "关闭",
  },
};

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function shellHtml({ appName, shop, locale, iframeSrc, config }: { appName: string; shop: string; locale: Locale; iframeSrc: string; config: ShellConfig }) {
  const text = ADMIN_TEXT[locale];
  const localeLink = (value: Locale, label: string) => `<a data-locale="${value}" href="?locale=${value}"${value === locale ? ' aria-current="true"' : ""}>${label}</a>`;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(appName)} · ${escapeHtml(shop)}</title>
<link rel="icon" href="data:,">
<style>
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  body { margin: 0; font: 13px/1.4 -apple-system, BlinkMacSystemFont, "San Francisco", "Segoe UI", Roboto, "Noto Sans CJK SC", sans-serif; background: #f1f1f1; color: #303030; }
  header { position: sticky; top: 0; z-index: 2; height: 56px; display: flex; align-items: center; gap: 16px; padding: 0 16px; background: #1a1a1a; color: #e3e3e3; }
  header .brand { font-weight: 650; color: #fff; }
  header .shop { flex: 1; color: #b5b5b5; }
  header nav { display: flex; gap: 4px; align-items: center; }
  header nav a { color: #e3e3e3; text-decoration: none; padding: 4px 8px; border-radius: 8px; }
  header nav a[aria-current] { background: #303030; color: #fff; }
  .layout { display: flex; align-items: flex-start; }
  aside { position: sticky; top: 56px; width: 240px; flex: none; min-height: calc(100vh - 56px); padding: 12px 8px; background: #ebebeb; }
  aside h2 { margin: 8px 8px 4px; font-size: 12px; font-weight: 550; color: #616161; }
  aside a { display: block; padding: 4px 8px 4px 12px; border-radius: 8px; color: #303030; text-decoration: none; }
  aside a:hover { background: #f1f1f1; }
  aside a.active, aside a[aria-current] { background: #fafafa; font-weight: 650; }
  aside #app-home { font-weight: 550; padding-left: 8px; }
  aside #app-nav a { padding-left: 24px; }
  main { flex: 1; min-width: 0; }
  #app-iframe { display: block; width: 100%; height: calc(100vh - 56px); border: 0; }
  #loading { position: fixed; top: 56px; left: 0; right: 0; height: 3px; background: #2c6ecb; z-index: 3; }
  #toasts { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); display: grid; gap: 8px; z-index: 6; }
  .toast { display: flex; gap: 12px; align-items: center; padding: 12px 16px; border-radius: 8px; background: #1a1a1a; color: #fff; }
  .toast.error { background: #8e1f0b; }
  .toast button { background: none; border: 0; color: inherit; text-decoration: underline; cursor: pointer; font: inherit; }
  #title-bar { display: flex; align-items: center; gap: 8px; min-height: 56px; padding: 12px 24px 0; }
  #title-bar h1 { flex: 1; margin: 0; font-size: 20px; font-weight: 650; }
  #title-bar .breadcrumb { text-decoration: none; }
  button.action { font: inherit; font-weight: 550; padding: 6px 12px; border-radius: 8px; border: 1px solid #c9c9c9; background: #fff; color: #303030; cursor: pointer; }
  button.action.primary { background: #303030; border-color: #303030; color: #fff; }
  button.action.critical { color: #8e1f0b; }
  button.action.primary.critical { background: #c70a24; border-color: #c70a24; color: #fff; }
  button.action:disabled { opacity: .5; cursor: default; }
  details.group { position: relative; }
  details.group > div { position: absolute; right: 0; z-index: 4; display: grid; gap: 4px; padding: 8px; background: #fff; border-radius: 8px; box-shadow: 0 4px 12px rgba(0,0,0,.2); }
  #save-bar { position: fixed; top: 0; left: 0; right: 0; height: 56px; z-index: 5; display: flex; align-items: center; gap: 8px; padding: 0 16px; background: #1a1a1a; color: #fff; }
  #save-bar .message { flex: 1; font-weight: 650; }
  #save-bar button.action.primary { background: #fff; border-color: #fff; color: #1a1a1a; }
  #save-bar.nudge { animation: nudge .3s; }
  @keyframes nudge { 25% { transform: translateX(-6px); } 75% { transform: translateX(6px); } }
  .backdrop { position: fixed; inset: 0; z-index: 5; display: flex; align-items: center; justify-content: center; background: rgba(0,0,0,.5); }
  .dialog { width: min(620px, 92vw); max-height: 86vh; display: flex; flex-direction: column; background: #fff; border-radius: 12px; box-shadow: 0 8px 24px rgba(0,0,0,.3); }
  .dialog.small { width: min(380px, 92vw); }
  .dialog > header { position: static; height: auto; background: #f3f3f3; color: #303030; padding: 12px 16px; border-radius: 12px 12px 0 0; }
  .dialog > header h2 { flex: 1; margin: 0; font-size: 14px; }
  .dialog > header button { background: none; border: 0; font-size: 18px; cursor: pointer; }
  .dialog .body { padding: 16px; overflow: auto; white-space: pre-line; }
  .dialog footer { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 16px; border-top: 1px solid #e3e3e3; }
  .dialog input[type=search] { width: 100%; padding: 6px 8px; border: 1px solid #8a8a8a; border-radius: 8px; font: inherit; }
  .dialog ul { list-style: none; margin: 8px 0 0; padding: 0; }
  .dialog li label { display: flex; gap: 8px; align-items: center; padding: 8px 4px; border-bottom: 1px solid #ebebeb; cursor: pointer; }
  .dialog li .meta { color: #616161; }
</style>
</head>
<body>
<header>
  <span class="brand">Shopify</span>
  <span class="shop">${escapeHtml(shop)}</span>
  <nav aria-label="${text.language}">${localeLink("en", "English")}${localeLink("zh-CN", "简体中文")}</nav>
</header>
<div id="loading" hidden aria-label="${text.loading}"></div>
<div class="layout">
  <aside>
    <h2>${text.apps}</h2>
    <a id="app-home" href="/app?locale=${locale}">${escapeHtml(appName)}</a>
    <nav id="app-nav" aria-label="${escapeHtml(appName)}"></nav>
  </aside>
  <main>
    <div id="title-bar" hidden></div>
    <iframe id="app-iframe" name="app-iframe" title="${escapeHtml(appName)}" src="${escapeHtml(iframeSrc)}"></iframe>
  </main>
</div>
<div id="save-bar" role="region" aria-label="${text.unsavedChanges}" hidden></div>
<div id="modals"></div>
<div id="toasts"></div>
<script type="application/json" id="admin-frame-config">${JSON.stringify(config).replace(/</g, "\\u003c")}</script>
<script src="/admin-frame.js"></script>
</body>
</html>`;
}

/** Starts the local admin frame; see the top of this file for how the app is started beside it. */
export async function startAdminFrame(options: AdminFrameOptions): Promise<AdminFrame> {
  const { shop, apiKey, apiSecret, port = 0, host = "127.0.0.1", appName = "MemberCare", staffUserId = "1" } = options;
  const appUrl = new URL(options.appUrl);
  const sessionId = randomUUID();
  const token = () => issueSessionToken({ shop, apiKey, apiSecret, userId: staffUserId, sessionId, now: Math.floor(Date.now() / 1000) });
  // Shopify admin's `host` parameter: the admin's address for this shop, base64-encoded.
  const hostParam = Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
  const { appBridge, admin } = await browserScripts();
  const catalog = async () => (typeof options.catalog === "function" ? options.catalog() : (options.catalog ?? (defaultCatalog ??= demoCatalog())));

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://frame");
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "Method Not Allowed", { Allow: "GET, HEAD" });
    if (url.pathname === "/app-bridge.js") return send(200, "text/javascript; charset=utf-8", appBridge);
    if (url.pathname === "/admin-frame.js") return send(200, "text/javascript; charset=utf-8", admin);
    // Read by the admin page only: no CORS headers, so no other origin can read a token.
    if (url.pathname === "/session-token") return send(200, "application/json", JSON.stringify({ token: token() }));
    if (url.pathname === "/resources") {
      const type = url.searchParams.get("type") as PickerType;
      if (!["product", "variant", "collection"].includes(type)) return send(400, "text/plain", "type must be product, variant or collection");
      catalog()
        .then((shopCatalog) => send(200, "application/json", JSON.stringify({ resources: searchCatalog(shopCatalog, type, url.searchParams.get("query") ?? "") })))
        .catch((error: unknown) => send(500, "text/plain", `The catalog could not be read: ${String(error)}`));
      return;
    }
    if (url.pathname === "/") return send(302, "text/plain", "", { Location: `/app${url.search}` });
    if (url.pathname !== "/app" && !url.pathname.startsWith("/app/")) return send(404, "text/plain", "Not Found");

    const locale: Locale = (url.searchParams.get("locale") ?? "").toLowerCase().startsWith("zh") ? "zh-CN" : "en";
    const appParams = new URLSearchParams(url.searchParams);
    for (const name of EMBEDDING_PARAMS) appParams.delete(name);
    appParams.set("embedded", "1");
    appParams.set("host", hostParam);
    appParams.set("id_token", token());
    appParams.set("locale", locale);
    appParams.set("shop", shop);
    const iframeSrc = new URL(`${url.pathname}?${appParams}`, appUrl).href;
    return send(200, "text/html; charset=utf-8", shellHtml({ appName, shop, locale, iframeSrc, config: { appOrigin: appUrl.origin, locale, text: ADMIN_TEXT[locale] } }));
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
