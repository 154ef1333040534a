// Nobody is demoted without a warning first (docs/decisions/0011-membership-messages.md),
// end to end: the tier sweep announces, the care planner and the dispatcher send
// the warning by email to members with or without marketing consent, the outbox
// writes the review into the $app:membership metafield of the store simulator
// (which is how members no message can reach are warned), the grace period runs
// from that first reach, and the audit finds no downgrade without a warning.
import db from "~/db.server";
import { membershipValueSchema } from "~/domain/membership";
import type { TierProgram, TierRule } from "~/domain/tiers";
import { saveFlowSettings } from "~/models/care-flows.server";
import { saveShopSettings } from "~/models/shops.server";
import { createAdminClient } from "~/services/admin-client.server";
import { planCare } from "~/services/care-planner.server";
import type { ChannelSender, OutgoingMessage } from "~/services/channels/types";
import { ManualClock } from "~/services/clock.server";
import { dispatchAllDue } from "~/services/dispatcher.server";
import { currentReviewReach, membersDowngradedWithoutWarning } from "~/services/membership-warnings.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveProgram, sweepShop } from "~/services/tiers.server";
import { unsubscribe } from "~/services/unsubscribe.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { orderPayload } from "./support/payloads";

const shop = "warned-members.myshopify.com";
const clock = new ManualClock(new Date("2026-07-02T12:00:00Z"));
/** Moves the app's clock (and the simulator's, which reads it) to an instant. */
const at = (iso: string) => clock.advance(new Date(iso).getTime() - clock.now().getTime());
let simulator: StoreSimulator;
let unroute: () => void;

const perks: TierRule["perks"] = { discountPercent: 0, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] };
const tier = (handle: string, rank: number, minNetSpendMinor: number | null): TierRule => ({
  handle, rank, name: { en: handle === "gold" ? "Gold" : "Member", "zh-CN": handle === "gold" ? "金卡" : "会员" }, minNetSpendMinor, minOrders: null, qualifyBy: "either", entryGift: null, perks,
});
// Spend in the last three months: the July orders leave the window in October, and the members fall below Gold.
const program: Omit<TierProgram, "timeZone"> = { tiers: [tier("member", 1, null), tier("gold", 2, 30_000)], window: { kind: "rolling", months: 3 }, graceDays: 14 };

/** The members, each a different way of being reachable. */
const members = {
  subscribed: { email: "sub@example.com", emailConsentState: "SUBSCRIBED" },
  notSubscribed: { email: "plain@example.com", emailConsentState: "NOT_SUBSCRIBED" },
  unreachable: { email: null, phone: null, emailConsentState: null, smsConsentState: null },
  optedOut: { email: "quiet@example.com", emailConsentState: "SUBSCRIBED" },
} as const;
type Who = keyof typeof members;
const ids: Record<Who, string> = { subscribed: "", notSubscribed: "", unreachable: "", optedOut: "" };

const sent: OutgoingMessage[] = [];
const accepting: ChannelSender = { send: async (message) => (sent.push(message), { status: "accepted", providerMessageId: `p-${sent.length}` }) };
const channels = { email: accepting, sms: accepting, flow: accepting };
const links: Array<{ customer: string; topic: string | undefined }> = [];
const dispatch = () =>
  dispatchAllDue(clock.now(), { channels, clock, unsubscribeUrl: (_shop, customer, channel, topic) => (links.push({ customer, topic }), `https://app.example/unsubscribe/${channel}/${customer}`) });

let adminFor: () => Promise<ReturnType<typeof createAdminClient>>;
const tierOf = async (who: Who) => (await db.memberTier.findUniqueOrThrow({ where: { shop_customerShopifyId: { shop, customerShopifyId: ids[who] } } })).tierHandle;
const warningOf = (who: Who) => db.tierWarning.findFirstOrThrow({ where: { shop, customerShopifyId: ids[who] }, orderBy: { announcedAt: "desc" } });
const metafieldOf = (who: Who) =>
  [...simulator.state.shop(shop).metafields.values()].find((m) => m.ownerId === `gid://shopify/Customer/${ids[who]}` && m.namespace === "app--test-api-key" && m.key === "membership");

beforeAll(async () => {
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime(), bucketSize: 2000, restoreRate: 100 });
  unroute = installShopRouting(simulator.url);
  const simShop = simulator.addShop({ shop, accessToken: `shpat_${shop}` });
  const client = createAdminClient({ shop, accessToken: simShop.accessToken, apiVersion: "2026-10" });
  adminFor = async () => client;
  await saveShopSettings(shop, { name: "Warned Members", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  let order = 8_100_000;
  for (const who of Object.keys(members) as Who[]) {
    ids[who] = simulator.state.addCustomer(shop, { email: `${who}@example.com` }).id;
    await projectInboxEvent({ shop, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(order++), customerId: ids[who], subtotal: "400.00", createdAt: "2026-07-01T10:00:00Z" })) }, clock.now());
    await db.customer.update({ where: { shop_shopifyId: { shop, shopifyId: ids[who] } }, data: { smsConsentState: "NOT_SUBSCRIBED", ...members[who] } });
  }
  await saveProgram(shop, program, "now", clock.now());
  await drainOutbox({ adminFor, clock });
  await saveFlowSettings(shop, "downgradeWarning", { enabled: true, activeHours: false }, null, clock.now());
  // The opted-out member used the link in an earlier membership email: no more of those, marketing consent untouched.
  const { found } = await unsubscribe({ shop, customerShopifyId: ids.optedOut, channel: "email", topic: "membership" }, clock.now());
  expect(found).toBe(true);
});
afterAll(async () => {
  unroute();
  await simulator.close();
});

