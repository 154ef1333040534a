// Compliance topics end to end through the inbox: what the merchant can export,
// and that erasure leaves no personal data behind, in any table.
import db from "~/db.server";
import { customerFileFormSchema } from "~/domain/customer-file";
import { saveCustomerFile } from "~/models/customer-file.server";
import { storeInboxEvent } from "~/models/inbox.server";
import { ManualClock } from "~/services/clock.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { EXIT, runCli } from "../scripts/cli";
import { fulfillmentPayload, orderPayload, refundPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";

const clock = new ManualClock(new Date("2026-10-10T00:00:00Z"));
let seq = 0;

async function deliver(shop: string, topic: string, body: unknown) {
  await storeInboxEvent({ shop, webhookId: `p-${++seq}`, topic, apiVersion: "2026-10", eventId: null, triggeredAt: null, body: JSON.stringify(body), receivedAt: clock.now() });
  const result = await drainInbox({ clock });
  expect(result.failed).toBe(0);
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function seedCustomer(shop: string, customerId: string, orderId: string, email: string) {
  await deliver(shop, "orders/create", orderPayload({ id: orderId, customerId, email, subtotal: "120.00" }));
  await deliver(shop, "refunds/create", refundPayload({ id: `${orderId}9`, orderId, amount: "20.00" }));
  await deliver(shop, "fulfillments/create", fulfillmentPayload({ id: `${orderId}8`, orderId }));
}

describe("customers/data_request", () => {
  it("assembles everything held on the customer, kept for the merchant and printed by the CLI", async () => {
    const shop = "export-shop.myshopify.com";
    await installTestShop(shop);
    await seedCustomer(shop, "4100", "8100", "ada@example.com");
    await deliver(shop, "customers/data_request", {
      shop_id: 1,
      shop_domain: shop,
      orders_requested: [8100],
      customer: { id: 4100, email: "ada@example.com", phone: null },
      data_request: { id: 9999 },
    });
    const { code, out } = await cli(["export", "--shop", shop, "--customer", "4100"]);
    expect(code).toBe(EXIT.ok);
    const exported = JSON.parse(out);
    expect(exported.member).toMatchObject({ email: "ada@example.com", orderCount: 1, netSpentMinor: 10000 });
    expect(exported.orders.map((o: { shopifyId: string }) => o.shopifyId)).toEqual(["8100"]);
    expect(exported.orders[0].lines).toHaveLength(1);
    expect(exported.refunds).toHaveLength(1);
    expect(exported.fulfillments).toHaveLength(1);
    // The webhooks about them as Shopify sent them, raw bodies included (issue 18).
    expect(exported.webhooks.map((webhook: { topic: string }) => webhook.topic)).toEqual(["orders/create", "refunds/create", "fulfillments/create", "customers/data_request"]);
    expect(exported.webhooks[0].payload.body).toContain("ada@example.com");

    const member = await cli(["member", "show", "--shop", shop, "--customer", "4100", "--json"]);
    expect(JSON.parse(member.out)).toMatchObject({ shopifyId: "4100", orderCount: 1, orderGapsDays: [] });
    expect((await cli(["export", "--shop", shop, "--customer", "404"])).code).toBe(EXIT.notFound);
    expect((await cli(["member", "show", "--shop", shop])).code).toBe(EXIT.usage);
  });
});

describe("customers/redact", () => {
  it("erases the customer's personal data everywhere, keeps anonymous amounts, and touches no one else", async () => {
    const shop = "redact-shop.myshopify.com";
    await installTestShop(shop);
    await seedCustomer(shop, "4200", "8200", "grace@example.com");
    await seedCustomer(shop, "4201", "8201", "linus@example.com");
    // Each was warned of a downgrade (ADR 0011): the record is about the person.
    for (const customerShopifyId of ["4200", "4201"]) await db.tierWarning.create({ data: { shop, customerShopifyId, tierHandle: "gold", toHandle: "silver", announcedAt: clock.now() } });
    await deliver(shop, "customers/redact", { shop_id: 1, shop_domain: shop, customer: { id: 4200, email: "grace@example.com", phone: null }, orders_to_redact: [8200] });

    // The member row goes whole (a one-way tombstone stands in for it, tests/erasure.test.ts).
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "4200" } } })).toBeNull();
    expect(await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "8200" } } })).toMatchObject({ customerShopifyId: null, subtotalMinor: 12000 });

    // No stored row of any table still mentions the customer's email or name.
    const everything = JSON.stringify(
      await Promise.all([
        db.customer.findMany({ where: { shop } }),
        db.order.findMany({ where: { shop }, include: { lines: true } }),
        db.inboxEvent.findMany({ where: { shop }, include: { payload: true } }),
        db.dataRequest.findMany({ where: { shop } }),
        db.fulfillment.findMany({ where: { shop } }),
        db.refund.findMany({ where: { shop } }),
      ]),
    );
    expect(everything).not.toContain("grace@example.com");
    expect(everything).toContain("linus@example.com");
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "4201" } } })).toMatchObject({ email: "linus@example.com", orderCount: 1 });
    expect((await db.tierWarning.findMany({ where: { shop } })).map((warning) => warning.customerShopifyId)).toEqual(["4201"]);

    // A late order webhook does not bring the personal data back.
    await deliver(shop, "orders/updated", orderPayload({ id: "8200", customerId: "4200", email: "grace@example.com", updatedAt: "2026-10-09T00:00:00Z" }));
    expect(await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "4200" } } })).toBeNull();
    expect(await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "8200" } } })).toMatchObject({ customerShopifyId: null });
    expect(JSON.stringify(await db.inboxEvent.findMany({ where: { shop }, include: { payload: true } }))).not.toContain("grace@example.com");
  });
});

describe("shop/redact", () => {
  it("deletes every row of the shop and nothing of another shop", async () => {
    const gone = "gone-shop.myshopify.com";
    const kept = "kept-shop.myshopify.com";
    await installTestShop(gone);
    await installTestShop(kept);
    await seedCustomer(gone, "4300", "8300", "a@gone.example");
    await seedCustomer(kept, "4300", "8300", "a@kept.example");
    // Staff data: a customer file with its change log, a follow-up and the day's claim.
    await saveCustomerFile(gone, "4300", customerFileFormSchema.parse({ hobbies: "sailing" }), { id: "42", name: null }, clock.now());
    await db.followUpTask.create({ data: { shop: gone, customerShopifyId: "4300", reason: "thinFile", priority: 3, dueOn: "2026-10-10", createdAt: clock.now(), updatedAt: clock.now() } });
    await db.followUpRun.create({ data: { shop: gone, generatedOn: "2026-10-10", generatedAt: clock.now() } });
    await db.tierWarning.create({ data: { shop: gone, customerShopifyId: "4300", tierHandle: "gold", toHandle: "silver", announcedAt: clock.now() } });
    await deliver(gone, "shop/redact", { shop_id: 2, shop_domain: gone });
    for (const table of ["customer", "order", "orderLine", "refund", "fulfillment", "inboxEvent", "inboxBody", "dataRequest", "outboxEffect", "session", "memberTier", "tierChange", "tierWarning", "tierProgram", "customerFile", "customerFileEdit", "followUpTask", "followUpRun"] as const) {
      expect(await (db[table] as unknown as { count(args: object): Promise<number> }).count({ where: { shop: gone } }), table).toBe(0);
    }
    expect(await db.customer.count({ where: { shop: kept } })).toBe(1);
    expect(await db.order.count({ where: { shop: kept } })).toBe(1);
  });
});
