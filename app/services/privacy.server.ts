import type { CustomerPrivacyRequest } from "~/domain/webhook-payloads";
import { collectCustomerData, deleteShopData, redactCustomer, saveDataRequest } from "~/models/privacy.server";

/**
 * customers/data_request: assemble everything the app holds on the customer and
 * keep it for the merchant (the ops CLI prints it; `npm run cli -- export`).
 */
export async function exportCustomer(shop: string, request: CustomerPrivacyRequest, now: Date) {
  const data = await collectCustomerData(shop, request.customerShopifyId, request.orderShopifyIds);
  const exported = { shop, customerShopifyId: request.customerShopifyId, requestedOrders: request.orderShopifyIds, exportedAt: now.toISOString(), ...data };
  await saveDataRequest(shop, { customerShopifyId: request.customerShopifyId, requestShopifyId: request.requestShopifyId, exported });
  return exported;
}

export async function eraseCustomer(shop: string, request: CustomerPrivacyRequest, now: Date) {
  return redactCustomer(shop, request.customerShopifyId, request.orderShopifyIds, now);
}

export async function eraseShop(shop: string) {
  return deleteShopData(shop);
}