it("places every member in Gold from their July orders", async () => {
  for (const who of Object.keys(members) as Who[]) expect(await tierOf(who)).toBe("gold");
  expect(await db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: ids.optedOut } } })).toMatchObject({ emailConsentState: "SUBSCRIBED", membershipEmailOptOutAt: clock.now() });
});

it("announces the downgrade, but never applies it while no warning has reached the member: it is announced again", async () => {
  at("2026-10-05T12:00:00Z");
  expect(await sweepShop(shop, clock.now())).toMatchObject({ members: 4, warned: 4, downgraded: 0 });
  expect(await currentReviewReach(shop)).toMatchObject({ underReview: 4, warned: 0, notYetWarned: 4 });

  // Past the announced date (20 October), with nothing delivered and nothing written to Shopify.
  at("2026-10-25T12:00:00Z");
  expect(await sweepShop(shop, clock.now())).toMatchObject({ warned: 4, downgraded: 0 });
  for (const who of Object.keys(members) as Who[]) expect(await tierOf(who)).toBe("gold");
  expect(await db.tierChange.count({ where: { shop, action: "downgrade" } })).toBe(0);
  // One warning record per member, still open and not reached; the new date is counted from now.
  expect(await db.tierWarning.count({ where: { shop } })).toBe(4);
  const member = await db.memberTier.findUniqueOrThrow({ where: { shop_customerShopifyId: { shop, customerShopifyId: ids.unreachable } } });
  expect(member.downgradeOn?.toISOString()).toBe("2026-11-09T00:00:00.000Z");
});

it("emails the warning to members with and without marketing consent, not to one who opted out of membership emails nor to one without an address", async () => {
  at("2026-10-25T12:05:00Z");
  await planCare(shop, clock.now());
  const result = await dispatch();
  expect(result).toMatchObject({ sent: 2, blocked: 2 });
  expect(sent.map((message) => message.customer.shopifyId).sort()).toEqual([ids.subscribed, ids.notSubscribed].sort());
  expect(sent[0].rendered.text).toContain("$300.00");
  // Each membership email carries the link that stops membership emails (not the marketing one).
  expect(links.map((link) => link.topic)).toEqual(["membership", "membership"]);
  const blocked = await db.message.findMany({ where: { shop, status: "blocked" }, select: { customerShopifyId: true, lastReason: true } });
  expect(Object.fromEntries(blocked.map((row) => [row.customerShopifyId, row.lastReason]))).toEqual({ [ids.unreachable]: "noAddress", [ids.optedOut]: "unsubscribed" });
  expect(await warningOf("notSubscribed")).toMatchObject({ firstChannel: "email", firstWarnedAt: clock.now(), emailAt: clock.now() });
  expect(await warningOf("unreachable")).toMatchObject({ firstWarnedAt: null });
});

it("shows the review on the account and checkout pages of every member, which warns those no message reached", async () => {
  at("2026-10-25T13:00:00Z");
  await drainOutbox({ adminFor, clock });
  const value = JSON.parse(metafieldOf("unreachable")!.value);
  expect(membershipValueSchema.parse(value).review).toEqual({ by: "2026-11-08", spendToKeepMinor: 30_000, ordersToKeep: null, currencyCode: "USD" });
  expect(await warningOf("unreachable")).toMatchObject({ firstChannel: "account", firstWarnedAt: clock.now(), publishedAt: clock.now() });
  expect(await warningOf("optedOut")).toMatchObject({ firstChannel: "account", firstWarnedAt: clock.now() });
  // The emailed member keeps the email as the first reach; the publication is recorded beside it.
  expect(await warningOf("subscribed")).toMatchObject({ firstChannel: "email", publishedAt: clock.now() });
  expect(await currentReviewReach(shop)).toEqual({ underReview: 4, warned: 4, byChannel: { email: 2, sms: 0, flow: 0, account: 4 }, noMessage: 2, notYetWarned: 0 });
});

