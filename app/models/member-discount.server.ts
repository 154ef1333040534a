import db from "~/db.server";
import type { MessageKey } from "~/i18n";

/** The shop's member discount as last written to Shopify, or Shopify's last refusal. */
export interface MemberDiscountState {
  discountId: string | null;
  /** The input last written (JSON), so an unchanged program is not written again. */
  input: string | null;
  syncedAt: Date | null;
  errorKey: MessageKey | null;
  errorDetail: string | null;
}

export async function memberDiscountState(shop: string): Promise<MemberDiscountState | null> {
  const row = await db.tierProgram.findUnique({
    where: { shop },
    select: { discountId: true, discountInput: true, discountSyncedAt: true, discountErrorKey: true, discountErrorDetail: true },
  });
  if (!row) return null;
  return { discountId: row.discountId, input: row.discountInput, syncedAt: row.discountSyncedAt, errorKey: row.discountErrorKey as MessageKey | null, errorDetail: row.discountErrorDetail };
}

export async function saveMemberDiscountWritten(shop: string, discountId: string, input: string, now: Date): Promise<void> {
  await db.tierProgram.updateMany({ where: { shop }, data: { discountId, discountInput: input, discountSyncedAt: now, discountErrorKey: null, discountErrorDetail: null } });
}

/** Shopify refused the discount: the reason stays on the Tiers page until a write succeeds. */
export async function saveMemberDiscountRefused(shop: string, errorKey: MessageKey, errorDetail: string): Promise<void> {
  await db.tierProgram.updateMany({ where: { shop }, data: { discountErrorKey: errorKey, discountErrorDetail: errorDetail } });
}

/** The discount is gone in Shopify (deleted by the merchant): the next write creates it again. */
export async function forgetMemberDiscount(shop: string): Promise<void> {
  await db.tierProgram.updateMany({ where: { shop }, data: { discountId: null, discountInput: null } });
}
