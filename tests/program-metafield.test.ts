// The tier program published to the store simulator as the app-owned shop
// metafield $app:program (issue 22): saving tiers in the admin (a real HTTP
// request to the built app) queues the publish, the outbox writes it with a
// document validated against Shopify's 2026-10 schema, and the value read back
// the way a reader reads it parses with the schema the theme blocks and the
// account page use. Unchanged rules are not written again; a value that cannot
// be published leaves the one before in place and says why.
import db from "~/db.server";
import { parseProgram, programMetafieldSchema, type ProgramMetafieldValue } from "~/domain/program-metafield";
import { starterProgram, type TierProgram } from "~/domain/tiers";
import { createAdminClient, type AdminClient } from "~/services/admin-client.server";
import { systemClock } from "~/services/clock.server";
import { drainOutbox } from "~/services/outbox-worker.server";
import { recordInstall, recordUninstall } from "~/services/install.server";
import { saveProgram, sweepShop, tiersOverview } from "~/services/tiers.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";

// The app saves with its own clock (the system's), so the outbox is drained with it too.
const clock = systemClock;
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let simulator: StoreSimulator;
let unroute: () => void;
let app: TestApp;

beforeAll(async () => {
  simulator = await startStoreSimulator();
  unroute = installShopRouting(simulator.url);
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app?.close();
  unroute();
  await simulator.close();
});

type StoredProgram = Omit<TierProgram, "timeZone">;

async function shop(domain: string, currencyCode = "USD") {
  const simShop = simulator.addShop({ shop: domain, accessToken: `shpat_${domain}`, currencyCode });
  await installShop(domain);
  await installTestShop(domain, { currencyCode }, clock.now());
  const client = createAdminClient({ shop: domain, accessToken: simShop.accessToken, apiVersion: "2026-10" });
  return { simShop, client, publish: (through: AdminClient = client) => drainOutbox({ adminFor: async () => through, clock }) };
}

/** The Tiers page's Save, as the admin posts it. */
const saveInAdmin = (domain: string, program: StoredProgram) =>
  fetch(`${app.url}/app/tiers?_data=${encodeURIComponent("routes/app.tiers")}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sessionToken(domain)}`, "User-Agent": BROWSER },
    body: new URLSearchParams({ intent: "save", program: JSON.stringify(program), mode: "now" }),
  });

/** The Tiers page as Shopify admin loads it, in the merchant's language. */
async function tiersPage(domain: string, locale: string) {
  const query = new URLSearchParams({ embedded: "1", shop: domain, host: Buffer.from(`admin.shopify.com/store/${domain.split(".")[0]}`).toString("base64url"), id_token: sessionToken(domain), locale });
  const response = await fetch(`${app.url}/app/tiers?${query}`, { headers: { "User-Agent": BROWSER } });
  expect(response.status).toBe(200);
  return (await response.text()).replace(/<[^>]*>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, " ");
}

/** The shop's `$app:program` as a reader asks Shopify for it (this query is validated against the schema too). */
async function readProgram(client: AdminClient): Promise<{ type: string; value: string } | null> {
  const answer = await client.request<{ shop: { metafield: { type: string; value: string } | null } }>(`query { shop { metafield(namespace: "$app", key: "program") { type value } } }`);
  expect(answer.errors ?? []).toEqual([]);
  return answer.data!.shop.metafield;
}

const writes = (domain: string) => simulator.requests.filter((r) => r.shop === domain && r.operationName === "SetProgramMetafield");

/** What the merchant saved, tier by tier, beside what the storefront was told (compared field by field, not against hand-written figures). */
function expectPublishedAs(value: ProgramMetafieldValue, program: StoredProgram) {
  const saved = [...program.tiers].sort((a, b) => a.rank - b.rank);
  expect(value.tiers.map((tier) => tier.handle)).toEqual(saved.map((tier) => tier.handle));
  value.tiers.forEach((tier, i) => {
    expect(tier.name).toEqual(saved[i].name);
    expect(tier.requirement).toEqual({ spendMinor: saved[i].minNetSpendMinor, orders: saved[i].minOrders, qualifyBy: saved[i].qualifyBy });
    expect(tier.discountPercent).toBe(saved[i].perks.discountPercent);
    expect(tier.freeShipping).toBe(saved[i].perks.freeShipping);
    expect(tier.perks).toEqual(saved[i].perks.notes);
  });
}

