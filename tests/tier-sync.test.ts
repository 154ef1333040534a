// Members' tier state written to the store simulator through the outbox: the
// $app:membership metafield matches its contract, is written 25 to a call and
// only when it changed, tags follow the tier, Shopify's throttle is respected,
// and a failed write is retried, never lost.
import db from "~/db.server";
import { membershipValueSchema } from "~/domain/membership";
import type { TierProgram, TierRule } from "~/domain/tiers";
import { saveShopSettings } from "~/models/shops.server";
import { createAdminClient, type AdminClient } from "~/services/admin-client.server";
import { ManualClock } from "~/services/clock.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveProgram } from "~/services/tiers.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { orderPayload } from "./support/payloads";

const clock = new ManualClock(new Date("2026-11-02T08:00:00Z"));
let simulator: StoreSimulator;
let unroute: () => void;

const perks = (discountPercent: number): TierRule["perks"] => ({ discountPercent, discountScope: "subtotal", excludedProductTags: ["gift-card"], freeShipping: discountPercent >= 10, birthdayGift: null, notes: [] });
const tier = (handle: string, rank: number, minNetSpendMinor: number | null, discount: number): TierRule => ({
  handle, rank, name: { en: handle[0].toUpperCase() + handle.slice(1), "zh-CN": handle }, minNetSpendMinor, minOrders: null, qualifyBy: "either", entryGift: null, perks: perks(discount),
});
const program = (extra: Partial<TierProgram> = {}): Omit<TierProgram, "timeZone"> => ({
  tiers: [tier("member", 1, null, 0), tier("silver", 2, 10_000, 5), tier("gold", 3, 30_000, 10)],
  window: { kind: "lifetime" },
  graceDays: 14,
  ...extra,
});

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime(), bucketSize: 2000, restoreRate: 100 });
  unroute = installShopRouting(simulator.url);
});
afterAll(async () => {
  unroute();
  await simulator.close();
});

/** A shop in the simulator and the app, with `count` customers who each paid one order of `spend(i)`. */
async function seedShop(domain: string, count: number, spend: (i: number) => number) {
  const simShop = simulator.addShop({ shop: domain, accessToken: `shpat_${domain}` });
  await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = simulator.state.addCustomer(domain, { email: `m${i}@example.com` });
    ids.push(customer.id);
    await projectInboxEvent({ shop: domain, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(9_000_000 + ids.length + count * 10), customerId: customer.id, subtotal: (spend(i) / 100).toFixed(2), createdAt: "2026-10-01T00:00:00Z" })) }, clock.now());
  }
  const client = createAdminClient({ shop: domain, accessToken: simShop.accessToken, apiVersion: "2026-10" });
  return { ids, adminFor: async () => client };
}

const membershipOfIn = (sim: StoreSimulator, domain: string, customerId: string) =>
  [...sim.state.shop(domain).metafields.values()].find((m) => m.ownerId === `gid://shopify/Customer/${customerId}` && m.namespace === "app--test-api-key" && m.key === "membership");
const membershipOf = (domain: string, customerId: string) => membershipOfIn(simulator, domain, customerId);
const writes = (domain: string) => simulator.requests.filter((r) => r.shop === domain && r.operationName === "SetMembershipMetafields");

it("writes each member's membership value, 25 to a call, as JSON that matches its contract", async () => {
  const domain = "sync-shop.myshopify.com";
  const { ids, adminFor } = await seedShop(domain, 30, (i) => (i < 10 ? 5_000 : i < 20 ? 15_000 : 40_000));
  await saveProgram(domain, program({ tierTags: true }), "now", clock.now());
  const result = await drainOutbox({ adminFor, clock });
  expect(result).toMatchObject({ done: 3, failed: 0 }); // the memberships, the member discount and the storefront's program

  expect(writes(domain).map((r) => (r.variables.metafields as unknown[]).length)).toEqual([25, 5]);
  const gold = membershipOf(domain, ids[25])!;
  expect(gold.type).toBe("json");
  const value = membershipValueSchema.parse(JSON.parse(gold.value));
  expect(value).toMatchObject({ tier: { handle: "gold", name: { en: "Gold" } }, discount: { percent: 10, scope: "subtotal", excludedProductTags: ["gift-card"] }, freeShipping: true, progress: null });
  const silver = membershipValueSchema.parse(JSON.parse(membershipOf(domain, ids[12])!.value));
  expect(silver.progress).toEqual({ next: { handle: "gold", name: { en: "Gold", "zh-CN": "gold" } }, spendNeededMinor: 15_000, ordersNeeded: null, currencyCode: "USD" });
  // Tags follow the tier.
  expect(simulator.state.shop(domain).customers.get(ids[25])!.tags).toEqual(["membercare-gold"]);
  expect(simulator.state.shop(domain).customers.get(ids[3])!.tags).toEqual(["membercare-member"]);
});

