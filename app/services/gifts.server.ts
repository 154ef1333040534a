/**
 * Gifts in parcels (issue 10). When members' orders come in (the hook in
 * refreshMembers), each member's newest open order is checked for what they
 * are due (a staff gift waiting for the next parcel, a tier entry gift after
 * an upgrade, a birthday gift in their birthday month, a surprise every Nth
 * order: dueGifts in app/domain/gifts.ts); each due thing gets a gift chosen
 * by rotation (chooseGift: never the last one again nor one given within the
 * no-repeat period) and one GiftGiven row, keyed so a redelivered webhook or
 * a later update of the order gives nothing twice. The packing note goes onto
 * the Shopify order through the outbox (gift.note): the gift lines appended to
 * the order's note and the "MemberCare gift" tag added, the merchant's own
 * note and tags kept. An order cancelled before it was packed gives its gifts
 * back: the member is due them again with their next order.
 */
import { resolveTimeZone } from "~/domain/local-time";
import { chooseGift } from "~/domain/gift-rotation";
import { dueGifts, GIFT_TAG, giftServes, type GiftReason } from "~/domain/gifts";
import { readStoredRewardSettings } from "~/domain/rewards";
import { ORDER_NOTE_AND_TAGS, UPDATE_ORDER_NOTE } from "~/graphql/gifts";
import { localeForTag, translate, type Locale } from "~/i18n";
import db from "~/db.server";
import {
  giftCandidates,
  giftsForOrder,
  giftsGiven,
  listGifts,
  markGiftNotes,
  markGiftRewardIssued,
  orderHasUnwrittenGiftNote,
  orderNumber,
  recordGiftGiven,
  releaseGiftsOfCancelledOrders,
  type GiftGivenRow,
} from "~/models/gifts.server";
import { requestEffect, type ClaimedEffect } from "~/models/outbox.server";
import type { AdminClient } from "./admin-client.server";
import { newPacer, send, type PassResult } from "./paced-send.server";

export const GIFT_NOTE = "gift.note";

export interface GiftOutcome {
  orderShopifyId: string;
  customerShopifyId: string;
  reason: GiftReason;
  giftId: string;
  giftName: string;
}

/**
 * Gives the gifts these customers' newest open orders are due and asks for
 * their packing notes. Runs under the shop's members lock (refreshMembers),
 * so one customer's rotation is never read by two workers at once.
 */
export async function giveDueGifts(shop: string, customerShopifyIds: Iterable<string>, now: Date): Promise<GiftOutcome[]> {
  const ids = [...new Set(customerShopifyIds)];
  if (ids.length === 0) return [];
  const gifts = await listGifts(shop);
  // Shops without a gift list pay one read per batch.
  if (gifts.length === 0) return [];
  // A cancelled order's parcel never goes: what it was to carry is due again.
  await releaseGiftsOfCancelledOrders(shop, ids, now);
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true, rewardSettings: true } });
  const { settings } = readStoredRewardSettings(shopRow?.rewardSettings ?? null);
  const given: GiftOutcome[] = [];
  for (const candidate of await giftCandidates(shop, ids, now)) {
    const due = dueGifts({
      orderAt: candidate.order.processedAt,
      timeZone: resolveTimeZone(candidate.timeZone, shopRow?.ianaTimezone ?? "UTC"),
      tierHandle: candidate.tierHandle,
      pendingGiftRewards: candidate.pendingGiftRewards,
      lastUpgrade: candidate.lastUpgrade,
      birthday: candidate.birthday,
      orderNumber: settings.gifts.surpriseEveryOrders > 0 ? await orderNumber(shop, candidate.customerShopifyId, candidate.order) : 0,
      surpriseEveryOrders: settings.gifts.surpriseEveryOrders,
    });
    if (due.length === 0) continue;
    const history = (await giftsGiven(shop, candidate.customerShopifyId)).map((row) => ({ giftId: row.giftId, givenAt: row.givenAt, dueKey: row.dueKey }));
    const already = new Set(history.map((row) => row.dueKey));
    let newOnes = 0;
    for (const thing of due) {
      if (already.has(thing.dueKey)) continue;
      const chosen = thing.giftId
        ? (gifts.find((gift) => gift.id === thing.giftId) ?? null)
        : chooseGift(
            gifts.filter((gift) => giftServes(gift.kinds, thing.reason)),
            history,
            { now: candidate.order.processedAt, noRepeatDays: settings.gifts.noRepeatDays, tierHandle: thing.tierHandle },
          ).gift;
      // Nothing suitable left (all given recently, none for the tier): the member stays due, and a later order may carry it.
      if (!chosen) continue;
      const gift = gifts.find((row) => row.id === chosen.id)!;
      const recorded = await recordGiftGiven(shop, {
        customerShopifyId: candidate.customerShopifyId,
        giftId: gift.id,
        giftName: gift.name,
        costMinor: gift.costMinor,
        orderShopifyId: candidate.order.shopifyId,
        reason: thing.reason,
        dueKey: thing.dueKey,
        rewardId: thing.rewardId,
        givenAt: candidate.order.processedAt,
      });
      if (!recorded) continue;
      if (thing.rewardId) await markGiftRewardIssued(shop, thing.rewardId, now);
      history.push({ giftId: gift.id, givenAt: candidate.order.processedAt, dueKey: thing.dueKey });
      already.add(thing.dueKey);
      given.push({ orderShopifyId: candidate.order.shopifyId, customerShopifyId: candidate.customerShopifyId, reason: thing.reason, giftId: gift.id, giftName: gift.name });
      newOnes++;
    }
    // Also when a crash came between the gift and this request: a gift without its note is asked for again.
    if (newOnes > 0 || (await orderHasUnwrittenGiftNote(shop, candidate.order.shopifyId))) {
      await requestEffect(shop, GIFT_NOTE, `${GIFT_NOTE}:${candidate.order.shopifyId}`, now, { orderShopifyId: candidate.order.shopifyId }, candidate.customerShopifyId);
    }
  }
  return given;
}