it("publishes the tiers saved in the admin to the shop metafield, in the shop's currency, and only again when they change", async () => {
  const domain = "program-publish.myshopify.com";
  const { client, publish, simShop } = await shop(domain, "CNY");
  const program = starterProgram();
  program.tiers[2].perks.notes = [{ en: "Early access to sales", "zh-CN": "提前参加促销" }];
  program.tiers[1].perks.birthdayGift = "Tote bag";

  expect((await saveInAdmin(domain, program)).status).toBe(200);
  expect(await readProgram(client)).toBeNull(); // rows first: nothing reaches Shopify before the outbox runs
  await publish();

  const stored = await readProgram(client);
  expect(stored?.type).toBe("json");
  const value = programMetafieldSchema.parse(JSON.parse(stored!.value));
  expect(value.currencyCode).toBe("CNY");
  expect(value.window).toEqual(program.window);
  expectPublishedAs(value, program);
  expect(value.tiers[1].birthdayGift).toBe("Tote bag");
  // Stored under the app's reserved namespace on the shop itself.
  const metafield = [...simShop.metafields.values()].find((m) => m.key === "program");
  expect(metafield).toMatchObject({ ownerId: `gid://shopify/Shop/${simShop.id}`, namespace: "app--test-api-key" });
  expect((await tiersOverview(domain)).storefront).toMatchObject({ published: true, error: null });

  // The same rules saved again: nothing is written.
  expect((await saveInAdmin(domain, program)).status).toBe(200);
  await publish();
  expect(writes(domain)).toHaveLength(1);

  // A perk changes: the storefront is told.
  const changed = { ...program, tiers: program.tiers.map((tier) => (tier.handle === "silver" ? { ...tier, perks: { ...tier.perks, discountPercent: 7, freeShipping: true } } : tier)) };
  expect((await saveInAdmin(domain, changed)).status).toBe(200);
  await publish();
  expect(writes(domain)).toHaveLength(2);
  expectPublishedAs(parseProgram((await readProgram(client))!.value)!, changed);
  expect(await tiersPage(domain, "en-US")).toMatch(/Online store .* Published to your store /);
});

it("refuses in the admin a program too long for every storefront page to carry, and the published one stays", async () => {
  const domain = "program-too-long.myshopify.com";
  const { client, publish } = await shop(domain);
  const program = starterProgram();
  expect((await saveInAdmin(domain, program)).status).toBe(200);
  await publish();
  const before = (await readProgram(client))!.value;
  const definitionBefore = (await db.tierProgram.findUniqueOrThrow({ where: { shop: domain } })).definition;

  // Each tier fits checkout's 10,000 bytes; all four together do not fit the storefront's bound.
  const wordy = { ...program, tiers: program.tiers.map((tier) => ({ ...tier, perks: { ...tier.perks, notes: Array.from({ length: 16 }, (_, i) => ({ en: `Perk ${i}: ${"a generous explanation ".repeat(12)}`, "zh-CN": `权益 ${i}` })) } })) };
  const refused = await saveInAdmin(domain, wordy);
  expect(refused.status).toBe(422);
  const body = (await refused.json()) as { errors: Record<string, { key: string; vars: { bytes: number; max: number } }> };
  expect(body.errors.tiers).toMatchObject({ key: "tiers.errors.tooLargeForStorefront", vars: { max: 16_000 } });
  expect(body.errors.tiers.vars.bytes).toBeGreaterThan(16_000);

  // Nothing lost: the rules and the storefront's copy are as before.
  await publish();
  expect((await db.tierProgram.findUniqueOrThrow({ where: { shop: domain } })).definition).toBe(definitionBefore);
  expect((await readProgram(client))!.value).toBe(before);
});