it("does not write a value Shopify already has; a member whose state changed is written alone", async () => {
  const domain = "sync-shop.myshopify.com";
  const before = writes(domain).length;
  await saveProgram(domain, program({ tierTags: true }), "now", clock.now()); // same rules again
  await drainOutbox({ adminFor: async () => createAdminClient({ shop: domain, accessToken: `shpat_${domain}`, apiVersion: "2026-10" }), clock });
  expect(writes(domain)).toHaveLength(before);

  // One member spends more: their progress changes, nobody else's does.
  const member = [...simulator.state.shop(domain).customers.values()][0];
  await projectInboxEvent({ shop: domain, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: "9100001", customerId: member.id, subtotal: "20.00", createdAt: "2026-11-01T00:00:00Z" })) }, clock.now());
  await drainOutbox({ adminFor: async () => createAdminClient({ shop: domain, accessToken: `shpat_${domain}`, apiVersion: "2026-10" }), clock });
  expect(writes(domain)).toHaveLength(before + 1);
  const last = writes(domain).at(-1)!.variables.metafields as Array<{ ownerId: string; value: string }>;
  expect(last.map((m) => m.ownerId)).toEqual([`gid://shopify/Customer/${member.id}`]);
  expect(JSON.parse(last[0].value).progress.spendNeededMinor).toBe(3_000);
});

it("keeps one Shopify segment per tier, created once and renamed with the tier", async () => {
  const domain = "segment-shop.myshopify.com";
  const { adminFor } = await seedShop(domain, 3, (i) => i * 20_000);
  await saveProgram(domain, program({ tierTags: true, tierSegments: true }), "now", clock.now());
  await drainOutbox({ adminFor, clock });
  const segments = () => [...simulator.state.shop(domain).segments.values()].map(({ name, query }) => ({ name, query }));
  expect(segments()).toEqual([
    { name: "MemberCare: Member", query: "customer_tags CONTAINS 'membercare-member'" },
    { name: "MemberCare: Silver", query: "customer_tags CONTAINS 'membercare-silver'" },
    { name: "MemberCare: Gold", query: "customer_tags CONTAINS 'membercare-gold'" },
  ]);

  const renamed = program({ tierTags: true, tierSegments: true });
  renamed.tiers[2].name.en = "Gold Circle";
  await saveProgram(domain, renamed, "now", clock.now());
  await drainOutbox({ adminFor, clock });
  expect(segments()).toHaveLength(3);
  expect(segments()[2]).toEqual({ name: "MemberCare: Gold Circle", query: "customer_tags CONTAINS 'membercare-gold'" });
  expect(simulator.requests.filter((r) => r.shop === domain && r.operationName === "CreateTierSegment")).toHaveLength(3);
});

