// Staff-issued rewards (issue 10) against the built app over HTTP, with real
// session tokens and the store simulator as Shopify: a code issued from the
// member page exists in Shopify for that customer only, once, until its
// expiry; limits refuse an over-limit issue with a message naming the limit,
// recording nothing and asking nothing of Shopify; two staff issuing at once
// cannot both take the last slot; a gift waits for the next parcel; a taken
// code draws another; an answer that never came is settled without a second
// code; rewards show in the timeline and their costs reach the results.
import { spawn } from "node:child_process";
import db from "~/db.server";
import { recordStaffMember } from "~/models/staff-members.server";
import { REWARD_CODE_BY_CODE } from "~/graphql/rewards";
import { memberTimeline } from "~/models/members.server";
import { collectCustomerData, deleteShopData, redactCustomer } from "~/models/privacy.server";
import { planMessages, type PlannedMessage } from "~/models/messages.server";
import { getReward, rewardCostsByMember, saveRewardSettings } from "~/models/rewards.server";
import { saveShopSettings } from "~/models/shops.server";
import { AdminRequestError, createAdminClient, type AdminClient } from "~/services/admin-client.server";
import { installProcessClock, ManualClock } from "~/services/clock.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { flowSummary, NO_MESSAGE_COSTS } from "~/services/results.server";
import { issueReward, retryPendingReward } from "~/services/rewards.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { startTestApp, type TestApp } from "./support/app";
import { customerPayload } from "./support/payloads";
import { installShop, sessionToken } from "./support/session-token";

const shop = "rewards-shop.myshopify.com";
const other = "rewards-other.myshopify.com";
const token = "shpat_rewards";
const NOW = "2026-11-20T08:00:00Z";
const clock = new ManualClock(new Date(NOW));
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let simulator: StoreSimulator;
let unroute: () => void;
let app: TestApp;
const ids: Record<string, string> = {};

async function addCustomer(name: string, store = shop) {
  const id = simulator.state.addCustomer(store, { email: `${name}@example.com`, firstName: name }).id;
  await projectInboxEvent({ shop: store, topic: "customers/create", body: JSON.stringify(customerPayload({ id, email: `${name}@example.com`, locale: "en", createdAt: "2026-10-01T12:00:00Z" })) }, clock.now());
  return id;
}

beforeAll(async () => {
  installProcessClock(clock);
  simulator = await startStoreSimulator({ clock: () => clock.now().getTime() });
  unroute = installShopRouting(simulator.url);
  simulator.addShop({ shop, accessToken: token });
  simulator.addShop({ shop: other, accessToken: "shpat_other" });
  await installShop(shop, token);
  await installShop(other, "shpat_other");
  await saveShopSettings(shop, { name: "Maple & Co", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  await saveShopSettings(other, { name: "Other", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, clock.now());
  for (const name of ["ava", "ben", "cara", "dan", "eve", "fay", "gus"]) ids[name] = await addCustomer(name);
  ids.stranger = await addCustomer("stranger", other);
  // Ava's history: 4 orders, 320.00 net: an average order of 80.00.
  await db.customer.update({ where: { shop_shopifyId: { shop, shopifyId: ids.ava } }, data: { orderCount: 4, netSpentMinor: 32_000 } });
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app?.close();
  unroute();
  await simulator.close();
  installProcessClock(null);
});

const query = (store = shop, locale = "en-US") => new URLSearchParams({ embedded: "1", shop: store, host: Buffer.from(`admin.shopify.com/store/${store.split(".")[0]}`).toString("base64url"), locale });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions say what the body holds
type Body = any;
async function issue(customer: string, fields: Record<string, string>, { userId = "42", store = shop } = {}): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${app.url}/app/members/${customer}/reward?${query(store)}&_data=${encodeURIComponent("routes/app.members.$id.reward")}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sessionToken(store, { userId })}`, "User-Agent": BROWSER },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: response.status === 404 ? null : await response.json() };
}
const codeRequests = () => simulator.requests.filter((request) => request.operationName === "CreateRewardCode").length;
const codesFor = (customer: string) => [...simulator.state.shop(shop).codeDiscounts.values()].filter((discount) => discount.customerIds?.includes(customer));
const rewardsOf = (customer: string) => db.reward.findMany({ where: { shop, customerShopifyId: customer }, orderBy: { createdAt: "asc" } });
const admin = (): AdminClient => createAdminClient({ shop, accessToken: token, apiVersion: "2026-10" });

it("issues a code from the member page that exists in Shopify for that customer only, once, until its expiry", async () => {
  const { status, body } = await issue(ids.ava, { kind: "code", valueType: "percent", value: "15", reason: "Parcel arrived late" });
  expect(status).toBe(200);
  expect(body.reward).toMatchObject({ kind: "code", status: "issued", valueType: "percent", value: 15, expiresAt: "2026-12-20T08:00:00.000Z", reason: "Parcel arrived late" });
  expect(body.reward.code).toMatch(/^MC-[A-HJKMNP-Z2-9]{8}$/);

  const [discount] = codesFor(ids.ava);
  expect(discount).toMatchObject({ code: body.reward.code, customerIds: [ids.ava], value: { percentage: 0.15 }, usageLimit: 1, appliesOncePerCustomer: true, startsAt: NOW, endsAt: "2026-12-20T08:00:00Z" });
  // Read back through Shopify's API, as a merchant's tools would see it.
  const read = await admin().request<Body>(REWARD_CODE_BY_CODE, { code: body.reward.code });
  expect(read.data.codeDiscountNodeByCode.codeDiscount).toMatchObject({ status: "ACTIVE", endsAt: "2026-12-20T08:00:00Z", usageLimit: 1, context: { customers: [{ id: `gid://shopify/Customer/${ids.ava}` }] } });

  const [row] = await rewardsOf(ids.ava);
  // Who, why and its cost: 15% of Ava's 80.00 average order.
  expect(row).toMatchObject({ issuedBy: "42", reason: "Parcel arrived late", costMinor: 1200, currencyCode: "USD", status: "issued", discountId: read.data.codeDiscountNodeByCode.id, error: null });
});

