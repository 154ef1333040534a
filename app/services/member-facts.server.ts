import { computeMemberFacts } from "~/domain/member-facts";
import { saveMemberFacts } from "~/models/customers.server";
import { factInputs } from "~/models/orders.server";
import { chunks, MAX_IN_LIST } from "~/models/sql-limits.server";

/**
 * Recomputes and stores the member facts of the given customers from their
 * stored orders. Both the projectors (after a batch of webhooks) and the
 * history import (after the last page) call it; it lives here, below both, so
 * the import does not reach back into the projectors (which reach the import
 * through install: issue 19's import cycle).
 */
export async function refreshMemberFacts(shop: string, customerShopifyIds: Iterable<string>, now: Date): Promise<void> {
  for (const ids of chunks([...new Set(customerShopifyIds)], MAX_IN_LIST)) {
    const inputs = await factInputs(shop, ids);
    const facts = new Map([...inputs].map(([id, orders]) => [id, computeMemberFacts(orders)]));
    await saveMemberFacts(shop, facts, now);
  }
}
