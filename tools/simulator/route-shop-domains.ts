// Test/demo only: the one place that maps shop domains to the store simulator.
// Shopify's library calls https://<shop>.myshopify.com/admin/api/...; this
// sends those requests to the simulator instead, unchanged otherwise.
const SHOP_ADMIN = /^https:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(\/admin\/.*)$/i;

export function installShopRouting(simulatorUrl: string): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const match = SHOP_ADMIN.exec(url);
    if (!match) return original(input, init);
    const target = `${simulatorUrl}/shops/${match[1]}${match[2]}`;
    return input instanceof Request ? original(new Request(target, input), init) : original(target, init);
  }) as typeof fetch;
  return () => {
    globalThis.fetch = original;
  };
}
