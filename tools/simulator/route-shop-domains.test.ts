// Shop-domain routing: what Shopify's own client sends to a shop reaches the
// simulator, and nothing else is redirected.
import { startStoreSimulator, type StoreSimulator } from "./admin-api";
import { installShopRouting } from "./route-shop-domains";

const shop = "x.myshopify.com";
const accessToken = "shpat_routed";
let simulator: StoreSimulator;
let uninstall: () => void;

beforeAll(async () => {
  simulator = await startStoreSimulator();
  simulator.addShop({ shop, accessToken, name: "Routed Shop" });
  uninstall = installShopRouting(simulator.url);
});
afterAll(async () => {
  uninstall();
  await simulator.close();
});

it("sends a shop's Admin API calls made with @shopify/shopify-api to the simulator", async () => {
  // The library's Node adapter keeps the fetch it finds when first imported, so it comes after the routing.
  await import("@shopify/shopify-api/adapters/node");
  const { ApiVersion, LogSeverity, Session, shopifyApi } = await import("@shopify/shopify-api");
  const shopify = shopifyApi({ apiKey: "test-api-key", apiSecretKey: "test-api-secret", hostName: "membercare.test", apiVersion: ApiVersion.October26, isEmbeddedApp: true, logger: { level: LogSeverity.Error } });
  const client = new shopify.clients.Graphql({ session: new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken }) });

  const response = await client.request("query ShopName { shop { name myshopifyDomain } }");

  expect(response.data).toEqual({ shop: { name: "Routed Shop", myshopifyDomain: shop } });
  expect(simulator.requests.at(-1)).toMatchObject({ shop, operationName: "ShopName", status: 200, outcome: "ok" });
});

it("keeps the method, headers and body of a Request, and leaves other URLs alone", async () => {
  const request = new Request(`https://${shop}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
    body: JSON.stringify({ query: "query Named { shop { name } }" }),
  });
  expect(await (await fetch(request)).json()).toMatchObject({ data: { shop: { name: "Routed Shop" } } });
  expect(simulator.requests.at(-1)).toMatchObject({ shop, operationName: "Named" });

  const count = simulator.requests.length;
  expect(await (await fetch(`${simulator.url}/not-a-shop-route`)).json()).toEqual({ errors: "Not Found" });
  expect(simulator.requests).toHaveLength(count);
});

it("puts the previous fetch back when uninstalled", () => {
  const before = globalThis.fetch;
  const undo = installShopRouting("http://127.0.0.1:1");
  expect(globalThis.fetch).not.toBe(before);
  undo();
  expect(globalThis.fetch).toBe(before);
});