it("refuses bad input with field errors, recording nothing", async () => {
  const before = codeRequests();
  const { status, body } = await issue(ids.ben, { kind: "code", valueType: "percent", value: "35", reason: "" });
  expect(status).toBe(422);
  expect(body.errors).toEqual({ value: { key: "rewards.errors.percent", vars: { max: 20 } }, reason: { key: "rewards.errors.reason" } });
  expect(await rewardsOf(ids.ben)).toEqual([]);
  expect(codeRequests()).toBe(before);
});

it("refuses an over-limit issue with a message naming the limit, issuing nothing in Shopify", async () => {
  // The default: one reward per customer in 90 days; Ava has hers.
  const before = codeRequests();
  const again = await issue(ids.ava, { kind: "code", valueType: "amount", value: "5", reason: "Another apology" }, { userId: "43" });
  expect(again.status).toBe(422);
  expect(again.body.limit).toEqual({ key: "rewards.limit.customer", vars: { limit: 1, days: 90, used: 1, next: "2027-02-18T08:00:00.000Z" } });
  expect(codeRequests()).toBe(before);
  expect(await rewardsOf(ids.ava)).toHaveLength(1);
  expect(codesFor(ids.ava)).toHaveLength(1);

  // Two rewards per staff member a month: staff 42 has issued one (Ava's), so Ben's is the last.
  await saveRewardSettings(shop, { staffPerMonth: 2 });
  expect((await issue(ids.ben, { kind: "code", valueType: "amount", value: "10.00", reason: "Loyal regular" })).status).toBe(200);
  const over = await issue(ids.cara, { kind: "code", valueType: "percent", value: "10", reason: "Birthday" });
  expect(over.status).toBe(422);
  expect(over.body.limit).toEqual({ key: "rewards.limit.staff", vars: { limit: 2, used: 2 } });
  expect(codesFor(ids.cara)).toEqual([]);
  expect(await rewardsOf(ids.cara)).toEqual([]);
  // Another staff member still has theirs.
  expect((await issue(ids.cara, { kind: "code", valueType: "percent", value: "10", reason: "Birthday" }, { userId: "43" })).status).toBe(200);
  // And the month turns: staff 42 may issue again in December.
  clock.advance(Date.parse("2026-12-01T00:00:00Z") - clock.now().getTime());
  expect((await issue(ids.dan, { kind: "code", valueType: "percent", value: "10", reason: "Welcome back" })).status).toBe(200);
});

