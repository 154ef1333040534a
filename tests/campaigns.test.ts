// Campaigns (issue 9) on the real database: drafts validated, scheduling plans
// one message per member at their own local hour with the holdout kept back,
// a pre-announcement before it, refusals with reasons, cancelling, duplicating
// and the lifecycle as messages go.
import db from "~/db.server";
import { isHeldOut } from "~/domain/results/holdout";
import { saveShopSettings } from "~/models/shops.server";
import type { TierRule } from "~/domain/tiers";
import { saveProgram } from "~/services/tiers.server";
import { advanceCampaigns, campaignActivity, campaignContent, cancelCampaign, duplicateCampaign, previewAudience, saveCampaign, scheduleCampaign } from "~/services/campaigns.server";

const shop = "campaigns.myshopify.com";
const NOW = new Date("2026-11-20T08:00:00Z");
const MEMBERS = 400;

const draft = (overrides: Record<string, unknown> = {}) => ({
  name: "Winter tea",
  channel: "email",
  content: { en: { subject: "Winter tea for {{firstName}}", body: "New blends are in." }, "zh-CN": { subject: "{{firstName}}，冬季茶品上新", body: "新品已到。" } },
  audience: {},
  sendOn: "2026-12-01",
  sendHour: 10,
  holdoutPercent: 10,
  ...overrides,
});

async function saved(overrides: Record<string, unknown> = {}) {
  const result = await saveCampaign(shop, null, draft(overrides), "staff-1", NOW);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.id;
}