describe("Shopify's throttle", () => {
  // A store on a tiny bucket: 30 points, 10 restored per second.
  const domain = "throttled-shop.myshopify.com";
  let small: StoreSimulator;
  let client: AdminClient;
  const effect = () => db.outboxEffect.findFirstOrThrow({ where: { shop: domain, kind: "membership.sync" } });
  const smallWrites = () => small.requests.filter((r) => r.operationName === "SetMembershipMetafields");
  const drain = () => drainOutbox({ adminFor: async () => client, clock });

  beforeAll(async () => {
    small = await startStoreSimulator({ clock: () => clock.now().getTime(), bucketSize: 30, restoreRate: 10 });
    unroute();
    unroute = installShopRouting(small.url);
    small.addShop({ shop: domain, accessToken: "shpat_small" });
    client = createAdminClient({ shop: domain, accessToken: "shpat_small", apiVersion: "2026-10" });
    await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
    for (let i = 0; i < 100; i++) {
      const customer = small.state.addCustomer(domain, {});
      await projectInboxEvent({ shop: domain, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(7_000_000 + i), customerId: customer.id, subtotal: "50.00", createdAt: "2026-10-01T00:00:00Z" })) }, clock.now());
    }
  });
  afterAll(async () => {
    unroute();
    unroute = installShopRouting(simulator.url);
    await small.close();
  });

  it("stops when the bucket cannot pay for the next write and resumes when it has refilled, never sending a throttled call", async () => {
    await saveProgram(domain, program(), "now", clock.now());
    const cost = () => small.requests.find((r) => r.operationName === "SetMembershipMetafields");
    await drain();
    expect(cost()).toBeDefined();
    const afterFirst = smallWrites().length;
    expect(afterFirst).toBeGreaterThan(0);
    expect(afterFirst).toBeLessThan(4); // 100 members need 4 calls; the bucket holds fewer
    const postponed = await effect();
    expect(postponed).toMatchObject({ status: "pending", attempts: 0 });
    expect(postponed.availableAt.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(postponed.lastError).toMatch(/^throttle: waiting \d+ ms/);

    await drain(); // not due yet: nothing is sent
    expect(smallWrites()).toHaveLength(afterFirst);

    for (let i = 0; i < 10 && (await effect()).status !== "done"; i++) {
      clock.advance((await effect()).availableAt.getTime() - clock.now().getTime());
      await drain();
    }
    expect(await effect()).toMatchObject({ status: "done", attempts: 1 });
    expect(smallWrites().flatMap((r) => r.variables.metafields as unknown[])).toHaveLength(100);
    expect(small.requests.filter((r) => r.outcome === "throttled")).toHaveLength(0);
  });

  it("backs off when Shopify answers THROTTLED, without spending an attempt, and writes later", async () => {
    // Long enough for the bucket to refill as far as the app knows; then
    // another caller empties it behind the app's back.
    clock.advance(5_000);
    const member = [...small.state.shop(domain).customers.values()][0];
    while (small.requests.filter((r) => r.outcome === "throttled").length === 0) {
      await client.request("mutation Tag($id: ID!) { tagsAdd(id: $id, tags: [\"vip\"]) { userErrors { message } } }", { id: `gid://shopify/Customer/${member.id}` });
    }
    const throttledBefore = small.requests.filter((r) => r.outcome === "throttled").length;
    await projectInboxEvent({ shop: domain, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: "7100001", customerId: member.id, subtotal: "20.00", createdAt: "2026-11-01T00:00:00Z" })) }, clock.now());
    await drain();
    expect(small.requests.filter((r) => r.outcome === "throttled")).toHaveLength(throttledBefore + 1);
    const backedOff = await effect();
    expect(backedOff).toMatchObject({ status: "pending", attempts: 0, lastError: "THROTTLED by Shopify" });
    clock.advance(backedOff.availableAt.getTime() - clock.now().getTime());
    await drain();
    expect(await effect()).toMatchObject({ status: "done" });
    expect(JSON.parse(membershipOfIn(small, domain, member.id)!.value).progress.spendNeededMinor).toBe(3_000);
  });
});

it("retries a failed write from the outbox and loses nothing", async () => {
  const domain = "flaky-shop.myshopify.com";
  const { ids } = await seedShop(domain, 3, () => 12_000);
  await saveProgram(domain, program(), "now", clock.now());
  const broken = createAdminClient({ shop: domain, accessToken: "shpat_revoked", apiVersion: "2026-10" });
  await drainOutbox({ adminFor: async () => broken, clock });
  const failed = await db.outboxEffect.findFirstOrThrow({ where: { shop: domain, kind: "membership.sync" } });
  expect(failed).toMatchObject({ status: "pending", attempts: 1 });
  expect(failed.lastError).toMatch(/answered 401/);
  expect(ids.some((id) => membershipOf(domain, id))).toBe(false);

  clock.advance(failed.availableAt.getTime() - clock.now().getTime());
  await drainOutbox({ adminFor: async () => createAdminClient({ shop: domain, accessToken: `shpat_${domain}`, apiVersion: "2026-10" }), clock });
  expect(ids.every((id) => JSON.parse(membershipOf(domain, id)!.value).tier.handle === "silver")).toBe(true);
});
