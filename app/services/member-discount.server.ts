import { discountProblemKey, isMissingDiscount, memberDiscountInput, type DiscountUserError } from "~/domain/member-discount";
import { CREATE_MEMBER_DISCOUNT, UPDATE_MEMBER_DISCOUNT } from "~/graphql/discount";
import { forgetMemberDiscount, memberDiscountState, saveMemberDiscountRefused, saveMemberDiscountWritten } from "~/models/member-discount.server";
import { getTierContext } from "~/models/tiers.server";
import type { AdminClient } from "./admin-client.server";
import { newPacer, send, type PassResult } from "./paced-send.server";

interface DiscountPayload {
  [field: string]: { automaticAppDiscount: { discountId: string } | null; userErrors: DiscountUserError[] };
}

/**
 * Keeps the shop's one member discount in Shopify in line with the tier rules
 * in force (the `discount.sync` outbox effect): created the first time, updated
 * when its classes, combinations or configuration change, created again when
 * the merchant deleted it, left alone when nothing changed. A refusal (for
 * example Shopify's limit on active app discounts) is kept for the Tiers page
 * and not retried: the merchant has to act, and saving the tiers asks again.
 */
export async function syncMemberDiscount(shop: string, client: AdminClient, now: Date): Promise<PassResult> {
  const context = await getTierContext(shop);
  const state = await memberDiscountState(shop);
  if (!context || !state) return { status: "done", written: 0 };
  const input = memberDiscountInput(context.program);
  // Tiers without any discount or free shipping need no discount in Shopify.
  if (input.discountClasses.length === 0) return { status: "done", written: 0 };
  const text = JSON.stringify(input);
  if (state.discountId && state.input === text) return { status: "done", written: 0 };

  const pacer = newPacer(shop, now);
  let discountId = state.discountId;
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = discountId
      ? await send<DiscountPayload>(client, pacer, UPDATE_MEMBER_DISCOUNT, { id: discountId, discount: input })
      : await send<DiscountPayload>(client, pacer, CREATE_MEMBER_DISCOUNT, { discount: { ...input, startsAt: now.toISOString() } });
    if ("waitMs" in result) return { status: "later", at: new Date(now.getTime() + result.waitMs), written: 0, reason: result.reason };
    const payload = Object.values(result.answer.data ?? {})[0];
    if (!payload) throw new Error("Shopify gave no answer for the member discount");
    if (payload.automaticAppDiscount) {
      await saveMemberDiscountWritten(shop, payload.automaticAppDiscount.discountId, text, now);
      return { status: "done", written: 1 };
    }
    if (discountId && isMissingDiscount(payload.userErrors)) {
      await forgetMemberDiscount(shop);
      discountId = null;
      continue;
    }
    await saveMemberDiscountRefused(shop, discountProblemKey(payload.userErrors), payload.userErrors.map((error) => error.message).join("; "));
    return { status: "done", written: 0 };
  }
  throw new Error("the member discount vanished twice while being written");
}