it("lets only one of two staff issuing at once take a customer's last slot", async () => {
  await saveRewardSettings(shop, { staffPerMonth: 100, customerPerPeriod: 1 });
  const before = codeRequests();
  const answers = await Promise.all([
    issue(ids.eve, { kind: "code", valueType: "percent", value: "10", reason: "First" }, { userId: "50" }),
    issue(ids.eve, { kind: "code", valueType: "percent", value: "12", reason: "Second" }, { userId: "51" }),
  ]);
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
  expect(answers.find((answer) => answer.status === 422)!.body.limit.key).toBe("rewards.limit.customer");
  expect(await rewardsOf(ids.eve)).toHaveLength(1);
  expect(codesFor(ids.eve)).toHaveLength(1);
  expect(codeRequests()).toBe(before + 1);
});

it("lets no burst of issues past a limit", async () => {
  await saveRewardSettings(shop, { staffPerMonth: 100, customerPerPeriod: 3 });
  const hal = await addCustomer("hal");
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, index) =>
      issueReward(shop, hal, { id: String(60 + index), name: null }, { kind: "code", valueType: "percent", value: 5, expiryDays: 7, reason: `Burst ${index}` }, { admin: admin(), now: clock.now() }),
    ),
  );
  expect(results.filter((result) => result.ok)).toHaveLength(3);
  expect(results.filter((result) => !result.ok && result.reason === "limit")).toHaveLength(5);
  expect(await rewardsOf(hal)).toHaveLength(3);
  expect(codesFor(hal)).toHaveLength(3);
});

it("lets no two app instances issuing at once pass a limit together", { timeout: 120_000 }, async () => {
  await saveRewardSettings(shop, { staffPerMonth: 100, customerPerPeriod: 3 });
  const lee = await addCustomer("lee");
  const child = () =>
    new Promise<{ issued: number; refused: number }>((resolve, reject) => {
      const env = { ...process.env, SHOP: shop, CUSTOMER: lee, ACCESS_TOKEN: token, SIMULATOR_URL: simulator.url, ISSUE_NOW: clock.now().toISOString(), ISSUE_COUNT: "4" };
      const proc = spawn(process.execPath, ["--import", "tsx", "tests/support/reward-child.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      proc.stdout.on("data", (chunk) => (out += chunk));
      proc.stderr.on("data", (chunk) => (err += chunk));
      proc.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`reward child exited ${code}: ${err}`))));
    });
  const answers = await Promise.all([child(), child(), child()]);
  expect(answers.reduce((sum, answer) => sum + answer.issued, 0)).toBe(3);
  expect(answers.reduce((sum, answer) => sum + answer.refused, 0)).toBe(9);
  expect(await rewardsOf(lee)).toHaveLength(3);
  expect(codesFor(lee)).toHaveLength(3);
});

it("records a gift for the next parcel at its cost, asking nothing of Shopify", async () => {
  const scarf = await db.gift.create({ data: { shop, name: "Silk scarf", costMinor: 450, position: 1, createdAt: clock.now(), updatedAt: clock.now() } });
  const before = codeRequests();
  const unknown = await issue(ids.fay, { kind: "gift", giftId: "nope", reason: "Thank you" });
  expect(unknown.status).toBe(422);
  expect(unknown.body.errors).toEqual({ giftId: { key: "rewards.errors.gift" } });
  const { status, body } = await issue(ids.fay, { kind: "gift", giftId: scarf.id, reason: "Thank you for ten orders" });
  expect(status).toBe(200);
  expect(body.reward).toMatchObject({ kind: "gift", status: "pending", code: null, costMinor: 450 });
  expect(await rewardsOf(ids.fay)).toMatchObject([{ kind: "gift", giftId: scarf.id, status: "pending", costMinor: 450, reason: "Thank you for ten orders" }]);
  expect(codeRequests()).toBe(before);
});

it("draws another code when Shopify finds one taken", async () => {
  // Another discount already uses the code the first draw makes (all-zero bytes: MC-AAAAAAAA).
  simulator.state.shop(shop).codeDiscounts.set("1", { ...[...simulator.state.shop(shop).codeDiscounts.values()][0], id: "1", code: "mc-aaaaaaaa", customerIds: null });
  const draws = [new Uint8Array(32), Uint8Array.from({ length: 32 }, (_, index) => index + 1)];
  const result = await issueReward(shop, ids.gus, { id: "42", name: null }, { kind: "code", valueType: "percent", value: 5, expiryDays: 7, reason: "Retry" }, { admin: admin(), now: clock.now(), random: () => draws.shift()! });
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.reward).toMatchObject({ status: "issued", code: "MC-BCDEFGHJ" });
  expect(codesFor(ids.gus).map((discount) => discount.code)).toEqual(["MC-BCDEFGHJ"]);
});

