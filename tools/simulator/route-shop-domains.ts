// Test/demo only: the one place that maps shop domains to the store simulator.
// Shopify's library calls https://<shop>.myshopify.com/admin/...; this sends
// those requests to <simulator>/shops/<shop>/admin/... with the same method,
// headers and body, and lets every other request through untouched.
//
// Install it before @shopify/shopify-api is first imported: the library's Node
// adapter keeps the fetch it finds on globalThis at import time.
const SHOP_ADMIN = /^https:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(\/admin\/.*)$/i;

/** Routes shop Admin API calls to the simulator; returns the function that undoes it. */
export function installShopRouting(simulatorUrl: string): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const match = SHOP_ADMIN.exec(url);
    if (!match) return original(input, init);
    const target = `${simulatorUrl}/shops/${match[1].toLowerCase()}${match[2]}`;
    return original(input instanceof Request ? new Request(target, input) : target, init);
  };
  return () => {
    globalThis.fetch = original;
  };
}