it("keeps Shopify's refusal for the Tiers page, leaves the published program in place, and publishes on the next save", async () => {
  const domain = "program-refused.myshopify.com";
  const { client, publish } = await shop(domain);
  const program = starterProgram();
  await saveProgram(domain, program, "now", clock.now());
  await publish();
  const before = (await readProgram(client))!.value;

  // Shopify answers metafieldsSet with a user error (as it does for a value its definition rejects).
  const refusing: AdminClient = {
    ...client,
    request: async <T,>(query: string, variables?: Record<string, unknown>) =>
      query.includes("SetProgramMetafield")
        ? ({ data: { metafieldsSet: { metafields: null, userErrors: [{ field: ["metafields", "0", "value"], message: "Value is invalid for this definition.", code: "INVALID_VALUE" }] } } } as T & never)
        : client.request<T>(query, variables),
  };
  const renamed = { ...program, tiers: program.tiers.map((tier) => (tier.handle === "gold" ? { ...tier, name: { en: "Gold Circle", "zh-CN": "金卡会" } } : tier)) };
  await saveProgram(domain, renamed, "now", clock.now());
  const result = await publish(refusing);
  expect(result.failed).toBe(0); // not retried: the merchant has to act, and saving asks again
  expect((await tiersOverview(domain)).storefront).toMatchObject({ published: true, error: "Value is invalid for this definition." });
  expect((await readProgram(client))!.value).toBe(before);
  // The merchant reads it on the Tiers page, in their language.
  expect(await tiersPage(domain, "en-US")).toContain("Shopify refused the last publish, so your store still shows the tiers published before. Shopify said: Value is invalid for this definition.");
  expect(await tiersPage(domain, "zh-CN")).toContain("Shopify 拒绝了最近一次发布，网店仍展示此前发布的等级。Shopify 的说明：Value is invalid for this definition.");

  await saveProgram(domain, renamed, "now", clock.now());
  await publish();
  expect(parseProgram((await readProgram(client))!.value)!.tiers.find((tier) => tier.handle === "gold")!.name.en).toBe("Gold Circle");
  expect((await tiersOverview(domain)).storefront).toMatchObject({ published: true, error: null });
});

it("publishes, at the daily sweep, a program saved before publishing existed, and again when the shop's currency changed", async () => {
  const domain = "program-backfill.myshopify.com";
  const { client, publish } = await shop(domain);
  await saveProgram(domain, starterProgram(), "now", clock.now());
  // As a shop whose program predates publishing: nothing published, nothing queued.
  await db.outboxEffect.deleteMany({ where: { shop: domain, kind: "program.publish" } });
  await db.tierProgram.update({ where: { shop: domain }, data: { programPublished: null, programPublishedAt: null } });

  await sweepShop(domain, clock.now());
  await publish();
  expect(parseProgram((await readProgram(client))!.value)?.currencyCode).toBe("USD");

  // An unchanged program: the sweep asks for nothing.
  await sweepShop(domain, clock.now());
  expect(await db.outboxEffect.findUnique({ where: { shop_idempotencyKey: { shop: domain, idempotencyKey: "program.publish" } }, select: { status: true } })).toEqual({ status: "done" });

  await installTestShop(domain, { currencyCode: "EUR" }, clock.now());
  await sweepShop(domain, clock.now());
  await publish();
  expect(parseProgram((await readProgram(client))!.value)?.currencyCode).toBe("EUR");
});

it("publishes the program again when the app is installed again after an uninstall", async () => {
  const domain = "program-reinstall.myshopify.com";
  const { client, publish } = await shop(domain);
  await saveProgram(domain, starterProgram(), "now", clock.now());
  await publish();
  expect(writes(domain)).toHaveLength(1);

  await recordUninstall(domain, clock.now());
  // The app's install as afterAuth runs it, its settings asked of the simulator.
  const admin = { graphql: async (query: string) => new Response(JSON.stringify(await client.request(query))) };
  await recordInstall({ shop: domain, scopes: null, admin });
  await publish();
  expect(writes(domain)).toHaveLength(2);
  expect(parseProgram((await readProgram(client))!.value)?.tiers).toHaveLength(starterProgram().tiers.length);
  // An install with nothing changed since asks for nothing.
  await recordInstall({ shop: domain, scopes: null, admin });
  await publish();
  expect(writes(domain)).toHaveLength(2);
});