beforeAll(async () => {
  await saveShopSettings(shop, { name: "Tea House", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", primaryLocale: "zh-CN", scopes: null }, NOW);
  await db.customer.createMany({
    data: Array.from({ length: MEMBERS }, (_, i) => ({
      shop,
      shopifyId: String(500_000 + i),
      email: `m${i}@example.com`,
      emailConsentState: i % 10 === 9 ? "UNSUBSCRIBED" : "SUBSCRIBED",
      timeZone: i % 3 === 0 ? "America/New_York" : i % 3 === 1 ? null : "Europe/Berlin",
      rfmSegment: i % 2 ? "champions" : "loyal",
    })),
  });
});

it("refuses a draft it cannot send, naming the fields", async () => {
  expect(await saveCampaign(shop, null, draft({ name: " ", content: { en: { subject: "", body: "Hi {{nickname}}" } } }), null, NOW)).toEqual({
    ok: false,
    errors: { name: "campaigns.errors.field.name" },
  });
  expect(await saveCampaign(shop, null, draft({ content: { en: { subject: "", body: "Hi {{nickname}}" } } }), null, NOW)).toEqual({
    ok: false,
    errors: { "content.en.subject": "campaigns.errors.contentRequired", "content.en.body": "campaigns.errors.unknownVariable" },
  });
  expect(await saveCampaign(shop, null, draft({ holdoutPercent: 80 }), null, NOW)).toEqual({ ok: false, errors: { holdoutPercent: "campaigns.errors.field.holdoutPercent" } });
});

it("counts the audience live, keeping to members email may reach", async () => {
  expect(await previewAudience(shop, {}, "email", NOW)).toEqual({ ok: true, count: 360 });
  expect(await previewAudience(shop, { segments: ["champions"] }, "email", NOW)).toEqual({ ok: true, count: 160 });
});

it("schedules once: a message per reachable member at 10:00 in their own zone, about 10% held out by the stable draw", async () => {
  const id = await saved();
  const result = await scheduleCampaign(shop, id, NOW);
  expect(result).toMatchObject({ ok: true });
  if (!result.ok) return;
  expect(result.planned + result.heldOut).toBe(360);
  expect(result.heldOut).toBeGreaterThan(15);
  expect(result.heldOut).toBeLessThan(60);
  // A second click plans nothing more.
  expect(await scheduleCampaign(shop, id, NOW)).toEqual({ ok: false, errors: { campaign: "campaigns.errors.notDraft" } });

  const messages = await db.message.findMany({ where: { shop, sourceId: id } });
  expect(messages).toHaveLength(360);
  for (const message of messages) {
    expect(message.status).toBe(message.holdout ? "heldOut" : "scheduled");
    expect(message.holdout).toBe(isHeldOut(shop, campaignActivity(id), message.customerShopifyId, 10));
    expect(message.messageClass).toBe("marketing");
  }
  const at = (customer: number) => messages.find((m) => m.customerShopifyId === String(500_000 + customer))!.plannedAt.toISOString();
  expect(at(0)).toBe("2026-12-01T15:00:00.000Z"); // New York, EST
  expect(at(1)).toBe("2026-12-01T02:00:00.000Z"); // no zone: the shop's (Shanghai)
  expect(at(2)).toBe("2026-12-01T09:00:00.000Z"); // Berlin, CET
  expect(messages.every((m) => +m.expiresAt - +m.plannedAt === 3 * 86_400_000)).toBe(true);
  const campaign = await db.campaign.findFirstOrThrow({ where: { shop, id } });
  expect(campaign).toMatchObject({ status: "scheduled", audienceCount: 360 });
});

it("sends a pre-announcement days before, expiring when the campaign goes; the holdout misses both", async () => {
  const id = await saved({ audience: { segments: ["champions"] }, content: { en: { subject: "Winter tea for {{firstName}}", body: "New blends are in." } }, preAnnouncement: { daysBefore: 3, content: { en: { subject: "Coming soon", body: "In three days." } } } });
  await scheduleCampaign(shop, id, NOW);
  const rows = await db.message.findMany({ where: { shop, sourceId: id, customerShopifyId: "500003" } });
  const pre = rows.find((row) => row.step === "preAnnouncement")!;
  const main = rows.find((row) => row.step === "main")!;
  expect(pre.plannedAt.toISOString()).toBe("2026-11-28T15:00:00.000Z");
  expect(+pre.expiresAt).toBeLessThanOrEqual(+main.plannedAt);
  const byCustomer = new Map<string, Set<boolean>>();
  for (const row of await db.message.findMany({ where: { shop, sourceId: id } })) byCustomer.set(row.customerShopifyId, (byCustomer.get(row.customerShopifyId) ?? new Set()).add(row.holdout));
  expect([...byCustomer.values()].every((groups) => groups.size === 1)).toBe(true);
  expect(await campaignContent(shop, id, "preAnnouncement", "en")).toMatchObject({ subject: "Coming soon" });
  // No zh-CN version written: Chinese readers get the English one rather than nothing.
  expect(await campaignContent(shop, id, "main", "zh-CN")).toMatchObject({ subject: "Winter tea for {{firstName}}" });
});

it("refuses to schedule a past date or an empty audience", async () => {
  expect(await scheduleCampaign(shop, await saved({ sendOn: "2026-11-19" }), NOW)).toEqual({ ok: false, errors: { sendOn: "campaigns.errors.sendOnPast" } });
  expect(await scheduleCampaign(shop, await saved({ sendOn: null }), NOW)).toEqual({ ok: false, errors: { sendOn: "campaigns.errors.sendOnRequired" } });
  expect(await scheduleCampaign(shop, await saved({ audience: { countries: ["FR"] } }), NOW)).toEqual({ ok: false, errors: { audience: "campaigns.errors.emptyAudience" } });
});

it("cancels what has not gone, and moves scheduled → sending → done as messages go", async () => {
  const id = await saved({ audience: { segments: ["loyal"] } });
  await scheduleCampaign(shop, id, NOW);
  await advanceCampaigns(shop, NOW);
  expect((await db.campaign.findFirstOrThrow({ where: { id } })).status).toBe("scheduled");
  const sendDay = new Date("2026-12-01T12:00:00Z");
  await advanceCampaigns(shop, sendDay);
  expect((await db.campaign.findFirstOrThrow({ where: { id } })).status).toBe("sending");
  // Half go out; then the merchant cancels: the rest are cancelled with the reason, the sent stay sent.
  const contacted = await db.message.findMany({ where: { shop, sourceId: id, holdout: false }, orderBy: { customerShopifyId: "asc" } });
  const half = contacted.slice(0, contacted.length / 2).map((m) => m.id);
  await db.message.updateMany({ where: { id: { in: half } }, data: { status: "sent", sentAt: sendDay } });
  expect(await cancelCampaign(shop, id, sendDay)).toBe(true);
  expect(await cancelCampaign(shop, id, sendDay)).toBe(false);
  const after = await db.message.groupBy({ by: ["status"], where: { shop, sourceId: id }, _count: true });
  expect(Object.fromEntries(after.map((row) => [row.status, row._count]))).toEqual({ sent: half.length, cancelled: contacted.length - half.length, heldOut: expect.any(Number) });
  const decisions = await db.messageDecision.count({ where: { shop, reason: "campaignCancelled" } });
  expect(decisions).toBe(contacted.length - half.length);

  const other = await saved({ audience: { segments: ["champions"] } });
  await scheduleCampaign(shop, other, NOW);
  await db.message.updateMany({ where: { shop, sourceId: other, holdout: false }, data: { status: "sent", sentAt: sendDay } });
  await advanceCampaigns(shop, sendDay);
  await advanceCampaigns(shop, sendDay);
  expect((await db.campaign.findFirstOrThrow({ where: { id: other } })).status).toBe("done");
});

it("duplicates any campaign into a new draft without a date", async () => {
  const id = await saved();
  await scheduleCampaign(shop, id, NOW);
  const copy = await duplicateCampaign(shop, id, "staff-2", NOW);
  expect(await db.campaign.findFirstOrThrow({ where: { id: copy! } })).toMatchObject({ status: "draft", name: "Winter tea (2)", sendOn: null, duplicatedFrom: id, createdBy: "staff-2" });
  expect(await duplicateCampaign("someone-else.myshopify.com", id, null, NOW)).toBeNull();
});

it("refuses an audience naming a tier the shop's program does not have, saving nothing (issue 18)", async () => {
  const tiered = "campaign-tiers.myshopify.com";
  await saveShopSettings(tiered, { name: "Tiered Tea", ianaTimezone: "UTC", currencyCode: "USD", primaryLocale: "en", scopes: null }, NOW);
  const rule = (handle: string, rank: number, minNetSpendMinor: number | null): TierRule => ({
    handle, rank, name: { en: handle, "zh-CN": handle }, minNetSpendMinor, minOrders: null, qualifyBy: "either", entryGift: null,
    perks: { discountPercent: 0, discountScope: "subtotal", excludedProductTags: [], freeShipping: false, birthdayGift: null, notes: [] },
  });
  const count = async () => db.campaign.count({ where: { shop: tiered } });
  // No program yet: no tier exists.
  expect(await saveCampaign(tiered, null, draft({ audience: { tiers: ["gold"] } }), null, NOW)).toEqual({ ok: false, errors: { "audience.tiers": "campaigns.errors.audience.unknownTier" } });
  await saveProgram(tiered, { tiers: [rule("member", 1, null), rule("gold", 2, 30_000)], window: { kind: "lifetime" }, graceDays: 14 }, "now", NOW);
  expect(await saveCampaign(tiered, null, draft({ audience: { tiers: ["gold", "platinum"] } }), null, NOW)).toEqual({ ok: false, errors: { "audience.tiers": "campaigns.errors.audience.unknownTier" } });
  expect(await previewAudience(tiered, { tiers: ["platinum"] }, "email", NOW)).toEqual({ ok: false, errors: { tiers: "campaigns.errors.audience.unknownTier" } });
  expect(await count()).toBe(0);
  // The program's own tiers are taken.
  expect(await saveCampaign(tiered, null, draft({ audience: { tiers: ["gold"] } }), null, NOW)).toMatchObject({ ok: true });
  expect(await previewAudience(tiered, { tiers: ["gold", "member"] }, "email", NOW)).toMatchObject({ ok: true });
  expect(await count()).toBe(1);
});
