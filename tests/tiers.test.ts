// Member tiers placed from real projected history: retroactive placement,
// upgrades on paid orders, and refund-driven downgrades that are announced
// first and happen only after the grace period.
import db from "~/db.server";
import type { TierProgram, TierRule } from "~/domain/tiers";
import { recordWarningReached } from "~/models/tier-warnings.server";
import { saveTierProgram, tierHistory } from "~/models/tiers.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { evaluateTiers } from "~/services/tiers.server";
import { orderPayload, refundPayload } from "./support/payloads";

const shop = "tiers-shop.myshopify.com";
const perks = (discountPercent: number): TierRule["perks"] => ({ discountPercent, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] });
const tier = (handle: string, rank: number, minNetSpendMinor: number | null, discount: number): TierRule => ({
  handle, rank, name: { en: handle, "zh-CN": handle }, minNetSpendMinor, minOrders: null, qualifyBy: "either", entryGift: null, perks: perks(discount),
});
const program: Omit<TierProgram, "timeZone"> = {
  tiers: [tier("member", 1, null, 0), tier("silver", 2, 10_000, 5), tier("gold", 3, 30_000, 10)],
  window: { kind: "rolling", months: 12 },
  graceDays: 14,
};

const project = (topic: string, body: unknown, now: Date) => projectInboxEvent({ shop, topic, body: JSON.stringify(body) }, now);
const tierOf = async (customer: string) => (await db.memberTier.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId: customer } } }))?.tierHandle;
const now = new Date("2026-10-10T00:00:00Z");

it("places every existing member from their history when the program is saved", async () => {
  // History arrives before there is a program: facts only.
  await project("orders/paid", orderPayload({ id: "31", customerId: "21", subtotal: "50.00", createdAt: "2026-03-01T00:00:00Z" }), now);
  await project("orders/paid", orderPayload({ id: "32", customerId: "22", subtotal: "120.00", createdAt: "2026-04-01T00:00:00Z" }), now);
  await project("orders/paid", orderPayload({ id: "33", customerId: "23", subtotal: "350.00", createdAt: "2026-05-01T00:00:00Z" }), now);
  await project("orders/paid", orderPayload({ id: "34", customerId: "24", subtotal: "900.00", createdAt: "2024-01-01T00:00:00Z" }), now); // outside the 12 months
  expect(await db.memberTier.count({ where: { shop } })).toBe(0);

  await saveTierProgram(shop, program, now);
  const customers = (await db.customer.findMany({ where: { shop }, select: { shopifyId: true } })).map((c) => c.shopifyId);
  await evaluateTiers(shop, customers, now, { sweep: false });
  expect([await tierOf("21"), await tierOf("22"), await tierOf("23"), await tierOf("24")]).toEqual(["member", "silver", "gold", "member"]);
  expect(await tierHistory(shop, "23")).toMatchObject([{ action: "placed", fromHandle: null, toHandle: "gold", reason: "placed from history" }]);
});

it("upgrades at once when a paid order qualifies the member", async () => {
  await project("orders/paid", orderPayload({ id: "35", customerId: "22", subtotal: "200.00", createdAt: "2026-10-09T00:00:00Z" }), now);
  expect(await tierOf("22")).toBe("gold");
  expect((await tierHistory(shop, "22")).at(-1)).toMatchObject({ action: "upgrade", fromHandle: "silver", toHandle: "gold" });
});

it("re-evaluates on a refund, but downgrades only at the sweep, after a warning and the grace period", async () => {
  await project("refunds/create", refundPayload({ id: "41", orderId: "33", amount: "300.00" }), now);
  expect(await tierOf("23")).toBe("gold"); // no silent downgrade on the refund itself

  await evaluateTiers(shop, ["23"], now, { sweep: true });
  const warned = await db.memberTier.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId: "23" } } });
  expect(warned).toMatchObject({ tierHandle: "gold" });
  // 14 days of grace, through the whole of 24 October (the shop's zone: UTC without a Shop row).
  expect(warned?.downgradeOn?.toISOString()).toBe("2026-10-25T00:00:00.000Z");
  expect((await tierHistory(shop, "23")).at(-1)).toMatchObject({ action: "warn", fromHandle: "gold", toHandle: "member" });
  // The warning reaches the member the next day (their account pages show it once the metafield is written).
  await recordWarningReached(shop, ["23"], "account", new Date("2026-10-11T09:00:00Z"));

  await evaluateTiers(shop, ["23"], new Date("2026-10-20T00:00:00Z"), { sweep: true });
  expect(await tierOf("23")).toBe("gold");
  await evaluateTiers(shop, ["23"], new Date("2026-10-25T00:00:00Z"), { sweep: true });
  expect(await tierOf("23")).toBe("gold"); // 14 days from the 11th: through the 25th
  await evaluateTiers(shop, ["23"], new Date("2026-10-26T00:00:00Z"), { sweep: true });
  expect(await tierOf("23")).toBe("member");
  expect((await tierHistory(shop, "23")).map((change) => change.action)).toEqual(["placed", "warn", "downgrade"]);
});

it("leaves shops without a program alone", async () => {
  await projectInboxEvent({ shop: "no-program.myshopify.com", topic: "orders/paid", body: JSON.stringify(orderPayload({ id: "36", customerId: "26", subtotal: "500.00" })) }, now);
  expect(await db.memberTier.count({ where: { shop: "no-program.myshopify.com" } })).toBe(0);
});

it("sweeps each shop once per evaluation, whoever asks, starting the day after the program is saved", async () => {
  const { runJobNow } = await import("~/jobs/start.server");
  // The "tier-sweep" job's run, as the worker runs it: the sweeps of the shops due.
  const sweepDueShops = async (at: Date) => (await runJobNow<{ shop: string }>("tier-sweep", at)).map((run) => run.result);
  const sweepShopName = "sweep-shop.myshopify.com";
  const saved = new Date("2026-11-01T08:00:00Z");
  await projectInboxEvent({ shop: sweepShopName, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: "51", customerId: "61", subtotal: "400.00", createdAt: "2026-10-01T00:00:00Z" })) }, saved);
  await saveTierProgram(sweepShopName, program, saved);
  await evaluateTiers(sweepShopName, ["61"], saved, { sweep: false });
  await projectInboxEvent({ shop: sweepShopName, topic: "refunds/create", body: JSON.stringify(refundPayload({ id: "71", orderId: "51", amount: "350.00" })) }, saved);

  // Not due on the day the program was saved (shop time zone UTC: no Shop row).
  expect((await sweepDueShops(new Date("2026-11-01T23:00:00Z"))).filter((s) => s.shop === sweepShopName)).toEqual([]);
  const nextDay = new Date("2026-11-02T00:05:00Z");
  const [first, second] = await Promise.all([sweepDueShops(nextDay), sweepDueShops(nextDay)]);
  const runs = [...first, ...second].filter((s) => s.shop === sweepShopName);
  expect(runs).toEqual([{ shop: sweepShopName, members: 1, warned: 1, downgraded: 0, cleared: 0 }]);
  expect((await tierHistory(sweepShopName, "61")).filter((c) => c.action === "warn")).toHaveLength(1);
});