it("settles a code whose answer never came through the outbox, without creating a second one", async () => {
  await db.reward.deleteMany({ where: { shop, customerShopifyId: ids.gus } });
  // Shopify creates the first code, but the answer is lost on the way back; the second request never reaches Shopify.
  const lossy: AdminClient = {
    shop,
    async request(document, variables) {
      await admin().request(document, variables);
      throw new Error("socket hang up");
    },
  };
  const down: AdminClient = {
    shop,
    request: async () => {
      throw new AdminRequestError("Admin API unreachable: connect ECONNREFUSED");
    },
  };
  const reward = { kind: "code", valueType: "percent", value: 5, expiryDays: 7 } as const;
  const lost = await issueReward(shop, ids.gus, { id: "42", name: null }, { ...reward, reason: "Lost answer" }, { admin: lossy, now: clock.now() });
  const unsent = await issueReward(shop, await addCustomer("kit"), { id: "43", name: null }, { ...reward, reason: "Never sent" }, { admin: down, now: clock.now() });
  for (const result of [lost, unsent]) {
    expect(result).toMatchObject({ ok: true, reward: { status: "pending", discountId: null } });
    if (result.ok) expect(result.reward.error).toMatch(/No answer from Shopify yet/);
  }
  if (!lost.ok || !unsent.ok) return;
  expect(codesFor(ids.gus).filter((discount) => discount.code === lost.reward.code)).toHaveLength(1);

  // Nothing is due before the minute is up; then the outbox finds the first code and creates the second.
  expect((await drainOutbox({ adminFor: async () => admin(), clock })).claimed).toBe(0);
  clock.advance(61_000);
  await drainOutbox({ adminFor: async () => admin(), clock });
  const [settledLost, settledUnsent] = [(await getReward(shop, lost.reward.id))!, (await getReward(shop, unsent.reward.id))!];
  expect(settledLost).toMatchObject({ status: "issued", error: null });
  expect(settledUnsent).toMatchObject({ status: "issued", error: null });
  const all = [...simulator.state.shop(shop).codeDiscounts.values()];
  expect(all.filter((discount) => discount.code === lost.reward.code)).toHaveLength(1);
  expect(all.filter((discount) => discount.code === unsent.reward.code)).toHaveLength(1);
  expect(settledLost.discountId).toBe(`gid://shopify/DiscountCodeNode/${all.find((discount) => discount.code === lost.reward.code)!.id}`);
  // Settling again changes nothing.
  expect(await retryPendingReward(shop, settledLost, { admin: admin(), now: clock.now() })).toEqual(settledLost);
});

it("shows rewards in the member's timeline and on the member page, in both languages", async () => {
  const timeline = await memberTimeline(shop, ids.ava);
  expect(timeline.find((entry) => entry.kind === "rewardPercent")).toMatchObject({ detail: { staffId: "42", percent: 15, reason: "Parcel arrived late" } });
  // Staff by the name Shopify gives with an online token (issue 20), not "42".
  await recordStaffMember(shop, { id: 42, first_name: "Lena", last_name: "Park" }, clock.now());
  expect((await memberTimeline(shop, ids.fay)).find((entry) => entry.kind === "rewardGift")).toBeTruthy();
  const [code] = codesFor(ids.ava);
  const english = await (await fetch(`${app.url}/app/members/${ids.ava}?${query()}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } })).text();
  expect(english).toContain("Issue reward");
  expect(english).toContain(`Lena Park issued code ${code.code}: 15% off (Parcel arrived late)`);
  const chinese = await (await fetch(`${app.url}/app/members/${ids.ava}?${query(shop, "zh-CN")}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } })).text();
  expect(chinese).toContain("发放奖励");
  // The discount's wording is the glossary's (app/i18n/glossary.ts); here only who issued which code.
  expect(chinese).toContain(`Lena Park 发放了折扣码 ${code.code}：`);
});

it("keeps each shop's members to itself", async () => {
  expect((await issue(ids.stranger, { kind: "code", valueType: "percent", value: "10", reason: "x" })).status).toBe(404);
  expect((await issue(ids.ava, { kind: "code", valueType: "percent", value: "10", reason: "x" }, { store: other })).status).toBe(404);
});

