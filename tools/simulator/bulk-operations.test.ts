// Bulk queries, orders and segments as Shopify serves them: the same refusals,
// the 60-day rule without read_all_orders, JSONL with `__parentId`, grouped or
// not, results that complete on the clock and expire.
import { RUN_BULK_QUERY, BULK_OPERATION_STATUS, ORDERS_BULK_QUERY } from "../../app/graphql/backfill";
import { CREATE_TIER_SEGMENT, UPDATE_TIER_SEGMENT } from "../../app/graphql/membership";
import { startStoreSimulator, type StoreSimulator } from "./admin-api";

const shop = "bulk-shop.myshopify.com";
const limited = "limited-shop.myshopify.com";
const token = "shpat_simulated";
let now = Date.parse("2026-11-02T08:00:00Z");
let simulator: StoreSimulator;
const DAY = 86_400_000;

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => now, bulkRunMs: 5000 });
  simulator.addShop({ shop, accessToken: token });
  simulator.addShop({ shop: limited, accessToken: token, grantedScopes: ["read_customers", "read_orders"] });
  for (const domain of [shop, limited]) {
    const ana = simulator.state.addCustomer(domain, { firstName: "Ana", email: "ana@example.com" });
    const old = simulator.state.addOrder(domain, { customerId: ana.id, createdAt: new Date(now - 400 * DAY).toISOString(), lineItems: [{ unitPriceMinor: 4000, quantity: 2 }, { unitPriceMinor: 1500 }] });
    simulator.state.addRefund(domain, old.id, 1500);
    simulator.state.addOrder(domain, { customerId: ana.id, createdAt: new Date(now - 10 * DAY).toISOString(), lineItems: [{ unitPriceMinor: 2500 }] });
  }
});
afterAll(() => simulator.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

async function graphql(query: string, variables: Record<string, unknown> = {}, domain = shop): Promise<{ data?: Loose; errors?: Loose }> {
  const response = await fetch(`${simulator.url}/shops/${domain}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Loose; errors?: Loose };
}

async function runBulk(query: string, groupObjects: boolean, domain = shop) {
  const { data } = await graphql(RUN_BULK_QUERY, { query, groupObjects }, domain);
  return data.bulkOperationRunQuery;
}

const status = async (id: string, domain = shop) => (await graphql(BULK_OPERATION_STATUS, { id }, domain)).data.bulkOperation;

async function completed(query: string, groupObjects: boolean, domain = shop) {
  const { bulkOperation } = await runBulk(query, groupObjects, domain);
  now += 5000;
  const done = await status(bulkOperation.id, domain);
  expect(done.status).toBe("COMPLETED");
  const text = await (await fetch(done.url)).text();
  return { operation: done, lines: text.trim().split("\n").map((line) => JSON.parse(line) as Loose) };
}

describe("bulk queries", () => {
  it("refuses what Shopify refuses, with the reason", async () => {
    const refusals = [
      ["{ shop { name } }", /at least one connection/],
      ["{ orders { edges { node { id nosuchfield } } } }", /Cannot query field "nosuchfield"/],
      ['{ node(id: "gid://shopify/Order/1") { id } }', /`node` and `nodes`/],
      ["{ orders { edges { node { name lineItems { edges { node { id } } } } } } }", /must select the 'id' field/],
      ["{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }", /nesting depth greater than 2/],
    ] as const;
    for (const [query, reason] of refusals) {
      const payload = await runBulk(query, false);
      expect(payload.bulkOperation).toBeNull();
      expect(payload.userErrors[0]).toMatchObject({ field: ["query"], code: "INVALID", message: expect.stringMatching(reason) });
    }
  });

  it("runs until the clock passes its duration, then serves one JSON object per line", async () => {
    const { bulkOperation } = await runBulk("{ customers { edges { node { id firstName amountSpent { amount } numberOfOrders } } } }", false);
    expect(bulkOperation.status).toBe("CREATED");
    now += 1000;
    expect(await status(bulkOperation.id)).toMatchObject({ status: "RUNNING", url: null, objectCount: "0" });
    now += 4000;
    const done = await status(bulkOperation.id);
    expect(done).toMatchObject({ status: "COMPLETED", objectCount: "1", rootObjectCount: "1", url: expect.stringContaining("/bulk/") });
    const lines = (await (await fetch(done.url)).text()).trim().split("\n").map((line) => JSON.parse(line));
    // Lifetime totals move like Shopify's: 80 + 15 + 25 spent, 15 refunded, two orders.
    expect(lines).toEqual([{ id: expect.stringMatching(/^gid:\/\/shopify\/Customer\/\d+$/), firstName: "Ana", amountSpent: { amount: "105.0" }, numberOfOrders: "2" }]);
  });

  it("puts nested connection nodes on their own lines with __parentId, right after the parent only when grouped", async () => {
    const grouped = await completed(ORDERS_BULK_QUERY.replace("#graphql", ""), true);
    expect(grouped.lines.map((line) => (line.__parentId ? "item" : "order"))).toEqual(["order", "item", "item", "order", "item"]);
    expect(grouped.lines[1].__parentId).toBe(grouped.lines[0].id);
    expect(grouped.lines[0]).toMatchObject({ displayFinancialStatus: "PARTIALLY_REFUNDED", subtotalPriceSet: { shopMoney: { amount: "95.0" } }, refunds: [{ totalRefundedSet: { shopMoney: { amount: "15.0" } } }] });
    expect(grouped.lines[0]).not.toHaveProperty("lineItems");
    expect(grouped.operation).toMatchObject({ objectCount: "5", rootObjectCount: "2" });

    const ungrouped = await completed(ORDERS_BULK_QUERY.replace("#graphql", ""), false);
    expect(ungrouped.lines.map((line) => (line.__parentId ? "item" : "order"))).toEqual(["order", "order", "item", "item", "item"]);
  });

  it("sees only the last 60 days of orders without read_all_orders, and says which scopes it has", async () => {
    const { lines } = await completed("{ orders { edges { node { id createdAt } } } }", false, limited);
    expect(lines).toHaveLength(1);
    expect(Date.parse(lines[0].createdAt)).toBeGreaterThan(now - 60 * DAY);
    const scopes = await graphql("{ currentAppInstallation { accessScopes { handle } } }", {}, limited);
    expect(scopes.data.currentAppInstallation.accessScopes.map((scope: Loose) => scope.handle)).not.toContain("read_all_orders");
  });

  it("answers an expired result URL with a client error", async () => {
    const { operation } = await completed("{ customers { edges { node { id } } } }", false);
    simulator.state.shop(shop).bulkOperations.get(operation.id.split("/").pop())!.expired = true;
    expect((await fetch(operation.url)).status).toBe(400);
  });

  it("runs at most five bulk queries at a time", async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await runBulk("{ customers { edges { node { id } } } }", false)).bulkOperation.id);
    const sixth = await runBulk("{ customers { edges { node { id } } } }", false);
    expect(sixth).toMatchObject({ bulkOperation: null, userErrors: [{ code: "LIMIT_REACHED" }] });
    now += 5000;
    expect((await runBulk("{ customers { edges { node { id } } } }", false)).bulkOperation).not.toBeNull();
  });
});

describe("segments", () => {
  it("creates and renames a tag segment, refusing a name already taken", async () => {
    const created = (await graphql(CREATE_TIER_SEGMENT, { name: "MemberCare: Gold", query: "customer_tags CONTAINS 'membercare-gold'" })).data.segmentCreate;
    expect(created).toMatchObject({ segment: { name: "MemberCare: Gold", query: "customer_tags CONTAINS 'membercare-gold'" }, userErrors: [] });
    const taken = (await graphql(CREATE_TIER_SEGMENT, { name: "MemberCare: Gold", query: "customer_tags CONTAINS 'x'" })).data.segmentCreate;
    expect(taken).toMatchObject({ segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] });
    const renamed = (await graphql(UPDATE_TIER_SEGMENT, { id: created.segment.id, name: "MemberCare: Or" })).data.segmentUpdate;
    expect(renamed.segment).toMatchObject({ id: created.segment.id, name: "MemberCare: Or", query: "customer_tags CONTAINS 'membercare-gold'" });
  });
});
