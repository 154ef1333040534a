// A campaign's audience (issue 9) on the real database: each filter, their
// combination, "bought product X" (with and without a recent-days bound), the
// reachable-only rule per channel, and paging through it whole.
import db from "~/db.server";
import { validateAudience, type AudienceFilter } from "~/domain/campaigns/audience";
import { audiencePage, countAudience } from "~/models/campaign-audience.server";
import { saveShopSettings } from "~/models/shops.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { customerPayload, orderPayload } from "./support/payloads";

const shop = "audience.myshopify.com";
const other = "audience-other.myshopify.com";
const NOW = new Date("2026-11-01T00:00:00Z");
const TEA = "8001";
const KETTLE = "8002";

const audience = (input: Partial<AudienceFilter>) => {
  const result = validateAudience(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.audience;
};

async function member(id: string, { product, at, email = "SUBSCRIBED", sms = null, phone = null }: { product: string; at: string; email?: string | null; sms?: string | null; phone?: string | null }, domain = shop) {
  await projectInboxEvent({ shop: domain, topic: "customers/create", body: JSON.stringify(customerPayload({ id, email: `c${id}@example.com`, phone, emailMarketing: email, smsMarketing: sms })) }, NOW);
  await projectInboxEvent({ shop: domain, topic: "orders/paid", body: JSON.stringify(orderPayload({ id: `${id}0`, customerId: id, createdAt: at, lines: [{ id: `${id}01`, productId: product, price: "30.00" }] })) }, NOW);
}

beforeAll(async () => {
  for (const domain of [shop, other]) await saveShopSettings(domain, { name: domain, ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, NOW);
  await member("101", { product: TEA, at: "2026-10-20T10:00:00Z" });
  await member("102", { product: TEA, at: "2025-01-10T10:00:00Z" });
  await member("103", { product: KETTLE, at: "2026-10-25T10:00:00Z" });
  await member("104", { product: TEA, at: "2026-10-21T10:00:00Z", email: "UNSUBSCRIBED", sms: "SUBSCRIBED", phone: "+8613800000000" });
  await member("105", { product: KETTLE, at: "2026-10-22T10:00:00Z", email: "NOT_SUBSCRIBED" });
  await member("901", { product: TEA, at: "2026-10-20T10:00:00Z" }, other);
  await db.customer.updateMany({ where: { shop, shopifyId: { in: ["101", "103"] } }, data: { rfmSegment: "champions", valueClass: "key", lifecycleStage: "active", countryCode: "CN", tags: "vip, Tea Club" } });
  await db.customer.updateMany({ where: { shop, shopifyId: "102" }, data: { rfmSegment: "atRisk", valueClass: "main", lifecycleStage: "dormant", countryCode: "US" } });
  await db.memberTier.createMany({ data: [{ shop, customerShopifyId: "101", tierHandle: "gold", since: NOW }, { shop, customerShopifyId: "102", tierHandle: "silver", since: NOW }] });
});

const ids = async (filter: AudienceFilter, channel: "email" | "sms" = "email") => (await audiencePage(shop, filter, channel, NOW, null, 100)).map((row) => row.shopifyId);

it("keeps to members email may reach, of this shop only, when nothing else is chosen", async () => {
  expect(await ids(audience({}))).toEqual(["101", "102", "103"]);
  expect(await countAudience(shop, audience({}), "email", NOW)).toBe(3);
  expect(await ids(audience({}), "sms")).toEqual(["104"]);
  expect(await ids(audience({ reachableOnly: false }))).toEqual(["101", "102", "103", "104", "105"]);
});

it("filters by tier, segment, stage, value class, country and tag, each 'any of', combined with 'and'", async () => {
  expect(await ids(audience({ tiers: ["gold", "silver"] }))).toEqual(["101", "102"]);
  expect(await ids(audience({ segments: ["champions"] }))).toEqual(["101", "103"]);
  expect(await ids(audience({ stages: ["dormant"] }))).toEqual(["102"]);
  expect(await ids(audience({ valueClasses: ["key", "main"], countries: ["us"] }))).toEqual(["102"]);
  expect(await ids(audience({ tags: ["tea club"] }))).toEqual(["101", "103"]);
  expect(await ids(audience({ tags: ["tea"] }))).toEqual([]); // whole tags, not parts of one
  expect(await ids(audience({ segments: ["champions"], tiers: ["gold"] }))).toEqual(["101"]);
});

it("finds exactly the members who bought a product, and only recently when asked", async () => {
  expect(await ids(audience({ boughtProducts: [TEA], reachableOnly: false }))).toEqual(["101", "102", "104"]);
  expect(await ids(audience({ boughtProducts: [TEA], boughtWithinDays: 30, reachableOnly: false }))).toEqual(["101", "104"]);
  expect(await ids(audience({ boughtProducts: [TEA, KETTLE], boughtWithinDays: 30 }))).toEqual(["101", "103"]);
});

it("pages through the audience by id without repeats", async () => {
  const filter = audience({ reachableOnly: false });
  const first = await audiencePage(shop, filter, "email", NOW, null, 2);
  const second = await audiencePage(shop, filter, "email", NOW, first.at(-1)!.shopifyId, 2);
  const third = await audiencePage(shop, filter, "email", NOW, second.at(-1)!.shopifyId, 2);
  expect([...first, ...second, ...third].map((row) => row.shopifyId)).toEqual(["101", "102", "103", "104", "105"]);
});

it("refuses an audience it cannot use, naming the field", () => {
  expect(validateAudience({ segments: ["vips"] })).toEqual({ ok: false, errors: { segments: "campaigns.errors.audience.segments" } });
  expect(validateAudience({ countries: ["USA"] })).toEqual({ ok: false, errors: { countries: "campaigns.errors.audience.countries" } });
  expect(validateAudience({ boughtWithinDays: 30 })).toEqual({ ok: false, errors: { boughtWithinDays: "campaigns.errors.boughtWithinNeedsProducts" } });
  // The resource picker gives product GIDs (kept as the ids order lines carry); anything else is refused.
  expect(validateAudience({ boughtProducts: ["gid://shopify/Collection/1"] })).toMatchObject({ ok: false, errors: { boughtProducts: "campaigns.errors.audience.boughtProducts" } });
});