it("adds up the reward costs per member for the results", async () => {
  const costs = await rewardCostsByMember(shop, new Date("2026-11-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"));
  expect(costs.get(ids.ava)).toEqual({ codesMinor: 1200, giftsMinor: 0 });
  expect(costs.get(ids.ben)).toEqual({ codesMinor: 1000, giftsMinor: 0 });
  expect(costs.get(ids.fay)).toEqual({ codesMinor: 0, giftsMinor: 450 });
  expect((await rewardCostsByMember(shop, new Date("2026-11-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"), [ids.fay])).size).toBe(1);
});

it("counts gifts given to a flow's contacted group among its costs, not the holdout's", async () => {
  const [ivy, jon] = [await addCustomer("ivy"), await addCustomer("jon")];
  const planned = (customer: string, holdout: boolean): PlannedMessage => ({
    customerShopifyId: customer,
    idempotencyKey: `winBack:${customer}`,
    source: "flow",
    sourceId: "winBack",
    step: "atRisk",
    channel: "email",
    messageClass: "marketing",
    priority: 5,
    variables: {},
    holdout,
    plannedAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + 7 * 86_400_000),
  });
  await planMessages(shop, [planned(ivy, false), planned(jon, true)], clock.now());
  const before = (await flowSummary(shop, "winBack", clock.now(), NO_MESSAGE_COSTS)).result.costsMinor;
  await saveRewardSettings(shop, { staffPerMonth: 100, customerPerPeriod: 5 });
  const gift = await db.gift.findFirstOrThrow({ where: { shop } });
  for (const customer of [ivy, jon]) {
    const result = await issueReward(shop, customer, { id: "42", name: null }, { kind: "gift", giftId: gift.id, reason: "Win back" }, { admin: admin(), now: clock.now() });
    expect(result.ok).toBe(true);
  }
  // A code is a cost only once redeemed, and then it is in the order's discounts.
  await issueReward(shop, ivy, { id: "42", name: null }, { kind: "code", valueType: "percent", value: 10, expiryDays: 7, reason: "Win back" }, { admin: admin(), now: clock.now() });
  const after = (await flowSummary(shop, "winBack", clock.now(), NO_MESSAGE_COSTS)).result.costsMinor;
  expect(after - before).toBe(450);
});

it("saves reward limits from the settings page, refusing bad values with nothing saved", async () => {
  const post = (fields: Record<string, string>) =>
    fetch(`${app.url}/app/rewards/settings?${query()}&_data=${encodeURIComponent("routes/app.rewards.settings")}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER },
      body: new URLSearchParams(fields),
    });
  const bad = await post({ staffPerMonth: "0", maxAmount: "abc", staffMode: "listed", staffIds: "" });
  expect(bad.status).toBe(422);
  expect(Object.keys(((await bad.json()) as Body).errors).sort()).toEqual(["maxAmountMinor", "staff", "staffPerMonth"]);
  const good = await post({ staffPerMonth: "5", customerPerPeriod: "2", customerPeriodDays: "30", maxPercent: "25", maxAmount: "15.00", defaultExpiryDays: "14", staffMode: "listed", staffIds: "42, 43", "gifts.noRepeatDays": "120", "gifts.surpriseEveryOrders": "5" });
  expect(good.status).toBe(200);
  const stored = JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop } })).rewardSettings!);
  expect(stored).toEqual({ staffPerMonth: 5, customerPerPeriod: 2, customerPeriodDays: 30, maxPercent: 25, maxAmountMinor: 1500, defaultExpiryDays: 14, staff: ["42", "43"], gifts: { noRepeatDays: 120, surpriseEveryOrders: 5 } });
  // Staff 99 is not listed now.
  const refused = await issue(ids.gus, { kind: "code", valueType: "percent", value: "5", reason: "x" }, { userId: "99" });
  expect(refused.status).toBe(422);
  expect(refused.body.limit.key).toBe("rewards.limit.notAllowed");
  const page = await (await fetch(`${app.url}/app/rewards/settings?${query(shop, "zh-CN")}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } })).text();
  expect(page).toContain("每位员工每月可发放的奖励数");
});

it("exports a customer's rewards with their data and erases them on customers/redact", async () => {
  const exported = await collectCustomerData(shop, ids.ava, []);
  expect(exported.rewards).toMatchObject([{ reason: "Parcel arrived late", costMinor: 1200 }]);
  await redactCustomer(shop, ids.ava, [], clock.now());
  expect(await rewardsOf(ids.ava)).toEqual([]);
  expect(await rewardsOf(ids.ben)).toHaveLength(1);
  await deleteShopData(other);
  await deleteShopData(shop);
  expect(await db.reward.count({ where: { shop } })).toBe(0);
});