it("downgrades only once a whole grace period has passed since each member was warned, and the audit finds nobody downgraded without a warning", async () => {
  at("2026-11-08T12:00:00Z");
  expect(await sweepShop(shop, clock.now())).toMatchObject({ downgraded: 0 });
  at("2026-11-09T00:05:00Z");
  expect(await sweepShop(shop, clock.now())).toMatchObject({ downgraded: 4 });
  for (const who of Object.keys(members) as Who[]) {
    expect(await tierOf(who)).toBe("member");
    const warning = await warningOf(who);
    expect(warning).toMatchObject({ outcome: "downgraded", closedAt: clock.now() });
    // At least the 14 days of grace between the first reach and the downgrade.
    expect(clock.now().getTime() - warning.firstWarnedAt!.getTime()).toBeGreaterThanOrEqual(14 * 86_400_000);
  }
  expect(await membersDowngradedWithoutWarning(shop)).toEqual([]);
  expect(await currentReviewReach(shop)).toMatchObject({ underReview: 0 });
});

it("the audit names a downgrade that had no warning (so a zero means something)", async () => {
  await db.tierChange.create({ data: { shop, customerShopifyId: "unwarned-1", action: "downgrade", fromHandle: "gold", toHandle: "member", reason: "grace period ended below the tier's threshold", at: clock.now() } });
  await db.tierChange.create({ data: { shop, customerShopifyId: "pinned-1", action: "downgrade", fromHandle: "gold", toHandle: "member", reason: "pinned by staff", actor: "Ana", at: clock.now() } });
  expect(await membersDowngradedWithoutWarning(shop)).toEqual([{ customerShopifyId: "unwarned-1", fromHandle: "gold", toHandle: "member", at: clock.now() }]);
});

describe("over many members and days, with Shopify unreachable on some of them", () => {
  const other = "many-members.myshopify.com";

  it("downgrades nobody without a warning that reached them a whole grace period before", { timeout: 240_000 }, async () => {
    at("2026-07-02T12:00:00Z");
    const simShop = simulator.addShop({ shop: other, accessToken: `shpat_${other}` });
    const client = createAdminClient({ shop: other, accessToken: simShop.accessToken, apiVersion: "2026-10" });
    const otherAdmin = async () => client;
    await saveShopSettings(other, { name: "Many Members", ianaTimezone: "America/New_York", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
    // A seeded generator: the same population every run.
    let seed = 17;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const contacts = [
      { email: "x@example.com", emailConsentState: "SUBSCRIBED" },
      { email: "x@example.com", emailConsentState: "NOT_SUBSCRIBED" },
      { email: "x@example.com", emailConsentState: "UNSUBSCRIBED" },
      { email: null, emailConsentState: null },
    ];
    const population: string[] = [];
    let order = 8_200_000;
    for (let i = 0; i < 30; i++) {
      const id = simulator.state.addCustomer(other, { email: `m${i}@example.com` }).id;
      population.push(id);
      // Gold from orders in April and May: each leaves the 3-month window on its own day in July or August.
      const day = 1 + Math.floor(random() * 60);
      const placed = new Date(Date.UTC(2026, 3, day, 15)).toISOString();
      await projectInboxEvent({ shop: other, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: String(order++), customerId: id, subtotal: "400.00", createdAt: placed })) }, clock.now());
      const contact = contacts[Math.floor(random() * contacts.length)]!;
      await db.customer.update({ where: { shop_shopifyId: { shop: other, shopifyId: id } }, data: { ...contact, email: contact.email ? `m${i}@example.com` : null } });
    }
    await saveProgram(other, program, "now", clock.now());
    await saveFlowSettings(other, "downgradeWarning", { enabled: true, activeHours: false }, null, clock.now());

    // Seventy-five days: the nightly sweep, the day's messages, and the outbox, which cannot reach Shopify one day in three.
    const start = Date.parse("2026-07-03T04:05:00Z"); // 00:05 in New York
    for (let day = 0; day < 75; day++) {
      at(new Date(start + day * 86_400_000).toISOString());
      await sweepShop(other, clock.now());
      at(new Date(start + day * 86_400_000 + 12 * 3_600_000).toISOString());
      await planCare(other, clock.now());
      await dispatchAllDue(clock.now(), { channels, clock, unsubscribeUrl: () => "https://app.example/unsubscribe" });
      if (random() > 1 / 3) await drainOutbox({ adminFor: otherAdmin, clock });
    }

    const downgrades = await db.tierChange.findMany({ where: { shop: other, action: "downgrade" } });
    // Not vacuous: most of the population fell below Gold and was downgraded, some reached by nothing but their account pages.
    expect(downgrades.length).toBeGreaterThan(15);
    const warnings = await db.tierWarning.findMany({ where: { shop: other, outcome: "downgraded" } });
    expect(warnings.filter((warning) => warning.firstChannel === "account").length).toBeGreaterThan(0);
    expect(warnings.filter((warning) => warning.firstChannel === "email").length).toBeGreaterThan(0);
    for (const change of downgrades) {
      const warning = warnings.find((candidate) => candidate.customerShopifyId === change.customerShopifyId && candidate.closedAt?.getTime() === change.at.getTime());
      expect(warning?.firstWarnedAt, `customer ${change.customerShopifyId}`).toBeTruthy();
      expect(change.at.getTime() - warning!.firstWarnedAt!.getTime()).toBeGreaterThanOrEqual(14 * 86_400_000);
    }
    expect(await membersDowngradedWithoutWarning(other)).toEqual([]);
  });
});
