/**
 * The Messages log page (issue 8): the shop's messages newest first
 * (messagesLog's keyset pages), each with its customer's name and, for a
 * campaign, the campaign's name; and one message's decisions, so the merchant
 * sees why it went (or did not) when it did.
 */
import db from "~/db.server";
import { getCareContext } from "~/models/care-settings.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";
import { getMessage, messageDecisions, messagesLog, type MessagesLogQuery } from "~/models/messages.server";

export async function messagesLogPage(shop: string, query: MessagesLogQuery) {
  const [{ entries, nextCursor }, context] = await Promise.all([messagesLog(shop, query), getCareContext(shop)]);
  const customerIds = [...new Set(entries.map((entry) => entry.customerShopifyId))];
  const campaignIds = [...new Set(entries.filter((entry) => entry.source === "campaign").map((entry) => entry.sourceId))];
  const names = new Map<string, string | null>();
  for (const ids of chunks(customerIds, MAX_IN_LIST)) {
    const rows = await db.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, firstName: true, lastName: true, email: true } });
    for (const row of rows) names.set(row.shopifyId, [row.firstName, row.lastName].filter(Boolean).join(" ") || row.email || null);
  }
  const campaigns = campaignIds.length ? await db.campaign.findMany({ where: { shop, id: { in: campaignIds } }, select: { id: true, name: true } }) : [];
  const campaignName = new Map(campaigns.map((row) => [row.id, row.name]));
  return {
    timeZone: context.timeZone,
    nextCursor,
    entries: entries.map((entry) => ({
      ...entry,
      customerName: names.get(entry.customerShopifyId) ?? null,
      campaignName: entry.source === "campaign" ? (campaignName.get(entry.sourceId) ?? null) : null,
    })),
  };
}

/** One message with its decisions, oldest first; null for another shop's id. */
export async function messageWithDecisions(shop: string, id: string) {
  const message = await getMessage(shop, id);
  if (!message) return null;
  return { message, decisions: await messageDecisions(shop, id) };
}
