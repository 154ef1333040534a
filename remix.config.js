/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}", "**/__*.*"],
  serverModuleFormat: "esm",
  // Polaris ships JSON imports that Node's ESM loader rejects without import
  // attributes; bundling it into the server build sidesteps that. The app
  // library's React part is bundled too, so that its AppProvider and our pages
  // share the one bundled Polaris (and its i18n context).
  serverDependenciesToBundle: [/^@shopify\/polaris/, /^@shopify\/shopify-app-remix\/react/],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};