/** One gift's line in the order note, in the shop's language; the packer reads it. */
export function giftNoteLine(gift: Pick<GiftGivenRow, "giftName" | "reason">, sku: string | null, locale: Locale): string {
  return translate(locale, "gifts.note.line", { name: gift.giftName, sku: sku ? ` · SKU ${sku}` : "", reason: translate(locale, `gifts.reason.${gift.reason}`) });
}

type OrderAnswer = { order: { id: string; note: string | null; tags: string[] } | null };
type UpdateAnswer = { orderUpdate: { order: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } | null };

/**
 * The outbox handler: the order's gift lines appended to its note (those not
 * there yet) and the gift tag added, in one orderUpdate after reading the
 * note and tags it has (orderUpdate replaces them). Run again, it finds its
 * lines there and writes nothing.
 */
export async function writeGiftNote(effect: Pick<ClaimedEffect, "shop" | "payload">, admin: AdminClient, now: Date): Promise<PassResult> {
  const { orderShopifyId } = JSON.parse(effect.payload) as { orderShopifyId: string };
  const gifts = await giftsForOrder(effect.shop, orderShopifyId);
  if (gifts.length === 0) return { status: "done", written: 0 };
  const [list, shopRow] = await Promise.all([listGifts(effect.shop), db.shop.findUnique({ where: { shop: effect.shop }, select: { primaryLocale: true } })]);
  const locale = localeForTag(shopRow?.primaryLocale ?? "en");
  const sku = new Map(list.map((gift) => [gift.id, gift.sku]));
  const lines = gifts.map((gift) => giftNoteLine(gift, sku.get(gift.giftId) ?? null, locale));

  const pacer = newPacer(effect.shop, now);
  const id = `gid://shopify/Order/${orderShopifyId}`;
  const read = await send<OrderAnswer>(admin, pacer, ORDER_NOTE_AND_TAGS, { id });
  if ("waitMs" in read) return { status: "later", at: new Date(now.getTime() + read.waitMs), written: 0, reason: read.reason };
  const order = read.answer.data?.order;
  if (!order) {
    // Gone from Shopify (deleted, or older than the app may see): nothing to pack; kept visible with the reason.
    await markGiftNotes(effect.shop, orderShopifyId, { error: "the order is not in Shopify" });
    return { status: "done", written: 0 };
  }
  const note = order.note ?? "";
  const missing = lines.filter((line) => !note.includes(line));
  const tagged = order.tags.some((tag) => tag.toLowerCase() === GIFT_TAG.toLowerCase());
  if (missing.length > 0 || !tagged) {
    const input = { id, note: [note.trimEnd(), ...missing].filter(Boolean).join("\n"), tags: tagged ? order.tags : [...order.tags, GIFT_TAG] };
    const sent = await send<UpdateAnswer>(admin, pacer, UPDATE_ORDER_NOTE, { input });
    if ("waitMs" in sent) return { status: "later", at: new Date(now.getTime() + sent.waitMs), written: 0, reason: sent.reason };
    const userErrors = sent.answer.data?.orderUpdate?.userErrors ?? [];
    if (userErrors.length > 0) throw new Error(`Shopify refused the packing note: ${userErrors.map((error) => error.message).join("; ")}`);
  }
  await markGiftNotes(effect.shop, orderShopifyId, { writtenAt: now });
  return { status: "done", written: missing.length > 0 || !tagged ? 1 : 0 };
}
